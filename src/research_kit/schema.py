"""One strict YAML reader and schema checks for every data file the user can edit.

Cleaning rules and overrides, attribution words, speech verbs, lexicons, `metadata.yml` and
`reports.yml` are all read with `read_yaml`, so every file gets the same guarantees:

- safe loading only (plain data, never Python objects);
- a key given twice in one mapping is an error (plain YAML keeps the last one in silence, so a
  pasted duplicate would drop an entry unnoticed);
- dates are left as the text written (`date: 2023-03-28` is the string "2023-03-28"), because a
  schema, not the YAML resolver, decides which fields are dates;
- every problem is one `ResearchKitError` line naming the file and the place in it, e.g.
  `cleaning.yml: rules[3].pattern: expected a string, got a list` (items are counted from 1, as
  a reader counts them in the file).

The `expect_*` helpers check one value each and return it typed; a loader walks its file with
them and builds places with `key` and `item`.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from pathlib import Path
from typing import Any

import yaml

from .errors import ResearchKitError


class _Strict:
    """Constructor rules of `StrictLoader`: duplicate keys are errors."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Mark] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark,
                    f"(given twice, first at line {seen[key].line + 1})",
                )
            if isinstance(key, Hashable):
                seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


_NO_DATES = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class StrictLoader(_Strict, yaml.SafeLoader):
    """`yaml.SafeLoader` that rejects duplicate keys and does not turn dates into objects."""

    yaml_implicit_resolvers = _NO_DATES


# The same loader on LibYAML's parser where PyYAML was built with it (its wheels are): the same
# data several times faster, and every process reads the data files. Its error messages are
# vaguer, so a file it refuses is parsed again by `StrictLoader` for the message.
_FastLoader = type("_FastLoader", (_Strict, getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
                   {"yaml_implicit_resolvers": _NO_DATES})


def one_line(exc: BaseException) -> str:
    """An exception's message with its whitespace (YAML's multi-line marks) squashed."""
    return " ".join(str(exc).split())


def read_text(path: str | Path) -> str:
    """A data file's UTF-8 text; a missing file, a folder or undecodable bytes are one line."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ResearchKitError("no such file", str(path)) from None
    except IsADirectoryError:
        raise ResearchKitError("is a folder, not a file", str(path)) from None
    except UnicodeDecodeError as exc:
        raise ResearchKitError(
            f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", str(path)
        ) from None
    except OSError as exc:
        problem = f"cannot read ({exc.strerror or one_line(exc)})"
        raise ResearchKitError(problem, str(path)) from None


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text with `StrictLoader`; `name` is the file named in errors."""
    try:
        return yaml.load(text, Loader=_FastLoader)  # a SafeLoader, as StrictLoader
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(text, Loader=StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        context = f"{exc.context}: " if exc.context else ""
        note = f" {exc.note}" if exc.note else ""
        problem = one_line(f"{context}{exc.problem}{where}{note}")
        raise ResearchKitError(f"invalid YAML: {problem}", name) from None
    except yaml.YAMLError as exc:
        raise ResearchKitError(f"invalid YAML: {one_line(exc)}", name) from None


def read_yaml(path: str | Path, name: str | None = None) -> Any:
    """Read and parse a YAML data file strictly; errors name `name` (default: the path)."""
    return parse_yaml(read_text(path), name or str(path))


def key(place: str, name: str) -> str:
    """The place of key `name` inside `place`: `rules[3]` + `pattern` → `rules[3].pattern`."""
    return f"{place}.{name}" if place else name


def item(place: str, index: int) -> str:
    """The place of item `index` (counted from 1) of the list at `place`: `rules[3]`."""
    return f"{place}[{index}]"


def fail(problem: str, file: str, place: str = "") -> ResearchKitError:
    """The one-line error for `problem` at `place` in `file`."""
    return ResearchKitError(f"{place}: {problem}" if place else problem, file)


def describe(value: Any) -> str:
    """What a YAML/JSON value is, in the words of a schema: 'a list', 'a number', ..."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _wrong(value: Any, wanted: str, file: str, place: str) -> ResearchKitError:
    return fail(f"expected {wanted}, got {describe(value)}", file, place)


def expect_mapping(
    value: Any,
    file: str,
    place: str = "",
    *,
    required: Collection[str] = (),
    optional: Collection[str] | None = (),
) -> dict[str, Any]:
    """`value` as a mapping with string keys, no key outside `required` + `optional`
    (`optional=None` allows any key) and every `required` key; a typo is reported as unknown."""
    if not isinstance(value, dict):
        raise _wrong(value, "a mapping", file, place)
    for name in value:
        if not isinstance(name, str):
            raise fail(f"key {name!r} is {describe(name)}, not a name", file, place)
    if optional is not None:
        allowed = {*required, *optional}
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise fail(f"unknown key(s) {unknown}; expected {sorted(allowed)}", file, place)
    missing = [name for name in required if name not in value]
    if missing:
        raise fail(f"missing key(s) {missing}", file, place)
    return value


def expect_list(value: Any, file: str, place: str, *, empty: bool = True) -> list[Any]:
    """`value` as a list (`empty=False`: with at least one item)."""
    if not isinstance(value, list):
        raise _wrong(value, "a list", file, place)
    if not empty and not value:
        raise fail("expected a non-empty list", file, place)
    return value


def expect_str(value: Any, file: str, place: str, *, empty: bool = False) -> str:
    """`value` as a string (`empty=True` allows '')."""
    if not isinstance(value, str):
        raise _wrong(value, "a string", file, place)
    if not empty and not value.strip():
        raise fail("expected a non-empty string", file, place)
    return value


def expect_int(value: Any, file: str, place: str, *, minimum: int | None = None) -> int:
    """`value` as a whole number (true/false is not a number), at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(value, "a whole number", file, place)
    if minimum is not None and value < minimum:
        raise fail(f"expected a whole number of at least {minimum}, got {value}", file, place)
    return value


def expect_bool(value: Any, file: str, place: str) -> bool:
    """`value` as true/false."""
    if not isinstance(value, bool):
        raise _wrong(value, "true/false", file, place)
    return value


def expect_str_list(value: Any, file: str, place: str, *, empty: bool = True) -> list[str]:
    """`value` as a list of non-empty strings."""
    items = expect_list(value, file, place, empty=empty)
    for index, entry in enumerate(items, 1):
        expect_str(entry, file, item(place, index))
    return items
