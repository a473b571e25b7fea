"""What the validation report and the comparison report show of a validation result.

The notebooks stay short narratives by calling these: tables with each figure and its interval
in one readable cell, the provenance of the sheets and key, and one figure of alpha by variable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..load import sha256_file
from .agreement import THRESHOLDS, ValidationResult


def interval(value: float, low: float, high: float) -> str:
    """'0.743 [0.612, 0.857]', or '—' when the figure is undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    bounds = "" if any(b is None or math.isnan(b) for b in (low, high)) else \
        f" [{low:.3f}, {high:.3f}]"
    return f"{value:.3f}{bounds}"


def verdict(alpha: float) -> str:
    """Krippendorff's (2004) guide for a variable's alpha."""
    if alpha is None or math.isnan(alpha):
        return "undefined"
    if alpha >= THRESHOLDS[0]:
        return "reliable (α ≥ .800)"
    if alpha >= THRESHOLDS[1]:
        return "tentative (.667 ≤ α < .800)"
    return "unreliable (α < .667)"


def variables_table(result: ValidationResult) -> pd.DataFrame:
    """The codebook the coders worked with: each variable's level, codes and question."""
    return pd.DataFrame(
        [(v["name"], v["level"], "free text" if v["codes"] == "free" else ", ".join(v["codes"]),
          v["question"]) for v in result.meta["variables"]],
        columns=["variable", "level", "codes", "question"],
    )


def reliability_table(result: ValidationResult) -> pd.DataFrame:
    """Alpha per variable with its interval, percent agreement and the verdict."""
    table = result.reliability
    return pd.DataFrame({
        "variable": table["variable"],
        "level": table["level"],
        "units coded twice": table["pairable_units"],
        "agreement": table["percent_agreement"].map(
            lambda v: "—" if math.isnan(v) else f"{v:.1%}"),
        "alpha [95% CI]": [interval(*row) for row in
                           table[["alpha", "alpha_low", "alpha_high"]].itertuples(index=False)],
        "P(α < .800)": table["p_below_0.800"],
        "reading": table["alpha"].map(verdict),
    })


def automatic_table(result: ValidationResult) -> pd.DataFrame:
    """Accuracy and macro-F1 of research_kit's codes against the coders' majority."""
    table = result.automatic
    if table.empty:
        return pd.DataFrame(columns=["variable", "compared", "accuracy [95% CI]",
                                     "macro-F1 [95% CI]", "no majority", "no automatic code"])
    return pd.DataFrame({
        "variable": table["variable"],
        "compared": table["compared"],
        "accuracy [95% CI]": [interval(*r) for r in table[
            ["accuracy", "accuracy_low", "accuracy_high"]].itertuples(index=False)],
        "macro-F1 [95% CI]": [interval(*r) for r in table[
            ["macro_f1", "macro_f1_low", "macro_f1_high"]].itertuples(index=False)],
        "no majority": table["no_majority"],
        "no automatic code": table["no_auto_code"],
    })


def codes_table(result: ValidationResult) -> pd.DataFrame:
    """Precision, recall and F1 per code, for codes the coders or research_kit used."""
    table = result.automatic_codes
    table = table[(table["majority"] > 0) | (table["automatic"] > 0)] if not table.empty \
        else table
    return pd.DataFrame({
        "variable": table["variable"], "code": table["code"],
        "coders' majority": table["majority"], "research_kit": table["automatic"],
        **{
            f"{name} [95% CI]": [interval(*r) for r in table[
                [name, f"{name}_low", f"{name}_high"]].itertuples(index=False)]
            for name in ("precision", "recall", "f1")
        },
    })


def summary_table(result: ValidationResult) -> pd.DataFrame:
    """One row per variable: coders' alpha and the automatic codes' accuracy (comparison report)."""
    reliability = reliability_table(result)[["variable", "alpha [95% CI]", "reading"]]
    automatic = automatic_table(result)[["variable", "compared", "accuracy [95% CI]"]]
    return reliability.merge(automatic, on="variable", how="left").fillna("—")


def comparison_section(validation: str | Path | None) -> list[Any]:
    """What the comparison report shows of a validation: a caption and the summary table.

    `validation` is the folder `research-kit agreement --out` wrote (None: none was given).
    """
    from IPython.display import HTML

    from ..views import text_html
    from .agreement import load_validation

    if not validation:
        return [HTML(text_html("No validation was given (the report's validation parameter)."))]
    result = load_validation(validation)
    meta = result.meta
    caption = (f"{meta['units']} {meta['unit']} (sample {meta['sample_id']}) coded blind by "
               f"{len(meta['coders'])} coders; alpha between the coders, accuracy of "
               "research_kit's codes against their majority, with 95% intervals.")
    return [HTML(text_html(caption)), summary_table(result)]


