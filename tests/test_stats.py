"""Statistics against reference values (quanteda's G² via keyness, statsmodels, textbook
Poisson limits) and against the behaviour they exist for (clustering, confounding by event)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from research_kit import stats, textstat_keyness


def _article(key: str, outlet: str, words: int, terms: dict[str, int], event: str = "e1",
             quotes: list[tuple[str | None, int]] = ()) -> dict:
    return {
        "id": key, "date": "2024-01-01", "outlet": outlet, "event_id": event,
        "readability": {"words": words},
        "terms": [{"category": "c", "term": term, "voice": "authorial"}
                  for term, n in terms.items() for _ in range(n)],
        "quotes": [{"kind": "direct", "side": side, "speaker": None, "text": " ".join(["w"] * n)}
                   for side, n in quotes],
    }


def test_exact_poisson_limits_are_the_textbook_values() -> None:
    low, high = stats.poisson_interval(np.array([0, 1, 7]))
    assert low == pytest.approx([0.0, 0.025318, 2.814363], abs=1e-6)
    assert high == pytest.approx([3.688879, 5.571643, 14.422675], abs=1e-6)


def test_g2_of_two_groups_equals_the_keyness_g2() -> None:
    corpus = [_article("a1", "A", 1000, {"x": 9}), _article("a2", "A", 1000, {"x": 11}),
              _article("b1", "B", 1500, {"x": 2}), _article("b2", "B", 1500, {"x": 3})]
    table = stats.group_differences(corpus)
    row = table[table["outlet"] == "A"].iloc[0]
    reference = textstat_keyness({"x": 20, "(other)": 1980}, {"x": 5, "(other)": 2995})
    assert row["g2"] == pytest.approx(reference.set_index("feature").loc["x", "g2"], abs=1e-3)
    assert row["df"] == 1 and row["p"] < 0.001
    assert row["log_ratio"] == pytest.approx(np.log2((20.5 / 2000) / (5.5 / 3000)), abs=1e-3)
    assert row["low"] < row["log_ratio"] < row["high"]


def test_bh_adjustment_over_terms_matches_statsmodels() -> None:
    from statsmodels.stats.multitest import multipletests

    corpus = [_article(f"a{i}", "A", 800, {"x": 3, "y": 1, "z": i % 2}) for i in range(6)]
    corpus += [_article(f"b{i}", "B", 800, {"x": 1, "y": 1, "w": 1}) for i in range(6)]
    table = stats.group_differences(corpus).drop_duplicates("term")
    expected = multipletests(table["p"].to_numpy(), method="fdr_bh")[1]
    assert table["p_adjusted"].to_numpy() == pytest.approx(expected, abs=1e-4)
    assert (table["p_adjusted"] >= table["p"] - 1e-9).all()


def test_bootstrap_interval_respects_clustering_and_is_deterministic() -> None:
    # 20 articles of 500 words; the term occurs 20 times, all in one article.
    clustered = [_article(f"a{i}", "A", 500, {"x": 20 if i == 0 else 0}) for i in range(20)]
    spread = [_article(f"a{i}", "A", 500, {"x": 1}) for i in range(20)]
    one, other = stats.rate_intervals(clustered), stats.rate_intervals(spread)
    assert one["per_1000_words"].item() == other["per_1000_words"].item() == 2.0
    assert one["interval"].item() == "bootstrap"
    assert one["high"].item() - one["low"].item() > 2 * (other["high"].item()
                                                          - other["low"].item())
    assert one["low"].item() == 0.0  # most resamples miss the one article that uses it
    pd.testing.assert_frame_equal(stats.rate_intervals(clustered), one)


def test_one_article_and_no_match_fall_back_to_poisson_and_say_so() -> None:
    corpus = [_article("a", "A", 1000, {"x": 1}), _article("b1", "B", 1000, {}),
              _article("b2", "B", 1000, {"y": 2})]
    table = stats.rate_intervals(corpus).set_index(["outlet", "term"])
    assert table.loc[("A", "x"), "interval"] == "Poisson"
    assert "one article" in table.loc[("A", "x"), "note"]
    assert table.loc[("B", "x"), "high"] == pytest.approx(1000 * 3.688879 / 2000, abs=0.01)
    assert "no match" in table.loc[("B", "x"), "note"]
    assert table.loc[("B", "y"), "interval"] == "bootstrap"


def test_stratified_test_holds_the_event_fixed() -> None:
    # Within each event both outlets use the term at the same rate; outlet A mostly covers the
    # event where everyone uses it, so the pooled table shows a difference the events explain.
    corpus = []
    for i in range(8):
        corpus.append(_article(f"a-hot{i}", "A", 1000, {"x": 10}, event="hot"))
        corpus.append(_article(f"a-cold{i}", "A", 1000, {"x": 1}, event="cold") if i < 2
                      else _article(f"a-hot-b{i}", "A", 1000, {"x": 10}, event="hot"))
        corpus.append(_article(f"b-cold{i}", "B", 1000, {"x": 1}, event="cold"))
        corpus.append(_article(f"b-hot{i}", "B", 1000, {"x": 10}, event="hot") if i < 2
                      else _article(f"b-cold-b{i}", "B", 1000, {"x": 1}, event="cold"))
    pooled = stats.group_differences(corpus).set_index("outlet")
    assert pooled.loc["A", "p"] < 1e-6 and pooled.loc["A", "log_ratio"] > 1
    held = stats.stratified_differences(corpus, strata="event_id").set_index("outlet")
    assert held.loc["A", "shared_strata"] == 2
    assert held.loc["A", "odds_ratio"] == pytest.approx(1.0, abs=1e-9)
    assert held.loc["A", "p"] > 0.9


def test_cmh_agrees_with_statsmodels_on_the_same_tables() -> None:
    from statsmodels.stats.contingency_tables import StratifiedTable

    corpus = [_article("a1", "A", 400, {"x": 4}, "e1"), _article("b1", "B", 600, {"x": 1}, "e1"),
              _article("a2", "A", 500, {"x": 3}, "e2"), _article("b2", "B", 500, {"x": 2}, "e2"),
              _article("a3", "A", 300, {"x": 1}, "e3")]  # e3: one side only, left out
    row = stats.stratified_differences(corpus).set_index("outlet").loc["A"]
    reference = StratifiedTable(np.array([[[4, 3], [396, 497]], [[1, 2], [599, 498]]]))
    assert row["shared_strata"] == 2
    assert row["odds_ratio"] == pytest.approx(reference.oddsratio_pooled, abs=1e-3)
    assert row["p"] == pytest.approx(reference.test_null_odds().pvalue, abs=1e-4)


def test_sourcing_intervals_per_side() -> None:
    corpus = [_article(f"a{i}", "A", 500, {}, quotes=[("gov", 10), (None, 5)]) for i in range(5)]
    corpus += [_article("b", "B", 500, {}, quotes=[("gov", 20)])]
    table = stats.sourcing_intervals(corpus).set_index(["outlet", "side"])
    row = table.loc[("A", "gov")]
    assert (row["quotes"], row["words"], row["quotes_per_article"]) == (5, 50, 1.0)
    assert row["share_of_words"] == pytest.approx(2 / 3, abs=1e-3)
    assert row["quotes_low"] == row["quotes_high"] == 1.0  # every article quotes gov once
    assert table.loc[("A", "(unassigned)"), "words"] == 25
    single = table.loc[("B", "gov")]
    assert single["quotes_low"] == 0.03  # exact Poisson 0.0253 for one quote, rounded
    assert np.isnan(single["share_low"]) and "one article" in single["note"]


def test_empty_and_single_group_inputs() -> None:
    corpus = [_article("a", "A", 100, {})]
    assert stats.group_differences(corpus).empty
    assert stats.stratified_differences(corpus).empty
    assert stats.sourcing_intervals(corpus).empty
    assert stats.rate_intervals(corpus).empty
