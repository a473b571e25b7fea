"""Keyness: which words one group of articles (an outlet) uses more than the others.

Every statistic is computed from the 2×2 table of a feature::

                  target      reference
    feature       a = f1      b = f2
    other words   c = n1-f1   d = n2-f2

with expected counts ``E = row total × column total / N``.

- ``g2``: Dunning's log-likelihood G² summed over all four cells (the "4-term" form, as in
  Evert's ``corpora`` and Rayson's wizard), ``2 Σ O ln(O/E)`` with ``0 ln 0 = 0``;
  optionally divided by Williams' correction
  ``q = 1 + (N/R1 + N/R2 - 1)(N/C1 + N/C2 - 1) / (6N)``.
- ``chi2``: Pearson's χ², optionally with Yates' continuity correction as R's
  ``chisq.test`` applies it: ``Σ (|O-E| - min(0.5, |O-E|))² / E``.
- ``log_ratio``: Hardie's log ratio, ``log2((f1+0.5)/n1 / ((f2+0.5)/n2))``: an effect size
  (1 = twice as frequent), finite when a count is zero.
- ``pmi``: pointwise mutual information of feature and target, ``ln(a / E11)`` (natural log,
  as quanteda.textstats).

Sign convention: every statistic is positive when the feature is over-used in the target
(``a > E11``, equivalently f1/n1 > f2/n2) and negative when under-used; G² and χ² carry that
sign on their (otherwise non-negative) value, as quanteda and ``corpora`` do. The log ratio's
+0.5 goes on counts, not rates, so for words rare in groups of unequal size it can lean the
other way (3 of 1,000 against 6 of 2,000 scores log2(7/6.5), not 0).

Zero counts: a feature absent from one group is fine (``0 ln 0 = 0``; log ratio adds 0.5).
PMI of a feature absent from the target is ``-inf``. A table with an empty row (the feature is
every word of both groups) carries no evidence and scores 0 on every measure but the log
ratio; features counted 0 in both groups are left out. An empty group is an error.

Reference values (quanteda.textstats' tests and ``corpora``) are reproduced in the tests;
quanteda adds 1e-9 inside each logarithm, which moves G² in the fourth decimal for large N
(6.944007 where the exact value is 6.944003 for f1=5, f2=0, n1=n2=1000).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

Measure = Literal["g2", "chi2", "log_ratio", "pmi"]
MEASURES: tuple[Measure, ...] = ("g2", "chi2", "log_ratio", "pmi")

# Words (with inner apostrophes and hyphens: "Nagorno-Karabakh", "don't") and numbers.
_TOKEN = re.compile(r"\w+(?:['’‘\-‐‑]\w+)*")
_POSSESSIVE = re.compile(r"['’]s$")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens for counting: punctuation dropped, possessive 's stripped.

    Curly apostrophes become straight ones and "Karabakh’s" counts as "karabakh", so the
    same word is one feature however the outlet typesets it.
    """
    tokens = []
    for m in _TOKEN.finditer(text):
        token = _POSSESSIVE.sub("", m.group().lower().replace("’", "'").replace("‘", "'"))
        tokens.append(token)
    return tokens


