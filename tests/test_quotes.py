"""Quote attribution: shapes of reported speech, speaker resolution, robustness, news corpora."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import research_kit
from conftest import shared_path
from research_kit.errors import ResearchKitError
from research_kit.quotes import (
    Layout,
    Quote,
    compile_rules,
    compress_acronym,
    extract_quotes,
    load_rules,
    quoted_spans,
    regular_forms,
)
from research_kit.quotes.phrases import base_word


def only(quotes: list[Quote], fragment: str) -> Quote:
    """The one quote whose text contains ``fragment``."""
    found = [q for q in quotes if fragment in q.text]
    assert len(found) == 1, (fragment, found)
    return found[0]


def assert_consistent(text: str, quotes: list[Quote]) -> None:
    """Offsets index ``text``; speaker spans too; sorted; no quote swallows a paragraph break
    unless it reopens there."""
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        for a, b in q.parts:
            assert q.start <= a < b <= q.end
        if q.speaker_start is not None:
            assert q.speaker_end is not None
            assert 0 <= q.speaker_start < q.speaker_end <= len(text)
            assert text[q.speaker_start : q.speaker_end] == q.speaker_mention
        if q.cue_start is not None:
            assert text[q.cue_start : q.cue_end] == q.cue
        assert q.side is None
        assert q.location == "body"


# ---- quotation marks ----------------------------------------------------------------------------


def test_straight_and_curly_double_quotes_pair() -> None:
    text = 'He said "yes" and she said “no”.'
    assert [text[s.start : s.end] for s in quoted_spans(text)] == ['"yes"', "“no”"]


def test_apostrophes_are_not_quote_marks() -> None:
    text = "Karabakh’s leaders met at the peacekeepers’ headquarters; don't panic, it's the '90s."
    assert quoted_spans(text) == []


def test_curly_single_quotes_in_a_headline_are_a_scare_quote() -> None:
    title = "Voters Again Reject ‘Reform’ Talks In The Capital"
    [quote] = extract_quotes(title)
    assert (quote.kind, quote.text, quote.speaker) == ("scare", "‘Reform’", None)


def test_guillemets_and_typewriter_quotes() -> None:
    text = "«We are ready,» the minister said. ''It is over,'' Mr. Hale said."
    quotes = extract_quotes(text)
    assert [q.kind for q in quotes] == ["direct", "direct"]
    assert [q.speaker_mention for q in quotes] == ["the minister", "Mr. Hale"]


def test_unclosed_quote_stops_at_its_paragraph() -> None:
    text = 'She called it "a disaster for everyone.\n\nThe vote was held on "Tuesday" as planned.'
    spans = quoted_spans(text)
    assert all("\n" not in text[s.start : s.end] for s in spans)
    assert text[spans[-1].start : spans[-1].end] == '"Tuesday"'


def test_multi_paragraph_quote_reopens_without_closing() -> None:
    text = '"The first paragraph of the letter.\n\n"And the second one," she wrote.'
    [span] = quoted_spans(text)
    assert (span.start, span.end) == (0, text.index(",") + 2)
    [quote] = extract_quotes(text)
    assert (quote.kind, quote.speaker_mention, quote.cue) == ("direct", "she", "wrote")


def test_quote_reopened_after_a_full_stop_in_one_paragraph_continues() -> None:
    text = 'Ann Lee told the paper: "We know the risks. "We will still go ahead." Then she left.'
    [quote] = extract_quotes(text)
    assert quote.text == '"We know the risks. "We will still go ahead."'
    assert (quote.kind, quote.speaker, quote.cue) == ("direct", "Ann Lee", "told")


# ---- sentence shapes ----------------------------------------------------------------------------


def test_speaker_after_the_quote() -> None:
    text = 'Jane Doe runs the council. "We will not back down," Doe said on Monday.'
    quote = only(extract_quotes(text), "back down")
    assert quote.kind == "direct"
    assert quote.text == '"We will not back down,"'
    assert (quote.speaker, quote.speaker_mention, quote.cue) == ("Jane Doe", "Doe", "said")


def test_inverted_order_with_apposition() -> None:
    text = "“The talks failed,” said Maria Lopez, a spokeswoman for the ministry."
    quote = only(extract_quotes(text), "talks failed")
    assert quote.speaker == "Maria Lopez"
    assert quote.speaker_mention == "Maria Lopez, a spokeswoman for the ministry"


def test_told_an_outlet() -> None:
    text = "Tom Reed chairs the panel. “We will decide soon,” he told RFE/RL’s Armenian Service."
    quote = only(extract_quotes(text), "decide soon")
    assert (quote.speaker, quote.speaker_mention, quote.cue) == ("Tom Reed", "he", "told")


def test_speaker_before_the_quote_with_a_comma_or_colon() -> None:
    text = 'The mayor, Ann Cole, said, "We are safe." Later she added: "Stay home."'
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Ann Cole", "Ann Cole"]
    assert [q.cue for q in quotes] == ["said", "added"]


def test_according_to_before_and_after() -> None:
    quotes = extract_quotes(
        "The bridge will reopen in May, according to city engineers. "
        "According to the ministry, repairs cost $2 million."
    )
    assert [q.kind for q in quotes] == ["according_to", "according_to"]
    assert quotes[0].text == "The bridge will reopen in May"
    assert quotes[0].speaker_mention == "city engineers"
    assert quotes[1].text == "repairs cost $2 million"


def test_colon_introduces_a_block_quote() -> None:
    text = (
        "The agency issued a statement on Monday.\n\n"
        'The full statement read:\n\n"We regret the delay."'
    )
    quote = only(extract_quotes(text), "regret")
    assert (quote.kind, quote.cue, quote.speaker) == ("block", "read", "agency")


def test_interrupted_quote_is_one_statement_in_parts() -> None:
    text = '"The plan is dead," she said. "We start again tomorrow."'
    [quote] = extract_quotes(text)
    assert quote.kind == "direct"
    assert [text[a:b] for a, b in quote.parts] == [
        '"The plan is dead,"',
        '"We start again tomorrow."',
    ]


def test_quote_paragraph_continues_the_last_speaker() -> None:
    text = '"It was close," said Ed Park, the coach.\n\n"We need more practice."'
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Ed Park", "Ed Park"]
    assert quotes[1].cue is None


def test_mixed_quote_inside_reported_speech() -> None:
    text = "Lena Ortiz said the parties need to “soberly assess” the situation."
    [quote] = extract_quotes(text)
    assert quote.kind == "mixed"
    assert quote.text == "the parties need to “soberly assess” the situation"
    assert quote.speaker == "Lena Ortiz"


def test_clause_before_the_speaker_is_reported_speech() -> None:
    text = "Ana Silva leads the party. The crisis can be solved through “prudent steps,” she said."
    quote = only(extract_quotes(text), "prudent")
    assert quote.kind == "mixed"
    assert quote.text.startswith("The crisis")
    assert quote.speaker == "Ana Silva"


def test_indirect_speech_without_quote_marks() -> None:
    text = "A senior lawmaker, Paul Grant, said on March 28 that the steps depend on the talks."
    [quote] = extract_quotes(text)
    assert quote.kind == "indirect"
    assert quote.text == "that the steps depend on the talks"
    assert quote.speaker_mention == "A senior lawmaker, Paul Grant"
    assert quote.speaker == "Paul Grant"


def test_interposed_speaker() -> None:
    text = "The vote, Grant said, was never in doubt."
    [quote] = extract_quotes(text)
    assert [text[a:b] for a, b in quote.parts] == ["The vote", "was never in doubt"]


def test_participle_shares_the_speaker() -> None:
    text = '"We lost," Ruth Kim said, adding that the team would regroup.'
    quotes = extract_quotes(text)
    assert [(q.cue, q.speaker) for q in quotes] == [("said", "Ruth Kim"), ("adding", "Ruth Kim")]


def test_dash_names_the_speaker() -> None:
    text = "“Maybe we can build a bridge instead.” ― Ines Ramos"
    [quote] = extract_quotes(text)
    assert (quote.speaker, quote.cue) == ("Ines Ramos", "―")


def test_nouns_spelled_like_verbs_are_no_cues() -> None:
    text = "Trump's remarks drew fire. The said report and all told, the claims were ignored."
    assert extract_quotes(text) == []


# ---- speakers -----------------------------------------------------------------------------------


def test_documents_and_institutions_speak() -> None:
    text = (
        "A statement released by the Foreign Ministry said the talks had failed. "
        "An official readout of the meeting said they focused on trade. "
        "President Omar Haddad’s office said the offer stands."
    )
    speakers = [q.speaker for q in extract_quotes(text)]
    assert speakers == [
        "Foreign Ministry",
        "official readout of the meeting",
        "President Omar Haddad’s office",
    ]


def test_a_document_resolves_to_its_issuer() -> None:
    text = (
        "The Presidential Office of the Republic of Freedonia issued an invitation on Monday.\n\n"
        "The invitation read:\n\n"
        '"We propose a meeting in the capital."'
    )
    quote = only(extract_quotes(text), "We propose")
    assert quote.speaker == "Presidential Office of the Republic of Freedonia"


def test_acronym_expansions_collapse() -> None:
    assert compress_acronym("de facto Nagorno-Karabakh Republic (NKR) authorities") == (
        "de facto NKR authorities"
    )
    assert compress_acronym("the Office (of) things") == "the Office (of) things"


def test_pronouns_resolve_to_the_latest_compatible_speaker() -> None:
    text = (
        "The ministry said the border was open. Jo Lind, a trader, disagreed. "
        '"Nothing moves," she said. It said the delays would end.'
    )
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["ministry", "Jo Lind", "ministry"]


def test_people_sharing_a_surname_stay_apart() -> None:
    text = (
        "Anna Berg, the mayor, met residents. Berg said the plan would pass. "
        "A councillor, Tom Berg, said the vote would be close.\n\n"
        '"We will count every ballot," he told reporters.\n\n'
        "Berg insisted afterwards that the mayor had the votes."
    )
    speakers = [q.speaker for q in extract_quotes(text)]
    assert speakers == ["Anna Berg", "Tom Berg", "Tom Berg", "Anna Berg"]


def test_scare_quotes_have_no_speaker() -> None:
    text = "The so-called “reform” passed, though critics doubt its “benefits”."
    quotes = extract_quotes(text)
    assert [(q.kind, q.speaker, q.cue) for q in quotes] == [("scare", None, None)] * 2


# ---- rules --------------------------------------------------------------------------------------


def test_regular_verb_forms() -> None:
    assert regular_forms("argue") == ["argue", "argues", "argued", "arguing"]
    assert regular_forms("reply") == ["reply", "replies", "replied", "replying"]
    assert regular_forms("stress") == ["stress", "stresses", "stressed", "stressing"]


def test_shipped_rules_load_once() -> None:
    assert load_rules() is load_rules()
    assert load_rules().verbs["told"].addressee


def shipped_words() -> dict:
    return yaml.safe_load(shipped("attribution.yml"))


@pytest.mark.parametrize(
    ("speech", "words", "message"),
    [
        ({"verbs": "say"}, {}, "speech.yml: verbs: expected a list, got a string"),
        ({"verbs": [{"lemma": 3}]}, {}, "speech.yml: verbs[1].lemma: expected a string, got a"),
        ({"verbs": [{"lemma": "say", "loud": True}]}, {}, "verbs[1]: unknown key(s) ['loud']"),
        ({"verbs": [{"lemma": "say", "bare": "yes"}]}, {}, "verbs[1].bare: expected true/false"),
        ({"verbs": []}, {"abbreviations": ["Mr", False]},
         "words.yml: abbreviations[2]: expected a string, got true/false"),
        ({"verbs": []}, {"titles": None}, "words.yml: missing key(s) ['titles']"),
    ],
)
def test_bad_rules_name_the_file_and_entry(speech: dict, words: dict, message: str) -> None:
    full = {key: value for key, value in {**shipped_words(), **words}.items() if value is not None}
    with pytest.raises(ResearchKitError) as caught:
        compile_rules(speech, full, "speech.yml", "words.yml")
    assert message in str(caught.value)


# ---- robustness ---------------------------------------------------------------------------------

MARKS = "\"'“”‘’«»„‹›`"
PIECES = [" ", "\n", "\n\n", ".", ",", ":", "—", "-", "(", ")", "…", "é", "ß", "字", "🙂"]
WORDS = ["said", "told", "according to", "he", "She", "Smith", "the", "ministry", "that", "a"]
ALPHABET = st.sampled_from([*MARKS, *PIECES, *WORDS])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=120).map(" ".join))
def test_fuzz_marks_and_cues_never_crash(text: str) -> None:
    assert_consistent(text, extract_quotes(text))


def pieces(q: Quote) -> tuple[tuple[int, int], ...]:
    return q.parts or ((q.start, q.end),)


def assert_reported_once(text: str, quotes: list[Quote]) -> None:
    """No statement twice: distinct extents, and no quotation a piece of two statements."""
    extents = [(q.start, q.end) for q in quotes]
    assert len(extents) == len(set(extents)), quotes
    marks = {(s.start, s.end) for s in quoted_spans(text)}
    claimed = [p for q in quotes if q.kind != "scare" for p in pieces(q) if p in marks]
    assert len(claimed) == len(set(claimed)), quotes


STATEMENT_PIECES = st.sampled_from([
    "“It is not a plan,”", '"(x)"', '"Yes."', "‘no’", " Smith told reporters.", " he added.",
    " said Lee,", " Lee said", " that", " the plan", ", adding that", " according to Lee,",
    "\n\n", " ", ". ", ": ",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(STATEMENT_PIECES, max_size=40).map("".join))
def test_fuzz_no_quotation_is_reported_twice(text: str) -> None:
    quotes = extract_quotes(text)
    assert_consistent(text, quotes)
    assert_reported_once(text, quotes)


def test_a_quotation_is_owned_by_its_first_attribution() -> None:
    text = '“It is not a plan,” Smith told reporters. "(x)" he added.'
    quotes = extract_quotes(text)
    assert [(q.text, q.cue, q.speaker) for q in quotes] == [
        ("“It is not a plan,”", "told", "Smith"), ('"(x)"', "added", "Smith")
    ]
    assert_reported_once(text, quotes)


def test_nested_reports_overlap_a_bounded_number_of_times() -> None:
    """"A said that B said that …" on one line: each statement holds a few nested cues at most,
    so no character is inside more than a handful of statements, however long the text."""
    text = "Smith said that Jones said " * 2_000
    quotes = extract_quotes(text)
    assert len(quotes) > 1_000
    assert sum(len(q.text) for q in quotes) < 6 * len(text)


def test_a_text_without_sentence_ends_is_read_in_bounded_sentences() -> None:
    text = "the talks went on and " * 2_000
    sentences = Layout(text, load_rules()).sentences
    assert max(b - a for a, b in sentences) <= load_rules().settings.max_sentence_chars
    assert len(sentences) > 1
    assert " ".join(text[a:b].strip() for a, b in sentences) == text.strip()  # cut at spaces


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_fuzz_arbitrary_unicode(text: str) -> None:
    assert_consistent(text, extract_quotes(text))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(['"', "“", "”", "‘", "’", "'"]), min_size=1, max_size=6))
def test_stray_marks_never_swallow_the_article(marks: list[str]) -> None:
    paragraph = "Ann Lee said {} the council met on Monday and voted."
    text = "\n\n".join(paragraph.format(mark) for mark in marks)
    for q in extract_quotes(text):
        assert "\n\n" not in q.text or q.text.count("\n\n") < len(marks) - 1


def test_huge_text_gives_each_paragraph_its_own_quotes() -> None:
    """A thousand repeated paragraphs (stray marks included) yield the quotes of one, repeated:
    nothing spills across paragraphs however long the text. Speed is measured by
    benchmarks/quotes_polnear.py, never here."""
    paragraph = (
        'Officials said the plan "works," he told reporters. "It is fine." The "reform" '
        "passed, according to the ministry. Karabakh’s peacekeepers’ base ' stray “ marks.\n\n"
    )
    small = paragraph * 50
    large = paragraph * 1000
    small_quotes, large_quotes = extract_quotes(small), extract_quotes(large)
    assert_consistent(small, small_quotes)
    assert_consistent(large, large_quotes)
    assert len(large_quotes) == 20 * len(small_quotes)

    def shape(quotes: list) -> set[tuple[str, int, int]]:
        return {(q.kind, q.start % len(paragraph), q.end - q.start) for q in quotes}

    assert shape(large_quotes) == shape(small_quotes)


# ---- PolNeAR and BBC (development data beside the project) ---------------------------------------


@pytest.mark.slow
def test_polnear_dev_sample_stays_accurate() -> None:
    split = shared_path("data", "polnear", "dev")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import quotes_polnear

    scores = quotes_polnear.evaluate(split)
    p, r, f1 = scores.tallies[("direct", "loose")].row()
    assert f1 > 0.8, (p, r, f1)
    ok, n = scores.speaker["direct"]
    assert ok / n > 0.85


@pytest.mark.slow
def test_bbc_never_swallows_an_article() -> None:
    folder = shared_path("data", "bbc", "politics")
    for path in sorted(folder.glob("*.txt"))[:60]:
        text = path.read_text(encoding="utf-8", errors="replace")
        quotes = extract_quotes(text)
        assert_consistent(text, quotes)
        assert all(q.end - q.start < 3000 for q in quotes)


def test_a_determiner_and_a_number_word_before_a_speech_noun_is_no_crash() -> None:
    """"A Five spokesman said" once left an empty organisation name (IndexError on BBC news)."""
    text = (
        'Five said it had received complaints. A Five spokesman said: "We are surprised. '
        '"Everyone who was sent this has expressed an interest."'
    )
    quotes = extract_quotes(text)
    assert quotes and all(q.speaker is None or q.speaker.strip() for q in quotes)


# ---- user rule files ----------------------------------------------------------------------------


def shipped(name: str) -> str:
    return (Path(research_kit.__file__).parent / "data" / name).read_text(encoding="utf-8")


def test_user_rule_files_replace_the_shipped_ones_and_are_cached_by_content(
    tmp_path: Path,
) -> None:
    text = "Ann Lee quipped that the vote was over."
    verbs = tmp_path / "verbs.yml"
    verbs.write_text("verbs:\n  - {lemma: quip, forms: [quip, quipped]}\n", encoding="utf-8")
    [quote] = extract_quotes(text, rules=load_rules(speech_verbs=verbs))
    assert (quote.kind, quote.cue, quote.speaker) == ("indirect", "quipped", "Ann Lee")
    assert load_rules(speech_verbs=verbs) is load_rules(speech_verbs=verbs)
    verbs.write_text("verbs:\n  - {lemma: say}\n", encoding="utf-8")  # edited in a session
    assert extract_quotes(text, rules=load_rules(speech_verbs=verbs)) == []
    words = tmp_path / "words.yml"
    words.write_text(shipped("attribution.yml").replace("scare_max_words: 4",
                                                        "scare_max_words: 1"), encoding="utf-8")
    scare = 'Officials called it a "temporary measure" again.'
    kinds = {q.kind for q in extract_quotes(scare, rules=load_rules(attribution=words))}
    assert "scare" not in kinds and {q.kind for q in extract_quotes(scare)} == {"scare"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("titles:", "tittles:"), "words.yml: unknown key(s) ['tittles']"),
        (("max_nested_cues: 3", "max_nested_cues: many"), "settings.max_nested_cues: expected"),
        (("  he: person", "  he: human"), "pronouns.he: expected one of"),
        (("locatives: [in, at, from, to]", "locatives: [in]\nlocatives: [at]"),
         "duplicate key 'locatives'"),
    ],
)
def test_bad_attribution_files_are_one_line_naming_file_and_place(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    words = tmp_path / "words.yml"
    words.write_text(shipped("attribution.yml").replace(*change, 1), encoding="utf-8")
    with pytest.raises(ResearchKitError) as caught:
        load_rules(attribution=words)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_method_settings_are_named_and_exported() -> None:
    assert load_rules().settings.to_dict() == {
        "scare_max_words": 4,
        "lookback_chars": 240,
        "intro_max_tokens": 8,
        "max_sentence_chars": 2000,
        "max_nested_cues": 3,
    }


def test_the_bylines_name_particles_are_name_particles() -> None:
    """Names in bylines and in attributions allow the same lowercase particles."""
    byline = next(line for line in shipped("cleaning.yml").splitlines() if "[Bb]y|By" in line)
    for listed in re.findall(r"\|((?:[a-z]+\|)+[a-z]+)\)", byline):
        assert set(listed.split("|")) <= load_rules().name_particles


def test_fast_patterns_find_what_their_plain_forms_find() -> None:
    """The cue and name patterns open with a first-letter lookahead or class for speed
    (``[A-Z](?<!\\w[A-Z])`` for ``\\b[A-Z]``); they match exactly what the plain forms match,
    also from an offset inside a word."""
    rules = load_rules()
    cue = rules.cue_re.pattern
    plain_cue = re.compile(r"\b" + cue[cue.index(")(?:(?P<verb>") + 1 :])
    name = rules.name_run.pattern
    head, after_lookbehind = name[: name.index("]") + 1], name.split(")", 1)[1]
    plain_name = re.compile(r"\b" + head + after_lookbehind)
    text = (
        "ACCORDING TO Sen. Raúl Castro, Mr. ÉSmith said; xAbe Lincoln told éJean Paul. "
        "“Fine,” says DeMint, according to the Wall Street Journal’s Ann O’Neil. unsaid"
    )
    for fast, plain in ((rules.cue_re, plain_cue), (rules.name_run, plain_name)):
        for start in (0, 1, 15, 40):
            found = [(m.span(), m.groups()) for m in fast.finditer(text, start)]
            assert found == [(m.span(), m.groups()) for m in plain.finditer(text, start)]
    assert [m.group() for m in rules.cue_re.finditer(text)] == [
        "ACCORDING TO", "said", "told", "says", "according to",
    ]  # fmt: skip


def test_cue_lookahead_is_left_out_when_a_cue_begins_with_no_letter(tmp_path: Path) -> None:
    """A user's phrase may begin with a digit or a mark: no first-letter shortcut then."""
    phrases = [{"text": "2 say"}, {"text": "according to"}]
    speech = {"verbs": [{"lemma": "say"}], "phrases": phrases}
    rules = compile_rules(speech, yaml.safe_load(shipped("attribution.yml")))
    assert not rules.cue_re.pattern.startswith(r"\b(?=")
    assert [m.group() for m in rules.cue_re.finditer("They 2 say so, according to him.")] == [
        "2 say", "according to",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("word", "base"),
    [("Smith’s", "smith"), ("Smith's", "smith"), ("peacekeepers’", "peacekeepers"),
     ("Sen.", "sen"), ("’s", "’s"), ("'", "'"), (".", "."), ("s", "s"), ("Says", "says"),
     ("İs", "i̇s"), ("", "")],
)  # fmt: skip
def test_base_word_drops_one_possessive_or_full_stop(word: str, base: str) -> None:
    assert base_word(word) == base
