"""Load stage: read a corpus from files into `Document`s, verifying raw data against its manifest.

A corpus is any mix of paths: folders (searched recursively), `.txt` pastes, `.html`/`.htm` pages,
and `.jsonl`/`.csv`/`.parquet` tables with a text column. Reading is lazy, one document at a time
(Parquet in row batches), so a corpus of any size streams in bounded memory. A file that cannot
be read does not stop the others: `iter_documents` yields a `ResearchKitError` in its place and
the caller decides whether that is fatal.

Folders may hold two sidecar files, which are never analysed as articles:
- `SHA256SUMS` (the format of `sha256sum`): every file in the folder must match it; a changed,
  missing or unlisted file is an error, never silently analysed.
- `metadata.yml`: per-file metadata (outlet, publisher, author, date, ...), see the README.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import json
import math
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import schema
from .errors import ResearchKitError
from .records import META_FIELDS, RECORD_FIELDS
from .schema import describe

MANIFEST_NAME = "SHA256SUMS"
METADATA_NAME = "metadata.yml"
TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
TABLE_SUFFIXES = frozenset({".jsonl", ".csv", ".parquet"})
EXPORT_SUFFIXES = frozenset({".docx", ".rtf"})
"""Database exports in Word or RTF (see `exports`); `.txt` and `.html` exports are sniffed."""
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES | EXPORT_SUFFIXES
MAX_BYTES = 20 * 1024 * 1024
"""Largest article file read; news articles are kilobytes, so anything larger is an export gone
wrong (use .jsonl, .csv or .parquet for many articles in one file)."""

METADATA_FIELDS = META_FIELDS
# Record fields that are results of the analysis, not input: never read as a table's metadata.
_ANALYSIS_FIELDS = frozenset(RECORD_FIELDS) - {"id", "title", *META_FIELDS}
TEXT_COLUMNS = ("text", "body", "content", "article")
"""Column names tried, in order, for the article text of a `.jsonl`, `.csv` or `.parquet` table."""
PARQUET_BATCH_ROWS = 256
"""Rows read from a Parquet file at a time: a few hundred articles, so memory stays small."""


@dataclass(slots=True)
class Document:
    """One article as read from disk, before cleaning; `text` is decoded but otherwise verbatim."""

    id: str
    path: str
    format: str
    text: str
    title: str | None = None
    comments: str | None = None
    """Reader comments found on a web page: kept in the record, never part of the body."""
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    """Lines the reader took out before cleaning (a database export's own lines), logged."""


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks so large files need little memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_MANIFEST_LINE = re.compile(r"(?P<escaped>\\)?(?P<digest>[0-9a-fA-F]{64}) [ *](?P<name>.+)")
_ESCAPES = {"\\\\": "\\", "\\n": "\n", "\\r": "\r"}


def _manifest_line(digest: str, name: str) -> str:
    """One line as `sha256sum` writes it: a name with a backslash, newline or carriage return
    has those escaped and the line a leading backslash (see `read_manifest`)."""
    if not any(ch in name for ch in "\\\n\r"):
        return f"{digest}  {name}\n"
    escaped = name.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return f"\\{digest}  {escaped}\n"


def manifest_lines(folder: Path) -> str:
    """The `SHA256SUMS` text for every file in `folder`; printed, never written, by the CLI.

    Written as `sha256sum` writes it, escapes included, so `sha256sum -c` and `read_manifest`
    both accept it.
    """
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != MANIFEST_NAME)
    return "".join(_manifest_line(sha256_file(p), p.name) for p in files)


def _sidecar_present(path: Path) -> bool:
    """Whether a folder has this sidecar file; one that is not a regular file (a folder, a FIFO)
    is refused rather than passed over, so a manifest cannot be skipped in silence."""
    if path.is_file():
        return True
    if os.path.lexists(path):
        raise ResearchKitError("not a regular file; a sidecar file must be one", str(path))
    return False


def read_manifest(folder: Path) -> dict[str, str] | None:
    """File name → expected SHA-256 from `folder/SHA256SUMS`, or None when there is no manifest.

    Accepts what `sha256sum` writes: text (`HASH  name`) and binary (`HASH *name`) lines, and
    escaped lines (a leading backslash; `\\\\`, `\\n`, `\\r` in the name).
    """
    path = folder / MANIFEST_NAME
    if not _sidecar_present(path):
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ResearchKitError(
            f"not UTF-8 text (byte {exc.start}); regenerate it with `research-kit manifest`",
            str(path),
        ) from None
    except OSError as exc:
        raise ResearchKitError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    expected: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        match = _MANIFEST_LINE.fullmatch(line)
        if not match:
            raise ResearchKitError(f"line {number} is not '<sha256>  <file name>'", str(path))
        name = match["name"]
        if match["escaped"]:
            name = re.sub(r"\\[\\nr]", lambda m: _ESCAPES[m[0]], name)
        expected[name] = match["digest"].lower()
    return expected


