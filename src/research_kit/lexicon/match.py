"""Matching a compiled lexicon: one pass over a text serves every category.

Literal variants are filed by the first three letters they can start with; a trie regex of those
keys finds the candidate word starts in C, and only the variants filed under a word's key are
tried there, anchored. User patterns run on RE2 (linear time): each is searched through the text
from word start to word start, so it costs one scan of the text, not one call per word.

Within a group (a category, or the actors) matches never overlap: the leftmost match wins and,
among matches starting at the same place, the longest; ties go to the alternative listed first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import re2

from research_kit.lexicon.schema import Category, Side, Term
from research_kit.user_regex import Utf8Text, user_regex_options

_WORD_START = re.compile(r"(?<!\w)\w{1,3}")
_IS_WORD_START = re.compile(r"(?<!\w)\w")
# IGNORECASE treats these as equal to their ASCII look-alikes; keys must be as loose.
_FOLD = str.maketrans({"ı": "i", "\u0307": None, "ſ": "s", "ς": "σ"})


def fold(prefix: str) -> str:
    """Dictionary key of a word's first letters, as loose as the regex engine's IGNORECASE."""
    return prefix.lower().translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Alternative:
    """One variant (a ``re`` pattern filed under ``keys``) or user pattern (RE2, ``keys`` None).

    A user pattern is compiled as ``(pattern)(?:[^\\pL\\pN_]|\\z)``: group 1 is the match, the
    rest stands in for the lookahead ``(?!\\w)`` RE2 does not have.
    """

    group: str  # category (or side) whose matches must not overlap
    label: str | None  # term or side name; None for an exclusion, which only blocks
    regex: Any  # re.Pattern for a variant, an RE2 regex for a user pattern
    keys: frozenset[str] | None  # folded first three letters a variant can start with


class Matcher:
    """Leftmost-longest, non-overlapping (per group) matching of many alternatives."""

    def __init__(self, alternatives: list[Alternative]) -> None:
        self._by_key: dict[str, list[tuple[int, Alternative]]] = {}
        self._scanned: list[tuple[int, Alternative]] = []
        for order, alt in enumerate(alternatives):
            if alt.keys is None:
                self._scanned.append((order, alt))
            for key in alt.keys or ():
                self._by_key.setdefault(key, []).append((order, alt))
        self._starts = (
            re.compile(rf"(?<!\w)(?i:{_trie(sorted(self._by_key))})") if self._by_key else None
        )
        self._set: Any = None  # built on first use: RE2 sets do not pickle (worker processes)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_set": None}

    def _patterns_in(self, encoded: Utf8Text) -> list[tuple[int, Alternative]]:
        """The user patterns that match somewhere in the text: one RE2 pass for all of them."""
        if self._set is None:
            self._set = re2.Set.SearchSet(user_regex_options())
            for _, alt in self._scanned:
                self._set.Add(alt.regex.pattern)
            self._set.Compile()
        return [self._scanned[i] for i in sorted(self._set.Match(encoded.data) or ())]

    def finditer(self, text: str) -> Iterator[tuple[str, int, int, str]]:
        """Yield ``(group, start, end, label)`` in order of ``start``."""
        found: list[tuple[int, int, int, str, str | None]] = []
        if self._starts is not None:
            for word in self._starts.finditer(text):
                start = word.start()
                key = _WORD_START.match(text, start).group().lower()  # type: ignore[union-attr]
                for order, alt in self._by_key.get(key if key.isascii() else fold(key), ()):
                    m = alt.regex.match(text, start)
                    if m:
                        found.append((start, -m.end(), order, alt.group, alt.label))
        if self._scanned:
            encoded = Utf8Text(text)
            for order, alt in self._patterns_in(encoded):
                found.extend((start, -end, order, alt.group, alt.label)
                             for start, end in _word_start_matches(alt.regex, encoded))
        found.sort()
        last_end: dict[str, int] = {}
        for start, neg_end, _, group, label in found:
            if start < last_end.get(group, 0):
                continue
            last_end[group] = -neg_end
            if label is not None:
                yield group, start, -neg_end, label


def _word_start_matches(regex: Any, encoded: Utf8Text) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of the match of ``regex`` at each word start where it matches.

    RE2's search finds the leftmost start at or after a position, and there the match an
    anchored attempt would find; searching again from the next word start after it visits every
    word start that has a match, scanning the text about once.
    """
    text, data = encoded.text, encoded.data
    pos = 0
    while True:
        m = regex.search(data, pos)
        if m is None:
            return
        start = encoded.char_offset(m.start())
        if _IS_WORD_START.match(text, start):
            yield start, encoded.char_offset(m.end(1))
        following = _IS_WORD_START.search(text, start + 1)
        if following is None:
            return
        pos = encoded.byte_offset(following.start())


def _trie(keys: list[str], depth: int = 0) -> str:
    """A regex for exactly the keys; a key shorter than three letters must end its word."""
    branches = []
    for first in sorted({k[0] for k in keys}):
        rest = [k[1:] for k in keys if k[0] == first]
        options = [_trie([r for r in rest if r], depth + 1)] if any(rest) else []
        if "" in rest and depth < 2:
            options.append(r"(?!\w)")
        branches.append(re.escape(first) + (f"(?:{'|'.join(options)})" if options else ""))
    return "|".join(branches)


@dataclass(frozen=True)
class Lexicon:
    """A validated, compiled lexicon; build it with :func:`load_lexicon`."""

    name: str
    path: str
    sha256: str
    description: str | None
    categories: tuple[Category, ...]
    sides: tuple[Side, ...]
    _matcher: Matcher = field(repr=False, compare=False)
    _actors: Matcher = field(repr=False, compare=False)
    _terms: Mapping[str, Term] = field(repr=False, compare=False)
    _alternatives: Mapping[str, tuple[Alternative, ...]] = field(repr=False, compare=False)
    _term_matchers: dict[str, Matcher] = field(default_factory=dict, repr=False, compare=False)

    def scan(self, text: str) -> Iterator[tuple[str, int, int, str]]:
        """Yield ``(category, start, end, term)`` for every match, in order of ``start``."""
        return self._matcher.finditer(text)

    def term(self, name: str) -> Term | None:
        """The term called ``name`` (exact, else case-insensitive), or None."""
        found = self._terms.get(name)
        if found is None:
            folded = name.casefold()
            found = next((t for n, t in self._terms.items() if n.casefold() == folded), None)
        return found

    def term_matcher(self, name: str) -> Matcher:
        """A matcher for one term (with its exclusions), for concordances of a concept."""
        term = self.term(name)
        if term is None:
            raise KeyError(name)
        if term.name not in self._term_matchers:
            self._term_matchers[term.name] = Matcher(list(self._alternatives[term.name]))
        return self._term_matchers[term.name]

    def side_of(self, speaker: str | None) -> str | None:
        """The side whose actor names match ``speaker`` (the longest match wins)."""
        span = self.actor_span(speaker)
        return span[2] if span else None

    def actor_span(self, speaker: str | None) -> tuple[int, int, str] | None:
        """Where the longest actor name in ``speaker`` starts and ends, and its side."""
        if not speaker:
            return None
        best: tuple[int, int, str] | None = None
        for _, start, end, side in self._actors.finditer(speaker):
            if best is None or end - start > best[1] - best[0]:
                best = (start, end, side)
        return best
