"""Term usage by voice, on hand-made texts (the seed findings are in test_seed_findings)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from research_kit.lexicon import load_lexicon
from research_kit.quotes import Layout, Quote, extract_quotes, load_rules, quoted_spans
from research_kit.terms import (
    assign_sides,
    match_terms,
    scare_quotes,
)

# --- voice rules on hand-made text ------------------------------------------------------------


def test_nested_overlaps_label_and_name() -> None:
    body = "the de facto Nagorno-Karabakh Republic authorities"
    got = [(m.category, m.term) for m in match_terms(body, load_lexicon())]
    assert ("legitimacy_labels", "de facto") in got
    assert ("place_names", "Nagorno-Karabakh") in got
    assert ("place_names", "Karabakh") not in got  # inside the longer name


def test_voices_and_flags() -> None:
    lex = load_lexicon()
    body = (
        'Aliyev spoke of "reintegration". Baku wants reintegration, the outlet wrote. '
        "He called it the so-called ‘separatist’ regime. "
        "Analysts said the reintegration plan was “a ‘regime’ tactic”, and Baku denied it."
    )
    sent = body.index("Analysts")
    quotes = [
        Quote("partial", '"reintegration"', body.index('"re'), body.index('".') + 1,
              speaker="Ilham Aliyev"),
        Quote("scare", "‘separatist’", body.index("‘sep"), body.index("’ regime") + 1),
        Quote("indirect", "the reintegration plan was", sent, body.index("“a")),
        Quote("direct", "“a ‘regime’ tactic”", body.index("“a"), body.index("”,") + 1,
              speaker="analysts"),
        Quote("scare", "‘regime’", body.index("‘regime’"), body.index("‘regime’") + 8),
    ]
    got = [
        (m.term, m.voice, m.speaker, m.side, m.in_quote_marks, m.scare)
        for m in match_terms(body, lex, quotes, title="‘Reintegration’ plan")
        if m.category in ("baku_framing", "legitimacy_labels")
    ]
    assert got == [
        ("reintegration", "headline", None, None, True, False),  # marks, but no scare quote given
        ("reintegration", "quoted", "Ilham Aliyev", "azerbaijani_government", True, False),
        ("reintegration", "authorial", None, None, False, False),
        ("so-called", "authorial", None, None, False, False),
        ("separatist", "authorial", None, None, True, True),
        ("regime", "authorial", None, None, False, False),
        ("reintegration", "authorial", None, None, False, False),  # indirect speech
        ("regime", "quoted", "analysts", None, True, True),  # a scare quote inside a quote
    ]


def test_mixed_quote_paraphrase_is_authorial_its_marked_words_quoted() -> None:
    body = (
        "An official readout said the talks focused on the Karabakh Armenians’ “integration "
        "into Azerbaijan” and the Lachin road."
    )
    mixed = Quote("mixed", body[body.index("the talks"):-1], body.index("the talks"),
                  len(body) - 1, speaker="An official Azerbaijani readout")
    got = [(m.term, m.voice, m.side, m.in_quote_marks)
           for m in match_terms(body, load_lexicon(), [mixed])]
    assert got == [
        ("Karabakh Armenians", "authorial", None, False),
        ("Karabakh", "authorial", None, False),
        ("integration into Azerbaijan", "quoted", "azerbaijani_government", True),
        ("Lachin road", "authorial", None, False),
    ]


def test_in_quote_marks_uses_the_extractors_pairing() -> None:
    """One answer to "inside quotation marks": the term matcher reads the quote stages' spans."""
    lex = load_lexicon()

    def marked(text: str) -> list[tuple[str, bool]]:
        return [(m.matched, m.in_quote_marks) for m in match_terms(text, lex)]

    # apostrophes are no marks; nested single quotes sit inside their host
    assert marked("“a ‘regime’ tactic” and Karabakh’s regime") == [
        ("regime", True), ("Karabakh", False), ("regime", False)
    ]
    assert marked("the 'Reintegration' talks, the peacekeepers' regime") == [
        ("Reintegration", True), ("regime", False)
    ]
    # a quotation whose first paragraph is not closed continues where the next one reopens it
    text = "“the regime must go.\n\n“The regime,” he said. Then the regime fell."
    assert [text[s.start : s.end] for s in quoted_spans(text)] == [
        "“the regime must go.\n\n“The regime,”"
    ]
    assert marked(text) == [("regime", True), ("regime", True), ("regime", False)]
    # a stray mark runs to its paragraph's end, never past it
    assert marked('a "stray regime\n\nnext regime') == [("regime", True), ("regime", False)]
    assert marked("in the ‘90s the “de facto” regime") == [("de facto", True), ("regime", False)]


