"""Corpus tables: term frequencies, quote sourcing and article counts by group and period.

One layer for a report's handful of articles and a corpus of millions alike. Every table
function takes either a sequence of article records or the `CorpusTables` that `corpus_tables`
(or `load_corpus`, streaming) reduces a corpus to in one pass — one small row per article, per
lexicon match and per quote, no text — and returns a tidy DataFrame, in the spirit of
quanteda's `textstat_frequency(x, groups=)`:

- `corpus_overview(x, groups, period)`: articles and words per group and period (the
  denominators of every rate); `events_overview(x, groups)`: the same per event;
- `textstat_frequency(x, groups, period, ...)`: lexicon matches and matches per 1,000 words per
  group, period, category, term (and voice);
- `textstat_sourcing(x, groups, period)`: attributed quotes and quoted words per speaker's side.

Periods come from each article's `date` metadata (its first ten characters, `YYYY-MM-DD`): weeks
start on Monday and are labelled by that Monday's date, months as `YYYY-MM`. Articles without a
readable date fall in the period "(undated)"; articles without the grouping field in the group
"(unknown)", so nothing is silently dropped. An empty selection (no match, no quote) gives an
empty table with the same columns, never an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .clean import CleaningRules
from .duplicates import Mode, check_mode, mark_duplicates
from .errors import ResearchKitError
from .lexicon import Lexicon
from .records import GROUP_FIELDS, PLACEHOLDERS, UNASSIGNED, UNDATED, UNKNOWN, VOICES

PERIODS = ("week", "month")
ARTICLE_TABLE = ("id", "date", *GROUP_FIELDS, "words", "duplicate_group", "duplicate_share")
TERM_TABLE = ("id", "category", "term", "voice")
QUOTE_TABLE = ("id", "kind", "speaker", "side", "words")


@dataclass(frozen=True, slots=True)
class CorpusTables:
    """What the corpus tables need from a corpus, without its text: one row per article
    (`ARTICLE_TABLE` and a column per key of the records' `extra` metadata), per lexicon match
    (`TERM_TABLE`) and per quote (`QUOTE_TABLE`)."""

    articles: pd.DataFrame
    terms: pd.DataFrame
    quotes: pd.DataFrame


Corpus = CorpusTables | Iterable[dict[str, Any]]
"""What every table function takes: article records, or their one-pass reduction."""


def corpus_tables(x: Corpus) -> CorpusTables:
    """Article records (any iterable, read once) → `CorpusTables`; tables are returned as is."""
    if isinstance(x, CorpusTables):
        return x
    articles: list[tuple[Any, ...]] = []
    extras: list[dict[str, str]] = []
    terms: list[tuple[Any, ...]] = []
    quotes: list[tuple[Any, ...]] = []
    for record in x:
        key = record["id"]
        articles.append((key, record.get("date"), *(record.get(f) for f in GROUP_FIELDS),
                         record["readability"]["words"], record.get("duplicate_group"),
                         record.get("duplicate_share")))
        extras.append(record.get("extra") or {})
        terms.extend((key, t["category"], t["term"], t["voice"]) for t in record["terms"])
        quotes.extend((key, q["kind"], q.get("speaker"), q.get("side"), len(q["text"].split()))
                      for q in record["quotes"])
    frame = pd.DataFrame(articles, columns=list(ARTICLE_TABLE)).astype(
        {"words": "int64", "duplicate_share": "float64"})
    if any(extras):  # other metadata (stance, topic, ...) as columns to group by
        extra = pd.DataFrame(extras, index=frame.index, dtype=object)
        frame = pd.concat([frame, extra.drop(columns=[c for c in extra if c in frame])], axis=1)
    return CorpusTables(
        articles=frame,
        terms=pd.DataFrame(terms, columns=list(TERM_TABLE)),
        quotes=pd.DataFrame(quotes, columns=list(QUOTE_TABLE)).astype({"words": "int64"}),
    )


def load_corpus(
    paths: Sequence[str | Path],
    *,
    rules: CleaningRules | None = None,
    lexicon: Lexicon | None = None,
    text_column: str | None = None,
    jobs: int = 1,
    duplicates: Mode = "keep",
) -> CorpusTables:
    """Analyse a corpus on `jobs` processes and reduce it to its tables; the first failure is
    raised, as in `pipeline.analyze`: a report must not silently describe part of a corpus.

    `duplicates` as in `pipeline.analyze` (keep, mark or drop near-duplicate articles; the
    marks are the article table's `duplicate_group` and `duplicate_share` columns).
    """
    from .engines import analyze_corpus

    check_mode(duplicates)

    def records(results: Iterable[Any]) -> Iterable[dict[str, Any]]:
        for item in results:
            if isinstance(item, ResearchKitError):
                raise item
            yield item

    results = analyze_corpus(paths, rules=rules, lexicon=lexicon, text_column=text_column,
                             jobs=jobs)
    with closing(results):  # on a failure, shut the workers down now
        return corpus_tables(mark_duplicates(records(results), duplicates))


def periods(dates: pd.Series, unit: str) -> pd.Series:
    """Period labels for date strings: week → Monday's `YYYY-MM-DD`, month → `YYYY-MM`."""
    if unit not in PERIODS:
        raise ResearchKitError(f"unknown time unit {unit!r}; use one of {', '.join(PERIODS)}",
                               "parameters")
    parsed = pd.to_datetime(dates.astype("string").str.slice(0, 10), format="%Y-%m-%d",
                            errors="coerce")
    if unit == "week":
        labels = (parsed - pd.to_timedelta(parsed.dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
    else:
        labels = parsed.dt.strftime("%Y-%m")
    return labels.fillna(UNDATED).astype(str)


def group_values(articles: pd.DataFrame, groups: str) -> pd.Series:
    """Each article's group label; a missing or empty value is "(unknown)"."""
    measures = ("id", "words", "duplicate_share")
    if groups not in articles.columns or groups in measures:
        usable = [c for c in articles.columns if c not in measures]
        raise ResearchKitError(
            f"cannot group by {groups!r}; use one of {', '.join(usable)}", "parameters"
        )
    return pd.Series([UNKNOWN if pd.isna(value) or value == "" else str(value)
                      for value in articles[groups].astype(object)], index=articles.index,
                     dtype=object)


Groups = str | Sequence[str] | None
"""A metadata column to group by, several (e.g. `["event_id", "outlet"]`), or None."""


def _group_list(groups: Groups) -> list[str]:
    return [] if groups is None else [groups] if isinstance(groups, str) else list(groups)


def article_keys(tables: CorpusTables, groups: Groups, period: str | None) -> pd.DataFrame:
    """Article id, words and its grouping keys: the period (named after the unit) and groups."""
    articles = tables.articles
    keys = pd.DataFrame({"id": articles["id"], "words": articles["words"]})
    if period is not None:
        keys[period] = periods(articles["date"], period)
    for name in _group_list(groups):
        keys[name] = group_values(articles, name)
    return keys


def _dimensions(groups: Groups, period: str | None) -> list[str]:
    return [*([period] if period is not None else []), *_group_list(groups)]


def _last_if_placeholder(column: pd.Series) -> pd.Series:
    return column.map(lambda value: (value in PLACEHOLDERS, value))


def sort_rows(table: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Rows in a stable order; "(undated)", "(unknown)" and "(unassigned)" after real values."""
    if not columns:
        return table.reset_index(drop=True)
    return table.sort_values(list(columns), kind="stable", key=_last_if_placeholder
                             ).reset_index(drop=True)


def corpus_overview(x: Corpus, groups: Groups = "outlet",
                    period: str | None = None) -> pd.DataFrame:
    """Corpus → articles and words per period and group: the denominators of every rate."""
    tables = corpus_tables(x)
    dims = _dimensions(groups, period)
    keys = article_keys(tables, groups, period)
    if not dims:
        return pd.DataFrame({"articles": [len(keys)], "words": [int(keys["words"].sum())]})
    table = keys.groupby(dims).agg(articles=("id", "size"), words=("words", "sum"))
    return sort_rows(table.reset_index(), dims)


def events_overview(x: Corpus, groups: str = "outlet", events: str = "event_id"
                    ) -> pd.DataFrame:
    """Corpus → one row per event: its articles and words per group and in all (columns
    `(measure, group)`), events with the most articles first (ties by id)."""
    tables = corpus_tables(x)
    keys = article_keys(tables, groups, None)
    keys[events] = group_values(tables.articles, events)
    per_group = keys.groupby([events, groups]).agg(articles=("id", "size"),
                                                   words=("words", "sum"))
    table = per_group.unstack(groups, fill_value=0)
    totals = keys.groupby(events).agg(articles=("id", "size"), words=("words", "sum"))
    for measure in ("articles", "words"):
        table[(measure, "all")] = totals[measure]
    names = sorted(set(keys[groups]), key=lambda v: (v in PLACEHOLDERS, v))
    table = table.reindex(columns=[(m, g) for m in ("articles", "words")
                                   for g in [*names, "all"]])
    order = sorted(table.index, key=lambda e: (-totals.loc[e, "articles"], e in PLACEHOLDERS, e))
    table = table.loc[order].astype("int64")
    table.columns = pd.MultiIndex.from_tuples(table.columns, names=["", groups])
    return table


def textstat_frequency(x: Corpus, groups: Groups = "outlet", period: str | None = None,
                       categories: Sequence[str] | None = None,
                       terms: Sequence[str] | None = None, by_voice: bool = True
                       ) -> pd.DataFrame:
    """Corpus → lexicon matches (`n`) and matches per 1,000 words per period, group, category,
    term and (with `by_voice`) voice.

    `groups` is one metadata column or several (`["event_id", "outlet"]`); `groups=None` or
    `period=None` drops that dimension; `categories` and `terms` keep only those. Rates divide
    by all words of the period's and group's articles. Only combinations that occur are
    listed: no match gives an empty table with the same columns.
    """
    tables = corpus_tables(x)
    dims = _dimensions(groups, period)
    keys = article_keys(tables, groups, period)
    matches = tables.terms
    if categories is not None:
        matches = matches[matches["category"].isin(list(categories))]
    if terms is not None:
        matches = matches[matches["term"].isin(list(terms))]
    columns = [*dims, "category", "term", *(["voice"] if by_voice else [])]
    counts = (
        matches.merge(keys, on="id", how="left").groupby(columns).size()
        .rename("n").reset_index().astype({"n": "int64"})
    )
    if dims:
        words = keys.groupby(dims)["words"].sum().rename("group_words").reset_index()
        totals = counts[dims].merge(words, on=dims, how="left")["group_words"].to_numpy()
    else:
        totals = int(keys["words"].sum())
    counts["per_1000_words"] = (1000 * counts["n"] / totals).astype("float64").round(2)
    if by_voice:
        counts = counts.sort_values("voice", kind="stable", key=lambda v: v.map(VOICES.index))
    return sort_rows(counts, columns[:-1] if by_voice else columns)


def textstat_sourcing(x: Corpus, groups: Groups = "outlet",
                      period: str | None = None) -> pd.DataFrame:
    """Corpus → attributed quotes and quoted words per period, group and speaker's side.

    Scare quotes are left out (nobody is said to say them); quotes whose speaker has no side in
    the lexicon's actor map count under "(unassigned)". `share_of_words` is the side's share of
    the quoted words in its period and group. No quote gives an empty table.
    """
    tables = corpus_tables(x)
    dims = _dimensions(groups, period)
    quotes = tables.quotes[tables.quotes["kind"] != "scare"]
    quotes = quotes.assign(side=quotes["side"].fillna(UNASSIGNED)).merge(
        article_keys(tables, groups, period).drop(columns="words"), on="id", how="left"
    )
    columns = [*dims, "side"]
    table = quotes.groupby(columns).agg(quotes=("kind", "size"), words=("words", "sum"))
    table = table.reset_index().astype({"quotes": "int64", "words": "int64"})
    total = table.groupby(dims)["words"].transform("sum") if dims else table["words"].sum()
    table["share_of_words"] = (table["words"] / total).astype("float64").round(3)
    return sort_rows(table, columns)


def top_terms(usage: pd.DataFrame, count: int = 10) -> list[str]:
    """The `count` most frequent terms of a frequency table, most frequent first (ties by name)."""
    totals = usage.groupby("term")["n"].sum().reset_index()
    totals = totals.sort_values(["n", "term"], ascending=[False, True], kind="stable")
    return totals["term"].head(count).tolist()


def trend_table(usage: pd.DataFrame, period: str, column: str = "term",
                value: str = "per_1000_words", include: Sequence[str] | None = None
                ) -> pd.DataFrame:
    """A frequency or sourcing table as one row per period and one column per `column` value.

    Values of rows that share a period and column are summed: pass a table without the other
    dimension (e.g. `textstat_frequency(..., groups=None)`) when `value` is a rate.
    """
    if include is not None:
        usage = usage[usage[column].isin(include)]
    table = usage.pivot_table(index=period, columns=column, values=value, aggfunc="sum",
                              fill_value=0)
    if include is not None:
        table = table.reindex(columns=[c for c in include if c in table.columns])
    return table.reindex(sorted(table.index, key=lambda label: (label in PLACEHOLDERS, label)))
