"""The analysis the runs of one `research-kit reports` call share (`reports.cache`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import research_kit as rk
from conftest import RAW
from research_kit.reports.cache import cached
from research_kit.reports.config import RECORDS_CACHE_ENV
from research_kit.reports.notebook import start_report


def test_a_later_run_reads_the_records_and_tables_an_earlier_run_computed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RECORDS_CACHE_ENV, str(tmp_path))
    first = start_report(str(RAW), None).analyze()
    stored = sorted(p.name for p in tmp_path.iterdir())
    assert len(stored) == 1 and stored[0].startswith("records-")
    second = start_report(str(RAW), None)
    assert second.analyze() == first == rk.analyze([RAW])
    # The corpus tables from those records are the ones the streaming reduction gives.
    expected = rk.load_corpus([RAW])
    tables = second.load_corpus()
    for name in ("articles", "terms", "quotes"):
        pd.testing.assert_frame_equal(getattr(tables, name), getattr(expected, name))
    assert sorted(p.name for p in tmp_path.iterdir()) == stored  # nothing analysed again


def test_the_key_follows_the_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another lexicon, duplicates mode or corpus is another analysis, never a stale one."""
    monkeypatch.setenv(RECORDS_CACHE_ENV, str(tmp_path))
    report = start_report(str(RAW), None)
    other = start_report(str(RAW), "src/research_kit/data/lexicons/us_politics.yml")
    one = RAW / "commonspace_azerbaijan-again-proposes-reintegration-talks.txt"
    keys = {report._key("records", "keep", None), report._key("records", "mark", None),
            other._key("records", "keep", None), start_report(str(one), None)._key(
                "records", "keep", None), report._key("tables", "keep", None)}
    assert len(keys) == 5


def test_outside_the_runner_every_call_computes(monkeypatch: pytest.MonkeyPatch) -> None:
    """JupyterLab or plain papermill: no folder given, nothing kept between calls."""
    monkeypatch.delenv(RECORDS_CACHE_ENV, raising=False)
    calls: list[int] = []
    for _ in range(2):
        assert cached("records-x", lambda: calls.append(1) or len(calls)) == len(calls)
    assert calls == [1, 1]
