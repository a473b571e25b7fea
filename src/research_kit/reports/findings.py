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
    subject: str | None = None
    """The term the finding is about, if one (so two findings do not say the same)."""
    unclear: bool = False
    """Its difference was tested and is not clear (adjusted p not below `ALPHA`): such findings
    come after the others."""


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n:,} times"


def _names(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _rate(rates: pd.DataFrame, by: str, group: str, term: str) -> str | None:
    """ "12.38 [3.37, 31.71]" per 1,000 words of a group and term, from `stats.rate_intervals`."""
    row = rates[(rates[by] == group) & (rates["term"] == term)]
    if row.empty:
        return None
    rate, low, high = row.iloc[0][["per_1000_words", "low", "high"]]
    return f"{rate:.2f} [{low:.2f}, {high:.2f}]"


ALPHA = 0.05
"""The adjusted p-value below which a finding calls a difference clear."""


def _tested(differences: pd.DataFrame | None, term: str, column: str = "term"
            ) -> pd.Series | None:
    """A term's row of `stats.group_differences`, if it was tested."""
    if differences is None or column not in differences:
        return None
    rows = differences[differences[column] == term]
    return None if rows.empty else rows.iloc[0]


def _p_adjusted(differences: pd.DataFrame | None, term: str) -> float | None:
    """The Benjamini–Hochberg adjusted p-value of a term's test, if it was tested."""
    row = _tested(differences, term)
    return None if row is None else float(row["p_adjusted"])


def _test(differences: pd.DataFrame, term: str, column: str = "term") -> str | None:
    """ "G² = 6.43, adjusted p = 0.011 (…caveat)" for a term, from `stats.group_differences`;
    a test that is not below `ALPHA` says so in words."""
    first = _tested(differences, term, column)
    if first is None:
        return None
    note = f"; {first['note']}" if isinstance(first["note"], str) and first["note"] else ""
    unclear = (f": not a clear difference (adjusted p not below {ALPHA:g})"
               if first["p_adjusted"] >= ALPHA else "")
    return f"G² = {first['g2']:.2f}, adjusted p = {first['p_adjusted']:.3f}{unclear}{note}"


def own_voice_contrasts(
    usage: pd.DataFrame,
    by: str,
    groups: Sequence[str],
    *,
    refs: Sequence[str],
    labels: Mapping[str, str] | None = None,
    rates: pd.DataFrame | None = None,
    differences: pd.DataFrame | None = None,
    top: int = 3,
) -> list[Finding]:
    """Terms some groups use in their own (authorial) voice and the other groups never use.

    `usage` is `textstat_frequency` (one row per group, category, term and voice); `groups` are
    all groups of the report, including those with no match at all. With `rates`
    (`stats.rate_intervals`) and `differences` (`stats.group_differences` by term) the
    uncertainty states each group's rate with its 95% interval and the test of the difference,
    and the contrasts whose difference is clear (adjusted p below `ALPHA`) come first; a contrast
    that is not clear says so.
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
            p = _p_adjusted(differences, str(term))
            unclear = p is not None and p >= ALPHA
            contrasts.append((unclear, -int(row.sum()), str(term), users, others, row))
    findings = []
    for unclear, _, term, users, others, row in sorted(contrasts, key=lambda c: c[:3])[:top]:
        uses = _names([f"{g} ({_times(int(row[g]))})" for g in users])
        verb = "uses" if len(users) == 1 else "use"
        never = "never does" if len(others) == 1 else "never do"
        parts = []
        if rates is not None and not rates.empty:
            shown = [(g, r) for g in [*users, *others] if (r := _rate(rates, by, g, term))]
            if shown:
                parts.append("Per 1,000 words, all voices [95% interval]: "
                             + "; ".join(f"{g} {r}" for g, r in shown) + ".")
        test = _test(differences, term) if differences is not None else None
        if test:
            parts.append(f"{test}.")
        voice = "its own voice" if len(users) == 1 else "their own voice"
        findings.append(Finding(
            f"{uses} {verb} “{labels.get(term, term)}” in {voice}; "
            f"{_names(others)} {never}.", tuple(refs), " ".join(parts) or None, term,
            unclear))
    return findings


def largest_differences(
    differences: pd.DataFrame, by: str, *, refs: Sequence[str], alpha: float = ALPHA,
    top: int = 1, skip: Sequence[str] = (),
) -> list[Finding]:
    """The terms whose rates differ most clearly between the groups (`stats.group_differences`
    by term, adjusted p below `alpha`; terms in `skip` left out): the group furthest above the
    rest, with its log ratio and interval, and the test."""
    if differences.empty:
        return []
    tests = differences.drop_duplicates("term").sort_values(["p_adjusted", "p"], kind="stable")
    clear = tests[(tests["p_adjusted"] < alpha) & ~tests["term"].isin(list(skip))]
    findings = []
    for term in clear["term"].head(top):
        rows = differences[differences["term"] == term]
        lead = rows.sort_values(["log_ratio", by], ascending=[False, True], kind="stable").iloc[0]
        findings.append(Finding(
            f"“{term}” is more frequent in {lead[by]} than in the other {by} groups together: "
            f"log2 ratio {lead['log_ratio']:.2f} [95% interval {lead['low']:.2f}, "
            f"{lead['high']:.2f}].", tuple(refs), f"{_test(differences, term)}.", str(term)))
    return findings


def no_clear_difference(differences: Sequence[pd.DataFrame], by: str, *,
                        refs: Sequence[str], alpha: float = ALPHA) -> list[Finding]:
    """When no term of any of these tables differs at an adjusted p below `alpha`: say so, with
    the smallest adjusted p-value (a finding too: the vocabularies do not clearly differ)."""
    tests = [d.drop_duplicates("term") for d in differences if not d.empty]
    if not tests:
        return []
    every = pd.concat(tests).sort_values(["p_adjusted", "p"], kind="stable")
    if (every["p_adjusted"] < alpha).any():
        return []
    best = every.iloc[0]
    return [Finding(
        f"No lexicon term's rate differs between the {by} groups at a Benjamini–Hochberg "
        f"adjusted p below {alpha:g}; the smallest is “{best['term']}”, adjusted p = "
        f"{best['p_adjusted']:.3f}.", tuple(refs))]


def quoted_words_by_side(
    sourcing: pd.DataFrame,
    by: str,
    *,
    refs: Sequence[str],
    labels: Mapping[str, str] | None = None,
    top: int = 4,
) -> list[Finding]:
    """Per group, how many quoted words the `top` sides get, largest first. With the interval
    columns of `stats.sourcing_intervals` (`share_low`, `share_high`) the uncertainty gives each
    share's 95% interval, or says why there is none."""
    labels = labels or {}
    findings = []
    for group, rows in sourcing.groupby(by, sort=True):
        rows = rows.sort_values(["words", "side"], ascending=[False, True], kind="stable")
        total = int(rows["words"].sum())
        if total == 0:
            continue
        parts = [
            f"{labels.get(str(side), str(side))} {int(words):,} ({100 * words / total:.0f}%)"
            for side, words in zip(rows["side"].head(top), rows["words"].head(top), strict=True)
        ]
        if len(rows) > top:
            others = len(rows) - top
            parts.append(f"{others:,} other side{'' if others == 1 else 's'} "
                         f"{int(rows['words'].iloc[top:].sum()):,}")
        uncertainty = None
        if "share_low" in rows:
            known = rows.head(top).dropna(subset=["share_low", "share_high"])
            if known.empty:
                articles = int(rows["articles"].iloc[0])
                uncertainty = (f"From {articles:,} article{'s' if articles != 1 else ''}: the "
                               "shares have no interval." if articles < 2 else None)
            else:
                uncertainty = "95% intervals of the shares: " + "; ".join(
                    f"{labels.get(str(r.side), str(r.side))} {r.share_low:.0%} to "
                    f"{r.share_high:.0%}" for r in known.itertuples()) + "."
        findings.append(Finding(
            f"Of the {total:,} words {group} quotes, by the speaker's side: {'; '.join(parts)}.",
            tuple(refs), uncertainty))
    return findings


def shared_texts(rows: Sequence[Mapping[str, object]], by: str, *,
                 refs: Sequence[str] = ()) -> Finding:
    """Whether two compared groups printed the same text (`duplicates.shared_texts` rows): then
    a framing difference between those articles is not the groups' own."""
    if not rows:
        return Finding(f"No two {by} groups printed the same text (no near-duplicate article "
                       f"across groups), so the differences below are between texts each "
                       f"{by} published on its own.")
    pairs = sorted({(str(r[f"first_{by}"]), str(r[by])) for r in rows})
    shown = _names([f"{a} and {b}" for a, b in pairs[:3]]) + (" and others" if len(pairs) > 3
                                                              else "")
    copies = "1 article repeats" if len(rows) == 1 else f"{len(rows):,} articles repeat"
    return Finding(
        f"{copies} the text of another {by}'s article ({shown}): differences between those "
        f"copies are not the {by} groups' own framing.", tuple(refs))
