"""Key findings written from a report's computed tables, never typed into a notebook.

Each function reads a table the report shows and returns `Finding`s: a sentence, the keys of the
tables or figures it rests on (resolved to "Table 3" by the report), and, where the statistics
give one, its uncertainty. Sentences name what was counted, so a reader can check them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True, slots=True)
class Finding:
    """One key finding: its sentence, the tables/figures it rests on, and its uncertainty."""

    text: str
    refs: tuple[str, ...] = ()
    uncertainty: str | None = None


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n:,} times"


def _names(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def own_voice_contrasts(
    usage: pd.DataFrame,
    by: str,
    groups: Sequence[str],
    *,
    ref: str,
    labels: Mapping[str, str] | None = None,
    top: int = 3,
) -> list[Finding]:
    """Terms some groups use in their own (authorial) voice and the other groups never use.

    `usage` is `views.term_usage` (one row per group, category, term and voice); `groups` are
    all groups of the report, including those with no match at all.
    """
    labels = labels or {}
    own = usage[(usage["voice"] == "authorial") & (usage["n"] > 0)]
    if own.empty or len(groups) < 2:
        return []
    counts = own.groupby(["term", by])["n"].sum().unstack(fill_value=0)
    contrasts = []
    for term, row in counts.iterrows():
        users = [g for g in groups if row.get(g, 0) > 0]
        others = [g for g in groups if g not in users]
        if users and others:
            contrasts.append((-int(row.sum()), str(term), users, others, row))
    findings = []
    for _, term, users, others, row in sorted(contrasts)[:top]:
        uses = _names([f"{g} ({_times(int(row[g]))})" for g in users])
        verb = "uses" if len(users) == 1 else "use"
        never = "never does" if len(others) == 1 else "never do"
        findings.append(Finding(
            f"{uses} {verb} “{labels.get(term, term)}” in its own voice; "
            f"{_names(others)} {never}.", (ref,)))
    return findings


def quoted_words_by_side(
    sourcing: pd.DataFrame,
    by: str,
    *,
    ref: str,
    labels: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Per group, how many quoted words each side gets, largest first (`views.quote_sourcing`)."""
    labels = labels or {}
    findings = []
    for group, rows in sourcing.groupby(by, sort=True):
        rows = rows.sort_values(["words", "side"], ascending=[False, True], kind="stable")
        total = int(rows["words"].sum())
        if total == 0:
            continue
        parts = [
            f"{labels.get(str(side), str(side))} {int(words):,} ({100 * words / total:.0f}%)"
            for side, words in zip(rows["side"], rows["words"], strict=True)
        ]
        findings.append(Finding(
            f"Of the {total:,} words {group} quotes, by the speaker's side: {'; '.join(parts)}.",
            (ref,)))
    return findings
