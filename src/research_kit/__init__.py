"""research_kit: reproducible comparative media-framing analysis of news articles.

The pipeline runs one way, one module per stage: `load` → `clean` → `quotes` → framing →
`tables` → reports. This module re-exports the small public API.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("research_kit")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

from .clean import CleanArticle, clean_text, load_overrides, load_rules
from .errors import ResearchKitError
from .load import Document, iter_documents, verify_manifest
from .pipeline import analyze_document, iter_records
from .tables import articles_frame, removals_frame, write_records

__all__ = [
    "CleanArticle",
    "Document",
    "ResearchKitError",
    "__version__",
    "analyze_document",
    "articles_frame",
    "clean_text",
    "iter_documents",
    "iter_records",
    "load_overrides",
    "load_rules",
    "removals_frame",
    "verify_manifest",
    "write_records",
]
