"""Hostile tests, data safety: no run loses, truncates or writes into data it was given."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import COMMONSPACE, MIRROR, RAW
from research_kit import cli, engines, tables
from research_kit.load import iter_documents, sha256_file

ARTICLE = "Officials met on Monday. \u201cWe will talk,\u201d the minister said.\n"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str, *fragments: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256_file(p) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE.replace("Monday", "Tuesday"), encoding="utf-8")
    return folder


def test_out_naming_an_input_is_refused_and_the_input_kept(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "in.jsonl"
    table.write_text(json.dumps({"text": ARTICLE}) + "\n", encoding="utf-8")
    before = table.read_bytes()
    code, _, err = run_cli(capsys, "analyze", str(table), "-q", "--out", str(table))
    assert code == 2
    one_line(err, "in.jsonl", "is one of the inputs")
    assert table.read_bytes() == before
    # The same file named another way (through a relative path with ..) is the same input.
    other = corpus / ".." / "in.jsonl"
    code, _, err = run_cli(capsys, "analyze", str(table), "-q", "--out", str(other))
    assert code == 2 and table.read_bytes() == before


@pytest.mark.parametrize("inside", ["out.jsonl", "sub/deeper/out.csv"])
def test_out_inside_an_input_folder_is_refused_before_writing(
    corpus: Path, capsys: pytest.CaptureFixture[str], inside: str
) -> None:
    target = corpus / inside
    target.parent.mkdir(parents=True, exist_ok=True)
    before = snapshot(corpus)
    code, _, err = run_cli(capsys, "analyze", str(corpus), "-q", "--out", str(target))
    assert code == 2
    one_line(err, "inside the input folder")
    assert snapshot(corpus) == before


@pytest.mark.parametrize("where", [".", "sub"])
def test_nothing_is_written_inside_a_folder_with_a_manifest(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / where).mkdir(exist_ok=True)
    before = snapshot(raw)
    code, _, err = run_cli(capsys, "analyze", str(corpus), "-q", "--out",
                           str(raw / where / "out.jsonl"))
    assert code == 2
    one_line(err, "SHA256SUMS", "never written")
    assert snapshot(raw) == before
    with pytest.raises(Exception, match="never written"):
        tables.write_records([], raw / where / "api.jsonl")


def test_out_is_a_folder_or_in_a_missing_folder(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "analyze", str(corpus), "-q", "--out", str(tmp_path))
    assert code == 2
    one_line(err, "is a folder")
    code, _, err = run_cli(capsys, "analyze", str(corpus), "-q", "--out",
                           str(tmp_path / "missing" / "o.jsonl"))
    assert code == 2
    one_line(err, "output folder does not exist")


def _no_partial_files(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_a_failed_run_leaves_the_previous_output(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    out = tmp_path / f"out{suffix}"
    code, _, _ = run_cli(capsys, "analyze", str(corpus), "-q", "--out", str(out))
    assert code == 0
    previous = out.read_bytes()
    (corpus / "c.txt").write_bytes(b"")  # empty: a bad input, fatal with --strict
    (corpus / "d.txt").write_text(ARTICLE + "More.\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "analyze", str(corpus), "-q", "--strict", "--out", str(out))
    assert code == 2
    one_line(err, "c.txt", "empty file")
    assert out.read_bytes() == previous
    _no_partial_files(tmp_path)


def test_a_full_disk_is_one_line_and_keeps_the_previous_output(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")

    def full(records: object, handle: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tables, "_write_jsonl", full)
    code, _, err = run_cli(capsys, "analyze", str(corpus), "-q", "--out", str(out))
    assert code == 2
    one_line(err, "out.jsonl", "cannot write", "No space left on device")
    assert out.read_text(encoding="utf-8") == "previous\n"
    _no_partial_files(tmp_path)


def test_an_interrupt_while_writing_publishes_nothing(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out.csv"
    out.write_text("previous\n", encoding="utf-8")
    real = engines.analyze_corpus  # the CLI imports it from engines when a command runs

    def interrupted(*args: object, **kwargs: object) -> Iterator[object]:
        items = real(*args, **kwargs)
        yield next(items)
        raise KeyboardInterrupt

    monkeypatch.setattr(engines, "analyze_corpus", interrupted)
    code, _, err = run_cli(capsys, "analyze", str(corpus), "-q", "--out", str(out))
    assert code == 130
    assert err.strip() == "research-kit: interrupted"
    assert out.read_text(encoding="utf-8") == "previous\n"
    _no_partial_files(tmp_path)


def swallowed_interrupt() -> None:
    """Ctrl-C whose KeyboardInterrupt is lost on the way up, as in a `__del__`."""
    with contextlib.suppress(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)


def test_an_interrupt_swallowed_by_a_finalizer_still_stops_the_run(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    real = engines.analyze_corpus  # the CLI imports it from engines when a command runs

    def swallowing(*args: object, **kwargs: object) -> Iterator[object]:
        for number, item in enumerate(real(*args, **kwargs)):
            if number == 0:
                swallowed_interrupt()
            yield item

    monkeypatch.setattr(engines, "analyze_corpus", swallowing)
    code, _, err = run_cli(capsys, "analyze", str(corpus), "-q", "--out", str(out))
    assert (code, err) == (130, "research-kit: interrupted\n")
    assert out.read_text(encoding="utf-8") == "previous\n"
    _no_partial_files(tmp_path)


def test_a_report_is_not_published_after_a_swallowed_interrupt(tmp_path: Path) -> None:
    from research_kit.interrupts import handling
    from research_kit.reports.manifest import publish

    with pytest.raises(KeyboardInterrupt), handling():
        swallowed_interrupt()
        publish(tmp_path, {"outputs": {}}, "r", {"r.html": b"x"}, {"files": {}})
    assert list(tmp_path.iterdir()) == []


def test_json_array_is_closed_when_strict_stops_half_way(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "b.txt").write_bytes(b"   \n")
    (corpus / "c.txt").write_text(ARTICLE, encoding="utf-8")
    code, out, err = run_cli(capsys, "analyze", str(corpus), "--json", "--strict")
    assert code == 2
    one_line(err, "b.txt")
    assert [r["id"] for r in json.loads(out)] == ["a"]


def test_jsonl_whose_first_rows_lack_the_text_column_yields_the_rest(tmp_path: Path) -> None:
    table = tmp_path / "t.jsonl"
    rows = [{"title": "no text here"}, {"id": "x", "text": ARTICLE}, {"id": "y", "body": ARTICLE}]
    table.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    items = list(iter_documents([table]))
    assert "line 1" in str(items[0]) and "no text column" in str(items[0])
    assert items[1].id == "x"
    assert "row 3 has no text in column 'text'" in str(items[2])


def test_csv_whose_first_rows_have_no_text_yields_the_rest(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(f'id,text\nempty,\nx,"{ARTICLE}"\n', encoding="utf-8")
    items = list(iter_documents([table]))
    assert isinstance(items[0], Exception) and "row" in str(items[0])
    assert items[1].id == "x"


@pytest.mark.parametrize("number", [errno.EROFS, errno.EACCES])
def test_a_read_only_output_folder_is_one_line(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, number: int,
) -> None:
    def refused(*args: object, **kwargs: object) -> object:  # root ignores chmod: simulate it
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(tables.tempfile, "mkstemp", refused)
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run_cli(capsys, "analyze", str(corpus), "-q", "--out", str(out / "o.jsonl"))
    assert code == 2
    one_line(err, "o.jsonl", "cannot write", os.strerror(number))
    assert list(out.iterdir()) == []


def test_an_unreadable_folder_is_reported(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = corpus / "locked"
    locked.mkdir()
    (locked / "c.txt").write_text(ARTICLE, encoding="utf-8")
    scandir = os.scandir

    def guarded(path: object = ".") -> object:
        if Path(os.fsdecode(path)) == locked:  # as chmod 000 does for anyone but root
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(locked))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    items = list(iter_documents([corpus]))
    errors = [str(i) for i in items if isinstance(i, Exception)]
    assert errors == [f"{locked}: cannot read folder: Permission denied"]
    assert sorted(i.id for i in items if not isinstance(i, Exception)) == ["a", "b"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_special_files_are_refused_never_read(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = corpus / "pipe.txt"
    os.mkfifo(fifo)  # reading it would block for ever: the test hangs if it is read
    items = list(iter_documents([corpus]))
    assert [str(i) for i in items if isinstance(i, Exception)] == [
        f"{fifo}: a FIFO, not an article file; refused"
    ]
    code, _, err = run_cli(capsys, "analyze", str(fifo), "-q")
    assert code == 1
    one_line(err, "pipe.txt", "FIFO")


def test_seed_folder_untouched_by_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(RAW)
    code, out, _ = run_cli(capsys, "analyze", str(RAW), "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == [COMMONSPACE, MIRROR]
    assert snapshot(RAW) == before


@pytest.mark.parametrize("parameter", ["lexicon", "aliases", "key", "sheets", "validation",
                                       "corpus"])
def test_editing_a_file_a_report_names_makes_it_out_of_date(tmp_path: Path,
                                                            parameter: str) -> None:
    """The skip-check hashes the contents of the files a report's parameters name, not their
    names: the same name with new bytes re-runs the report."""
    from research_kit.reports.config import ReportRun
    from research_kit.reports.provenance import run_inputs

    folder = tmp_path / "input"
    folder.mkdir()
    edited = folder / "one.yml"
    edited.write_text("a: 1\n", "utf-8")
    (folder / "two.yml").write_text("b: 2\n", "utf-8")
    named: object = {"sheets": [str(folder / "two.yml"), str(edited)],
                     "validation": str(folder), "corpus": str(folder)}.get(parameter, str(edited))
    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "comparison_report.ipynb"
    run = ReportRun(notebook=notebook, output="r", parameters={parameter: named})
    before = run_inputs(run, tmp_path, {})
    assert run_inputs(run, tmp_path, {}) == before  # unchanged: up to date
    edited.write_text("a: 2\n", "utf-8")
    assert run_inputs(run, tmp_path, {}) != before


def test_a_folder_a_report_writes_into_is_not_an_input(tmp_path: Path) -> None:
    from research_kit.reports.config import ReportRun
    from research_kit.reports.provenance import run_inputs

    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "comparison_report.ipynb"
    run = ReportRun(notebook=notebook, output="r", parameters={"tables_dir": str(tmp_path)})
    before = run_inputs(run, tmp_path, {})
    (tmp_path / "table.csv").write_text("x\n", "utf-8")
    assert run_inputs(run, tmp_path, {}) == before
