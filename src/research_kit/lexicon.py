"""Framing lexicons: a validated YAML schema, compiled once into one matcher per lexicon.

A lexicon is data, so a reader can audit every word a metric counts and a user can bring their
own (``--lexicon FILE``). Schema (unknown keys, wrong types, empty terms, invalid regexes and
duplicates are errors that name the file, the place and the term; see ``docs/lexicon.md``)::

    name: karabakh                       # required
    description: ...                     # optional
    categories:                          # required: category -> {description?, terms}
      legitimacy_labels:
        description: ...
        terms:                           # term (canonical concept name) -> spec
          de facto:
            variants: [de facto]         # literal phrases
            patterns: ['de[- ]?jure']    # optional regexes (no named groups or backrefs)
            exclude: [ceasefire regime]  # phrases in which the term does not count
            case: auto                   # auto | sensitive | insensitive
            plural: true                 # last word may take -s/-es (consonant+y -> -ies)
            spelling: true               # British/American alternatives of each word
            description: ...
          Shusha: [Shusha, Şuşa]         # shorthand: a list is the variants
    actors:                              # optional: side -> who speaks for it
      azerbaijani_government:
        label: Azerbaijani government
        variants: [Ilham Aliyev, Baku]
        patterns: ['Azerbaijani (?:foreign|defen[cs]e) ministry']

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
write ``\\x20`` for a literal space. Case follows ``case`` (``auto`` means insensitive).

Within a category matches never overlap: the leftmost match wins and, among matches starting at
the same place, the longest ("de facto Nagorno-Karabakh Republic" yields "Nagorno-Karabakh", not
also "Karabakh", in a category holding both). Overlaps are resolved within a category only, so
matches of different categories may overlap.

One pass over a text serves every category: each alternative is indexed by the first three
letters it can start with (read from a pattern's parse tree), a trie regex of those keys finds
the candidate word starts in C, and only the alternatives filed under a word's key are tried
there. A pattern whose start cannot be read (``\\w+stan``) is tried at every word.
"""

from __future__ import annotations

import hashlib
import re
import re._constants as _sre  # parse-tree opcodes, to index user regexes by first letters
import re._parser as _parser
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from research_kit.errors import ResearchKitError

Case = Literal["auto", "sensitive", "insensitive"]

_TOP_KEYS = {"name", "description", "categories", "actors"}
_CATEGORY_KEYS = {"description", "terms"}
_TERM_KEYS = {"variants", "patterns", "exclude", "case", "plural", "spelling", "description"}
_ACTOR_KEYS = {"label", "variants", "patterns", "case", "description"}
_CASES = ("auto", "sensitive", "insensitive")

_APOSTROPHES = "'’‘ʼ′`´"
_DASHES = "-‐‑‒–—―−"
_APOS = f"[{_APOSTROPHES}]"
# Separators never cross a line break: a cleaned body's paragraphs are separate.
# Grouped so that a quantifier after a space in a user pattern ("negotiation ?format") applies
# to the whole run.
_SPACE = rf"(?:(?:[^\S\n]|[{_DASHES}])+)"
_HYPHEN = rf"(?:(?:[^\S\n]|[{_DASHES}])*)"
_WORD_SPLIT = re.compile(rf"(\s+|[{_DASHES}])")
_WORD_START = re.compile(r"(?<!\w)\w{1,3}")
# IGNORECASE treats these as equal to their ASCII look-alikes; keys must be as loose.
_FOLD = str.maketrans({"ı": "i", "\u0307": None, "ſ": "s", "ς": "σ"})
_MAX_KEY_STATES = 2000

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


@dataclass(frozen=True, slots=True)
class Term:
    """One concept of a category and the phrases and regexes that express it."""

    category: str
    name: str
    variants: tuple[str, ...]
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    case: Case = "auto"
    plural: bool = True
    spelling: bool = True
    description: str | None = None


@dataclass(frozen=True, slots=True)
class _Alternative:
    group: str  # category (or side) whose matches must not overlap
    label: str | None  # term or side name; None for an exclusion, which only blocks
    regex: re.Pattern[str]
    keys: frozenset[str] | None  # folded first three letters a match can start with


