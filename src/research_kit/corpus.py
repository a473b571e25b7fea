"""Corpus views: term usage and quote sourcing over time (week or month) and by group (outlet).

A corpus can hold millions of articles, so `collect` reads records once, as a stream, and keeps
only what these views count — one small row per article, per lexicon match and per quote, no
text — and every view is a DataFrame computed from those tables. `views.term_usage` and
`views.quote_sourcing` answer the same questions for the handful of articles of one report.

Periods come from each article's `date` metadata (its first ten characters, `YYYY-MM-DD`): weeks
start on Monday and are labelled by that Monday's date, months as `YYYY-MM`. Articles without a
readable date fall in the period "(undated)"; articles without the grouping field in the group
"(unknown)", so nothing is silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .clean import CleaningRules
from .errors import ResearchKitError
from .lexicon import Lexicon

TIME_UNITS = ("week", "month")
UNDATED = "(undated)"
UNKNOWN = "(unknown)"
UNASSIGNED = "(unassigned)"
GROUP_FIELDS = ("outlet", "publisher", "author", "language", "event_id")
"""Metadata an article can be grouped by."""
ARTICLE_COLUMNS = ("id", "date", *GROUP_FIELDS, "words")
TERM_COLUMNS = ("id", "category", "term", "voice")
QUOTE_COLUMNS = ("id", "kind", "speaker", "side", "words")


@dataclass(frozen=True, slots=True)
class CorpusTables:
    """What the corpus views need from a corpus, without its text."""

    articles: pd.DataFrame
    terms: pd.DataFrame
    quotes: pd.DataFrame


def collect(records: Iterable[dict[str, Any]]) -> CorpusTables:
    """Reduce a stream of article records to the tables of the corpus views, in one pass."""
    articles: list[tuple[Any, ...]] = []
    terms: list[tuple[Any, ...]] = []
    quotes: list[tuple[Any, ...]] = []
    for record in records:
        key = record["id"]
        articles.append((key, record.get("date"), *(record.get(f) for f in GROUP_FIELDS),
                         record["readability"]["words"]))
        terms.extend((key, t["category"], t["term"], t["voice"]) for t in record["terms"])
        quotes.extend((key, q["kind"], q.get("speaker"), q.get("side"), len(q["text"].split()))
                      for q in record["quotes"])
    return CorpusTables(
        articles=pd.DataFrame(articles, columns=list(ARTICLE_COLUMNS)),
        terms=pd.DataFrame(terms, columns=list(TERM_COLUMNS)),
        quotes=pd.DataFrame(quotes, columns=list(QUOTE_COLUMNS)),
    )


def load_corpus(
    paths: Sequence[str | Path],
    *,
    rules: CleaningRules | None = None,
    lexicon: Lexicon | None = None,
    text_column: str | None = None,
    jobs: int = 1,
) -> CorpusTables:
    """Analyse a corpus on `jobs` processes and collect its tables; the first failure is raised,
    as in `pipeline.analyze`: a report must not silently describe part of a corpus."""
    from .engines import analyze_corpus

    def records(results: Iterable[Any]) -> Iterable[dict[str, Any]]:
        for item in results:
            if isinstance(item, ResearchKitError):
                raise item
            yield item

    results = analyze_corpus(paths, rules=rules, lexicon=lexicon, text_column=text_column,
                             jobs=jobs)
    with closing(results):  # on a failure, shut the workers down now
        return collect(records(results))


def periods(dates: pd.Series, unit: str) -> pd.Series:
    """Period labels for date strings: week → Monday's `YYYY-MM-DD`, month → `YYYY-MM`."""
    if unit not in TIME_UNITS:
        raise ResearchKitError(f"unknown time unit {unit!r}; use one of {', '.join(TIME_UNITS)}",
                               "parameters")
    parsed = pd.to_datetime(dates.astype("string").str.slice(0, 10), format="%Y-%m-%d",
                            errors="coerce")
    if unit == "week":
        labels = (parsed - pd.to_timedelta(parsed.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
    else:
        labels = parsed.dt.strftime("%Y-%m")
    return labels.fillna(UNDATED).astype(str)


def _keys(tables: CorpusTables, by: str | None, unit: str | None) -> pd.DataFrame:
    """Article id → its grouping keys: the period (named after the unit) and the group."""
    if by is not None and by not in GROUP_FIELDS:
        raise ResearchKitError(
            f"cannot group by {by!r}; use one of {', '.join(GROUP_FIELDS)}", "parameters"
        )
    articles = tables.articles
    keys = pd.DataFrame({"id": articles["id"], "words": articles["words"]})
    if unit is not None:
        keys[unit] = periods(articles["date"], unit)
    if by is not None:
        keys[by] = [UNKNOWN if pd.isna(value) or value == "" else str(value)
                    for value in articles[by].astype(object)]
    return keys


def _dimensions(by: str | None, unit: str | None) -> list[str]:
    return [name for name in (unit, by) if name is not None]


PLACEHOLDERS = frozenset({UNDATED, UNKNOWN, UNASSIGNED})


def _last_if_placeholder(column: pd.Series) -> pd.Series:
    return column.map(lambda value: (value in PLACEHOLDERS, value))


def _sorted(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Rows in a stable order; "(undated)", "(unknown)" and "(unassigned)" after real values."""
    return table.sort_values(columns, kind="stable", key=_last_if_placeholder).reset_index(
        drop=True
    )


def corpus_overview(tables: CorpusTables, by: str | None = "outlet",
                    unit: str | None = "month") -> pd.DataFrame:
    """Articles and words per period and group: the denominators of every rate."""
    dims = _dimensions(by, unit)
    keys = _keys(tables, by, unit)
    if not dims:
        return pd.DataFrame({"articles": [len(keys)], "words": [int(keys["words"].sum())]})
    table = keys.groupby(dims).agg(articles=("id", "size"), words=("words", "sum"))
    return _sorted(table.reset_index(), dims)


def term_usage_over(tables: CorpusTables, by: str | None = "outlet", unit: str | None = "month",
                    categories: Sequence[str] | None = None, terms: Sequence[str] | None = None,
                    by_voice: bool = False) -> pd.DataFrame:
    """Lexicon matches and matches per 1,000 words per period, group, category and term.

    `by=None` or `unit=None` drops that dimension; `categories` and `terms` keep only those;
    `by_voice` splits counts by voice (headline, authorial, quoted). Rates divide by all words
    of the period's and group's articles.
    """
    dims = _dimensions(by, unit)
    keys = _keys(tables, by, unit)
    matches = tables.terms
    if categories is not None:
        matches = matches[matches["category"].isin(categories)]
    if terms is not None:
        matches = matches[matches["term"].isin(terms)]
    matches = matches.merge(keys, on="id", how="left")
    columns = [*dims, "category", "term", *(["voice"] if by_voice else [])]
    counts = matches.groupby(columns).size().rename("n").reset_index()
    words = keys.groupby(dims)["words"].sum() if dims else pd.Series(dtype="int64")
    totals = (
        counts[dims].merge(words.reset_index(), on=dims, how="left")["words"] if dims
        else pd.Series(int(keys["words"].sum()), index=counts.index)
    )
    counts["per_1000_words"] = (1000 * counts["n"] / totals.to_numpy()).round(2)
    return _sorted(counts, columns)


def quote_sourcing_over(tables: CorpusTables, by: str | None = "outlet",
                        unit: str | None = "month") -> pd.DataFrame:
    """Attributed quotes and quoted words per period, group and speaker's side.

    Scare quotes are left out (nobody is said to say them); quotes whose speaker has no side in
    the lexicon's actor map count under "(unassigned)". `share_of_words` is the side's share of
    the quoted words in its period and group.
    """
    dims = _dimensions(by, unit)
    quotes = tables.quotes[tables.quotes["kind"] != "scare"]
    quotes = quotes.assign(side=quotes["side"].fillna(UNASSIGNED)).merge(
        _keys(tables, by, unit).drop(columns="words"), on="id", how="left"
    )
    columns = [*dims, "side"]
    table = quotes.groupby(columns).agg(quotes=("kind", "size"), words=("words", "sum"))
    table = table.reset_index()
    total = table.groupby(dims)["words"].transform("sum") if dims else table["words"].sum()
    table["share_of_words"] = (table["words"] / total).round(3)
    return _sorted(table, columns)


def top_terms(usage: pd.DataFrame, count: int = 10) -> list[str]:
    """The `count` most frequent terms of a usage table, most frequent first (ties by name)."""
    totals = usage.groupby("term")["n"].sum().reset_index()
    totals = totals.sort_values(["n", "term"], ascending=[False, True], kind="stable")
    return totals["term"].head(count).tolist()


def trend_table(usage: pd.DataFrame, unit: str, column: str = "term",
                value: str = "per_1000_words", include: Sequence[str] | None = None
                ) -> pd.DataFrame:
    """A usage or sourcing table as one row per period and one column per `column` value.

    Values of rows that share a period and column are summed: pass a table without the other
    dimension (e.g. `term_usage_over(..., by=None)`) when `value` is a rate.
    """
    if include is not None:
        usage = usage[usage[column].isin(include)]
    table = usage.pivot_table(index=unit, columns=column, values=value, aggfunc="sum",
                              fill_value=0)
    if include is not None:
        table = table.reindex(columns=[c for c in include if c in table.columns])
    return table.reindex(sorted(table.index, key=lambda label: (label in PLACEHOLDERS, label)))
