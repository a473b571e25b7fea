"""Database exports: Nexis text and Word, Factiva RTF and HTML, one record per article."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from research_kit import ResearchKitError, iter_records
from research_kit.exports import language_code

NEXIS_TXT = """\
                              1 of 3 DOCUMENTS

                              The Example Times

                           March 3, 2016 Thursday
                             Late Edition - Final

Senate Passes Budget After Long Debate

BYLINE: By JANE DOE

SECTION: Section A; Column 0; National Desk; Pg. 1

LENGTH: 412 words

DATELINE: WASHINGTON

The Senate passed the budget on Wednesday after a debate that lasted two days.

Senators from both parties said the compromise was the best they could reach.

URL: http://www.example.com/2016/03/03/budget.html

LOAD-DATE: March 3, 2016

LANGUAGE: ENGLISH

PUBLICATION-TYPE: Newspaper

Copyright 2016 The Example Times Company


                              2 of 3 DOCUMENTS

                              The Daily Example

                           March 4, 2016 Friday

Budget Vote Splits Party

BYLINE: John Roe

LENGTH: 230 words

The vote split the party, officials said on Thursday.

LOAD-DATE: March 5, 2016

LANGUAGE: ENGLISH

Copyright 2016 Daily Example Ltd.


                              3 of 3 DOCUMENTS

                              The Daily Example

