"""The comparison report's sections: counts, rates with intervals and tests for each lexicon role.

The notebook stays a short narrative: each section is one call here, which shows its tables and
figures through the report (`Report.table` / `Report.figure`: numbered, captioned, lexicon
labels, and written in full as CSV and SVG/PNG when the runner asks) or, when there is nothing
to show, one sentence saying what is missing. Sections are built from the lexicon's roles
(`framing`, `labels`, `names`, `other`), so any lexicon gets a complete report. Tables are laid
out to fit a page: one row per term and group rather than a column per group and voice, caveats
as footnote letters, effect sizes for at most `EFFECT_GROUPS` groups (all of them in the CSV).
Each section returns what it computed, so `key_findings` writes the findings from the same tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from .duplicates import THRESHOLD, shared_texts
from .lexicon import Lexicon
from .reports import findings as found
from .reports.findings import Finding
from .tables import articles_frame

if TYPE_CHECKING:
    from .reports.notebook import Report

TOP = 15
"""Rows shown per table by default; the files hold every row."""
MAX_GROUPS = 8
"""Groups shown side by side at most (those with the most words); the files hold every group."""
EFFECT_GROUPS = 4
"""Groups whose log ratios a test table shows beside the test (the files hold every group)."""


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


@dataclass
class RoleResult:
    """What a role section computed: the tables its findings are written from, and their keys."""

    role: str
    usage: pd.DataFrame
    rates: pd.DataFrame = field(default_factory=pd.DataFrame)
    differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    keys: dict[str, str] = field(default_factory=dict)


def _say(text: str) -> None:
    display(HTML(views.text_html(text)))


def event_count(x: CorpusTables, strata: str = "event_id") -> int:
    """How many distinct events (strata) the articles cover."""
    return group_values(x.articles, strata).nunique()


def largest_groups(x: CorpusTables, by: str, limit: int = MAX_GROUPS) -> list[str]:
    """The `limit` groups with the most words (ties by name): the columns a table can show."""
    words = x.articles.groupby(group_values(x.articles, by))["words"].sum()
    order = sorted(words.index, key=lambda g: (-words[g], g))
    return sorted(order[:limit])


def _groups_note(shown: Sequence[str], x: CorpusTables, by: str) -> str:
    total = group_values(x.articles, by).nunique()
    return "" if len(shown) >= total else (
        f"; {views.selection(len(shown), total, f'{by} group', 'with the most words')}")


def events_section(report: Report, x: CorpusTables, by: str, top: int = TOP) -> None:
    """Events × groups: articles and words, events with most articles first."""
    table = events_overview(x, groups=by)
    shown = largest_groups(x, by)
    keep = table.columns.get_level_values(by).isin([*shown, "all"])
    _say(f"{views.counted(len(table), 'event')}, {views.counted(len(x.articles), 'article')}, "
         f"{views.counted(int(x.articles['words'].sum()), 'word')}.")
    events = views.selection(min(top, len(table)), len(table), "event", "with the most articles")
    display(report.table(
        table.loc[:, keep].head(top).rename_axis("event"),
        f"Articles and words per event and {by}, {events}{_groups_note(shown, x, by)}",
        key="events", full=table))


def articles_section(report: Report, records: Sequence[dict[str, Any]], by: str,
                     top: int = TOP) -> None:
    """The articles compared: group, date, headline, words and quotes."""
    frame = views.with_group(articles_frame(records), records, by)
    display(report.table(
        frame[[by, "date", "title", "words", "quotes"]].head(top),
        f"The {views.counted(len(frame), 'article')} compared" if len(frame) <= top else
        f"The articles compared, the first {top:,} of {len(frame):,}",
        key="articles", full=frame, columns={"title": "headline"}, max_chars=70))


def role_section(report: Report, x: CorpusTables, role: str, by: str,
                 categories: Sequence[str] | None = None, top: int = TOP,
                 strata: str = "event_id") -> RoleResult:
    """Everything the report shows for one lexicon role: counts by voice, a figure (framing),
    rates with intervals, tests of group differences per term and category, and with several
    events the comparison that holds the event fixed."""
    lexicon = report.lexicon
    cats = list(categories) if categories is not None else views.role_categories(lexicon, role)
    usage = textstat_frequency(x, groups=by, categories=cats) if cats else pd.DataFrame()
    result = RoleResult(role, usage)
    if usage.empty:
        _say(views.no_match(lexicon, cats, role, x.articles))
        return result
    labels = report.labels
    _say(f"Categories: {', '.join(labels.get(c, c) for c in cats)}.")
    terms = top_terms(usage, top)
    shown = largest_groups(x, by)
    result.keys["counts"] = f"{role}-counts"
    display(report.table(
        views.voice_counts(usage, by, terms, shown),
        f"Matches by term, {by} and voice, "
        f"{views.selection(len(terms), usage['term'].nunique(), 'term', 'used most often')}"
        f"{_groups_note(shown, x, by)}",
        key=result.keys["counts"], full=usage))
    if role == "framing":
        result.keys["figure"] = f"{role}-figure"
        display(report.figure(
            figures.plot_term_usage(usage[usage["term"].isin(terms) & usage[by].isin(shown)],
                                    by=by, colors=report.colors, labels=labels),
            f"Framing terms per 1,000 words by voice and {by}", key=result.keys["figure"]))
    result.rates = stats.rate_intervals(x, groups=by, categories=cats)
    result.keys["rates"] = f"{role}-rates"
    display(report.table(
        views.rates_table(result.rates[result.rates[by].isin(shown)], by, terms),
        f"Matches per 1,000 words with 95% intervals, by term and {by}. "
        f"{ASSUMPTIONS['rates']}", key=result.keys["rates"], full=result.rates))
    if group_values(x.articles, by).nunique() < 2:
        _say(f"Only one {by} among these articles: there is no difference to test.")
        return result
    for level in ("term", "category"):
        differences = stats.group_differences(x, groups=by, level=level, categories=cats)
        key = f"{role}-differences-by-{level}"
        if level == "term":
            result.differences, result.keys["differences"] = differences, key
        table, legend = views.differences_table(differences, by, top,
                                                shown[:EFFECT_GROUPS] if len(shown) > 2
                                                else shown[:1])
        display(report.table(
            table, f"Do the {by} groups differ, per {level}? {ASSUMPTIONS['differences']}",
            key=key, full=differences, note=legend))
    if event_count(x, strata) >= 2:
        _held_fixed(report, x, role, by, cats, top, shown, strata)
    return result


def _held_fixed(report: Report, x: CorpusTables, role: str, by: str, cats: Sequence[str],
                top: int, shown: Sequence[str], strata: str) -> None:
    """With several events: the CMH comparison holding the event fixed, and per-event counts."""
    stratified = stats.stratified_differences(x, groups=by, strata=strata, categories=cats)
    table, legend = views.stratified_table(stratified[stratified[by].isin(shown)], by, top)
    display(report.table(table, f"Holding the event fixed. {ASSUMPTIONS['stratified']}",
                         key=f"{role}-by-event-held-fixed", full=stratified, note=legend))
    per_event = textstat_frequency(x, groups=[strata, by], categories=cats, by_voice=False)
    counts = per_event.pivot_table(index=strata, columns=by, values="n", aggfunc="sum",
                                   fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    counts = counts.reindex(columns=list(shown), fill_value=0)
    counts.columns.name = None
    display(report.table(
        counts.head(top).rename_axis("event"),
        f"Matches per event and {by}, "
        f"{views.selection(min(top, len(counts)), len(counts), 'event', 'with the most matches')}",
        key=f"{role}-per-event", full=per_event))


def sourcing_section(report: Report, x: CorpusTables, by: str) -> pd.DataFrame:
    """Who gets a voice: quotes and quoted words per side with intervals, and a figure."""
    sourcing = stats.sourcing_intervals(x, groups=by)
    if sourcing.empty:
        _say(f"No attributed quote occurs in {views.articles_phrase(x.articles)}.")
        return sourcing
    shown = largest_groups(x, by)
    table = sourcing[sourcing[by].isin(shown)]
    notes, legend = views.footnotes(table["note"])
    cells = pd.DataFrame({
        by: table[by], "side": table["side"], "articles": table["articles"],
        "quotes": table["quotes"],
        "quotes per article [95% interval]": views.interval_cells(
            table, "quotes_per_article", "quotes_low", "quotes_high"),
        "quoted words": table["words"],
        "quoted words per article [95% interval]": views.interval_cells(
            table, "words_per_article", "words_low", "words_high", digits=1),
        "share of the group's quoted words [95% interval]": views.interval_cells(
            table, "share_of_words", "share_low", "share_high", digits=3),
        "notes": notes,
    })
    display(report.table(cells, f"Attributed quotes and quoted words by {by} and the speaker's "
                                f"side{_groups_note(shown, x, by)}. {ASSUMPTIONS['sourcing']}",
                         key="sourcing", full=sourcing, note=legend))
    display(report.figure(figures.plot_quoted_words(table, by=by, colors=report.colors,
                                                    labels=report.labels),
                          f"Quoted words by the speaker's side and {by}",
                          key="sourcing-figure"))
    return sourcing


def shared_section(report: Report, records: Sequence[dict[str, Any]], by: str) -> list[dict]:
    """Articles of different groups that printed the same text (near-duplicates): a framing
    difference between them cannot be the groups' own."""
    grouped = [{**r, by: views.metadata_value(r, by)} for r in records]
    rows = shared_texts(grouped, by=by)
    if not rows:
        _say(f"No article of one {by} repeats the text of an article of another {by} "
             f"(estimated share of shared 5-word passages below {THRESHOLD:.0%}).")
        return rows
    display(report.table(
        pd.DataFrame(rows).rename(columns={"id": "article", "first_id": "first printed as",
                                           f"first_{by}": f"first printed by ({by})",
                                           "share": "estimated share of shared text"}),
        f"Articles of one {by} that repeat another {by}'s text", key="shared-texts",
        decimals={"estimated share of shared text": 2}))
    return rows


