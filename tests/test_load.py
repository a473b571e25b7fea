"""Loading: formats, encodings, metadata, manifest verification, and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import COMMONSPACE, MIRROR, RAW, shared_path
from research_kit import Document, ResearchKitError, iter_documents, verify_manifest
from research_kit import load as load_module


def _documents(*paths: Path, **kwargs) -> list[Document | ResearchKitError]:
    return list(iter_documents(paths, **kwargs))


def test_raw_data_matches_its_manifest() -> None:
    assert verify_manifest(RAW) == {}


def test_seeds_load_with_metadata_and_inferred_fields() -> None:
    docs = {d.id: d for d in _documents(RAW)}
    assert sorted(docs) == [COMMONSPACE, MIRROR]
    mirror = docs[MIRROR]
    assert mirror.meta["outlet"] == "The Armenian Mirror-Spectator"
    assert mirror.meta["publisher"] == "Azatutyun (RFE/RL Armenian Service)"
    assert mirror.meta["author"] == "Ruzanna Stepanian"
    assert mirror.meta["date"] == "2023-03-28" and "date" in mirror.meta["inferred"]
    assert mirror.text == (RAW / f"{MIRROR}.txt").read_text("utf-8")


def test_tampered_raw_file_is_an_error_and_the_others_still_load(tmp_path: Path) -> None:
    corpus = tmp_path / "raw"
    shutil.copytree(RAW, corpus)
    target = corpus / f"{MIRROR}.txt"
    target.chmod(0o644)
    target.write_text(target.read_text("utf-8").replace("March 28", "March 29"), "utf-8")
    items = _documents(corpus)
    errors = [i for i in items if isinstance(i, ResearchKitError)]
    assert [e.path for e in errors] == [str(target)]
    assert "SHA-256 does not match" in errors[0].problem
    assert [i.id for i in items if isinstance(i, Document)] == [COMMONSPACE]


def test_unlisted_and_missing_files_are_errors(tmp_path: Path) -> None:
    corpus = tmp_path / "raw"
    shutil.copytree(RAW, corpus)
    (corpus / f"{COMMONSPACE}.txt").unlink()
    (corpus / "extra.txt").write_text("An article nobody listed.", "utf-8")
    problems = {e.path: e.problem for e in _documents(corpus) if isinstance(e, ResearchKitError)}
    assert "missing" in problems[str(corpus / f"{COMMONSPACE}.txt")]
    assert "not listed" in problems[str(corpus / "extra.txt")]


def test_cp1252_is_decoded_with_a_warning_not_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Title\n\nThe \u201cdeal\u201d cost \u00a3100 \u2013 or so.".encode("cp1252"))
    (doc,) = _documents(path)
    assert doc.text == "Title\n\nThe \u201cdeal\u201d cost \u00a3100 \u2013 or so."
    assert doc.warnings == ["not valid UTF-8 (byte 11); decoded as cp1252"]


def test_bbc_latin1_file_reads_cleanly() -> None:
    path = shared_path("data", "bbc", "sport", "199.txt")
    (doc,) = _documents(path)
    assert "£" in doc.text and "\ufffd" not in doc.text
    assert doc.warnings and "decoded as cp1252" in doc.warnings[0]


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffTitle\n\nBody text.".encode())
    (doc,) = _documents(path)
    assert doc.text == "Title\n\nBody text." and doc.warnings == []


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n \t\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("page.html", b"<html><body><script>var a = 1;</script></body></html>", "no article text"),
        ("data.pdf", b"%PDF-1.4", "unsupported file type"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path: Path, name: str, content: bytes,
                                       problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (error,) = _documents(path)
    assert isinstance(error, ResearchKitError)
    assert problem in error.problem and error.path == str(path)
    assert "\n" not in str(error)


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    (missing,) = _documents(tmp_path / "nope")
    assert "no such file" in missing.problem
    (empty,) = _documents(tmp_path)
    assert "no articles found" in empty.problem


def test_huge_file_is_refused_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "MAX_BYTES", 100)
    path = tmp_path / "huge.txt"
    path.write_text("word " * 100, "utf-8")
    (error,) = _documents(path)
    assert "too large" in error.problem


def test_one_bad_file_does_not_stop_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title A\n\nBody A.", "utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("Title C\n\nBody C.", "utf-8")
    items = _documents(tmp_path)
    assert [type(i).__name__ for i in items] == ["Document", "ResearchKitError", "Document"]


def test_nested_folders_give_relative_ids_and_skip_hidden(tmp_path: Path) -> None:
    (tmp_path / "sport").mkdir()
    (tmp_path / "sport" / "001.txt").write_text("T\n\nBody.", "utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("T\n\nBody.", "utf-8")
    assert [d.id for d in _documents(tmp_path)] == ["sport/001"]


def test_csv_with_metadata_columns(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    path.write_text(
        'id,title,outlet,date,text\n'
        'a1,Talks fail,Example Times,2023-03-28,"Talks failed.\n\nBoth sides left."\n'
        'a2,Empty,Example Times,2023-03-29,\n',
        "utf-8",
    )
    first, second = _documents(path)
    assert first.id == "a1" and first.title == "Talks fail"
    assert first.meta == {"outlet": "Example Times", "date": "2023-03-28"}
    assert first.text == "Talks failed.\n\nBoth sides left."
    assert isinstance(second, ResearchKitError) and "row 2 has no text" in second.problem


def test_csv_without_text_column_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    path.write_text("id,headline\n1,Hello\n", "utf-8")
    (error,) = _documents(path)
    assert "no text column" in error.problem and "'headline'" in error.problem


def test_text_column_can_be_named(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    path.write_text("id,story\n1,Body text.\n", "utf-8")
    (doc,) = _documents(path, text_column="story")
    assert doc.text == "Body text."


def test_jsonl_bad_lines_are_reported_and_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    rows = [{"id": "x", "text": "First body."}, "not json", ["a list"], {"text": "Second."}]
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", "utf-8"
    )
    items = _documents(path)
    assert [getattr(i, "id", None) for i in items] == ["x", None, None, "corpus-000004"]
    assert "line 2 is not valid JSON" in items[1].problem
    assert "line 3 is not a JSON object" in items[2].problem


def test_html_is_extracted_with_trafilatura(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story says that the talks in Baku resumed after a long pause "
        f"and that officials from both sides met for several hours on Monday.</p>"
        for n in range(1, 5)
    )
    path.write_text(
        "<html><head><title>Talks resume | Example News</title>"
        '<meta name="author" content="Jane Doe"></head><body><nav>Home | World</nav>'
        f"<article><h1>Talks resume</h1>{paragraphs}</article>"
        "<footer>Copyright Example News</footer></body></html>",
        "utf-8",
    )
    (doc,) = _documents(path)
    assert doc.format == "html" and doc.title == "Talks resume"
    assert doc.meta.get("author") == "Jane Doe"
    assert "Paragraph 1 of the story" in doc.text and "Home | World" not in doc.text