def verify_manifest(folder: Path) -> dict[str, ResearchKitError]:
    """Check `folder` against its manifest: file name → error for every file that fails."""
    expected = read_manifest(folder)
    if expected is None:
        return {}
    problems: dict[str, ResearchKitError] = {}
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != MANIFEST_NAME}
    for name, digest in expected.items():
        path = folder / name
        if name not in present:
            problems[name] = ResearchKitError(f"listed in {MANIFEST_NAME} but missing", str(path))
        elif sha256_file(path) != digest:
            problems[name] = ResearchKitError(
                f"SHA-256 does not match {MANIFEST_NAME}: the raw file was changed or corrupted",
                str(path),
            )
    for name in sorted(present - expected.keys()):
        if not name.startswith("."):
            problems[name] = ResearchKitError(f"not listed in {MANIFEST_NAME}", str(folder / name))
    return problems


_ARTICLE_KEYS = ("title", "inferred", "notes", *METADATA_FIELDS)


def metadata_text(value: Any) -> str | None:
    """A metadata value as the record's text type, or None when missing.

    Numbers and dates become their text (`2023` → "2023", a date → ISO 8601); None, '' and NaN
    (pandas' missing value) are missing. Anything else (a list, a mapping, true/false) raises
    `ValueError` with what it is, for the caller to report with its place.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date | dt.time):
        raise ValueError(f"expected text, got {describe(value)}")
    if isinstance(value, float) and math.isinf(value):
        raise ValueError("expected text, got an infinite number")
    text = value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
    return text if text.strip() else None


def read_metadata(folder: Path) -> dict[str, dict[str, Any]]:
    """File name → metadata from `folder/metadata.yml` (empty when there is none).

    Field values are converted with `metadata_text`; `inferred` is a list of field names (one
    name alone counts as a list of one), `notes` a mapping of field name to text, and `extra` a
    mapping of the study's own variables (`stance: left`) to group by: unknown top-level keys stay
    errors, so a misspelt `outlte:` is caught, while any variable has a place.
    """
    path = folder / METADATA_NAME
    if not _sidecar_present(path):
        return {}
    name = str(path)
    data = schema.expect_mapping(schema.read_yaml(path), name, required=["articles"])
    articles = schema.expect_list(data["articles"], name, "articles")
    by_file: dict[str, dict[str, Any]] = {}
    for number, entry in enumerate(articles, 1):
        place = schema.item("articles", number)
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise ResearchKitError(f"article {number} has no 'file' name", name)
        unknown = set(entry) - {"file", "extra", *_ARTICLE_KEYS}
        if unknown:
            raise ResearchKitError(
                f"article {entry['file']!r} has unknown field(s) {sorted(unknown)}", name
            )
        if entry["file"] in by_file:
            raise schema.fail(f"file {entry['file']!r} is described twice", name, place)
        meta: dict[str, Any] = {}
        for field_name in ("title", *METADATA_FIELDS):
            try:
                meta[field_name] = metadata_text(entry.get(field_name))
            except ValueError as exc:
                raise schema.fail(str(exc), name, schema.key(place, field_name)) from None
        inferred = entry.get("inferred") or []
        if isinstance(inferred, str):
            inferred = [inferred]
        meta["inferred"] = schema.expect_str_list(inferred, name, schema.key(place, "inferred"))
        notes = entry.get("notes") or {}
        meta["notes"] = schema.expect_mapping(notes, name, schema.key(place, "notes"),
                                              optional=None)
        meta["extra"] = _extra_fields(entry.get("extra") or {}, name, schema.key(place, "extra"))
        by_file[entry["file"]] = {k: v for k, v in meta.items() if k in entry}
    return by_file


def _extra_fields(extra: Any, name: str, place: str) -> dict[str, str]:
    """A metadata entry's own variables as text; a record field's name is refused (ambiguous)."""
    extra = schema.expect_mapping(extra, name, place, optional=None)
    fields: dict[str, str] = {}
    for key, value in extra.items():
        if key in RECORD_FIELDS:
            raise schema.fail(f"{key!r} is a record field, not an extra variable", name, place)
        try:
            text = metadata_text(value)
        except ValueError as exc:
            raise schema.fail(str(exc), name, schema.key(place, key)) from None
        if text is not None:
            fields[key] = text
    return fields


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
LATIN_SHARE = 0.25
"""Most letters a Latin-script text has outside ASCII, read as cp1252: French or German news has a
few percent; the same bytes in Cyrillic or CJK encodings are nearly all non-ASCII."""


def _bom_encoding(data: bytes) -> str | None:
    """The encoding a byte order mark announces (UTF-32 first: its LE mark starts like UTF-16's)."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for text whose every other byte is mostly NUL (ASCII-range text
    in UTF-16 without a byte order mark), else None."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_latin(text: str) -> bool:
    """Whether text decoded as cp1252 reads as Latin script: few letters outside ASCII."""
    letters = [ch for ch in text if ch.isalpha()]
    foreign = sum(1 for ch in letters if ord(ch) > 127)
    return foreign <= LATIN_SHARE * max(len(letters), 1)


