"""Hostile tests, data files: every loader of a user-editable YAML file, fed the shipped file with
one value at a time swapped for a value of another type or a misspelt key, either loads or raises
one `ResearchKitError` naming the file, never another exception."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from research_kit import schema
from research_kit.clean import load_overrides, parse_rules
from research_kit.errors import ResearchKitError
from research_kit.lexicon import load_lexicon
from research_kit.quotes.rules import compile_rules

DATA = resources.files("research_kit") / "data"
WRONG = (["x", ["y"]], 7, {"k": "v"}, "text", None, True)


def shipped(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text("utf-8"))


def places(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a parsed file: each mapping value and the first two items of each list."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:2]):
            yield from places(value, (*path, index))


def swapped(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    if not path:
        return value
    node = changed
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return changed


def misspelt(data: Any, path: tuple[Any, ...]) -> Any | None:
    """The file with the key at `path` renamed to a typo, or None when `path` is no key."""
    if not path or not isinstance(path[-1], str):
        return None
    changed = copy.deepcopy(data)
    node = changed
    for step in path[:-1]:
        node = node[step]
    node[path[-1] + "x"] = node.pop(path[-1])
    return changed


def variants(data: Any) -> Iterator[Any]:
    for path in places(data):
        for value in WRONG:
            yield swapped(data, path, value)
        typo = misspelt(data, path)
        if typo is not None:
            yield typo


def assert_one_line_or_loads(load: Callable[[Any], object], data: Any, name: str) -> int:
    """Load every variant; return how many were refused (each with one line naming `name`)."""
    refused = 0
    for variant in variants(data):
        try:
            load(variant)
        except ResearchKitError as exc:
            refused += 1
            assert str(exc).startswith(name), exc
            assert "\n" not in str(exc)
    return refused


def test_cleaning_rules_with_wrong_types(tmp_path: Path) -> None:
    data = shipped("cleaning.yml")
    data["rules"] = data["rules"][:3]  # every key of a rule occurs in the first three

    def load(variant: Any) -> object:
        return parse_rules(yaml.safe_dump(variant), "cleaning.yml")

    assert assert_one_line_or_loads(load, data, "cleaning.yml") > 20


def test_cleaning_overrides_with_wrong_types(tmp_path: Path) -> None:
    data = {"keep": ["^Keep me$"], "drop": ["^Advert$", {"name": "promo", "pattern": "^Promo"}],
            "disable": ["byline"]}
    counter = iter(range(10**6))

    def load(variant: Any) -> object:
        path = tmp_path / f"o{next(counter)}.yml"  # a new path: load_overrides caches by path
        path.write_text(yaml.safe_dump(variant), encoding="utf-8")
        return load_overrides(str(path))

    assert assert_one_line_or_loads(load, data, str(tmp_path)) > 10


def test_attribution_and_speech_verbs_with_wrong_types() -> None:
    speech, words = shipped("speech_verbs.yml"), shipped("attribution.yml")
    speech["verbs"] = speech["verbs"][:3]

    refused = assert_one_line_or_loads(
        lambda variant: compile_rules(variant, words), speech, "speech_verbs.yml")
    refused += assert_one_line_or_loads(
        lambda variant: compile_rules(speech, variant), words, "attribution.yml")
    assert refused > 30


def test_attribution_typo_is_an_unknown_key() -> None:
    words = shipped("attribution.yml")
    words["tittles"] = words.pop("titles")
    with pytest.raises(ResearchKitError, match=r"attribution.yml: unknown key\(s\) \['tittles'\]"):
        compile_rules(shipped("speech_verbs.yml"), words)


@pytest.mark.slow  # compiles a lexicon a few hundred times (~25 s)
def test_lexicon_with_wrong_types(tmp_path: Path) -> None:
    data = shipped("lexicons/karabakh.yml")
    first = next(iter(data["categories"]))
    data["categories"] = {first: data["categories"][first]}
    counter = iter(range(10**6))

    def load(variant: Any) -> object:
        path = tmp_path / f"lexicon{next(counter)}.yml"
        path.write_text(yaml.safe_dump(variant, allow_unicode=True), encoding="utf-8")
        return load_lexicon(path)

    assert assert_one_line_or_loads(load, data, str(tmp_path)) > 20


def test_lexicon_parameter_naming_a_folder_or_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ResearchKitError, match="cannot read lexicon"):
        load_lexicon(tmp_path)
    with pytest.raises(ResearchKitError, match="cannot read lexicon"):
        load_lexicon(tmp_path / "missing.yml")


def test_metadata_with_wrong_types(tmp_path: Path) -> None:
    from research_kit.load import read_metadata

    data = yaml.safe_load((Path(__file__).parents[1] / "data/raw/metadata.yml").read_text("utf-8"))

    def load(variant: Any) -> object:
        (tmp_path / "metadata.yml").write_text(yaml.safe_dump(variant), encoding="utf-8")
        return read_metadata(tmp_path)

    assert assert_one_line_or_loads(load, data, str(tmp_path / "metadata.yml")) > 20


def test_reports_config_with_wrong_types(tmp_path: Path) -> None:
    from research_kit.reports import load_config

    notebooks = Path(__file__).parents[1] / "notebooks"
    data = yaml.safe_load((notebooks / "reports.yml").read_text("utf-8"))
    data["runs"] = data["runs"][:2]
    config = notebooks / ".hostile-reports.yml"  # beside the notebooks it names

    def load(variant: Any) -> object:
        config.write_text(yaml.safe_dump(variant), encoding="utf-8")
        return load_config(config)

    try:
        assert assert_one_line_or_loads(load, data, str(config)) > 5
    finally:
        config.unlink(missing_ok=True)


def test_every_loader_rejects_duplicate_keys(tmp_path: Path) -> None:
    text = "name: a\nname: b\n"
    with pytest.raises(ResearchKitError, match="duplicate key 'name'"):
        schema.parse_yaml(text, "x.yml")
    path = tmp_path / "lexicon.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResearchKitError, match="duplicate key 'name'"):
        load_lexicon(path)
    with pytest.raises(ResearchKitError, match="duplicate key 'rules'"):
        parse_rules("rules: []\nrules: []\n", "cleaning.yml")
