"""The codebook: which variables coders code for each unit, their levels and allowed codes.

It is data (`research_kit/data/codebook.yml`, schema in that file and in docs/validation.md), so
a project can bring its own with `--codebook FILE`. Each variable may say how research_kit's own
code is read off a unit (`auto`), which is what the coders' codes are compared against.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ResearchKitError
from ..schema import parse_yaml, read_text

UNITS = ("quotes", "terms", "articles")
LEVELS = ("nominal", "ordinal")
FREE = "free"
_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")
_VARIABLE_KEYS = {"name", "question", "level", "codes", "codes_from", "auto"}
_AUTO_KEYS = {"column", "value", "map", "default", "bins"}
_CODES_FROM = ("sides",)


def default_codebook_path() -> Path:
    return Path(str(resources.files("research_kit").joinpath("data", "codebook.yml")))


def normalise_text(text: str) -> str:
    """Free-text codes compare ignoring case and spacing ("Ilham  aliyev" = "Ilham Aliyev")."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True, slots=True)
class AutoCode:
    """How research_kit's own code for a variable is read off one unit's row."""

    column: str | None = None
    value: str | None = None
    mapping: Mapping[Any, str] = field(default_factory=dict)
    default: str | None = None
    bins: tuple[tuple[str, float | None], ...] = ()

    def code(self, row: Mapping[str, Any]) -> str | None:
        """The automatic code of a unit, or None when research_kit gives none."""
        if self.value is not None:
            return self.value
        if self.column not in row:
            return None  # e.g. a record field this version of the pipeline does not produce
        raw = row[self.column]
        if self.bins and isinstance(raw, int | float) and not isinstance(raw, bool):
            return next(code for code, bound in self.bins if bound is None or raw <= bound)
        if raw in self.mapping:
            return self.mapping[raw]
        if self.default is not None:
            return self.default
        return None if raw is None else str(raw)


@dataclass(frozen=True, slots=True)
class Variable:
    """One coded variable: its sheet column, question, level and codes (None: free text)."""

    name: str
    question: str
    level: str
    codes: tuple[str, ...] | None
    auto: AutoCode | None = None

    @property
    def free(self) -> bool:
        return self.codes is None

    def canonical(self, text: str) -> str | None:
        """The code a coder's cell means (None if blank); ValueError for a code not in the list."""
        text = " ".join(str(text).split())
        if not text:
            return None
        if self.codes is None:
            return normalise_text(text)
        for code in self.codes:
            if code.casefold() == text.casefold():
                return code
        raise ValueError(text)

    def to_dict(self) -> dict[str, Any]:
        """What a key file keeps of the variable (the codes it was sampled with)."""
        return {"name": self.name, "question": self.question, "level": self.level,
                "codes": list(self.codes) if self.codes is not None else FREE}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Variable:
        codes = data["codes"]
        return cls(str(data["name"]), str(data["question"]), str(data["level"]),
                   None if codes == FREE else tuple(str(c) for c in codes))


@dataclass(frozen=True, slots=True)
class Codebook:
    """The variables of every unit type, with the file they came from."""

    units: Mapping[str, tuple[Variable, ...]]
    descriptions: Mapping[str, str]
    path: Path
    sha256: str

    def variables(self, unit: str) -> tuple[Variable, ...]:
        if unit not in self.units:
            raise ResearchKitError(
                f"the codebook has no unit {unit!r} (it has: {', '.join(self.units)})",
                str(self.path),
            )
        return self.units[unit]


def load_codebook(path: str | Path | None = None, sides: Sequence[str] = ()) -> Codebook:
    """Read and check a codebook; `sides` (the lexicon's side names) fill `codes_from: sides`."""
    path = Path(path) if path else default_codebook_path()
    text = read_text(path)  # the project's strict reader: duplicate keys are errors too
    data = parse_yaml(text, str(path))

    def fail(where: str, problem: str) -> ResearchKitError:
        return ResearchKitError(f"{where}: {problem}", str(path))

    if not isinstance(data, dict) or set(data) != {"units"} or not isinstance(data["units"], dict):
        raise fail("top level", "expected a mapping with one key, 'units'")
    units: dict[str, tuple[Variable, ...]] = {}
    descriptions: dict[str, str] = {}
    for unit, spec in data["units"].items():
        where = f"unit {unit!r}"
        if unit not in UNITS:
            raise fail(where, f"unknown unit (known: {', '.join(UNITS)})")
        if not isinstance(spec, dict) or set(spec) - {"description", "variables"}:
            raise fail(where, "expected a mapping with 'description' and 'variables'")
        variables = spec.get("variables")
        if not isinstance(variables, list) or not variables:
            raise fail(where, "'variables' must be a non-empty list")
        parsed = [_variable(entry, f"{where}, variable {n}", sides, fail)
                  for n, entry in enumerate(variables, 1)]
        names = [v.name for v in parsed]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise fail(where, f"variable names used twice: {twice}")
        units[unit] = tuple(parsed)
        descriptions[unit] = " ".join(str(spec.get("description") or "").split())
    return Codebook(units, descriptions, path, hashlib.sha256(text.encode()).hexdigest())