def speakers_section(report: Report, records: Sequence[dict[str, Any]], by: str,
                     top: int = TOP) -> None:
    """The most-quoted speakers of each group, with the names its articles use for them."""
    table = views.speakers(records, by=by)
    if table.empty:
        _say(f"No attributed quote occurs in {views.articles_phrase(records)}.")
        return
    display(report.table(
        table[[by, "speaker", "side", "quotes", "words", "names"]].head(top),
        f"Who is quoted, by {by}: speakers with their side, quotes and quoted words, and the "
        "names the articles use", key="speakers", full=table,
        columns={"words": "quoted words", "names": "named as (times)"}, max_chars=80))


def keyness_section(report: Report, records: Sequence[dict[str, Any]], by: str,
                    shown: Sequence[str], top: int = TOP) -> None:
    """Each group's most over-used words against all the others."""
    tables = views.group_keyness(records, by=by, top=top)
    if not tables:
        _say(f"Keyness compares groups, and {views.articles_phrase(records)} share one {by}.")
        return
    for group, table in tables.items():
        if group not in shown:
            continue
        display(report.table(
            table[["feature", "n_target", "n_reference", "g2", "log_ratio", "p"]],
            f"Words {group} uses more than the other {by} groups (G² > 0, largest first)",
            key=f"keyness-{group}",
            columns={"feature": "word", "n_target": f"uses in {group}",
                     "n_reference": "uses in the others", "log_ratio": "log2 ratio"},
            decimals={"g2": 2, "log_ratio": 2}))


