"""Shared paths and fixtures. Tests that need ../shared skip when it is absent (a user's clone)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = Path(os.environ.get("RESEARCH_KIT_SHARED") or ROOT.parent / "shared")
"""Development data; a worktree elsewhere points at it with RESEARCH_KIT_SHARED."""
MIRROR = "mirror-spectator_karabakh-armenians-again-reject-reintegration-talks"
COMMONSPACE = "commonspace_azerbaijan-again-proposes-reintegration-talks"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip when this checkout has no shared data beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (development data, absent in a user's clone)")
    return path


def seed_text(name: str) -> tuple[str, str]:
    """(title, body) of a seed in data/raw, as the cleaner gives them."""
    from research_kit import clean_text

    article = clean_text((RAW / f"{name}.txt").read_text("utf-8"))
    return article.title or "", article.body


@pytest.fixture(scope="session")
def seed_records() -> dict[str, dict]:
    """The two seed articles analysed once for the whole session, by id."""
    from research_kit import iter_records

    return {record["id"]: record for record in iter_records([RAW])}
