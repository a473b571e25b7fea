"""Readability equals textstat's own figures, and works with no network."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import textstat
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import COMMONSPACE, MIRROR, seed_text, shared_path
from research_kit.readability import TEXTSTAT_FUNCTIONS, textstat_readability, word_caches

NEWS = (
    "Azerbaijani President Ilham Aliyev’s office made the offer on March 27 two days after "
    "Azerbaijani troops seized a hill overlooking a dirt road. The authorities in Stepanakert "
    "accused Baku of violating the Russian-brokered ceasefire that stopped the 2020 war.\n\n"
    "Invitation rejected by de facto authorities\n\n"
    "“After the negotiations are over, we will decide,” he told RFE/RL’s Armenian Service. "
    "The U.S. said it was concerned. Prices rose 3.5 percent."
)

TEXTSTAT = {key: getattr(textstat, name) for key, name in TEXTSTAT_FUNCTIONS.items()}


def assert_equals_textstat(text: str) -> dict[str, float | int]:
    got = textstat_readability(text)
    assert set(got) == set(TEXTSTAT)
    for key, fn in TEXTSTAT.items():
        assert got[key] == fn(text), key
    return got


def test_equals_textstat_on_news_text() -> None:
    got = assert_equals_textstat(NEWS)
    assert got["words"] > 60 and got["syllables"] > got["words"]


def test_documented_quirks() -> None:
    # fragments of two words or fewer are not sentences; a paragraph break is no boundary
    assert textstat_readability("The U.S. said no. Prices rose.")["sentences"] == 1
    assert textstat_readability("Crosshead here\n\nThe talks failed again today.")[
        "sentences"
    ] == 1
    # hyphenated names are one word; a curly apostrophe is deleted, not split on
    assert textstat_readability("Nagorno-Karabakh’s leaders")["words"] == 2
    assert textstat_readability("")["flesch_reading_ease"] == 0.0


OFFLINE = textwrap.dedent(
    """
    import socket, sys
    import nltk

    def refuse(*args, **kwargs):
        raise RuntimeError("network used")

    nltk.download = refuse
    socket.socket.connect = refuse
    socket.create_connection = refuse
    import textstat
    try:
        textstat.syllable_count("reintegration")
    except (LookupError, RuntimeError):
        pass  # as shipped, textstat needs the download: the condition is really offline
    else:
        sys.exit("textstat worked offline without research_kit: the test proves nothing")

    from research_kit.readability import textstat_readability
    text = sys.argv[1]
    got = textstat_readability(text)
    assert got["syllables"] == textstat.syllable_count(text) > 0, got
    assert got["flesch_reading_ease"] == textstat.flesch_reading_ease(text), got
    print("ok", got["syllables"])
    """
)


def test_works_offline_without_nltk_data(tmp_path: Path) -> None:
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    src = Path(__file__).resolve().parents[1] / "src"
    env = {
        **os.environ,
        "NLTK_DATA": str(empty),
        "HOME": str(tmp_path),  # nltk also searches ~/nltk_data
        "PYTHONPATH": os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")])),
    }
    run = subprocess.run(
        [sys.executable, "-c", OFFLINE, NEWS], env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    assert run.stdout.startswith("ok ")


NEWS_WORDS = (
    "The", "de", "facto", "authorities", "said", "negotiations", "with", "Baku", "are",
    "impossible", ".", "Karabakh’s", "officials", "insisted", "on", "internationally",
    "recognized", "talks", ";", "peacekeepers", "withdrew", "!", "Harutyunyan", "Stepanakert",
    "reintegration", "incomprehensibility", "a", "I", "3.5", "U.S.", "—",
    "İstanbul", "don't", "'tis", "rock'n'roll", "ǅ", "ﬁnance", "Straße", "12th", "_",
)  # the last row: words textstat lists differently from how it reads them alone


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(NEWS_WORDS) | st.text(max_size=8), max_size=300))
def test_word_caches_give_textstat_s_own_figures(words: list[str]) -> None:
    text = " ".join(words)
    assert textstat_readability(text) == {key: fn(text) for key, fn in TEXTSTAT.items()}


def test_word_caches_give_the_same_figures_on_the_seeds() -> None:
    for name in (MIRROR, COMMONSPACE):
        _, body = seed_text(name)
        assert textstat_readability(body) == {key: fn(body) for key, fn in TEXTSTAT.items()}


def _textstat_functions() -> list[object]:
    """The per-word functions textstat's modules look up, as they stand now."""
    from textstat.backend import counts
    from textstat.backend.counts import _count_monosyllable_words, _count_polysyllable_words
    from textstat.backend.metrics import _syllables_per_word
    from textstat.backend.selections import _list_difficult_words

    return [_count_monosyllable_words.count_syllables, _count_polysyllable_words.count_syllables,
            _list_difficult_words.is_difficult_word, counts.count_syllables,
            _syllables_per_word.count_syllables]


def test_a_plain_import_textstat_is_unaffected() -> None:
    from textstat.backend.counts._count_syllables import count_syllables
    from textstat.backend.validations._is_difficult_word import is_difficult_word

    import research_kit  # noqa: F401  (importing the package patches nothing)

    shipped = [count_syllables, count_syllables, is_difficult_word, count_syllables,
               count_syllables]
    textstat_readability(NEWS)
    assert _textstat_functions() == shipped  # restored after the call
    assert count_syllables.cache_info().maxsize == 128  # textstat's own cache size
    with word_caches():
        assert _textstat_functions() != shipped
        with word_caches():  # nested: still in place
            pass
        assert _textstat_functions() != shipped
    assert _textstat_functions() == shipped
    try:
        with word_caches():
            raise KeyError("boom")
    except KeyError:
        pass
    assert _textstat_functions() == shipped


def test_threads_get_textstat_s_figures_and_leave_it_as_shipped() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [NEWS, NEWS.upper(), NEWS[:200], " ".join(NEWS_WORDS)] * 4
    with ThreadPoolExecutor(4) as pool:
        ours = list(pool.map(textstat_readability, texts))
        theirs = list(pool.map(lambda t: {k: f(t) for k, f in TEXTSTAT.items()}, texts))
    assert ours == theirs
    from textstat.backend.counts._count_syllables import count_syllables

    assert _textstat_functions()[0] is count_syllables


@pytest.mark.slow
def test_equals_textstat_on_every_development_article() -> None:
    data = shared_path("data")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import readability_check

    paths = readability_check.article_paths(data)
    assert len(paths) > 3000
    found, _, _ = readability_check.differences(readability_check.bodies(paths))
    assert found == []
