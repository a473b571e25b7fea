"""Read a report's PDF as a reader does (pypdf): what a reader would see wrong, as a list.

Used by the report tests on the seeds and on the AllSides comparison.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from pathlib import Path

from pypdf import PdfReader

RIGHT_MARGIN = 36
"""Points from the page's right edge (the margin is 14 mm, 40 pt) where no text may start: a
table column cut off at the page edge starts there or beyond."""
RAW_COLUMNS = ("per_1000_words", "p_adjusted", "share_of_words", "shared_strata", "log_ratio",
               "n_target", "n_reference", "quotes_per_article", "words_per_article",
               "anonymous_share", "flesch_reading_ease")
"""Column names of the package's tables that a reader must see in words (the methods text
may name a field's values as code, e.g. the quote kind `according_to`)."""


def words(text: str) -> set[str]:
    """Words split at hyphens: a line may break after a compound's own hyphen ("Nagorno-"),
    but a word broken inside ("Harutyuny-an") leaves a part that is no word of the report."""
    return set(re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", text))


def _runs_past_the_edge(reader: PdfReader) -> list[str]:
    """Text runs that start in the right margin or beyond the page (cut off in the PDF)."""
    found = []
    for number, page in enumerate(reader.pages, 1):
        width = float(page.mediabox.width)

        def visit(text: str, cm: list[float], tm: list[float], *_: object,
                  page_number: int = number, edge: float = width) -> None:
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            if text.strip() and (x > edge - RIGHT_MARGIN or x < 0):
                found.append(f"page {page_number}: {text.strip()[:30]!r} at x={x:.0f}")

        page.extract_text(visitor_text=visit)
    return found


def reader_problems(html_path: Path, pdf_path: Path, raw_ids: Iterable[str] = ()) -> list[str]:
    """Everything a reader would find wrong in the PDF: a word not in the report's own text (a
    word broken in a cell), nan/None, a numbered table or figure missing, text cut off at the
    page edge, a raw identifier (`raw_ids`, e.g. the lexicon's names, or a column name)."""
    html = html_path.read_text("utf-8")
    body = html[html.index("<body"):]
    source = words(unescape(re.sub(r"<[^>]+>", " ", body)))
    reader = PdfReader(pdf_path)
    text = " ".join(page.extract_text() for page in reader.pages)
    problems = [f"word not in the report: {w!r}" for w in sorted(words(text) - source)[:20]]
    problems += [f"missing value printed: {m!r}"
                 for m in re.findall(r"\b(?:nan|NaN|None)\b", text)[:5]]
    captions = re.findall(r'<span class="rk-number">((?:Table|Figure) \d+)\.</span>', html)
    if not captions or len(set(captions)) != len(captions):
        problems.append(f"tables and figures not numbered once each: {captions}")
    problems += [f"{caption} missing from the PDF" for caption in captions
                 if f"{caption}." not in text]
    problems += _runs_past_the_edge(reader)
    problems += [f"raw identifier {name!r} in the PDF" for name in {*raw_ids, *RAW_COLUMNS}
                 if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    if 'class="dataframe"' in html:
        problems.append("a table printed by pandas (index column, raw names)")
    return problems


def lexicon_ids(lexicon_path: Path) -> list[str]:
    """The identifiers of a lexicon's categories and sides that differ from words (with `_`)."""
    from research_kit.lexicon import load_lexicon

    lexicon = load_lexicon(str(lexicon_path))
    names = [c.name for c in lexicon.categories] + [s.name for s in lexicon.sides]
    return [name for name in names if "_" in name]