def validation_section(report: Report, validation: str | Path | None) -> None:
    """The validation summary (agreement of coders and of research_kit's codes), if given."""
    from .validation import report as validation_report

    for item in validation_report.comparison_section(validation):
        display(report.table(item, "Agreement of the coders and of research_kit's codes",
                             key="validation") if isinstance(item, pd.DataFrame) else item)


def key_findings(report: Report, by: str, groups: Sequence[str], roles: Sequence[RoleResult],
                 sourcing: pd.DataFrame, shared: Sequence[dict]) -> list[Finding]:
    """The report's key findings, from the tables the sections showed (see `reports.findings`):
    per lexicon role the largest own-voice contrast and the clearest difference (findings whose
    difference is not clear after the others), who gets how many quoted words, and whether two
    groups printed the same text."""
    labels = report.labels
    result: list[Finding] = []
    for role in roles:
        if "counts" not in role.keys:
            continue
        refs = tuple(role.keys[name] for name in ("counts", "rates", "differences")
                     if name in role.keys)
        contrasts = found.own_voice_contrasts(role.usage, by, groups, refs=refs, labels=labels,
                                              rates=role.rates, differences=role.differences,
                                              top=1)
        result += contrasts
        if not role.differences.empty:
            result += found.largest_differences(
                role.differences, by, refs=(role.keys["differences"],),
                skip=[f.subject for f in contrasts if f.subject])
    result.sort(key=lambda finding: finding.unclear)  # stable: clear differences first
    tested = [role for role in roles if not role.differences.empty]
    result += found.no_clear_difference([role.differences for role in tested], by,
                                        refs=tuple(role.keys["differences"] for role in tested))
    if not sourcing.empty:
        result += found.quoted_words_by_side(sourcing, by, refs=("sourcing",), labels=labels)
    if len(groups) > 1:
        result.append(found.shared_texts(shared, by, refs=("shared-texts",) if shared else ()))
    return result


def methods() -> Markdown:
    """The statistics part of the methods text."""
    return Markdown(stats.METHODS)


def top_role_terms(x: CorpusTables, lexicon: Lexicon, roles: Sequence[str], count: int
                   ) -> list[str]:
    """The `count` most frequent terms of the categories with these roles (for a concordance)."""
    cats = [c for role in roles for c in views.role_categories(lexicon, role)]
    return top_terms(textstat_frequency(x, groups=None, categories=cats), count) if cats else []
