"""research_kit: reproducible comparative media-framing analysis of news articles.

The pipeline runs one way, one module per stage: `load` → `clean` → `quotes` → framing →
`corpus` tables → reports. This module re-exports the small public API.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .lazy import lazy_exports

try:
    __version__ = version("research_kit")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

# The public API, imported on first use (PEP 562): `research-kit analyze` then never pays for
# pandas and the corpus tables it does not use, while `rk.textstat_frequency` works as before.
_LAZY = {
    "clean": ("CleanArticle", "clean_text", "load_overrides", "load_rules"),
    "entities": ("Aliases", "anonymous_sourcing", "link_corpus", "load_aliases", "naming",
                 "speaker_entities"),
    "corpus": ("CorpusTables", "corpus_overview", "corpus_tables", "load_corpus",
               "textstat_frequency", "textstat_sourcing"),
    "duplicates": ("shared_texts",),
    "errors": ("ResearchKitError",),
    "keyness": ("textstat_keyness",),
    "kwic": ("kwic",),
    "lexicon": ("Lexicon", "load_lexicon"),
    "load": ("Document", "iter_documents", "verify_manifest"),
    "pipeline": ("analyze", "analyze_document", "iter_records"),
    "quotes": ("Quote", "extract_quotes"),
    "readability": ("textstat_readability",),
    "tables": ("articles_frame", "quotes_frame", "readability_frame", "removals_frame",
               "terms_frame", "write_records"),
    "terms": ("TermMatch", "match_terms"),
}
__getattr__, __dir__ = lazy_exports(__name__, _LAZY)


__all__ = [
    "Aliases",
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
    "anonymous_sourcing",
    "articles_frame",
    "clean_text",
    "corpus_overview",
    "corpus_tables",
    "extract_quotes",
    "iter_documents",
    "iter_records",
    "kwic",
    "link_corpus",
    "load_aliases",
    "load_corpus",
    "load_lexicon",
    "load_overrides",
    "load_rules",
    "match_terms",
    "naming",
    "quotes_frame",
    "readability_frame",
    "removals_frame",
    "shared_texts",
    "speaker_entities",
    "terms_frame",
    "textstat_frequency",
    "textstat_keyness",
    "textstat_readability",
    "textstat_sourcing",
    "verify_manifest",
    "write_records",
]
