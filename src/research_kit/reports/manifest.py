"""The reports manifest (`reports/manifest.json`): every published file with its SHA-256 and the
inputs it was made from, so an unchanged run is skipped and a reader can verify what they have.

`publish` writes a run's files and its manifest entry as one step: everything is staged beside
its target first, then renamed into place, with Ctrl-C held until the step is complete, so the
manifest always describes the files that are there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ResearchKitError
from ..interrupts import check as check_interrupt
from ..interrupts import interrupts_deferred
from .provenance import sha256_bytes

MANIFEST_FILE = "manifest.json"


def read_manifest(out_dir: Path) -> dict[str, Any]:
    path = out_dir / MANIFEST_FILE
    if not path.is_file():
        return {"outputs": {}}
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {"outputs": {}}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("outputs"), dict):
        return {"outputs": {}}
    return manifest


def up_to_date(entry: Mapping[str, Any] | None, inputs: Mapping[str, str], out_dir: Path) -> bool:
    """The entry was made from these inputs and every file it lists is there, unchanged."""
    if not entry or entry.get("inputs") != inputs:
        return False
    return all(
        (out_dir / name).is_file() and sha256_bytes((out_dir / name).read_bytes()) == digest
        for name, digest in entry.get("files", {}).items()
    )


def _manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    manifest = {**manifest, "outputs": dict(sorted(manifest["outputs"].items()))}
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def publish(out_dir: Path, manifest: Mapping[str, Any], name: str,
            outputs: Mapping[str, bytes], entry: Mapping[str, Any]) -> dict[str, Any]:
    """Publish run `name`: its files (paths relative to `out_dir`) and manifest entry together.

    Files the run's previous entry listed and this one does not are removed. Returns the new
    manifest.
    """
    old_files = set(manifest["outputs"].get(name, {}).get("files", {}))
    new = {**manifest, "outputs": {**manifest["outputs"], name: dict(entry)}}
    targets = [(out_dir / rel, data) for rel, data in outputs.items()]
    targets.append((out_dir / MANIFEST_FILE, _manifest_bytes(new)))
    with interrupts_deferred():
        check_interrupt()  # nothing is published after a Ctrl-C, even a swallowed one
        staged: list[tuple[Path, Path]] = []
        try:
            for path, data in targets:
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_name(f".{path.name}.tmp")
                temporary.write_bytes(data)
                staged.append((temporary, path))
        except OSError as exc:
            for temporary, _ in staged:
                temporary.unlink(missing_ok=True)
            raise ResearchKitError(f"cannot write report files ({exc.strerror})",
                                   str(out_dir)) from None
        for temporary, path in staged:
            temporary.replace(path)
        for stale in sorted(old_files - set(outputs)):
            (out_dir / stale).unlink(missing_ok=True)
    return new


def write_failed_copy(path: Path, data: bytes) -> None:
    """Keep a failed run's executed notebook for inspection (never where reports are published)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
