"""Comparison-report benchmark (issue 10): all AllSides articles, every event, grouped by stance.

Usage::

    python benchmarks/comparison_allsides.py ../shared/data/allsides/allsides-2021.jsonl

One `research-kit reports --force` run of `notebooks/comparison_report.ipynb` on the corpus with
the shipped `us_politics` lexicon, `event_id: all`, `group_by: stance`, the full tables written
next to the report: wall time of the whole process (start-up, analysis of every article,
statistics, notebook execution, HTML and PDF), then the sizes of what it wrote (HTML, PDF pages,
full tables). Everything goes to a temporary folder, deleted at the end: AllSides text never
enters the project. The machine may be shared: the CPU time of the report's processes and the
load average are printed beside the wall time, so a figure from a busy machine can be read as
such; the figures are what this script printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "src" / "research_kit" / "data" / "lexicons" / "us_politics.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="allsides-2021.jsonl")
    parser.add_argument("--group-by", default="stance")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out, tables = Path(tmp) / "out", Path(tmp) / "tables"
        config = Path(tmp) / "reports.yml"
        config.write_text(yaml.safe_dump({"runs": [{
            "notebook": str(ROOT / "notebooks" / "comparison_report.ipynb"),
            "output": "comparison_allsides",
            "parameters": {"corpus": str(args.corpus.resolve()), "lexicon": str(LEXICON),
                           "event_id": "all", "group_by": args.group_by,
                           "tables_dir": str(tables)},
        }]}), "utf-8")
        command = [str(Path(sys.executable).parent / "research-kit"), "reports", "--config",
                   str(config), "--out", str(out), "--force", "-q"]
        start = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            sys.exit(f"report failed: {result.stderr.strip()}")
        html = out / "comparison_allsides.html"
        pdf = out / "comparison_allsides.pdf"
        pages = len(PdfReader(pdf).pages)
        full = sorted(tables.glob("*.csv"))
        print(f"comparison of {args.corpus.name}, every event, by {args.group_by}: "
              f"{seconds:.1f} s wall (executed notebook, HTML and PDF), "
              f"{usage.ru_utime + usage.ru_stime:.1f} s CPU of its processes; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"HTML {html.stat().st_size / 1024:.0f} KB, PDF {pages} pages "
              f"({pdf.stat().st_size / 1024:.0f} KB), {len(full)} full tables "
              f"({sum(p.stat().st_size for p in full) / 1024:.0f} KB of CSV)")


if __name__ == "__main__":
    main()
