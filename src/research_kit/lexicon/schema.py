"""The lexicon file: its YAML schema, validated into plain data (terms, categories, sides).

Schema (unknown keys, wrong types, empty terms and duplicates are errors that name the file, the
place and the term; see ``docs/lexicon.md``)::

    name: karabakh                       # required
    description: ...                     # optional
    categories:                          # required: category -> {role?, label?, ..., terms}
      legitimacy_labels:
        role: labels                     # framing (default) | labels | names | other
        label: legitimacy labels         # display label; default: the name, _ as spaces
        description: ...
        terms:                           # term (canonical concept name) -> spec
          de facto:
            variants: [de facto]         # literal phrases
            patterns: ['de[- ]?jure']    # optional regexes, run on RE2 (see user_regex)
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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from research_kit.errors import ResearchKitError
from research_kit.schema import parse_yaml

Case = Literal["auto", "sensitive", "insensitive"]

_TOP_KEYS = {"name", "description", "categories", "actors"}
_CATEGORY_KEYS = {"role", "label", "description", "terms"}
ROLES = {
    "framing": "framing vocabulary: compared by voice (headline, authorial, quoted)",
    "labels": "labels that qualify or deny an actor's legitimacy or standing",
    "names": "naming choices: contested names of places, people and events",
    "other": "counted in every table, without a report section of its own",
}
"""What a category is for in a report; reports build their sections from these roles."""
_TERM_KEYS = {"variants", "patterns", "exclude", "case", "plural", "spelling", "description"}
_ACTOR_KEYS = {"label", "variants", "patterns", "case", "description"}
_CASES = ("auto", "sensitive", "insensitive")
DASHES = "-‐‑‒–—―−"
WORD_SPLIT = re.compile(rf"(\s+|[{DASHES}])")


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
class Category:
    """A set of terms with one role in a report (see `ROLES`) and a label to display."""

    name: str
    description: str | None
    terms: tuple[Term, ...]
    role: str = "framing"
    label: str = ""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of the conflict and the speakers and organisations that speak for it."""

    name: str
    label: str
    variants: tuple[str, ...]
    patterns: tuple[str, ...] = ()
    case: Case = "auto"


@dataclass(frozen=True, slots=True)
class Spec:
    """A lexicon file, validated; :mod:`.compile` turns it into a :class:`Lexicon`."""

    name: str
    description: str | None
    categories: tuple[Category, ...]
    sides: tuple[Side, ...]


def parse(raw: bytes, path: str) -> Spec:
    """Read and validate a lexicon file's bytes; errors name ``path`` and the place."""
    return validate(_load_yaml(raw, path), path)


def _load_yaml(raw: bytes, path: str) -> Any:
    """The lexicon's YAML, read by the strict reader every data file shares."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ResearchKitError(f"lexicon is not UTF-8 text: {exc.reason}", path) from exc
    return parse_yaml(text, path)


def failure(path: str) -> Any:
    """The error factory for ``path``: ``fail(where, problem)`` -> one-line ResearchKitError."""

    def fail(where: str, problem: str) -> ResearchKitError:
        return ResearchKitError(f"{where}: {problem}" if where else problem, path)

    return fail


def validate(data: Any, path: str) -> Spec:
    """Check the parsed YAML against the schema; return it as data."""
    fail = failure(path)
    _check_mapping(data, "", _TOP_KEYS, fail, required=("name", "categories"))
    name = _check_str(data["name"], "name", fail)
    if not isinstance(data["categories"], dict) or not data["categories"]:
        raise fail("categories", "must be a non-empty mapping of category -> terms")

    categories: list[Category] = []
    seen_terms: dict[str, str] = {}
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
            if term_name in seen_terms:
                other = seen_terms[term_name]
                raise fail(where, f"duplicate term (already defined in category {other!r})")
            term = _term(cat_name, term_name, spec, where, fail)
            for variant in term.variants:
                norm = _normalise(variant)
                if norm in seen_variants:
                    raise fail(
                        where,
                        f"duplicate variant {variant!r} (also under term {seen_variants[norm]!r})",
                    )
                seen_variants[norm] = term.name
            seen_terms[term.name] = cat_name
            cat_terms.append(term)
        description = _opt_str(cat, "description", cat_where, fail)
        role = _opt_str(cat, "role", cat_where, fail) or "framing"
        if role not in ROLES:
            raise fail(cat_where, f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        label = _opt_str(cat, "label", cat_where, fail) or cat_name.replace("_", " ")
        categories.append(Category(cat_name, description, tuple(cat_terms), role, label))
    return Spec(
        name=name,
        description=_opt_str(data, "description", "", fail),
        categories=tuple(categories),
        sides=tuple(_sides(data.get("actors"), fail)),
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
    exclude = _str_list(spec, "exclude", where, fail)
    _check_starts(variants + exclude, where, fail)
    return Term(
        category=category,
        name=name,
        variants=variants,
        patterns=patterns,
        exclude=exclude,
        case=_case(spec, where, fail),
        plural=_opt_bool(spec, "plural", where, fail),
        spelling=_opt_bool(spec, "spelling", where, fail),
        description=_opt_str(spec, "description", where, fail),
    )


def _sides(actors: Any, fail: Any) -> list[Side]:
    if actors is None:
        return []
    if not isinstance(actors, dict):
        raise fail("actors", "must be a mapping of side -> {label, variants, patterns}")
    sides: list[Side] = []
    for side_name, spec in actors.items():
        where = f"actors, side {side_name!r}"
        side_name = _check_str(side_name, where, fail)
        _check_mapping(spec, where, _ACTOR_KEYS, fail, required=("label",))
        side = Side(
            name=side_name,
            label=_check_str(spec["label"], f"{where}, label", fail),
            variants=_str_list(spec, "variants", where, fail),
            patterns=_str_list(spec, "patterns", where, fail),
            case=_case(spec, where, fail),
        )
        if not side.variants and not side.patterns:
            raise fail(where, "empty side: give at least one of 'variants' or 'patterns'")
        _check_starts(side.variants, where, fail)
        sides.append(side)
    return sides


def _case(spec: dict[str, Any], where: str, fail: Any) -> Case:
    case = spec.get("case", "auto")
    if case not in _CASES:
        raise fail(where, f"'case' must be one of {', '.join(_CASES)}, not {case!r}")
    return case


def _normalise(variant: str) -> str:
    return " ".join(WORD_SPLIT.sub(" ", variant.casefold().replace("’", "'")).split())


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
