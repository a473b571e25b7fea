"""Clean stage: turn a pasted article into title, metadata lines and a body, logging every removal.

The rules live in `data/cleaning.yml` (schema: docs/cleaning.md): named regular expressions, each
matched against whole lines, that either remove a line (boilerplate) or move it to a metadata field
(byline, source, captions). Structure that patterns cannot see alone — which header line is the
title, which body line is a crosshead, where a dateline ends — is decided here from the rules
file's `structure` settings. Nothing is dropped silently: each line taken out of the body is
logged with the rule that fired, and the body keeps every other line of the article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from . import schema
from .errors import ResearchKitError
from .user_regex import Pattern, UserRegexError, compile_user_regex, unicode_classes

FIELDS = frozenset({"byline", "source", "captions", "date_line"})
ZONES = frozenset({"any", "header", "footer"})
RULE_KEYS = frozenset(
    {"name", "action", "field", "zone", "position", "pattern", "case_sensitive", "description"}
)
POSITIONS = ("line", "start", "end")
# A span rule cuts only at a sentence boundary: an end span follows sentence-final punctuation
# (glued or after one space), a start span is followed by the start of a sentence. No
# lookarounds, so that a user's span rules run on RE2 too; the span is the group `_SPAN`.
_SPAN = "rk_span"
_SENTENCE_CLOSE = r"[.!?…\"”’)\]] ?"
_BEFORE_SENTENCE = r"(?:\s*$|\s+(?-i:[A-Z0-9\"“‘'«(]))"
OVERRIDE_KEYS = frozenset({"keep", "drop", "disable"})

# Characters that render as a space, and invisible ones that only break words and matching.
# ZWJ/ZWNJ are kept: they change meaning in Persian, Indic scripts and emoji.
_SPACES = dict.fromkeys(
    map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000\t\u000b\u000c"), " "
)
_INVISIBLE = {"zero_width": "\u200b\u2060\ufeff", "soft_hyphen": "\u00ad"}
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\u0085]")
_CONTROL = re.compile(r"[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]")
_MULTISPACE = re.compile(r" {2,}")
_CLOSERS = "\"'”’»›)]"
_SENTENCE_END = frozenset(".!?…:;")


@dataclass(frozen=True, slots=True)
class Rule:
    """One named cleaning pattern; `field` is None for boilerplate that is removed."""

    name: str
    action: Literal["remove", "field"]
    zone: Literal["any", "header", "footer"]
    pattern: Pattern
    field: str | None = None
    position: Literal["line", "start", "end"] = "line"
    lead: Pattern | None = None  # an end rule's span at the paragraph's first character

    def find(self, text: str) -> Any:
        """The rule's leftmost match in ``text``, or None."""
        return (self.lead and self.lead.match(text)) or self.pattern.search(text)


@dataclass(frozen=True, slots=True)
class CleaningRules:
    """Compiled rules plus the structural settings; built once and shared by every article."""

    rules: tuple[Rule, ...]
    dateline: Pattern
    max_title_words: int
    max_caption_words: int
    max_crosshead_words: int
    keep: tuple[Pattern, ...] = ()
    source: str = "research_kit/data/cleaning.yml"

    def match(self, line: str, zone: str) -> Rule | None:
        """The first rule that fires on `line` in `zone`, unless a keep pattern protects it."""
        if any(p.search(line) for p in self.keep):
            return None
        for rule in self.rules:
            if rule.position == "line" and rule.zone in ("any", zone) and rule.pattern.search(line):
                return rule
        return None

    def match_span(self, text: str, zone: str) -> tuple[Rule, Any] | None:
        """The first span rule that fires at the start or end of `text` in `zone`, with its match
        (the span is its group `_SPAN`), unless a keep pattern protects the paragraph."""
        if any(p.search(text) for p in self.keep):
            return None
        for rule in self.rules:
            if rule.position != "line" and rule.zone in ("any", zone):
                found = rule.find(text)
                if found and found.group(_SPAN).strip():
                    return rule, found
        return None


