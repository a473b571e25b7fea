"""Corpus tables: term frequency and quote sourcing over time and by outlet, on the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import RAW, ROOT
from research_kit import ResearchKitError
from research_kit import corpus as cv


@pytest.fixture(scope="module")
def tables(seed_records: dict[str, dict]) -> cv.CorpusTables:
    return cv.corpus_tables(seed_records.values())


def test_seeds_by_outlet_and_month(tables: cv.CorpusTables,
                                   seed_records: dict[str, dict]) -> None:
    overview = cv.corpus_overview(tables, groups="outlet", period="month")
    assert overview["month"].tolist() == ["2023-03", "2023-03"]
    assert sorted(overview["outlet"]) == ["The Armenian Mirror-Spectator", "commonspace.eu"]
    assert overview["articles"].tolist() == [1, 1]
    usage = cv.textstat_frequency(tables, groups="outlet", period="month")
    assert usage["n"].sum() == sum(len(r["terms"]) for r in seed_records.values())
    words = dict(zip(overview["outlet"], overview["words"], strict=True))
    row = usage.iloc[0]
    assert row["per_1000_words"] == round(1000 * row["n"] / words[row["outlet"]], 2)


def test_weeks_start_on_monday(tables: cv.CorpusTables) -> None:
    usage = cv.textstat_frequency(tables, groups=None, period="week")
    assert set(usage["week"]) == {"2023-03-27"}  # both seeds are dated Tuesday 28 March 2023


def _record(key: str, date: str | None, outlet: str | None, words: int,
            terms: list[str], quotes: list[tuple[str, str | None, str]]) -> dict:
    return {"id": key, "date": date, "outlet": outlet, "readability": {"words": words},
            "terms": [{"category": "c", "term": t, "voice": "authorial"} for t in terms],
            "quotes": [{"kind": kind, "side": side, "speaker": None, "text": text}
                       for kind, side, text in quotes]}


def test_undated_and_unknown_are_kept_and_sorted_last() -> None:
    tables = cv.corpus_tables([
        _record("a", "2024-02-03T10:00:00Z", "B", 500, ["x", "x"], [("direct", "s1", "one two")]),
        _record("b", None, "A", 1000, ["x"], [("indirect", None, "three four five")]),
        _record("c", "2024-01-31", None, 500, ["y"], [("scare", None, "ignored")]),
        _record("d", "not a date", "A", 1000, [], []),
    ])
    usage = cv.textstat_frequency(tables, groups="outlet", period="month")
    assert usage[["month", "outlet", "term", "n"]].values.tolist() == [
        ["2024-01", "(unknown)", "y", 1], ["2024-02", "B", "x", 2], ["(undated)", "A", "x", 1]]
    assert usage["per_1000_words"].tolist() == [2.0, 4.0, 0.5]  # undated A: 1 in 2,000 words
    sourcing = cv.textstat_sourcing(tables, groups=None, period="week")
    assert sourcing[["week", "side", "quotes", "words"]].values.tolist() == [
        ["2024-01-29", "s1", 1, 2], ["(undated)", "(unassigned)", 1, 3]]
    trend = cv.trend_table(cv.textstat_frequency(tables, groups=None, period="month"), "month")
    assert trend.index.tolist() == ["2024-01", "2024-02", "(undated)"]


def test_top_terms_and_trend_table(tables: cv.CorpusTables) -> None:
    usage = cv.textstat_frequency(tables, groups=None, period="month")
    top = cv.top_terms(usage, 3)
    assert len(top) == 3
    assert usage.groupby("term")["n"].sum()[top].is_monotonic_decreasing
    trend = cv.trend_table(usage, "month", include=top)
    assert trend.columns.tolist() == top and trend.index.tolist() == ["2023-03"]


@pytest.mark.parametrize(("kwargs", "fragment"), [({"period": "day"}, "unknown time unit"),
                                                  ({"groups": "body"}, "cannot group by")])
def test_bad_grouping_is_a_clear_error(tables: cv.CorpusTables, kwargs: dict,
                                       fragment: str) -> None:
    with pytest.raises(ResearchKitError, match=fragment):
        cv.textstat_frequency(tables, **kwargs)


def test_load_corpus_streams_the_corpus_and_raises_on_bad_input(tables: cv.CorpusTables,
                                                                 tmp_path: Path) -> None:
    loaded = cv.load_corpus([RAW])
    pd.testing.assert_frame_equal(loaded.articles, tables.articles)
    pd.testing.assert_frame_equal(loaded.terms, tables.terms)
    (tmp_path / "empty.txt").write_text("", "utf-8")
    with pytest.raises(ResearchKitError, match="empty file"):
        cv.load_corpus([tmp_path])


@pytest.mark.slow
def test_corpus_report_notebook_runs_on_the_seeds_by_week(tmp_path: Path) -> None:
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "corpus.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "corpus_report.ipynb"), str(out),
                               parameters={"time_unit": "week"}, kernel_name="research-kit",
                               cwd=str(tmp_path), progress_bar=False, log_output=False)
    text = json.dumps(json.loads(out.read_text("utf-8"))["cells"])
    assert "2023-03-27" in text and "commonspace.eu" in text and '"ename"' not in text
