"""HTML article extraction: research_kit's body against trafilatura alone, on pages with gold text.

Usage: ``python benchmarks/html_extraction.py ../shared/data/html``

The folder holds ``html/ID.html.gz`` pages and ``ground-truth.json`` (``{ID: {"articleBody":
TEXT}}``, human-selected main text; the Dragnet set). Each page is scored the way the Scrapinghub
article-extraction benchmark scores it: 4-token shingles of ``\\w+`` tokens, counted; per page
precision = shared / extracted and recall = shared / gold shingle counts (1 when both are empty,
0 when only one is); both are averaged over pages and F1 is taken of the two averages.

Two systems are compared on the same decoded pages:
- ``trafilatura``: ``trafilatura.extract(html)`` with its defaults, the baseline to beat;
- ``research_kit``: the page read as a corpus file and analysed (``analyze_document``); scored
  are the record's title, metadata lines (byline, dateline, date line), body and reader
  comments, each field shingled on its own (removed boilerplate and captions are not scored);
- ``trafilatura, no comments`` against ``research_kit body``: the like-for-like article bodies.
  Dragnet's gold text includes the reader comments of blog pages, which trafilatura's default
  output appends to the article; research_kit keeps them in the record's ``comments`` field,
  out of the body that framing is measured on.

The per-system figures and the number of pages where each lost recall against the other are
printed; ``--worst N`` lists the N pages where research_kit's recall trails trafilatura's most.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from research_kit import ResearchKitError
from research_kit.clean import load_rules
from research_kit.load import _read_html, decode
from research_kit.pipeline import analyze_document

TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """Counted 4-token shingles (a text shorter than 4 tokens is one shingle)."""
    tokens = TOKEN.findall(text)
    return Counter(
        tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))
    ) if tokens else Counter()


def score(extracted: list[str], gold: str) -> tuple[float, float]:
    """(precision, recall) of one page from shingle counts; each extracted text (a record's
    fields are separate texts) is shingled on its own, so no shingle spans two fields."""
    pred: Counter[tuple[str, ...]] = Counter()
    for text in extracted:
        pred += shingles(text)
    true = shingles(gold)
    tp = sum((pred & true).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    if fp == fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def trafilatura_text(path: Path, html: str) -> list[str]:
    """trafilatura alone, as a new user would call it: `extract` with its defaults."""
    import trafilatura

    return [trafilatura.extract(html) or ""]


def trafilatura_no_comments(path: Path, html: str) -> list[str]:
    """trafilatura asked for the article without reader comments (the like-for-like body)."""
    import trafilatura

    return [trafilatura.extract(html, include_comments=False) or ""]


@lru_cache(maxsize=1)
def _record(path: Path) -> dict[str, Any] | None:
    """The page's research_kit record (computed once for both research_kit rows)."""
    try:
        return analyze_document(_read_html(path, path.stem), load_rules())
    except ResearchKitError:
        return None


def research_kit_body(path: Path, html: str) -> list[str]:
    """The cleaned body alone, what framing measures are computed on."""
    record = _record(path)
    return [record["body"]] if record else []


def research_kit_record(path: Path, html: str) -> list[str]:
    """Every text of the page the record keeps: title, metadata lines, body, reader comments."""
    record = _record(path)
    fields = ("title", "byline", "dateline", "date_line", "body", "comments")
    return [record[key] for key in fields if record[key]] if record else []


SYSTEMS: dict[str, Callable[[Path, str], list[str]]] = {
    "trafilatura": trafilatura_text,
    "research_kit": research_kit_record,
    "trafilatura, no comments": trafilatura_no_comments,
    "research_kit body": research_kit_body,
}
"""The two systems the issue compares first, then the like-for-like bodies without comments."""


def main() -> None:
    """Score both systems on every page and print precision, recall and F1."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="the Dragnet folder (../shared/data/html)")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages by recall")
    args = parser.parse_args()
    gold = json.loads((args.folder / "ground-truth.json").read_text("utf-8"))
    scores: dict[str, dict[str, tuple[float, float]]] = {name: {} for name in SYSTEMS}
    empty: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for page_id in sorted(gold):
            raw = gzip.decompress((args.folder / "html" / f"{page_id}.html.gz").read_bytes())
            html, _ = decode(raw, page_id)
            # research_kit reads files: give it the same bytes under a .html name.
            path = Path(tmp) / f"{page_id}.html"
            path.write_bytes(raw)
            for name, system in SYSTEMS.items():
                texts = system(path, html)
                empty[name] += not "".join(texts).strip()
                scores[name][page_id] = score(texts, gold[page_id]["articleBody"])
    print(f"pages: {len(gold)} ({args.folder})")
    print(f"{'system':<26}{'precision':>10}{'recall':>8}{'F1':>8}{'empty':>7}")
    for name, per_page in scores.items():
        precision = statistics.fmean(p for p, _ in per_page.values())
        recall = statistics.fmean(r for _, r in per_page.values())
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{name:<26}{precision:>10.3f}{recall:>8.3f}{f1:>8.3f}{empty[name]:>7}")
    ours, base = scores["research_kit"], scores["trafilatura"]
    for label, index in (("precision", 0), ("recall", 1)):
        worse = sum(ours[k][index] < base[k][index] - 1e-9 for k in gold)
        better = sum(ours[k][index] > base[k][index] + 1e-9 for k in gold)
        print(f"pages where research_kit's {label} is lower: {worse}, higher: {better}")
    if args.worst:
        gaps = sorted(gold, key=lambda k: ours[k][1] - base[k][1])[: args.worst]
        for k in gaps:
            print(f"  {k}: recall {ours[k][1]:.3f} vs {base[k][1]:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
