"""Fair speed figure: the whole `research-kit analyze` process against textstat alone.

Usage::

    python benchmarks/speed.py ../shared/data/bbc            # 3 runs of each, median
    python benchmarks/speed.py ../shared/data/bbc --runs 5

Two processes, each started from nothing and timed from start to exit (interpreter start-up,
imports, loading the CMU dictionary and writing output included), on the same articles:

- **analyze**: ``research-kit analyze CORPUS --out OUT.jsonl --quiet`` (one job): load, clean,
  quotes, terms, readability, records written as JSONL;
- **textstat**: a Python process that reads the same cleaned bodies (prepared beforehand, the
  way the analysis cleans them, into a temporary JSONL file) and computes textstat's ten figures
  as shipped — ``textstat.flesch_reading_ease(body)`` and the other nine public functions that
  ``textstat_readability`` reports — writing them as JSONL. Its CMU dictionary comes through
  ``NLTK_DATA``, the same folder research_kit builds, so neither downloads anything.

The figure is median(analyze) / median(textstat), for wall time and for CPU time (user + system
of the process, less sensitive to a neighbour's load on a shared machine). The runs alternate,
so such load falls on both; every run is printed beside the medians. The BBC folder's
README.TXT is read as one more document by both.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from research_kit import clean_text, iter_documents, load_rules
from research_kit.load import Document
from research_kit.readability import ensure_cmudict

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = """
import json, sys
import textstat

FIGURES = (textstat.flesch_reading_ease, textstat.flesch_kincaid_grade, textstat.gunning_fog,
           textstat.smog_index, textstat.coleman_liau_index, textstat.automated_readability_index,
           textstat.dale_chall_readability_score, textstat.lexicon_count, textstat.sentence_count,
           textstat.syllable_count)
with open(sys.argv[1], encoding="utf-8") as bodies, open(sys.argv[2], "w") as out:
    for line in bodies:
        body = json.loads(line)
        out.write(json.dumps([figure(body) for figure in FIGURES]) + "\\n")
"""


def prepare_bodies(corpus: Path, target: Path) -> int:
    """Write the cleaned body of every article of ``corpus`` as one JSON string per line."""
    rules, count = load_rules(), 0
    with target.open("w", encoding="utf-8") as out:
        for doc in iter_documents([corpus]):
            if isinstance(doc, Document):
                out.write(json.dumps(clean_text(doc.text, rules, title=doc.title).body) + "\n")
                count += 1
    return count


ERRORS: set[str] = set()  # one-line errors analyze reported (exit 1: the other articles are done)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user + system) of one process run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                            check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode == 1 and "error:" in result.stderr:
        ERRORS.update(line for line in result.stderr.splitlines() if "error:" in line)
    elif result.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {result.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="e.g. ../shared/data/bbc")
    parser.add_argument("--runs", type=int, default=3, help="runs of each process (median)")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        parser.error(f"{args.corpus}: no such file or folder")
    env = {**os.environ, "NLTK_DATA": str(ensure_cmudict())}
    analyze = [str(Path(sys.executable).with_name("research-kit")), "analyze", str(args.corpus),
               "--quiet"]
    with tempfile.TemporaryDirectory() as tmp:
        bodies, out = Path(tmp) / "bodies.jsonl", Path(tmp) / "out.jsonl"
        articles = prepare_bodies(args.corpus, bodies)
        if not articles:
            parser.error(f"{args.corpus}: no documents to time")
        reference = [sys.executable, "-c", REFERENCE, str(bodies), str(out)]
        wall: dict[str, list[float]] = {"analyze": [], "textstat": []}
        cpu: dict[str, list[float]] = {"analyze": [], "textstat": []}
        for run in range(args.runs):
            for name, command in (("analyze", [*analyze, "--out", str(out)]),
                                  ("textstat", reference)):
                seconds, cpu_seconds = timed(command, env)
                wall[name].append(seconds)
                cpu[name].append(cpu_seconds)
            print(f"  run {run + 1}: analyze {wall['analyze'][-1]:.1f} s, "
                  f"textstat {wall['textstat'][-1]:.1f} s", file=sys.stderr)
    print(f"corpus: {args.corpus}: {articles:,} documents; {args.runs} runs of each, alternating")
    for label, times in (("wall", wall), ("CPU", cpu)):
        for name, values in times.items():
            print(f"{name:9} {label:4} median {statistics.median(values):6.1f} s  (runs: "
                  f"{', '.join(f'{v:.1f}' for v in values)})")
    for line in sorted(ERRORS):
        print(f"analyze reported (that document costs no readability): {line}")
    for label, times in (("wall", wall), ("CPU", cpu)):
        ratio = statistics.median(times["analyze"]) / statistics.median(times["textstat"])
        print(f"analyze / textstat ({label} time, medians): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
