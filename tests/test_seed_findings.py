"""The case study end to end: what `analyze` finds in the two seeds (issues 3 and 4)."""

from __future__ import annotations

import textstat

from conftest import COMMONSPACE, MIRROR


def _terms(record: dict, term: str) -> list[dict]:
    return [t for t in record["terms"] if t["term"] == term]


def _quote(record: dict, fragment: str) -> dict:
    return next(q for q in record["quotes"] if fragment in q["text"])


def test_de_facto_is_commonspace_own_voice_only(seed_records: dict) -> None:
    commonspace = _terms(seed_records[COMMONSPACE], "de facto")
    assert len(commonspace) == 4
    assert {t["voice"] for t in commonspace} == {"authorial"}
    assert _terms(seed_records[MIRROR], "de facto") == []


def test_negotiation_format_wordings_are_one_concept_inside_quotation_marks(
    seed_records: dict,
) -> None:
    mirror = _terms(seed_records[MIRROR], "international negotiation format")
    commonspace = _terms(seed_records[COMMONSPACE], "international negotiation format")
    assert [t["matched"] for t in mirror] == ["internationally recognized negotiation format"]
    assert [t["matched"] for t in commonspace] == [
        "internationally established negotiation format",
        "agreed and internationally established negotiation format",
    ]
    assert all(t["in_quote_marks"] for t in mirror + commonspace)


def test_headline_reintegration_is_a_scare_quote(seed_records: dict) -> None:
    mirror = seed_records[MIRROR]
    title_quotes = [q for q in mirror["quotes"] if q["location"] == "title"]
    assert [(q["kind"], q["text"], q["speaker"]) for q in title_quotes] == [
        ("scare", "‘Reintegration’", None)
    ]
    lead = _quote(mirror, "“reintegration”")
    assert lead["kind"] == "scare" and lead["speaker"] is None
    headline = [t for t in _terms(mirror, "reintegration") if t["location"] == "title"]
    assert [(t["voice"], t["scare"]) for t in headline] == [("headline", True)]


def test_khojaly_versus_near_stepanakert(seed_records: dict) -> None:
    assert [t["matched"] for t in _terms(seed_records[MIRROR], "near Stepanakert")] == [
        "near Stepanakert"
    ]
    assert _terms(seed_records[MIRROR], "Khojaly") == []
    assert len(_terms(seed_records[COMMONSPACE], "Khojaly")) == 2


def test_quote_attribution_on_the_seeds(seed_records: dict) -> None:
    mirror, commonspace = seed_records[MIRROR], seed_records[COMMONSPACE]
    after = _quote(mirror, "After the negotiations are over")
    assert (after["kind"], after["speaker"], after["cue"]) == ("direct", "Artur Harutyunyan",
                                                                "told")
    for fragment in ("soberly assess", "prudent steps"):
        assert _quote(mirror, fragment)["speaker"] == "Arayik Harutyunyan"
    readout = _quote(mirror, "integration into Azerbaijan")
    assert "readout" in readout["speaker_mention"]
    assert readout["side"] == "azerbaijani_government"
    invitation = _quote(commonspace, "As a follow-up to the meeting")
    assert invitation["kind"] == "block"
    assert "Azerbaijan" in invitation["speaker"] and invitation["side"] == "azerbaijani_government"
    coercion = _quote(commonspace, "to impose their own political agenda through coercion")
    assert "NKR authorities" in coercion["speaker"]
    assert coercion["side"] == "karabakh_armenian_authorities"
    for record in (mirror, commonspace):
        for q in record["quotes"]:
            text = record["title"] if q["location"] == "title" else record["body"]
            assert q["text"] in text[q["start"]:q["end"]] or text[q["start"]:q["end"]] in q["text"]


def test_readability_equals_textstat_on_the_cleaned_body(seed_records: dict) -> None:
    for record in seed_records.values():
        body, scores = record["body"], record["readability"]
        assert scores["flesch_reading_ease"] == textstat.flesch_reading_ease(body)
        assert scores["flesch_kincaid_grade"] == textstat.flesch_kincaid_grade(body)
        assert scores["gunning_fog"] == textstat.gunning_fog(body)
        assert scores["smog_index"] == textstat.smog_index(body)
        assert scores["coleman_liau_index"] == textstat.coleman_liau_index(body)
        assert scores["automated_readability_index"] == textstat.automated_readability_index(body)
        assert scores["dale_chall_readability_score"] == textstat.dale_chall_readability_score(body)
        assert scores["words"] == textstat.lexicon_count(body)
        assert scores["sentences"] == textstat.sentence_count(body)
        assert scores["syllables"] == textstat.syllable_count(body)
