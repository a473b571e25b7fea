"""Ctrl-C at stepped moments, as a terminal sends it (to the whole process group): how many runs
answer with exactly one line, `research-kit: interrupted`, and exit 130, publishing nothing after.

    .venv/bin/python benchmarks/interrupts.py --runs 30 --jobs 2
    .venv/bin/python benchmarks/interrupts.py --runs 30 --jobs 2 --engine dask
    .venv/bin/python benchmarks/interrupts.py --command reports --runs 10 --jobs 1 --spread 15

`analyze` (on 2,000 copies of a seed article, `--out` over a previous file): each run waits
until the output's temporary file exists (the engine is starting its workers or cluster;
`--after start`: until the process is started), then a delay stepping from 0 to `--spread`
seconds. `reports --force` into a new folder: the delay steps from 1 s to 1 + `--spread` s after
the start, and the reports manifest must list exactly the files published. A run that ends
otherwise (finishes, hangs, prints more, replaces the output) is printed with its stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw"
LINE = "research-kit: interrupted"


def corpus(folder: Path, articles: int) -> Path:
    """A JSONL table of one seed text repeated: long enough that no run ends before the signal."""
    body = next(p for p in sorted(SEED.glob("*.txt"))).read_text("utf-8")
    path = folder / "big.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{n}", "text": body}) + "\n"
                            for n in range(articles)), encoding="utf-8")
    return path


def start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "research_kit", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def interrupt(process: subprocess.Popen[str]) -> tuple[int, str]:
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
        return -1, "hung: no exit 120 s after the signal\n" + err
    return process.returncode, err


def analyze_run(table: Path, folder: Path, options: list[str], delay: float,
                after_start: bool) -> str | None:
    """What went wrong with one interrupted `analyze`, or None."""
    out = folder / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    process = start(["analyze", str(table), "-q", "--out", str(out), *options])
    while not after_start and not any(p.suffix == ".part" for p in folder.iterdir()):
        if process.poll() is not None:
            break
        time.sleep(0.005)
    time.sleep(delay)
    code, err = interrupt(process)
    if out.read_text(encoding="utf-8") != "previous\n":
        err += "(the previous output was replaced)\n"
    return None if (code, err) == (130, LINE + "\n") else f"exit {code}\n{err}"


def published(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"}


def reports_run(folder: Path, options: list[str], delay: float) -> str | None:
    """What went wrong with one interrupted `reports`, or None."""
    out = folder / "reports"
    process = start(["reports", "--out", str(out), "--force", *options])
    time.sleep(1 + delay)
    code, err = interrupt(process)
    lines = [line for line in err.splitlines() if not line.startswith(("[", "executed"))]
    time.sleep(1)  # a run still going would publish now
    manifest = out / "manifest.json"
    entries = json.loads(manifest.read_text("utf-8"))["outputs"] if manifest.exists() else {}
    listed = {name: digest for entry in entries.values() for name, digest in entry["files"].items()}
    files = published(out) if out.exists() else {}
    if files != listed:
        err += "(the manifest does not list the published files)\n"
    return None if (code, lines, files == listed) == (130, [LINE], True) else f"exit {code}\n{err}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", choices=["analyze", "reports"], default="analyze")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engine", choices=["local", "dask"], default="local",
                        help="analyze only")
    parser.add_argument("--after", choices=["engine", "start"], default="engine",
                        help="analyze: count the delay from the engine's start (default) or the "
                        "process's")
    parser.add_argument("--spread", type=float, default=0.5,
                        help="largest extra delay (seconds)")
    args = parser.parse_args()
    good = 0
    with tempfile.TemporaryDirectory() as scratch:
        table = corpus(Path(scratch), 2000)
        for run in range(args.runs):
            delay = args.spread * run / max(1, args.runs - 1)
            with tempfile.TemporaryDirectory() as folder:
                if args.command == "analyze":
                    problem = analyze_run(table, Path(folder), [
                        "--jobs", str(args.jobs), "--engine", args.engine], delay,
                        args.after == "start")
                else:
                    problem = reports_run(Path(folder), ["--jobs", str(args.jobs)], delay)
            good += problem is None
            if problem:
                print(f"run {run + 1} (delay {delay:.3f} s): {problem}", flush=True)
    where = (f"--engine {args.engine} --jobs {args.jobs}, delays 0 to {args.spread} s after the "
             f"{args.after}" if args.command == "analyze"
             else f"--jobs {args.jobs}, delays 1 to {1 + args.spread} s after the start")
    print(f"{good}/{args.runs} runs: one line 'interrupted' and exit 130 "
          f"({args.command} {where})")


if __name__ == "__main__":
    main()
