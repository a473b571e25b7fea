"""Reports config: which notebook runs with which parameters under which output name.

`notebooks/reports.yml` declares the runs; notebooks are resolved relative to that file, and an
output name is a plain file stem so no run can write outside the reports folder.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import ResearchKitError

OUTPUT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
ARTIFACTS_ENV = "RESEARCH_KIT_REPORT_FILES"
"""Set by the runner for the kernel: the folder where a report writes its tables and figures."""
RECORDS_CACHE_ENV = "RESEARCH_KIT_REPORT_CACHE"
"""Set by the runner for the kernel: the folder where the runs of one call share analyses."""


@dataclass(frozen=True, slots=True)
class ReportRun:
    """One declared report: which notebook, with which parameters, published under which name."""

    notebook: Path
    output: str
    parameters: dict[str, Any] = field(default_factory=dict)


def project_root(start: Path | None = None) -> Path:
    """The research_kit project folder: the nearest ancestor with `data/raw`, else the package's.

    Notebooks call this so they run from any working directory, including the plain papermill CLI.
    """
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "data" / "raw").is_dir() and (folder / "notebooks").is_dir():
            return folder
    package_root = Path(__file__).resolve().parents[3]
    if (package_root / "data" / "raw").is_dir():
        return package_root
    raise ResearchKitError("cannot find the project folder (one with data/raw and notebooks/)")


def default_corpus() -> Path:
    """The corpus reports use unless a parameter names one: `$RESEARCH_KIT_CORPUS` or data/raw."""
    configured = os.environ.get("RESEARCH_KIT_CORPUS")
    return Path(configured) if configured else project_root() / "data" / "raw"


def load_config(path: str | Path) -> list[ReportRun]:
    """Read and validate a reports config; notebooks are resolved relative to the config file."""
    path = Path(path)
    if not path.exists():
        raise ResearchKitError("no such reports config", str(path))
    data = schema.read_yaml(path)
    if isinstance(data, dict):
        schema.expect_mapping(data, str(path), optional=("runs",))
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
    check_parameters(notebook, parameters, project_root(), f"{where}: ", str(path))
    return ReportRun(notebook=notebook, output=output, parameters=parameters)


def notebook_parameters(notebook: Path) -> list[str]:
    """The names the notebook's `parameters` cell assigns, in order.

    Read with `ast` from the cell papermill fills: the same names papermill's inspector finds for
    a Python notebook, without importing papermill on every `reports` call.
    """
    try:
        cells = json.loads(notebook.read_text("utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        raise ResearchKitError("not a readable notebook", str(notebook)) from None
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            tree = ast.parse(source)
            return [
                target.id
                for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                if isinstance(target, ast.Name)
            ]
    return []


def check_parameters(notebook: Path, parameters: dict[str, Any], root: Path, where: str = "",
                     path: str | None = None) -> None:
    """Refuse a parameter the notebook does not declare, and a corpus or lexicon that is not there.

    Without this a misspelt parameter (`artcle_id`) would be injected, ignored, and the report of
    the default article published under the new name.
    """
    declared = notebook_parameters(notebook)
    unknown = [name for name in parameters if name not in declared]
    if unknown:
        raise ResearchKitError(
            f"{where}unknown parameter(s) {unknown} for {notebook.name}; its parameters: "
            f"{', '.join(declared) or '(none)'}", path)
    for name, kind in (("corpus", "file or folder"), ("lexicon", "file")):
        value = parameters.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not value:
            raise ResearchKitError(f"{where}parameter {name!r} must be a path, not {value!r}", path)
        target = Path(value) if Path(value).is_absolute() else root / value
        if not target.exists() or (kind == "file" and not target.is_file()):
            problem = "is a folder, not a file" if target.is_dir() else "does not exist"
            raise ResearchKitError(f"{where}{name} {value!r} {problem}", path)


def _relative_to(target: Path, root: Path) -> str:
    """`target` as a path from `root`, with `..` where it lies outside (absolute only where no
    relative path exists, as between Windows drives)."""
    try:
        return Path(os.path.relpath(target, root)).as_posix()
    except ValueError:
        return str(target)


def command_run(notebook: str | Path, output: Any, parameters: dict[str, Any],
                cwd: Path | None = None) -> ReportRun:
    """One run named on the command line (`research-kit report`), checked like a config's runs.

    A relative `corpus` or `lexicon` is where the user typed it from; the kernel runs in the
    project folder, so it is rewritten relative to the project (`../shared/corpus.jsonl` for a
    folder beside it), which the provenance then shows: never where the machine keeps it.
    """
    root = project_root()
    cwd = cwd or Path.cwd()
    path = Path(notebook)
    if not path.is_file():
        raise ResearchKitError("no such notebook", str(notebook))
    output = validate_output_name(output)
    parameters = dict(parameters)
    for name in ("corpus", "lexicon"):
        value = parameters.get(name)
        if isinstance(value, str) and value and not Path(value).is_absolute():
            parameters[name] = _relative_to(Path(os.path.abspath(cwd / value)), root)
    check_parameters(path, parameters, root, "", str(notebook))
    return ReportRun(notebook=path.resolve(), output=output, parameters=parameters)


def validate_output_name(name: Any, where: str = "", path: str | None = None) -> str:
    """An output name is a plain file stem: no path separators, no leading dot."""
    if not isinstance(name, str) or not OUTPUT_NAME.fullmatch(name):
        raise ResearchKitError(
            f"{where}output name {name!r} must be letters, digits, '.', '_' or '-' "
            "(no path separators)",
            path,
        )
    return name
