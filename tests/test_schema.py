"""The strict YAML reader and schema helpers every data-file loader uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from research_kit import schema
from research_kit.errors import ResearchKitError
from research_kit.load import read_metadata


def test_duplicate_keys_are_rejected_with_both_lines() -> None:
    expected = (r"^f\.yml: invalid YAML: duplicate key 'titles' at line 2, column 1 "
                r"\(given twice, first at line 1\)$")
    with pytest.raises(ResearchKitError, match=expected):
        schema.parse_yaml("titles: [a]\ntitles: [b]\n", "f.yml")


def test_dates_stay_as_written_and_unsafe_tags_are_refused() -> None:
    assert schema.parse_yaml("date: 2023-03-28\n", "f.yml") == {"date": "2023-03-28"}
    with pytest.raises(ResearchKitError, match=r"f\.yml: invalid YAML"):
        schema.parse_yaml("x: !!python/object/apply:os.system [echo]\n", "f.yml")


DATA = Path(schema.__file__).parent / "data"


@pytest.mark.parametrize("path", sorted(DATA.rglob("*.yml")), ids=lambda p: p.name)
def test_libyaml_reads_every_shipped_file_as_the_python_parser_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert schema.parse_yaml(text, path.name) == yaml.load(text, Loader=schema.StrictLoader)


def test_a_refused_file_gets_the_python_parsers_message() -> None:
    # LibYAML says only "found character that cannot start any token"
    with pytest.raises(ResearchKitError, match=r"found character '\\t' that cannot start"):
        schema.parse_yaml("\t- x\n", "f.yml")


@pytest.mark.parametrize(
    ("check", "value", "message"),
    [
        (schema.expect_str, ["a"], "f.yml: rules[3].pattern: expected a string, got a list"),
        (schema.expect_mapping, 3, "f.yml: rules[3].pattern: expected a mapping, got a number"),
        (schema.expect_int, True, "expected a whole number, got true/false"),
        (schema.expect_list, {"a": 1}, "expected a list, got a mapping"),
        (schema.expect_bool, "yes", "expected true/false, got a string"),
        (schema.expect_str_list, ["a", 2], "rules[3].pattern[2]: expected a string, got a number"),
    ],
)
def test_wrong_types_name_the_file_and_the_place(check: Any, value: Any, message: str) -> None:
    place = schema.key(schema.item("rules", 3), "pattern")
    with pytest.raises(ResearchKitError) as caught:
        check(value, "f.yml", place)
    assert str(caught.value).endswith(message)
    assert str(caught.value).startswith("f.yml: rules[3].pattern")


def test_unknown_and_missing_keys() -> None:
    with pytest.raises(ResearchKitError, match=r"f.yml: unknown key\(s\) \['tittles'\]"):
        schema.expect_mapping({"tittles": []}, "f.yml", optional=["titles"])
    with pytest.raises(ResearchKitError, match=r"f.yml: x: missing key\(s\) \['lemma'\]"):
        schema.expect_mapping({}, "f.yml", "x", required=["lemma"])


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        ("not UTF-8 text (byte 0)", b"\xff\xfe\x00"),
        ("invalid YAML", b"articles: [\n"),
        ("articles[1].author: expected text, got a list",
         b"articles:\n  - file: a.txt\n    author: [a, b]\n"),
        ("articles[1].date: expected text, got a mapping",
         b"articles:\n  - file: a.txt\n    date: {y: 2023}\n"),
        ("articles[2]: file 'a.txt' is described twice",
         b"articles:\n  - file: a.txt\n  - file: a.txt\n"),
        ("unknown key(s) ['artciles']", b"artciles: []\n"),
        ("articles[1].extra: 'outlet' is a record field",
         b"articles:\n  - file: a.txt\n    extra: {outlet: X}\n"),
        ("articles[1].extra.stance: expected text, got a list",
         b"articles:\n  - file: a.txt\n    extra: {stance: [left]}\n"),
        ("articles[1].extra: expected a mapping",
         b"articles:\n  - file: a.txt\n    extra: left\n"),
    ],
)
def test_bad_metadata_is_one_line_naming_the_file(
    tmp_path: Path, problem: str, text: bytes
) -> None:
    (tmp_path / "metadata.yml").write_bytes(text)
    with pytest.raises(ResearchKitError) as caught:
        read_metadata(tmp_path)
    assert str(caught.value).startswith(str(tmp_path / "metadata.yml") + ": ")
    assert problem in str(caught.value)


def test_metadata_scalars_are_converted(tmp_path: Path) -> None:
    (tmp_path / "metadata.yml").write_text(
        "articles:\n  - file: a.txt\n    title: 1984\n    date: 2023-03-28\n"
        "    event_id: 17\n    inferred: date\n", encoding="utf-8")
    assert read_metadata(tmp_path) == {"a.txt": {
        "title": "1984", "date": "2023-03-28", "event_id": "17", "inferred": ["date"]}}


def test_metadata_extra_variables_group_a_folder_corpus(tmp_path: Path) -> None:
    from research_kit import analyze, corpus_overview

    for name, text in (("a.txt", "Talks failed, officials said."), ("b.txt", "Talks resumed.")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "metadata.yml").write_text(
        "articles:\n  - file: a.txt\n    extra: {stance: left, wave: 2}\n"
        "  - file: b.txt\n    extra: {stance: right}\n", encoding="utf-8")
    records = analyze([tmp_path])
    assert [r["extra"] for r in records] == [{"stance": "left", "wave": "2"}, {"stance": "right"}]
    overview = corpus_overview(records, groups="stance")
    assert overview[["stance", "articles"]].values.tolist() == [["left", 1], ["right", 1]]
