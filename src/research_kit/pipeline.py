"""The per-article pipeline: one `Document` in, one article record (a plain dict) out.

`analyze_document` is a pure function of the document and the compiled rules, so every engine
(serial, processes, Dask) can call it and get identical records. `iter_records` streams a corpus
through it, yielding errors in place of files that could not be read or analysed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .clean import CleaningRules, clean_text, load_rules
from .errors import ResearchKitError
from .load import Document, iter_documents

RECORD_FIELDS = (
    "id", "path", "format", "outlet", "publisher", "author", "date", "language", "event_id",
    "url", "inferred", "title", "byline", "dateline", "date_line", "source", "captions",
    "body", "paragraphs", "removed", "normalized", "warnings",
)  # fmt: skip
"""Keys of an article record, in output order (documented in the README's schema section)."""


def analyze_document(doc: Document, rules: CleaningRules | None = None) -> dict[str, Any]:
    """Clean one document and return its record; every offset in it indexes `body`."""
    cleaned = clean_text(doc.text, rules or load_rules(), title=doc.title)
    warnings = list(doc.warnings)
    if not cleaned.body:
        warnings.append("no body text left after cleaning")
    meta = doc.meta
    record: dict[str, Any] = {
        "id": doc.id,
        "path": doc.path,
        "format": doc.format,
        **{key: meta.get(key) for key in RECORD_FIELDS[3:10]},
        "inferred": sorted(meta.get("inferred") or []),
        **{key: value for key, value in cleaned.to_dict().items()},
        "warnings": warnings,
    }
    return {key: record[key] for key in RECORD_FIELDS}


def iter_records(
    paths: Iterable[str | Path],
    *,
    rules: CleaningRules | None = None,
    text_column: str | None = None,
) -> Iterator[dict[str, Any] | ResearchKitError]:
    """Analyse a corpus lazily, in corpus order; a failure is yielded in place of its record."""
    rules = rules or load_rules()
    for item in iter_documents(paths, text_column=text_column):
        if isinstance(item, ResearchKitError):
            yield item
            continue
        try:
            yield analyze_document(item, rules)
        except Exception as exc:  # a bug must cost one article, not the corpus
            yield ResearchKitError(
                f"internal error while analysing ({type(exc).__name__}: {exc}); please report it",
                item.path,
            )
