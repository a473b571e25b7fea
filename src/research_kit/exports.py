"""Research database exports: many articles per file from LexisNexis (Nexis) and Factiva.

Most news studies draw their corpora from these databases, whose exports put many articles in
one file with the database's own lines around each one. Layouts read:

- Nexis text (`.txt`) and Word (`.docx`, read with python-docx): articles either start with a
  "1 of 10 DOCUMENTS" line (LexisNexis Academic: outlet, date line, edition, headline, then
  `BYLINE:`, `SECTION:`, `LENGTH:`, `DATELINE:`, the body, `LOAD-DATE:`, `LANGUAGE:`,
  `PUBLICATION-TYPE:`, copyright) or end with an "End of Document" line (Nexis Uni: headline,
  outlet, date, copyright, `Length:`, `Byline:`, `Body`, the body, `Graphic`, `Classification`
  with `Language:` and `Load-Date:`).
- Factiva (`.rtf` read with striprtf, `.html`, or text): articles with two-letter field codes
  (`HD` headline, `BY`, `WC` words, `PD` date, `SN` source, `SC`, `LA` language, `CY`
  copyright, `LP` and `TD` text, `AN` accession number), or the plain display layout (headline,
  "1,234 words", date, source, source code, language, copyright, body, "Document AN").

Each article becomes one `Document` (id `FILE-001`, path `FILE:1`) with the outlet, date (ISO
8601), title, byline, section, length (words) and language (ISO 639-1 when babel knows the name
or code) the export states; a cover page (Academic's download request, Nexis Uni's "Job
Number" page listing the documents) is logged with the first article, and Nexis Uni's
`Graphic` and `Classification` sections after the body are logged, not read as body; the database's
own lines (document numbers, copyright, load date, accession numbers, indexing codes) are
logged in the record's `removed` list with rules named `export_*`, and the `line` of those
entries is the line in the export file. An article that cannot be read (no body, no headline)
is one error naming the file and the article; the file's other articles are still read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from dateutil import parser as dateparser

from .errors import ResearchKitError
from .load import EXPORT_SUFFIXES, Document, _read_bytes, decode

_NEXIS_NUMBER = re.compile(r"^\s*(\d+)\s+of\s+(\d+)\s+DOCUMENTS?\s*$", re.IGNORECASE)
_NEXIS_END = re.compile(r"^\s*End of Document\s*$", re.IGNORECASE)
_NEXIS_FIELD = re.compile(
    r"^(BYLINE|SECTION|LENGTH|DATELINE|HIGHLIGHT|LOAD-DATE|LANGUAGE|PUBLICATION-TYPE|URL|"
    r"GRAPHIC|DOCUMENT-TYPE|JOURNAL-CODE|CORRECTION-DATE|NOTES|SERIES|DISTRIBUTION|SUBJECT|"
    r"GEOGRAPHIC|COUNTRY|CITY|STATE|PERSON|ORGANIZATION|COMPANY|INDUSTRY|TICKER)\s*:\s*(.*)$",
    re.IGNORECASE,
)
_NEXIS_BODY = re.compile(r"^\s*Body\s*$", re.IGNORECASE)
_NEXIS_SECTION = re.compile(r"^\s*(?:Graphic|Classification)\s*$", re.IGNORECASE)
_NEXIS_COVER = re.compile(r"^(?:Date and Time|Job Number)\s*:|^Documents\s*\(\d+\)$",
                          re.IGNORECASE)
_NEXIS_LISTED = re.compile(r"^1\.\s+(\S.*)$")
_LEADING = frozenset({"BYLINE", "SECTION", "LENGTH", "DATELINE", "HIGHLIGHT"})
"""Nexis fields above the body; any other field line ends it."""
_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|©|\(c\)\s*\d{4})", re.IGNORECASE)
_WORDS = re.compile(r"^\s*(\d[\d,.]*)\s+words\s*$", re.IGNORECASE)
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b.*\b\d{4}\b|"
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}\b|"
    r"^\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
_FACTIVA_CODES = ("HD", "BY", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "LA", "CY", "LP", "TD",
                  "CT", "RF", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN", "CX", "ART",
                  "SE", "CLM", "VOL")  # fmt: skip
_FACTIVA_FIELD = re.compile(rf"^({'|'.join(_FACTIVA_CODES)})(?:[ \t]+(.*))?$")
_FACTIVA_AN = re.compile(r"^\s*Document\s+([A-Za-z0-9]{16,})\s*$")
_FACTIVA_TEXT = frozenset({"LP", "TD"})
# What an indexing field's value looks like ("i8150 : Banking", "Document EXTM00002016..."),
# for telling a field after the text from a paragraph that starts with the same capitals.
_FACTIVA_VALUE = {
    **dict.fromkeys(("CO", "IN", "NS", "RE"), re.compile(r"^\w+\s+:\s")),
    "AN": re.compile(r"^(?:Document\s+)?[A-Za-z0-9]{16,}$"),
}
_FACTIVA_FIELDS = {"HD": "title", "BY": "byline", "WC": "length", "PD": "date", "SN": "outlet",
                   "SE": "section", "LA": "language"}  # fmt: skip


@dataclass(slots=True)
class _Article:
    """One article being read out of an export: its lines, fields and the logged lines."""

    number: int
    fields: dict[str, Any] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)

    def log(self, text: str, rule: str, line: int, target: str | None = None) -> None:
        """Log a database line: `metadata` when its value went to a record field."""
        self.removed.append({
            "text": text, "rule": f"export_{rule}", "action": "metadata" if target else "removed",
            "field": target, "line": line, "start": 0, "end": len(text),
        })


def _iso_date(text: str) -> str | None:
    """An export's date line as ISO 8601, or None when it holds no date."""
    try:
        return dateparser.parse(text, fuzzy=True, default=None).date().isoformat()
    except (ValueError, OverflowError, AttributeError, TypeError):
        return None


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    """English language names, casefolded → ISO 639-1 code (babel's CLDR data)."""
    from babel import Locale

    return {name.casefold(): code for code, name in Locale("en").languages.items()
            if len(code) == 2}


