"""Statistics a reviewer asks for: rates with intervals, tests of group differences, effect sizes,
and comparisons that hold the event fixed. Deterministic: the bootstrap has a fixed seed.

Every function takes article records or their `CorpusTables` (as the corpus tables do) and
returns a tidy DataFrame with a `note` column that says when a row's figure is not to be trusted.

- `rate_intervals`: matches per 1,000 words per group with a 95% interval from an article-level
  bootstrap (whole articles are resampled, so a term that recurs within one article does not
  pass for many independent uses); a group of one article, or a term with no match in a
  group, gets the exact Poisson interval instead (words treated as independent).
- `group_differences`: per term (or category) a G² test of the group × (term, other words)
  table (scipy), Benjamini–Hochberg adjusted over all rows (statsmodels), and each group's log
  ratio against the rest of the corpus with its bootstrap interval.
- `stratified_differences`: per term and group, the Cochran–Mantel–Haenszel test of the group
  against the rest with events as strata and the Mantel–Haenszel pooled odds ratio (statsmodels):
  only events covered by both sides count, so outlets that covered different events do not
  look different because of the events.
- `sourcing_intervals`: attributed quotes per article and each side's share of quoted words, with
  bootstrap intervals.

`METHODS` is the text a report prints next to these tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.rates import confint_poisson

from .corpus import Corpus, article_keys, corpus_tables, sort_rows
from .records import UNASSIGNED

RESAMPLES = 2000
SEED = 20240521
LEVEL = 0.95
FEW_ARTICLES = 10
"""Below this many articles in a group, a bootstrap interval is too narrow to trust."""
SMALL_EXPECTED = 5
"""A contingency cell expected below this makes the χ² approximation of a test unreliable."""

METHODS = f"""\
- **Rates and their intervals.** Matches per 1,000 words are a group's matches divided by all
  words of its articles. The 95% interval is an article-level bootstrap ({RESAMPLES:,} resamples
  of whole articles within each group, percentile interval, fixed seed {SEED}; numpy): a term
  that recurs within one article is one article's choice, not many independent ones, and
  resampling articles keeps that clustering, where a Poisson interval over words would be far
  too narrow. It assumes the articles are a random sample of the group's coverage. With fewer
  than {FEW_ARTICLES} articles in a group the interval is too narrow (noted); with one article
  between-article variation cannot be estimated, and a term with no match in a group has no
  bootstrap spread, so both get the exact Poisson interval for the count (statsmodels), which treats
  words as independent.
- **Do the groups differ?** For each term and each category, a likelihood-ratio test (G²,
  scipy's `chi2_contingency` with `lambda_="log-likelihood"`) of the group × (matches, other
  words) table, with Benjamini–Hochberg adjusted p-values over every test of the table
  (statsmodels `multipletests`). It treats every word as an independent trial, so it overstates
  the evidence when a term clusters in few articles: read it with the bootstrap intervals. It is
  unreliable when an expected count is below {SMALL_EXPECTED} (noted).
