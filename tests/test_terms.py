"""Term usage by voice, on hand-made texts and on the two seed articles."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import COMMONSPACE, MIRROR, seed_text
from research_kit.lexicon import load_lexicon
from research_kit.quotes import Quote
from research_kit.terms import (
    TermMatch,
    assign_sides,
    match_terms,
    quoted_regions,
    scare_quotes,
)

_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|‘[^’]*’(?!\w)")


def quote_spans(
    text: str, location: str = "body", scare: frozenset[str] = frozenset(),
    speakers: dict[str, str] | None = None,
) -> list[Quote]:
    """A Quote for each pair of quotation marks (stand-in until extract_quotes exists).

    ``scare`` lists quoted texts (without marks) that are scare quotes; ``speakers`` maps
    the start of a quoted text to its speaker.
    """
    out = []
    for m in _QUOTED.finditer(text):
        inner = m.group()[1:-1]
        kind = "scare" if inner in scare else "direct"
        speaker = next((s for k, s in (speakers or {}).items() if inner.startswith(k)), None)
        out.append(Quote(kind, m.group(), m.start(), m.end(), speaker=None if kind == "scare"
                         else speaker, location=location))  # type: ignore[arg-type]
    return out


def seed_matches(path: str, speakers: dict[str, str], scare: frozenset[str] = frozenset()):
    title, body = seed_text(path)
    lex = load_lexicon()
    quotes = quote_spans(body, "body", scare, speakers) + quote_spans(title, "title", scare)
    quotes = assign_sides(quotes, lex)
    return title, body, quotes, match_terms(body, lex, quotes, title=title)


MIRROR_SPEAKERS = {
    "internationally recognized": "Karabakh Foreign Ministry",
    "integration into Azerbaijan": "An official Azerbaijani readout of the talks",
    "After the negotiations": "Artur Harutyunyan",
    "soberly assess": "Arayik Harutyunyan",
    "draw necessary": "Arayik Harutyunyan",
    "prudent steps": "Arayik Harutyunyan",
}
COMMONSPACE_SPEAKERS = {
    "As a follow-up": "Office of the President of the Republic of Azerbaijan",
    "representatives of the Armenian public": "Presidential Administration of Azerbaijan",
    "internationally established": "de facto Nagorno-Karabakh authorities",
    "the political issues": "de facto NKR authorities",
}


def counts(matches: list[TermMatch], **where: object) -> Counter[tuple[str, str]]:
    return Counter(
        (m.term, m.voice) for m in matches if all(getattr(m, k) == v for k, v in where.items())
    )


# --- the seeds: issue 4's "Done when" ---------------------------------------------------------


def test_seed_de_facto_only_in_commonspace_own_voice() -> None:
    *_, mirror = seed_matches(MIRROR, MIRROR_SPEAKERS)
    *_, commonspace = seed_matches(COMMONSPACE, COMMONSPACE_SPEAKERS)
    de_facto = [m for m in commonspace if m.term == "de facto"]
    assert len(de_facto) == 4
    assert {(m.voice, m.location, m.in_quote_marks, m.category) for m in de_facto} == {
        ("authorial", "body", False, "legitimacy_labels")
    }
    assert [m for m in mirror if m.term == "de facto"] == []


def test_seed_negotiation_format_is_one_concept_in_quote_marks() -> None:
    *_, mirror = seed_matches(MIRROR, MIRROR_SPEAKERS)
    _, body, _, commonspace = seed_matches(COMMONSPACE, COMMONSPACE_SPEAKERS)
    fmt_m = [m for m in mirror if m.term == "international negotiation format"]
    fmt_c = [m for m in commonspace if m.term == "international negotiation format"]
    assert [m.matched for m in fmt_m] == ["internationally recognized negotiation format"]
    assert [m.matched for m in fmt_c] == [
        "internationally established negotiation format",
        "agreed and internationally established negotiation format",
    ]
    for m in fmt_m + fmt_c:
        assert m.in_quote_marks and m.voice == "quoted" and not m.scare
        assert m.side == "karabakh_armenian_authorities"
    # the crosshead stays in the body: its "de facto" is the outlet's, its format a quote
    crosshead = next(p for p in body.split("\n\n") if p.startswith("Invitation rejected"))
    assert body.index(crosshead) < fmt_c[0].start < body.index(crosshead) + len(crosshead)


def test_seed_mirror_headline_reintegration_is_a_scare_quote() -> None:
    title, _, quotes, mirror = seed_matches(
        MIRROR, MIRROR_SPEAKERS, scare=frozenset({"Reintegration", "reintegration"})
    )
    headline = [m for m in mirror if m.location == "title" and m.term == "reintegration"]
    assert [(m.matched, m.voice, m.scare, m.in_quote_marks) for m in headline] == [
        ("Reintegration", "headline", True, True)
    ]
    assert title[headline[0].start : headline[0].end] == "Reintegration"
    lead = [m for m in mirror if m.location == "body" and m.term == "reintegration"]
    assert [(m.voice, m.scare, m.speaker) for m in lead] == [("authorial", True, None)]
    assert [q.text for q in scare_quotes(quotes)] == ["“reintegration”", "‘Reintegration’"]


def test_seed_integration_into_azerbaijan_is_baku_quoted() -> None:
    *_, mirror = seed_matches(MIRROR, MIRROR_SPEAKERS)
    [m] = [m for m in mirror if m.term == "integration into Azerbaijan"]
    assert (m.voice, m.side, m.in_quote_marks) == ("quoted", "azerbaijani_government", True)
    assert m.speaker == "An official Azerbaijani readout of the talks"


def test_seed_khojaly_versus_near_stepanakert() -> None:
    *_, mirror = seed_matches(MIRROR, MIRROR_SPEAKERS)
    *_, commonspace = seed_matches(COMMONSPACE, COMMONSPACE_SPEAKERS)
    hq_m = counts(mirror, category="peacekeeper_hq")
    hq_c = counts(commonspace, category="peacekeeper_hq")
    assert hq_m == Counter({("near Stepanakert", "authorial"): 1})
    assert hq_c == Counter({("Khojaly", "quoted"): 1, ("Khojaly", "authorial"): 1})
    [quoted] = [m for m in commonspace if m.term == "Khojaly" and m.voice == "quoted"]
    assert quoted.side == "azerbaijani_government"  # the invitation's own wording


def test_seed_offsets_index_body_and_title() -> None:
    for path, speakers in ((MIRROR, MIRROR_SPEAKERS), (COMMONSPACE, COMMONSPACE_SPEAKERS)):
        title, body, _, matches = seed_matches(path, speakers)
        for m in matches:
            text = title if m.location == "title" else body
            assert text[m.start : m.end] == m.matched


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


def test_quoted_regions_pair_marks_and_skip_apostrophes() -> None:
    def regions(text: str) -> list[str]:
        return [text[a:b] for a, b in quoted_regions(text)]

    assert regions("“a ‘regime’ tactic” and Karabakh’s peacekeepers’ HQ") == [
        "‘regime’", "“a ‘regime’ tactic”"
    ]
    assert regions("the 'Reintegration' talks, the peacekeepers' HQ") == ["'Reintegration'"]
    # multi-paragraph quotes reopen without closing; nothing runs past a paragraph
    assert regions("“one\n\n“two” end") == ["“one", "“two”"]
    assert regions('a "stray mark\n\nnext paragraph') == ['"stray mark']
    assert regions("« guillemets » and „German“") == ["« guillemets »", "„German“"]
    # a leading apostrophe opens nothing; an inner mark left open does not block the outer
    assert regions("in the ‘90s the “de facto” label") == ["“de facto”"]
    assert regions("“He said ‘no” and the rest") == ["“He said ‘no”"]


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