@lru_cache(maxsize=1)
def _own_names() -> dict[str, str]:
    """Languages' names in themselves ("Deutsch", "français"), casefolded → ISO 639-1 code;
    asked only for a name that is no English one (reading every locale takes a second)."""
    from babel import Locale, localedata

    names = {Locale(code).languages.get(code, "").casefold(): code
             for code in _english_names().values() if localedata.exists(code)}
    names.pop("", None)
    return names


def language_code(value: str) -> str:
    """An export's language as an ISO 639-1 code ("ENGLISH", "English", "ENG", "en-GB",
    "Deutsch" → "en", "de"), or the value as written when it names no language CLDR knows.

    Nexis writes English names in capitals (one name repeated with ";" counts once), Factiva
    English names, some exports three-letter ISO 639-2 codes or the language's own name; a
    qualified name such as "Chinese-Simplified" is read by its first word.
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    def code(text: str) -> str | None:
        key = text.strip().casefold()
        alias = get_global("language_aliases").get(key, key)
        try:
            language = Locale.parse(alias.replace("-", "_")).language
        except (ValueError, TypeError, UnknownLocaleError):
            first = re.split(r"[\s(/-]", key, maxsplit=1)[0]
            for names in (_english_names(), _own_names()):
                if key in names or first in names:
                    return names.get(key) or names[first]
            return None
        return language if len(language) == 2 else None

    codes = {code(part) for part in value.split(";") if part.strip()}
    return codes.pop() if len(codes) == 1 and None not in codes else value


def _words(text: str) -> int | None:
    found = re.search(r"(\d[\d,.]*)\s*words?", text, re.IGNORECASE) or re.search(r"\d+", text)
    return int(re.sub(r"\D", "", found.group(1) if found.groups() else found.group(0))) if found \
        else None


def _set(article: _Article, name: str, value: str) -> None:
    value = " ".join(value.split())
    if not value:
        return
    if name == "date":
        article.fields["date"] = _iso_date(value) or value
    elif name == "length":
        article.fields["length"] = _words(value)
    elif name == "language":
        article.fields["language"] = language_code(value)
    elif name == "byline":
        article.fields["byline"] = re.sub(r"^by\s+", "", value, flags=re.IGNORECASE)
    else:
        article.fields.setdefault(name, value)


def is_nexis(text: str) -> bool:
    """True when text reads as a Nexis export (document numbers or "End of Document" lines)."""
    lines = text.splitlines()
    return any(_NEXIS_NUMBER.match(line) for line in lines) or (
        any(_NEXIS_END.match(line) for line in lines)
        and any(_NEXIS_FIELD.match(line) for line in lines)
    )


def is_factiva(text: str) -> bool:
    """True when text reads as a Factiva export (field codes, or "Document AN" lines)."""
    lines = [line.strip() for line in text.splitlines()]
    codes = {m.group(1) for line in lines if (m := _FACTIVA_FIELD.match(line))}
    return {"HD", "AN"} <= codes or (
        any(_FACTIVA_AN.match(line) for line in lines) and any(_WORDS.match(line) for line in lines)
    )


def _nexis_cover(lines: list[str]) -> int:
    """How many lines at the top of a Nexis export are its cover page, not an article.

    LexisNexis Academic puts the download request, search terms and sources before "1 of N
    DOCUMENTS"; Nexis Uni a page of "Date and Time:", "Job Number:", "Documents (N)" and the
    numbered list of headlines ("1. Headline", then the search's lines), which ends where the
    first headline comes again as the first article's headline.
    """
    start = next((i for i, line in enumerate(lines) if _NEXIS_NUMBER.match(line)), None)
    if start is not None:
        return start
    head = [line.strip() for line in lines[:200]]
    if not any(_NEXIS_COVER.match(line) for line in head[:10]):
        return 0
    listing = next((i for i, line in enumerate(head) if _NEXIS_LISTED.match(line)), None)
    if listing is None:
        return 0
    title = _NEXIS_LISTED.match(head[listing]).group(1)
    return next((i for i in range(listing + 1, len(lines)) if lines[i].strip() == title), 0)


def _nexis_chunks(lines: list[str]) -> Iterator[tuple[int, list[tuple[int, str]], str | None]]:
    """(article number, numbered lines, marker) per article, with its start or end marker;
    the cover page's lines are the first article's, before its own."""
    numbered = any(_NEXIS_NUMBER.match(line) for line in lines)
    cover = _nexis_cover(lines)
    chunk: list[tuple[int, str]] = [(n, lines[n - 1].strip()) for n in range(1, cover + 1)]
    count = 0
    for number, line in enumerate(lines[cover:], cover + 1):
        if numbered and _NEXIS_NUMBER.match(line):
            if count:
                yield count, chunk, None
                chunk = []
            count += 1
            chunk.append((number, line.strip()))
        elif not numbered and _NEXIS_END.match(line):
            count += 1
            yield count, [*chunk, (number, line.strip())], "end"
            chunk = []
        else:
            chunk.append((number, line.rstrip()))
    if numbered and count:
        yield count, chunk, None
    elif any(text.strip() for _, text in chunk):
        yield count + 1, chunk, "unterminated"


def _read_nexis(lines: list[str]) -> Iterator[_Article | tuple[int, str]]:
    """Articles of a Nexis export, or (article number, problem) for one that cannot be read."""
    for count, chunk, marker in _nexis_chunks(lines):
        if marker == "unterminated":
            yield count, "no 'End of Document' line after the last article"
            continue
        article = _Article(count)
        if count == 1:
            cover = _nexis_cover(lines)
            for number, text in chunk[:cover]:
                if text:
                    article.log(text, "cover", number)
            chunk = chunk[cover:]
        header: list[list[tuple[int, str]]] = [[]]
        rest = iter(chunk)
        pending: tuple[int, str] | None = None
        for number, text in rest:
            if _NEXIS_NUMBER.match(text) or _NEXIS_END.match(text):
                article.log(text, "document_number", number)
            elif _NEXIS_FIELD.match(text) or _NEXIS_BODY.match(text):
                pending = (number, text)
                break
            elif _COPYRIGHT.match(text):
                article.log(text, "copyright", number)
            elif text.strip():
                header[-1].append((number, text.strip()))
            elif header[-1]:
                header.append([])
        blocks = [b for b in header if b]
        flat = [line for block in blocks for line in block]
        if not flat:
            yield count, "no headline before the first field"
            continue
        date_at = next((i for i, (_, t) in enumerate(flat) if _MONTH.search(t)), None)
        numbered = marker is None
        if numbered:  # outlet, date line and edition first; the headline is the last block
            outlet, title_lines = flat[0], blocks[-1] if len(blocks) > 1 else []
        else:  # Nexis Uni: headline, outlet, date
            outlet = flat[1] if len(flat) > 1 and date_at != 1 else None
            title_lines = [flat[0]]
        if outlet:
            _set(article, "outlet", outlet[1])
            article.log(outlet[1], "outlet", outlet[0], "outlet")
        if date_at is not None and flat[date_at] not in title_lines:
            _set(article, "date", flat[date_at][1])
            article.log(flat[date_at][1], "date", flat[date_at][0], "date")
        if title_lines:
            _set(article, "title", " ".join(t for _, t in title_lines))
        for number, text in flat:
            if (number, text) not in (*title_lines, outlet, flat[date_at] if date_at is not None
                                      else None):
                article.log(text, "header", number)
        in_body = False
        trailing = False
        section = "trailer"
        for number, text in [*([pending] if pending else []), *rest]:
            found = _NEXIS_FIELD.match(text)
            if _NEXIS_END.match(text):
                article.log(text, "document_number", number)
            elif not numbered and in_body and _NEXIS_SECTION.match(text):
                section = text.strip().lower()  # Nexis Uni's photo captions, then indexing
                trailing = True
                article.log(text.strip(), section, number)
            elif found:
                name = found.group(1).upper()
                trailing = trailing or name not in _LEADING or in_body
                target = {"BYLINE": "byline", "SECTION": "section", "LENGTH": "length",
                          "LANGUAGE": "language", "DATELINE": "dateline"}.get(name)  # fmt: skip
                if target:
                    _set(article, target, found.group(2))
                article.log(text, name.lower().replace("-", "_"), number, target)
            elif _NEXIS_BODY.match(text) and not in_body:
                article.log(text, "body_marker", number)
                in_body = True
            elif trailing or _COPYRIGHT.match(text):
                if text.strip():
                    trailing = True
                    article.log(text.strip(), "copyright" if _COPYRIGHT.match(text) else section,
                                number)
            else:
                in_body = in_body or bool(text.strip())
                article.body.append(text.strip())
        if not "".join(article.body).strip():
            yield count, "no body text"
            continue
        yield article


def _read_factiva(lines: list[str]) -> Iterator[_Article | tuple[int, str]]:
    """Articles of a Factiva export in either layout, or (number, problem) per bad article."""
    stripped = [line.strip() for line in lines]
    if any(_FACTIVA_FIELD.match(line) and line.startswith("HD") for line in stripped):
        yield from _factiva_codes(stripped)
    else:
        yield from _factiva_display(stripped)


def _ends_text(found: re.Match[str], separator: str, seen: set[str]) -> bool:
    """Whether a line that starts with a field code, met inside the article's text, is that
    field rather than a paragraph ("IN BRIEF", "LA Times reported ...", "TD Bank said ..."):
    a code not met before in the article and alone on its line or set off as the export sets
    off its codes (a tab, as in the RTF and HTML tables), or, where codes and values are
    separated by a space, the text's second part (TD) or a value of the field's form."""
    code, value = found.group(1), found.group(2) or ""
    if code in seen:
        return False
    if not value:
        return True
    if separator == "\t":
        return found.string[len(code)] == "\t"
    form = _FACTIVA_VALUE.get(code)
    return code == "TD" or bool(form and form.match(value))


def _factiva_codes(lines: list[str]) -> Iterator[_Article | tuple[int, str]]:
    article: _Article | None = None
    code = None
    separator, seen = " ", set()
    for number, text in enumerate(lines, 1):
        found = _FACTIVA_FIELD.match(text)
        if found and found.group(1) == "HD":
            if article:
                yield _finish(article)
            article = _Article(article.number + 1 if article else 1)
            separator, seen = text[2:3] if text[2:3] in (" ", "\t") else separator, set()
        elif found and code in _FACTIVA_TEXT and not _ends_text(found, separator, seen):
            found = None
        if found:
            seen.add(found.group(1))
        if article is None:
            continue
        value = text
        if found:
            code, value = found.group(1), found.group(2) or ""
        if code in _FACTIVA_TEXT:
            if value:
                article.body.append(value)
            elif not found:
                article.body.append("")
            continue
        if not value:
            continue
        target = _FACTIVA_FIELDS.get(code or "")
        if target:
            previous = article.fields.get(target)
            if target == "title" and previous:
                article.fields["title"] = f"{previous} {value}"
            else:
                _set(article, target, value)
        rule = {"CY": "copyright", "AN": "document_number"}.get(code or "", f"code_{code}".lower())
        article.log(text, rule, number, target)
    if article:
        yield _finish(article)


def _factiva_display(lines: list[str]) -> Iterator[_Article | tuple[int, str]]:
    chunk: list[tuple[int, str]] = []
    count = 0
    for number, text in enumerate(lines, 1):
        chunk.append((number, text))
        if _FACTIVA_AN.match(text):
            count += 1
            yield _display_article(count, chunk)
            chunk = []
    if any(text for _, text in chunk):
        yield count + 1, "no 'Document' line after the last article"


def _display_article(count: int, chunk: list[tuple[int, str]]) -> _Article | tuple[int, str]:
    article = _Article(count)
    lines = [(n, t) for n, t in chunk if t]
    words_at = next((i for i, (_, t) in enumerate(lines) if _WORDS.match(t)), None)
    copyright_at = next(
        (i for i, (_, t) in enumerate(lines) if _COPYRIGHT.match(t) and i > (words_at or 0)), None
    )
    if words_at is None or copyright_at is None or words_at == 0:
        return count, "no headline, word count and copyright line before the text"
    head = lines[:words_at]
    if len(head) > 1 and re.match(r"^by\s", head[-1][1], re.IGNORECASE):
        _set(article, "byline", head[-1][1])
        article.log(head[-1][1], "byline", head[-1][0], "byline")
        head = head[:-1]
    _set(article, "title", " ".join(t for _, t in head))
    _set(article, "length", lines[words_at][1])
    article.log(lines[words_at][1], "length", lines[words_at][0], "length")
    between = lines[words_at + 1:copyright_at]
    for i, (number, text) in enumerate(between):
        target = None
        if i == 0 and _MONTH.search(text):
            target = "date"
        elif i == len(between) - 1 and text.isalpha():
            target = "language"
        elif "outlet" not in article.fields and i > 0 and not re.fullmatch(r"[A-Z0-9]{2,8}", text) \
                and not re.match(r"^\d{1,2}:\d{2}", text):
            target = "outlet"
        if target:
            _set(article, target, text)
        article.log(text, target or "source_code", number, target)
    article.log(lines[copyright_at][1], "copyright", lines[copyright_at][0])
    for number, text in chunk:
        if number <= lines[copyright_at][0]:
            continue
        if _FACTIVA_AN.match(text):
            article.log(text, "document_number", number)
        else:
            article.body.append(text)
    return _finish(article)


def _finish(article: _Article) -> _Article | tuple[int, str]:
    if not article.fields.get("title"):
        return article.number, "no headline (HD)"
    if not "\n".join(article.body).strip():
        return article.number, "no body text"
    return article


def _document(article: _Article, path: Path, stem: str, fmt: str, warnings: list[str]) -> Document:
    """The article as a Document; in Word, RTF and HTML every line is a paragraph, in text the
    blank lines of the export separate them (the cleaner re-joins hard-wrapped blocks)."""
    fields = article.fields
    per_line = not fmt.endswith("-txt")
    body = "\n\n".join(t for t in article.body if t.strip()) if per_line else "\n".join(
        article.body).strip("\n")
    meta = {k: fields[k] for k in ("outlet", "date", "language", "section", "length", "byline",
                                   "dateline")
            if fields.get(k) is not None}
    return Document(
        id=f"{stem}-{article.number:03d}",
        path=f"{path}:{article.number}",
        format=fmt,
        text=body,
        title=fields.get("title"),
        meta=meta,
        warnings=list(warnings),
        removed=article.removed,
    )


def _docx_lines(path: Path) -> list[str]:
    """Paragraph texts of a Word file, one per line (a table cell's paragraphs too)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ResearchKitError(f"not a readable Word file ({exc})", str(path)) from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return [piece for line in lines for piece in line.split("\n")]


def _rtf_lines(path: Path) -> list[str]:
    from striprtf.striprtf import rtf_to_text

    data, _ = decode(_read_bytes(path), str(path))
    if not data.lstrip().startswith("{\\rtf"):
        raise ResearchKitError("not an RTF file (no '{\\rtf' header)", str(path))
    return rtf_to_text(data, errors="ignore").replace("\t", " ").splitlines()


def _html_lines(html: str) -> list[str]:
    """Factiva HTML as lines: table rows become "CODE value", blocks become lines."""
    import lxml.html

    tree = lxml.html.fromstring(html)
    for bad in tree.xpath("//head|//script|//style"):
        bad.drop_tree()
    for row in tree.xpath("//tr"):
        row.tail = "\n" + (row.tail or "")
        for cell in row.xpath("./td|./th"):
            cell.tail = "\t" + (cell.tail or "")  # a code and its value, as in the RTF
    for block in tree.xpath("//p|//div|//br|//h1|//h2|//h3|//b[parent::div]"):
        block.tail = "\n" + (block.tail or "")
    return tree.text_content().splitlines()


def sniff(path: Path) -> str | None:
    """The export layout of a file ("nexis" or "factiva"), or None for an ordinary article."""
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES and suffix not in (".txt", ".html", ".htm"):
        return None
    head = _read_bytes(path)[:200_000]
    if suffix in EXPORT_SUFFIXES:
        return "export"
    text = head.decode("utf-8", "replace")
    if suffix == ".txt":
        return "nexis" if is_nexis(text) else "factiva" if is_factiva(text) else None
    return "factiva" if ("Factiva" in text and is_factiva("\n".join(_html_lines(text)))) \
        else None


def read_export(path: Path, stem: str) -> Iterator[Document | ResearchKitError]:
    """Every article of an export file, or an error in place of each one that cannot be read."""
    suffix = path.suffix.lower()
    warnings: list[str] = []
    if suffix == ".docx":
        lines = _docx_lines(path)
    elif suffix == ".rtf":
        lines = _rtf_lines(path)
    else:
        text, warnings = decode(_read_bytes(path), str(path))
        lines = _html_lines(text) if suffix in (".html", ".htm") else text.splitlines()
    text = "\n".join(lines)
    readers: dict[str, Callable[[list[str]], Iterator[_Article | tuple[int, str]]]] = {
        "nexis": _read_nexis, "factiva": _read_factiva,
    }
    layout = "nexis" if is_nexis(text) else "factiva" if is_factiva(text) else None
    if layout is None:
        if suffix in EXPORT_SUFFIXES and text.strip():  # a single article in Word or RTF
            yield Document(id=stem, path=str(path), format=suffix[1:], text=text,
                           warnings=warnings)
        else:
            yield ResearchKitError("no articles found in the export file", str(path))
        return
    for item in readers[layout](lines):
        if isinstance(item, tuple):
            number, problem = item
            yield ResearchKitError(f"article {number}: {problem}", str(path))
        else:
            yield _document(item, path, stem, f"{layout}-{suffix[1:]}", warnings)
