"""Provenance: the hashes, versions and commit that say what produced a report, and its citation.

The same hashes decide whether a run is up to date (`run_inputs`), so what a report states about
its inputs and what the runner compares are one computation.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from .. import __version__
from ..load import MANIFEST_NAME, sha256_file
from .config import ReportRun, project_root

KEY_LIBRARIES = ("pandas", "textstat", "matplotlib", "papermill", "nbconvert", "weasyprint")
PACKAGE_DIR = Path(__file__).resolve().parents[1]


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
    files = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return _hash_files(files, PACKAGE_DIR)


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
        "corpus": display_path(Path(corpus), root),
        "corpus_manifest_sha256": corpus_hash(Path(corpus)),
        "lexicon": display_path(lexicon, root) if lexicon else None,
        "lexicon_sha256": sha256_bytes(Path(lexicon).read_bytes()) if lexicon else None,
        "parameters": dict(parameters),
        "python": sys.version.split()[0],
        **{name: metadata.version(name) for name in KEY_LIBRARIES},
    }


def display_path(path: Path | str, root: Path) -> str:
    """A path relative to the project, or to the installed package (`research_kit/...`) for its
    own data files, else as given: reports never embed where the project or package lives."""
    resolved = Path(path).resolve()
    for base, prefix in ((PACKAGE_DIR, "research_kit/"), (root, "")):
        if resolved.is_relative_to(base):
            return prefix + resolved.relative_to(base).as_posix()
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


def code_inputs(root: Path) -> dict[str, str]:
    """What every run depends on alike: the package's code and version and the git commit."""
    return {
        "package": package_hash(),
        "version": __version__,
        "git_commit": str(git_state(root)["commit"]),
    }


OUTPUT_PARAMETERS = frozenset({"tables_dir"})
"""Parameters naming a folder the run writes into: not inputs (hashing them would rerun every
report that writes there)."""


def path_hash(path: Path) -> str:
    """Hash of a file's bytes, or of every file in a folder (names and bytes)."""
    if path.is_file():
        return sha256_file(path)
    return _hash_files([p for p in path.rglob("*") if p.is_file()], path)


def parameter_files(parameters: Mapping[str, Any], root: Path) -> dict[str, str]:
    """Hashes of the contents of the files and folders a run's parameters name (aliases,
    validation, key, sheets, ...: any string, or list of strings, naming an existing path), so
    editing such a file, not only renaming it, makes the report out of date."""
    hashes = {}
    for name, value in sorted(parameters.items()):
        if name in OUTPUT_PARAMETERS or name in ("corpus", "lexicon"):  # hashed by run_inputs
            continue
        values = value if isinstance(value, list) else [value]
        paths = [root / item for item in values if isinstance(item, str) and item]
        existing = [path for path in paths if path.exists()]
        if existing:
            hashes[f"file {name}"] = sha256_bytes(
                "\0".join(path_hash(path) for path in existing).encode())
    return hashes


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
        **parameter_files(run.parameters, root),
        **code,
    }


def report_citations(root: Path, output: str, title: str) -> dict[str, bytes]:
    """BibTeX and CSL-JSON citations of one report, from CITATION.cff and the git commit.

    Written beside the report's tables (`NAME/citation.bib`, `NAME/citation.json`); nothing in
    them depends on the day or the machine, so they regenerate byte-identically.
    """
    cff = yaml.safe_load((root / "CITATION.cff").read_text("utf-8"))
    authors = [a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
               for a in cff.get("authors", [])]
    commit = git_state(root)["commit"]
    year = str(cff.get("date-released", ""))[:4]
    note = f"Generated by {cff['title']}, version {cff['version']}" + (
        f", commit {commit[:12]}" if commit else "")
    key = re.sub(r"[^A-Za-z0-9]+", "_", output)

    def braced(text: str) -> str:  # BibTeX value; `_` is escaped for LaTeX
        return "{" + text.replace("{", "").replace("}", "").replace("_", r"\_") + "}"

    bib = [f"@misc{{research_kit_{key},",
           f"  title = {braced(f'{title}: {output}')},",
           # each author in its own braces: a corporate name, not given and family names
           "  author = {" + " and ".join(braced(a) for a in authors) + "},",
           *([f"  year = {braced(year)},"] if year else []),
           f"  note = {braced(note)},", "}"]
    csl = [{
        "id": f"research_kit_{key}",
        "type": "report",
        "title": f"{title}: {output}",
        "author": [{"literal": a} for a in authors],
        **({"issued": {"date-parts": [[int(year)]]}} if year.isdigit() else {}),
        "version": str(cff["version"]),
        "note": note,
    }]
    return {
        f"{output}/citation.bib": ("\n".join(bib) + "\n").encode(),
        f"{output}/citation.json": (json.dumps(csl, indent=2, ensure_ascii=False) + "\n").encode(),
    }
