"""Streaming input and output: Parquet corpora in row batches, round trips, quiet progress bars."""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import RAW, ROOT
from research_kit import ResearchKitError, analyze, iter_documents, write_records
from research_kit import load as load_module
from research_kit.progress import progress
from research_kit.tables import flat_row


def seed_rows() -> list[dict]:
    return [{"id": path.stem, "text": path.read_text("utf-8"), "outlet": f"outlet {n}",
             "date": dt.date(2023, 3, 28 + n)} for n, path in enumerate(sorted(RAW.glob("*.txt")))]


def test_parquet_corpus_streams_in_batches_like_jsonl(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    rows = seed_rows() * 3
    rows = [{**row, "id": f"{row['id']}-{n}"} for n, row in enumerate(rows)]
    rows[2]["text"] = "   "  # a row without text is an error in its place
    pq.write_table(pa.Table.from_pylist([{**r, "extra": "x" * 10} for r in rows]),
                   tmp_path / "corpus.parquet")
    with (tmp_path / "corpus.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({**row, "date": row["date"].isoformat()}) + "\n")
    monkeypatch.setattr(load_module, "PARQUET_BATCH_ROWS", 2)  # several batches
    from_parquet = list(iter_documents([tmp_path / "corpus.parquet"]))
    from_jsonl = list(iter_documents([tmp_path / "corpus.jsonl"]))
    assert len(from_parquet) == len(rows)
    assert isinstance(from_parquet[2], ResearchKitError)
    assert "row 3 has no text" in str(from_parquet[2])
    for got, want in zip(from_parquet, from_jsonl, strict=True):
        if isinstance(want, ResearchKitError):
            continue
        assert (got.id, got.text, got.meta, got.format) == (want.id, want.text, want.meta,
                                                            "parquet")
    assert from_parquet[0].meta["date"] == "2023-03-28"


def test_parquet_in_and_out_round_trip(tmp_path: Path) -> None:
    rows = [{**row, "date": row["date"].isoformat()} for row in seed_rows()]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    with (tmp_path / "in.jsonl").open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in rows)
    records = analyze([tmp_path / "in.parquet"])
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    same = analyze([tmp_path / "in.jsonl"])
    strip = ("path", "format")
    assert [{k: v for k, v in r.items() if k not in strip} for r in records] == [
        {k: v for k, v in r.items() if k not in strip} for r in same]
    assert write_records(iter(records), tmp_path / "out.parquet") == 2
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert table == [{k: None if v is None else str(v) for k, v in flat_row(r).items()}
                     for r in records]
    # Nested fields are JSON text: tuples (quote parts) come back as lists, as in JSONL.
    assert json.loads(table[0]["quotes"]) == json.loads(json.dumps(records[0]["quotes"]))


@pytest.mark.slow
def test_a_corrupt_parquet_file_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 this is not parquet")
    result = subprocess.run([sys.executable, "-m", "research_kit", "analyze",
                             str(tmp_path / "bad.parquet")], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a readable Parquet file" in lines[0], result.stderr


def test_progress_writes_nothing_when_stderr_is_not_a_tty(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    assert list(progress(range(5), desc="analyze")) == [0, 1, 2, 3, 4]
    assert stream.getvalue() == ""


def _stderr_on_a_tty(*args: str) -> str:
    """Run the CLI with stderr on a pseudo-terminal; everything it drew there."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    try:
        process = subprocess.Popen([sys.executable, "-m", "research_kit", *args], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=follower)
        os.close(follower)
        chunks = []
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            try:
                chunk = os.read(leader, 4096) if ready else b""
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 0
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(leader)


@pytest.mark.slow
def test_progress_bar_on_a_terminal_and_silent_with_quiet(tmp_path: Path) -> None:
    shown = _stderr_on_a_tty("analyze", "data/raw", "--out", str(tmp_path / "a.jsonl"))
    assert "analyze: " in shown and "2article" in shown.replace(" ", "")
    quiet = _stderr_on_a_tty("analyze", "data/raw", "--out", str(tmp_path / "b.jsonl"), "-q")
    assert quiet == ""


@pytest.mark.slow
def test_progress_is_silent_when_stderr_is_a_pipe(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "research_kit", "analyze", "data/raw", "--out",
                             str(tmp_path / "c.jsonl")], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0
    assert result.stderr == f"wrote 2 article(s) to {tmp_path / 'c.jsonl'}\n"