def text_encoding(data: bytes, path: str, *, detect: bool = True) -> tuple[str, list[str]]:
    """The encoding of article bytes and the warnings it costs: a byte order mark or UTF-8 first;
    then cp1252 when that reads as Latin script; then the encoding charset-normalizer detects
    (Shift-JIS, GB18030, Windows-1251, ...); otherwise refused. Nothing becomes mojibake silently.

    cp1252 before detection because a mostly-English text with one '£' or curly quote is too little
    for a detector (it calls such text Japanese), while cp1252 is what pasted Windows text is.
    `detect=False` (one JSON line: JSON is UTF-8 by definition) refuses instead of detecting.
    """
    encoding = _bom_encoding(data) or (_utf16_without_bom(data) if b"\x00" in data else None)
    if encoding:
        return encoding, [] if encoding == "utf-8-sig" else [f"decoded as {encoding}, not UTF-8"]
    if b"\x00" in data:
        raise ResearchKitError("binary file, not text (contains NUL bytes)", path)
    try:
        data.decode("utf-8")
        return "utf-8", []
    except UnicodeDecodeError as exc:
        where = exc.start
    try:
        latin = _looks_latin(data.decode("cp1252"))
    except UnicodeDecodeError:
        latin = False
    if latin:
        return "cp1252", [f"not valid UTF-8 (byte {where}); decoded as cp1252"]
    if detect:
        from charset_normalizer import from_bytes  # imported at the first non-UTF-8 file

        best = from_bytes(data).best()
        if best is not None:
            language = f", {best.language}" if best.language != "Unknown" else ""
            return best.encoding, [
                f"not valid UTF-8 (byte {where}); detected as {best.encoding}{language}"
            ]
    raise ResearchKitError(
        f"not valid UTF-8 (byte {where}) and no other encoding could be told; save it as UTF-8",
        path,
    )


def decode(data: bytes, path: str, *, detect: bool = True) -> tuple[str, list[str]]:
    """Article bytes as text, with warnings for any encoding but UTF-8 (see `text_encoding`)."""
    encoding, warnings = text_encoding(data, path, detect=detect)
    try:
        return data.decode(encoding), warnings
    except UnicodeDecodeError as exc:
        raise ResearchKitError(f"not valid {encoding} text (byte {exc.start})", path) from None


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ResearchKitError(
            f"file too large for one article ({size:,} bytes > {MAX_BYTES:,}); "
            "split it or use .jsonl/.csv/.parquet",
            str(path),
        )
    return path.read_bytes()


def _require_text(text: str, path: str) -> None:
    if not text.strip():
        raise ResearchKitError("empty file: no article text", path)


def _read_txt(path: Path, doc_id: str) -> Document:
    text, warnings = decode(_read_bytes(path), str(path))
    _require_text(text, str(path))
    return Document(id=doc_id, path=str(path), format="txt", text=text, warnings=warnings)


@lru_cache(maxsize=1)
def _trafilatura() -> Any:
    """Import trafilatura at the first HTML file: it is slow to import, most corpora are text."""
    import trafilatura

    return trafilatura


HTML_OPTIONS = {"with_metadata": True, "include_comments": True, "include_tables": True}
"""What trafilatura is asked for: its own defaults for text (tables and comments kept; asking it to
drop comments also drops body text it would otherwise keep), plus the page metadata."""
RECALL_WARNING = "no main text found by trafilatura's default extraction; used its recall mode"


