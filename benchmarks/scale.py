"""Scale benchmark (issue 6): stage throughput, whole pipeline at 1 and 2 jobs, peak RSS, reports.

Usage::

    python benchmarks/scale.py ../shared/data/bbc --replicate 100000
    python benchmarks/scale.py ../shared/data/bbc --quick          # 5,000 articles, development

The BBC articles (2,225; the dataset's README.TXT is not an article) are replicated to N articles
with distinct ids in a temporary JSONL file, deleted at the end: BBC text never enters the project.
Then, in one run on one machine:

1. **Stages.** The corpus is streamed in batches of `BATCH` articles; each stage runs over a whole
   batch before the next (load, clean, quotes, terms = sides + lexicon matches, readability), then
   textstat's own public functions for the same seven formulas and counts run on the same bodies
   (the reference every ratio divides by), then `analyze_document`, the whole per-article
   pipeline. A batch is larger than textstat's 128-entry caches, so no timed call is served a
   result cached by another stage. Tokens are whitespace tokens of the raw article text.
2. **Whole pipeline.** `research-kit analyze CORPUS --out FILE.parquet --jobs N -q` in a subprocess
   for N = 1 and 2: wall time (start-up included), and peak RSS as the largest sum over the
   process tree (main, forkserver, workers) sampled every `RSS_INTERVAL` s; shared pages count
   once per process, so the sum overstates. The two outputs are compared byte for byte.
3. **Machine ceiling.** A pure-Python busy loop in one process, then in two at once: how much two
   processes can gain on this machine at all (2 vCPUs may share a physical core or a busy host).
4. **Reports.** `research-kit reports --jobs 2 --out TMP` into an empty folder (cold), then again
   with nothing changed.

Each figure is what this script measured and printed; the machine may be shared, so compare
figures from the same run.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import textstat

from research_kit import (
    Document,
    ResearchKitError,
    analyze_document,
    clean_text,
    extract_quotes,
    iter_documents,
    load_lexicon,
    load_rules,
    match_terms,
    textstat_readability,
)
from research_kit.terms import assign_sides

ROOT = Path(__file__).resolve().parents[1]
QUICK_ARTICLES = 5_000
BATCH = 250
WARM_UP = 200
RSS_INTERVAL = 0.1
CALIBRATION_LOOP = 20_000_000
STAGES = ("load", "clean", "quotes", "terms", "readability", "textstat", "pipeline")
TARGETS = {"pipeline": 1.5, "clean+quotes+terms": 0.5, "speedup": 1.8, "rss": 1 << 30,
           "reports_unchanged": 3.0}  # fmt: skip


def textstat_reference(body: str) -> tuple[float | int, ...]:
    """textstat's own public functions for what `textstat_readability` reports."""
    return (
        textstat.flesch_reading_ease(body), textstat.flesch_kincaid_grade(body),
        textstat.gunning_fog(body), textstat.smog_index(body), textstat.coleman_liau_index(body),
        textstat.automated_readability_index(body), textstat.dale_chall_readability_score(body),
        textstat.lexicon_count(body), textstat.sentence_count(body),
        textstat.syllable_count(body),
    )  # fmt: skip


def replicate(source: Path, target: Path, articles: int) -> int:
    """Write `articles` rows cycling over the corpus at `source`; returns its unique count."""
    unique = [
        item for item in iter_documents([source])
        if isinstance(item, Document) and item.id != "README"
    ]
    if not unique:
        raise SystemExit(f"no articles in {source}")
    with target.open("w", encoding="utf-8") as handle:
        for number in range(articles):
            doc = unique[number % len(unique)]
            row = {"id": f"{number // len(unique):03d}/{doc.id}", "text": doc.text}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(unique)


@dataclass
class StageTimes:
    """Seconds per stage over the whole corpus, and what they were spent on."""

    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    articles: int = 0
    tokens: int = 0


def _timed(times: StageTimes, stage: str, function: Callable[[Any], Any], items: list) -> list:
    start = time.perf_counter()
    results = [function(item) for item in items]
    times.seconds[stage] += time.perf_counter() - start
    return results


def _timed_batches(corpus: Path, times: StageTimes) -> Iterator[list[Document]]:
    """The corpus in batches, with the time spent reading it charged to the load stage."""
    documents = iter_documents([corpus])
    while True:
        start = time.perf_counter()
        batch = list(islice(documents, BATCH))
        times.seconds["load"] += time.perf_counter() - start
        if not batch:
            return
        bad = [item for item in batch if isinstance(item, ResearchKitError)]
        if bad:
            raise SystemExit(f"benchmark corpus failed to load: {bad[0]}")
        yield batch