@dataclass(frozen=True, slots=True)
class Removal:
    """Text taken out of the body: removed as boilerplate or moved to a metadata field.

    `line` is the paragraph's line number in the paste and `start`/`end` the removed span's
    character range in that paragraph (after normalisation): the whole paragraph for line rules,
    part of it for span rules and datelines.
    """

    text: str
    rule: str
    action: Literal["removed", "metadata"]
    field: str | None
    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the cleaned body; offsets index `CleanArticle.body`."""

    text: str
    start: int
    end: int
    kind: Literal["paragraph", "crosshead"] = "paragraph"


@dataclass(slots=True)
class CleanArticle:
    """The cleaned article: the body every later offset refers to, metadata lines, and the log."""

    title: str | None
    byline: str | None
    dateline: str | None
    source: str | None
    date_line: str | None
    captions: list[str]
    body: str
    paragraphs: list[Paragraph]
    removed: list[Removal]
    normalized: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the article record, built directly (`asdict` deep-copies slowly)."""
        data = {name: getattr(self, name) for name in self.__slots__}
        data["captions"] = list(self.captions)
        data["normalized"] = dict(self.normalized)
        data["paragraphs"] = [{n: getattr(p, n) for n in p.__slots__} for p in self.paragraphs]
        data["removed"] = [{n: getattr(r, n) for n in r.__slots__} for r in self.removed]
        return data


def _fail(problem: str, path: str) -> ResearchKitError:
    return ResearchKitError(problem, path)


def _compile(pattern: Any, case_sensitive: bool, where: str, path: str, user: bool = True,
             position: str = "line") -> Pattern:
    """A rule's regex: on RE2 (linear time, see user_regex) for a user's file, on ``re`` for
    the shipped rules; a span rule's pattern is anchored at the paragraph's start or end.

    An end rule's span follows a sentence's end (``position: "after"``) or is the paragraph's
    start (``position: "lead"``, tried first); as two patterns, because a search for one that
    begins ``(?:^|[.!?…])`` tries every character while one that begins with the character
    class skips to the candidates (a third of the cleaning time on the BBC corpus).
    """
    if not isinstance(pattern, str) or not pattern:
        raise _fail(f"{where}: 'pattern' must be a non-empty string", path)
    anchored = {
        "line": pattern,
        "start": rf"^(?P<{_SPAN}>{pattern}){_BEFORE_SENTENCE}",
        "lead": rf"^(?P<{_SPAN}>{pattern})\s*$",
        "after": rf"{_SENTENCE_CLOSE}(?P<{_SPAN}>{pattern})\s*$",
    }[position]
    if user:
        try:
            return compile_user_regex(pattern, case_sensitive, unicode_classes(anchored))
        except UserRegexError as exc:
            raise _fail(f"{where}: invalid pattern {pattern!r} ({exc.problem})", path) from None
    try:
        return re.compile(anchored, 0 if case_sensitive else re.IGNORECASE)
    except re.error as exc:
        raise _fail(f"{where}: invalid pattern ({exc})", path) from None


