"""Keyword in context: every occurrence of a lexicon concept or a regex, with its context.

A concordance is how a reader checks what a count means ("regime" as a label, or "ceasefire
regime"?), so it uses the same compiled lexicon, exclusions and longest-match rule as the
framing counts.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping

import pandas as pd

from research_kit.lexicon import Lexicon, load_lexicon

COLUMNS = ["doc_id", "start", "end", "left", "match", "right", "pattern"]
_WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


def kwic(
    texts: Mapping[str, str],
    pattern: str | re.Pattern[str],
    window: int = 5,
    lexicon: Lexicon | None = None,
    case_insensitive: bool = True,
) -> pd.DataFrame:
    """One row per match: ``doc_id, start, end, left, match, right, pattern``.

    ``pattern`` is a term name of ``lexicon`` (default: the shipped one), meaning all the
    term's variants (e.g. "international negotiation format"); else a regular expression
    (case-insensitive unless ``case_insensitive=False`` or a compiled pattern is given).
    ``window`` counts words and punctuation marks on each side, as quanteda does; the contexts
    have whitespace runs collapsed, ``match`` is the text exactly, and ``start``/``end`` index
    the document.
    """
    if window < 0:
        raise ValueError(f"window must be >= 0, not {window}")
    find = _finder(pattern, lexicon, case_insensitive)
    label = pattern if isinstance(pattern, str) else pattern.pattern
    rows = []
    for doc_id, text in texts.items():
        starts = ends = None
        for start, end in find(text):
            if starts is None:
                spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
                starts, ends = [s for s, _ in spans], [e for _, e in spans]
            left_i = max(bisect.bisect_right(ends, start) - window, 0)
            right_i = bisect.bisect_left(starts, end) + window
            left = text[starts[left_i] : start] if left_i < len(starts) else ""
            right = text[end : ends[right_i - 1]] if right_i - 1 < len(ends) else text[end:]
            rows.append((doc_id, start, end, _squash(left), text[start:end], _squash(right),
                         label))
    return pd.DataFrame(rows, columns=COLUMNS)


Finder = Callable[[str], Iterator[tuple[int, int]]]


def _finder(
    pattern: str | re.Pattern[str], lexicon: Lexicon | None, case_insensitive: bool
) -> Finder:
    if isinstance(pattern, str) and lexicon is None:
        lexicon = load_lexicon()
    if isinstance(pattern, str) and lexicon is not None and lexicon.term(pattern) is not None:
        matcher = lexicon.term_matcher(pattern)

        def find_term(text: str) -> Iterator[tuple[int, int]]:
            for _, start, end, _ in matcher.finditer(text):
                yield start, end

        return find_term
    regex = (
        pattern
        if isinstance(pattern, re.Pattern)
        else re.compile(pattern, re.IGNORECASE if case_insensitive else 0)
    )

    def find_regex(text: str) -> Iterator[tuple[int, int]]:
        for m in regex.finditer(text):
            if m.end() > m.start():  # an empty match has no keyword to show
                yield m.start(), m.end()

    return find_regex


def _squash(text: str) -> str:
    return " ".join(text.split())
