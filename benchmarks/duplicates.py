"""Near-duplicate detection at scale: time and memory of `mark_duplicates` on 100,000 articles.

Usage: ``python benchmarks/duplicates.py ../shared/data/bbc --replicate 100000``

The BBC News articles (2,225) are cycled to N articles, as `benchmarks/scale.py` does for its
100,000-article run, so every article after the first 2,225 is a planted exact copy; each copy
gets a distinct last sentence, which makes it a near-duplicate rather than an identical text.
The cleaned bodies are streamed through `mark_duplicates` (`--duplicates mark`) in corpus order.
Printed: articles, marked copies (expected: N − 2,225, plus the BBC set's own repeats), articles
per second, and the process's resident memory at each quarter of the run (memory holds one
signature per article, so it grows by about a kilobyte per article and no more).
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from research_kit import clean_text
from research_kit.duplicates import NUM_PERM, THRESHOLD, mark_duplicates
from research_kit.load import Document, iter_documents


def _rss_mib() -> float:
    """Current resident memory of this process (Linux /proc), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def records(corpus: Path, articles: int) -> Iterator[dict[str, Any]]:
    """Cleaned bodies cycled to `articles` records, each copy with its own last sentence."""
    bodies = [
        clean_text(item.text).body for item in iter_documents([corpus])
        if isinstance(item, Document) and item.id != "README"
    ]
    for number in range(articles):
        copy, index = divmod(number, len(bodies))
        tail = f" This copy was printed in edition {copy}." if copy else ""
        yield {"id": f"{copy:03d}/{index}", "body": bodies[index] + tail}


def main() -> None:
    """Stream the records through the duplicate pass and print time and memory."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("corpus", type=Path, help="the BBC corpus folder (../shared/data/bbc)")
    parser.add_argument("--replicate", type=int, default=100_000, metavar="N")
    args = parser.parse_args()
    source = list(records(args.corpus, args.replicate))  # built first: not part of the timing
    start_rss = _rss_mib()
    marked = 0
    checkpoints = {args.replicate * q // 4 for q in (1, 2, 3, 4)}
    start = time.perf_counter()
    for number, record in enumerate(mark_duplicates(iter(source), "mark"), 1):
        marked += record["duplicate_group"] is not None
        if number in checkpoints:
            print(f"  after {number:>7,} articles: RSS {_rss_mib():,.0f} MiB "
                  f"(+{_rss_mib() - start_rss:,.0f} MiB over the loaded corpus)")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {args.replicate:,}; threshold {THRESHOLD}, {NUM_PERM} permutations")
    print(f"marked as copies: {marked:,}")
    print(f"seconds: {seconds:,.1f} ({args.replicate / seconds:,.0f} articles/s)")
    print(f"peak RSS (corpus held in memory for the benchmark): {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
