"""Tables and figures for readers: labelled, numbered, captioned, and saved for reuse.

Notebooks call these through `Report.table` and `Report.figure` (`reports.notebook`), which
number them in order ("Table 3. …"), keep a key for references from the findings, and, when the
report runner asks for it, write the table as CSV and the figure as SVG and 300-dpi PNG.

A table for readers has human headers and labels, no index column, a dash where a value is
missing (never `NaN`, `nan` or `None`), numbers right-aligned with one number of decimals per
column, and long text cut at a word with an ellipsis. All text is escaped here (`html.escape`).
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..figures import FIGURE_STYLE

MISSING = "–"
"""What a reader sees for a missing value."""
HEADERS: dict[str, str] = {
    "n": "matches",
    "per_1000_words": "matches per 1,000 words",
    "words": "words",
    "quotes": "quotes",
    "share_of_words": "share of quoted words",
    "doc_id": "article",
    "id": "article",
    "kwic": "in context",
    "g2": "G²",
    "chi2": "χ²",
    "log_ratio": "log ratio",
    "pmi": "PMI",
    "p": "p",
}
"""Headers in words for the column names the package's tables use."""
MEASURES: dict[str, str] = {
    "flesch_reading_ease": "Flesch reading ease (higher: easier)",
    "flesch_kincaid_grade": "Flesch–Kincaid grade (years)",
    "gunning_fog": "Gunning fog index (years)",
    "smog_index": "SMOG index (years)",
    "coleman_liau_index": "Coleman–Liau index (years)",
    "automated_readability_index": "Automated readability index (years)",
    "dale_chall_readability_score": "Dale–Chall score",
}
"""Readability measures (textstat's names) as a reader knows them, with their units."""
DECIMALS: dict[str, int] = {"p": 4, "p_adjusted": 4, "adjusted p": 4, "share_of_words": 3}
LABEL_COLUMNS = ("category", "side", "voice", "kind", "location", "rule", "action", "field",
                 "measure")
"""Columns whose values are identifiers a reader should see as labels."""
PORTRAIT_CHARACTERS = 130
"""Characters across a portrait A4 page (7-point DejaVu Sans, about 3.7 points a character,
cell padding counted); a table that needs more, with text cells wrapped at `WRAP` characters,
gets a landscape page."""
WRAP = 24
"""Text cells wrap at words: the width a text column is given for the landscape decision. A
cell of at most this many characters never wraps (class `nw`): a short label such as "de
facto" stays on one line, within the width the decision already gave it."""
_NUMERIC_TEXT = re.compile(r"^[−+-]?\d[\d,.]*(?:%| \[[−+-]?\d[\d,.]*, [−+-]?\d[\d,.]*\])?$")
"""A text cell that reads as a number, or a number with its interval ("2.53 [0.06, 14.07]")."""
_BREAKS = re.compile(r"\s+|(?<=-)")
"""Where a line may break inside a cell: at spaces and after a hyphen (never inside a word)."""


def humanize(name: Any) -> str:
    """An identifier in words: `stepanakert_framing` → `stepanakert framing`."""
    return str(name).replace("_", " ")


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def shorten(text: str, width: int) -> str:
    """Text cut at a word boundary with an ellipsis, whitespace collapsed; never mid-word."""
    collapsed = " ".join(text.split())
    if len(collapsed) <= width:
        return collapsed
    return textwrap.shorten(collapsed, width=width, placeholder=" …")


def flatten(frame: pd.DataFrame, sep: str = " · ") -> pd.DataFrame:
    """The index as ordinary columns and multi-level column names joined, for a flat table."""
    named_index = any(name is not None for name in frame.index.names)
    frame = frame.reset_index() if named_index else frame.reset_index(drop=True)
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [
            sep.join(str(part) for part in column if str(part)) for column in frame.columns
        ]
    return frame


def _number_format(series: pd.Series, decimals: int | None) -> Callable[[Any], str] | None:
    """A formatter for a numeric column (same decimals in every row), or None for text."""
    if pd.api.types.is_bool_dtype(series):
        return lambda value: MISSING if is_missing(value) else ("yes" if value else "no")
    if not pd.api.types.is_numeric_dtype(series):
        return None
    values = series.dropna()
    integral = pd.api.types.is_integer_dtype(series) or bool(
        len(values) and (values == values.round()).all() and decimals is None
    )
    places = 0 if integral else (2 if decimals is None else decimals)
    return lambda value: MISSING if is_missing(value) else f"{value:,.{places}f}"


def _text(value: Any, label: Callable[[str], str] | None, max_chars: int) -> str:
    if is_missing(value):
        return MISSING
    if isinstance(value, list | tuple | set | frozenset):
        value = ", ".join(str(v) for v in value if not is_missing(v))
    text = str(value)
    if label is not None:
        text = label(text)
    return shorten(text, max_chars) if text else MISSING


