"""Agreement: how far coders agree with each other, and research_kit's codes with the coders.

Reliability between coders is Krippendorff's alpha (the `krippendorff` package), nominal or
ordinal as the codebook declares, with a percentile bootstrap interval over units: units are
resampled with replacement (fixed seed) and alpha recomputed on each resample. Hayes and
Krippendorff's (2007) KALPHA macro bootstraps differently (it resamples pairs of values), so
the two intervals can differ slightly; both are centred on the same alpha.

The automatic codes are compared with the coders' majority: the code more than half of the
coders who coded a unit chose, and at least two of them (units without one are left out and
counted). Accuracy, precision and recall are proportions, with Wilson score intervals
(statsmodels); F1 is not, so its interval is a percentile bootstrap over the compared units.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from ..errors import ResearchKitError
from ..load import MANIFEST_NAME
from .codebook import Variable, normalise_text
from .sample import read_key
from .sheets import check_sheet, coder_names, read_sheet

BOOTSTRAP = 1000
SEED = 0
CONFIDENCE = 0.95
THRESHOLDS = (0.8, 0.667)
"""Krippendorff's (2004) guide: rely on alpha ≥ .800, draw tentative conclusions from ≥ .667."""
RESULT_FILE = "validation.json"
TABLES = ("reliability", "automatic", "automatic_codes", "disagreements", "auto_errors")
_DIGITS = 4


@dataclass(frozen=True, slots=True)
class Coding:
    """Every coder's checked codes of one sample, and the sample's units and variables."""

    unit: str
    units: list[dict[str, Any]]
    variables: tuple[Variable, ...]
    coders: list[str]
    codes: dict[str, dict[str, dict[str, str | None]]]
    sample_id: str | None
    sources: dict[str, str]
    has_key: bool


def read_coding(sheets: Sequence[str | Path], key: str | Path | None = None) -> Coding:
    """Read one sheet per coder and check they coded the same sample (the key's, if given)."""
    if len(sheets) < 2:
        raise ResearchKitError("agreement needs the sheets of at least two coders")
    paths = [Path(p) for p in sheets]
    if len({p.resolve() for p in paths}) < len(paths):
        raise ResearchKitError("the same sheet is given twice")
    coders = coder_names(paths)
    read = [read_sheet(path, coder) for path, coder in zip(paths, coders, strict=True)]
    if key is not None:
        data = read_key(key)
        unit, sample_id = data["unit"], data["sample_id"]
        variables = tuple(Variable.from_dict(v) for v in data["variables"])
        units = data["units"]
    else:
        first = read[0]
        if not first.variables:
            raise ResearchKitError(
                "this sheet carries no codebook (CSV sheets never do); pass --key", str(first.path)
            )
        unit, sample_id, variables = first.unit or "?", first.sample_id, first.variables
        units = [{"unit_id": r.get("unit_id", "").strip(), "article": r.get("article", ""),
                  "unit": r.get("unit", ""), "auto": {}} for r in first.rows]
    codes = {sheet.coder: check_sheet(sheet, units, variables, sample_id) for sheet in read}
    sources = {sheet.coder: str(sheet.path) for sheet in read}
    if key is not None:
        sources["key"] = str(key)
    return Coding(unit, units, variables, coders, codes, sample_id, sources, key is not None)


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """The figures of a validation: tables (DataFrames) and how they were computed (`meta`)."""

    meta: dict[str, Any]
    reliability: pd.DataFrame
    automatic: pd.DataFrame
    automatic_codes: pd.DataFrame
    disagreements: pd.DataFrame
    auto_errors: pd.DataFrame

    def write(self, folder: str | Path) -> list[Path]:
        """Write every table as CSV and the meta as JSON into `folder`; returns the files."""
        folder = Path(folder)
        for ancestor in (folder.resolve(), *folder.resolve().parents):
            if (ancestor / MANIFEST_NAME).is_file():
                raise ResearchKitError(
                    f"{ancestor} has a {MANIFEST_NAME} manifest: raw data is never written to",
                    str(folder),
                )
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name in TABLES:
            path = folder / f"{name}.csv"
            getattr(self, name).to_csv(path, index=False, lineterminator="\n")
            written.append(path)
        path = folder / RESULT_FILE
        path.write_text(json.dumps(self.meta, ensure_ascii=False, indent=1) + "\n", "utf-8")
        return [*written, path]