def _parse_rule(entry: Any, number: int, path: str, user: bool = True) -> Rule:
    if not isinstance(entry, dict):
        raise _fail(f"rule {number}: expected a mapping", path)
    name = entry.get("name")
    where = f"rule {name!r}" if isinstance(name, str) and name else f"rule {number}"
    if not isinstance(name, str) or not name.isidentifier():
        raise _fail(f"{where}: 'name' must be an identifier", path)
    unknown = set(entry) - RULE_KEYS
    if unknown:
        raise _fail(f"{where}: unknown key(s) {sorted(unknown)}", path)
    action = entry.get("action", "remove")
    zone = entry.get("zone", "any")
    target = entry.get("field")
    position = entry.get("position", "line")
    for key in ("action", "zone", "field", "position", "description"):
        if entry.get(key) is not None:
            schema.expect_str(entry[key], path, f"{where}: {key!r}")
    if entry.get("case_sensitive") is not None:
        schema.expect_bool(entry["case_sensitive"], path, f"{where}: 'case_sensitive'")
    if action not in ("remove", "field"):
        raise _fail(f"{where}: 'action' must be 'remove' or 'field', not {action!r}", path)
    if zone not in ZONES:
        raise _fail(f"{where}: 'zone' must be one of {sorted(ZONES)}, not {zone!r}", path)
    if (action == "field") != (target is not None):
        raise _fail(f"{where}: 'field' is required with action 'field' and only then", path)
    if target is not None and target not in FIELDS:
        raise _fail(f"{where}: 'field' must be one of {sorted(FIELDS)}, not {target!r}", path)
    if position not in POSITIONS:
        raise _fail(f"{where}: 'position' must be one of {list(POSITIONS)}, not {position!r}", path)
    source, case_sensitive = entry.get("pattern"), bool(entry.get("case_sensitive"))
    lead = None
    if position == "end":
        lead = _compile(source, case_sensitive, where, path, user, "lead")
    pattern = _compile(source, case_sensitive, where, path, user,
                       "after" if position == "end" else position)
    return Rule(name=name, action=action, zone=zone, pattern=pattern, field=target,
                position=position, lead=lead)


def _read_yaml(path: str, text: str) -> dict[str, Any]:
    data = schema.parse_yaml(text, path)
    if not isinstance(data, dict):
        raise _fail("expected a YAML mapping at the top level", path)
    return schema.expect_mapping(data, path, optional=None)


def parse_rules(text: str, path: str, user: bool = True) -> CleaningRules:
    """Validate and compile a rules file; every problem names the file and the rule.

    A user's file (``user``) is compiled with RE2, so that no pattern can hang the cleaning;
    the shipped rules, reviewed with the code, with ``re``.
    """
    data = _read_yaml(path, text)
    unknown = set(data) - {"version", "structure", "rules"}
    if unknown:
        raise _fail(f"unknown top-level key(s) {sorted(unknown)}", path)
    entries = data.get("rules")
    if not isinstance(entries, list) or not entries:
        raise _fail("'rules' must be a non-empty list", path)
    rules = [_parse_rule(entry, n, path, user) for n, entry in enumerate(entries, 1)]
    _check_unique(rules, path)
    structure = schema.expect_mapping(
        data.get("structure") or {}, path, "structure",
        optional=("max_title_words", "max_caption_words", "max_crosshead_words", "dateline"),
    )
    settings = {}
    for key in ("max_title_words", "max_caption_words", "max_crosshead_words"):
        value = structure.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _fail(f"structure.{key} must be a positive integer", path)
        settings[key] = value
    dateline = _compile(structure.get("dateline"), True, "structure.dateline", path, user)
    return CleaningRules(rules=tuple(rules), dateline=dateline, source=path, **settings)


def _check_unique(rules: Sequence[Rule], path: str) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise _fail(f"rule {rule.name!r} is defined twice", path)
        seen.add(rule.name)


_rules_cache: dict[tuple[str, str], CleaningRules] = {}
_overrides_cache: dict[tuple[str, str, int], CleaningRules] = {}


def _content_key(path: str, text: str) -> tuple[str, str]:
    """Cache key of a file: its resolved path and the SHA-256 of its text, so that a file
    edited in a running session (a notebook) is compiled again."""
    return str(Path(path).resolve()), hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_rules(path: str | None = None) -> CleaningRules:
    """The built-in rules, or a replacement rules file; compiled once per path and content."""
    if path is None:
        name = "research_kit/data/cleaning.yml"
        text = resources.files("research_kit").joinpath("data/cleaning.yml").read_text("utf-8")
        key = (name, hashlib.sha256(text.encode("utf-8")).hexdigest())
    else:
        name, text = path, _read_text(path)
        key = _content_key(path, text)
    if key not in _rules_cache:
        _rules_cache[key] = parse_rules(text, name, user=path is not None)
    return _rules_cache[key]


def _read_text(path: str) -> str:
    return schema.read_text(path)


