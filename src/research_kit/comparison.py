"""The comparison report's sections: counts, rates with intervals and tests for each lexicon role.

The notebook stays a short narrative: each section is one call here, which displays its tables
(the `top` rows; the full tables go to `tables_dir` as CSV when given) or, when there is nothing
to show, one sentence saying what is missing. Sections are built from the lexicon's roles
(`framing`, `labels`, `names`, `other`), so any lexicon gets a complete report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display

from . import figures, stats, views
from .corpus import (
    CorpusTables,
    events_overview,
    group_values,
    textstat_frequency,
    top_terms,
)
from .lexicon import Lexicon

TOP = 15
"""Rows shown per table by default; the files hold every row."""
MAX_GROUPS = 8
"""Groups shown side by side at most (those with the most words); the files hold every group."""

ASSUMPTIONS = {
    "rates": "Intervals: article-level bootstrap (whole articles resampled; exact Poisson for a "
             "group of one article or a term with no match). Too narrow with fewer than "
             f"{stats.FEW_ARTICLES} articles in a group.",
    "differences": "G² test of group × (matches, other words), Benjamini–Hochberg adjusted over "
                   "the rows of the table; log ratio (base 2) of each group against the rest "
                   "with a bootstrap interval. The test treats words as independent, so it "
                   "overstates the evidence for a term used by few articles; unreliable when "
                   f"an expected count is below {stats.SMALL_EXPECTED} (see notes).",
    "stratified": "Cochran–Mantel–Haenszel test of each group against the rest with events "
                  "held fixed (only events both sides covered count); Mantel–Haenszel odds "
                  "ratio with 95% interval. Assumes one common ratio across events; with few "
                  "shared events or matches it says little (see notes).",
    "sourcing": "Quotes and quoted words per article and each side's share of the quoted "
                "words, with article-level bootstrap intervals (exact Poisson counts for a "
                "group of one article, whose share has no interval).",
}


def _say(text: str) -> None:
    display(HTML(views.text_html(text)))


def _caption(text: str) -> None:
    display(HTML(views.text_html(text, "em")))


def _save(table: pd.DataFrame, tables_dir: str | Path | None, name: str) -> str:
    """Write the full table as CSV when a folder is given; the sentence that says where."""
    if tables_dir is None:
        return ""
    path = Path(tables_dir) / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=not isinstance(table.index, pd.RangeIndex))
    return f" Full table: {path.name}."


def event_count(x: CorpusTables, strata: str = "event_id") -> int:
    """How many distinct events (strata) the articles cover."""
    return group_values(x.articles, strata).nunique()


def largest_groups(x: CorpusTables, by: str, limit: int = MAX_GROUPS) -> list[str]:
    """The `limit` groups with the most words (ties by name): the columns a table can show."""
    words = x.articles.groupby(group_values(x.articles, by))["words"].sum()
    order = sorted(words.index, key=lambda g: (-words[g], g))
    return sorted(order[:limit])


def _groups_note(shown: list[str], x: CorpusTables, by: str) -> str:
    total = group_values(x.articles, by).nunique()
    return "" if len(shown) == total else (
        f"; the {len(shown)} of {total:,} {by} groups with the most words")


def events_section(x: CorpusTables, by: str, top: int = TOP,
                   tables_dir: str | Path | None = None) -> None:
    """Events × groups: articles and words, events with most articles first."""
    table = events_overview(x, groups=by)
    saved = _save(table, tables_dir, "events")
    shown = largest_groups(x, by)
    _say(f"{len(table):,} event(s), {len(x.articles):,} articles, "
         f"{int(x.articles['words'].sum()):,} words; the {min(top, len(table))} largest "
         f"events are shown{_groups_note(shown, x, by)}.{saved}")
    keep = table.columns.get_level_values(by).isin([*shown, "all"])
    display(table.loc[:, keep].head(top))


def role_section(x: CorpusTables, lexicon: Lexicon, role: str, by: str,
                 categories: Sequence[str] | None = None, top: int = TOP,
                 tables_dir: str | Path | None = None, strata: str = "event_id") -> None:
    """Everything the report shows for one lexicon role: counts by voice, a figure (framing),
    rates with intervals, tests of group differences per term and category, and with several
    events the comparison that holds the event fixed."""
    cats = list(categories) if categories is not None else views.role_categories(lexicon, role)
    usage = textstat_frequency(x, groups=by, categories=cats) if cats else pd.DataFrame()
    if usage.empty:
        _say(views.no_match(lexicon, cats, role, x.articles))
        return
    labels = {c.name: c.label for c in lexicon.categories}
    _say(f"Categories: {', '.join(labels.get(c, c) for c in cats)}.")
    terms = top_terms(usage, top)
    shown = largest_groups(x, by)
    counts = views.side_by_side(usage, by=by)
    saved = _save(counts, tables_dir, f"{role}_counts")
    _caption(f"Matches by {by} and voice, the {len(terms)} most frequent of "
             f"{usage['term'].nunique()} terms{_groups_note(shown, x, by)}.{saved}")
    counts = counts[counts.index.get_level_values("term").isin(terms)]
    display(counts.loc[:, counts.columns.get_level_values(0).isin(shown)])
    if role == "framing":
        fig = figures.plot_term_usage(
            usage[usage["term"].isin(terms) & usage[by].isin(shown)], by=by)
        display(fig)
        plt.close(fig)
    rates = stats.rate_intervals(x, groups=by, categories=cats)
    saved = _save(rates, tables_dir, f"{role}_rates")
    _caption(f"Matches per 1,000 words with 95% intervals. {ASSUMPTIONS['rates']}{saved}")
    display(views.rates_table(rates[rates[by].isin(shown)], by, terms))
    if group_values(x.articles, by).nunique() < 2:
        _say(f"Only one {by} among these articles: there is no difference to test.")
        return
    for level in ("term", "category"):
        differences = stats.group_differences(x, groups=by, level=level, categories=cats)
        saved = _save(differences, tables_dir, f"{role}_differences_by_{level}")
        _caption(f"Do the groups differ, per {level}? {ASSUMPTIONS['differences']}{saved}")
        display(views.differences_table(differences[differences[by].isin(shown)], by, top))
    if event_count(x, strata) >= 2:
        stratified = stats.stratified_differences(x, groups=by, strata=strata, categories=cats)
        saved = _save(stratified, tables_dir, f"{role}_by_event_held_fixed")
        _caption(f"Holding the event fixed. {ASSUMPTIONS['stratified']}{saved}")
        display(views.stratified_table(stratified[stratified[by].isin(shown)], by, top))
        per_event = textstat_frequency(x, groups=[strata, by], categories=cats,
                                       by_voice=False)
        table = per_event.pivot_table(index=strata, columns=by, values="n", aggfunc="sum",
                                      fill_value=0)
        table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
        table = table[[c for c in table.columns if c in shown]]
        saved = _save(table, tables_dir, f"{role}_per_event")
        _caption(f"Per event: matches by {by}, the {min(top, len(table))} events with the "
                 f"most matches.{saved}")
        display(table.head(top))


def sourcing_section(x: CorpusTables, by: str, tables_dir: str | Path | None = None) -> None:
    """Who gets a voice: quotes and quoted words per side with intervals, and a figure."""
    sourcing = stats.sourcing_intervals(x, groups=by)
    if sourcing.empty:
        _say(f"No attributed quote occurs in {views.articles_phrase(x.articles)}.")
        return
    saved = _save(sourcing, tables_dir, "sourcing")
    shown = largest_groups(x, by)
    _caption(f"{ASSUMPTIONS['sourcing']}{_groups_note(shown, x, by)}{saved}")
    sourcing = sourcing[sourcing[by].isin(shown)]
    shown = sourcing.assign(
        quotes_per_article=views.interval_cells(sourcing, "quotes_per_article", "quotes_low",
                                                "quotes_high"),
        words_per_article=views.interval_cells(sourcing, "words_per_article", "words_low",
                                               "words_high", digits=1),
        share_of_words=views.interval_cells(sourcing, "share_of_words", "share_low",
                                            "share_high", digits=3),
    )
    display(shown[[by, "side", "articles", "quotes", "quotes_per_article", "words",
                   "words_per_article", "share_of_words", "note"]])
    fig = figures.plot_quoted_words(sourcing, by=by)
    display(fig)
    plt.close(fig)


def methods() -> Markdown:
    """The statistics part of the methods text."""
    return Markdown(stats.METHODS)


def top_role_terms(x: CorpusTables, lexicon: Lexicon, roles: Sequence[str], count: int
                   ) -> list[str]:
    """The `count` most frequent terms of the categories with these roles (for a concordance)."""
    cats = [c for role in roles for c in views.role_categories(lexicon, role)]
    return top_terms(textstat_frequency(x, groups=None, categories=cats), count) if cats else []