def _variable(entry: Any, where: str, sides: Sequence[str], fail: Any) -> Variable:
    if not isinstance(entry, dict):
        raise fail(where, "expected a mapping")
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise fail(where, f"name {name!r} must be lower-case letters, digits or _")
    where = f"{where.rsplit(',', 1)[0]}, variable {name!r}"
    unknown = set(entry) - _VARIABLE_KEYS
    if unknown:
        raise fail(where, f"unknown key(s) {sorted(unknown)}")
    question = entry.get("question")
    if not isinstance(question, str) or not question.strip():
        raise fail(where, "'question' must be a non-empty text")
    level = entry.get("level")
    if level not in LEVELS:
        raise fail(where, f"level {level!r} must be one of {', '.join(LEVELS)}")
    codes = _codes(entry, where, sides, fail)
    if codes is None and level == "ordinal":
        raise fail(where, "an ordinal variable needs a list of codes, lowest first")
    auto = _auto(entry.get("auto"), where, codes, fail)
    return Variable(name, " ".join(question.split()), level, codes, auto)


def _codes(entry: dict, where: str, sides: Sequence[str], fail: Any) -> tuple[str, ...] | None:
    codes = entry.get("codes")
    source = entry.get("codes_from")
    if source is not None and source not in _CODES_FROM:
        raise fail(where, f"codes_from {source!r} must be one of {', '.join(_CODES_FROM)}")
    if codes == FREE:
        if source is not None:
            raise fail(where, "free-text codes cannot take codes_from")
        return None
    if codes is None and source is not None:
        codes = []
    if not isinstance(codes, list) or not all(isinstance(c, str) and c.strip() for c in codes):
        raise fail(where, "'codes' must be a list of texts or 'free'")
    listed = [*(sides if source == "sides" else ()), *codes]
    if not listed:
        raise fail(where, "no codes (an empty list, and no lexicon sides)")
    folded = [c.casefold() for c in listed]
    if len(set(folded)) != len(folded):
        raise fail(where, "a code is listed twice (codes ignore case)")
    return tuple(listed)


def _auto(spec: Any, where: str, codes: tuple[str, ...] | None, fail: Any) -> AutoCode | None:
    if spec is None:
        return None
    where = f"{where}, auto"
    if not isinstance(spec, dict) or set(spec) - _AUTO_KEYS:
        raise fail(where, f"expected a mapping with some of {sorted(_AUTO_KEYS)}")
    if ("column" in spec) == ("value" in spec):
        raise fail(where, "give exactly one of 'column' or 'value'")
    mapping = spec.get("map") or {}
    if not isinstance(mapping, dict):
        raise fail(where, "'map' must be a mapping of raw values to codes")
    bins = spec.get("bins") or {}
    if not isinstance(bins, dict) or not all(
        b is None or (isinstance(b, int | float) and not isinstance(b, bool)) for b in bins.values()
    ):
        raise fail(where, "'bins' must map codes to numeric upper bounds (null: no bound)")
    if bins and list(bins.values())[-1] is not None:
        raise fail(where, "the last bin needs no bound (null), so every count has a code")
    targets = [*mapping.values(), *bins, *(c for c in (spec.get("value"), spec.get("default"))
                                            if c is not None)]
    for code in targets:
        if not isinstance(code, str) or (codes is not None and code not in codes):
            raise fail(where, f"code {code!r} is not one of the variable's codes")
    return AutoCode(
        column=spec.get("column"), value=spec.get("value"), mapping=dict(mapping),
        default=spec.get("default"), bins=tuple(bins.items()),
    )