def _extract_html(html: str, path: str) -> tuple[Any, list[str]]:
    """trafilatura's extraction of a page; one where it finds no text is tried in its recall mode
    (`favor_recall`, which also keeps text from footers and sidebars) with a warning saying so,
    and only a page where both find nothing is an error."""
    trafilatura = _trafilatura()
    for options, warning in (({}, []), ({"favor_recall": True}, [RECALL_WARNING])):
        result = trafilatura.bare_extraction(html, **HTML_OPTIONS, **options)
        if result is not None and (result.text or "").strip():
            return result, warning
    raise ResearchKitError("no article text found in the HTML page", path)


_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-–—:»·]|::)\s+")


def _page_title(result: Any) -> str | None:
    """The article's headline from trafilatura's page title, without the site's name.

    Page titles often carry the site ("Worn-out residents dig in - CNN.com", "Blog | Post"): when
    the extracted text starts with a line that is part of the page title, that line is the
    headline; otherwise parts of the title that name the site (trafilatura's `sitename` or the
    host name) are dropped.
    """
    title = " ".join((result.title or "").split())
    if not title:
        return None
    first = " ".join((result.text or "").strip().split("\n", 1)[0].split())
    if first and first != title and len(first.split()) >= 2 and first in title:
        return first
    site = {" ".join(str(v).split()).casefold() for v in (result.sitename, result.hostname) if v}
    parts = _TITLE_SEPARATOR.split(title)
    kept = [p for p in parts if p.casefold() not in site]
    return " - ".join(kept) if kept and len(kept) < len(parts) else title


def _read_html(path: Path, doc_id: str) -> Document:
    html, warnings = decode(_read_bytes(path), str(path))
    _require_text(html, str(path))
    result, fallback = _extract_html(html, str(path))
    meta = {
        key: getattr(result, source)
        for key, source in (
            ("author", "author"),
            ("date", "date"),
            ("outlet", "sitename"),
            ("url", "url"),
            ("language", "language"),
        )
        if getattr(result, source, None)
    }
    return Document(
        id=doc_id,
        path=str(path),
        format="html",
        text=result.text,
        title=_page_title(result),
        comments=(result.comments or "").strip() or None,
        meta=meta,
        warnings=[*warnings, *fallback],
    )


def _text_column(columns: Iterable[str], wanted: str | None, path: str) -> str:
    columns = list(columns)
    candidates = (wanted,) if wanted else TEXT_COLUMNS
    for name in candidates:
        if name in columns:
            return name
    looked_for = repr(wanted) if wanted else "one of " + ", ".join(repr(c) for c in TEXT_COLUMNS)
    raise ResearchKitError(
        f"no text column ({looked_for}); columns are {', '.join(map(repr, columns)) or 'none'}",
        path,
    )


def _row_document(
    row: Mapping[str, Any], text_col: str, path: Path, stem: str, number: int
) -> Document:
    where = f"{path}:{number}"
    text = row.get(text_col)
    if not isinstance(text, str) or not text.strip():
        raise ResearchKitError(f"row {number} has no text in column {text_col!r}", str(path))
    fields: dict[str, str | None] = {}
    for name in ("id", "title", *METADATA_FIELDS):
        try:
            fields[name] = metadata_text(row.get(name))
        except ValueError as exc:
            raise ResearchKitError(f"row {number}: column {name!r}: {exc}", str(path)) from None
    for name, value in (("text", text), *fields.items()):
        if value is not None and not _encodable(value):
            raise ResearchKitError(
                f"row {number}: column {text_col if name == 'text' else name!r} is not valid "
                "Unicode (a lone surrogate escape such as \\ud800)",
                str(path),
            )
    meta: dict[str, Any] = {k: fields[k] for k in METADATA_FIELDS if fields[k] is not None}
    extra = _extra_columns(row, text_col)
    if extra:
        meta["extra"] = extra
    return Document(
        id=fields["id"] or f"{stem}-{number:06d}", path=where, format=path.suffix[1:], text=text,
        title=fields["title"], meta=meta,
    )


def _extra_columns(row: Mapping[str, Any], text_col: str) -> dict[str, str]:
    """A row's other scalar columns (e.g. `stance`, `topic`) as text, for grouping by them.

    Columns of the record schema are left out, so a record file read back in does not carry its
    own analysis as metadata; lists, mappings and invalid text are not metadata to group by.
    """
    extra = {}
    for name, value in row.items():
        if name == text_col or name in RECORD_FIELDS:
            continue
        try:
            text = metadata_text(value)
        except ValueError:
            continue
        if text is not None and _encodable(text):
            extra[str(name)] = text
    return extra


