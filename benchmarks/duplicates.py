"""Near-duplicate detection at scale: time and memory of `mark_duplicates` on 100,000 articles.

Usage: ``python benchmarks/duplicates.py ../shared/data/bbc --replicate 100000``

The BBC News articles (2,225) are cycled to N articles, as `benchmarks/scale.py` does for its
100,000-article run, so every article after the first 2,225 is a planted copy; each copy gets a
distinct last sentence, which makes it a near-duplicate rather than an identical text. The
records are generated as the pass asks for them (only the 2,225 cleaned bodies are held), and
streamed through `mark_duplicates` (`--duplicates mark`) in corpus order. Printed: the process's
resident memory (RSS) before the pass and after 10,000, 50,000 and 100,000 articles (scaled to
N), its growth from the first and from the second checkpoint to the last, the marked copies
(expected: every planted copy, N − 2,225, plus the BBC set's own repeats), articles per second,
and the size of the on-disk index at the end.
"""

from __future__ import annotations

import argparse
import tempfile
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


def _index_mib(scratch: Path) -> float:
    """Size of the files under `scratch` (the pass's temporary folder), in MiB."""
    return sum(f.stat().st_size for f in scratch.rglob("*") if f.is_file()) / 2**20


def records(bodies: list[str], articles: int) -> Iterator[dict[str, Any]]:
    """The bodies cycled to `articles` records, each copy with its own last sentence."""
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
    bodies = [  # cleaned first: not part of the timing
        clean_text(item.text).body for item in iter_documents([args.corpus])
        if isinstance(item, Document) and item.id != "README"
    ]
    # The index's temporary folder goes in a folder of its own, to measure it.
    scratch = Path(tempfile.mkdtemp(prefix="research-kit-benchmark-"))
    tempfile.tempdir = str(scratch)
    start_rss = _rss_mib()
    print(f"  before the pass: RSS {start_rss:,.0f} MiB")
    checkpoints = sorted({args.replicate * n // 100_000 for n in (10_000, 50_000, 100_000)})
    rss = {}
    marked = 0
    start = time.perf_counter()
    for number, record in enumerate(mark_duplicates(records(bodies, args.replicate), "mark"), 1):
        marked += record["duplicate_group"] is not None
        if number in checkpoints:
            rss[number] = _rss_mib()
            print(f"  after {number:>7,} articles: RSS {rss[number]:,.0f} MiB "
                  f"(+{rss[number] - start_rss:,.1f} MiB over the pass)")
            if number == args.replicate:
                index = _index_mib(scratch)  # before the pass ends and deletes it
    seconds = time.perf_counter() - start
    for first, last in ((checkpoints[0], checkpoints[-1]), (checkpoints[1], checkpoints[-1])):
        print(f"growth from {first:,} to {last:,} articles: {rss[last] - rss[first]:+,.1f} MiB "
              f"({(rss[last] - rss[first]) * 2**20 / (last - first):,.0f} bytes per article)")
    print(f"articles: {args.replicate:,}; threshold {THRESHOLD}, {NUM_PERM} permutations")
    print(f"marked as copies: {marked:,} (planted: {args.replicate - len(bodies):,})")
    print(f"seconds: {seconds:,.1f} ({args.replicate / seconds:,.0f} articles/s)")
    print(f"index on disk at the end: {index:,.1f} MiB")
    scratch.rmdir()  # the pass deleted its index


if __name__ == "__main__":
    main()
