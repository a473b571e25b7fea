"""Speakers as entities (issue 12): fullest names, titles, roles, types, pronoun gender."""

from __future__ import annotations

import pytest

from conftest import COMMONSPACE, MIRROR, seed_text
from research_kit.errors import ResearchKitError
from research_kit.quotes import extract_quotes
from research_kit.quotes.layout import Layout
from research_kit.quotes.mentions import Mentions
from research_kit.quotes.people import compile_speaker_words, load_speaker_words
from research_kit.quotes.rules import load_rules
from research_kit.quotes.speakers import Speakers


def _speakers(text: str) -> list[tuple[str | None, str | None, str | None, str | None]]:
    return [
        (q.speaker, q.speaker_title, q.speaker_role, q.speaker_type)
        for q in extract_quotes(text)
        if q.kind != "scare"
    ]


def _canonical(text: str, mention: str) -> tuple[str, str] | None:
    rules = load_rules()
    layout = Layout(text, rules)
    speakers = Speakers(layout, rules, Mentions(layout, rules), load_speaker_words())
    start = text.index(mention)
    found = speakers.canonical(start, start + len(mention))
    return (found.name, found.type) if found else None


def test_surname_title_and_pronoun_resolve_to_the_full_name() -> None:
    text = (
        "Sen. Jim DeMint, a South Carolina Republican, spoke on Monday. "
        '"We will not back down," DeMint said. "It is dead," he added. '
        'Rep. Raúl R. Labrador disagreed. "This is wrong," said Mr. Labrador.'
    )
    assert _speakers(text) == [
        ("Jim DeMint", "Sen.", "a South Carolina Republican", "person"),
        ("Jim DeMint", "Sen.", "a South Carolina Republican", "person"),
        ("Raúl R. Labrador", "Rep.", None, "person"),
    ]


def test_the_fullest_form_of_a_name_wins_and_keeps_initials() -> None:
    text = (
        "A lesson from Loretta Lynch. Loretta E. Lynch said she was asked to speak. "
        '"People see you differently," Lynch said.'
    )
    assert {s[0] for s in _speakers(text)} == {"Loretta E. Lynch"}


def test_pronouns_follow_the_gender_the_text_gives() -> None:
    text = (
        "Jane Roe, a senator, met John Doe on Monday. She said the talks failed, and he "
        'agreed. Later, Mr. Doe met reporters. "We tried," she said.'
    )
    assert [s[0] for s in _speakers(text)][-1] == "Jane Roe"


def test_a_description_resolves_to_the_person_described() -> None:
    text = (
        "New Jersey Gov. Chris Christie attacked the plan on Tuesday. "
        '"It is a disgrace," the governor said.'
    )
    assert _speakers(text)[0][:2] == ("Chris Christie", "Gov.")


def test_two_people_sharing_a_surname_stay_apart() -> None:
    quotes = extract_quotes(seed_text(MIRROR)[1])
    names = {q.speaker for q in quotes if q.speaker and "Harutyunyan" in q.speaker}
    assert names == {"Arayik Harutyunyan", "Artur Harutyunyan"}
    roles = {q.speaker: q.speaker_role for q in quotes if q.speaker in names}
    assert roles["Artur Harutyunyan"] == "a senior Karabakh lawmaker"


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        ('Indeed, "nobody wants it," he said.', "Indeed", None),
        ('Americans said "no" to the plan.', "Americans", None),
        ("Kristol’s view, said later, was clear.", "Kristol’s", None),
        ("The war said nothing.", "war", None),
        ('Officials said "no".', "Officials", ("Officials", "anonymous")),
        ("A source familiar with the talks said so.", "A source", ("source", "anonymous")),
        ('Critics say "no".', "Critics", ("Critics", "anonymous")),
        ('Ministers say "no".', "Ministers", ("Ministers", "anonymous")),
        ('"No," said Mr Law.', "Mr Law", ("Law", "person")),
        ("Its Director, David Caldwell, said so.", "Director, David Caldwell",
         ("David Caldwell", "person")),
        ('"No," Russia said.', "Russia", ("Russia", "organization")),
        ('"No," said The Wall Street Journal.', "The Wall Street Journal",
         ("Wall Street Journal", "organization")),
        ("A statement released by the ministry said so.",
         "A statement released by the ministry", ("ministry", "document")),
    ],
)  # fmt: skip
def test_types_and_non_entities(text: str, mention: str, expected: tuple[str, str] | None) -> None:
    assert _canonical(text, mention) == expected


def test_every_attributed_quote_is_typed() -> None:
    for quote in extract_quotes(seed_text(COMMONSPACE)[1]):
        if quote.kind == "scare":
            assert quote.speaker_type is None
        else:
            assert quote.speaker_type in {"person", "organization", "document", "anonymous"}
            assert quote.speaker


def test_speaker_words_are_validated() -> None:
    with pytest.raises(ResearchKitError, match="missing key"):
        compile_speaker_words({"honorifics": {"male": [], "female": []}}, "x.yml")
    data = {
        "honorifics": {"male": ["Mr"], "female": ["Ms"]},
        "gendered_words": {"male": ["spokesman"], "female": ["spokeswoman"]},
        "pronoun_gender": {"he": "male", "she": "female"},
        "title_roles": {"Sen": "senator"},
        "anonymous": ["officials"],
        "not_speakers": [True],
        "collective_plurals": ["Americans"],
        "body_name_words": ["news"],
    }
    with pytest.raises(ResearchKitError, match=r"x\.yml: not_speakers\[1\]: expected a string"):
        compile_speaker_words(data, "x.yml")
