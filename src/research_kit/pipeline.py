"""The per-article pipeline: one `Document` in, one article record (a plain dict) out.

load → clean → quotes → framing (sides, terms, readability). `analyze_document` is a pure
function of the document, the cleaning rules and the lexicon, so every engine (serial, processes,
Dask) can call it and get identical records. `iter_records` streams a corpus through it, yielding
errors in place of files that could not be read or analysed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from .clean import CleaningRules, clean_text, load_rules, normalize_text
from .duplicates import Mode, check_mode, mark_duplicates
from .entities import Aliases, entity_of, link_corpus, load_aliases, relabel
from .errors import ResearchKitError
from .lexicon import Lexicon, load_lexicon
from .load import Document, iter_documents
from .quotes import Layout, extract_quotes
from .quotes import Rules as QuoteRules
from .quotes import load_rules as load_quote_rules
from .readability import textstat_readability
from .records import META_FIELDS, RECORD_FIELDS
from .terms import assign_sides, match_terms


def analyze_document(
    doc: Document,
    rules: CleaningRules | None = None,
    lexicon: Lexicon | None = None,
    quote_rules: QuoteRules | None = None,
) -> dict[str, Any]:
    """Analyse one document and return its record; every body offset in it indexes `body`.

    Quotes in the title are extracted too (`location: "title"`, offsets into `title`), so a
    headline's scare quotes are reported.
    """
    cleaned = clean_text(doc.text, rules or load_rules(), title=doc.title)
    lexicon = lexicon or load_lexicon()
    quote_rules = quote_rules or load_quote_rules()
    title, body = Layout(cleaned.title or "", quote_rules), Layout(cleaned.body, quote_rules)
    title_quotes = [replace(q, location="title") for q in extract_quotes(title)]
    quotes = [
        replace(q, speaker_id=entity_of(q.speaker, q.speaker_type, q.speaker_mention, lexicon))
        for q in assign_sides([*title_quotes, *extract_quotes(body)], lexicon)
    ]
    terms = match_terms(body, lexicon, quotes, title=title)
    warnings = list(doc.warnings)
    if not cleaned.body:
        warnings.append("no body text left after cleaning")
    meta = doc.meta
    cleaned_data = cleaned.to_dict()
    record: dict[str, Any] = {
        "id": doc.id,
        "path": doc.path,
        "format": doc.format,
        **{key: meta.get(key) for key in META_FIELDS},
        "extra": dict(meta.get("extra") or {}),
        "inferred": sorted(meta.get("inferred") or []),
        **cleaned_data,
        "byline": cleaned.byline or meta.get("byline"),  # a database export's fields
        "dateline": cleaned.dateline or meta.get("dateline"),
        "removed": [*doc.removed, *cleaned_data["removed"]],
        "comments": normalize_text(doc.comments)[0] if doc.comments else None,
        "warnings": warnings,
        "readability": textstat_readability(cleaned.body),
        "quotes": [q.to_dict() for q in quotes],
        "terms": [t.to_dict() for t in terms],
        "duplicate_group": None,  # corpus-level: set by duplicates.mark_duplicates
        "duplicate_share": None,
    }
    return {key: record[key] for key in RECORD_FIELDS}


def iter_records(
    paths: Iterable[str | Path],
    *,
    rules: CleaningRules | None = None,
    lexicon: Lexicon | None = None,
    text_column: str | None = None,
    quote_rules: QuoteRules | None = None,
) -> Iterator[dict[str, Any] | ResearchKitError]:
    """Analyse a corpus lazily, in corpus order; a failure is yielded in place of its record."""
    rules = rules or load_rules()
    lexicon = lexicon or load_lexicon()
    quote_rules = quote_rules or load_quote_rules()
    for item in iter_documents(paths, text_column=text_column):
        yield analyze_item(item, rules, lexicon, quote_rules)


def analyze_item(
    item: Document | ResearchKitError,
    rules: CleaningRules,
    lexicon: Lexicon,
    quote_rules: QuoteRules | None = None,
) -> dict[str, Any] | ResearchKitError:
    """The record of a loaded document, or an error in its place: what every engine runs."""
    if isinstance(item, ResearchKitError):
        return item
    try:
        return analyze_document(item, rules, lexicon, quote_rules)
    except Exception as exc:  # a bug must cost one article, not the corpus
        return ResearchKitError(
            f"internal error while analysing ({type(exc).__name__}: {exc}); please report it",
            item.path,
        )


def analyze(
    paths: Iterable[str | Path],
    *,
    rules: CleaningRules | None = None,
    lexicon: Lexicon | None = None,
    text_column: str | None = None,
    aliases: Aliases | str | Path | None = None,
    quote_rules: QuoteRules | None = None,
    duplicates: Mode = "keep",
) -> list[dict[str, Any]]:
    """Every record of a corpus, in corpus order; the first input that fails is raised.

    For reports and notebooks, which must not silently analyse a partial or tampered corpus.
    Speakers are linked across the corpus (``entities.link_corpus``), after the user's
    ``aliases`` (a file or loaded ``Aliases``) correct the per-article ``speaker_id``.
    ``duplicates`` is ``analyze --duplicates``: ``"keep"`` (the default, as on the command line:
    not looked for), ``"mark"`` (``duplicate_group`` and ``duplicate_share`` set) or ``"drop"``
    (later copies left out, before speakers are linked); see ``duplicates.mark_duplicates``.
    """
    lexicon = lexicon or load_lexicon()
    check_mode(duplicates)  # an unknown mode fails before any analysis
    records = []
    for item in iter_records(
        paths, rules=rules, lexicon=lexicon, text_column=text_column, quote_rules=quote_rules
    ):
        if isinstance(item, ResearchKitError):
            raise item
        records.append(item)
    if aliases is not None:
        loaded = aliases if isinstance(aliases, Aliases) else load_aliases(aliases)
        records = list(relabel(records, lexicon, loaded))
    return link_corpus(list(mark_duplicates(records, duplicates)))
