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

``in_quote_marks`` is read from the text's one quotation-mark pairing
(:func:`research_kit.quotes.quoted_spans`, the same spans the quote extractor works from): the
match lies inside an outermost pair of quotation marks. ``scare`` is true inside a ``scare``
quotation.

Every lookup is a bisect or a sweep over sorted spans, so a text with ``m`` matches and ``q``
quotes costs ``O((m + q) log q)`` beyond the lexicon scan.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from research_kit.lexicon import Lexicon
from research_kit.quotes import Layout, Quote, Span, quoted_spans

Voice = Literal["headline", "authorial", "quoted"]

WHOLLY_VERBATIM = frozenset({"direct", "block"})
MARKED_VERBATIM = frozenset({"partial", "mixed"})


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
    body: str | Layout,
    lexicon: Lexicon,
    quotes: Sequence[Quote] = (),
    title: str | Layout | None = None,
) -> list[TermMatch]:
    """All lexicon matches in ``title`` then ``body``, each with its voice.

    ``body`` and ``title`` are texts or the :class:`~research_kit.quotes.Layout` the quotes were
    extracted from (then its quotation marks are not paired again). ``quotes`` carry their own
    ``location``: title quotes qualify title matches, body quotes body matches. A quote's
    ``side`` is used when set, else looked up in the lexicon's actors.
    """
    matches: list[TermMatch] = []
    location: Literal["body", "title"]
    for location, given in (("title", title), ("body", body)):
        text = given.text if isinstance(given, Layout) else given
        if not text:
            continue
        found = list(lexicon.scan(text))
        if not found:
            continue
        marks = given.quotes if isinstance(given, Layout) else quoted_spans(text)
        matches.extend(
            _classify(text, location, found, [q for q in quotes if q.location == location],
                      marks, lexicon)
        )
    return matches


class _Shortest:
    """The shortest interval enclosing a query, among intervals added so far, in ``O(log n)``.

    Intervals are added in order of start and queried in order of start, so every added one
    starts at or before the query; it encloses the query when it also ends at or after the
    query's end. A Fenwick tree over the ends (largest first) keeps the least key
    ``(length, index)`` of each range of ends, which makes "ends at or after" a prefix query.
    """

    def __init__(self, ends: Iterable[int]) -> None:
        self.ends = sorted(set(ends))
        self.tree: list[tuple[int, int] | None] = [None] * (len(self.ends) + 1)

    def _prefix(self, end: int) -> int:
        """How many distinct ends are at or after ``end``."""
        return len(self.ends) - bisect_left(self.ends, end)

    def add(self, start: int, end: int, index: int) -> None:
        key = (end - start, index)
        i = self._prefix(end)
        while i < len(self.tree):
            best = self.tree[i]
            if best is None or key < best:
                self.tree[i] = key
            i += i & -i

    def shortest(self, end: int) -> int | None:
        """Index of the shortest added interval ending at or after ``end`` (ties: lowest)."""
        best: tuple[int, int] | None = None
        i = self._prefix(end)
        while i > 0:
            key = self.tree[i]
            if key is not None and (best is None or key < best):
                best = key
            i -= i & -i
        return None if best is None else best[1]


def _classify(
    text: str,
    location: Literal["body", "title"],
    found: list[tuple[str, int, int, str]],
    quotes: Sequence[Quote],
    marks: Sequence[Span],
    lexicon: Lexicon,
) -> list[TermMatch]:
    """The voice of every match, sweeping matches and quotes in order of start."""
    wholly, marked, scare = (_Shortest(q.end for q in quotes) for _ in range(3))
    pending = sorted(range(len(quotes)), key=lambda i: quotes[i].start)
    mark_starts = [m.start for m in marks]
    out: list[TermMatch | None] = [None] * len(found)
    k = 0
    for n in sorted(range(len(found)), key=lambda n: found[n][1]):
        category, start, end, term = found[n]
        while k < len(pending) and quotes[pending[k]].start <= start:
            q = quotes[pending[k]]
            tree = wholly if q.kind in WHOLLY_VERBATIM else marked if q.kind in MARKED_VERBATIM \
                else scare if q.kind == "scare" else None
            if tree is not None:
                tree.add(q.start, q.end, pending[k])
            k += 1
        i = bisect_right(mark_starts, start) - 1
        in_marks = i >= 0 and end <= marks[i].end
        candidates = [wholly.shortest(end), marked.shortest(end) if in_marks else None]
        keys = [(quotes[c].end - quotes[c].start, c) for c in candidates if c is not None]
        verbatim = quotes[min(keys)[1]] if keys else None
        speaker = side = None
        voice: Voice
        if location == "title":
            voice = "headline"
        elif verbatim is not None:
            voice, speaker = "quoted", verbatim.speaker
            side = verbatim.side or _side(verbatim, lexicon)
        else:
            voice = "authorial"
        out[n] = TermMatch(
            category=category,
            term=term,
            matched=text[start:end],
            start=start,
            end=end,
            location=location,
            voice=voice,
            speaker=speaker,
            side=side,
            in_quote_marks=in_marks,
            scare=scare.shortest(end) is not None,
        )
    return [m for m in out if m is not None]


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
