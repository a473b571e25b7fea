"""The article record schema: one place that names the fields of a record and of its tables.

The pipeline builds records in `RECORD_FIELDS` order, the writers (`tables`) write those fields,
and the corpus tables (`corpus`) keep the columns listed here; all three import them from this
module, so a field is added or renamed once.
"""

from __future__ import annotations

META_FIELDS = ("outlet", "publisher", "author", "date", "language", "event_id", "url", "section",
               "length")  # fmt: skip
"""Article metadata a record carries as top-level fields (from metadata.yml, table columns or a
database export's section and length); any other scalar column of a table (e.g. `stance`,
`topic`) is kept in the record's `extra`."""

RECORD_FIELDS = (
    "id", "path", "format", *META_FIELDS, "extra", "inferred", "title", "byline", "dateline",
    "date_line", "source", "captions", "comments", "body", "paragraphs", "removed",
    "normalized", "warnings", "readability", "quotes", "terms", "duplicate_group",
    "duplicate_share",
)  # fmt: skip
"""Keys of an article record, in output order (documented in the README's schema section)."""

ARTICLE_COLUMNS = ("id", "outlet", "publisher", "author", "date", "language", "event_id",
                   "title", "byline", "dateline", "source")  # fmt: skip
"""Per-article metadata columns of `tables.articles_frame`."""

QUOTE_COLUMNS = ("kind", "text", "start", "end", "speaker", "speaker_title", "speaker_role",
                 "speaker_type", "speaker_id", "speaker_mention", "speaker_start", "speaker_end",
                 "cue", "side", "location")  # fmt: skip
"""Fields of one quote in a record (`tables.quotes_frame` adds its article's id and outlet)."""

TERM_COLUMNS = ("category", "term", "matched", "start", "end", "location", "voice", "speaker",
                "side", "in_quote_marks", "scare")  # fmt: skip
"""Fields of one lexicon match in a record (`tables.terms_frame` adds id and outlet)."""

VOICES = ("headline", "authorial", "quoted")
"""Who a matched term is in the voice of: the title, the outlet's own words, a quotation."""

GROUP_FIELDS = ("outlet", "publisher", "author", "language", "event_id")
"""Record metadata a corpus can be grouped by."""

UNDATED = "(undated)"
UNKNOWN = "(unknown)"
UNASSIGNED = "(unassigned)"
PLACEHOLDERS = frozenset({UNDATED, UNKNOWN, UNASSIGNED})
"""Labels of rows whose period, group or side is missing; they sort after real values."""