def load_validation(folder: str | Path) -> ValidationResult:
    """A validation written by `agreement --out FOLDER` (or `ValidationResult.write`)."""
    folder = Path(folder)
    if folder.is_file() and folder.name == RESULT_FILE:
        folder = folder.parent
    meta_path = folder / RESULT_FILE
    if not meta_path.is_file():
        raise ResearchKitError(f"no {RESULT_FILE} here: not a validation result folder",
                               str(folder))
    meta = json.loads(meta_path.read_text("utf-8"))
    tables = {}
    for name in TABLES:
        try:
            tables[name] = pd.read_csv(folder / f"{name}.csv", keep_default_na=False,
                                       na_values=[""])
        except FileNotFoundError:
            raise ResearchKitError(f"{name}.csv is missing", str(folder)) from None
        except pd.errors.EmptyDataError:
            tables[name] = pd.DataFrame()
    return ValidationResult(meta, **tables)


def _domain(variable: Variable, coding: Coding) -> list[str]:
    """The values alpha distinguishes: the declared codes, or every free text a coder wrote."""
    if variable.codes is not None:
        return list(variable.codes)
    written = {codes[u][variable.name] for codes in coding.codes.values() for u in codes}
    return sorted(v for v in written if v is not None)


def value_counts(variable: Variable, coding: Coding, domain: Sequence[str]) -> np.ndarray:
    """Units × values: how many coders gave each unit each value (what alpha is computed on)."""
    index = {value: i for i, value in enumerate(domain)}
    counts = np.zeros((len(coding.units), len(domain)))
    for row, unit in enumerate(coding.units):
        for coder in coding.coders:
            value = coding.codes[coder][unit["unit_id"]][variable.name]
            if value is not None:
                counts[row, index[value]] += 1
    return counts


def alpha(counts: np.ndarray, level: str) -> float:
    """Krippendorff's alpha from a units × values count matrix; NaN when it is undefined.

    Undefined: fewer than two values, no unit coded twice, or no variation at all (every value
    the same, so there is no disagreement to expect).
    """
    pairable = counts[counts.sum(axis=1) >= 2]
    if counts.shape[1] < 2 or len(pairable) == 0 or np.count_nonzero(pairable.sum(axis=0)) < 2:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(krippendorff.alpha(value_counts=pairable, level_of_measurement=level,
                                        value_domain=np.arange(counts.shape[1])))


def _percentile_interval(values: Sequence[float], confidence: float) -> tuple[float, float]:
    finite = np.asarray([v for v in values if np.isfinite(v)])
    if len(finite) == 0:
        return float("nan"), float("nan")
    tail = 100 * (1 - confidence) / 2
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)


def _reliability_row(variable: Variable, coding: Coding, bootstrap: int, seed: int,
                     confidence: float) -> dict[str, Any]:
    domain = _domain(variable, coding)
    counts = value_counts(variable, coding, domain)
    coded = counts.sum(axis=1)
    pairable = counts[coded >= 2]
    estimate = alpha(counts, variable.level)
    rng = np.random.default_rng(seed)
    resampled = [alpha(pairable[rng.integers(0, len(pairable), len(pairable))], variable.level)
                 for _ in range(bootstrap if np.isfinite(estimate) else 0)]
    low, high = _percentile_interval(resampled, confidence)
    pairs = (pairable * (pairable - 1)).sum()
    possible = (pairable.sum(axis=1) * (pairable.sum(axis=1) - 1)).sum()
    finite = [a for a in resampled if np.isfinite(a)]
    note = "" if np.isfinite(estimate) else (
        "undefined: no unit coded by two coders" if len(pairable) == 0
        else "undefined: the coders used one value only"
    )
    return {
        "variable": variable.name,
        "level": variable.level,
        "units": len(coding.units),
        "pairable_units": len(pairable),
        "pairable_values": int(pairable.sum()),
        "percent_agreement": float(pairs / possible) if possible else float("nan"),
        "alpha": estimate,
        "alpha_low": low,
        "alpha_high": high,
        **{f"p_below_{t:.3f}": (float(np.mean(np.asarray(finite) < t)) if finite
                                 else float("nan")) for t in THRESHOLDS},
        "note": note,
    }


