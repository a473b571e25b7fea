"""Speaker entities across a corpus (issue 12): speaker_id, lexicon merges, aliases, tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import RAW
from research_kit import analyze, extract_quotes, load_lexicon
from research_kit.entities import (
    anonymous_sourcing,
    corpus_links,
    entity_of,
    link_corpus,
    load_aliases,
    naming,
    speaker_entities,
)
from research_kit.errors import ResearchKitError


@pytest.fixture(scope="module")
def seeds() -> list[dict]:
    return analyze([RAW])


def test_seed_karabakh_authorities_are_one_entity_with_their_variants(seeds: list[dict]) -> None:
    table = speaker_entities(seeds, by="outlet")
    karabakh = table[table["speaker_id"] == "Karabakh Armenian authorities"]
    names = " ".join(karabakh["names"])
    for variant in ("de facto Nagorno-Karabakh authorities", "de facto NKR authorities",
                    "Nagorno-Karabakh’s leadership", "Karabakh’s leadership"):  # fmt: skip
        assert variant in names
    ids = {q["speaker_id"] for r in seeds for q in r["quotes"] if q["speaker"]}
    assert {"Arayik Harutyunyan", "Artur Harutyunyan"} <= ids


def test_a_surname_joins_the_full_name_the_lexicon_lists() -> None:
    lexicon = load_lexicon()
    quote = extract_quotes('"We are ready," President Aliyev said on Monday.')[0]
    assert (quote.speaker, quote.speaker_title) == ("Aliyev", "President")
    ids = {
        entity_of(quote.speaker, quote.speaker_type, quote.speaker_mention, lexicon),
        entity_of("Ilham Aliyev", "person", "Ilham Aliyev", lexicon),
    }
    assert ids == {"Ilham Aliyev"}


def test_corpus_links_surnames_and_middle_initials() -> None:
    def record(key: str, *speakers: str) -> dict:
        quotes = [{"kind": "direct", "text": "x", "speaker": s, "speaker_type": "person",
                   "speaker_id": s} for s in speakers]  # fmt: skip
        return {"id": key, "outlet": "o", "quotes": quotes}

    linked = link_corpus([record("a", "Loretta E. Lynch"), record("b", "Loretta Lynch", "Lynch")])
    assert {q["speaker_id"] for r in linked for q in r["quotes"]} == {"Loretta E. Lynch"}
    two = link_corpus([record("a", "Jim Smith", "Ann Smith"), record("b", "Smith")])
    assert [q["speaker_id"] for q in two[1]["quotes"]] == ["Smith"]


def test_aliases_merge_and_split(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yml"
    path.write_text(
        "speakers:\n"
        "  Karabakh Foreign Ministry: [Karabakh Foreign Ministry]\n"
        "  Arayik Harutyunyan: [Artur Harutyunyan]\n",
        encoding="utf-8",
    )
    records = analyze([RAW], aliases=path)
    ids = {q["speaker"]: q["speaker_id"] for r in records for q in r["quotes"] if q["speaker"]}
    assert ids["Karabakh Foreign Ministry"] == "Karabakh Foreign Ministry"
    assert ids["Artur Harutyunyan"] == "Arayik Harutyunyan"
    assert ids["de facto NKR authorities"] == "Karabakh Armenian authorities"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("speaker: {}\n", "unknown key"),
        ("speakers:\n  A: []\n", "speakers.A: expected a non-empty list"),
        ("speakers:\n  A: [x]\n  B: [x]\n", "already listed under 'A'"),
        ("speakers:\n  A: [x]\n  A: [y]\n", "given twice"),
    ],
)
def test_bad_aliases_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "aliases.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResearchKitError, match=message) as error:
        load_aliases(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_anonymous_sourcing_and_naming_tables(seeds: list[dict]) -> None:
    sourcing = anonymous_sourcing(seeds)
    assert list(sourcing.columns) == [
        "outlet",
        "person",
        "organization",
        "document",
        "anonymous",
        "unresolved",
        "quotes",
        "anonymous_share",
    ]
    assert sourcing["quotes"].sum() == sum(
        1 for r in seeds for q in r["quotes"] if q["kind"] != "scare"
    )
    names = naming(seeds)
    karabakh = names[names["side"] == "karabakh_armenian_authorities"]
    assert {"name", "mention", "role", "label"} <= set(karabakh["kind"])
    assert "de facto" in set(karabakh[karabakh["kind"] == "label"]["text"])
    assert karabakh["count"].min() >= 1


def _links_by_pairs(names: list[str]) -> dict[str, str]:
    """corpus_links's rule by comparing every pair: the reference for the one-pass version."""
    full = sorted({n for n in names if len(n.split()) >= 2}, key=lambda n: (-len(n), n))
    same = [(a, b) for a in full for b in full
            if a != b and a.split()[0] == b.split()[0] and a.split()[-1] == b.split()[-1]]
    links = {}
    for name in full:
        longer = next((a for a, b in same if b == name), None)
        if longer and len(longer) > len(name):
            links[name] = longer
    for name in set(names):
        if len(name.split()) == 1:
            found = {links.get(f, f) for f in full if f.split()[-1] == name}
            if len(found) == 1:
                links[name] = found.pop()
    return links


@given(st.lists(st.lists(st.sampled_from(["Ann", "Lynch", "E.", "Mary", "Wu", "Li", "Jo"]),
                         min_size=1, max_size=3).map(" ".join), max_size=12))
def test_corpus_links_match_the_pairwise_rule(names: list[str]) -> None:
    records = [{"quotes": [{"speaker_type": "person", "speaker_id": n} for n in names]}]
    assert corpus_links(records) == _links_by_pairs(names)
