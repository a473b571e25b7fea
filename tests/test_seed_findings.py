"""The case study end to end: what `analyze` finds in the two seeds (issues 3 and 4).

Each seed finding is asserted here once, on the records the pipeline writes; the stage tests
(quotes, terms, readability, cleaning) use hand-made text for the rules behind the findings.
"""

from __future__ import annotations

import textstat

from conftest import COMMONSPACE, MIRROR


def _terms(record: dict, term: str) -> list[dict]:
    return [t for t in record["terms"] if t["term"] == term]


def _quote(record: dict, fragment: str) -> dict:
    """The one quote of ``record`` whose text contains ``fragment``."""
    found = [q for q in record["quotes"] if fragment in q["text"]]
    assert len(found) == 1, (fragment, found)
    return found[0]


def test_de_facto_is_commonspace_own_voice_only(seed_records: dict) -> None:
    commonspace = _terms(seed_records[COMMONSPACE], "de facto")
    assert len(commonspace) == 4
    assert {(t["voice"], t["location"], t["in_quote_marks"], t["category"])
            for t in commonspace} == {("authorial", "body", False, "legitimacy_labels")}
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
    for t in mirror + commonspace:
        assert t["in_quote_marks"] and t["voice"] == "quoted" and not t["scare"]
        assert t["side"] == "karabakh_armenian_authorities"
    # the crosshead stays in the body: its "de facto" is the outlet's, its format a quote
    record = seed_records[COMMONSPACE]
    [crosshead] = [p for p in record["paragraphs"] if p["kind"] == "crosshead"]
    assert crosshead["start"] < commonspace[0]["start"] < crosshead["end"]


def test_headline_reintegration_is_a_scare_quote(seed_records: dict) -> None:
    mirror = seed_records[MIRROR]
    title_quotes = [q for q in mirror["quotes"] if q["location"] == "title"]
    assert [(q["kind"], q["text"], q["speaker"]) for q in title_quotes] == [
        ("scare", "‘Reintegration’", None)
    ]
    lead = _quote(mirror, "“reintegration”")
    assert lead["kind"] == "scare" and lead["speaker"] is None
    headline = [t for t in _terms(mirror, "reintegration") if t["location"] == "title"]
    assert [(t["matched"], t["voice"], t["scare"], t["in_quote_marks"]) for t in headline] == [
        ("Reintegration", "headline", True, True)
    ]
    assert mirror["title"][headline[0]["start"]:headline[0]["end"]] == "Reintegration"
    body = [t for t in _terms(mirror, "reintegration") if t["location"] == "body"]
    assert [(t["voice"], t["scare"], t["speaker"]) for t in body] == [("authorial", True, None)]
    assert _quote(seed_records[COMMONSPACE], '"reintegration"')["kind"] == "scare"


def test_integration_into_azerbaijan_is_the_baku_readout_quoted(seed_records: dict) -> None:
    mirror = seed_records[MIRROR]
    [term] = _terms(mirror, "integration into Azerbaijan")
    assert (term["voice"], term["side"], term["in_quote_marks"]) == (
        "quoted", "azerbaijani_government", True)
    readout = _quote(mirror, "integration into Azerbaijan")
    assert readout["speaker"] == term["speaker"] == "official Azerbaijani readout of the talks"
    assert "readout" in readout["speaker_mention"]
    assert readout["side"] == "azerbaijani_government"


def test_khojaly_versus_near_stepanakert(seed_records: dict) -> None:
    def hq(record: dict) -> list[tuple[str, str]]:
        return sorted((t["term"], t["voice"]) for t in record["terms"]
                      if t["category"] == "peacekeeper_hq")

    assert hq(seed_records[MIRROR]) == [("near Stepanakert", "authorial")]
    assert hq(seed_records[COMMONSPACE]) == [("Khojaly", "authorial"), ("Khojaly", "quoted")]
    [quoted] = [t for t in _terms(seed_records[COMMONSPACE], "Khojaly") if t["voice"] == "quoted"]
    assert quoted["side"] == "azerbaijani_government"  # the invitation's own wording


def test_mirror_speakers(seed_records: dict) -> None:
    mirror = seed_records[MIRROR]
    after = _quote(mirror, "After the negotiations are over")
    assert (after["kind"], after["speaker"], after["cue"], after["speaker_mention"]) == (
        "direct", "Artur Harutyunyan", "told", "he")
    for fragment in ("soberly assess", "prudent steps", "tougher and more drastic",
                     "his representatives refused"):
        assert _quote(mirror, fragment)["speaker"] == "Arayik Harutyunyan"
    # two people sharing a surname stay apart
    lawmaker = _quote(mirror, "those steps depend")
    assert (lawmaker["kind"], lawmaker["speaker"]) == ("indirect", "Artur Harutyunyan")
    assert lawmaker["speaker_mention"] == "A senior Karabakh lawmaker, Artur Harutyunyan"
    # institutions and documents speak
    assert _quote(mirror, "internationally recognized")["speaker"] == "Karabakh Foreign Ministry"
    assert _quote(mirror, "the timing of Aliyev")["speaker"] == "Karabakh Foreign Ministry"
    assert _quote(mirror, "unimpeded")["kind"] == "according_to"


def test_commonspace_speakers(seed_records: dict) -> None:
    commonspace = seed_records[COMMONSPACE]
    assert [q for q in commonspace["quotes"] if q["location"] == "title"] == []
    invitation = _quote(commonspace, "As a follow-up to the meeting")
    assert (invitation["kind"], invitation["speaker"], invitation["side"]) == (
        "block", "Presidential Administration of the Republic of Azerbaijan",
        "azerbaijani_government")
    coercion = _quote(commonspace, "to impose their own political agenda through coercion")
    assert (coercion["kind"], coercion["cue"], coercion["speaker"], coercion["side"]) == (
        "mixed", "accused", "de facto NKR authorities", "karabakh_armenian_authorities")
    assert _quote(commonspace, "open to discussing")["speaker"] == "de facto NKR authorities"


def test_offsets_index_the_title_and_body(seed_records: dict) -> None:
    for record in seed_records.values():
        for item in record["terms"] + record["quotes"]:
            text = record["title"] if item["location"] == "title" else record["body"]
            assert text[item["start"]:item["end"]] == item.get("matched", item.get("text"))
        for q in record["quotes"]:
            if q["speaker_start"] is not None:
                text = record["title"] if q["location"] == "title" else record["body"]
                assert text[q["speaker_start"]:q["speaker_end"]] == q["speaker_mention"]


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
        assert scores["sentences"] >= 5 and scores["syllables"] > scores["words"] > 150
