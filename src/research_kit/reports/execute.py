"""Execution: run a notebook with papermill on this interpreter, strip what varies, publish.

The kernel is the interpreter that runs research_kit itself
(`kernel.InterpreterKernelManager`), so a pip-installed research_kit needs no kernel registered
first (`make setup` still registers one for JupyterLab). Runs execute in worker processes that
only compute; the main process publishes each run's files and its manifest entry together
(`manifest.publish`), so an interrupt leaves the reports folder and its manifest consistent, and
nothing is published after it.

A run is skipped when its inputs are unchanged since the output recorded in the manifest. A
failing run keeps its executed copy in `failed/` and never overwrites a published report.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ResearchKitError
from ..interrupts import check as check_interrupt
from ..interrupts import ignore_interrupts, interrupts_deferred, worker_context
from .config import ARTIFACTS_ENV, RECORDS_CACHE_ENV, ReportRun, project_root
from .manifest import publish, read_manifest, up_to_date, write_failed_copy
from .provenance import code_inputs, display_path, report_citations, run_inputs, sha256_bytes
from .render import render_html, render_pdf

FAILED_DIR = "failed"


@dataclass(frozen=True, slots=True)
class RunResult:
    """What happened to one run: `executed`, `skipped` (inputs unchanged) or `failed`.

    `files` maps each published file (relative to the reports folder) to its SHA-256; `outputs`
    holds the bytes until the main process publishes them.
    """

    run: ReportRun
    status: str
    error: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, bytes] = field(default_factory=dict, repr=False)
    failed_copy: bytes | None = field(default=None, repr=False)


def strip_notebook(nb: Any) -> Any:
    """Remove what differs between two executions of the same notebook on the same inputs."""
    papermill = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {
        key: papermill[key] for key in ("parameters", "default_parameters") if key in papermill
    }
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    return nb


def _import_jsonschema() -> None:
    """Import jsonschema (nbformat's validator) without its IRI format checker.

    jsonschema imports `rfc3987_syntax`, when installed, for its "iri" format checker, and that
    module builds its grammar at import: about 0.8 s of CPU in every process that runs reports
    (python-jsonschema/jsonschema#1428). Notebook validation never checks formats, so the module
    is kept out while jsonschema loads (jsonschema skips a checker whose module cannot be
    imported); afterwards it can be imported as usual.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    try:
        import jsonschema  # noqa: F401
    finally:
        del sys.modules["rfc3987_syntax"]


@contextmanager
def _kernel_environment(variables: Mapping[str, str | None]) -> Iterator[None]:
    """Environment variables the kernel inherits while a run starts it; restored afterwards."""
    previous = {name: os.environ.get(name) for name in variables}
    for name, value in variables.items():
        if value is not None:
            os.environ[name] = value
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def execute_run(run: ReportRun, root: Path, cache: Path | None = None) -> RunResult:
    """Execute one run; return its .ipynb, .html, .pdf and report files as bytes, or its failure.

    `cache` is the folder where the runs of one call share their analyses (`cache`).
    """
    _import_jsonschema()
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .kernel import InterpreterKernelManager

    with tempfile.TemporaryDirectory(prefix="research-kit-") as staging:
        executed = Path(staging) / f"{run.output}.ipynb"
        artifacts = Path(staging) / run.output
        environment = {ARTIFACTS_ENV: str(artifacts),
                       RECORDS_CACHE_ENV: str(cache) if cache else None}
        try:
            with _kernel_environment(environment):
                papermill.execute_notebook(
                    str(run.notebook), str(executed), parameters=run.parameters,
                    kernel_manager_class=InterpreterKernelManager, cwd=str(root),
                    progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                    record_timing=False,
                )
        except PapermillExecutionError as exc:
            message = (
                f"{display_path(run.notebook, root)}: cell {exc.exec_count} failed: "
                f"{exc.ename}: {exc.evalue} (executed copy: {FAILED_DIR}/{executed.name})"
            )
            copy = executed.read_bytes() if executed.is_file() else None
            return RunResult(run, "failed", error=message, failed_copy=copy)
        # A Ctrl-C is checked after each step, not only raised: a finalizer run meanwhile
        # (WeasyPrint's FontConfiguration.__del__, a kernel client's) can swallow it.
        check_interrupt()
        nb = strip_notebook(nbformat.read(executed, as_version=4))
        html = render_html(nb, run.output)
        check_interrupt()
        pdf = render_pdf(html)
        check_interrupt()
        outputs = {
            f"{run.output}.ipynb": (nbformat.writes(nb) + "\n").encode(),
            f"{run.output}.html": html.encode(),
            f"{run.output}.pdf": pdf,
        }
        title = str(nb.cells[0].source).lstrip("# ").splitlines()[0] if nb.cells else "Report"
        outputs.update(report_citations(root, run.output, title))
        if artifacts.is_dir():
            for path in sorted(p for p in artifacts.rglob("*") if p.is_file()):
                outputs[path.relative_to(staging).as_posix()] = path.read_bytes()
    return RunResult(run, "executed", outputs=outputs,
                     files={name: sha256_bytes(data) for name, data in outputs.items()})


def _execute_safely(run: ReportRun, root: Path, cache: Path | None) -> RunResult:
    try:
        return execute_run(run, root, cache)
    except ResearchKitError as exc:
        return RunResult(run, "failed", error=str(exc))
    except Exception as exc:  # a broken run must not take the other runs down
        return RunResult(run, "failed",
                         error=f"{display_path(run.notebook, root)}: {type(exc).__name__}: {exc}")


def _worker_init() -> None:
    """Workers leave Ctrl-C to the main process, which stops them with SIGTERM (`_stop`)."""
    ignore_interrupts()
    signal.signal(signal.SIGTERM, _stop)


def _stop(number: int, frame: object) -> None:
    """Unwind, so the kernel is shut down and the staging folder removed, without logging the
    kernel's death on the way: the main process was interrupted, and says so in one line."""
    logging.disable(logging.CRITICAL)
    sys.exit(1)


def _worker(task: tuple[ReportRun, Path, Path | None]) -> RunResult:
    return _execute_safely(*task)


def _execute_all(runs: Sequence[ReportRun], root: Path, jobs: int) -> Iterator[RunResult]:
    """Results as runs finish; with `jobs` > 1 in worker processes, stopped at an interrupt.

    The runs share one cache folder for their analyses, deleted when the last run is done.
    """
    with tempfile.TemporaryDirectory(prefix="research-kit-cache-",
                                     ignore_cleanup_errors=True) as folder:
        cache = Path(folder)
        if jobs <= 1 or len(runs) <= 1:
            for run in runs:
                yield _execute_safely(run, root, cache)
            return
        with interrupts_deferred():  # workers start whole (a worker cut short prints a traceback)
            pool = worker_context().Pool(min(jobs, len(runs)), initializer=_worker_init)
        with pool:
            yield from pool.imap_unordered(_worker, [(run, root, cache) for run in runs])
            # All done: let the workers finish (`terminate`, which the `with` ends in, is for
            # an interrupt; on a finished pool it could wait forever for an idle worker).
            pool.close()
            pool.join()


def run_reports(
    runs: Sequence[ReportRun],
    out_dir: Path,
    *,
    jobs: int = 1,
    force: bool = False,
    announce: Callable[[str], None] = lambda message: None,
) -> list[RunResult]:
    """Execute the runs whose inputs changed (all with `force`), `jobs` at a time, in parallel.

    Each run is published with its manifest entry as soon as it succeeds; results come back in
    the order of `runs`.
    """
    root = project_root()
    if out_dir.exists() and not out_dir.is_dir():
        raise ResearchKitError("not a folder (reports are written into a folder)", str(out_dir))
    manifest = read_manifest(out_dir)
    code = code_inputs(root)
    inputs = {run.output: run_inputs(run, root, code) for run in runs}
    todo = [run for run in runs if force or not up_to_date(
        manifest["outputs"].get(run.output), inputs[run.output], out_dir)]
    results: dict[str, RunResult] = {
        run.output: RunResult(run, "skipped") for run in runs if run not in todo
    }
    for number, run in enumerate(todo, 1):
        announce(f"[{number}/{len(todo)}] {run.notebook.name} → {run.output}")
    with closing(_execute_all(todo, root, jobs)) as finished:
        for result in finished:
            _record(result, out_dir, root, inputs, results)
    return [results[run.output] for run in runs]


def _record(result: RunResult, out_dir: Path, root: Path, inputs: dict[str, dict[str, str]],
            results: dict[str, RunResult]) -> None:
    """Publish a finished run (files and manifest entry together) or keep its failed copy."""
    name = result.run.output
    if result.status == "executed":
        entry = {
            "notebook": display_path(result.run.notebook, root),
            "parameters": result.run.parameters,
            "inputs": inputs[name],
            "files": result.files,
        }
        publish(out_dir, read_manifest(out_dir), name, result.outputs, entry)
        (out_dir / FAILED_DIR / f"{name}.ipynb").unlink(missing_ok=True)
    elif result.failed_copy is not None:
        write_failed_copy(out_dir / FAILED_DIR / f"{name}.ipynb", result.failed_copy)
    results[name] = RunResult(result.run, result.status, result.error, result.files)