def load_overrides(path: str, base: str | None = None) -> CleaningRules:
    """Built-in (or `base`) rules adjusted by a corpus overrides file.

    The overrides file has up to three keys: `keep` (patterns of lines never removed), `drop`
    (extra rules, checked before the built-in ones; a bare pattern is a `remove` rule named
    `drop_N`) and `disable` (names of built-in rules to switch off). Compiled once per path,
    content and base rules; patterns run on RE2.
    """
    rules = load_rules(base)
    text = _read_text(path)
    # load_rules keeps each compiled base alive in its cache, so its id names one content
    key = (*_content_key(path, text), id(rules))
    if key not in _overrides_cache:
        _overrides_cache[key] = _apply_overrides(rules, _read_yaml(path, text), path)
    return _overrides_cache[key]


def _apply_overrides(rules: CleaningRules, data: dict[str, Any], path: str) -> CleaningRules:
    unknown = set(data) - OVERRIDE_KEYS
    if unknown:
        raise _fail(f"unknown key(s) {sorted(unknown)}; expected {sorted(OVERRIDE_KEYS)}", path)
    keep = tuple(
        _compile(p, False, f"keep {n}", path) for n, p in enumerate(_as_list(data, "keep", path), 1)
    )
    drop = [
        _parse_rule(entry if isinstance(entry, dict) else {"name": f"drop_{n}", "pattern": entry},
                    n, path)
        for n, entry in enumerate(_as_list(data, "drop", path), 1)
    ]
    disable = set(schema.expect_str_list(data.get("disable") or [], path, "disable"))
    unknown_rules = disable - {r.name for r in rules.rules}
    if unknown_rules:
        raise _fail(f"'disable' names unknown rule(s) {sorted(unknown_rules)}", path)
    kept_rules = [r for r in rules.rules if r.name not in disable]
    _check_unique([*drop, *kept_rules], path)
    return CleaningRules(
        rules=(*drop, *kept_rules),
        dateline=rules.dateline,
        max_title_words=rules.max_title_words,
        max_caption_words=rules.max_caption_words,
        max_crosshead_words=rules.max_crosshead_words,
        keep=rules.keep + keep,
        source=f"{rules.source} + {path}",
    )


def _as_list(data: dict[str, Any], key: str, path: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise _fail(f"'{key}' must be a list", path)
    return value


def normalize_text(text: str) -> tuple[str, dict[str, int]]:
    """NFC, one kind of newline and space, no invisible characters; quotes and apostrophes kept.

    Returns the text and how many characters of each kind were changed, for the audit log.
    """
    counts: dict[str, int] = {}
    for kind, chars in _INVISIBLE.items():
        n = sum(text.count(c) for c in chars)
        if n:
            counts[kind] = n
            text = text.translate(dict.fromkeys(map(ord, chars)))
    n = sum(text.count(chr(c)) for c in _SPACES if chr(c) not in "\t")
    if n:
        counts["nonstandard_space"] = n
    text = _NEWLINES.sub("\n", text).translate(_SPACES)
    text, n = _CONTROL.subn("", text)
    if n:
        counts["control"] = n
    text = unicodedata.normalize("NFC", text)
    return "\n".join(_MULTISPACE.sub(" ", line).strip() for line in text.split("\n")), counts


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _units(text: str) -> list[tuple[int, str]]:
    """(line number, text) of each paragraph of the paste.

    A paste has one paragraph per line; a block of lines between blank lines is re-joined only when
    it is hard-wrapped (every line but the last long, without sentence-final punctuation mostly).
    """
    units: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*text.split("\n"), ""], 1):
        if line:
            block.append((number, line))
            continue
        if len(block) > 1 and _hard_wrapped([t for _, t in block]):
            units.append((block[0][0], " ".join(t for _, t in block)))
        else:
            units.extend(block)
        block = []
    return units