- **How large is the difference?** Each group's log ratio (base 2) of its rate against the rest
  of the corpus, with 0.5 added to both counts (Hardie's log ratio): +1 means twice as frequent.
  Its 95% interval comes from the same article-level bootstrap.
- **Holding the event fixed.** When the articles cover several events, each group is compared
  with the rest within each event, and the events are pooled with the Cochran–Mantel–Haenszel
  test and the Mantel–Haenszel odds ratio (statsmodels `StratifiedTable`; for a rare term the
  odds ratio is close to the rate ratio). Only events that both sides covered contribute, so a
  difference cannot come from one outlet covering other events. It assumes the ratio is the same
  in every event and words independent within an event; with few shared events or few matches
  (noted) it says little.
- **Quotes.** Attributed quotes per article and each side's share of the quoted words, with the
  same article-level bootstrap intervals.
"""


def _interval(draws: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    tail = (1 - LEVEL) / 2 * 100
    return np.percentile(draws, tail, axis=0), np.percentile(draws, 100 - tail, axis=0)


def poisson_interval(count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) 95% interval of Poisson counts (statsmodels)."""
    low, high = confint_poisson(np.asarray(count, dtype=float), 1, method="exact-c",
                                alpha=1 - LEVEL)
    return np.asarray(low), np.asarray(high)


def _matrix(x: Corpus, groups: str, level: str, categories: Sequence[str] | None
            ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(articles with group and words, article × item count matrix, item index with category)."""
    tables = corpus_tables(x)
    keys = article_keys(tables, groups, None).reset_index(drop=True)
    terms = tables.terms
    if categories is not None:
        terms = terms[terms["category"].isin(list(categories))]
    item = "category" if level == "category" else "term"
    columns = ["category", *([] if item == "category" else ["term"])]
    items = terms[columns].drop_duplicates().sort_values(columns).reset_index(drop=True)
    counts = pd.crosstab(terms["id"], terms[item]) if len(terms) else pd.DataFrame()
    counts = counts.reindex(index=keys["id"], columns=items[item], fill_value=0)
    return keys, counts, items


def _bootstrap(counts: np.ndarray, words: np.ndarray, labels: np.ndarray, names: list[str]
               ) -> tuple[np.ndarray, np.ndarray]:
    """Per group, `RESAMPLES` resampled totals of every item and of words (group-major)."""
    rng = np.random.default_rng(SEED)
    totals = np.empty((len(names), RESAMPLES, counts.shape[1]))
    word_totals = np.empty((len(names), RESAMPLES))
    for g, name in enumerate(names):
        rows = np.flatnonzero(labels == name)
        weights = rng.multinomial(len(rows), np.full(len(rows), 1 / len(rows)), size=RESAMPLES)
        totals[g] = weights @ counts[rows]
        word_totals[g] = weights @ words[rows]
    return totals, word_totals


def rate_intervals(x: Corpus, groups: str = "outlet", level: str = "term",
                   categories: Sequence[str] | None = None) -> pd.DataFrame:
    """Corpus → per group and term (or category): matches, articles, words, matches per 1,000
    words and its 95% interval (`low`, `high`), the interval's method and a `note`."""
    stats, _ = _rates_and_ratios(x, groups, level, categories)
    return stats


def group_differences(x: Corpus, groups: str = "outlet", level: str = "term",
                      categories: Sequence[str] | None = None) -> pd.DataFrame:
    """Corpus → per term (or category): G², df, p, BH-adjusted p, and per group its log ratio
    against the rest with a 95% interval; one row per item and group."""
    _, differences = _rates_and_ratios(x, groups, level, categories)
    return differences


def _rates_and_ratios(x: Corpus, groups: str, level: str, categories: Sequence[str] | None
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    keys, counts, items = _matrix(x, groups, level, categories)
    item = "category" if level == "category" else "term"
    names = sorted(set(keys[groups]))
    labels = keys[groups].to_numpy()
    words = keys["words"].to_numpy(dtype=float)
    matrix = counts.to_numpy(dtype=float)
    n_articles = np.array([(labels == name).sum() for name in names])
    observed = np.array([matrix[labels == name].sum(axis=0) for name in names])  # G × T
    group_words = np.array([words[labels == name].sum() for name in names])
    boot, boot_words = _bootstrap(matrix, words, labels, names)
    rate_rows = _rate_rows(items, item, names, n_articles, observed, group_words, boot,
                           boot_words, groups)
    difference_rows = _difference_rows(items, item, names, n_articles, observed, group_words,
                                       boot, boot_words, groups)
    return rate_rows, difference_rows


def _rate_rows(items: pd.DataFrame, item: str, names: list[str], n_articles: np.ndarray,
               observed: np.ndarray, group_words: np.ndarray, boot: np.ndarray,
               boot_words: np.ndarray, groups: str) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = 1000 * boot / boot_words[:, :, None]
    low, high = _interval(np.moveaxis(rates, 1, 0))  # G × T
    p_low, p_high = poisson_interval(observed)
    scale = 1000 / np.maximum(group_words, 1)[:, None]
    exact = (observed == 0) | (n_articles[:, None] < 2)
    low = np.where(exact, p_low * scale, low)
    high = np.where(exact, p_high * scale, high)
    rows = []
    for g, name in enumerate(names):
        for t, (category, label) in enumerate(zip(items["category"], items[item], strict=True)):
            method = "Poisson" if exact[g, t] else "bootstrap"
            rows.append({
                groups: name, "category": category, **({} if item == "category" else
                                                       {"term": label}),
                "n": int(observed[g, t]), "articles": int(n_articles[g]),
                "words": int(group_words[g]),
                "per_1000_words": 1000 * observed[g, t] / max(group_words[g], 1),
                "low": low[g, t], "high": high[g, t], "interval": method,
                "note": _rate_note(int(n_articles[g]), int(observed[g, t])),
            })
    columns = [groups, "category", *([] if item == "category" else ["term"])]
    table = pd.DataFrame(rows, columns=[*columns, "n", "articles", "words", "per_1000_words",
                                        "low", "high", "interval", "note"])
    return sort_rows(table.round({"per_1000_words": 2, "low": 2, "high": 2}), columns)


def _rate_note(articles: int, n: int) -> str:
    if articles < 2:
        return "one article: between-article variation not estimable"
    if n == 0:
        return "no match: Poisson upper bound"
    if articles < FEW_ARTICLES:
        return f"few articles (<{FEW_ARTICLES}): interval too narrow"
    return ""


def _difference_rows(items: pd.DataFrame, item: str, names: list[str], n_articles: np.ndarray,
                     observed: np.ndarray, group_words: np.ndarray, boot: np.ndarray,
                     boot_words: np.ndarray, groups: str) -> pd.DataFrame:
    columns = ["category", *([] if item == "category" else ["term"]), groups]
    header = [*columns, "n", "g2", "df", "p", "p_adjusted", "log_ratio", "low", "high", "note"]
    if len(names) < 2 or observed.shape[1] == 0:
        return pd.DataFrame(columns=header)
    tests = [_g2(observed[:, t], group_words) for t in range(observed.shape[1])]
    adjusted = multipletests([p for _, _, p, _ in tests], method="fdr_bh")[1]
    boot_rest = boot.sum(axis=0, keepdims=True) - boot
    words_rest = boot_words.sum(axis=0, keepdims=True) - boot_words
    ratios = (np.log2((boot + 0.5) / boot_words[:, :, None])
              - np.log2((boot_rest + 0.5) / words_rest[:, :, None]))
    low, high = _interval(np.moveaxis(ratios, 1, 0))
    rest = observed.sum(axis=0, keepdims=True) - observed
    rest_words = group_words.sum() - group_words
    point = (np.log2((observed + 0.5) / group_words[:, None])
             - np.log2((rest + 0.5) / rest_words[:, None]))
    # One article on either side has no bootstrap spread: Wald interval of a Poisson log ratio.
    single = ((n_articles < 2) | (n_articles.sum() - n_articles < 2))[:, None]
    half = sps.norm.ppf(0.5 + LEVEL / 2) * np.sqrt(1 / (observed + 0.5) + 1 / (rest + 0.5))
    low = np.where(single, point - half / np.log(2), low)
    high = np.where(single, point + half / np.log(2), high)
    rows = []
    for t, (category, label) in enumerate(zip(items["category"], items[item], strict=True)):
        g2, df, p, small = tests[t]
        for g, name in enumerate(names):
            rows.append({
                "category": category, **({} if item == "category" else {"term": label}),
                groups: name, "n": int(observed[g, t]), "g2": g2, "df": df, "p": p,
                "p_adjusted": adjusted[t], "log_ratio": point[g, t], "low": low[g, t],
                "high": high[g, t], "note": _difference_note(small, int(n_articles.min())),
            })
    table = pd.DataFrame(rows, columns=header)
    return sort_rows(table.round({"g2": 3, "p": 4, "p_adjusted": 4, "log_ratio": 3, "low": 3,
                                  "high": 3}), columns)


def _g2(counts: np.ndarray, words: np.ndarray) -> tuple[float, int, float, bool]:
    """G² of a group × (matches, other words) table: statistic, df, p, any small expected cell."""
    table = np.column_stack([counts, words - counts])
    if counts.sum() == 0:
        return 0.0, len(counts) - 1, 1.0, True
    g2, p, df, expected = sps.chi2_contingency(table, correction=False,
                                               lambda_="log-likelihood")
    return float(g2), int(df), float(p), bool((expected < SMALL_EXPECTED).any())


def _difference_note(small_expected: bool, fewest_articles: int) -> str:
    notes = []
    if small_expected:
        notes.append(f"expected count <{SMALL_EXPECTED}: test unreliable")
    if fewest_articles < FEW_ARTICLES:
        notes.append(f"few articles (<{FEW_ARTICLES} in a group)")
    return "; ".join(notes)


def stratified_differences(x: Corpus, groups: str = "outlet", strata: str = "event_id",
                           level: str = "term", categories: Sequence[str] | None = None
                           ) -> pd.DataFrame:
    """Corpus → per term (or category) and group: the CMH test of the group against the rest
    with `strata` (events) held fixed, the pooled Mantel–Haenszel odds ratio and its 95% interval,
    how many strata both sides share, and BH-adjusted p-values over every row."""
    tables = corpus_tables(x)
    keys, counts, items = _matrix(tables, groups, level, categories)
    item = "category" if level == "category" else "term"
    stratum = article_keys(tables, strata, None)[strata].to_numpy()
    names = sorted(set(keys[groups]))
    columns = ["category", *([] if item == "category" else ["term"]), groups]
    header = [*columns, "n", "shared_strata", "odds_ratio", "low", "high", "cmh", "p",
              "p_adjusted", "note"]
    if len(names) < 2 or counts.shape[1] == 0:
        return pd.DataFrame(columns=header)
    frame = counts.reset_index(drop=True).assign(_group=keys[groups].to_numpy(),
                                                 _stratum=stratum, _words=keys["words"])
    summed = frame.groupby(["_stratum", "_group"]).sum()
    strata_names = sorted(set(stratum))
    rows = []
    for name in names:
        inside = summed.xs(name, level="_group").reindex(strata_names, fill_value=0)
        outside = (summed.drop(index=name, level="_group").groupby(level="_stratum").sum()
                   .reindex(strata_names, fill_value=0))
        shared = (inside["_words"] > 0) & (outside["_words"] > 0)
        for t, (category, label) in enumerate(zip(items["category"], items[item], strict=True)):
            rows.append({"category": category, **({} if item == "category" else {"term": label}),
                         groups: name, "n": int(inside.iloc[:, t].sum()),
                         "shared_strata": int(shared.sum()),
                         **_cmh(inside.iloc[:, t][shared], inside["_words"][shared],
                                outside.iloc[:, t][shared], outside["_words"][shared])})
    table = pd.DataFrame(rows)
    tested = table["p"].notna()
    table["p_adjusted"] = np.nan
    if tested.any():
        table.loc[tested, "p_adjusted"] = multipletests(table.loc[tested, "p"],
                                                        method="fdr_bh")[1]
    table = table.reindex(columns=header)
    return sort_rows(table.round({"odds_ratio": 3, "low": 3, "high": 3, "cmh": 3, "p": 4,
                                  "p_adjusted": 4}), columns)


def _cmh(a: pd.Series, a_words: pd.Series, c: pd.Series, c_words: pd.Series) -> dict[str, object]:
    """CMH test and MH odds ratio over 2 × 2 tables (group/rest × matches/other words)."""
    a, c = a.to_numpy(dtype=float), c.to_numpy(dtype=float)
    if len(a) == 0:
        return {"note": "no stratum covered by both sides"}
    if a.sum() + c.sum() == 0:
        return {"note": "no match in the shared strata"}
    tables = np.stack([[a, a_words.to_numpy() - a], [c, c_words.to_numpy() - c]])
    result = StratifiedTable(tables)
    test = result.test_null_odds(correction=False)
    notes = []
    if a.sum() + c.sum() < SMALL_EXPECTED or len(a) < 2:
        notes.append("few matches or strata: test unreliable")
    if a.sum() == 0 or c.sum() == 0:  # the pooled odds ratio is 0 or infinite
        notes.append("no match on one side: odds ratio undefined")
        return {"cmh": test.statistic, "p": test.pvalue, "note": "; ".join(notes)}
    low, high = result.oddsratio_pooled_confint()
    return {"odds_ratio": result.oddsratio_pooled, "low": low, "high": high,
            "cmh": test.statistic, "p": test.pvalue, "note": "; ".join(notes)}


def sourcing_intervals(x: Corpus, groups: str = "outlet") -> pd.DataFrame:
    """Corpus → per group and speaker's side: attributed quotes and quoted words per article and
    the side's share of the group's quoted words, each with a 95% interval and a `note`.

    Intervals are article-level bootstrap intervals; a group of one article gets exact Poisson
    intervals for its counts and no interval for the share (not estimable from one article).
    """
    tables = corpus_tables(x)
    keys = article_keys(tables, groups, None).reset_index(drop=True)
    quotes = tables.quotes[tables.quotes["kind"] != "scare"]
    quotes = quotes.assign(side=quotes["side"].fillna(UNASSIGNED))
    header = [groups, "side", "articles", "quotes", "quotes_per_article", "quotes_low",
              "quotes_high", "words", "words_per_article", "words_low", "words_high",
              "share_of_words", "share_low", "share_high", "note"]
    if quotes.empty:
        return pd.DataFrame(columns=header)
    sides = sorted(set(quotes["side"]))
    n_quotes = pd.crosstab(quotes["id"], quotes["side"]).reindex(index=keys["id"],
                                                                 columns=sides, fill_value=0)
    n_words = quotes.pivot_table(index="id", columns="side", values="words", aggfunc="sum")
    n_words = n_words.reindex(index=keys["id"], columns=sides).fillna(0)
    names = sorted(set(keys[groups]))
    labels = keys[groups].to_numpy()
    ones = np.ones(len(keys))
    both = np.hstack([n_quotes.to_numpy(float), n_words.to_numpy(float)])
    boot, articles_boot = _bootstrap(both, ones, labels, names)
    per_article = boot / articles_boot[:, :, None]
    word_boot = boot[:, :, len(sides):]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.nan_to_num(word_boot / word_boot.sum(axis=2, keepdims=True))
    low, high = _interval(np.moveaxis(per_article, 1, 0))
    share_low, share_high = _interval(np.moveaxis(share, 1, 0))
    rows = []
    for g, name in enumerate(names):
        mine = labels == name
        articles = int(mine.sum())
        totals = both[mine].sum(axis=0)
        lo, hi = low[g], high[g]
        if articles < 2:
            lo, hi = (bound / articles for bound in poisson_interval(totals))
        word_total = totals[len(sides):].sum()
        for s, side in enumerate(sides):
            w = len(sides) + s
            if totals[s] == 0:
                continue
            single = articles < 2
            rows.append({
                groups: name, "side": side, "articles": articles, "quotes": int(totals[s]),
                "quotes_per_article": totals[s] / articles, "quotes_low": lo[s],
                "quotes_high": hi[s], "words": int(totals[w]),
                "words_per_article": totals[w] / articles, "words_low": lo[w],
                "words_high": hi[w], "share_of_words": totals[w] / max(word_total, 1),
                "share_low": np.nan if single else share_low[g, s],
                "share_high": np.nan if single else share_high[g, s],
                "note": _rate_note(articles, int(totals[s])),
            })
    table = pd.DataFrame(rows, columns=header)
    return sort_rows(table.round({"quotes_per_article": 2, "quotes_low": 2, "quotes_high": 2,
                                  "words_per_article": 1, "words_low": 1, "words_high": 1,
                                  "share_of_words": 3, "share_low": 3, "share_high": 3}),
                     [groups, "side"])
