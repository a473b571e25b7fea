"""Reports stage: run parameterized notebooks with papermill and publish HTML and PDF, reproducibly.

`run_reports` executes every run of a reports config (`notebooks/reports.yml`): papermill fills the
notebook's `parameters` cell, the project's own kernel executes it, and the executed notebook is
stripped of everything that changes between runs (timings, random cell ids, absolute paths), then
rendered to self-contained HTML (nbconvert, code hidden, nothing fetched from the internet) and to
PDF (WeasyPrint, no TeX, no browser). The same inputs give the same bytes.

A run is skipped when its inputs — notebook, parameters, `data/raw` manifest, lexicon, package code
and version — are unchanged since the output recorded in `reports/manifest.json`. A failing run
keeps its executed copy in `reports/failed/` and never overwrites a published report.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import yaml

from . import __version__
from .errors import ResearchKitError
from .load import MANIFEST_NAME, sha256_file

KERNEL_NAME = "research-kit"
"""The kernel `make setup` registers in the environment; reports never use the notebook's own."""
MANIFEST_FILE = "manifest.json"
FAILED_DIR = "failed"
OUTPUT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
KEY_LIBRARIES = ("pandas", "textstat", "matplotlib", "papermill", "nbconvert", "weasyprint")
HTML_TEMPLATE = "research_kit"


@dataclass(frozen=True, slots=True)
class ReportRun:
    """One declared report: which notebook, with which parameters, published under which name."""

    notebook: Path
    output: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RunResult:
    """What happened to one run: `executed`, `skipped` (inputs unchanged) or `failed`."""

    run: ReportRun
    status: str
    error: str | None = None
    files: dict[str, str] = field(default_factory=dict)


def project_root(start: Path | None = None) -> Path:
    """The research_kit project folder: the nearest ancestor with `data/raw`, else the package's.

    Notebooks call this so they run from any working directory, including the plain papermill CLI.
    """
    for folder in [(start or Path.cwd()).resolve(), *(start or Path.cwd()).resolve().parents]:
        if (folder / "data" / "raw").is_dir() and (folder / "notebooks").is_dir():
            return folder
    package_root = Path(__file__).resolve().parents[2]
    if (package_root / "data" / "raw").is_dir():
        return package_root
    raise ResearchKitError("cannot find the project folder (one with data/raw and notebooks/)")