def _hard_wrapped(lines: Sequence[str]) -> bool:
    """True when every line but the last was broken only because the next word would not fit.

    That is how text wrapped at a fixed width looks; separate short lines (a source line above a
    photo line) leave room for the next word and are kept apart.
    """
    width = max(len(line) for line in lines)
    return width >= 40 and all(
        len(line) + 1 + len(following.split(" ", 1)[0]) > width
        for line, following in pairwise(lines)
    )


def _is_heading(line: str, max_words: int) -> bool:
    """A short line without sentence-final punctuation: a title, caption or crosshead."""
    return len(line.split()) <= max_words and not _ends_sentence(line)


def clean_text(
    text: str, rules: CleaningRules | None = None, title: str | None = None
) -> CleanArticle:
    """Clean one pasted article. `title`, when the source already knows it (HTML, tables), is
    used instead of guessing it from the first lines."""
    rules = rules or load_rules()
    normalized, counts = normalize_text(text)
    units = _units(normalized)
    meta: dict[str, list[str]] = {f: [] for f in FIELDS}
    removed: list[Removal] = []

    def take(number: int, text: str, rule: Rule, start: int = 0,
             match: Any | None = None) -> None:
        action = "removed" if rule.action == "remove" else "metadata"
        removed.append(Removal(text, rule.name, action, rule.field, number, start,
                               start + len(text)))
        if rule.field:
            match = match or rule.pattern.search(text)
            value = match.groupdict().get("value") if match else None
            meta[rule.field].append((value or text).strip())

    def trim(number: int, line: str, zone: str) -> tuple[int, str]:
        """Cut span-rule matches off a body paragraph, logging each; (offset kept, text kept)."""
        offset, kept, cuts = _cut_spans(line, zone, rules)
        for rule, match, start, span in cuts:
            take(number, span, rule, start, match)
        return offset, kept

    # Header: lines before the first body paragraph.
    header_candidates: list[tuple[int, str]] = []
    index = 0
    while index < len(units):
        number, line = units[index]
        rule = rules.match(line, "header")
        if rule:
            take(number, line, rule)
        elif title is not None and _fold(line) == _fold(title):
            # The known headline repeated as the first line, even ending in a full stop.
            removed.append(Removal(line, "duplicate_title", "removed", None, number, 0, len(line)))
        elif _is_heading(line, rules.max_title_words) and not line.endswith(":") and (
            _is_heading(_cut_spans(line, "body", rules)[1], rules.max_title_words)
        ):  # a paragraph is prose when it ends a sentence once glued boilerplate is cut off
            header_candidates.append((number, line))
        else:
            break
        index += 1
    found_title, body_units = _header_headings(header_candidates, title, rules, removed, meta)

    # Footer: trailing lines after the last line that reads as prose.
    last_prose = max(
        (i for i in range(index, len(units)) if _ends_sentence(units[i][1])), default=len(units) - 1
    )
    offsets: dict[int, int] = {}
    for position in range(index, len(units)):
        number, line = units[position]
        zone = "footer" if position > last_prose else "body"
        rule = rules.match(line, zone)
        if rule:
            take(number, line, rule)
            continue
        offsets[number], line = trim(number, line, zone)
        if line:
            body_units.append((number, line))

    dateline = _strip_dateline(body_units, rules, removed, offsets)
    paragraphs, body = _assemble(body_units, rules.max_crosshead_words)
    return CleanArticle(
        title=found_title,
        byline=" and ".join(meta["byline"]) or None,
        dateline=dateline,
        source="; ".join(meta["source"]) or None,
        date_line=meta["date_line"][0] if meta["date_line"] else None,
        captions=meta["captions"],
        body=body,
        paragraphs=paragraphs,
        removed=sorted(removed, key=lambda r: (r.line, r.start)),
        normalized=counts,
    )


