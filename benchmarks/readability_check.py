"""Check that research_kit's readability equals textstat as shipped, article by article.

Usage::

    python benchmarks/readability_check.py ../shared/data        # BBC, PolNeAR train and dev
    python benchmarks/readability_check.py ../shared/data --quick  # 200 articles of each

For every article of ``bbc/*/*.txt`` and ``polnear/{train,dev}/text/*.txt`` under the given
folder, and the seeds in ``data/raw``, the cleaned body is scored twice: with
``textstat_readability`` (textstat's public functions, with corpus-sized word caches inside the
call) and with the ten public ``textstat`` functions on the global object as a user calls them
(textstat's own 128-entry caches). Every figure must be equal (``==`` on floats, not close).
Prints the count, any difference, and the time of each pass; exits 1 on a difference.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import textstat

from research_kit import clean_text, load_rules, textstat_readability
from research_kit.readability import TEXTSTAT_FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = {key: getattr(textstat, name) for key, name in TEXTSTAT_FUNCTIONS.items()}


def as_shipped(text: str) -> dict[str, float | int]:
    """The ten figures from textstat's public functions, as its users call them."""
    return {key: function(text) for key, function in PUBLIC.items()}


def article_paths(data: Path, quick: bool = False) -> list[Path]:
    """BBC and PolNeAR train/dev articles under ``data``, then the seeds."""
    groups = [sorted(data.glob("bbc/*/*.txt")), sorted(data.glob("polnear/train/text/*.txt")),
              sorted(data.glob("polnear/dev/text/*.txt"))]
    paths = [p for group in groups for p in (group[:200] if quick else group)]
    return paths + sorted((ROOT / "data" / "raw").glob("*.txt"))


def bodies(paths: Iterable[Path]) -> list[str]:
    rules = load_rules()
    return [clean_text(p.read_text("utf-8", errors="replace"), rules).body for p in paths]


def differences(texts: list[str]) -> tuple[list[tuple[int, str]], float, float]:
    """(index, figure) of every difference, and the seconds of each pass (ours, shipped)."""
    start = time.perf_counter()
    ours = [textstat_readability(t) for t in texts]
    middle = time.perf_counter()
    shipped = [as_shipped(t) for t in texts]
    end = time.perf_counter()
    found = [(i, key) for i, (a, b) in enumerate(zip(ours, shipped, strict=True))
             for key in PUBLIC if a[key] != b[key]]
    return found, middle - start, end - middle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the shared data folder (holds bbc/, polnear/)")
    parser.add_argument("--quick", action="store_true", help="200 articles of each corpus")
    args = parser.parse_args(argv)
    paths = article_paths(args.data, args.quick)
    texts = bodies(paths)
    found, ours, shipped = differences(texts)
    for i, key in found[:20]:
        print(f"DIFFERENT {key}: {paths[i]}")
    print(f"{len(texts):,} articles, {len(found)} differing figures; "
          f"textstat_readability {ours:.1f} s, textstat as shipped {shipped:.1f} s "
          f"({shipped / ours:.2f}x)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
