"""Compiling a lexicon: every variant and pattern becomes an alternative of one matcher.

What the compiler does for every variant, so the lexicon lists concepts, not spellings:

- a space matches any run of spaces, hyphens or dashes, and a hyphen matches a hyphen, dash,
  space or nothing ("Nagorno Karabakh", "Nagorno–Karabakh", "selfproclaimed");
- any apostrophe matches straight, curly or modifier apostrophes;
- ``case: auto`` matches all-capital acronyms ("NKR", "EU") case-sensitively and everything else
  case-insensitively;
- ``spelling`` adds British/American alternatives word by word (-ise/-ize and -isation/-ization,
  -yse/-yze, -our/-or, -tre/-ter, -ence/-ense in defence/offence/licence, -elled/-eled,
  -ogue/-og);
- matches must start and end at word boundaries, and start with a letter or digit.

In ``patterns`` a space, hyphen or apostrophe outside a character class gets the same treatment;
write ``\\x20`` for a literal space. Case follows ``case`` (``auto`` means insensitive). Patterns
are users' regexes, so they are compiled with RE2 (:mod:`research_kit.user_regex`): linear-time
matching, no lookarounds or backreferences. Variants are escaped literals, compiled with ``re``.
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Any

from research_kit.errors import ResearchKitError
from research_kit.lexicon.match import Alternative, Lexicon, Matcher, fold
from research_kit.lexicon.schema import DASHES, WORD_SPLIT, Spec, Term, failure, parse
from research_kit.user_regex import UserRegexError, compile_user_regex, unicode_classes

_APOSTROPHES = "'’‘ʼ′`´"
_APOS = f"[{_APOSTROPHES}]"
# Separators never cross a line break: a cleaned body's paragraphs are separate.
# Grouped so that a quantifier after a space in a user pattern ("negotiation ?format") applies
# to the whole run.
_SPACE = rf"(?:(?:[^\S\n]|[{DASHES}])+)"
_HYPHEN = rf"(?:(?:[^\S\n]|[{DASHES}])*)"
# The same for RE2, whose \s is ASCII: Python's whitespace but the line break, spelt out.
_HSPACE = "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(0x3001))
                  if c.isspace() and c != "\n")
_SPACE_RE2 = f"(?:[{_HSPACE}\\{DASHES}]+)"  # DASHES starts with "-", escaped here
_HYPHEN_RE2 = f"(?:[{_HSPACE}\\{DASHES}]*)"
# RE2 has no (?!\w): a match is followed by a non-word character or the end (see match.py).
_END_RE2 = r"(?:[^\pL\pN_]|\z)"

# (word ending, replacement regex fragment): British/American spellings, applied to one word.
_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(ending, re.IGNORECASE), fragment)
    for ending, fragment in (
        (r"(?<=\w{3})i[sz](?=(?:e|ed|es|ing|ation|ations|ational|er|ers)$)", "i[sz]"),
        (r"(?<=\w{2})y[sz](?=(?:e|ed|es|ing|er|ers)$)", "y[sz]"),
        (r"(?<=\w{3})ou?r(?=(?:s|ed|ing|ite|ites|able|ably)?$)", "ou?r"),
        (r"(?:(?<=\w{2})tre|(?:(?<=cen)|(?<=thea)|(?<=spec)|(?<=me)|(?<=li))ter)(?=s?$)",
         "t(?:re|er)"),
        (r"(?<=\w[fc]en)[cs](?=es?$)", "[cs]"),
        (r"(?<=\w{2}e)ll?(?=(?:ed|ing|er|ers)$)", "ll?"),
        (r"(?<=\w{3})og(?:ue)?(?=s?$)", "og(?:ue)?"),
    )
)

_cache: dict[tuple[str, str], Lexicon] = {}


def default_lexicon_path() -> Path:
    """The shipped Karabakh case-study lexicon."""
    return Path(str(resources.files("research_kit") / "data" / "lexicons" / "karabakh.yml"))


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load, validate and compile a lexicon; compiled once per file path and content."""
    path = Path(path) if path is not None else default_lexicon_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ResearchKitError(f"cannot read lexicon: {exc.strerror or exc}", str(path)) from exc
    key = (str(path.resolve()), hashlib.sha256(raw).hexdigest())
    if key not in _cache:
        _cache[key] = compile_spec(parse(raw, str(path)), str(path), key[1])
    return _cache[key]