class Matcher:
    """Leftmost-longest, non-overlapping (per group) matching of many alternatives.

    One pass finds the word starts; only the alternatives whose first letters fit a word's
    (a dictionary lookup) are tried there, anchored. This costs a fraction of one big
    alternation, which the regex engine would try branch by branch at every position.
    """

    def __init__(self, alternatives: list[_Alternative]) -> None:
        self._by_key: dict[str, list[tuple[int, _Alternative]]] = {}
        self._unkeyed: list[tuple[int, _Alternative]] = []
        for order, alt in enumerate(alternatives):
            if alt.keys is None:
                self._unkeyed.append((order, alt))
            for key in alt.keys or ():
                self._by_key.setdefault(key, []).append((order, alt))
        # Candidate word starts are found in C: a trie of the keys, unless some alternative
        # can start anywhere.
        self._starts = (
            _WORD_START
            if self._unkeyed or not self._by_key
            else re.compile(rf"(?<!\w)(?i:{_trie(sorted(self._by_key))})")
        )

    def finditer(self, text: str) -> Iterator[tuple[str, int, int, str]]:
        """Yield ``(group, start, end, label)`` in order of ``start``."""
        found: list[tuple[int, int, int, str, str | None]] = []
        for word in self._starts.finditer(text):
            start = word.start()
            key = _WORD_START.match(text, start).group().lower()  # type: ignore[union-attr]
            tried = self._by_key.get(key if key.isascii() else _fold(key), [])
            for order, alt in tried + self._unkeyed if self._unkeyed else tried:
                m = alt.regex.match(text, start)
                if m:
                    found.append((start, -m.end(), order, alt.group, alt.label))
        found.sort()
        last_end: dict[str, int] = {}
        for start, neg_end, _, group, label in found:
            if start < last_end.get(group, 0):
                continue
            last_end[group] = -neg_end
            if label is not None:
                yield group, start, -neg_end, label


def _trie(keys: list[str], depth: int = 0) -> str:
    """A regex for exactly the keys; a key shorter than three letters must end its word."""
    branches = []
    for first in sorted({k[0] for k in keys}):
        rest = [k[1:] for k in keys if k[0] == first]
        options = [_trie([r for r in rest if r], depth + 1)] if any(rest) else []
        if "" in rest and depth < 2:
            options.append(r"(?!\w)")
        branches.append(re.escape(first) + (f"(?:{'|'.join(options)})" if options else ""))
    return "|".join(branches)


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    description: str | None
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Side:
    """One side of the conflict and the speakers and organisations that speak for it."""

    name: str
    label: str
    variants: tuple[str, ...]
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """A validated, compiled lexicon; build it with :func:`load_lexicon`."""

    name: str
    path: str
    sha256: str
    description: str | None
    categories: tuple[Category, ...]
    sides: tuple[Side, ...]
    _matcher: Matcher = field(repr=False, compare=False)
    _actors: Matcher = field(repr=False, compare=False)
    _terms: Mapping[str, Term] = field(repr=False, compare=False)
    _alternatives: Mapping[str, tuple[_Alternative, ...]] = field(repr=False, compare=False)
    _term_matchers: dict[str, Matcher] = field(default_factory=dict, repr=False, compare=False)

    def scan(self, text: str) -> Iterator[tuple[str, int, int, str]]:
        """Yield ``(category, start, end, term)`` for every match, in order of ``start``."""
        return self._matcher.finditer(text)

    def term(self, name: str) -> Term | None:
        """The term called ``name`` (exact, else case-insensitive), or None."""
        found = self._terms.get(name)
        if found is None:
            folded = name.casefold()
            found = next((t for n, t in self._terms.items() if n.casefold() == folded), None)
        return found

    def term_matcher(self, name: str) -> Matcher:
        """A matcher for one term (with its exclusions), for concordances of a concept."""
        term = self.term(name)
        if term is None:
            raise KeyError(name)
        if term.name not in self._term_matchers:
            self._term_matchers[term.name] = Matcher(list(self._alternatives[term.name]))
        return self._term_matchers[term.name]

    def side_of(self, speaker: str | None) -> str | None:
        """The side whose actor names match ``speaker`` (the longest match wins)."""
        if not speaker:
            return None
        best: tuple[int, str] | None = None
        for _, start, end, side in self._actors.finditer(speaker):
            if best is None or end - start > best[0]:
                best = (end - start, side)
        return best[1] if best else None


