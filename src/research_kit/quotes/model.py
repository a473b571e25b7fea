"""The records of quote attribution: ``Quote``, the contract every consumer reads, and ``Found``,
an attribution still being assembled (kinds and speakers are settled last, in ``extract``).

Both are frozen: a stage that refines another's output (more parts, a shared subject) returns a
new value, so no stage sees its results changed behind its back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

QuoteKind = Literal["direct", "partial", "mixed", "indirect", "according_to", "block", "scare"]
SpeakerType = Literal["person", "organization", "document", "anonymous", "unresolved"]


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation or reported statement; offsets index the text it was found in.

    ``text`` is always ``source[start:end]``. An interrupted quotation (``"…," he said. "…"``) is
    one statement: ``parts`` then lists the quoted pieces and ``start..end`` spans them all.
    ``cue_start``/``cue_end`` locate ``cue`` (None for quotes that continue a previous speaker).
    ``speaker`` is the fullest name the text gives (titles in ``speaker_title``, an apposition in
    ``speaker_role``); ``speaker_type`` is None for scare quotes, ``unresolved`` when no entity
    was found; ``speaker_id`` names the entity across a corpus (``research_kit.entities``).
    """

    kind: QuoteKind
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_title: str | None = None
    speaker_role: str | None = None
    speaker_type: SpeakerType | None = None
    speaker_id: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    side: str | None = None
    location: Literal["body", "title"] = "body"
    cue_start: int | None = None
    cue_end: int | None = None
    parts: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (all immutable, so no deep copy: `asdict` cost 6% of a run)."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class Found:
    """An attribution before kinds and speakers are settled."""

    parts: tuple[tuple[int, int], ...]
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    mention: tuple[int, int] | None
    block: bool = False
    according: bool = False
    continues: Found | None = None
    shared_subject: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(self.parts))  # stages build them as lists

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]