def compile_spec(spec: Spec, path: str, sha256: str) -> Lexicon:
    """Build the matchers of a validated lexicon; a bad pattern names ``path`` and its place."""
    fail = failure(path)
    terms: dict[str, Term] = {}
    alternatives: dict[str, tuple[Alternative, ...]] = {}
    for category in spec.categories:
        for term in category.terms:
            where = f"category {category.name!r}, term {term.name!r}"
            terms[term.name] = term
            alternatives[term.name] = tuple(_alternatives_of(term, category.name, where, fail))
    actor_alts: list[Alternative] = []
    for side in spec.sides:
        as_term = Term("actors", side.name, side.variants, side.patterns, case=side.case)
        actor_alts += _alternatives_of(as_term, "actors", f"actors, side {side.name!r}", fail)
    return Lexicon(
        name=spec.name,
        path=path,
        sha256=sha256,
        description=spec.description,
        categories=spec.categories,
        sides=spec.sides,
        _matcher=Matcher([alt for alts in alternatives.values() for alt in alts]),
        _actors=Matcher(actor_alts),
        _terms=terms,
        _alternatives=alternatives,
    )


def _alternatives_of(term: Term, group: str, where: str, fail: Any) -> list[Alternative]:
    alts = [
        Alternative(group, term.name, re.compile(_variant_regex(v, term)), _variant_keys(v))
        for v in term.variants
    ]
    alts += [
        Alternative(group, None, re.compile(_variant_regex(v, term, plural=False)),
                    _variant_keys(v))
        for v in term.exclude
    ]
    for i, pattern in enumerate(term.patterns):
        regex = _pattern_regex(pattern, term.case, f"{where}, patterns[{i}]", fail)
        alts.append(Alternative(group, term.name, regex, None))
    return alts


def _variant_keys(variant: str) -> frozenset[str]:
    """Keys of a literal: its first word's letters, and, across a hyphen, the joined word's."""
    first = re.match(r"\w+", variant)
    assert first is not None, "validated: variants start with a letter or digit"
    joined = re.match(rf"\w+(?:[{DASHES}]\w+)*", variant).group()  # type: ignore[union-attr]
    joined = re.sub(f"[{DASHES}]", "", joined)
    return frozenset({fold(first.group()[:3]), fold(joined[:3])})


def _variant_regex(variant: str, term: Term, plural: bool | None = None) -> str:
    """Regex for one literal variant: generic separators, apostrophes, spellings, plural."""
    plural = term.plural if plural is None else plural
    parts = [p for p in WORD_SPLIT.split(variant.strip()) if p]
    pieces: list[str] = []
    words = [i for i, p in enumerate(parts) if not WORD_SPLIT.fullmatch(p)]
    for i, part in enumerate(parts):
        if part.isspace():
            pieces.append(_SPACE)
        elif WORD_SPLIT.fullmatch(part):
            pieces.append(_HYPHEN)
        else:
            pieces.append(_word_regex(part, term.spelling, plural and i == words[-1]))
    sensitive = term.case == "sensitive" or (term.case == "auto" and _is_acronym(variant))
    body = "".join(pieces)
    return rf"(?<!\w){body if sensitive else f'(?i:{body})'}(?!\w)"


def _word_regex(word: str, spelling: bool, plural: bool) -> str:
    if spelling:
        for ending, fragment in _SPELLINGS:
            m = ending.search(word)
            if m:
                out = _escape(word[: m.start()]) + fragment + _escape(word[m.end():])
                return out + ("(?:e?s)?" if plural and word[-1:].isalpha() else "")
    if plural and re.search(r"[^aeiou\W]y$", word, re.IGNORECASE):
        return _escape(word[:-1]) + "(?:y|ies)"
    return _escape(word) + ("(?:e?s)?" if plural and word[-1:].isalpha() else "")


def _escape(text: str) -> str:
    return "".join(_APOS if ch in _APOSTROPHES else re.escape(ch) for ch in text)


def _is_acronym(variant: str) -> bool:
    letters = [ch for ch in variant if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _pattern_regex(pattern: str, case: str, where: str, fail: Any) -> Any:
    """Compile a user regex on RE2 with generic separators, word boundaries and scoped case."""
    try:
        if re.search(r"\(\?[a-zA-Z]+\)", pattern):
            raise UserRegexError(f"invalid regex {pattern!r}: inline flags are not allowed"
                                 " (use 'case')")
        plain = compile_user_regex(pattern)
        if plain.groupindex or re.search(r"\(\?P=", pattern):
            raise fail(where, f"regex {pattern!r} must not use named groups or backreferences")
        if plain.match(""):
            raise fail(where, f"regex {pattern!r} matches the empty string")
        body = _generalise(unicode_classes(pattern))
        body = f"(?:{body})" if case == "sensitive" else f"(?i:{body})"
        return compile_user_regex(pattern, translated=f"({body}){_END_RE2}")
    except UserRegexError as exc:
        raise fail(where, str(exc)) from None


def _generalise(pattern: str) -> str:
    """Give unescaped spaces, hyphens and apostrophes outside classes the variant treatment."""
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]" or out[-2] == "["
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == " ":
            out.append(_SPACE_RE2)
        elif ch == "-":
            out.append(_HYPHEN_RE2)
        elif ch in _APOSTROPHES:
            out.append(_APOS)
        else:
            out.append(ch)
    return "".join(out)