def test_match_terms_reuses_the_layout_of_the_quote_stage() -> None:
    body = "“The regime must go,” he said, calling it a regime."
    layout = Layout(body, load_rules())
    quotes = extract_quotes(layout)
    assert quotes == extract_quotes(body)
    assert match_terms(layout, load_lexicon(), quotes) == match_terms(body, load_lexicon(), quotes)


def test_in_quote_marks_without_any_quote_spans() -> None:
    body = 'Baku offered “reintegration”; the so-called "eco-activists" blocked the road.'
    got = {m.term: (m.voice, m.in_quote_marks) for m in match_terms(body, load_lexicon())}
    assert got == {
        "reintegration": ("authorial", True),
        "so-called": ("authorial", False),
        "eco-activists": ("authorial", True),
        "blocked": ("authorial", False),
    }


def test_in_quote_marks_when_span_excludes_the_marks() -> None:
    body = "He demanded an “internationally recognised format” again."
    inner = body.index("internationally")
    quote = Quote("partial", "internationally recognised format", inner, body.index("”"))
    [m] = match_terms(body, load_lexicon(), [quote])
    assert m.in_quote_marks and m.voice == "quoted"


def test_title_quotes_only_qualify_title_matches() -> None:
    title = "‘Regime’ talks"
    body = "Regime talks."
    quotes = [Quote("scare", "‘Regime’", 0, 8, location="title")]
    got = [(m.location, m.scare) for m in match_terms(body, load_lexicon(), quotes, title=title)]
    assert got == [("title", True), ("body", False)]


def test_assign_sides_and_scare_quotes() -> None:
    lex = load_lexicon()
    quotes = [
        Quote("direct", "“x”", 0, 3, speaker="Ilham Aliyev"),
        Quote("direct", "“y”", 4, 7, speaker=None, speaker_mention="a Karabakh official"),
        Quote("direct", "“z”", 8, 11, speaker="a passer-by", side="other"),
        Quote("scare", "‘w’", 12, 15),
    ]
    sided = assign_sides(quotes, lex)
    assert [q.side for q in sided] == [
        "azerbaijani_government", "karabakh_armenian_authorities", "other", None
    ]
    assert quotes[0].side is None  # inputs are not mutated
    assert scare_quotes(sided) == [quotes[3]]


# --- fuzz ----------------------------------------------------------------------------------------

_news_alphabet = st.sampled_from(
    [*"aeiou stdrnk-–—'’‘“”\"«»\n.,", "de facto", "Nagorno-Karabakh", "regime", "ß", "İ"]
)


@settings(max_examples=200, deadline=None)
@given(
    body=st.one_of(st.text(), st.lists(_news_alphabet).map("".join)),
    title=st.one_of(st.none(), st.text(max_size=40)),
    spans=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200),
                             st.sampled_from(["direct", "scare", "indirect", "block"]))),
)
def test_match_terms_never_crashes_and_offsets_are_valid(
    body: str, title: str | None, spans: list[tuple[int, int, str]]
) -> None:
    quotes = [Quote(kind, "", min(a, b), max(a, b)) for a, b, kind in spans]  # type: ignore[arg-type]
    for m in match_terms(body, load_lexicon(), quotes, title=title):
        text = title if m.location == "title" else body
        assert text is not None
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.matched
        assert m.voice in ("headline", "authorial", "quoted")
