"""The reports manifest (`reports/manifest.json`): every published file with its SHA-256 and the
inputs it was made from, so an unchanged run is skipped and a reader can verify what they have."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .provenance import sha256_bytes

MANIFEST_FILE = "manifest.json"


def read_manifest(out_dir: Path) -> dict[str, Any]:
    path = out_dir / MANIFEST_FILE
    if not path.is_file():
        return {"outputs": {}}
    try:
        return json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError:
        return {"outputs": {}}


def up_to_date(entry: Mapping[str, Any] | None, inputs: Mapping[str, str], out_dir: Path) -> bool:
    """The entry was made from these inputs and every file it lists is there, unchanged."""
    if not entry or entry.get("inputs") != inputs:
        return False
    return all(
        (out_dir / name).is_file() and sha256_bytes((out_dir / name).read_bytes()) == digest
        for name, digest in entry.get("files", {}).items()
    )


def write_manifest(out_dir: Path, manifest: Mapping[str, Any]) -> None:
    manifest = {**manifest, "outputs": dict(sorted(manifest["outputs"].items()))}
    atomic_write(
        out_dir / MANIFEST_FILE,
        (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(),
    )


def atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
