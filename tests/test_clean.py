"""Cleaning: exact results on the seeds, general rules, normalisation, rule files, fuzzing."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import COMMONSPACE, MIRROR, RAW
from research_kit import ResearchKitError, clean_text, load_overrides, load_rules
from research_kit.clean import _units, normalize_text, parse_rules

MIRROR_TITLE = "Karabakh Armenians Again Reject ‘Reintegration’ Talks In Baku"
COMMONSPACE_TITLE = (
    "Azerbaijan again proposes reintegration talks with Karabakh Armenians in Baku, "
    "rejected by Stepanakert"
)
MIRROR_REMOVED = [
    ("Arayik Harutyunyan", "header_caption"),
    (MIRROR_TITLE, "title"),
    ("By Ruzanna Stepanian", "byline"),
    ("STEPANAKERT (Azatutyun) —", "dateline"),
    ("Get the Mirror in your inbox:", "newsletter_prompt"),
    ("Get the Mirror-Spectator Weekly in your inbox:", "newsletter_prompt"),
]
COMMONSPACE_REMOVED = [
    (COMMONSPACE_TITLE, "title"),
    ("You can read more about the 1 March meeting here, and 13 March invitation here.",
     "link_remnant"),
    ("source: commonspace.eu with agencies", "source_line"),
    ("photo: The Presidential Administration in Baku, Azerbaijan", "photo_line"),
]


def _expected_paragraphs(name: str, removed: list[tuple[str, str]]) -> list[str]:
    """Every non-empty line of the raw paste, less the removed lines and the dateline prefix."""
    taken = {text for text, _ in removed}
    lines = [line for line in (RAW / f"{name}.txt").read_text("utf-8").split("\n") if line.strip()]
    kept = [line for line in lines if line not in taken]
    datelines = [text for text, rule in removed if rule == "dateline"]
    if datelines:
        kept[0] = kept[0].removeprefix(datelines[0]).lstrip()
    return kept


@pytest.mark.parametrize(
    ("name", "removed", "title", "count"),
    [(MIRROR, MIRROR_REMOVED, MIRROR_TITLE, 11), (COMMONSPACE, COMMONSPACE_REMOVED,
                                                   COMMONSPACE_TITLE, 8)],
)
def test_seed_keeps_every_news_paragraph_and_logs_every_removal(
    seed_records: dict, name: str, removed: list, title: str, count: int
) -> None:
    record = seed_records[name]
    assert [(r["text"], r["rule"]) for r in record["removed"]] == removed
    paragraphs = [p["text"] for p in record["paragraphs"]]
    assert paragraphs == _expected_paragraphs(name, removed)
    assert len(paragraphs) == count
    assert record["title"] == title
    assert record["body"] == "\n\n".join(paragraphs)
    for p in record["paragraphs"]:
        assert record["body"][p["start"]:p["end"]] == p["text"]


def test_seed_metadata_lines(seed_records: dict) -> None:
    mirror, commonspace = seed_records[MIRROR], seed_records[COMMONSPACE]
    assert mirror["byline"] == "Ruzanna Stepanian"
    assert mirror["dateline"] == "STEPANAKERT (Azatutyun)"
    assert mirror["captions"] == ["Arayik Harutyunyan"]
    assert mirror["body"].startswith("Nagorno-Karabakh’s leadership dismissed")
    assert commonspace["source"] == "commonspace.eu with agencies"
    assert commonspace["captions"] == ["The Presidential Administration in Baku, Azerbaijan"]
    crossheads = [p["text"] for p in commonspace["paragraphs"] if p["kind"] == "crosshead"]
    assert crossheads == [
        "Invitation rejected by de facto Nagorno-Karabakh authorities, insisting on an "
        '"internationally established negotiation format"'
    ]
    # Curly quotes and apostrophes survive cleaning untouched.
    assert "“reintegration”" in mirror["body"] and "Karabakh’s" in mirror["body"]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Sign up for our daily newsletter", "newsletter_prompt"),
        ("Get the Guardian's morning briefing straight to your inbox", "newsletter_prompt_inbox"),
        ("Read more: Armenia and Azerbaijan agree to talks", "read_more"),
        ("READ MORE", "read_more"),
        ("See also: the full timeline", "read_more"),
        ("Related: Peace talks stall again", "related_link"),
        ("Read the full statement here.", "link_remnant"),
        ("Click here to subscribe", "click_here"),
        ("For the latest updates, click here", "click_here"),
        ("Share this article", "share_prompt"),
        ("Follow us on Twitter", "share_prompt"),
        ("Featured image via Wikimedia Commons", "image_credit"),
        ("Photo: Aziz Karimov/Reuters", "photo_line"),
        ("President Ilham Aliyev in Baku on Monday. REUTERS/Aziz Karimov", "credit_line"),
        ("© 2023 Example News Ltd. All rights reserved.", "copyright_line"),
        ("Copyright 2023 Example News", "copyright_line"),
        ("Advertisement", "advertisement"),
        ("Sources: Reuters, AFP", "source_line"),
    ],
)
def test_boilerplate_rules_fire_between_paragraphs(line: str, rule: str) -> None:
    prose = "The talks resumed on Monday after a long pause, officials said."
    article = clean_text(f"A headline\n\n{prose}\n\n{line}\n\n{prose} Another sentence.")
    assert [(r.text, r.rule) for r in article.removed] == [("A headline", "title"), (line, rule)]


@pytest.mark.parametrize(
    "sentence",
    [
        "See more than 1,000 people gathered outside the parliament.",
        "Read the statement, the minister said, before judging it.",
        "Getty Images said it would appeal the ruling.",
        "By Monday, the talks had collapsed.",
        "Click, the company, said sales rose.",
        "Video credited to Reuters/Libya showed fighters with heavy weapons. They left.",
    ],
)
def test_news_sentences_are_never_taken_for_boilerplate(sentence: str) -> None:
    article = clean_text(f"Headline of the story\n\nFirst paragraph of the story.\n\n{sentence}")
    assert sentence in article.body
    assert [r.rule for r in article.removed] == ["title"]


@pytest.mark.parametrize(
    ("first", "dateline"),
    [
        ("WASHINGTON (Reuters) - The Senate voted.", "WASHINGTON (Reuters)"),
        ("LONDON, March 3 (Reuters) — Prices rose.", "LONDON, March 3 (Reuters)"),
        ("KYIV, Ukraine — Air raid sirens sounded.", "KYIV, Ukraine"),
        ("BAKU – Officials met on Monday.", "BAKU"),
        ("SEATTLE/WASHINGTON (Reuters) - Boeing said.", "SEATTLE/WASHINGTON (Reuters)"),
        ("UNITED NATIONS, March 3 (AP) — The council met.", "UNITED NATIONS, March 3 (AP)"),
        ("DES MOINES, Iowa, Aug. 10 (UPI) — Clinton spoke.", "DES MOINES, Iowa, Aug. 10 (UPI)"),
        ("WASHINGTON — The Senate voted.", "WASHINGTON"),
        ("WASHINGTON ― The Senate voted.", "WASHINGTON"),
        ("NEW YORK -- Stocks fell.", "NEW YORK"),
        ("(CNN) — The storm hit Florida.", "(CNN)"),
        ("CONCORD, N.H. - Sanders won.", "CONCORD, N.H."),
        ("New York (AFP) – Stocks fell.", "New York (AFP)"),
        ("Mexico City, March 3 (AFP) — The vote began.", "Mexico City, March 3 (AFP)"),
        ("Berlin (dpa) - The chancellor spoke.", "Berlin (dpa)"),
    ],
)
def test_datelines_move_to_metadata(first: str, dateline: str) -> None:
    article = clean_text(f"A Title\n\n{first}")
    assert article.dateline == dateline
    assert article.body == first.split(" ", len(dateline.split()) + 1)[-1]  # the sentence, whole


@pytest.mark.parametrize(
    "first",
    [
        "UK businesses are set to prosper - but rates may rise.",
        "DJ Norman Cook - aka Fatboy Slim - said dance music is not dead.",
        "U.S. stocks rose on Friday - the best week in a month.",
        "NEW: The minister resigned on Monday.",
        "Senator Smith (R) - who chairs the committee - objected.",
        "The European Union (EU) - its 27 members - agreed.",
        "Apple (AAPL) - the largest company - fell.",
    ],
)
def test_sentences_with_dashes_are_not_datelines(first: str) -> None:
    article = clean_text(f"A Title\n\n{first}")
    assert article.dateline is None
    assert article.body == first


def test_known_title_repeated_with_a_full_stop_is_dropped_before_the_dateline() -> None:
    article = clean_text(
        "Senate votes on the budget.\n\nWASHINGTON (AP) — The Senate voted.",
        title="Senate votes on the budget",
    )
    assert article.dateline == "WASHINGTON (AP)"
    assert article.body == "The Senate voted."


def test_kicker_is_not_a_dateline() -> None:
    article = clean_text("A Title\n\nEXCLUSIVE – The minister resigned on Monday.")
    assert article.dateline is None
    assert article.body.startswith("EXCLUSIVE")


def test_standfirst_after_title_stays_in_body() -> None:
    text = (
        "Japan turns to beer alternatives\n\n"
        "Japanese brewers are increasingly making money from beer-flavoured drinks\n\n"
        "Beer and spirits are heavily taxed in Japan, driving breweries to alternatives."
    )
    article = clean_text(text)
    assert article.title == "Japan turns to beer alternatives"
    assert article.paragraphs[0].text.startswith("Japanese brewers")


def test_known_title_is_not_guessed_and_its_repeat_is_dropped() -> None:
    article = clean_text("Big News Today\n\nThe story begins here.", title="Big news today")
    assert article.title == "Big news today"
    assert [(r.text, r.rule) for r in article.removed] == [("Big News Today", "duplicate_title")]


def test_list_items_are_not_crossheads() -> None:
    text = "Title\n\nThe seeds are as follows.\n\n1 Serena Williams (US)\n\n2 Venus Williams (US)" \
        "\n\nThe draw takes place on Friday."
    article = clean_text(text)
    assert all(p.kind == "paragraph" for p in article.paragraphs)


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    text = (
        "Title\n\nThis is a long paragraph of text that a mail client wrapped at a fixed\n"
        "width, so each of its lines ends where the next word did not fit any\nmore.\n\n"
        "source: agencies\nphoto: a street in Baku"
    )
    article = clean_text(text)
    assert article.paragraphs[0].text.endswith("did not fit any more.")
    assert article.source == "agencies"
    assert article.captions == ["a street in Baku"]


def test_normalisation_keeps_quotes_and_counts_changes() -> None:
    raw = "Karabakh\u2019s \u201cleaders\u201d\u00a0met\u200b in Ste\u00adpanakert\r\ncafe\u0301"
    text, counts = normalize_text(raw)
    assert text == "Karabakh’s “leaders” met in Stepanakert\ncafé"
    assert unicodedata.is_normalized("NFC", text)
    assert counts == {"zero_width": 1, "soft_hyphen": 1, "nonstandard_space": 1}


def test_shipped_rules_compile_once() -> None:
    assert load_rules() is load_rules()
    assert len({rule.name for rule in load_rules().rules}) == len(load_rules().rules)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: []\n", "'rules' must be a non-empty list"),
        ("rules:\n  - name: x\n    pattern: '('\n", "rule 'x': invalid pattern"),
        ("rules:\n  - name: x\n    pattern: a\n    colour: red\n", "rule 'x': unknown key"),
        ("rules:\n  - name: x\n    pattern: a\n  - name: x\n    pattern: b\n", "defined twice"),
        ("rules:\n  - name: x\n    action: delete\n    pattern: a\n", "'action' must be"),
        ("rules:\n  - name: x\n    action: field\n    pattern: a\n", "'field' is required"),
        ("rules: [\n", "invalid YAML"),
    ],
)
def test_bad_rules_file_names_file_and_rule(text: str, message: str) -> None:
    with pytest.raises(ResearchKitError, match=r"rules\.yml") as caught:
        parse_rules(text, "my/rules.yml")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_corpus_overrides_keep_drop_disable(tmp_path: Path) -> None:
    overrides = tmp_path / "cleaning.yml"
    overrides.write_text(
        "keep: ['^Read more about the archive']\n"
        "drop: ['^Exclusive to our readers']\n"
        "disable: [copyright_line]\n",
        encoding="utf-8",
    )
    rules = load_overrides(str(overrides))
    text = (
        "Title\n\nThe story begins.\n\nRead more about the archive here.\n\n"
        "Exclusive to our readers\n\nCopyright 2023 Example\n\nThe story ends."
    )
    article = clean_text(text, rules)
    assert "Read more about the archive here." in article.body
    assert "Copyright 2023 Example" in article.body
    assert [(r.text, r.rule) for r in article.removed][1:] == [
        ("Exclusive to our readers", "drop_1")
    ]


def test_overrides_reject_unknown_rule_names(tmp_path: Path) -> None:
    overrides = tmp_path / "cleaning.yml"
    overrides.write_text("disable: [no_such_rule]\n", encoding="utf-8")
    with pytest.raises(ResearchKitError, match="unknown rule"):
        load_overrides(str(overrides))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Cd.\n\n:“”\"'’—-()By©\u00a0\u200b\u00adXYZ")),
               max_size=400)
       | st.lists(st.sampled_from([
           "The talks resumed on Monday.", "Featured image via Getty Images",
           "READ MORE: Talks stall", "ADVERTISEMENT", "WASHINGTON (Reuters) -",
           " Click here to subscribe!", "Photo: Jane Doe", "\n\n", " ", "By Jane Doe",
           "Sign up for our newsletter.", "(AP Photo/Jane Doe)", "Read more"]),
           max_size=30).map("".join))
def test_cleaning_loses_nothing_and_offsets_hold(text: str) -> None:
    article = clean_text(text)
    for p in article.paragraphs:
        assert article.body[p.start:p.end] == p.text
    units = dict(_units(normalize_text(text)[0]))
    for r in article.removed:
        assert units[r.line][r.start:r.end] == r.text
    # Every input character ends in the body or the log, once (spaces between pieces aside).
    pieces = [p.text for p in article.paragraphs] + [r.text for r in article.removed]
    kept = Counter("".join(pieces))
    given_chars = Counter("".join(units.values()))
    for counter in (kept, given_chars):
        del counter[" "]
    assert kept == given_chars


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_cleaning_never_crashes_on_any_unicode(text: str) -> None:
    article = clean_text(text)
    assert article.body == "\n\n".join(p.text for p in article.paragraphs)


LONG = ("Officials from both sides met in Baku on Monday for the first time in months, and "
        "they agreed to meet again next week, although neither side would say where or when.")


@pytest.mark.parametrize(
    ("paragraph", "kept", "span", "rule"),
    [
        ("Stay tuned for further updates.Featured image via David McNew/Getty Images",
         "Stay tuned for further updates.", "Featured image via David McNew/Getty Images",
         "glued_image_credit"),
        (f"{LONG} (AP Photo/Susan Walsh)", LONG, "(AP Photo/Susan Walsh)", "glued_photo_credit"),
        ("The minister spoke in Baku.REUTERS/Aziz Karimov", "The minister spoke in Baku.",
         "REUTERS/Aziz Karimov", "glued_photo_credit"),
        ("The talks resumed on Monday. Sign up for our daily newsletter.",
         "The talks resumed on Monday.", "Sign up for our daily newsletter.",
         "glued_newsletter_prompt"),
        ("The talks resumed on Monday. Follow us on Twitter for the latest!",
         "The talks resumed on Monday.", "Follow us on Twitter for the latest!",
         "glued_share_prompt"),
        ("The talks resumed on Monday.READ MORE: Armenia and Azerbaijan agree to talks",
         "The talks resumed on Monday.", "READ MORE: Armenia and Azerbaijan agree to talks",
         "glued_read_more"),
        ("Have an idea for the story? Click here to contact us!", "Have an idea for the story?",
         "Click here to contact us!", "glued_click_here"),
        ("ADVERTISEMENT The talks resumed on Monday.", "The talks resumed on Monday.",
         "ADVERTISEMENT", "leading_advertisement"),
    ],
)
def test_boilerplate_glued_to_a_paragraph_is_cut_with_its_range(
    paragraph: str, kept: str, span: str, rule: str
) -> None:
    prose = "The first paragraph of the story, which is long enough to be prose."
    article = clean_text(f"A headline\n\n{prose}\n\n{paragraph}\n\nThe story ends here.")
    assert [p.text for p in article.paragraphs] == [prose, kept, "The story ends here."]
    (removal,) = [r for r in article.removed if r.rule != "title"]
    assert (removal.text, removal.rule, removal.line) == (span, rule, 5)
    assert paragraph[removal.start:removal.end] == span


@pytest.mark.parametrize(
    "paragraph",
    [
        "Photos by the agency showed the damage to the bridge.",
        "The agency said: read more about it in the report, which is due on Monday.",
        "He told reporters to click here and there on the map.",
        "Advertisement spending rose by 5% last year, the company said.",
        "The newsletter was sent to subscribers. Get your copy in the shop, they said.",
    ],
)
def test_news_sentences_at_paragraph_edges_are_not_spans(paragraph: str) -> None:
    article = clean_text(f"A headline\n\nThe story begins here, as stories do.\n\n{paragraph}")
    assert article.paragraphs[-1].text == paragraph
    assert [r.rule for r in article.removed] == ["title"]


def test_several_spans_are_cut_from_one_paragraph() -> None:
    paragraph = ("The talks resumed on Monday.READ MORE: Peace talks stall again. "
                 "Featured image via Wikimedia Commons")
    article = clean_text(f"Title\n\n{paragraph}")
    assert article.body == "The talks resumed on Monday."
    spans = [(r.rule, paragraph[r.start:r.end]) for r in article.removed[1:]]
    assert spans == [("glued_read_more", "READ MORE: Peace talks stall again."),
                     ("glued_image_credit", "Featured image via Wikimedia Commons")]
    assert article.captions == ["Wikimedia Commons"]


def test_dateline_range_is_in_the_original_paragraph() -> None:
    line = "ADVERTISEMENT WASHINGTON (Reuters) - The Senate voted."
    article = clean_text(f"A Title\n\n{line}")
    dateline = next(r for r in article.removed if r.rule == "dateline")
    assert line[dateline.start:dateline.end] == "WASHINGTON (Reuters) -"
    assert article.body == "The Senate voted."


def test_a_users_span_rule_runs_on_re2(tmp_path: Path) -> None:
    overrides = tmp_path / "cleaning.yml"
    overrides.write_text(
        "drop:\n  - {name: outlet_tail, position: end, pattern: 'Example Times is independent\\.'}"
        "\n", encoding="utf-8")
    rules = load_overrides(str(overrides))
    article = clean_text("Title\n\nThe talks resumed.Example Times is independent.", rules)
    assert article.body == "The talks resumed."
    assert [(r.rule, r.start) for r in article.removed][1:] == [("outlet_tail", 18)]


_END_RULES = [r for r in load_rules().rules if r.position == "end"]
_PIECES = st.sampled_from(["Sign up for our newsletter.", "Read more: ", "Share this article",
                           "He said.", "“Quoted.” ", "(AP) ", "x", " ", ". ", "! ", "”", "]",
                           "Follow us on Twitter", "…"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_an_end_rule_finds_what_one_search_from_any_sentence_start_finds(text: str) -> None:
    # The end rules are compiled as two patterns for speed; the match must be the one a single
    # search of "(?:^|sentence close)(span)\s*$" finds.
    for rule in _END_RULES:
        flags = rule.pattern.flags
        after = rule.pattern.pattern
        close, span = re.match(r"(\[.*?\] \?)(.*)", after, re.S).groups()
        single = re.compile(f"(?:^|{close}){span}", flags)
        found, expected = rule.find(text), single.search(text)
        assert (found and found.span("rk_span")) == (expected and expected.span("rk_span"))
