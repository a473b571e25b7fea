"""Hostile tests, bad inputs: sidecar files, metadata of any type, odd text and option values
each cost one line (and only their own folder, row or file), never a traceback."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from research_kit import cli
from research_kit.errors import ResearchKitError
from research_kit.load import iter_documents, manifest_lines, read_manifest

ARTICLE = "Officials met on Monday. \u201cWe will talk,\u201d the minister said.\n"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def good_and_bad(tmp_path: Path, sidecar: str, content: bytes) -> tuple[Path, Path]:
    """Two folders of one corpus: `good/` clean, `bad/` with a broken sidecar file."""
    good, bad = tmp_path / "good", tmp_path / "bad"
    for folder in (good, bad):
        folder.mkdir()
        (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (bad / sidecar).write_bytes(content)
    return good, bad


@pytest.mark.parametrize(
    ("sidecar", "content", "problem"),
    [
        ("SHA256SUMS", f"{'0' * 64}  caf\u00e9.txt\n".encode("cp1252"), "not UTF-8 text"),
        ("SHA256SUMS", b"not a manifest line\n", "line 1 is not"),
        ("metadata.yml", "articles:\n  - file: caf\u00e9.txt\n".encode("cp1252"),
         "not UTF-8 text"),
        ("metadata.yml", b"articles: [\n", "invalid YAML"),
        ("metadata.yml", b"articles:\n  - file: a.txt\n    date: [2023]\n",
         "articles[1].date: expected text, got a list"),
    ],
)
def test_a_broken_sidecar_costs_its_folder_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sidecar: str, content: bytes,
    problem: str,
) -> None:
    good, bad = good_and_bad(tmp_path, sidecar, content)
    parent = tmp_path / "corpus"
    parent.mkdir()
    shutil.move(good, parent / "good")
    shutil.move(bad, parent / "bad")
    code, out, err = run_cli(capsys, "analyze", str(parent), "--json")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert f"{parent / 'bad' / sidecar}: " in lines[0] and problem in lines[0]
    assert [r["id"] for r in json.loads(out)] == ["good/a"]


@pytest.mark.parametrize("sidecar", ["SHA256SUMS", "metadata.yml"])
def test_a_sidecar_that_is_not_a_file_costs_its_folder_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sidecar: str
) -> None:
    parent = tmp_path / "corpus"
    for name in ("good", "bad"):
        (parent / name).mkdir(parents=True)
        (parent / name / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (parent / "bad" / sidecar).mkdir()  # unreadable as a file: not passed over in silence
    code, out, err = run_cli(capsys, "analyze", str(parent), "--json")
    assert code == 1
    lines = err.strip().splitlines()
    assert lines == [f"research-kit: error: {parent / 'bad' / sidecar}: not a regular file; "
                     "a sidecar file must be one"]
    assert [r["id"] for r in json.loads(out)] == ["good/a"]


def test_sha256sum_binary_and_escaped_lines_are_accepted(tmp_path: Path) -> None:
    names = ["plain.txt", "back\\slash.txt", "new\nline.txt"]
    for name in names:
        (tmp_path / name).write_text(ARTICLE + name, encoding="utf-8")
    # As `sha256sum -b *` writes them: '*' for binary mode, a leading backslash for escapes.
    lines = [
        f"{digest((tmp_path / 'plain.txt').read_bytes())} *plain.txt",
        f"\\{digest((tmp_path / names[1]).read_bytes())} *back\\\\slash.txt",
        f"\\{digest((tmp_path / names[2]).read_bytes())}  new\\nline.txt",
    ]
    (tmp_path / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert set(read_manifest(tmp_path)) == set(names)
    documents = list(iter_documents([tmp_path]))
    assert all(not isinstance(d, ResearchKitError) for d in documents), documents
    # What `research-kit manifest` writes, its own reader accepts, escapes and all.
    (tmp_path / "SHA256SUMS").write_text(manifest_lines(tmp_path), encoding="utf-8")
    assert read_manifest(tmp_path) == {
        name: digest((tmp_path / name).read_bytes()) for name in names
    }
    assert manifest_lines(tmp_path).splitlines()[0].startswith("\\")


def test_metadata_of_any_json_type_in_rows(tmp_path: Path) -> None:
    table = tmp_path / "rows.jsonl"
    text = json.dumps(ARTICLE.strip())
    rows = [
        '{"text": TEXT, "title": 1984, "date": 20230328, "id": 7}',
        '{"text": TEXT, "date": NaN, "author": null}',
        '{"text": TEXT, "author": ["A", "B"]}',
        '{"text": TEXT, "outlet": {"name": "X"}}',
        '{"text": "bad \\ud800 surrogate"}',
        '{"text": TEXT, "title": "\\udc80"}',
        '{"text": TEXT}',
    ]
    table.write_text("\n".join(r.replace("TEXT", text) for r in rows) + "\n", encoding="utf-8")
    items = list(iter_documents([table]))
    assert items[0].title == "1984" and items[0].meta["date"] == "20230328"
    assert items[0].id == "7"
    assert "date" not in items[1].meta  # NaN is pandas' missing value
    assert "row 3: column 'author': expected text, got a list" in str(items[2])
    assert "row 4: column 'outlet': expected text, got a mapping" in str(items[3])
    assert "row 5: column 'text' is not valid Unicode" in str(items[4])
    assert "row 6: column 'title' is not valid Unicode" in str(items[5])
    assert items[6].id == "rows-000007"


def test_output_is_always_strict_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "rows.jsonl"
    table.write_text(json.dumps({"text": ARTICLE, "date": float("nan"),
                                 "title": float("inf")}) + "\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "analyze", str(table), "--json")
    assert code == 1 and "column 'title': expected text, got an infinite number" in err
    assert json.loads(out) == []
    table.write_text(json.dumps({"text": ARTICLE, "date": float("nan")}) + "\n",
                     encoding="utf-8")
    code, out, _ = run_cli(capsys, "analyze", str(table), "--json")
    assert code == 0
    json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in the output"))


@pytest.mark.parametrize(
    "args",
    [
        ["kwic", "-w", "-1", "x", "data/raw"],
        ["kwic", "--window", "many", "x", "data/raw"],
        ["analyze", "--jobs", "0", "data/raw"],
        ["reports", "--jobs", "-2"],
    ],
)
def test_invalid_option_values_are_usage_errors(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "expected a whole number" in err and "Traceback" not in err


def test_a_lexicon_parameter_naming_a_folder_or_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for lexicon in (tmp_path, tmp_path / "missing.yml"):
        code, _, err = run_cli(capsys, "analyze", "data/raw", "--lexicon", str(lexicon))
        assert code == 2
        assert err.count("\n") == 1 and "cannot read lexicon" in err


NON_LATIN = {
    "shift_jis": ("東京で首相は「話し合う」と述べた。日本の経済は回復している。\n" * 3, "cp932"),
    "gb18030": ("北京政府表示将举行会谈。中国经济正在复苏。\n" * 3, "gb18030"),
    "cp1251": ("Министр заявил, что переговоры состоятся в понедельник. Экономика растёт.\n" * 3,
               "cp1251"),
}


@pytest.mark.parametrize("encoding", sorted(NON_LATIN))
def test_non_latin_legacy_encodings_are_detected_not_mojibake(
    tmp_path: Path, encoding: str
) -> None:
    text, detected = NON_LATIN[encoding]
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    [doc] = iter_documents([path])
    assert doc.text == text
    assert doc.warnings == [doc.warnings[0]] and f"detected as {detected}" in doc.warnings[0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_with_or_without_a_bom(tmp_path: Path, encoding: str) -> None:
    text = "The minister said \u201cwe will talk\u201d on Monday. Министр заявил.\n" * 3
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    [doc] = iter_documents([path])
    assert doc.text == text and "not UTF-8" in doc.warnings[0]


def test_latin_text_keeps_cp1252(tmp_path: Path) -> None:
    # One '£' in English (as in BBC sport/199.txt) is too little for a detector: cp1252 it is.
    path = tmp_path / "a.txt"
    text = "Chelsea paid \u00a315.8m for Mutu, the \u201cstriker\u201d.\n"
    path.write_bytes(text.encode("cp1252"))
    [doc] = iter_documents([path])
    assert doc.text.startswith("Chelsea paid \u00a315.8m")
    assert doc.warnings == ["not valid UTF-8 (byte 13); decoded as cp1252"]


def test_undecodable_and_binary_files_are_refused_one_line(tmp_path: Path) -> None:
    late = tmp_path / "late.txt"
    late.write_bytes(b"Plain text. " * 2000 + b"\x00\x01\x02")  # NUL far past the first 8 KB
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(128, 256)) * 4)
    errors = [str(item) for item in iter_documents([late, noise])]
    assert errors == [
        f"{late}: binary file, not text (contains NUL bytes)",
        f"{noise}: not valid UTF-8 (byte 0) and no other encoding could be told; save it as UTF-8",
    ]


def test_jsonl_lines_in_a_non_latin_legacy_encoding_cost_their_row(tmp_path: Path) -> None:
    table = tmp_path / "t.jsonl"
    good = json.dumps({"text": ARTICLE}).encode("utf-8")
    russian = json.dumps({"text": NON_LATIN["cp1251"][0]}, ensure_ascii=False).encode("cp1251")
    table.write_bytes(good + b"\n" + russian + b"\n")
    first, second = iter_documents([table])
    assert first.text == ARTICLE
    assert isinstance(second, ResearchKitError) and "not valid UTF-8" in str(second)


def test_csv_in_a_non_latin_legacy_encoding_is_detected(tmp_path: Path) -> None:
    text = NON_LATIN["cp1251"][0].splitlines()[0].replace(",", "")
    table = tmp_path / "t.csv"
    table.write_bytes(f"id,text\n1,{text}\n".encode("cp1251"))
    [doc] = iter_documents([table])
    assert doc.text == text and "detected as cp1251" in doc.warnings[0]