def default_lexicon_path() -> Path:
    """The shipped Karabakh case-study lexicon."""
    return Path(str(resources.files("research_kit") / "data" / "lexicons" / "karabakh.yml"))


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load, validate and compile a lexicon; compiled once per file content."""
    path = Path(path) if path is not None else default_lexicon_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ResearchKitError(f"cannot read lexicon: {exc.strerror or exc}", str(path)) from exc
    key = (str(path.resolve()), hashlib.sha256(raw).hexdigest())
    if key not in _cache:
        _cache[key] = _compile(_parse(raw, str(path)), str(path), key[1])
    return _cache[key]


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loader that rejects duplicate mapping keys, which PyYAML silently overwrites."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _parse(raw: bytes, path: str) -> Any:
    try:
        return yaml.load(raw.decode("utf-8"), Loader=_UniqueKeyLoader)  # a SafeLoader
    except UnicodeDecodeError as exc:
        raise ResearchKitError(f"lexicon is not UTF-8 text: {exc.reason}", path) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        context = f"{exc.context}: " if exc.context else ""
        raise ResearchKitError(f"invalid YAML: {context}{exc.problem}{where}", path) from exc
    except yaml.YAMLError as exc:
        raise ResearchKitError(f"invalid YAML: {' '.join(str(exc).split())}", path) from exc


def _compile(data: Any, path: str, sha256: str) -> Lexicon:
    def fail(where: str, problem: str) -> ResearchKitError:
        return ResearchKitError(f"{where}: {problem}" if where else problem, path)

    _check_mapping(data, "", _TOP_KEYS, fail, required=("name", "categories"))
    name = _check_str(data["name"], "name", fail)
    if not isinstance(data["categories"], dict) or not data["categories"]:
        raise fail("categories", "must be a non-empty mapping of category -> terms")

    categories: list[Category] = []
    terms: dict[str, Term] = {}
    alternatives: dict[str, tuple[_Alternative, ...]] = {}
    for cat_name, cat in data["categories"].items():
        cat_where = f"category {cat_name!r}"
        cat_name = _check_str(cat_name, cat_where, fail)
        _check_mapping(cat, cat_where, _CATEGORY_KEYS, fail, required=("terms",))
        if not isinstance(cat["terms"], dict) or not cat["terms"]:
            raise fail(cat_where, "'terms' must be a non-empty mapping of term -> variants")
        cat_terms: list[Term] = []
        seen_variants: dict[str, str] = {}
        for term_name, spec in cat["terms"].items():
            where = f"{cat_where}, term {term_name!r}"
            term_name = _check_str(term_name, where, fail)
            if term_name in terms:
                other = terms[term_name].category
                raise fail(where, f"duplicate term (already defined in category {other!r})")
            term = _term(cat_name, term_name, spec, where, fail)
            alts = _alternatives_of(term, cat_name, where, fail)
            for variant in term.variants:
                norm = _normalise(variant)
                if norm in seen_variants:
                    raise fail(
                        where,
                        f"duplicate variant {variant!r} (also under term {seen_variants[norm]!r})",
                    )
                seen_variants[norm] = term.name
            terms[term.name] = term
            alternatives[term.name] = tuple(alts)
            cat_terms.append(term)
        description = _opt_str(cat, "description", cat_where, fail)
        categories.append(Category(cat_name, description, tuple(cat_terms)))

    sides, actor_alts = _sides(data.get("actors"), fail)
    return Lexicon(
        name=name,
        path=path,
        sha256=sha256,
        description=_opt_str(data, "description", "", fail),
        categories=tuple(categories),
        sides=tuple(sides),
        _matcher=Matcher([alt for alts in alternatives.values() for alt in alts]),
        _actors=Matcher(actor_alts),
        _terms=terms,
        _alternatives=alternatives,
    )


def _term(category: str, name: str, spec: Any, where: str, fail: Any) -> Term:
    if spec is None:
        raise fail(where, "empty term: give 'variants' or 'patterns'")
    if isinstance(spec, list):  # shorthand: a term given as its list of variants
        spec = {"variants": spec}
    _check_mapping(spec, where, _TERM_KEYS, fail)
    variants = _str_list(spec, "variants", where, fail)
    patterns = _str_list(spec, "patterns", where, fail)
    if not variants and not patterns:
        raise fail(where, "empty term: give at least one of 'variants' or 'patterns'")
    case = spec.get("case", "auto")
    if case not in _CASES:
        raise fail(where, f"'case' must be one of {', '.join(_CASES)}, not {case!r}")
    exclude = _str_list(spec, "exclude", where, fail)
    _check_starts(variants + exclude, where, fail)
    return Term(
        category=category,
        name=name,
        variants=variants,
        patterns=patterns,
        exclude=exclude,
        case=case,
        plural=_opt_bool(spec, "plural", where, fail),
        spelling=_opt_bool(spec, "spelling", where, fail),
        description=_opt_str(spec, "description", where, fail),
    )


def _sides(actors: Any, fail: Any) -> tuple[list[Side], list[_Alternative]]:
    if actors is None:
        return [], []
    if not isinstance(actors, dict):
        raise fail("actors", "must be a mapping of side -> {label, variants, patterns}")
    sides: list[Side] = []
    alts: list[_Alternative] = []
    for side_name, spec in actors.items():
        where = f"actors, side {side_name!r}"
        side_name = _check_str(side_name, where, fail)
        _check_mapping(spec, where, _ACTOR_KEYS, fail, required=("label",))
        side = Side(
            name=side_name,
            label=_check_str(spec["label"], f"{where}, label", fail),
            variants=_str_list(spec, "variants", where, fail),
            patterns=_str_list(spec, "patterns", where, fail),
        )
        if not side.variants and not side.patterns:
            raise fail(where, "empty side: give at least one of 'variants' or 'patterns'")
        _check_starts(side.variants, where, fail)
        case = spec.get("case", "auto")
        if case not in _CASES:
            raise fail(where, f"'case' must be one of {', '.join(_CASES)}, not {case!r}")
        as_term = Term("actors", side_name, side.variants, side.patterns, case=case)
        sides.append(side)
        alts.extend(_alternatives_of(as_term, "actors", where, fail))
    return sides, alts


def _alternatives_of(term: Term, group: str, where: str, fail: Any) -> list[_Alternative]:
    alts = [
        _Alternative(group, term.name, re.compile(_variant_regex(v, term)), _variant_keys(v))
        for v in term.variants
    ]
    alts += [
        _Alternative(group, None, re.compile(_variant_regex(v, term, plural=False)),
                     _variant_keys(v))
        for v in term.exclude
    ]
    for i, pattern in enumerate(term.patterns):
        regex = _pattern_regex(pattern, term.case, f"{where}, patterns[{i}]", fail)
        alts.append(_Alternative(group, term.name, regex, _pattern_keys(pattern)))
    return alts


def _fold(prefix: str) -> str:
    """Dictionary key of a word's first letters, as loose as the regex engine's IGNORECASE."""
    return prefix.lower().translate(_FOLD)


def _variant_keys(variant: str) -> frozenset[str]:
    """Keys of a literal: its first word's letters, and, across a hyphen, the joined word's."""
    first = re.match(r"\w+", variant)
    assert first is not None, "validated: variants start with a letter or digit"
    joined = re.match(rf"\w+(?:[{_DASHES}]\w+)*", variant).group()  # type: ignore[union-attr]
    joined = re.sub(f"[{_DASHES}]", "", joined)
    return frozenset({_fold(first.group()[:3]), _fold(joined[:3])})


def _pattern_keys(pattern: str) -> frozenset[str] | None:
    """Keys of a regex, from its parse tree; None (try everywhere) when it cannot tell."""
    try:
        states = _walk(_parser.parse(pattern), {("", True)})
    except (_Unanalysable, re.error, RecursionError):
        return None
    if any(not prefix for prefix, _ in states):
        return None
    return frozenset(_fold(prefix) for prefix, _ in states)


def _variant_regex(variant: str, term: Term, plural: bool | None = None) -> str:
    """Regex for one literal variant: generic separators, apostrophes, spellings, plural."""
    plural = term.plural if plural is None else plural
    parts = [p for p in _WORD_SPLIT.split(variant.strip()) if p]
    pieces: list[str] = []
    words = [i for i, p in enumerate(parts) if not _WORD_SPLIT.fullmatch(p)]
    for i, part in enumerate(parts):
        if part.isspace():
            pieces.append(_SPACE)
        elif _WORD_SPLIT.fullmatch(part):
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


def _pattern_regex(pattern: str, case: Case, where: str, fail: Any) -> re.Pattern[str]:
    """Compile a user regex with generic separators, word boundaries and scoped case."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise fail(where, f"invalid regex {pattern!r}: {exc}") from exc
    if compiled.groupindex or re.search(r"\\[1-9]|\(\?P=", pattern):
        raise fail(where, f"regex {pattern!r} must not use named groups or backreferences")
    if compiled.match(""):
        raise fail(where, f"regex {pattern!r} matches the empty string")
    body = _generalise(pattern)
    body = f"(?:{body})" if case == "sensitive" else f"(?i:{body})"
    try:
        return re.compile(rf"(?<!\w){body}(?!\w)")
    except re.error as exc:  # e.g. global flags such as (?i) in the middle of a pattern
        problem = f"invalid regex {pattern!r}: {exc} (use 'case', not inline flags)"
        raise fail(where, problem) from exc


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
            out.append(_SPACE)
        elif ch == "-":
            out.append(_HYPHEN)
        elif ch in _APOSTROPHES:
            out.append(_APOS)
        else:
            out.append(ch)
    return "".join(out)