def measure_stages(corpus: Path) -> StageTimes:
    rules, lexicon = load_rules(), load_lexicon()
    times = StageTimes()
    # Warm up (CMU dictionary, compiled patterns) on the corpus's last articles, which come back
    # long after textstat's caches have forgotten them.
    for doc in _tail(corpus, WARM_UP):
        analyze_document(doc, rules, lexicon)
        textstat_reference(clean_text(doc.text, rules, title=doc.title).body)
    for batch in _timed_batches(corpus, times):
        times.articles += len(batch)
        times.tokens += sum(len(doc.text.split()) for doc in batch)
        cleaned = _timed(times, "clean", lambda d: clean_text(d.text, rules, title=d.title), batch)
        quotes = _timed(times, "quotes", lambda c: [*extract_quotes(c.title or ""),
                                                    *extract_quotes(c.body)], cleaned)
        _timed(times, "terms", lambda pair: match_terms(
            pair[0].body, lexicon, assign_sides(pair[1], lexicon), title=pair[0].title
        ), list(zip(cleaned, quotes, strict=True)))
        bodies = [c.body for c in cleaned]
        _timed(times, "readability", textstat_readability, bodies)
        # textstat as its users get it: our word caches exist only inside textstat_readability
        _timed(times, "textstat", textstat_reference, bodies)
        _timed(times, "pipeline", lambda d: analyze_document(d, rules, lexicon), batch)
        print(f"  stages: {times.articles:,} articles", file=sys.stderr, end="\r", flush=True)
    print(file=sys.stderr)
    return times


def _tail(corpus: Path, count: int) -> list[Document]:
    """The last `count` documents of the corpus, read in one streaming pass."""
    return list(deque((d for d in iter_documents([corpus]) if isinstance(d, Document)), count))


def _tree_rss(pid: int) -> int:
    """Sum of the resident set sizes of a process and all its descendants, in bytes."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                int(line.split()[1]) * 1024 for line in status.splitlines()
                if line.startswith("VmRSS:")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue  # the process ended (or is a zombie) between listing and reading
    return total


def run_sampled(command: Sequence[str]) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run `command`; wall seconds, peak process-tree RSS and the completed process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(RSS_INTERVAL):
            peak = max(peak, _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    return seconds, peak, subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def measure_pipeline(corpus: Path, jobs: int, out: Path) -> tuple[float, int]:
    command = [sys.executable, "-m", "research_kit", "analyze", str(corpus), "--out", str(out),
               "--jobs", str(jobs), "-q"]
    seconds, peak, result = run_sampled(command)
    if result.returncode != 0:
        raise SystemExit(f"analyze --jobs {jobs} failed: {result.stderr.strip()}")
    return seconds, peak


def _busy(_: int) -> float:
    start = time.perf_counter()
    total = 0
    for number in range(CALIBRATION_LOOP):
        total += number
    return time.perf_counter() - start


def cpu_scaling() -> float:
    """Throughput of two busy processes over one: this machine's ceiling for 1 → 2 jobs."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_busy, [0, 0])  # start both workers before timing
        one = min(pool.apply(_busy, (0,)) for _ in range(3))
        start = time.perf_counter()
        pool.map(_busy, [0, 1], chunksize=1)
        two = time.perf_counter() - start
    return 2 * one / two


def measure_reports(out: Path) -> list[tuple[float, str]]:
    """Seconds of a cold and an unchanged `reports` run, each with how many runs it executed
    and skipped (a package file edited meanwhile makes the second run execute again)."""
    command = [sys.executable, "-m", "research_kit", "reports", "--jobs", "2", "--out", str(out)]
    timings = []
    for _ in ("cold", "unchanged"):
        seconds, _peak, result = run_sampled(command)
        if result.returncode != 0:
            raise SystemExit(f"reports failed: {result.stderr.strip()}")
        lines = result.stderr.splitlines()
        statuses = ", ".join(f"{sum(line.startswith(s + ':') for line in lines)} {s}"
                             for s in ("executed", "skipped"))
        timings.append((seconds, statuses))
    return timings


def _verdict(value: float, limit: float, at_most: bool = True) -> str:
    holds = value <= limit if at_most else value >= limit
    return "holds" if holds else "DOES NOT HOLD"


