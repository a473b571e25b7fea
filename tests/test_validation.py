"""Validation: samples, coding sheets, agreement, and Krippendorff's published worked examples.

The coders are synthetic: the tests fill the sheets `sample` writes, as a coder would in Excel
(XLSX, through openpyxl) or in a text editor (CSV), then read them back with `agreement`.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from openpyxl import load_workbook

import research_kit as rk
from conftest import MIRROR, RAW
from research_kit.cli import main
from research_kit.errors import ResearchKitError
from research_kit.validation import (
    draw_sample,
    load_codebook,
    load_validation,
    read_key,
    sample_size,
    validate,
    write_key,
    write_sheet,
)
from research_kit.validation.agreement import alpha, majority, wilson
from research_kit.validation.report import summary_table
from research_kit.validation.sample import allocate

N = float("nan")

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", worked examples A-C.
EXAMPLE_A = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0],  # binary data, two observers, no missing data
             [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
EXAMPLE_B = [list("aabbdcccedda"),  # nominal data, two observers (Ben, Gerry), no missing data
             list("babbbccceddd")]
EXAMPLE_C = [[1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],  # four observers, missing data
             [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
             [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
             [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]]
PUBLISHED = {"A": 0.095, "B": 0.692, "C nominal": 0.743, "C ordinal": 0.815}

CODEBOOK_YML = """\
units:
  quotes:
    description: A test codebook with the value scales of Krippendorff's examples.
    variables:
      - name: category
        question: Which category (a to e)?
        level: nominal
        codes: [a, b, c, d, e]
      - name: rating
        question: How strong, from 1 (lowest) to 5?
        level: ordinal
        codes: ["1", "2", "3", "4", "5"]
      - name: binary
        question: Present (1) or absent (0)?
        level: nominal
        codes: ["0", "1"]