def majority(values: Sequence[str | None]) -> str | None:
    """The code more than half of those who coded chose, and at least two coders; else None."""
    counts = Counter(v for v in values if v is not None).most_common()
    if not counts:
        return None
    top, n = counts[0]
    coded = sum(c for _, c in counts)
    return top if n >= 2 and n > coded / 2 else None


def wilson(successes: int, trials: int, confidence: float) -> tuple[float, float, float]:
    """A proportion and its Wilson score interval (NaN when there are no trials)."""
    if trials == 0:
        return float("nan"), float("nan"), float("nan")
    low, high = proportion_confint(successes, trials, alpha=1 - confidence, method="wilson")
    return successes / trials, float(low), float(high)


def _auto_code(variable: Variable, code: str | None) -> str | None:
    """Free-text automatic codes compare the way the coders' do (case and spacing ignored)."""
    return normalise_text(code) if variable.free and code is not None else code


def _f1(auto: np.ndarray, truth: np.ndarray, code: int) -> float:
    tp = np.sum((auto == code) & (truth == code))
    wrong = np.sum((auto == code) != (truth == code))
    return float(2 * tp / (2 * tp + wrong)) if tp + wrong else float("nan")


def _macro_f1(auto: np.ndarray, truth: np.ndarray, codes: Sequence[int]) -> float:
    present = [c for c in codes if np.any(auto == c) or np.any(truth == c)]
    return float(np.mean([_f1(auto, truth, c) for c in present])) if present else float("nan")