def _cut_spans(
    line: str, zone: str, rules: CleaningRules
) -> tuple[int, str, list[tuple[Rule, Any, int, str]]]:
    """Span-rule matches cut off both ends of a paragraph, repeatedly until none fires.

    Returns the offset of the kept text in `line`, the kept text, and each cut as (rule, match,
    start of the span in `line`, span).
    """
    offset = 0
    cuts: list[tuple[Rule, Any, int, str]] = []
    while line and (found := rules.match_span(line, zone)):
        rule, match = found
        group = rule.pattern.groupindex[_SPAN]  # RE2 matches take group numbers only
        start, end = match.start(group), match.end(group)
        span = line[start:end].strip()
        cuts.append((rule, match, offset + start + line[start:end].index(span), span))
        if rule.position == "start" or start == 0:  # or a span that was the whole paragraph
            rest = line[end:]
            offset += end + len(rest) - len(rest.lstrip())
            line = rest.strip()
        else:
            line = line[:start].rstrip()
    return offset, line, cuts


def _fold(line: str) -> str:
    """A headline compared loosely: case, spacing and trailing punctuation ignored."""
    return " ".join(line.casefold().split()).rstrip(" .!?:;")


def _is_caption_name(line: str, max_words: int) -> bool:
    """A few capitalised words, such as the name under a lead photo pasted above the headline."""
    words = line.split()
    return len(words) <= max_words and all(w[0].isupper() for w in words)


def _header_headings(
    headings: Sequence[tuple[int, str]],
    known: str | None,
    rules: CleaningRules,
    removed: list[Removal],
    meta: dict[str, list[str]],
) -> tuple[str | None, list[tuple[int, str]]]:
    """Sort the header's short lines into title, captions and body lines.

    The first heading is the title unless a title is already known (HTML, tables) or it is a
    caption-like name with another heading after it. Repeats of the title are dropped; headings
    after the title (standfirsts, venue or date lines) are news text and stay in the body.
    """
    rest = list(headings)
    while len(rest) > 1 and _is_caption_name(rest[0][1], rules.max_caption_words):
        number, line = rest.pop(0)
        removed.append(
            Removal(line, "header_caption", "metadata", "captions", number, 0, len(line))
        )
        meta["captions"].append(line)
    if rest and known is None:
        number, line = rest.pop(0)
        removed.append(Removal(line, "title", "metadata", "title", number, 0, len(line)))
        known = line
    folded = _fold(known or "")
    body: list[tuple[int, str]] = []
    for number, line in rest:
        if _fold(line) == folded:
            removed.append(
                Removal(line, "duplicate_title", "removed", None, number, 0, len(line))
            )
        else:
            body.append((number, line))
    return known, body


def _strip_dateline(
    body_units: list[tuple[int, str]],
    rules: CleaningRules,
    removed: list[Removal],
    offsets: dict[int, int],
) -> str | None:
    """Move a dateline ("STEPANAKERT (Azatutyun) —") off the first prose paragraph."""
    limit = rules.max_title_words
    first = next((i for i, (_, t) in enumerate(body_units) if not _is_heading(t, limit)), None)
    if first is None:
        return None
    number, line = body_units[first]
    match = rules.dateline.match(line)
    if not match:
        return None
    body_units[first] = (number, line[match.end():])
    text = match.group(0).strip()
    start = offsets.get(number, 0) + match.group(0).index(text)
    removed.append(
        Removal(text, "dateline", "metadata", "dateline", number, start, start + len(text))
    )
    return match.group("value").strip()


def _assemble(
    units: Sequence[tuple[int, str]], max_crosshead_words: int
) -> tuple[list[Paragraph], str]:
    lines = [line for _, line in units]
    heading = [_is_heading(line, max_crosshead_words) for line in lines]
    paragraphs: list[Paragraph] = []
    offset = 0
    for i, line in enumerate(lines):
        crosshead = (
            0 < i < len(lines) - 1
            and heading[i]
            and not heading[i - 1]
            and not heading[i + 1]
            and (line[0].isupper() or line[0] in "\"“‘'«")
            and not line.endswith(":")
        )
        paragraphs.append(
            Paragraph(line, offset, offset + len(line), "crosshead" if crosshead else "paragraph")
        )
        offset += len(line) + 2
    return paragraphs, "\n\n".join(lines)
