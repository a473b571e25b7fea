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

from ..lazy import lazy_exports

# Imported on first use (PEP 562): a notebook importing `research_kit.reports.findings` does not
# load the runner (papermill, nbconvert, WeasyPrint), and `research-kit reports` with nothing
# changed does not load what only executing a run needs.
_LAZY = {
    "config": ("ReportRun", "command_run", "default_corpus", "load_config", "project_root",
               "validate_output_name"),
    "execute": ("RunResult", "execute_run", "run_reports", "strip_notebook"),
    "manifest": ("MANIFEST_FILE", "read_manifest"),
    "methods": ("methods_markdown",),
    "provenance": ("citation", "corpus_hash", "package_hash", "provenance"),
    "render": ("render_html", "render_pdf"),
}
__getattr__, __dir__ = lazy_exports(__name__, _LAZY)


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
