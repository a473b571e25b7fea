"""Term usage by voice: every lexicon match, and whose words it is in.

The voice split is the point of the measure: "reintegration" in Baku's mouth (quoted), in the
outlet's own words (authorial) and in the headline are three different framings, and a term the
outlet puts in scare quotes is its own word held at arm's length (authorial, ``scare=True``).

Voice rules, for a match at ``[start, end)``:

- in the title: ``headline``;
- inside a ``direct`` or ``block`` quotation, or inside the quotation marks of a ``partial`` or
  ``mixed`` one: ``quoted``, with the innermost such quotation's speaker and side. The words of
  a mixed quotation outside its marks ("Harutyunyan said the leaders need to “soberly assess”
  the situation") are the outlet's paraphrase;
- otherwise ``authorial``. Indirect speech and "according to" paraphrase the speaker in the
  outlet's words, so terms there are authorial.

``in_quote_marks`` is read from the text itself: the match lies between an opening quotation
mark and its closing mark (“…”, "…", ‘…’, «…», '…'), pairs never spanning a paragraph break and
an unclosed mark running to the end of its paragraph (the convention of multi-paragraph
quotes). Apostrophes ("Karabakh’s", "peacekeepers’ ", "‘90s") are not quotation marks: a
single mark left open is dropped. ``scare`` is true inside a ``scare`` quotation.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from research_kit.lexicon import Lexicon
from research_kit.quotes import Quote

Voice = Literal["headline", "authorial", "quoted"]

WHOLLY_VERBATIM = frozenset({"direct", "block"})
MARKED_VERBATIM = frozenset({"partial", "mixed"})
# opening mark -> closing mark; straight quotes close themselves
_PAIRS = {
    "“": "”", "„": "“", "«": "»", "‹": "›", "‘": "’", "「": "」", "『": "』", '"': '"', "'": "'",
}
_CLOSERS = frozenset(_PAIRS.values())
_SINGLE = frozenset("‘'‹")  # also apostrophes ("‘90s"), so never left open
_MARK = re.compile("[\n" + "".join(sorted(set(_PAIRS) | _CLOSERS)) + "]")


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One occurrence of a lexicon term; offsets index ``body`` (or the title)."""

    category: str
    term: str
    matched: str
    start: int
    end: int
    location: Literal["body", "title"]
    voice: Voice
    speaker: str | None = None
    side: str | None = None
    in_quote_marks: bool = False
    scare: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (all immutable, so no deep copy: `asdict` cost 6% of a run)."""
        return {name: getattr(self, name) for name in self.__slots__}


def match_terms(
    body: str,
    lexicon: Lexicon,
    quotes: Sequence[Quote] = (),
    title: str | None = None,
) -> list[TermMatch]:
    """All lexicon matches in ``title`` then ``body``, each with its voice.

    ``quotes`` carry their own ``location``: title quotes qualify title matches, body quotes
    body matches. A quote's ``side`` is used when set, else looked up in the lexicon's actors.
    """
    matches: list[TermMatch] = []
    for location, text in (("title", title), ("body", body)):
        if not text:
            continue
        found = list(lexicon.scan(text))
        if not found:
            continue
        spans = [q for q in quotes if q.location == location]
        regions = quoted_regions(text)
        matches.extend(
            _classify(text, location, category, term, start, end, spans, regions, lexicon)
            for category, start, end, term in found
        )
    return matches


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each stretch between a quotation mark and its closing mark."""
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _MARK.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "\n":
            regions.extend(_unclosed(stack, i))
            stack.clear()
            continue
        depth = next((k for k in range(len(stack) - 1, -1, -1) if _PAIRS[stack[k][0]] == ch), None)
        if depth is not None and _closes(text, i):
            regions.append((stack[depth][1], i + 1))
            del stack[depth:]  # an inner mark left open was an apostrophe or a typo
        elif ch in _PAIRS and _opens(text, i):
            stack.append((ch, i))
    regions.extend(_unclosed(stack, len(text)))
    return regions


def _unclosed(stack: list[tuple[str, int]], end: int) -> list[tuple[int, int]]:
    """Open double marks run to the paragraph's end; an open single one was an apostrophe."""
    return [(start, end) for mark, start in stack if mark not in _SINGLE]


def _opens(text: str, i: int) -> bool:
    """A single quote opens only at the start of a word (not inside "don't" or "Karabakh’s")."""
    if text[i] not in "'‘":
        return True
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (before.isalnum() or before == "_") and (after.isalnum() or after == "_")


def _closes(text: str, i: int) -> bool:
    """A single quote followed by a letter is an apostrophe ("Karabakh’s"), not a closer."""
    if text[i] not in "'’":
        return True
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (after.isalnum() or after == "_")


def _classify(
    text: str,
    location: Literal["body", "title"],
    category: str,
    term: str,
    start: int,
    end: int,
    quotes: Sequence[Quote],
    regions: Sequence[tuple[int, int]],
    lexicon: Lexicon,
) -> TermMatch:
    marked = any(a <= start and end <= b for a, b in regions)
    around = [q for q in quotes if q.start <= start and end <= q.end]
    verbatim = min(
        (
            q
            for q in around
            if q.kind in WHOLLY_VERBATIM or (q.kind in MARKED_VERBATIM and marked)
        ),
        key=lambda q: q.end - q.start,
        default=None,
    )
    speaker = side = None
    voice: Voice
    if location == "title":
        voice = "headline"
    elif verbatim is not None:
        voice, speaker = "quoted", verbatim.speaker
        side = verbatim.side or _side(verbatim, lexicon)
    else:
        voice = "authorial"
    return TermMatch(
        category=category,
        term=term,
        matched=text[start:end],
        start=start,
        end=end,
        location=location,
        voice=voice,
        speaker=speaker,
        side=side,
        in_quote_marks=marked,
        scare=any(q.kind == "scare" for q in around),
    )


def assign_sides(quotes: Iterable[Quote], lexicon: Lexicon) -> list[Quote]:
    """Quotes with ``side`` filled from the lexicon's actor map (speaker, else the mention).

    A quote whose speaker matches no actor keeps the side it had.
    """
    out = []
    for q in quotes:
        side = _side(q, lexicon)
        out.append(dataclasses.replace(q, side=side) if side and side != q.side else q)
    return out


def _side(quote: Quote, lexicon: Lexicon) -> str | None:
    return lexicon.side_of(quote.speaker) or lexicon.side_of(quote.speaker_mention)


def scare_quotes(quotes: Iterable[Quote]) -> list[Quote]:
    """The scare quotes: terms the outlet (or a headline) holds at arm's length."""
    return [q for q in quotes if q.kind == "scare"]