def table_html(
    frame: pd.DataFrame,
    caption: str,
    number: int,
    *,
    anchor: str,
    columns: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    label_columns: Sequence[str] = LABEL_COLUMNS,
    decimals: Mapping[str, int] | None = None,
    max_chars: int = 90,
    note: str | None = None,
    empty: str = "No rows.",
) -> str:
    """A numbered, captioned table as escaped HTML (see the module docstring for the rules)."""
    frame = flatten(frame)
    labels = dict(labels or {})
    headers = {**HEADERS, **labels, **(columns or {})}
    decimals = {**DECIMALS, **(decimals or {})}

    def label(text: str) -> str:
        return labels.get(text) or humanize(text)

    head = [html.escape(headers.get(str(c)) or humanize(c)) for c in frame.columns]
    formats = {c: _number_format(frame[c], decimals.get(str(c))) for c in frame.columns}
    numeric_text = {c: formats[c] is None and _reads_as_numbers(frame[c]) for c in frame.columns}
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            fmt = formats[column]
            if fmt is not None:
                cells.append(f'<td class="num">{html.escape(fmt(value))}</td>')
            else:
                text = _text(value, label if column in label_columns else None, max_chars)
                kind = (' class="num"' if numeric_text[column] else
                        ' class="nw"' if len(text) <= WRAP else "")
                cells.append(f"<td{kind}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    numeric = [formats[c] is not None or _reads_as_numbers(frame[c]) for c in frame.columns]
    header = "".join(
        f'<th class="num">{h}</th>' if n else f"<th>{h}</th>"
        for h, n in zip(head, numeric, strict=True)
    )
    wide = " rk-wide" if _width(frame, head, numeric) > PORTRAIT_CHARACTERS else ""
    title = (f'<figcaption><span class="rk-number">Table {number}.</span> '
             f"{html.escape(caption)}</figcaption>")
    if frame.empty:
        body = f'<p class="rk-empty">{html.escape(empty)}</p>'
    else:
        body = (f'<table class="rk"><thead><tr>{header}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")
    after = f'<p class="rk-note">{html.escape(note)}</p>' if note else ""
    return f'<figure class="rk-table{wide}" id="{anchor}">{title}{body}{after}</figure>'


def _reads_as_numbers(series: pd.Series) -> bool:
    """A text column of numbers (intervals as text): right-aligned like numbers."""
    values = [str(v) for v in series if not is_missing(v) and str(v)]
    return bool(values) and all(_NUMERIC_TEXT.match(v) for v in values)


def _width(frame: pd.DataFrame, head: Sequence[str], numeric: Sequence[bool]) -> int:
    """Characters the table needs across the page: numbers never wrap, text wraps at `WRAP`
    characters (at a word), headers at their longest word; 2 characters of padding a column."""
    total = 0
    for i, column in enumerate(frame.columns):
        values = [str(v) for v in frame[column] if not is_missing(v)]
        longest = max((len(v) for v in values), default=1)
        words = max((len(w) for v in values for w in _BREAKS.split(v)), default=1)
        cells = longest if numeric[i] else max(min(longest, WRAP), words)
        total += max(cells, *(len(w) for w in _BREAKS.split(head[i])), 1) + 2
    return total


HTML_DPI = 150
FILE_DPI = 300
PAGE_WIDTH_INCHES = 7.0


def figure_png(fig: Any, dpi: int) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    with plt.rc_context(FIGURE_STYLE):
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def figure_svg(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    with plt.rc_context(FIGURE_STYLE):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def figure_html(fig: Any, caption: str, number: int, *, anchor: str) -> str:
    """A numbered, captioned figure: an embedded PNG with the caption as its alt text."""
    label = f"Figure {number}. {caption}"
    data = base64.b64encode(figure_png(fig, HTML_DPI)).decode()
    width = min(fig.get_figwidth(), PAGE_WIDTH_INCHES)
    return (
        f'<figure class="rk-figure" id="{anchor}">'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(label)}" '
        f'style="width: {width:.2f}in">'
        f'<figcaption><span class="rk-number">Figure {number}.</span> '
        f"{html.escape(caption)}</figcaption></figure>"
    )


def save_table(frame: pd.DataFrame, path: Path) -> None:
    """The full table (no rows cut, values as computed) as CSV for reuse; same bytes each run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flatten(frame).to_csv(path, index=False, lineterminator="\n")


def save_figure(fig: Any, stem: Path) -> None:
    """The figure as SVG and as a 300-dpi PNG, deterministic, for a paper."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".svg").write_bytes(figure_svg(fig))
    stem.with_suffix(".png").write_bytes(figure_png(fig, FILE_DPI))


def slug(text: str, length: int = 40) -> str:
    """A file-name-safe key from a caption."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:length].rstrip("-") or "item"
