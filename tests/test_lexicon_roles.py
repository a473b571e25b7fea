"""Lexicon categories declare their role in a report and a display label; both shipped
lexicons declare theirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from research_kit import ResearchKitError, load_lexicon
from research_kit.lexicon import default_lexicon_path
from research_kit.lexicon.schema import ROLES

US_POLITICS = default_lexicon_path().with_name("us_politics.yml")


def _write(tmp_path: Path, category: str) -> Path:
    path = tmp_path / "lexicon.yml"
    path.write_text(f"name: t\ncategories:\n  my_words:\n{category}    terms:\n      a: [alpha]\n",
                    "utf-8")
    return path


def test_role_and_label_default_to_framing_and_the_spaced_name(tmp_path: Path) -> None:
    (category,) = load_lexicon(_write(tmp_path, "")).categories
    assert (category.role, category.label) == ("framing", "my words")
    (category,) = load_lexicon(_write(tmp_path, "    role: names\n    label: My words\n")
                               ).categories
    assert (category.role, category.label) == ("names", "My words")


def test_an_unknown_role_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ResearchKitError, match=r"category 'my_words': unknown role 'name'; "
                       r"use one of framing, labels, names, other"):
        load_lexicon(_write(tmp_path, "    role: name\n"))


@pytest.mark.parametrize("path", [default_lexicon_path(), US_POLITICS], ids=["karabakh", "us"])
def test_shipped_lexicons_declare_roles_and_labels(path: Path) -> None:
    categories = load_lexicon(path).categories
    assert {c.role for c in categories} >= {"framing", "labels", "names"}
    assert all(c.role in ROLES and c.label for c in categories)


def test_karabakh_roles_are_the_case_study_sections() -> None:
    roles = {c.name: c.role for c in load_lexicon().categories}
    assert [n for n, r in roles.items() if r == "framing"] == ["baku_framing",
                                                                "stepanakert_framing"]
    assert [n for n, r in roles.items() if r == "labels"] == ["legitimacy_labels"]
    assert [n for n, r in roles.items() if r == "names"] == [
        "place_names", "population_names", "corridor_names", "peacekeeper_hq", "conflict_names"]
