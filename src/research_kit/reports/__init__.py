"""Reports stage: run parameterized notebooks with papermill and publish HTML and PDF, reproducibly.

`run_reports` executes every run of a reports config (`notebooks/reports.yml`): papermill fills the
notebook's `parameters` cell, the project's own kernel executes it, and the executed notebook is
stripped of everything that changes between runs (timings, random cell ids, absolute paths), then
rendered to self-contained HTML (nbconvert, code hidden, nothing fetched from the internet) and to
PDF (WeasyPrint, no TeX, no browser). The same inputs give the same bytes.

Modules: `config` (which runs), `provenance` (hashes, versions, citation), `execute` (papermill,
skipping, publishing), `render` (HTML, PDF), `manifest` (`reports/manifest.json`), and for the
notebooks themselves `notebook` (set-up and closing cells, imported by notebooks only, so the
CLI does not load IPython) and `methods` (the methods text).
"""

from __future__ import annotations

from .config import ReportRun, default_corpus, load_config, project_root, validate_output_name
from .execute import KERNEL_NAME, RunResult, execute_run, run_reports, strip_notebook
from .manifest import MANIFEST_FILE, read_manifest
from .methods import methods_markdown
from .provenance import citation, corpus_hash, package_hash, provenance
from .render import render_html, render_pdf

__all__ = [
    "KERNEL_NAME",
    "MANIFEST_FILE",
    "ReportRun",
    "RunResult",
    "citation",
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