def report(args: argparse.Namespace, unique: int, corpus_bytes: int, times: StageTimes,
           pipeline: dict[int, tuple[float, int]], identical: bool, ceiling: float,
           reports: list[tuple[float, str]] | None) -> None:
    n, tokens, seconds = times.articles, times.tokens, times.seconds
    reference = seconds["textstat"]
    print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, "
          f"Python {platform.python_version()}")
    print(f"corpus: {args.corpus}: {unique:,} articles replicated to {n:,} "
          f"(temporary JSONL, {corpus_bytes / 1e6:,.0f} MB), {tokens:,} tokens")
    print()
    print(f"{'stage':<40}{'seconds':>10}{'articles/s':>12}{'tokens/s':>12}{'× textstat':>12}")
    rows = [
        ("load (JSONL)", seconds["load"]),
        ("clean", seconds["clean"]),
        ("quotes", seconds["quotes"]),
        ("terms (sides + lexicon)", seconds["terms"]),
        ("readability (research_kit)", seconds["readability"]),
        ("textstat readability (reference)", reference),
        ("clean + quotes + terms", seconds["clean"] + seconds["quotes"] + seconds["terms"]),
        ("per-article pipeline (analyze_document)", seconds["pipeline"]),
        *((f"analyze --jobs {jobs} (end to end, to Parquet)", wall)
          for jobs, (wall, _) in pipeline.items()),
    ]
    for name, spent in rows:
        print(f"{name:<40}{spent:>10.1f}{n / spent:>12,.0f}{tokens / spent:>12,.0f}"
              f"{spent / reference:>12.2f}")
    print()
    for jobs, (_, peak) in pipeline.items():
        print(f"peak RSS, analyze --jobs {jobs} (process tree): {peak / 2**20:,.0f} MiB")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"largest single process (ru_maxrss of children): {largest / 1024:,.0f} MiB")
    speedup = pipeline[1][0] / pipeline[2][0]
    print(f"1 → 2 jobs: {speedup:.2f}× throughput; outputs byte-identical: "
          f"{'yes' if identical else 'NO'}")
    print(f"machine ceiling: two busy-loop processes give {ceiling:.2f}× one")
    if reports:
        (cold, cold_runs), (unchanged, unchanged_runs) = reports
        print(f"reports --jobs 2: cold {cold:.1f} s ({cold_runs}); "
              f"nothing changed {unchanged:.1f} s ({unchanged_runs})")
    print()
    print("targets:")
    ratio = seconds["pipeline"] / reference
    front = (seconds["clean"] + seconds["quotes"] + seconds["terms"]) / reference
    peak = max(p for _, p in pipeline.values())
    print(f"  per-article pipeline ≤ 1.5× textstat: {ratio:.2f}× — "
          f"{_verdict(ratio, TARGETS['pipeline'])}")
    print(f"  clean + quotes + terms ≤ 0.5× textstat: {front:.2f}× — "
          f"{_verdict(front, TARGETS['clean+quotes+terms'])}")
    print(f"  1 → 2 jobs ≥ 1.8×: {speedup:.2f}× — "
          f"{_verdict(speedup, TARGETS['speedup'], at_most=False)}")
    print(f"  peak RSS < 1 GiB on {n:,} articles: {peak / 2**20:,.0f} MiB — "
          f"{_verdict(peak, TARGETS['rss'])}")
    if reports:
        print(f"  reports with nothing changed < 3 s: {reports[1][0]:.1f} s — "
              f"{_verdict(reports[1][0], TARGETS['reports_unchanged'])}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the BBC corpus folder (../shared/data/bbc)")
    parser.add_argument("--replicate", type=int, metavar="N", help="articles (default 100,000)")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_ARTICLES:,} articles unless --replicate says otherwise")
    parser.add_argument("--skip-reports", action="store_true", help="do not time the reports")
    args = parser.parse_args(argv)
    articles = args.replicate or (QUICK_ARTICLES if args.quick else 100_000)
    with tempfile.TemporaryDirectory(prefix="research-kit-scale-") as folder:
        tmp = Path(folder)
        corpus = tmp / "corpus.jsonl"
        unique = replicate(args.corpus, corpus, articles)
        print(f"replicated {unique:,} articles to {articles:,}; measuring stages…",
              file=sys.stderr)
        times = measure_stages(corpus)
        pipeline = {}
        for jobs in (1, 2):
            print(f"analyze --jobs {jobs}…", file=sys.stderr)
            pipeline[jobs] = measure_pipeline(corpus, jobs, tmp / f"out-{jobs}.parquet")
        identical = filecmp.cmp(tmp / "out-1.parquet", tmp / "out-2.parquet", shallow=False)
        ceiling = cpu_scaling()
        reports = None
        if not args.skip_reports:
            print("reports…", file=sys.stderr)
            reports = measure_reports(tmp / "reports")
        report(args, unique, corpus.stat().st_size, times, pipeline, identical, ceiling, reports)
    return 0


if __name__ == "__main__":
    sys.exit(main())
