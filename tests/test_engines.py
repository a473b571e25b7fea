"""Engines: processes and Dask give the serial records in corpus order; bad input stays one line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import RAW, ROOT
from research_kit import ResearchKitError, iter_documents, load_lexicon, load_rules
from research_kit.engines import run_engine


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "research_kit", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def comparable(results: Any) -> list[Any]:
    """Records as they are; errors as their one-line message (exceptions do not compare equal)."""
    return [str(r) if isinstance(r, ResearchKitError) else r for r in results]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The seeds, then a JSONL of twelve rows built from them with one broken line among them."""
    folder = tmp_path_factory.mktemp("corpus")
    texts = [p.read_text("utf-8") for p in sorted(RAW.glob("*.txt"))]
    with (folder / "rows.jsonl").open("w", encoding="utf-8") as handle:
        for number in range(12):
            if number == 5:
                handle.write("{not json\n")
            handle.write(json.dumps({"id": f"row-{number:02d}", "text": texts[number % 2],
                                     "outlet": f"outlet {number % 3}"}) + "\n")
    return [RAW, folder / "rows.jsonl"]


@pytest.fixture(scope="module")
def serial(corpus: list[Path]) -> list[Any]:
    results = comparable(run_engine(iter_documents(corpus), rules=load_rules(),
                                    lexicon=load_lexicon()))
    assert len(results) == 15 and sum(isinstance(r, str) for r in results) == 1
    return results


@pytest.mark.slow
def test_two_processes_give_the_serial_records_in_order(corpus: list[Path],
                                                        serial: list[Any]) -> None:
    # Chunks of two: seven chunks over two workers, so order is really at stake.
    results = run_engine(iter_documents(corpus), rules=load_rules(), lexicon=load_lexicon(),
                         jobs=2, chunk_size=2)
    assert comparable(results) == serial


@pytest.mark.slow
def test_dask_on_a_local_cluster_with_two_workers(corpus: list[Path], serial: list[Any]) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        assert len(cluster.workers) == 2
        results = list(run_engine(iter_documents(corpus), rules=load_rules(),
                                  lexicon=load_lexicon(), engine="dask",
                                  scheduler=cluster.scheduler_address, chunk_size=2))
    assert comparable(results) == serial


def test_errors_cross_process_boundaries_intact() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(ResearchKitError("empty file", "a/b.txt")))
    assert (error.problem, error.path) == ("empty file", "a/b.txt")
    assert str(error) == "a/b.txt: empty file"


@pytest.mark.slow
def test_cli_jobs_2_reports_bad_files_on_one_line_and_writes_the_good(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in RAW.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02")
    (folder / "rows.jsonl").write_text('{"id": "r1", "text": "Hello there."}\n[1, 2]\n', "utf-8")
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}.jsonl"
        result = run("analyze", str(folder), "--jobs", jobs, "--out", str(out))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if "error:" in line]
        assert len(errors) == 3, result.stderr
        assert all(line.startswith("research-kit: error: ") for line in errors)
        assert "wrote 3 article(s)" in result.stderr
        outputs[jobs] = out.read_bytes()
    assert outputs["1"] == outputs["2"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--scheduler", "tcp://127.0.0.1:1"), "needs the dask engine"),
        (("--jobs", "0"), "at least 1"),
        (("--engine", "spark"), "invalid choice"),
    ],
)
def test_bad_engine_settings_are_usage_errors(args: tuple[str, ...], fragment: str) -> None:
    result = run("analyze", "data/raw", *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and fragment in result.stderr


def test_missing_dask_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    with pytest.raises(ResearchKitError, match=r"pip install 'research_kit\[dask\]'"):
        run_engine([], rules=load_rules(), lexicon=load_lexicon(), engine="dask")


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["local", "dask"])
def test_strict_stops_parallel_engines_with_one_line(tmp_path: Path, engine: str) -> None:
    if engine == "dask":
        pytest.importorskip("distributed")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in RAW.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    (corpus / "a-empty.txt").write_bytes(b"")  # sorted first: fails before the good files
    result = run("analyze", str(corpus), "--strict", "--jobs", "2", "--engine", engine,
                 "--out", str(tmp_path / "out.jsonl"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"research-kit: error: {corpus / 'a-empty.txt'}: empty file: no article text"]