def default_corpus() -> Path:
    """The corpus reports use unless a parameter names one: `$RESEARCH_KIT_CORPUS` or data/raw."""
    configured = os.environ.get("RESEARCH_KIT_CORPUS")
    return Path(configured) if configured else project_root() / "data" / "raw"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash_files(paths: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(bytes.fromhex(sha256_file(path)) + b"\0")
    return digest.hexdigest()


def package_hash() -> str:
    """Hash of the installed package's code and data files: a code change invalidates reports."""
    root = Path(__file__).resolve().parent
    files = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return _hash_files(files, root)


def corpus_hash(corpus: Path) -> str:
    """Hash of the corpus manifest (its `SHA256SUMS`), or of all its files when it has none."""
    corpus = Path(corpus)
    manifest = corpus / MANIFEST_NAME
    if manifest.is_file():
        return sha256_bytes(manifest.read_bytes())
    if corpus.is_file():
        return sha256_file(corpus)  # streamed: a one-file corpus can be gigabytes
    return _hash_files([p for p in corpus.rglob("*") if p.is_file()], corpus)


def git_state(root: Path) -> dict[str, Any]:
    """Commit and dirtiness of the project's git tree (generated reports do not count as dirt)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", ".", ":(exclude)reports"],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(status.strip())}


def provenance(parameters: Mapping[str, Any], corpus: Path, lexicon: Path | None) -> dict[str, Any]:
    """Everything a reader needs to regenerate a report: versions, hashes, commit, parameters."""
    root = project_root()
    return {
        "research_kit": __version__,
        **{f"git_{key}": value for key, value in git_state(root).items()},
        "corpus": _display_path(Path(corpus), root),
        "corpus_manifest_sha256": corpus_hash(Path(corpus)),
        "lexicon": _display_path(lexicon, root) if lexicon else None,
        "lexicon_sha256": sha256_bytes(Path(lexicon).read_bytes()) if lexicon else None,
        "parameters": dict(parameters),
        "python": sys.version.split()[0],
        **{name: metadata.version(name) for name in KEY_LIBRARIES},
    }


def _display_path(path: Path, root: Path) -> str:
    """A path relative to the project when inside it, so reports do not embed where it lives."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


def citation(root: Path | None = None) -> str:
    """How to cite a report, from CITATION.cff (title, version, authors) plus the commit."""
    root = root or project_root()
    cff = yaml.safe_load((root / "CITATION.cff").read_text("utf-8"))
    authors = ", ".join(a.get("name") or f"{a.get('given-names')} {a.get('family-names')}"
                        for a in cff.get("authors", []))
    commit = git_state(root)["commit"]
    at = f", commit {commit[:12]}" if commit else ""
    return f"{authors}. {cff['title']}. Version {cff['version']}{at}."


def load_config(path: str | Path) -> list[ReportRun]:
    """Read and validate a reports config; notebooks are resolved relative to the config file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ResearchKitError("no such reports config", str(path)) from None
    except yaml.YAMLError as exc:
        raise ResearchKitError(f"invalid YAML ({' '.join(str(exc).split())})", str(path)) from None
    runs = data.get("runs") if isinstance(data, dict) else None
    if not isinstance(runs, list) or not runs:
        raise ResearchKitError("expected a mapping with a non-empty 'runs' list", str(path))
    parsed = [_parse_run(entry, n, path) for n, entry in enumerate(runs, 1)]
    names = [run.output for run in parsed]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ResearchKitError(f"output name(s) used twice: {duplicates}", str(path))
    return parsed


def _parse_run(entry: Any, number: int, path: Path) -> ReportRun:
    where = f"run {number}"
    if not isinstance(entry, dict):
        raise ResearchKitError(f"{where}: expected a mapping", str(path))
    unknown = set(entry) - {"notebook", "output", "parameters"}
    if unknown:
        raise ResearchKitError(f"{where}: unknown key(s) {sorted(unknown)}", str(path))
    notebook = path.parent / str(entry.get("notebook", ""))
    if not entry.get("notebook") or not notebook.is_file():
        raise ResearchKitError(f"{where}: notebook {entry.get('notebook')!r} not found", str(path))
    output = validate_output_name(entry.get("output"), f"{where}: ", str(path))
    parameters = entry.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise ResearchKitError(f"{where}: 'parameters' must be a mapping", str(path))
    return ReportRun(notebook=notebook, output=output, parameters=parameters)


def validate_output_name(name: Any, where: str = "", path: str | None = None) -> str:
    """An output name is a plain file stem: no path separators, no leading dot."""
    if not isinstance(name, str) or not OUTPUT_NAME.fullmatch(name):
        raise ResearchKitError(
            f"{where}output name {name!r} must be letters, digits, '.', '_' or '-' "
            "(no path separators)",
            path,
        )
    return name


def code_inputs(root: Path) -> dict[str, str]:
    """What every run depends on alike: the package's code and version and the git commit."""
    return {
        "package": package_hash(),
        "version": __version__,
        "git_commit": str(git_state(root)["commit"]),
    }


def run_inputs(run: ReportRun, root: Path, code: Mapping[str, str]) -> dict[str, str]:
    """Hashes of everything a run's output depends on; equal inputs mean an up-to-date report.

    `code` comes from `code_inputs`, computed once for all runs.
    """
    corpus = Path(run.parameters.get("corpus") or root / "data" / "raw")
    if not corpus.is_absolute():
        corpus = root / corpus
    lexicon = run.parameters.get("lexicon")
    return {
        "notebook": sha256_bytes(run.notebook.read_bytes()),
        "parameters": sha256_bytes(json.dumps(run.parameters, sort_keys=True).encode()),
        "corpus": corpus_hash(corpus) if corpus.exists() else "missing",
        "lexicon": sha256_bytes((root / lexicon).read_bytes()) if lexicon else "default",
        **code,
    }


def read_manifest(out_dir: Path) -> dict[str, Any]:
    path = out_dir / MANIFEST_FILE
    if not path.is_file():
        return {"outputs": {}}
    try:
        return json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError:
        return {"outputs": {}}


def _up_to_date(entry: Mapping[str, Any] | None, inputs: Mapping[str, str], out_dir: Path) -> bool:
    if not entry or entry.get("inputs") != inputs:
        return False
    return all(
        (out_dir / name).is_file() and sha256_bytes((out_dir / name).read_bytes()) == digest
        for name, digest in entry.get("files", {}).items()
    )


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


def _template_dir() -> str:
    return str(resources.files("research_kit").joinpath("templates"))


def render_html(nb: Any, title: str) -> str:
    """Self-contained HTML: code hidden, images embedded, no script, font or CSS from the web."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=HTML_TEMPLATE,
        extra_template_basedirs=[_template_dir()],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return html


def render_pdf(html: str) -> bytes:
    """PDF from the report's HTML with WeasyPrint: pip-installed, no TeX, no browser download.

    Font subsets carry a timestamp from fontTools unless SOURCE_DATE_EPOCH is set, so it is
    pinned (to the caller's value, if any) for byte-identical PDFs.
    """
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = previous or "0"
    try:
        return weasyprint.HTML(string=html, base_url=None).write_pdf()
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]


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
                f"{_display_path(run.notebook, root)}: cell {exc.exec_count} failed: "
                f"{exc.ename}: {exc.evalue} (executed copy: {_display_path(kept, root)})"
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
        _atomic_write(out_dir / name, data)
    (failed_dir / f"{run.output}.ipynb").unlink(missing_ok=True)
    return RunResult(run, "executed", files={n: sha256_bytes(d) for n, d in outputs.items()})


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


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
    todo = [run for run in runs if force or not _up_to_date(
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
                "notebook": _display_path(result.run.notebook, root),
                "parameters": result.run.parameters,
                "inputs": inputs[result.run.output],
                "files": result.files,
            }
    manifest["outputs"] = dict(sorted(manifest["outputs"].items()))
    _atomic_write(
        out_dir / MANIFEST_FILE,
        (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(),
    )
    return [results[run.output] for run in runs]
