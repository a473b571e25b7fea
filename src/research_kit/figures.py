"""Figures for reports: one colour per group (outlet) in every figure, labelled axes with units.

Figures are deterministic: fixed sizes and resolution, no timestamps in the image metadata, so a
regenerated report has the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

# Okabe & Ito's colour-blind-safe palette, in a fixed order.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
GRADE_MEASURES = ("flesch_kincaid_grade", "gunning_fog", "smog_index", "coleman_liau_index",
                  "automated_readability_index")  # fmt: skip


def group_colors(groups: Sequence[str]) -> dict[str, str]:
    """A fixed colour per group, by sorted name, so every figure of a report agrees."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(set(groups)))}


def _bars(ax: plt.Axes, table: pd.DataFrame, colors: dict[str, str], horizontal: bool) -> None:
    """Grouped bars: rows of `table` are categories, columns are groups."""
    positions = np.arange(len(table.index))
    width = 0.8 / max(len(table.columns), 1)
    for i, group in enumerate(table.columns):
        offsets = positions - 0.4 + width * (i + 0.5)
        draw = ax.barh if horizontal else ax.bar
        draw(offsets, table[group].to_numpy(), width, label=group, color=colors[group])
    ticks = ax.set_yticks if horizontal else ax.set_xticks
    ticks(positions, [str(label) for label in table.index])


def _legend(ax: plt.Axes, title: str, **kwargs: object) -> None:
    """A legend of the groups, or a note on an empty figure (a category with no match)."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(title=title, fontsize="small", **kwargs)
    else:
        ax.text(0.5, 0.5, "nothing to show", transform=ax.transAxes, ha="center",
                va="center", color="0.4")


def plot_term_usage(usage: pd.DataFrame, by: str = "outlet") -> Figure:
    """Matches per 1,000 words of each term, one panel per voice, bars coloured by group."""
    colors = group_colors(list(usage[by]))
    terms = sorted(set(usage["term"]))
    fig, axes = plt.subplots(1, 3, figsize=(11, 0.35 * len(terms) + 1.8), sharey=True,
                             layout="constrained")
    for ax, voice in zip(axes, ("headline", "authorial", "quoted"), strict=True):
        table = (
            usage[usage["voice"] == voice]
            .pivot_table(index="term", columns=by, values="per_1000_words", aggfunc="sum")
            .reindex(index=terms, columns=sorted(colors))
            .fillna(0.0)
        )
        _bars(ax, table, colors, horizontal=True)
        ax.set_title(f"{voice} voice")
        ax.set_xlabel("matches per 1,000 words")
        ax.invert_yaxis()
    _legend(axes[0], by, loc="lower right")
    return fig


def plot_quoted_words(sourcing: pd.DataFrame, by: str = "outlet") -> Figure:
    """Quoted words by side of the speaker, bars coloured by group."""
    colors = group_colors(list(sourcing[by]))
    table = sourcing.pivot_table(index="side", columns=by, values="words", aggfunc="sum")
    table = table.reindex(columns=sorted(colors)).fillna(0)
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(table.index) + 1.5), layout="constrained")
    _bars(ax, table, colors, horizontal=True)
    ax.invert_yaxis()
    ax.set_xlabel("quoted words (direct, partial, block and reported speech)")
    ax.set_ylabel("speaker's side")
    _legend(ax, by)
    return fig


def plot_readability(readability: pd.DataFrame, by: str = "outlet") -> Figure:
    """Grade-level readability formulas side by side, bars coloured by group."""
    colors = group_colors(list(readability[by]))
    table = readability.groupby(by)[list(GRADE_MEASURES)].mean().T.reindex(columns=sorted(colors))
    fig, ax = plt.subplots(figsize=(9, 3.5), layout="constrained")
    _bars(ax, table, colors, horizontal=False)
    ax.set_xticks(range(len(GRADE_MEASURES)),
                  [m.replace("_", " ").replace(" index", "") for m in GRADE_MEASURES],
                  rotation=20, ha="right")
    ax.set_ylabel("US school grade level")
    ax.legend(title=by, fontsize="small")
    return fig


def plot_over_time(table: pd.DataFrame, ylabel: str) -> Figure:
    """One line per column of a period × series table (terms, sides), periods in order on x.

    Periods are labels, not dates, so "(undated)" can sit at the end and gaps are not invented.
    """
    fig, ax = plt.subplots(figsize=(9, 3.8), layout="constrained")
    positions = np.arange(len(table.index))
    for i, column in enumerate(table.columns):
        ax.plot(positions, table[column].to_numpy(), marker="o", label=str(column),
                color=PALETTE[i % len(PALETTE)])
    ax.set_xticks(positions, [str(label) for label in table.index], rotation=30, ha="right")
    ax.set_xlabel("week starting" if table.index.name == "week" else str(table.index.name))
    ax.set_ylabel(ylabel)
    if len(table.columns):
        ax.legend(fontsize="small", ncols=2)
    return fig
