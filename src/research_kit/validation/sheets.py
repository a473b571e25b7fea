"""Coding sheets: written for coders (XLSX with drop-down lists, or CSV) and read back, checked.

A sheet has one row per sampled unit: `unit_id`, `article`, `unit` (the text coded), `context`
(the paragraph with the unit between ⟦ and ⟧; bold red in XLSX), `concept` for terms, one empty
column per codebook variable and `notes`. The automatic codes are not in it (blind coding) unless
asked for (`auto_<variable>` columns, for training or adjudication).

An XLSX sheet also carries its codebook (a `codebook` worksheet with every question and the
sample id, and a hidden `lists` worksheet the drop-downs point at), so it can be read without the
key. Reading checks a coder's sheet against the sample: ids, unit texts and codes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ResearchKitError
from .codebook import Variable
from .sample import Sample

SHEET_SUFFIXES = (".xlsx", ".csv")
OPEN, CLOSE = "⟦", "⟧"
CODING, CODEBOOK, LISTS = "coding", "codebook", "lists"
NOTES = "notes"
AUTO_PREFIX = "auto_"
EXCEL_CELL_LIMIT = 32_767
_TRUNCATED = " … [truncated: the rest is in the article]"
_FIXED_TIME = datetime(1980, 1, 1)  # the earliest time a ZIP entry can carry: same bytes every run
_SHOWN_LIMIT = 5
"""How many problems one error line names before saying how many more there are."""


def fixed_columns(unit: str) -> list[str]:
    return ["unit_id", "article", "unit", "context", *(["concept"] if unit == "terms" else [])]


def _context_parts(row: Mapping[str, Any]) -> tuple[str, str, str]:
    """(before, unit, after), shortened to fit a spreadsheet cell (articles can be long)."""
    before, unit, after = row["context"]
    room = EXCEL_CELL_LIMIT - len(_TRUNCATED) - len(OPEN) - len(CLOSE)
    if len(before) + len(unit) + len(after) > room:
        before = before[-room // 4:] if len(before) > room // 4 else before
        after = after[: max(0, room - len(before) - len(unit))] + _TRUNCATED
    return before, unit, after


def context_text(row: Mapping[str, Any]) -> str:
    before, unit, after = _context_parts(row)
    return f"{before}{OPEN}{unit}{CLOSE}{after}" if unit else before + after


def sheet_rows(sample: Sample, unblind: bool = False) -> tuple[list[str], list[dict[str, Any]]]:
    """Header and rows of a sample's coding sheet (coded columns empty)."""
    names = [v.name for v in sample.variables]
    auto_names = [f"{AUTO_PREFIX}{n}" for n in names] if unblind else []
    header = [*fixed_columns(sample.unit), *names, NOTES, *auto_names]
    key = {u["unit_id"]: u["auto"] for u in sample.key()["units"]}
    rows = []
    for unit in sample.units:
        row: dict[str, Any] = {
            "unit_id": unit["unit_id"], "article": unit["article"], "unit": unit["unit"],
            "context": context_text(unit), **dict.fromkeys([*names, NOTES], ""),
        }
        if sample.unit == "terms":
            row["concept"] = f"{unit['term']} ({unit['category']})"
        for name in names if unblind else ():
            row[f"{AUTO_PREFIX}{name}"] = key[unit["unit_id"]][name] or ""
        rows.append(row)
    return header, rows


def check_sheet_path(path: str | Path, inputs: Sequence[str | Path] = ()) -> Path:
    """A path a sheet may be written to, checked before a corpus is analysed for it.

    As for `analyze --out`: not an input, not inside an input folder, never in raw data.
    """
    from ..tables import check_output

    return check_output(path, inputs, suffixes=SHEET_SUFFIXES)


def write_sheet(sample: Sample, path: str | Path, unblind: bool = False) -> None:
    """Write the coding sheet as the suffix says (.xlsx or .csv)."""
    path = Path(path)
    if path.suffix.lower() not in SHEET_SUFFIXES:
        raise ResearchKitError("a coding sheet must be .xlsx or .csv", str(path))
    header, rows = sheet_rows(sample, unblind)
    if path.suffix.lower() == ".csv":
        # UTF-8 with a byte-order mark: Excel then shows curly quotes and accents correctly.
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        return
    path.write_bytes(_xlsx(sample, header, rows))