def _encodable(text: str) -> bool:
    """Whether `text` can be written as UTF-8 (a JSON `\\ud800` escape makes one that cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _row_or_error(
    row: Mapping[str, Any], text_col: str, path: Path, stem: str, number: int,
    warnings: list[str],
) -> Document | ResearchKitError:
    """One table row as a document (with the file's decoding warnings), or its error."""
    try:
        doc = _row_document(row, text_col, path, stem, number)
    except ResearchKitError as exc:
        return exc
    doc.warnings.extend(warnings)
    return doc


def _iter_jsonl(
    path: Path, stem: str, text_column: str | None
) -> Iterator[Document | ResearchKitError]:
    text_col: str | None = None
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                line, warnings = decode(raw, f"{path}:{number}", detect=False)
                row = json.loads(line)
            except ResearchKitError as exc:
                yield exc
                continue
            except json.JSONDecodeError as exc:
                yield ResearchKitError(f"line {number} is not valid JSON ({exc.msg})", str(path))
                continue
            if not isinstance(row, dict):
                yield ResearchKitError(f"line {number} is not a JSON object", str(path))
                continue
            if text_col is None:
                # Looked for in every row until found: a first row without text costs that row.
                try:
                    text_col = _text_column(row.keys(), text_column, str(path))
                except ResearchKitError as exc:
                    yield ResearchKitError(f"line {number}: {exc.problem}", str(path))
                    continue
            yield _row_or_error(row, text_col, path, stem, number, warnings)


TABLE_SAMPLE_BYTES = 4 * 1024 * 1024
"""Bytes of a non-UTF-8 table that its encoding is detected from."""


def _table_encoding(path: Path) -> tuple[str, list[str]]:
    """UTF-8 if the whole file decodes as UTF-8 (checked in blocks) or a byte order mark says so;
    else the encoding `text_encoding` tells from the first `TABLE_SAMPLE_BYTES`."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        start = handle.read(4)
        if _bom_encoding(start) or b"\x00" in start:
            handle.seek(0)
            return text_encoding(handle.read(TABLE_SAMPLE_BYTES), str(path))
        handle.seek(0)
        for block in iter(lambda: handle.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                handle.seek(0)
                sample = handle.read(TABLE_SAMPLE_BYTES)
                # A sample cut inside a character would not be UTF-8 either way; the detector
                # and cp1252 read it alike.
                return text_encoding(sample, str(path))
    return "utf-8-sig", []


def _iter_csv(
    path: Path, stem: str, text_column: str | None
) -> Iterator[Document | ResearchKitError]:
    encoding, warnings = _table_encoding(path)
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            yield ResearchKitError("empty file: no header row", str(path))
            return
        try:
            text_col = _text_column(reader.fieldnames, text_column, str(path))
        except ResearchKitError as exc:
            yield exc
            return
        for number, row in enumerate(reader, 1):
            yield _row_or_error(row, text_col, path, stem, number, warnings)


def _plain(value: Any) -> Any:
    """A Parquet cell as JSON-ready data: dates and times become ISO 8601 text."""
    return value.isoformat() if isinstance(value, dt.date | dt.time) else value


def _iter_parquet(
    path: Path, stem: str, text_column: str | None
) -> Iterator[Document | ResearchKitError]:
    """Rows of a Parquet table in batches of `PARQUET_BATCH_ROWS`, reading only needed columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        yield ResearchKitError(f"not a readable Parquet file ({schema.one_line(exc)})", str(path))
        return
    names = table.schema_arrow.names
    try:
        text_col = _text_column(names, text_column, str(path))
    except ResearchKitError as exc:
        yield exc
        return
    columns = [name for name in names if name == text_col or name not in _ANALYSIS_FIELDS]
    number = 0
    try:
        for batch in table.iter_batches(PARQUET_BATCH_ROWS, columns=columns):
            for row in batch.to_pylist():
                number += 1
                plain = {k: _plain(v) for k, v in row.items()}
                yield _row_or_error(plain, text_col, path, stem, number, [])
    except (pa.ArrowException, OSError) as exc:
        yield ResearchKitError(
            f"Parquet read failed after row {number} ({schema.one_line(exc)})", str(path)
        )


TABLE_READERS = {".jsonl": _iter_jsonl, ".csv": _iter_csv, ".parquet": _iter_parquet}


def _doc_id(path: Path, root: Path | None) -> str:
    relative = path.relative_to(root) if root else Path(path.name)
    return relative.with_suffix("").as_posix()


def _iter_file(
    path: Path, root: Path | None, metadata: Mapping[str, dict[str, Any]], text_column: str | None
) -> Iterator[Document | ResearchKitError]:
    suffix = path.suffix.lower()
    doc_id = _doc_id(path, root)
    from . import exports  # imports this module: loaded when the first file is read

    try:
        if suffix in TABLE_SUFFIXES:
            yield from TABLE_READERS[suffix](path, doc_id, text_column)
            return
        if exports.sniff(path):
            yield from exports.read_export(path, doc_id)
            return
        doc = (_read_html if suffix in HTML_SUFFIXES else _read_txt)(path, doc_id)
    except ResearchKitError as exc:
        yield exc
        return
    except OSError as exc:
        yield ResearchKitError(f"cannot read: {exc.strerror or schema.one_line(exc)}", str(path))
        return
    extra = dict(metadata.get(path.name, {}))
    if extra.get("title") and not doc.title:
        doc.title = extra.pop("title")
    doc.meta = {**doc.meta, **extra}
    yield doc


def _folder_files(folder: Path) -> tuple[list[Path], list[ResearchKitError]]:
    """Article files under `folder` in sorted order, and an error for each part that cannot be
    read: an unreadable subfolder, or a special file (FIFO, device) named like an article.

    Hidden files and folders are skipped; symbolic links to folders are not followed (a link
    cycle would never end).
    """
    files: list[Path] = []
    errors: list[ResearchKitError] = []

    def unreadable(exc: OSError) -> None:
        problem = f"cannot read folder: {exc.strerror or schema.one_line(exc)}"
        errors.append(ResearchKitError(problem, exc.filename or str(folder)))

    for top, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(top, name)
            if name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            problem = _not_regular(path)
            if problem:
                errors.append(problem)
            else:
                files.append(path)
    return sorted(files), errors


def _not_regular(path: Path) -> ResearchKitError | None:
    """An error for a path that is not a regular file: a FIFO or device is never read, since
    reading it could block forever or never end."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return ResearchKitError(f"cannot read: {exc.strerror or schema.one_line(exc)}", str(path))
    if stat.S_ISREG(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(
        mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
    return ResearchKitError(f"{kind}, not an article file; refused", str(path))


def iter_documents(
    paths: Iterable[str | Path], *, text_column: str | None = None
) -> Iterator[Document | ResearchKitError]:
    """Yield each article of the corpus at `paths` in a stable order, or an error in its place.

    Folders are read recursively in sorted order; ids are paths relative to the folder without the
    suffix (`sport/199`), or the file stem for a file named directly. Files in a folder with a
    `SHA256SUMS` manifest are verified first; a file that fails is yielded as an error, not read.
    """
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield ResearchKitError("no such file or folder", str(path))
        elif path.is_dir():
            yield from _iter_folder(path, text_column)
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            yield ResearchKitError(
                f"unsupported file type {path.suffix or '(none)'!r}; expected one of "
                + ", ".join(sorted(SUPPORTED_SUFFIXES)),
                str(path),
            )
        elif problem := _not_regular(path):
            yield problem
        else:
            yield from _iter_file(path, None, {}, text_column)


def _iter_folder(folder: Path, text_column: str | None) -> Iterator[Document | ResearchKitError]:
    files, errors = _folder_files(folder)
    yield from errors
    if not files:
        if not errors:
            yield ResearchKitError(
                "no articles found (looked for " + ", ".join(sorted(SUPPORTED_SUFFIXES)) + ")",
                str(folder),
            )
        return
    problems: dict[Path, ResearchKitError] = {}
    metadata: dict[Path, dict[str, dict[str, Any]]] = {}
    broken: set[Path] = set()
    for sub in sorted({p.parent for p in files}):
        try:
            problems.update({sub / n: e for n, e in verify_manifest(sub).items()})
            metadata[sub] = read_metadata(sub)
        except ResearchKitError as exc:
            # A broken sidecar costs its own folder (its files cannot be trusted), not the corpus.
            yield exc
            broken.add(sub)
    for name in sorted(p for p in problems if p not in files):
        yield problems[name]
    for path in files:
        if path.parent in broken:
            continue
        if path in problems:
            yield problems[path]
        else:
            yield from _iter_file(path, folder, metadata[path.parent], text_column)
