"""Figures for reports: one colour per group in every figure, labelled axes with units.

Every figure is drawn under `FIGURE_STYLE` (a scoped `rc_context`, never a global setting):
article-derived text (outlet names, terms) is plain text, never mathtext, so a `$` in a label is a
dollar sign and cannot make a report fail; SVG output has fixed ids and no date, so a regenerated
report has the same bytes. Legends sit outside the axes, so they never cover data. Pass a
report's `colors` (`Report.use_groups`) so a group keeps its colour across all its figures.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Okabe & Ito's colour-blind-safe palette, in a fixed order.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
GRADE_MEASURES = {"flesch_kincaid_grade": "Flesch–Kincaid", "gunning_fog": "Gunning fog",
                  "smog_index": "SMOG", "coleman_liau_index": "Coleman–Liau",
                  "automated_readability_index": "Automated\nreadability"}
"""The grade-level formulas (textstat's names) with the names a reader knows them by."""
FIGURE_STYLE: dict[str, Any] = {
    "text.parse_math": False,  # outlet names and terms come from articles: `$` is a dollar
    "svg.hashsalt": "research_kit",  # fixed SVG element ids
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
"""Matplotlib settings of every report figure, applied per figure with `rc_context`."""

P = ParamSpec("P")


def styled(draw: Callable[P, Figure]) -> Callable[P, Figure]:
    """Draw the figure under `FIGURE_STYLE` (text objects read it when they are created)."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with plt.rc_context(FIGURE_STYLE):
            return draw(*args, **kwargs)

    return wrapper


def group_colors(groups: Sequence[str]) -> dict[str, str]:
    """A fixed colour per group, by sorted name, so every figure of a report agrees."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(set(groups)))}


def _colors(groups: Sequence[str], colors: Mapping[str, str] | None) -> dict[str, str]:
    """The report's colours for these groups (new groups get the next free colours)."""
    fallback = group_colors(groups)
    if not colors:
        return fallback
    spare = [c for c in PALETTE if c not in colors.values()] or list(PALETTE)
    unknown = sorted(set(groups) - set(colors))
    extra = {g: spare[i % len(spare)] for i, g in enumerate(unknown)}
    return {g: colors.get(g) or extra[g] for g in sorted(set(groups))}


def _bars(ax: plt.Axes, table: pd.DataFrame, colors: Mapping[str, str], horizontal: bool,
          labels: Mapping[str, str] | None = None) -> None:
    """Grouped bars: rows of `table` are categories, columns are groups."""
    positions = np.arange(len(table.index))
    width = 0.8 / max(len(table.columns), 1)
    for i, group in enumerate(table.columns):
        offsets = positions - 0.4 + width * (i + 0.5)
        draw = ax.barh if horizontal else ax.bar
        draw(offsets, table[group].to_numpy(), width, label=str(group), color=colors[group])
    ticks = ax.set_yticks if horizontal else ax.set_xticks
    labels = labels or {}
    ticks(positions, [labels.get(str(label), str(label)) for label in table.index])


def _legend(fig: Figure, ax: plt.Axes, title: str, where: str = "outside right upper") -> None:
    """The groups' legend outside the axes, or a note on an empty figure (no match at all)."""
    handles, names = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, names, title=title, loc=where, fontsize="small", frameon=False)
    else:
        ax.text(0.5, 0.5, "nothing to show", transform=ax.transAxes, ha="center",
                va="center", color="0.4")


@styled
def plot_term_usage(usage: pd.DataFrame, by: str = "outlet", *,
                    colors: Mapping[str, str] | None = None,
                    labels: Mapping[str, str] | None = None) -> Figure:
    """Matches per 1,000 words of each term, one panel per voice, bars coloured by group."""
    colors = _colors(list(usage[by].astype(str)), colors)
    terms = sorted(set(usage["term"]))
    fig, axes = plt.subplots(1, 3, figsize=(8, 0.3 * len(terms) + 1.9), sharey=True,
                             layout="constrained")
    for ax, voice in zip(axes, ("headline", "authorial", "quoted"), strict=True):
        table = (
            usage[usage["voice"] == voice]
            .pivot_table(index="term", columns=by, values="per_1000_words", aggfunc="sum")
            .reindex(index=terms, columns=sorted(colors))
            .fillna(0.0)
        )
        _bars(ax, table, colors, horizontal=True, labels=labels)
        ax.set_title(f"{voice} voice")
        ax.set_xlabel("matches per 1,000 words")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))  # three narrow panels: few ticks
        ax.invert_yaxis()
    _legend(fig, axes[0], by, where="outside upper center")
    return fig


@styled
def plot_quoted_words(sourcing: pd.DataFrame, by: str = "outlet", *,
                      colors: Mapping[str, str] | None = None,
                      labels: Mapping[str, str] | None = None) -> Figure:
    """Quoted words by side of the speaker, bars coloured by group."""
    colors = _colors(list(sourcing[by].astype(str)), colors)
    table = sourcing.pivot_table(index="side", columns=by, values="words", aggfunc="sum")
    table = table.reindex(columns=sorted(colors)).fillna(0)
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(table.index) + 1.4), layout="constrained")
    _bars(ax, table, colors, horizontal=True, labels=labels)
    ax.invert_yaxis()
    ax.set_xlabel("quoted words (direct, partial, block and reported speech)")
    ax.set_ylabel("speaker's side")
    _legend(fig, ax, by)
    return fig


@styled
def plot_readability(readability: pd.DataFrame, by: str = "outlet", *,
                     colors: Mapping[str, str] | None = None) -> Figure:
    """Grade-level readability formulas side by side, bars coloured by group."""
    colors = _colors(list(readability[by].astype(str)), colors)
    table = readability.groupby(by)[list(GRADE_MEASURES)].mean().T.reindex(columns=sorted(colors))
    fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
    _bars(ax, table, colors, horizontal=False)
    ax.set_xticks(range(len(GRADE_MEASURES)), list(GRADE_MEASURES.values()))
    ax.set_ylabel("US school grade level (years)")
    _legend(fig, ax, by)
    return fig


@styled
def plot_over_time(table: pd.DataFrame, ylabel: str, *,
                   labels: Mapping[str, str] | None = None) -> Figure:
    """One line per column of a period × series table (terms, sides), periods in order on x.

    Periods are labels, not dates, so "(undated)" can sit at the end and gaps are not invented.
    """
    fig, ax = plt.subplots(figsize=(7, 3.4), layout="constrained")
    positions = np.arange(len(table.index))
    labels = labels or {}
    for i, column in enumerate(table.columns):
        ax.plot(positions, table[column].to_numpy(), marker="o",
                label=labels.get(str(column), str(column)), color=PALETTE[i % len(PALETTE)])
    ax.set_xticks(positions, [str(label) for label in table.index], rotation=30, ha="right")
    ax.set_xlabel("week starting" if table.index.name == "week" else str(table.index.name))
    ax.set_ylabel(ylabel)
    _legend(fig, ax, "")
    return fig