LOAD-DATE: March 5, 2016
"""

NEXIS_UNI = [
    "Budget Vote Splits Party", "The Daily Example", "March 4, 2016 Friday",
    "Copyright 2016 Daily Example Ltd. All Rights Reserved", "Length: 230 words",
    "Byline: John Roe", "Body", "The vote split the party, officials said on Thursday.",
    "Both sides said they would try again next week.", "Load-Date: March 5, 2016",
    "End of Document",
    "Talks Resume In Baku", "Example Wire", "April 2, 2023 Sunday",
    "Copyright 2023 Example Wire", "Length: 120 words", "Section: WORLD", "Body",
    "Officials met in Baku on Sunday for a second round of talks.",
    "Load-Date: April 3, 2023", "End of Document",
]

FACTIVA_CODES = [
    ("HD", "Senate passes budget"), ("BY", "By Jane Doe"), ("WC", "412 words"),
    ("PD", "3 March 2016"), ("SN", "The Example Times"), ("SC", "EXTM"), ("LA", "English"),
    ("CY", "Copyright 2016 The Example Times Company. All Rights Reserved."),
    ("LP", "The Senate passed the budget on Wednesday."),
    ("TD", "Senators said the compromise was the best they could reach."),
    ("AN", "Document EXTM000020160303ec330001"),
    ("HD", "Budget vote splits party"), ("WC", "230 words"), ("PD", "4 March 2016"),
    ("SN", "The Daily Example"), ("LA", "English"), ("CY", "(c) 2016 Daily Example Ltd."),
    ("AN", "Document DEXM000020160304ec340001"),
]


def _records(path: Path) -> list:
    return list(iter_records([path]))


def test_nexis_text_export_is_one_record_per_article(tmp_path: Path) -> None:
    path = tmp_path / "nexis.txt"
    path.write_text(NEXIS_TXT, "utf-8")
    first, second, bad = _records(path)
    assert (first["id"], first["path"], first["format"]) == ("nexis-001", f"{path}:1", "nexis-txt")
    assert first["outlet"] == "The Example Times" and first["date"] == "2016-03-03"
    assert first["title"] == "Senate Passes Budget After Long Debate"
    assert (first["byline"], first["length"], first["language"]) == ("JANE DOE", 412, "en")
    assert first["section"] == "Section A; Column 0; National Desk; Pg. 1"
    assert first["dateline"] == "WASHINGTON"
    assert first["body"] == (
        "The Senate passed the budget on Wednesday after a debate that lasted two days.\n\n"
        "Senators from both parties said the compromise was the best they could reach."
    )
    logged = {r["rule"]: r["text"] for r in first["removed"]}
    assert logged["export_document_number"] == "1 of 3 DOCUMENTS"
    assert logged["export_load_date"] == "LOAD-DATE: March 3, 2016"
    assert logged["export_copyright"] == "Copyright 2016 The Example Times Company"
    assert second["title"] == "Budget Vote Splits Party" and second["byline"] == "John Roe"
    assert isinstance(bad, ResearchKitError)
    assert str(bad) .endswith("nexis.txt: article 3: no body text")


def test_nexis_uni_word_export(tmp_path: Path) -> None:
    document = docx.Document()
    for line in NEXIS_UNI:
        document.add_paragraph(line)
    path = tmp_path / "uni.docx"
    document.save(str(path))
    first, second = _records(path)
    assert first["format"] == "nexis-docx"
    assert (first["title"], first["outlet"], first["date"]) == (
        "Budget Vote Splits Party", "The Daily Example", "2016-03-04")
    assert first["byline"] == "John Roe" and first["length"] == 230
    assert first["body"] == ("The vote split the party, officials said on Thursday.\n\n"
                             "Both sides said they would try again next week.")
    assert "export_copyright" in {r["rule"] for r in first["removed"]}
    assert (second["title"], second["section"], second["date"]) == (
        "Talks Resume In Baku", "WORLD", "2023-04-02")


def test_factiva_rtf_export(tmp_path: Path) -> None:
    body = "\\par ".join(f"{code}\\tab {value}" for code, value in FACTIVA_CODES)
    path = tmp_path / "factiva.rtf"
    path.write_text("{\\rtf1\\ansi\\deff0 " + body + "\\par }", "utf-8")
    first, second = _records(path)
    assert first["format"] == "factiva-rtf"
    assert (first["title"], first["byline"], first["length"]) == (
        "Senate passes budget", "Jane Doe", 412)
    assert (first["date"], first["outlet"], first["language"]) == (
        "2016-03-03", "The Example Times", "en")
    assert first["body"] == ("The Senate passed the budget on Wednesday.\n\n"
                             "Senators said the compromise was the best they could reach.")
    logged = {r["rule"] for r in first["removed"]}
    assert {"export_copyright", "export_document_number", "export_code_sc"} <= logged
    assert isinstance(second, ResearchKitError) and "article 2: no body text" in str(second)


def test_factiva_html_export(tmp_path: Path) -> None:
    rows = "".join(f"<tr><td><b>{c}</b></td><td>{v}</td></tr>" for c, v in FACTIVA_CODES[:11])
    path = tmp_path / "factiva.html"
    path.write_text(
        f"<html><head><title>Factiva</title></head><body><table>{rows}</table>"
        "<p>(c) 2016 Factiva, Inc. All rights reserved.</p></body></html>", "utf-8")
    (record,) = _records(path)
    assert record["format"] == "factiva-html"
    assert record["title"] == "Senate passes budget" and record["date"] == "2016-03-03"
    assert record["body"].startswith("The Senate passed the budget on Wednesday.")


def test_factiva_display_layout(tmp_path: Path) -> None:
    path = tmp_path / "factiva.txt"
    path.write_text(
        "Senate passes budget\nBy Jane Doe\n412 words\n3 March 2016\nThe Example Times\nEXTM\n"
        "English\nCopyright 2016 The Example Times Company. All Rights Reserved.\n\n"
        "The Senate passed the budget on Wednesday.\n\nDocument EXTM000020160303ec330001\n",
        "utf-8")
    (record,) = _records(path)
    assert (record["title"], record["byline"], record["outlet"], record["language"]) == (
        "Senate passes budget", "Jane Doe", "The Example Times", "en")
    assert record["body"] == "The Senate passed the budget on Wednesday."


@pytest.mark.parametrize("content", [b"not a zip file", b""])
def test_broken_word_file_is_one_line_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    (error,) = _records(path)
    assert isinstance(error, ResearchKitError) and "broken.docx" in str(error)
    assert "\n" not in str(error)


def test_ordinary_text_is_not_taken_for_an_export(seed_records: dict) -> None:
    assert all(r["format"] == "txt" and r["section"] is None for r in seed_records.values())


@pytest.mark.parametrize(("written", "code"), [
    ("ENGLISH", "en"), ("English", "en"), ("ENG", "en"), ("ger", "de"), ("en-GB", "en"),
    ("ENGLISH; ENGLISH", "en"), ("Chinese-Simplified", "zh"), ("Deutsch", "de"),
    ("Armenian", "hy"), ("ENGLISH; FRENCH", "ENGLISH; FRENCH"), ("Klingon-ish", "Klingon-ish"),
])
def test_languages_become_iso_639_1_codes_or_stay_as_written(written: str, code: str) -> None:
    assert language_code(written) == code


NEXIS_UNI_COVER = [
    "Date and Time: Tuesday, April 4, 2023 10:12:00 AM EDT", "Job Number: 190912345",
    "Documents (2)", "1. Talks Resume In Baku", "Client/Matter: -None-",
    "Search Terms: Baku talks", "Search Type: Natural Language", "Narrowed by: ",
    "Content Type Narrowed by", "News Sources: Example Wire",
    "2. Leaders Meet Again", "Client/Matter: -None-", "Search Terms: Baku talks",
    "Search Type: Natural Language", "Narrowed by: ", "Content Type Narrowed by",
    "News Sources: Example Wire",
]
NEXIS_UNI_ARTICLE = [
    "Talks Resume In Baku", "Example Wire", "April 2, 2023 Sunday",
    "Copyright 2023 Example Wire All Rights Reserved", "Section:\u00a0WORLD; Pg. 4",
    "Length:\u00a0120 words", "Byline:\u00a0Ann Smith", "Dateline:\u00a0BAKU", "Body",
    "Officials met in Baku on Sunday for a second round of talks.",
    "Graphic", "PHOTO: Delegates arrive in Baku. (Photo by Example Wire)",
    "Classification", "Language:\u00a0ENGLISH", "Publication-Type:\u00a0Newswire",
    "Subject:\u00a0PEACE PROCESS (90%); DIPLOMACY (88%)", "Load-Date:\u00a0April 3, 2023",
    "End of Document",
]


def test_nexis_uni_word_export_with_cover_page_graphic_and_classification(tmp_path: Path) -> None:
    """The Nexis Uni layout: a cover page listing the documents, fields with a no-break space
    after the colon, photo captions under "Graphic", indexing under "Classification"."""
    document = docx.Document()
    second = [line.replace("Talks Resume In Baku", "Leaders Meet Again") for line in
              NEXIS_UNI_ARTICLE]
    for line in [*NEXIS_UNI_COVER, *NEXIS_UNI_ARTICLE, *second]:
        document.add_paragraph(line)
    path = tmp_path / "uni.docx"
    document.save(str(path))
    first, other = _records(path)
    assert (first["title"], first["outlet"], first["date"]) == (
        "Talks Resume In Baku", "Example Wire", "2023-04-02")
    assert (first["section"], first["length"], first["byline"], first["language"]) == (
        "WORLD; Pg. 4", 120, "Ann Smith", "en")
    assert first["body"] == "Officials met in Baku on Sunday for a second round of talks."
    rules = {r["text"]: r["rule"] for r in first["removed"]}
    assert rules["Job Number: 190912345"] == "export_cover"
    assert rules["1. Talks Resume In Baku"] == "export_cover"
    assert rules["PHOTO: Delegates arrive in Baku. (Photo by Example Wire)"] == "export_graphic"
    assert rules["Classification"] == "export_classification"
    assert other["title"] == "Leaders Meet Again" and other["language"] == "en"
    assert not any(r["rule"] == "export_cover" for r in other["removed"])


def test_nexis_academic_export_with_its_download_request_page(tmp_path: Path) -> None:
    """LexisNexis Academic: the download request before "1 of N DOCUMENTS", an edition under
    the date, a copyright notice on two lines."""
    path = tmp_path / "academic.txt"
    path.write_text(
        "Download Request: Selected Items: 1-2\nTime Of Request: Friday, March 4, 2016\n\n"
        "Terms: (budget)\n\nSource: The Example Times\n\n"
        + NEXIS_TXT.split("                              3 of 3 DOCUMENTS")[0]
        .replace("Late Edition - Final", "Late Edition - Final\n                 Scotland")
        .replace("Copyright 2016 The Example Times Company",
                 "Copyright 2016 The Example Times Company\n       All Rights Reserved"),
        "utf-8")
    first, second = _records(path)
    assert first["title"] == "Senate Passes Budget After Long Debate"
    assert first["outlet"] == "The Example Times" and first["language"] == "en"
    rules = {r["text"]: r["rule"] for r in first["removed"]}
    assert rules["Terms: (budget)"] == "export_cover"
    assert rules["All Rights Reserved"] == "export_trailer"
    assert rules["Scotland"] == "export_header"
    assert "All Rights Reserved" not in first["body"]
    assert second["title"] == "Budget Vote Splits Party"


def test_factiva_rtf_export_in_the_display_layout(tmp_path: Path) -> None:
    """Factiva's article view saved as RTF: no field codes, "Document AN" closes each article."""
    lines = ["Senate passes budget", "By Jane Doe", "412 words", "3 March 2016",
             "The Example Times", "EXTM", "English",
             "Copyright 2016 The Example Times Company. All Rights Reserved.",
             "", "The Senate passed the budget on Wednesday.", "",
             "Senators said the compromise was the best they could reach.", "",
             "Document EXTM000020160303ec330001", "", "Budget vote splits party", "230 words",
             "4 March 2016", "The Daily Example", "DEXM", "German",
             "(c) 2016 Daily Example Ltd.", "", "Die Abstimmung spaltete die Partei.", "",
             "Document DEXM000020160304ec340001"]
    path = tmp_path / "display.rtf"
    path.write_text("{\\rtf1\\ansi\\deff0 " + "\\par ".join(lines) + "\\par }", "utf-8")
    first, second = _records(path)
    assert first["format"] == "factiva-rtf"
    assert (first["title"], first["byline"], first["outlet"], first["date"], first["language"]) == (
        "Senate passes budget", "Jane Doe", "The Example Times", "2016-03-03", "en")
    assert first["body"] == ("The Senate passed the budget on Wednesday.\n\n"
                             "Senators said the compromise was the best they could reach.")
    assert (second["outlet"], second["language"], second["length"]) == (
        "The Daily Example", "de", 230)
    assert "export_document_number" in {r["rule"] for r in second["removed"]}


