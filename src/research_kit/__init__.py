"""research_kit: reproducible comparative media-framing analysis of news articles.

The pipeline runs one way, one module per stage: `load` → `clean` → `quotes` → framing →
`corpus` tables → reports. This module re-exports the small public API.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("research_kit")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

from .clean import CleanArticle, clean_text, load_overrides, load_rules
from .corpus import (
    CorpusTables,
    corpus_overview,
    corpus_tables,
    load_corpus,
    textstat_frequency,
    textstat_sourcing,
)
from .errors import ResearchKitError
from .keyness import textstat_keyness
from .kwic import kwic
from .lexicon import Lexicon, load_lexicon
from .load import Document, iter_documents, verify_manifest
from .pipeline import analyze, analyze_document, iter_records
from .quotes import Quote, extract_quotes
from .readability import textstat_readability
from .tables import (
    articles_frame,
    quotes_frame,
    readability_frame,
    removals_frame,
    terms_frame,
    write_records,
)
from .terms import TermMatch, match_terms

__all__ = [
    "CleanArticle",
    "CorpusTables",
    "Document",
    "Lexicon",
    "Quote",
    "ResearchKitError",
    "TermMatch",
    "__version__",
    "analyze",
    "analyze_document",
    "articles_frame",
    "clean_text",
    "corpus_overview",
    "corpus_tables",
    "extract_quotes",
    "iter_documents",
    "iter_records",
    "kwic",
    "load_corpus",
    "load_lexicon",
    "load_overrides",
    "load_rules",
    "match_terms",
    "quotes_frame",
    "readability_frame",
    "removals_frame",
    "terms_frame",
    "textstat_frequency",
    "textstat_keyness",
    "textstat_readability",
    "textstat_sourcing",
    "verify_manifest",
    "write_records",
]
