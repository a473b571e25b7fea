"""Reports benchmark (issue 11): regenerate every seed report cold at `--jobs 2`, then unchanged.

Usage::

    python benchmarks/reports.py            # 3 rounds, the median printed beside each round

Each round runs `research-kit reports --jobs 2 --out TMP` in a subprocess into an empty folder
(cold: every run executes its notebook, renders HTML and PDF and writes its tables and figures),
then the same command again with nothing changed (every run skipped). Wall time includes start-up.
Targets: cold ≤ 15 s, unchanged ≤ 1 s. The machine may be shared, so each round prints the load
average, and one last cold run at `--jobs 1` gives the CPU seconds of the whole work (kernels
included: at `--jobs 1` they are children the command waits for; the worker processes of
`--jobs 2` are a fork server's children, which `getrusage` does not see).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"cold": 15.0, "unchanged": 1.0}
ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the children, and stderr of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(f"reports failed: {result.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}")
    figures: dict[str, list[float]] = {"cold": [], "unchanged": []}
    for number in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory(prefix="research-kit-bench-") as folder:
            command = [sys.executable, "-m", "research_kit", "reports", "--jobs", "2", "--out",
                       folder]
            load = os.getloadavg()[0]
            cold, _, cold_log = timed(command)
            unchanged, unchanged_cpu, log = timed(command)
        figures["cold"].append(cold)
        figures["unchanged"].append(unchanged)
        print(f"round {number} (load {load:.1f}): cold {cold:.1f} s "
              f"({cold_log.count('executed:')} executed); unchanged {unchanged:.2f} s "
              f"({log.count('skipped:')} skipped, {unchanged_cpu:.2f} CPU s)")
    for name, values in figures.items():
        median = statistics.median(values)
        verdict = "holds" if median <= TARGETS[name] else "misses"
        print(f"{name}: median {median:.2f} s, target ≤ {TARGETS[name]:g} s — {verdict}")
    with tempfile.TemporaryDirectory(prefix="research-kit-bench-") as folder:
        wall, cpu, log = timed([sys.executable, "-m", "research_kit", "reports", "--jobs", "1",
                                "--out", folder])
    print(f"cold at --jobs 1: {wall:.1f} s, {cpu:.1f} CPU s ({log.count('executed:')} executed)")


if __name__ == "__main__":
    main()