def provenance(result: ValidationResult, root: Path | None = None) -> pd.DataFrame:
    """Which sheets and key, with their SHA-256, and how the figures were computed."""
    from ..reports.config import project_root
    from ..reports.provenance import git_state

    root = root or project_root()
    meta: Mapping[str, Any] = result.meta
    rows = [("research_kit", __version__),
            *((f"git_{k}", str(v)) for k, v in git_state(root).items()),
            ("unit", meta["unit"]), ("sample_id", str(meta["sample_id"])),
            ("units", str(meta["units"])), ("coders", ", ".join(meta["coders"]))]
    for name, source in meta["sources"].items():
        path = Path(source)
        digest = sha256_file(path) if path.is_file() else "(not found)"
        rows.append((f"{name} ({path.name})", digest))
    rows += [("bootstrap", f"{meta['bootstrap']} resamples, seed {meta['seed']}"),
             ("alpha interval", meta["alpha_interval"]),
             ("accuracy, precision, recall interval", meta["proportion_interval"]),
             ("F1 interval", meta["f1_interval"]), ("majority", meta["majority"])]
    return pd.DataFrame(rows, columns=["item", "value"])


SHORT_UNIT = 120
"""Characters of a unit's text shown in the report's tables (the sheets hold it whole)."""


def _short(text: object) -> str:
    text = "" if text is None or text != text else " ".join(str(text).split())
    return text if len(text) <= SHORT_UNIT else text[: SHORT_UNIT - 1] + "…"


def disagreements_table(result: ValidationResult) -> pd.DataFrame:
    """Each unit and variable the coders coded differently (blank: not coded), text shortened."""
    table = result.disagreements.drop(columns=["article"]).fillna("")
    return table.assign(unit=table["unit"].map(_short))


def auto_errors_table(result: ValidationResult) -> pd.DataFrame:
    """Each unit and variable where research_kit's code is not the coders' majority."""
    table = result.auto_errors.drop(columns=["article"]).fillna("")
    return table.assign(unit=table["unit"].map(_short))


METHODS = """\
- **Sample.** `research-kit sample` draws units with NumPy's seeded generator, stratified by a
  metadata column when asked (proportional allocation, largest remainders), and lists them in
  corpus order. The codebook (`research_kit/data/codebook.yml`, or the project's own) declares
  each variable, its level and its codes; research_kit's own codes stay in the key, so coders
  code blind.
- **Alpha.** Krippendorff's alpha from the units × values table of the coders' codes, computed
  with the `krippendorff` package; the tests reproduce the worked examples of Krippendorff's
  "Computing Krippendorff's Alpha-Reliability". Free-text codes (speaker names) are compared
  ignoring case and spacing, so two spellings of one name count as a disagreement.
- **Intervals.** Alpha's 95% interval is a percentile bootstrap that resamples units; Hayes and
  Krippendorff's (2007) KALPHA resamples pairs of values instead, so small samples can give
  slightly different intervals. Accuracy, precision and recall have Wilson score intervals; F1
  and macro-F1 percentile bootstrap intervals over the compared units.
- **Majority.** The code more than half of the coders who coded a unit chose, and at least two;
  with two coders, the code both chose. Units without one are not compared.
- **Scope.** A sample of extracted quotes or terms measures the precision of what research_kit
  found; what it missed altogether is measured on articles (`--unit articles`).
  `docs/validation.md` covers sample sizes, coder training and how to report the figures."""


def methods() -> Any:
    """The validation report's "Methods and known limits" text."""
    from IPython.display import Markdown

    return Markdown(METHODS)


REPORT_NOTEBOOK = "validation_report.ipynb"


def render_report(sheets: Sequence[str | Path], key: str | Path | None, out: Path, *,
                  bootstrap: int, seed: int, output: str = "validation_report") -> Any:
    """Run `notebooks/validation_report.ipynb` through the report runner into `out`.

    Paths are passed absolute, so the notebook finds the sheets from the project folder.
    """
    from ..reports import ReportRun, project_root, run_reports

    root = project_root()
    run = ReportRun(
        notebook=root / "notebooks" / REPORT_NOTEBOOK, output=output,
        parameters={"sheets": [str(Path(p).resolve()) for p in sheets],
                    "key": str(Path(key).resolve()) if key else None,
                    "bootstrap": bootstrap, "seed": seed},
    )
    out.mkdir(parents=True, exist_ok=True)
    return run_reports([run], out, force=True)[0]


def plot_alpha(result: ValidationResult) -> Any:
    """Alpha and its interval per variable, with Krippendorff's .667 and .800 marked."""
    import matplotlib.pyplot as plt

    table = result.reliability.dropna(subset=["alpha"])
    figure, axes = plt.subplots(figsize=(6.4, 0.5 + 0.45 * max(1, len(table))))
    positions = range(len(table))
    axes.errorbar(table["alpha"], positions,
                  xerr=[table["alpha"] - table["alpha_low"], table["alpha_high"] - table["alpha"]],
                  fmt="o", color="#1f4e79", capsize=3)
    for threshold in THRESHOLDS:
        axes.axvline(threshold, color="#999999", linestyle="--", linewidth=0.8)
    axes.set_yticks(list(positions), table["variable"])
    axes.set_xlim(min(-0.1, float(table["alpha_low"].min()) - 0.05) if len(table) else -0.1, 1.02)
    axes.invert_yaxis()
    axes.set_xlabel("Krippendorff's alpha (95% bootstrap interval)")
    figure.tight_layout()
    return axes
