"""Reports stage: run parameterized notebooks with papermill and publish HTML and PDF, reproducibly.

`run_reports` executes every run of a reports config (`notebooks/reports.yml`): papermill fills the
notebook's `parameters` cell, a kernel on research_kit's own interpreter executes it (nothing to
register), and the executed notebook is
stripped of everything that changes between runs (timings, random cell ids, absolute paths), then
rendered to self-contained HTML (nbconvert, code hidden, nothing fetched from the internet) and to
PDF (WeasyPrint, no TeX, no browser). The same inputs give the same bytes.

Modules: `config` (which runs, checked parameters), `provenance` (hashes, versions, citation),
`execute` (papermill, skipping, interrupts), `render` (HTML with contents, PDF), `manifest`
(`reports/manifest.json`, publishing a run's files and entry together), and for the notebooks
themselves `notebook` (`start_report` and the `Report` that numbers tables and figures; imported
by notebooks only, so the CLI does not load IPython), `present` (tables and figures for readers),
`findings` (key findings from the tables) and `methods` (the methods text).
"""

from __future__ import annotations

from .config import (
    ReportRun,
    command_run,
    default_corpus,
    load_config,
    project_root,
    validate_output_name,
)
from .execute import RunResult, execute_run, run_reports, strip_notebook
from .manifest import MANIFEST_FILE, read_manifest
from .methods import methods_markdown
from .provenance import citation, corpus_hash, package_hash, provenance
from .render import render_html, render_pdf

__all__ = [
    "MANIFEST_FILE",
    "ReportRun",
    "RunResult",
    "citation",
    "command_run",
    "corpus_hash",
    "default_corpus",
    "execute_run",
    "load_config",
    "methods_markdown",
    "package_hash",
    "project_root",
    "provenance",
    "read_manifest",
    "render_html",
    "render_pdf",
    "run_reports",
    "strip_notebook",
    "validate_output_name",
]