def count_tokens(texts: Iterable[str]) -> Counter[str]:
    """Feature counts over a group of texts, for :func:`textstat_keyness`."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(tokenize(text))
    return counts


class _Table(NamedTuple):
    observed: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # a, b, c, d
    expected: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    rows: tuple[np.ndarray, np.ndarray]  # feature total, other words total
    columns: tuple[float, float]  # n1, n2
    n: float

    @property
    def sign(self) -> np.ndarray:
        return np.sign(self.observed[0] - self.expected[0])

    @property
    def informative(self) -> np.ndarray:
        return (self.rows[0] > 0) & (self.rows[1] > 0)


def _table(f1: ArrayLike, f2: ArrayLike, n1: float, n2: float) -> _Table:
    a, b = np.atleast_1d(f1).astype(float), np.atleast_1d(f2).astype(float)
    c, d = n1 - a, n2 - b
    n = n1 + n2
    r1, r2 = a + b, c + d
    expected = (r1 * n1 / n, r1 * n2 / n, r2 * n1 / n, r2 * n2 / n)
    return _Table((a, b, c, d), expected, (r1, r2), (n1, n2), n)


def keyness_g2(
    f1: ArrayLike, f2: ArrayLike, n1: float, n2: float, williams: bool = False
) -> np.ndarray:
    """Signed 4-term log-likelihood G² (optionally with Williams' correction)."""
    t = _table(f1, f2, n1, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = zip(t.observed, t.expected, strict=True)
        g2 = 2 * sum(np.where(o > 0, o * np.log(o / e), 0.0) for o, e in cells)
        if williams:
            (r1, r2), (c1, c2), n = t.rows, t.columns, t.n
            g2 = g2 / (1 + (n / r1 + n / r2 - 1) * (n / c1 + n / c2 - 1) / (6 * n))
        return np.where(t.informative, t.sign * g2, 0.0)


def keyness_chi2(
    f1: ArrayLike, f2: ArrayLike, n1: float, n2: float, yates: bool = False
) -> np.ndarray:
    """Signed Pearson χ² (optionally with Yates' continuity correction)."""
    t = _table(f1, f2, n1, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.zeros_like(t.observed[0])
        for o, e in zip(t.observed, t.expected, strict=True):
            dev = np.abs(o - e)
            if yates:
                dev = dev - np.minimum(0.5, dev)
            chi2 = chi2 + dev**2 / e
        return np.where(t.informative, t.sign * chi2, 0.0)


def keyness_log_ratio(f1: ArrayLike, f2: ArrayLike, n1: float, n2: float) -> np.ndarray:
    """Hardie's log ratio: log2 of the ratio of relative frequencies, +0.5 on each count."""
    a, b = np.atleast_1d(f1).astype(float), np.atleast_1d(f2).astype(float)
    return np.log2(((a + 0.5) / n1) / ((b + 0.5) / n2))


def keyness_pmi(f1: ArrayLike, f2: ArrayLike, n1: float, n2: float) -> np.ndarray:
    """Pointwise mutual information ln(a / E11); -inf for a feature absent from the target."""
    t = _table(f1, f2, n1, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t.informative, np.log(t.observed[0] / t.expected[0]), 0.0)


def textstat_keyness(
    target_counts: Mapping[str, int],
    reference_counts: Mapping[str, int],
    measure: Measure = "g2",
    williams: bool = False,
    yates: bool = False,
    sort: bool = True,
) -> pd.DataFrame:
    """Keyness of every feature of either group, one row per feature.

    Columns: ``feature, n_target, n_reference, g2, chi2, log_ratio, pmi, p``, where ``p`` is
    the χ²(1) p-value of ``measure`` when that is ``g2`` or ``chi2`` (else NaN). Sorted by
    ``measure``, most over-used in the target first (ties by feature name).
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    n1, n2 = float(sum(target_counts.values())), float(sum(reference_counts.values()))
    if n1 <= 0 or n2 <= 0:
        raise ValueError("both groups need at least one token")
    features = sorted(
        f for f in set(target_counts) | set(reference_counts)
        if target_counts.get(f, 0) + reference_counts.get(f, 0) > 0
    )
    f1 = np.array([target_counts.get(f, 0) for f in features], dtype=float)
    f2 = np.array([reference_counts.get(f, 0) for f in features], dtype=float)
    frame = pd.DataFrame(
        {
            "feature": features,
            "n_target": f1.astype(int),
            "n_reference": f2.astype(int),
            "g2": keyness_g2(f1, f2, n1, n2, williams=williams),
            "chi2": keyness_chi2(f1, f2, n1, n2, yates=yates),
            "log_ratio": keyness_log_ratio(f1, f2, n1, n2),
            "pmi": keyness_pmi(f1, f2, n1, n2),
        }
    )
    frame["p"] = (
        [math.erfc(math.sqrt(abs(x) / 2)) for x in frame[measure]]
        if measure in ("g2", "chi2")
        else np.nan
    )
    if sort:
        frame = frame.sort_values([measure, "feature"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True)
