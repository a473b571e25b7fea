"""Quote attribution: who is quoted, with which cue, directly or indirectly.

(Placeholder: the full extractor is being written; the dataclass is the contract.)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

QuoteKind = Literal["direct", "partial", "mixed", "indirect", "according_to", "block", "scare"]


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation or reported statement; offsets index the text it was found in."""

    kind: QuoteKind
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    side: str | None = None
    location: Literal["body", "title"] = "body"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def extract_quotes(text: str) -> list[Quote]:
    """Return the quotations and reported statements in ``text``, in order of ``start``."""
    raise NotImplementedError
