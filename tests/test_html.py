"""HTML pages: trafilatura's text kept whole, reader comments apart, headline without the site."""

from __future__ import annotations

from pathlib import Path

from research_kit import ResearchKitError, analyze_document
from research_kit.load import RECALL_WARNING, iter_documents

STORY = "".join(
    f"<p>Paragraph {n} of the story says that the talks in Baku resumed after a long pause "
    "and that officials from both sides met for several hours on Monday evening.</p>"
    for n in range(1, 5)
)


def _page(tmp_path: Path, html: str) -> Path:
    path = tmp_path / "page.html"
    path.write_text(html, "utf-8")
    return path


def test_reader_comments_go_to_their_own_field_not_the_body(tmp_path: Path) -> None:
    path = _page(
        tmp_path,
        "<html><head><title>Talks resume</title></head><body>"
        f"<article><h1>Talks resume</h1>{STORY}</article>"
        '<div id="comments"><p>Reader one: I think the talks will fail again this time, '
        "as they always have before.</p></div></body></html>",
    )
    (doc,) = iter_documents([path])
    record = analyze_document(doc)
    assert "Reader one: I think the talks will fail" in record["comments"]
    assert "Reader one" not in record["body"]
    assert record["body"].startswith("Paragraph 1 of the story")


def test_page_title_loses_the_site_name(tmp_path: Path) -> None:
    path = _page(
        tmp_path,
        "<html><head><title>Talks resume in Baku - Example News</title>"
        '<meta property="og:site_name" content="Example News"></head>'
        f"<body><article>{STORY}</article></body></html>",
    )
    (doc,) = iter_documents([path])
    assert doc.title == "Talks resume in Baku"


def test_headline_in_the_text_wins_over_a_longer_page_title(tmp_path: Path) -> None:
    path = _page(
        tmp_path,
        "<html><head><title>Example Blog | Talks resume in Baku</title></head>"
        f"<body><article><h1>Talks resume in Baku</h1>{STORY}</article></body></html>",
    )
    (doc,) = iter_documents([path])
    record = analyze_document(doc)
    assert record["title"] == "Talks resume in Baku"
    assert record["body"].startswith("Paragraph 1")


def test_page_without_main_text_falls_back_to_recall_mode(tmp_path: Path) -> None:
    path = _page(
        tmp_path,
        "<html><body><footer><p>The council met on Monday and agreed the budget for next year "
        "after a long debate.</p></footer></body></html>",
    )
    (doc,) = iter_documents([path])
    assert not isinstance(doc, ResearchKitError)
    assert doc.text.startswith("The council met on Monday")
    assert doc.warnings == [RECALL_WARNING]


def test_text_pastes_have_no_comments(seed_records: dict) -> None:
    assert all(record["comments"] is None for record in seed_records.values())