"""


def counts(matrix: list[list], domain: list) -> np.ndarray:
    """Units × values counts of a coders × units matrix (NaN or None: not coded)."""
    table = np.zeros((len(matrix[0]), len(domain)))
    for row in matrix:
        for unit, value in enumerate(row):
            if value is not None and value == value:
                table[unit, domain.index(value)] += 1
    return table


def test_alpha_reproduces_krippendorffs_worked_examples() -> None:
    assert round(alpha(counts(EXAMPLE_A, [0, 1]), "nominal"), 3) == PUBLISHED["A"]
    assert round(alpha(counts(EXAMPLE_B, list("abcde")), "nominal"), 3) == PUBLISHED["B"]
    c = counts(EXAMPLE_C, [1, 2, 3, 4, 5])
    assert round(alpha(c, "nominal"), 3) == PUBLISHED["C nominal"]
    assert round(alpha(c, "ordinal"), 3) == PUBLISHED["C ordinal"]


def test_alpha_is_undefined_without_variation_or_pairs() -> None:
    assert math.isnan(alpha(counts([[1, 1, 1], [1, 1, 1]], [1, 2]), "nominal"))
    assert math.isnan(alpha(counts([[1, N, 2], [N, 2, N]], [1, 2]), "nominal"))


@pytest.fixture(scope="module")
def lexicon() -> rk.Lexicon:
    return rk.load_lexicon()


@pytest.fixture(scope="module")
def records(lexicon: rk.Lexicon) -> list[dict]:
    return rk.analyze([RAW], lexicon=lexicon)


@pytest.fixture(scope="module")
def codebook(lexicon: rk.Lexicon):
    return load_codebook(sides=[side.name for side in lexicon.sides])


@pytest.fixture
def test_codebook(tmp_path: Path):
    path = tmp_path / "codebook.yml"
    path.write_text(CODEBOOK_YML, "utf-8")
    return load_codebook(path)


def fill_xlsx(sheet: Path, out: Path, codes: dict[str, dict[str, object]]) -> Path:
    """A coder's work in Excel: codes typed into the sheet's cells (None leaves a cell blank)."""
    workbook = load_workbook(sheet)
    coding = workbook["coding"]
    header = [cell.value for cell in coding[1]]
    for row in coding.iter_rows(min_row=2):
        for variable, value in codes.get(row[0].value, {}).items():
            row[header.index(variable)].value = value
    workbook.save(out)
    return out


def fill_csv(sheet: Path, out: Path, codes: dict[str, dict[str, object]]) -> Path:
    with sheet.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for variable, value in codes.get(row["unit_id"], {}).items():
            row[variable] = "" if value is None else str(value)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def coder_codes(ids: list[str], variable: str, values: list, as_text=str) -> dict:
    return {uid: {variable: None if v is None or v != v else as_text(v)}
            for uid, v in zip(ids, values, strict=True)}


def test_round_trip_reproduces_example_c_from_xlsx_sheets(records, test_codebook,
                                                          tmp_path: Path) -> None:
    sample = draw_sample(records, "quotes", 12, seed=3, codebook=test_codebook)
    sheet, key = tmp_path / "sample.xlsx", tmp_path / "sample.key.json"
    write_sheet(sample, sheet)
    write_key(sample, key)
    ids = [u["unit_id"] for u in sample.units]
    assert len(ids) == 12
    sheets = []
    for number, row in enumerate(EXAMPLE_C):
        codes = coder_codes(ids, "rating", row, as_text=int)  # Excel stores typed digits as numbers
        for uid, value in zip(ids, row, strict=True):
            codes[uid]["category"] = None if value != value else "abcde"[int(value) - 1]
        sheets.append(fill_xlsx(sheet, tmp_path / f"coder{number}.xlsx", codes))
    result = validate(sheets, key, bootstrap=200, seed=1)
    table = result.reliability.set_index("variable")
    assert round(table.loc["category", "alpha"], 3) == PUBLISHED["C nominal"]
    assert round(table.loc["rating", "alpha"], 3) == PUBLISHED["C ordinal"]
    assert table.loc["rating", "level"] == "ordinal"
    assert table.loc["category", "alpha_low"] <= 0.743 <= table.loc["category", "alpha_high"]
    assert table.loc["category", "pairable_units"] == 11  # the twelfth unit has one value only
    assert table.loc["binary", "note"].startswith("undefined")
    # Without the key the XLSX sheets' own codebook gives the same reliability.
    keyless = validate(sheets, bootstrap=200, seed=1).reliability
    assert keyless["alpha"].tolist()[:2] == result.reliability["alpha"].tolist()[:2]
    assert validate(sheets, key, bootstrap=200, seed=1).reliability.equals(result.reliability)


def test_round_trip_reproduces_examples_a_and_b_from_csv_sheets(records, test_codebook,
                                                                tmp_path: Path) -> None:
    sample = draw_sample(records, "quotes", 12, seed=5, codebook=test_codebook)
    sheet, key = tmp_path / "sample.csv", tmp_path / "sample.key.json"
    write_sheet(sample, sheet)
    write_key(sample, key)
    ids = [u["unit_id"] for u in sample.units]
    sheets = []
    for number, (letters, binary) in enumerate(zip(EXAMPLE_B, EXAMPLE_A, strict=True)):
        codes = coder_codes(ids, "category", letters)
        for uid, value in zip(ids, [*binary, None, None], strict=True):
            codes[uid]["binary"] = value
        sheets.append(fill_csv(sheet, tmp_path / f"coder{number}.csv", codes))
    table = validate(sheets, key, bootstrap=100).reliability.set_index("variable")
    assert round(table.loc["category", "alpha"], 3) == PUBLISHED["B"]
    assert round(table.loc["binary", "alpha"], 3) == PUBLISHED["A"]
    assert table.loc["category", "percent_agreement"] == pytest.approx(9 / 12)


def test_sample_is_reproducible_and_blind(records, codebook, tmp_path: Path) -> None:
    first = draw_sample(records, "quotes", 10, seed=11, codebook=codebook, by="outlet")
    again = draw_sample(records, "quotes", 10, seed=11, codebook=codebook, by="outlet")
    other = draw_sample(records, "quotes", 10, seed=12, codebook=codebook, by="outlet")
    assert first.key() == again.key()
    assert first.sample_id != other.sample_id
    for name, sample in (("a", first), ("b", again)):
        write_sheet(sample, tmp_path / f"{name}.xlsx")
        write_sheet(sample, tmp_path / f"{name}.csv")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    sizes = {s["stratum"]: (s["population"], s["sampled"]) for s in first.strata}
    assert sum(p for p, _ in sizes.values()) == first.population == 24
    assert sum(n for _, n in sizes.values()) == 10
    assert all(n == round(10 * p / 24) for p, n in sizes.values())
    header = next(csv.reader((tmp_path / "a.csv").open(encoding="utf-8-sig")))
    assert header == ["unit_id", "article", "unit", "context", "is_quote", "speaker",
                      "speaker_type", "side", "notes"]
    unit = first.units[0]
    assert unit["unit"] in unit["context"][1] and unit["context"][1] == unit["unit"]
    keyed = first.key()["units"][0]
    assert keyed["auto"]["is_quote"] in ("yes", "no") and keyed["unit_id"] == "Q001"


def test_xlsx_sheet_has_drop_downs_codebook_and_highlight(records, codebook,
                                                          tmp_path: Path) -> None:
    sample = draw_sample(records, "terms", 8, seed=2, codebook=codebook)
    write_sheet(sample, tmp_path / "terms.xlsx", unblind=True)
    workbook = load_workbook(tmp_path / "terms.xlsx", rich_text=True)
    coding = workbook["coding"]
    header = [cell.value for cell in coding[1]]
    assert header[:5] == ["unit_id", "article", "unit", "context", "concept"]
    assert "auto_voice" in header  # unblind: the automatic codes are shown
    validations = {str(dv.sqref): dv.formula1 for dv in coding.data_validations.dataValidation}
    voice_column = "ABCDEFGHIJ"[header.index("voice")]
    assert validations[f"{voice_column}2:{voice_column}9"] == "'lists'!$B$2:$B$4"
    assert [c.value for c in workbook["lists"]["B"]] == ["voice", "headline", "authorial",
                                                         "quoted"]
    assert workbook["lists"].sheet_state == "hidden"
    context = coding.cell(row=2, column=4).value
    assert "⟦" in str(context) and any(getattr(part, "font", None) and part.font.b
                                      for part in context)
    info = {row[0].value: row[1].value for row in workbook["codebook"].iter_rows()}
    assert info["sample_id"] == sample.sample_id and info["unit"] == "terms"


def test_articles_unit_and_auto_codes(records, codebook) -> None:
    sample = draw_sample(records, "articles", 5, seed=0, codebook=codebook)
    assert len(sample.units) == 2 == sample.population  # fewer than asked: all are taken
    auto = {u["article"]: u["auto"] for u in sample.key()["units"]}
    for record in records:
        said = [q for q in record["quotes"] if q["kind"] != "scare"]
        band = auto[record["id"]]["quotations"]
        assert band == ("0" if not said else "1-3" if len(said) <= 3
                        else "4-10" if len(said) <= 10 else "more than 10")
        scare = any(q["kind"] == "scare" for q in record["quotes"])
        assert auto[record["id"]]["scare_quotes"] == ("yes" if scare else "no")


def test_allocation_is_proportional_with_largest_remainders() -> None:
    assert allocate([14, 10], 10) == [6, 4]
    assert allocate([1, 1, 1], 2) == [1, 1, 0]
    assert allocate([3, 2], 9) == [3, 2]
    assert sum(allocate([7, 11, 13, 2], 20)) == 20


def test_automatic_codes_against_majority(records, codebook, tmp_path: Path) -> None:
    sample = draw_sample(records, "quotes", 12, seed=4, codebook=codebook)
    sheet, key = tmp_path / "s.xlsx", tmp_path / "s.key.json"
    write_sheet(sample, sheet)
    write_key(sample, key)
    units = read_key(key)["units"]
    wrong = {u["unit_id"] for u in units[:2]}  # both coders disagree with the tool on two sides
    flip = {"none": "international"}
    codes = {
        u["unit_id"]: {
            "is_quote": u["auto"]["is_quote"],
            "speaker_type": u["auto"]["speaker_type"],
            "speaker": (u["auto"]["speaker"] or "").upper(),  # free text ignores case
            "side": flip.get(u["auto"]["side"], "none") if u["unit_id"] in wrong
            else u["auto"]["side"],
        }
        for u in units
    }
    sheets = [fill_xlsx(sheet, tmp_path / f"{name}.xlsx", codes) for name in ("ann", "ben")]
    result = validate(sheets, key, bootstrap=200)
    summary = result.automatic.set_index("variable")
    assert summary.loc["side", "accuracy"] == pytest.approx(10 / 12, abs=1e-4)
    z = 1.959964
    centre = (10 / 12 + z * z / 24) / (1 + z * z / 12)
    half = z / (1 + z * z / 12) * math.sqrt(10 / 12 * 2 / 12 / 12 + z * z / (4 * 144))
    assert summary.loc["side", "accuracy_low"] == pytest.approx(centre - half, abs=1e-4)
    assert summary.loc["side", "accuracy_high"] == pytest.approx(centre + half, abs=1e-4)
    assert summary.loc["is_quote", "accuracy"] == 1.0
    assert summary.loc["speaker", "accuracy"] == 1.0
    assert summary.loc["speaker_type", "accuracy"] == 1.0
    assert set(result.auto_errors["unit_id"]) == wrong
    assert result.disagreements.empty  # the two coders agree everywhere
    per_code = result.automatic_codes.set_index(["variable", "code"])
    yes = per_code.loc[("is_quote", "yes")]
    assert yes["precision"] == yes["recall"] == yes["f1"] == 1.0
    files = result.write(tmp_path / "validation")
    assert {f.name for f in files} >= {"reliability.csv", "automatic.csv", "validation.json"}
    loaded = load_validation(tmp_path / "validation")
    assert loaded.meta["coders"] == ["ann", "ben"]
    np.testing.assert_array_equal(loaded.automatic["accuracy"], result.automatic["accuracy"])
    summary = summary_table(loaded).set_index("variable")
    assert summary.loc["side", "accuracy [95% CI]"].startswith("0.833 [")
    assert summary.loc["speaker_type", "accuracy [95% CI]"].startswith("1.000 [")


def test_comparison_section_without_and_with_a_validation(tmp_path: Path) -> None:
    from research_kit.validation.report import comparison_section

    (caption,) = comparison_section(None)
    assert "No validation was given" in caption.data
    with pytest.raises(ResearchKitError, match="not a validation result folder"):
        comparison_section(tmp_path)


def test_majority_and_wilson() -> None:
    assert majority(["a", "a", "b"]) == "a"
    assert majority(["a", "b"]) is None
    assert majority(["a", None]) is None  # one coder is no majority
    assert majority(["a", "a", None]) == "a"
    assert wilson(0, 0, 0.95)[0] != wilson(0, 0, 0.95)[0]  # NaN without trials
    share, low, high = wilson(9, 10, 0.95)
    assert share == 0.9 and low == pytest.approx(0.5958, abs=1e-4)
    assert high == pytest.approx(0.9821, abs=1e-4)


def test_sample_size_for_a_target_interval() -> None:
    assert sample_size(0.9, 0.05) == 139
    assert sample_size(0.5, 0.05) == 385
    with pytest.raises(ResearchKitError):
        sample_size(1.2, 0.05)


@pytest.fixture
def coded(records, codebook, tmp_path: Path) -> tuple[Path, Path, list[dict]]:
    sample = draw_sample(records, "quotes", 6, seed=9, codebook=codebook)
    sheet, key = tmp_path / "s.xlsx", tmp_path / "s.key.json"
    write_sheet(sample, sheet)
    write_key(sample, key)
    return sheet, key, read_key(key)["units"]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def error_line(capsys, *argv: str) -> str:
    status, _, err = run_cli(capsys, *argv)
    assert status == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    return err.strip()


def test_bad_sheets_are_one_line_errors(coded, capsys, tmp_path: Path) -> None:
    sheet, key, units = coded
    good = fill_xlsx(sheet, tmp_path / "good.xlsx", {units[0]["unit_id"]: {"is_quote": "yes"}})
    workbook = load_workbook(sheet)
    workbook["coding"].delete_rows(3)
    workbook.save(tmp_path / "missing.xlsx")
    err = error_line(capsys, "agreement", str(good), str(tmp_path / "missing.xlsx"),
                     "--key", str(key))
    assert "missing.xlsx" in err and "1 unit(s) of the sample missing: Q002" in err
    workbook = load_workbook(sheet)
    workbook["coding"]["A2"] = "Q999"
    workbook.save(tmp_path / "edited.xlsx")
    err = error_line(capsys, "agreement", str(good), str(tmp_path / "edited.xlsx"),
                     "--key", str(key))
    assert "unknown unit id(s) Q999" in err and "missing: Q001" in err
    workbook = load_workbook(sheet)
    workbook["coding"]["A2"], workbook["coding"]["A3"] = "Q002", "Q001"  # ids swapped
    workbook.save(tmp_path / "swapped.xlsx")
    err = error_line(capsys, "agreement", str(good), str(tmp_path / "swapped.xlsx"),
                     "--key", str(key))
    assert "row 2 (Q002): the unit text is not the sample's" in err
    typo = fill_xlsx(sheet, tmp_path / "typo.xlsx", {units[1]["unit_id"]: {"side": "armenain"}})
    err = error_line(capsys, "agreement", str(good), str(typo), "--key", str(key))
    assert "row 3 (Q002), side: unknown code 'armenain' (allowed: azerbaijani_government" in err
    err = error_line(capsys, "agreement", str(good))
    assert "at least two coders" in err
    csv_sheet = tmp_path / "s.csv"
    csv_sheet.write_text("unit_id,unit\n", "utf-8")
    err = error_line(capsys, "agreement", str(csv_sheet), str(good))
    assert "s.csv: this sheet carries no codebook" in err and "--key" in err


def test_another_samples_sheet_is_refused(records, codebook, coded, capsys,
                                          tmp_path: Path) -> None:
    sheet, key, _ = coded
    other = draw_sample(records, "quotes", 6, seed=10, codebook=codebook)
    write_sheet(other, tmp_path / "other.xlsx")
    err = error_line(capsys, "agreement", str(sheet), str(tmp_path / "other.xlsx"),
                     "--key", str(key))
    assert "other.xlsx: coded another sample" in err


def test_codebook_schema_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    cases = [
        ({"level": "interval"}, "level 'interval' must be one of nominal, ordinal"),
        ({"colour": "red"}, "unknown key(s) ['colour']"),
        ({"auto": {"column": "kind", "map": {"scare": "maybe"}}}, "code 'maybe' is not one of"),
        ({"codes": "free"}, "an ordinal variable needs a list of codes"),
        ({"codes": ["1", "1"]}, "a code is listed twice"),
    ]
    for change, message in cases:
        data = yaml.safe_load(CODEBOOK_YML)
        data["units"]["quotes"]["variables"][1].update(change)
        path.write_text(yaml.safe_dump(data), "utf-8")
        with pytest.raises(ResearchKitError, match="variable 'rating'") as caught:
            load_codebook(path)
        assert message in str(caught.value) and str(path) in str(caught.value)


def test_cli_sample_writes_sheet_and_key(capsys, tmp_path: Path) -> None:
    out = tmp_path / "quotes.csv"
    status, _, err = run_cli(capsys, "sample", str(RAW), "--unit", "quotes", "--n", "5",
                             "--seed", "1", "--by", "outlet", "--out", str(out))
    assert status == 0
    assert "wrote 5 of 24 quotes" in err
    key = json.loads((tmp_path / "quotes.key.json").read_text("utf-8"))
    assert key["by"] == "outlet" and len(key["units"]) == 5
    assert "auto" not in out.read_text("utf-8-sig").splitlines()[0]
    err = error_line(capsys, "sample", str(RAW), "--unit", "quotes", "--n", "5", "--seed", "1",
                     "--out", str(tmp_path / "x.txt"))
    assert "unsupported output type '.txt'; use one of .xlsx, .csv" in err


@pytest.mark.slow
def test_validation_report_renders_for_the_seeds_quotes(records, codebook,
                                                        tmp_path: Path) -> None:
    """Two synthetic coders of 12 seed quotes: `agreement --report` renders the validation report
    through the report runner, and the comparison report shows the validation's summary."""
    from conftest import ROOT
    from research_kit.reports import ReportRun, run_reports

    sample = draw_sample(records, "quotes", 12, seed=1, codebook=codebook, by="outlet")
    sheet, key = tmp_path / "quotes.xlsx", tmp_path / "quotes.key.json"
    write_sheet(sample, sheet)
    write_key(sample, key)
    units = read_key(key)["units"]
    first = {u["unit_id"]: {**u["auto"], "speaker_type": "person"} for u in units}
    second = {uid: dict(codes) for uid, codes in first.items()}
    for uid in list(second)[::4]:  # the second coder disagrees on every fourth unit's side
        second[uid]["side"] = "international" if first[uid]["side"] == "none" else "none"
    second[units[1]["unit_id"]]["speaker_type"] = "organization"
    sheets = [fill_xlsx(sheet, tmp_path / "coder_a.xlsx", first),
              fill_xlsx(sheet, tmp_path / "coder_b.xlsx", second)]
    out = tmp_path / "out"
    status = main(["agreement", *map(str, sheets), "--key", str(key), "--out", str(out),
                   "--bootstrap", "200", "--report"])
    assert status == 0
    html = (out / "validation_report.html").read_text("utf-8")
    assert "Reliability between coders" in html and "Krippendorff" in html
    assert units[0]["unit_id"] in html  # the first unit's side disagreement is listed
    assert "coder_a, coder_b" in html
    assert (out / "validation_report.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "reliability.csv").is_file()
    # The comparison report carries the same validation's figures when given its folder.
    comparison = ReportRun(notebook=ROOT / "notebooks" / "comparison_report.ipynb",
                           output="comparison_validated",
                           parameters={"validation": str(out)})
    [result] = run_reports([comparison], out, force=True)
    assert result.status == "executed", result.error
    html = (out / "comparison_validated.html").read_text("utf-8")
    assert f"(sample {sample.sample_id}) coded blind by 2 coders" in html
    assert "accuracy [95% CI]" in html


def test_sheets_keys_and_tables_are_never_written_into_raw_data(coded, capsys) -> None:
    sheet, key, _ = coded
    err = error_line(capsys, "sample", str(RAW), "--unit", "quotes", "--n", "5", "--seed", "1",
                     "--out", str(RAW / "sheet.xlsx"))
    assert "inside the input folder" in err
    err = error_line(capsys, "sample", str(RAW / f"{MIRROR}.txt"), "--unit", "quotes", "--n",
                     "5", "--seed", "1", "--out", str(sheet), "--key", str(RAW / "k.json"))
    assert "manifest: raw data is never written to" in err
    shutil.copyfile(sheet, sheet.with_name("copy.xlsx"))
    err = error_line(capsys, "agreement", str(sheet), str(sheet.with_name("copy.xlsx")),
                     "--key", str(key), "--out", str(RAW / "validation"))
    assert "raw data is never written to" in err
    assert not (RAW / "sheet.xlsx").exists() and not (RAW / "validation").exists()
    err = error_line(capsys, "agreement", str(sheet), str(sheet.with_name("copy.xlsx")),
                     "--key", str(key), "--report")
    assert "--report needs --out FOLDER" in err
