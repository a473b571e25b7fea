"""Ctrl-C at varied moments of `analyze`, as a terminal sends it (to the whole process group):
how many runs answer with exactly one line and exit 130.

    .venv/bin/python benchmarks/interrupts.py --runs 30 --jobs 2

Each run waits until the output's temporary file exists (the engine is starting its workers;
`--after start`: until the process is started), then a further delay that steps through 0 to
`--spread` seconds, and sends SIGINT. A run that
exits otherwise (finishes, hangs, prints a traceback) is printed with its stderr.
"""

from __future__ import annotations

import argparse
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


def corpus(folder: Path, articles: int) -> Path:
    """A JSONL table of one seed text repeated: long enough that no run ends before the signal."""
    body = next(p for p in sorted(SEED.glob("*.txt"))).read_text("utf-8")
    path = folder / "big.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{n}", "text": body}) + "\n"
                            for n in range(articles)), encoding="utf-8")
    return path


def one_run(table: Path, folder: Path, engine: list[str], delay: float,
            after_start: bool) -> tuple[int, str]:
    out = folder / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "research_kit", "analyze", str(table), "-q", "--out", str(out),
         *engine], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    while not after_start and not any(p.suffix == ".part" for p in folder.iterdir()):
        if process.poll() is not None:
            break
        time.sleep(0.005)
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
        return -1, "hung: no exit 60 s after the signal\n" + err
    if out.read_text(encoding="utf-8") != "previous\n":
        err += "(the previous output was replaced)\n"
    return process.returncode, err


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engine", choices=["local", "dask"], default="local")
    parser.add_argument("--after", choices=["engine", "start"], default="engine",
                        help="count the delay from the engine's start (default) or the process's")
    parser.add_argument("--spread", type=float, default=0.5,
                        help="largest extra delay after the engine starts (seconds)")
    args = parser.parse_args()
    engine = ["--jobs", str(args.jobs), "--engine", args.engine]
    good = 0
    with tempfile.TemporaryDirectory() as scratch:
        table = corpus(Path(scratch), 2000)
        for run in range(args.runs):
            delay = args.spread * run / max(1, args.runs - 1)
            with tempfile.TemporaryDirectory() as folder:
                code, err = one_run(table, Path(folder), engine, delay,
                                    args.after == "start")
            ok = code == 130 and err == "research-kit: interrupted\n"
            good += ok
            if not ok:
                print(f"run {run + 1} (delay {delay:.3f} s): exit {code}\n{err}", flush=True)
    print(f"{good}/{args.runs} runs: one line 'interrupted' and exit 130 "
          f"(--engine {args.engine} --jobs {args.jobs}, "
          f"delays 0 to {args.spread} s after the {args.after})")


if __name__ == "__main__":
    main()
