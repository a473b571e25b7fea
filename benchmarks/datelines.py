"""Datelines: how many of the news corpora's wire-style openings the cleaner recognises.

Usage: ``python benchmarks/datelines.py ../shared/data``  (reads polnear/, allsides/, bbc/)

A first paragraph *looks like* it opens with a dateline when it starts with upper-case place
words, an agency in parentheses or both, or title-case words and anything in parentheses, then a
dash (``WASHINGTON (Reuters) -``, ``DES MOINES, Iowa, Aug. 10 (UPI) —``, ``(CNN) —``, ``New York
(AFP) –``); this loose test (``CANDIDATE``) is the denominator.
The opening paragraph is the first line of at least `PROSE_WORDS` words other than the headline.
Printed per corpus: first paragraphs, candidates, candidates the cleaner moved to ``dateline``,
datelines found outside the candidates, and the datelines that left a body starting in lower
case (a sign that the dateline ate part of the sentence). ``--show N`` lists N missed candidates.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

from research_kit import clean_text
from research_kit.clean import normalize_text

CANDIDATE = re.compile(
    r"^(?!(?:EXCLUSIVE|BREAKING|UPDATE|WATCH|ANALYSIS|OPINION)\b)"
    r"(?:(?:[A-Z][A-Z.'’\-]+(?:[ /][A-Z][A-Z.'’\-]+)*(?:,\s+[A-Z][\w.]*(?:\s+[A-Z\d][\w.]*)?)*\s*)?"
    r"(?:\([\w .&/-]{1,30}\)\s*)?"
    r"|[A-Z][a-z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*)*(?:,\s+[\w.]+(?:\s+[\w.]+)*)?\s*"
    r"\([\w .&/-]{1,30}\)\s*)(?<=\S|\s)[—–―-]{1,2}\s"
)
PROSE_WORDS = 8
"""The opening is the first line of at least this many words (headlines and bylines are shorter)."""


def _fold(line: str) -> str:
    return " ".join(line.casefold().split()).rstrip(" .!?")


def articles(root: Path) -> Iterator[tuple[str, str, str | None]]:
    """(corpus, text, known title) of every article of the three corpora."""
    with (root / "polnear" / "metadata.tsv").open(encoding="utf-8") as handle:
        titles = {row["filename"]: row["title"] for row in csv.DictReader(handle, delimiter="\t")}
    for path in sorted((root / "polnear").glob("*/text/*.txt")):
        yield "polnear", path.read_text("utf-8"), titles.get(path.stem)
    with (root / "allsides" / "allsides-2021.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            yield "allsides", row["text"], row.get("title")
    for path in sorted((root / "bbc").glob("*/*.txt")):
        yield "bbc", path.read_bytes().decode("utf-8", "replace"), None


def main() -> None:
    """Count candidates and recognised datelines per corpus."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("root", type=Path, help="the shared data folder (../shared/data)")
    parser.add_argument("--show", type=int, default=0, help="list N missed candidates")
    args = parser.parse_args()
    counts: dict[str, list[int]] = {}
    missed: list[str] = []
    for corpus, text, title in articles(args.root):
        article = clean_text(text, title=title)
        lines = normalize_text(text)[0].split("\n")
        opening = next(
            (line for line in lines
             if len(line.split()) >= PROSE_WORDS and _fold(line) != _fold(title or "")),
            "",
        )
        first = next((p.text for p in article.paragraphs if len(p.text.split()) > 3), "")
        row = counts.setdefault(corpus, [0, 0, 0, 0, 0])
        candidate = bool(CANDIDATE.match(opening))
        row[0] += 1
        row[1] += candidate
        row[2] += candidate and article.dateline is not None
        row[3] += not candidate and article.dateline is not None
        row[4] += article.dateline is not None and first[:1].islower()
        if candidate and article.dateline is None:
            missed.append(f"{corpus}: {opening[:100]}")
    print(f"{'corpus':<10}{'articles':>9}{'candidates':>11}{'recognised':>11}{'other':>7}"
          f"{'lower-case rest':>16}")
    for corpus, (n, cand, hit, other, lower) in counts.items():
        print(f"{corpus:<10}{n:>9}{cand:>11}{hit:>11}{other:>7}{lower:>16}")
    for line in missed[: args.show]:
        print("  missed", line)


if __name__ == "__main__":
    main()