def _automatic(variable: Variable, coding: Coding, majorities: Mapping[str, str | None],
               bootstrap: int, seed: int, confidence: float
               ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    autos = {u["unit_id"]: _auto_code(variable, u["auto"].get(variable.name))
             for u in coding.units}
    compared = [(autos[u], majorities[u]) for u in autos
                if autos[u] is not None and majorities[u] is not None]
    listed_codes = list(variable.codes or ())
    # An automatic code the codebook does not list (a new value of a record field) is wrong,
    # not an error: it gets its own place in the domain.
    domain = sorted({v for pair in compared for v in pair}) if variable.free else [
        *listed_codes, *sorted({a for a, _ in compared} - set(listed_codes))]
    index = {code: i for i, code in enumerate(domain)}
    auto = np.array([index[a] for a, _ in compared], dtype=int)
    truth = np.array([index[m] for _, m in compared], dtype=int)
    listed = [] if variable.free else list(range(len(domain)))
    rng = np.random.default_rng(seed)
    draws = [rng.integers(0, len(compared), len(compared)) for _ in range(bootstrap)] \
        if compared else []
    correct = int(np.sum(auto == truth))
    accuracy = wilson(correct, len(compared), confidence)
    macro = _macro_f1(auto, truth, listed) if listed else float("nan")
    macro_interval = _percentile_interval(
        [_macro_f1(auto[d], truth[d], listed) for d in draws] if listed else [], confidence)
    summary = {
        "variable": variable.name,
        "units": len(coding.units),
        "compared": len(compared),
        "no_majority": sum(1 for u in autos if majorities[u] is None),
        "no_auto_code": sum(1 for u in autos if autos[u] is None),
        "accuracy": accuracy[0], "accuracy_low": accuracy[1], "accuracy_high": accuracy[2],
        "macro_f1": macro, "macro_f1_low": macro_interval[0], "macro_f1_high": macro_interval[1],
    }
    rows = []
    for code in listed:
        tp = int(np.sum((auto == code) & (truth == code)))
        predicted, actual = int(np.sum(auto == code)), int(np.sum(truth == code))
        precision, recall = wilson(tp, predicted, confidence), wilson(tp, actual, confidence)
        f1_interval = _percentile_interval([_f1(auto[d], truth[d], code) for d in draws],
                                           confidence)
        rows.append({
            "variable": variable.name, "code": domain[code], "majority": actual,
            "automatic": predicted, "agree": tp,
            "precision": precision[0], "precision_low": precision[1],
            "precision_high": precision[2],
            "recall": recall[0], "recall_low": recall[1], "recall_high": recall[2],
            "f1": _f1(auto, truth, code), "f1_low": f1_interval[0], "f1_high": f1_interval[1],
        })
    return summary, rows


def agreement(
    coding: Coding,
    *,
    bootstrap: int = BOOTSTRAP,
    seed: int = SEED,
    confidence: float = CONFIDENCE,
) -> ValidationResult:
    """Reliability per variable, and (with a key) the automatic codes against the majority."""
    if bootstrap < 0 or not 0 < confidence < 1:
        raise ResearchKitError("bootstrap must be ≥ 0 and confidence between 0 and 1")
    reliability = [_reliability_row(v, coding, bootstrap, seed, confidence)
                   for v in coding.variables]
    majorities = {
        v.name: {u["unit_id"]: majority([coding.codes[c][u["unit_id"]][v.name]
                                         for c in coding.coders]) for u in coding.units}
        for v in coding.variables
    }
    summaries, code_rows = [], []
    auto_variables = [v for v in coding.variables
                      if any(u["auto"].get(v.name) is not None for u in coding.units)]
    for variable in auto_variables:
        summary, rows = _automatic(variable, coding, majorities[variable.name], bootstrap, seed,
                                   confidence)
        summaries.append(summary)
        code_rows.extend(rows)
    disagreements, errors = [], []
    for unit in coding.units:
        uid = unit["unit_id"]
        for variable in coding.variables:
            values = [coding.codes[c][uid][variable.name] for c in coding.coders]
            auto = _auto_code(variable, unit["auto"].get(variable.name))
            base = {"unit_id": uid, "article": unit["article"], "unit": unit["unit"],
                    "variable": variable.name}
            common = {"majority": majorities[variable.name][uid] or "",
                      **({"auto": auto or ""} if coding.has_key else {})}
            if len(set(values)) > 1:
                disagreements.append({**base, **{c: v or "" for c, v in
                                                 zip(coding.coders, values, strict=True)},
                                      **common})
            majority_code = majorities[variable.name][uid]
            if auto is not None and majority_code is not None and auto != majority_code:
                errors.append({**base, "auto": auto, "majority": majority_code})
    meta = {
        "unit": coding.unit,
        "sample_id": coding.sample_id,
        "units": len(coding.units),
        "coders": coding.coders,
        "sources": coding.sources,
        "variables": [v.to_dict() for v in coding.variables],
        "key": coding.has_key,
        "bootstrap": bootstrap,
        "seed": seed,
        "confidence": confidence,
        "alpha_interval": "percentile bootstrap over units",
        "proportion_interval": "Wilson score",
        "f1_interval": "percentile bootstrap over compared units",
        "majority": "code chosen by more than half of the coders who coded the unit, and by "
                    "at least two",
    }
    frame = _frame
    return ValidationResult(
        meta=meta,
        reliability=frame(reliability, ["variable", "level", "units", "pairable_units",
                                        "pairable_values", "percent_agreement", "alpha",
                                        "alpha_low", "alpha_high",
                                        *(f"p_below_{t:.3f}" for t in THRESHOLDS), "note"]),
        automatic=frame(summaries, ["variable", "units", "compared", "no_majority",
                                    "no_auto_code", "accuracy", "accuracy_low", "accuracy_high",
                                    "macro_f1", "macro_f1_low", "macro_f1_high"]),
        automatic_codes=frame(code_rows, ["variable", "code", "majority", "automatic", "agree",
                                          "precision", "precision_low", "precision_high",
                                          "recall", "recall_low", "recall_high", "f1", "f1_low",
                                          "f1_high"]),
        disagreements=frame(disagreements, ["unit_id", "article", "unit", "variable",
                                            *coding.coders, "majority",
                                            *(["auto"] if coding.has_key else [])]),
        auto_errors=frame(errors, ["unit_id", "article", "unit", "variable", "auto",
                                   "majority"]),
    )


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Rows as a table with fixed columns, floats rounded so the CSVs are the same bytes."""
    return pd.DataFrame(rows, columns=columns).round(_DIGITS)


def validate(sheets: Sequence[str | Path], key: str | Path | None = None, *,
             bootstrap: int = BOOTSTRAP, seed: int = SEED,
             confidence: float = CONFIDENCE) -> ValidationResult:
    """Read the coders' sheets (and the key) and compute every figure: the one-call API."""
    return agreement(read_coding(sheets, key), bootstrap=bootstrap, seed=seed,
                     confidence=confidence)