class _Unanalysable(Exception):
    """A regex construct the key analysis does not follow (e.g. ``.`` or ``\\w`` first)."""


_State = tuple[str, bool]  # (first letters so far, whether the first word may go on)


def _walk(items: Any, states: set[_State]) -> set[_State]:
    """Follow a parse tree, collecting the possible first three letters of a match."""
    for op, av in items:
        if not any(open_ for _, open_ in states):
            break
        if op is _sre.LITERAL:
            states = _step(states, {chr(av)})
        elif op is _sre.IN:
            states = _step(states, _class_chars(av))
        elif op is _sre.BRANCH:
            states = set().union(*(_walk(branch, states) for branch in av[1]))
        elif op is _sre.SUBPATTERN:
            states = _walk(av[3], states)
        elif op is _sre.ATOMIC_GROUP:
            states = _walk(av, states)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            low, high, item = av
            out, current = set(), states
            for count in range(min(high, max(low, 3)) + 1):
                if count >= low:
                    out |= current
                current = _walk(item, current)
            states = out
        elif op not in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            raise _Unanalysable(op)
        if len(states) > _MAX_KEY_STATES:
            raise _Unanalysable("too many alternatives")
    return states


def _step(states: set[_State], chars: set[str]) -> set[_State]:
    out: set[_State] = set()
    for prefix, open_ in states:
        if not open_:
            out.add((prefix, False))
            continue
        for ch in chars:
            if ch.isalnum() or ch == "_":
                out.add((prefix + ch, len(prefix) < 2))
            elif ch in _DASHES:  # optional in the generalised pattern: the word may go on
                out.update({(prefix, False), (prefix, True)})
            else:
                out.add((prefix, False))
    return out


