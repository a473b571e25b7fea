"""Execution: run a notebook with papermill, strip what varies between runs, publish on success.

A run is skipped when its inputs are unchanged since the output recorded in the manifest. A
failing run keeps its executed copy in `failed/` and never overwrites a published report.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ResearchKitError
from .config import ReportRun, project_root
from .manifest import atomic_write, read_manifest, up_to_date, write_manifest
from .provenance import code_inputs, display_path, run_inputs, sha256_bytes
from .render import render_html, render_pdf

KERNEL_NAME = "research-kit"
"""The kernel `make setup` registers in the environment; reports never use the notebook's own."""
FAILED_DIR = "failed"


@dataclass(frozen=True, slots=True)
class RunResult:
    """What happened to one run: `executed`, `skipped` (inputs unchanged) or `failed`."""

    run: ReportRun
    status: str
    error: str | None = None
    files: dict[str, str] = field(default_factory=dict)


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


def _kernel_available(kernel: str) -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return kernel in KernelSpecManager().find_kernel_specs()


def execute_run(run: ReportRun, out_dir: Path, root: Path, kernel: str = KERNEL_NAME) -> RunResult:
    """Execute one run and publish its .ipynb, .html and .pdf into `out_dir` only if it succeeds."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    failed_dir = out_dir / FAILED_DIR
    with tempfile.TemporaryDirectory(prefix="research-kit-") as staging:
        executed = Path(staging) / f"{run.output}.ipynb"
        try:
            papermill.execute_notebook(
                str(run.notebook), str(executed), parameters=run.parameters, kernel_name=kernel,
                cwd=str(root), progress_bar=False, log_output=False,
                request_save_on_cell_execute=False, record_timing=False,
                # Loopback TCP is the kernel's usual transport; its warning about it is noise.
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
        except PapermillExecutionError as exc:
            failed_dir.mkdir(parents=True, exist_ok=True)
            kept = failed_dir / executed.name
            if executed.is_file():
                shutil.copyfile(executed, kept)
            message = (
                f"{display_path(run.notebook, root)}: cell {exc.exec_count} failed: "
                f"{exc.ename}: {exc.evalue} (executed copy: {display_path(kept, root)})"
            )
            return RunResult(run, "failed", error=message)
        nb = strip_notebook(nbformat.read(executed, as_version=4))
        notebook_text = nbformat.writes(nb) + "\n"
        html = render_html(nb, run.output)
        outputs = {
            f"{run.output}.ipynb": notebook_text.encode(),
            f"{run.output}.html": html.encode(),
            f"{run.output}.pdf": render_pdf(html),
        }
    for name, data in outputs.items():
        atomic_write(out_dir / name, data)
    (failed_dir / f"{run.output}.ipynb").unlink(missing_ok=True)
    return RunResult(run, "executed", files={n: sha256_bytes(d) for n, d in outputs.items()})


def _execute_in_worker(run: ReportRun, out_dir: Path, root: Path, kernel: str) -> RunResult:
    try:
        return execute_run(run, out_dir, root, kernel)
    except ResearchKitError as exc:
        return RunResult(run, "failed", error=str(exc))
    except Exception as exc:  # a broken run must not take the other runs down
        return RunResult(run, "failed", error=f"{run.notebook}: {type(exc).__name__}: {exc}")


def run_reports(
    runs: Sequence[ReportRun],
    out_dir: Path,
    *,
    jobs: int = 1,
    force: bool = False,
    kernel: str = KERNEL_NAME,
    announce: Callable[[str], None] = lambda message: None,
) -> list[RunResult]:
    """Execute the runs whose inputs changed (all with `force`), `jobs` at a time, in parallel.

    Results come back in the order of `runs`; the manifest is rewritten with every published
    output and its inputs.
    """
    root = project_root()
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(out_dir)
    code = code_inputs(root)
    inputs = {run.output: run_inputs(run, root, code) for run in runs}
    todo = [run for run in runs if force or not up_to_date(
        manifest["outputs"].get(run.output), inputs[run.output], out_dir)]
    if todo and not _kernel_available(kernel):
        raise ResearchKitError(
            f"Jupyter kernel {kernel!r} is not installed; run 'make setup' to register it"
        )
    results: dict[str, RunResult] = {
        run.output: RunResult(run, "skipped") for run in runs if run not in todo
    }
    for number, run in enumerate(todo, 1):
        announce(f"[{number}/{len(todo)}] {run.notebook.name} → {run.output}")
    if jobs <= 1 or len(todo) <= 1:
        for run in todo:
            results[run.output] = _execute_in_worker(run, out_dir, root, kernel)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {
                run.output: pool.submit(_execute_in_worker, run, out_dir, root, kernel)
                for run in todo
            }
            results.update({name: future.result() for name, future in futures.items()})
    for result in results.values():
        if result.status == "executed":
            manifest["outputs"][result.run.output] = {
                "notebook": display_path(result.run.notebook, root),
                "parameters": result.run.parameters,
                "inputs": inputs[result.run.output],
                "files": result.files,
            }
    write_manifest(out_dir, manifest)
    return [results[run.output] for run in runs]
