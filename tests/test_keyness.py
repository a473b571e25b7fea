"""Keyness statistics against published reference values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from research_kit.keyness import (
    count_tokens,
    keyness_chi2,
    keyness_g2,
    keyness_log_ratio,
    keyness_pmi,
    textstat_keyness,
    tokenize,
)

TOL = 1e-6


@pytest.fixture
def quanteda_example():
    """quanteda.textstats' test dfm: target "b×7 a×3" against reference "a×7 b×2"."""
    target = count_tokens(["b b b b b b b a a a"])
    reference = count_tokens(["a a a a a a a b b"])
    return textstat_keyness(target, reference, sort=False).set_index("feature"), target, reference


def test_quanteda_reference_values_for_feature_b(quanteda_example) -> None:
    frame, target, reference = quanteda_example
    f1, f2, n1, n2 = 7, 2, 10, 9
    assert (target["b"], reference["b"]) == (f1, f2)
    assert keyness_chi2(f1, f2, n1, n2, yates=True)[0] == pytest.approx(2.632438, abs=TOL)
    assert keyness_chi2(f1, f2, n1, n2)[0] == pytest.approx(4.337160, abs=TOL)
    assert keyness_g2(f1, f2, n1, n2)[0] == pytest.approx(4.534939, abs=TOL)
    assert keyness_g2(f1, f2, n1, n2, williams=True)[0] == pytest.approx(4.200833, abs=TOL)
    assert keyness_pmi(f1, f2, n1, n2)[0] == pytest.approx(0.390539, abs=TOL)
    assert frame.loc["b", "g2"] == pytest.approx(4.534939, abs=TOL)
    assert frame.loc["b", "chi2"] == pytest.approx(4.337160, abs=TOL)
    assert frame.loc["b", "pmi"] == pytest.approx(0.390539, abs=TOL)


def test_corrections_through_textstat_keyness(quanteda_example) -> None:
    _, target, reference = quanteda_example
    frame = textstat_keyness(target, reference, williams=True, yates=True).set_index("feature")
    assert frame.loc["b", "g2"] == pytest.approx(4.200833, abs=TOL)
    assert frame.loc["b", "chi2"] == pytest.approx(2.632438, abs=TOL)


def test_corpora_reference_values() -> None:
    assert keyness_g2(7, 2, 1000, 1000)[0] == pytest.approx(2.954494, abs=TOL)
    assert keyness_log_ratio(7, 2, 1000, 1000)[0] == pytest.approx(1.584963, abs=TOL)
    assert keyness_chi2(5, 0, 1000, 1000)[0] == pytest.approx(5.012531, abs=TOL)
    assert keyness_log_ratio(5, 0, 1000, 1000)[0] == pytest.approx(3.459432, abs=TOL)


def test_g2_with_a_zero_count() -> None:
    # The 6.944007 is quanteda's figure, which adds 1e-9 inside each logarithm
    # (2 N 1e-9 = 4e-6 here); the exact 4-term value, 0 ln 0 = 0, is 6.9440031.
    g2 = keyness_g2(5, 0, 1000, 1000)[0]
    assert g2 == pytest.approx(6.944007, abs=5e-6)
    exact = 2 * (5 * math.log(2) + 995 * math.log(995 / 997.5) + 1000 * math.log(1000 / 997.5))
    assert g2 == pytest.approx(exact, rel=1e-12)


def test_sign_convention_and_symmetry() -> None:
    for fn in (keyness_g2, keyness_chi2, keyness_log_ratio, keyness_pmi):
        over, under = fn(7, 2, 1000, 1000)[0], fn(2, 7, 1000, 1000)[0]
        assert over > 0 > under, fn.__name__
    assert keyness_g2(2, 7, 1000, 1000)[0] == pytest.approx(-2.954494, abs=TOL)
    assert keyness_g2(3, 6, 1000, 2000)[0] == pytest.approx(0.0, abs=TOL)
    assert keyness_chi2(3, 6, 1000, 2000)[0] == pytest.approx(0.0, abs=TOL)
    assert keyness_log_ratio(3, 3, 1000, 1000)[0] == 0.0
    # the +0.5 is added to counts, not rates: with unequal sizes it shifts the log ratio
    assert keyness_log_ratio(3, 6, 1000, 2000)[0] == pytest.approx(math.log2(7 / 6.5))


def test_zero_counts() -> None:
    assert keyness_pmi(0, 5, 100, 100)[0] == -math.inf
    assert np.isfinite(keyness_log_ratio(0, 5, 100, 100)[0])
    assert keyness_g2(0, 5, 100, 100)[0] < 0
    # a feature that is every token of both groups carries no evidence
    frame = textstat_keyness({"x": 3}, {"x": 4})
    assert frame.loc[0, ["g2", "chi2", "pmi"]].tolist() == [0.0, 0.0, 0.0]
    # features counted zero in both groups are left out; empty groups are an error
    assert textstat_keyness({"a": 1, "z": 0}, {"a": 1, "b": 2}).feature.tolist() == ["a", "b"]
    with pytest.raises(ValueError, match="at least one token"):
        textstat_keyness({}, {"a": 1})


def test_textstat_keyness_ranks_and_p_values() -> None:
    target = count_tokens(["de facto de facto authorities Khojaly Khojaly Khojaly"])
    reference = count_tokens(["authorities near Stepanakert authorities near Stepanakert"])
    frame = textstat_keyness(target, reference)
    assert list(frame.columns) == [
        "feature", "n_target", "n_reference", "g2", "chi2", "log_ratio", "pmi", "p"
    ]
    assert frame.feature.iloc[0] == "khojaly"
    assert frame.g2.is_monotonic_decreasing
    assert frame.p.between(0, 1).all()
    by_ratio = textstat_keyness(target, reference, measure="log_ratio")
    assert by_ratio.log_ratio.is_monotonic_decreasing and by_ratio.p.isna().all()
    with pytest.raises(ValueError, match="measure"):
        textstat_keyness(target, reference, measure="tfidf")  # type: ignore[arg-type]


def test_tokenizer() -> None:
    text = "Nagorno-Karabakh’s “de facto” leaders didn't—on 28 March—meet Baku's envoy."
    assert tokenize(text) == [
        "nagorno-karabakh", "de", "facto", "leaders", "didn't", "on", "28", "march", "meet",
        "baku", "envoy",
    ]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_tokenizer_never_crashes(text: str) -> None:
    for token in tokenize(text):
        assert token and not any(ch.isspace() for ch in token)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 50), min_size=1),
    st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 50), min_size=1),
)
def test_keyness_is_finite_where_defined(target: dict[str, int], reference: dict[str, int]):
    if sum(target.values()) == 0 or sum(reference.values()) == 0:
        return
    frame = textstat_keyness(target, reference)
    assert np.isfinite(frame[["g2", "chi2", "log_ratio"]].to_numpy()).all()
    # G², chi² and PMI agree on the direction (the log ratio's +0.5 may not, for rare words)
    assert (np.sign(frame.g2) == np.sign(frame.chi2)).all()
    assert (np.sign(frame.g2) == np.sign(frame.pmi.round(12))).all()
