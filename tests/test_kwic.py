"""Concordances of lexicon concepts and regexes."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from research_kit.kwic import COLUMNS, kwic

DOCS = {
    "mirror": "A statement insisted on an “internationally recognized negotiation format” "
    "for discussing with Baku.",
    "commonspace": "Invitation rejected by de facto authorities, insisting on an\n\n"
    '"internationally established negotiation format". The ceasefire regime held; the Aliyev '
    "regime did not.",
    "empty": "",
}


def test_lexicon_concept_collects_all_its_wordings() -> None:
    out = kwic(DOCS, "international negotiation format", window=3)
    assert list(out.columns) == COLUMNS
    assert list(out.doc_id) == ["mirror", "commonspace"]
    assert list(out.match) == [
        "internationally recognized negotiation format",
        "internationally established negotiation format",
    ]
    # punctuation marks are tokens of the window, as in quanteda
    assert list(out.left) == ["on an “", 'on an "']
    assert list(out.right) == ["” for discussing", '". The']
    for row in out.itertuples():
        assert DOCS[row.doc_id][row.start : row.end] == row.match
    assert set(out.pattern) == {"international negotiation format"}


def test_concept_respects_exclusions_and_case_insensitive_name() -> None:
    out = kwic(DOCS, "Regime", window=1)
    assert list(out.match) == ["regime"]
    assert list(out.left) == ["Aliyev"]


def test_regex_pattern_and_window() -> None:
    out = kwic(DOCS, r"negotiation\s+\w+", window=0)
    assert list(out.match) == ["negotiation format", "negotiation format"]
    assert list(out.left) == ["", ""]
    compiled = kwic(DOCS, re.compile("BAKU"))  # a compiled pattern keeps its own flags
    assert compiled.empty
    assert len(kwic(DOCS, "BAKU")) == 1  # a string regex is case-insensitive by default
    assert kwic(DOCS, "BAKU", case_insensitive=False).empty


def test_no_match_gives_empty_frame_with_columns() -> None:
    out = kwic({"a": "nothing"}, "Stepanakert")
    assert out.empty and list(out.columns) == COLUMNS


@settings(max_examples=200, deadline=None)
@given(
    texts=st.dictionaries(st.text(max_size=5), st.text(), max_size=3),
    pattern=st.sampled_from(["de facto", "regime", r"\w+", "a|", r"\b", "[“”\"]", "Karabakh"]),
    window=st.integers(0, 8),
)
def test_kwic_never_crashes_and_offsets_are_valid(
    texts: dict[str, str], pattern: str, window: int
) -> None:
    out = kwic(texts, pattern, window=window)
    for row in out.itertuples():
        text = texts[row.doc_id]
        assert 0 <= row.start < row.end <= len(text)
        assert text[row.start : row.end] == row.match
        assert "\n" not in row.left and "\n" not in row.right
