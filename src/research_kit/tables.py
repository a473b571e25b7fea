"""Corpus tables: article records as tidy pandas DataFrames and as files (JSONL, CSV, Parquet).

Writers take an iterable of records and write as they go, so a corpus never has to fit in memory.
In CSV and Parquet, one row is one article; fields that hold lists or mappings (paragraphs,
removed, ...) are stored as JSON text in their column, so every format carries the whole record.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from .errors import ResearchKitError
from .interrupts import check as check_interrupt
from .load import MANIFEST_NAME
from .records import ARTICLE_COLUMNS, QUOTE_COLUMNS, RECORD_FIELDS, TERM_COLUMNS

OUTPUT_SUFFIXES = (".jsonl", ".csv", ".parquet")
PARQUET_BATCH = 1000


def record_json(record: dict[str, Any], indent: int | None = None) -> str:
    """One record as JSON: UTF-8 text kept readable, keys in schema order, same bytes every run.

    Strict JSON: a NaN or infinity raises `ValueError` rather than writing what JSON readers reject.
    """
    return json.dumps(record, ensure_ascii=False, indent=indent, allow_nan=False)


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record with nested values as JSON text: one CSV or Parquet row."""
    return {
        key: json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
        for key, value in record.items()
    }


def _frame(rows: Any, columns: list[str] | None = None) -> pd.DataFrame:
    """A DataFrame; pandas is imported here, so writing JSONL never pays for it."""
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def articles_frame(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per article: metadata and sizes (lists such as quotes live in their own tables)."""
    rows = [
        {
            **{key: record.get(key) for key in ARTICLE_COLUMNS},
            "words": record["readability"]["words"] if "readability" in record
            else len(record["body"].split()),
            "paragraphs": len(record["paragraphs"]),
            "removed": len(record["removed"]),
            "quotes": len(record.get("quotes", [])),
            "terms": len(record.get("terms", [])),
            "warnings": len(record["warnings"]),
        }
        for record in records
    ]
    return _frame(rows, columns=[*ARTICLE_COLUMNS, "words", "paragraphs", "removed",
                                       "quotes", "terms", "warnings"])


def removals_frame(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per line the cleaning took out of a body: the audit log of the whole corpus."""
    rows = [{"id": r["id"], **removal} for r in records for removal in r["removed"]]
    return _frame(rows, columns=["id", "text", "rule", "action", "field", "line"])


def quotes_frame(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per quotation or reported statement, with its article, outlet and word count."""
    rows = [
        {"id": r["id"], "outlet": r.get("outlet"), **{k: q.get(k) for k in QUOTE_COLUMNS},
         "words": len(q["text"].split())}
        for r in records
        for q in r.get("quotes", [])
    ]
    return _frame(rows, columns=["id", "outlet", *QUOTE_COLUMNS, "words"])


def terms_frame(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per lexicon match, with its article and outlet."""
    rows = [
        {"id": r["id"], "outlet": r.get("outlet"), **{k: t.get(k) for k in TERM_COLUMNS}}
        for r in records
        for t in r.get("terms", [])
    ]
    return _frame(rows, columns=["id", "outlet", *TERM_COLUMNS])


def readability_frame(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """One row per article with every readability score and count."""
    rows = [{"id": r["id"], "outlet": r.get("outlet"), **r["readability"]} for r in records]
    return _frame(rows)


def check_output(
    path: str | Path, inputs: Iterable[str | Path] = (), suffixes: Sequence[str] = OUTPUT_SUFFIXES
) -> Path:
    """Refuse an output path that would lose data, before anything is read or written.

    Refused: a folder; a path in a missing folder; one of `inputs` (it would be truncated);
    a path inside an input folder (the run would read its own growing output); and any path
    inside a folder that has a `SHA256SUMS` manifest (raw data is never written to).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise ResearchKitError("is a folder; --out needs a file name", str(path))
    if suffix not in suffixes:
        raise ResearchKitError(
            f"unsupported output type {suffix or '(none)'!r}; "
            f"use one of {', '.join(suffixes)}",
            str(path),
        )
    folder = path.parent.resolve()
    if not folder.is_dir():
        raise ResearchKitError("output folder does not exist", str(path))
    target = folder / path.name
    for given in inputs:
        source = Path(given).resolve()
        if source == target:
            raise ResearchKitError("is one of the inputs; refusing to overwrite it", str(path))
        if source.is_dir() and target.is_relative_to(source):
            raise ResearchKitError(
                f"is inside the input folder {given}; the run would read its own output",
                str(path),
            )
    for ancestor in (folder, *folder.parents):
        if (ancestor / MANIFEST_NAME).is_file():
            raise ResearchKitError(
                f"{ancestor} has a {MANIFEST_NAME} manifest: raw data is never written to",
                str(path),
            )
    return path


def write_records(
    records: Iterable[dict[str, Any]], path: str | Path, *, inputs: Iterable[str | Path] = ()
) -> int:
    """Write records to `path` as the suffix says, streaming; returns how many were written.

    The records go to a hidden temporary file in the same folder, renamed over `path` only when
    every record is written: a failed or interrupted run leaves the previous output as it was.
    `path` is checked with `check_output` first.
    """
    path = check_output(path, inputs)
    suffix = path.suffix.lower()
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
    except OSError as exc:
        raise ResearchKitError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    os.close(handle)
    try:
        if suffix == ".parquet":
            count = _write_parquet(records, Path(temporary))
        else:
            with open(temporary, "w", encoding="utf-8", newline="") as out:
                count = (_write_jsonl if suffix == ".jsonl" else _write_csv)(records, out)
        os.chmod(temporary, 0o666 & ~_umask())
        check_interrupt()  # a swallowed Ctrl-C still keeps the previous output
        os.replace(temporary, path)
    except OSError as exc:
        raise ResearchKitError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return count


def _umask() -> int:
    """The process umask (read by setting and restoring it): mkstemp files are private."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_jsonl(records: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    count = 0
    for record in records:
        handle.write(record_json(record) + "\n")
        count += 1
    return count


def _write_csv(records: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    writer = csv.DictWriter(handle, fieldnames=RECORD_FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(flat_row(record))
        count += 1
    return count


def _batches(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(flat_row(record))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_parquet(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Parquet with one string column per record field (nested fields as JSON text)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(key, pa.string()) for key in RECORD_FIELDS])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        for batch in _batches(records, PARQUET_BATCH):
            columns = {
                name: [None if row[name] is None else str(row[name]) for row in batch]
                for name in RECORD_FIELDS
            }
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            count += len(batch)
    return count