def _xlsx(sample: Sample, header: list[str], rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = CODING
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    highlight = InlineFont(b=True, color="C00000")
    for unit, row in zip(sample.units, rows, strict=True):
        sheet.append([row[name] for name in header])
        before, text, after = _context_parts(unit)
        if text:
            cell = sheet.cell(row=sheet.max_row, column=header.index("context") + 1)
            cell.value = CellRichText(
                *[p for p in (before, OPEN, TextBlock(highlight, text), CLOSE, after) if p]
            )
    widths = {"unit_id": 8, "article": 28, "unit": 40, "context": 90, "concept": 24, NOTES: 30}
    for number, name in enumerate(header, 1):
        sheet.column_dimensions[get_column_letter(number)].width = widths.get(name, 16)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = wrap
    sheet.freeze_panes = "B2"

    lists = workbook.create_sheet(LISTS)
    listed = [v for v in sample.variables if not v.free]
    for column, variable in enumerate(listed, 1):
        lists.cell(row=1, column=column, value=variable.name)
        for number, code in enumerate(variable.codes or (), 2):
            lists.cell(row=number, column=column, value=code)
        letter, last = get_column_letter(column), len(variable.codes or ()) + 1
        validation = DataValidation(
            type="list", allow_blank=True, showErrorMessage=True, showInputMessage=True,
            formula1=f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${last}",
            errorTitle="Not a code of this variable", error="Pick a code from the list.",
            promptTitle=variable.name[:32], prompt=variable.question[:255],
        )
        target = get_column_letter(header.index(variable.name) + 1)
        validation.add(f"{target}2:{target}{len(rows) + 1}")
        sheet.add_data_validation(validation)
    lists.sheet_state = "hidden"

    book = workbook.create_sheet(CODEBOOK)
    for line in (
        ("unit", sample.unit),
        ("sample_id", sample.sample_id),
        ("units", str(len(sample.units))),
        ("instructions", "Code every row on the coding sheet from its unit and context only. "
                         "Leave a cell blank when you cannot decide; do not edit unit_id, "
                         "article, unit or context; use notes for doubts."),
        (),
        ("variable", "level", "codes", "question"),
        *((v.name, v.level, "free text" if v.free else " | ".join(v.codes or ()), v.question)
          for v in sample.variables),
    ):
        book.append(list(line))
    for cell in book[6]:
        cell.font = Font(bold=True)
    book.column_dimensions["A"].width = 18
    book.column_dimensions["D"].width = 100

    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()  # not save_workbook: that stamps the current time
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same archive with every entry dated `_FIXED_TIME`, so equal sheets are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            target.writestr(entry, source.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class CodedSheet:
    """One coder's sheet as read: rows as texts, and what an XLSX sheet says of its sample."""

    path: Path
    coder: str
    header: list[str]
    rows: list[dict[str, str]]
    sample_id: str | None = None
    unit: str | None = None
    variables: tuple[Variable, ...] = field(default_factory=tuple)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a coder typing 4 into a cell gets the number 4.0 back
    return str(value)


def read_sheet(path: str | Path, coder: str | None = None) -> CodedSheet:
    """Read a coding sheet (.xlsx or .csv); one-line errors for files that are not one."""
    path = Path(path)
    if not path.is_file():
        raise ResearchKitError("no such sheet", str(path))
    suffix = path.suffix.lower()
    if suffix not in SHEET_SUFFIXES:
        raise ResearchKitError("a coding sheet must be .xlsx or .csv", str(path))
    coder = coder or path.stem
    if suffix == ".csv":
        header, rows = _read_csv(path)
        return CodedSheet(path, coder, header, rows)
    return _read_xlsx(path, coder)


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise ResearchKitError("not UTF-8 text; save the sheet as 'CSV UTF-8'", str(path)) from None
    first = text.split("\n", 1)[0]
    # Excel in some locales saves CSV with semicolons: take whichever separates the header.
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = [line for line in reader if any(cell.strip() for cell in line)]
    if not lines:
        raise ResearchKitError("empty sheet", str(path))
    header = [name.strip() for name in lines[0]]
    return header, [dict(zip(header, [*line, *[""] * len(header)], strict=False))
                    for line in lines[1:]]


def _read_xlsx(path: Path, coder: str) -> CodedSheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ResearchKitError(f"cannot read as XLSX ({type(exc).__name__})", str(path)) from None
    try:
        if CODING not in workbook.sheetnames:
            raise ResearchKitError(f"no worksheet named {CODING!r}", str(path))
        lines = [[_cell_text(v) for v in line]
                 for line in workbook[CODING].iter_rows(values_only=True)]
        lines = [line for line in lines if any(cell.strip() for cell in line)]
        if not lines:
            raise ResearchKitError("empty sheet", str(path))
        header = [name.strip() for name in lines[0]]
        rows = [dict(zip(header, line, strict=False)) for line in lines[1:]]
        info, variables = _read_codebook(workbook)
    finally:
        workbook.close()
    return CodedSheet(path, coder, header, rows, sample_id=info.get("sample_id"),
                      unit=info.get("unit"), variables=variables)


def _read_codebook(workbook: Any) -> tuple[dict[str, str], tuple[Variable, ...]]:
    """The sample facts and variables an XLSX sheet was written with (empty if it has none)."""
    if CODEBOOK not in workbook.sheetnames:
        return {}, ()
    lines = [[_cell_text(v) for v in line]
             for line in workbook[CODEBOOK].iter_rows(values_only=True)]
    info = {line[0]: line[1] for line in lines if len(line) > 1 and line[0]}
    lists: dict[str, list[str]] = {}
    if LISTS in workbook.sheetnames:
        columns = list(zip(*workbook[LISTS].iter_rows(values_only=True), strict=False))
        lists = {str(col[0]): [_cell_text(v) for v in col[1:] if v is not None]
                 for col in columns if col and col[0]}
    try:
        start = next(i for i, line in enumerate(lines) if line[:2] == ["variable", "level"])
    except StopIteration:
        return info, ()
    variables = tuple(
        Variable(line[0], line[3] if len(line) > 3 else "", line[1],
                 tuple(lists[line[0]]) if line[0] in lists else None)
        for line in lines[start + 1:] if line and line[0]
    )
    return info, variables


def _problems(path: Path, problems: Sequence[str]) -> ResearchKitError:
    shown = "; ".join(problems[:_SHOWN_LIMIT])
    more = len(problems) - _SHOWN_LIMIT
    return ResearchKitError(shown + (f"; and {more} more problem(s)" if more > 0 else ""),
                            str(path))


def _names(ids: Sequence[str]) -> str:
    listed = ", ".join(ids[:8])
    return listed + (f" … ({len(ids)} in all)" if len(ids) > 8 else "")


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def check_sheet(
    sheet: CodedSheet,
    units: Sequence[Mapping[str, Any]],
    variables: Sequence[Variable],
    sample_id: str | None = None,
) -> dict[str, dict[str, str | None]]:
    """A coder's codes by unit id and variable, after checking the sheet codes `units`.

    Raises one line naming the sheet and its problems: another sample, missing columns, missing,
    duplicated or unknown unit ids, changed unit texts (an edited id), codes not in the codebook.
    """
    if sample_id and sheet.sample_id and sheet.sample_id != sample_id:
        raise ResearchKitError(
            f"coded another sample (sample id {sheet.sample_id}, expected {sample_id})",
            str(sheet.path),
        )
    missing_columns = [c for c in ("unit_id", "unit", *(v.name for v in variables))
                       if c not in sheet.header]
    if missing_columns:
        raise ResearchKitError(f"missing column(s): {', '.join(missing_columns)}",
                               str(sheet.path))
    expected = {u["unit_id"]: u for u in units}
    seen: dict[str, int] = {}
    problems: list[str] = []
    ids = [" ".join(row.get("unit_id", "").split()) for row in sheet.rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"unit id(s) on more than one row: {_names(duplicates)}")
    unknown = [i for i in ids if i not in expected]
    if unknown:
        problems.append(f"unknown unit id(s) {_names(unknown)} (edited ids or added rows?)")
    missing = [i for i in expected if i not in ids]
    if missing:
        problems.append(f"{len(missing)} unit(s) of the sample missing: {_names(missing)}")
    codes: dict[str, dict[str, str | None]] = {}
    for number, (unit_id, row) in enumerate(zip(ids, sheet.rows, strict=True), 2):
        if unit_id not in expected or unit_id in seen:
            continue
        seen[unit_id] = number
        if not _same_text(row.get("unit", ""), expected[unit_id]["unit"]):
            problems.append(f"row {number} ({unit_id}): the unit text is not the sample's "
                            "(was the id edited or the row moved?)")
            continue
        codes[unit_id] = {}
        for variable in variables:
            try:
                codes[unit_id][variable.name] = variable.canonical(row.get(variable.name, ""))
            except ValueError as exc:
                problems.append(
                    f"row {number} ({unit_id}), {variable.name}: unknown code {str(exc)!r} "
                    f"(allowed: {', '.join(variable.codes or ())})"
                )
    if problems:
        raise _problems(sheet.path, problems)
    return codes


def coder_names(paths: Sequence[str | Path]) -> list[str]:
    """Coders are named by their sheets' file names, with folders added when names collide."""
    paths = [Path(p) for p in paths]
    names = [p.stem for p in paths]
    if len(set(names)) < len(names):
        names = [p.with_suffix("").as_posix() for p in paths]
    return names
