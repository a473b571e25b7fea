"""Hostile tests, interrupts: Ctrl-C during `analyze` on any engine, or `reports` at any --jobs,
is one line, exit 130, and publishes nothing after it. The signal goes to the whole process
group, as a terminal sends it, at several moments: while the interpreter starts, while the
engine starts its workers or cluster, and with work under way."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MIRROR, RAW, ROOT
from research_kit.reports.manifest import read_manifest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups"),
]

ENGINES = {
    "serial": ["--jobs", "1"],
    "processes": ["--jobs", "2"],
    "dask": ["--engine", "dask", "--jobs", "2"],
}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A table of 2,000 articles: long enough that an interrupt lands mid-run."""
    body = (RAW / f"{MIRROR}.txt").read_text("utf-8")
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{n}", "text": body}) + "\n"
                            for n in range(2000)), encoding="utf-8")
    return path


def engine_args(name: str) -> list[str]:
    if name == "dask":
        pytest.importorskip("distributed")
    return ENGINES[name]


def start(*args: str, cwd: Path | None = None) -> subprocess.Popen[str]:
    """The command line in its own process group, so a Ctrl-C can reach all of its processes."""
    return subprocess.Popen(
        [sys.executable, "-m", "research_kit", *args], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True, cwd=cwd,
    )


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str],
             limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the moment never came"
        time.sleep(0.02)


def interrupt(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Ctrl-C to the process group; the whole group's stdout and stderr (until every process
    holding them has gone), after checking the exit status."""
    os.killpg(process.pid, signal.SIGINT)
    assert process.stdout is not None and process.stderr is not None
    # Read through the pipes' own buffers (communicate() would skip what readline() buffered).
    out, err = process.stdout.read(), process.stderr.read()
    process.wait(timeout=120)
    assert process.returncode == 130, err
    return out, err


def parts(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.suffix == ".part"]


MOMENTS: dict[str, Callable[[Path], Callable[[], bool]]] = {
    # Python is still importing the command line (pandas, scipy, ...), early and late.
    "starting": lambda folder: lambda: True,
    "loading": lambda folder: lambda: True,
    # The output file is open: the pool starts its workers, the Dask cluster starts.
    "engine starting": lambda folder: lambda: bool(parts(folder)),
    # Records are being written.
    "under way": lambda folder: lambda: any(p.stat().st_size for p in parts(folder)),
}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("engine", ENGINES)
def test_ctrl_c_is_one_line_and_leaves_the_previous_output(
    tmp_path: Path, big: Path, engine: str, moment: str
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    process = start("analyze", str(big), "-q", "--out", str(out), *engine_args(engine))
    time.sleep({"starting": 0.3, "loading": 0.7}.get(moment, 0))
    wait_for(MOMENTS[moment](tmp_path), process)
    _, err = interrupt(process)
    assert err == "research-kit: interrupted\n"
    time.sleep(1)  # a worker still running would write now
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


@pytest.mark.parametrize("engine", ENGINES)
def test_ctrl_c_while_printing_json_still_closes_the_array(big: Path, engine: str) -> None:
    process = start("analyze", str(big), "--json", *engine_args(engine))
    assert process.stdout is not None and process.stderr is not None
    # Raw reads: read through the text layer after readline(), 6 runs in 30 came back with the
    # end of a record missing; read raw, 0 in 30 (the output itself was whole).
    out = process.stdout.fileno()
    printed = b""
    while b"\n}" not in printed:  # the first record is out: under way
        chunk = os.read(out, 1 << 16)
        assert chunk, "the run printed nothing"
        printed += chunk
    os.killpg(process.pid, signal.SIGINT)
    while chunk := os.read(out, 1 << 16):
        printed += chunk
    err = process.stderr.read()
    process.wait(timeout=120)
    assert (process.returncode, err) == (130, "research-kit: interrupted\n")
    records = json.loads(printed)
    assert 0 < len(records) < 2000


def published(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


REPORT_MOMENTS: dict[str, Callable[[Path], Callable[[], bool]]] = {
    # The runs are announced: workers and kernels start.
    "kernels starting": lambda out: lambda: True,
    # One report is published, the others are under way.
    "one published": lambda out: lambda: bool(list(out.glob("*.pdf"))),
}


@pytest.mark.parametrize("moment", REPORT_MOMENTS)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_in_reports_is_one_line_and_leaves_a_consistent_manifest(
        tmp_path: Path, jobs: str, moment: str) -> None:
    out = tmp_path / "out"
    process = start("reports", "--out", str(out), "--jobs", jobs, "--force", cwd=ROOT)
    assert process.stderr is not None
    assert process.stderr.readline().startswith("[1/")  # announced: under way
    wait_for(REPORT_MOMENTS[moment](out), process)
    _, err = interrupt(process)
    lines = [line for line in err.splitlines() if not line.startswith(("[", "executed"))]
    assert lines == ["research-kit: interrupted"], err
    files = published(out) if out.exists() else {}
    time.sleep(2)  # anything still running would publish now
    assert (published(out) if out.exists() else {}) == files
    manifest = read_manifest(out)
    listed = {name: digest for entry in manifest["outputs"].values()
              for name, digest in entry["files"].items()}
    assert listed == {name: digest for name, digest in files.items() if name != "manifest.json"}