def _class_chars(items: Any) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < 100:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            raise _Unanalysable(op)
    return chars


def _normalise(variant: str) -> str:
    return " ".join(_WORD_SPLIT.sub(" ", variant.casefold().replace("’", "'")).split())


def _check_starts(phrases: tuple[str, ...], where: str, fail: Any) -> None:
    bad = next((p for p in phrases if not re.match(r"\w", p)), None)
    if bad is not None:
        raise fail(where, f"variant {bad!r} must start with a letter or digit")


def _check_mapping(
    value: Any, where: str, allowed: set[str], fail: Any, required: tuple[str, ...] = ()
) -> None:
    if not isinstance(value, dict):
        raise fail(where, f"must be a mapping, not {type(value).__name__}")
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise fail(where, f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
    for key in required:
        if key not in value:
            raise fail(where, f"missing required key {key!r}")


def _check_str(value: Any, where: str, fail: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(where, f"must be a non-empty string, not {value!r}")
    return value.strip()


def _opt_str(spec: dict[str, Any], key: str, where: str, fail: Any) -> str | None:
    value = spec.get(key)
    if value is not None and not isinstance(value, str):
        raise fail(where, f"{key!r} must be a string, not {type(value).__name__}")
    return value


def _opt_bool(spec: dict[str, Any], key: str, where: str, fail: Any) -> bool:
    value = spec.get(key, True)
    if not isinstance(value, bool):
        raise fail(where, f"{key!r} must be true or false, not {value!r}")
    return value


def _str_list(spec: dict[str, Any], key: str, where: str, fail: Any) -> tuple[str, ...]:
    value = spec.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise fail(where, f"{key!r} must be a list of strings, not {type(value).__name__}")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise fail(where, f"{key}[{i}] must be a non-empty string, not {item!r}")
        out.append(item.strip())
    return tuple(out)