_CODE_LIKE_PARAGRAPHS = ["IN BRIEF", "LA Times reported the talks were close, an aide said.",
                         "TD Bank said it would not comment.", "CT scans were ordered."]
_TRAILING_FIELDS = [("CO", "exmco : Example Corp"), ("NS", "gpol : Domestic Politics"),
                    ("RE", "eurz : Europe"), ("AN", "Document EXTM000020160303ec330001")]


@pytest.mark.parametrize("separator", ["\t", " "])
def test_factiva_paragraphs_that_start_like_field_codes_stay_in_the_body(
        tmp_path: Path, separator: str) -> None:
    head = [("HD", "Senate passes budget"), ("PD", "3 March 2016"), ("SN", "The Example Times"),
            ("LP", "The Senate passed the budget on Wednesday."),
            ("TD", "Senators said the compromise was the best they could reach.")]
    lines = [f"{code}{separator}{value}" for code, value in head] + _CODE_LIKE_PARAGRAPHS + [
        f"{code}{separator}{value}" for code, value in _TRAILING_FIELDS]
    path = tmp_path / "factiva.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    (record,) = _records(path)
    paragraphs = record["body"].split("\n\n")
    assert paragraphs[1:] == [head[-1][1], *_CODE_LIKE_PARAGRAPHS]
    logged = {r["rule"] for r in record["removed"]}
    assert {"export_code_co", "export_code_ns", "export_code_re", "export_document_number"
            } <= logged
