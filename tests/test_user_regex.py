"""User regular expressions run on RE2, and caches of users' files follow their content."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from research_kit import ResearchKitError, clean_text, load_overrides, load_rules
from research_kit.clean import CleaningRules, parse_rules
from research_kit.user_regex import (
    UserRegexError,
    Utf8Text,
    compile_user_regex,
    unicode_classes,
)

# Python's re needs about 2**n steps for (a+)+$ on n letters a and one b; RE2 one pass.
CATASTROPHIC = "(a+)+$"
HOSTILE_LINE = "a" * 5000 + "b"


def test_a_catastrophic_pattern_in_overrides_cannot_hang_the_cleaning(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides.yml"
    overrides.write_text(f"drop: ['{CATASTROPHIC}']\nkeep: ['(x+x+)+y']\n", "utf-8")
    text = f"A title\n\nThe story.\n\n{HOSTILE_LINE}\n\n{'x' * 5000}z\n\naaa"
    article = clean_text(text, load_overrides(str(overrides)))
    assert HOSTILE_LINE in article.body and "x" * 5000 + "z" in article.body
    assert [(r.text, r.rule) for r in article.removed if r.rule == "drop_1"] == [("aaa", "drop_1")]


@pytest.mark.parametrize(
    ("pattern", "fragment"),
    [("(?<=by )Smith", "lookarounds"), ("(a)\\1", "backreferences"), ("(", "missing )")],
)
def test_unsupported_user_patterns_are_one_line_errors(tmp_path: Path, pattern: str,
                                                       fragment: str) -> None:
    overrides = tmp_path / "overrides.yml"
    overrides.write_text(yaml.safe_dump({"drop": [pattern]}), "utf-8")
    with pytest.raises(ResearchKitError) as info:
        load_overrides(str(overrides))
    message = str(info.value)
    assert message.startswith(f"{overrides}: rule 'drop_1': invalid pattern ")
    assert repr(pattern) in message and fragment in message and "\n" not in message


def test_shipped_rules_stay_on_re_and_a_user_copy_runs_on_re2() -> None:
    shipped = load_rules()
    assert all(isinstance(rule.pattern, re.Pattern) for rule in shipped.rules)
    text = resources.files("research_kit").joinpath("data/cleaning.yml").read_text("utf-8")
    with pytest.raises(ResearchKitError, match=r"structure\.dateline: invalid pattern .*RE2"):
        parse_rules(text, "copy.yml")  # its dateline uses lookarounds: see docs/cleaning.md


def dropped(rules: CleaningRules, rule: str) -> list[str]:
    """Lines of a small article that ``rule`` removes."""
    text = "A headline of the story\n\nThe story begins here.\n\n" + "\n\n".join(
        ["alpha", "beta", "gamma", "delta"]) + "\n\nThe story ends here."
    return [r.text for r in clean_text(text, rules).removed if r.rule == rule]


def test_rules_and_overrides_edited_in_the_same_process_are_read_again(tmp_path: Path) -> None:
    rules_file = tmp_path / "rules.yml"
    rules_text = (
        "structure:\n  max_title_words: 30\n  max_caption_words: 12\n"
        "  max_crosshead_words: 12\n  dateline: '^[A-Z]+ [—–-] '\n"
        "rules:\n  - name: promo\n    pattern: '^{word}$'\n"
    )
    rules_file.write_text(rules_text.format(word="alpha"), "utf-8")
    first = load_rules(str(rules_file))
    assert load_rules(str(rules_file)) is first  # compiled once per content
    rules_file.write_text(rules_text.format(word="beta"), "utf-8")
    second = load_rules(str(rules_file))
    assert second is not first
    assert dropped(second, "promo") == ["beta"]

    overrides = tmp_path / "overrides.yml"
    overrides.write_text("drop: ['^gamma$']\n", "utf-8")
    before = load_overrides(str(overrides), str(rules_file))
    assert load_overrides(str(overrides), str(rules_file)) is before
    overrides.write_text("drop: ['^delta$']\n", "utf-8")
    after = load_overrides(str(overrides), str(rules_file))
    assert dropped(after, "drop_1") == ["delta"]
    rules_file.write_text(rules_text.format(word="gamma"), "utf-8")  # the base changes too
    latest = load_overrides(str(overrides), str(rules_file))
    assert (dropped(latest, "drop_1"), dropped(latest, "promo")) == (["delta"], ["gamma"])


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (r"\w+", "Şuşa’s", "Şuşa"),
        (r"\d+", "٣٤ x", "٣٤"),
        (r"a\sb", "a\u00a0b", "a\u00a0b"),
        (r"[\w-]+", "Nagorno-Karabağ!", "Nagorno-Karabağ"),
        (r"\S+", "\u2003word\u2003", "word"),
        (r"[]x]+", "]x]", "]x]"),
    ],
)
def test_classes_keep_their_unicode_meaning(pattern: str, text: str, expected: str) -> None:
    assert re.search(pattern, text).group() == expected  # type: ignore[union-attr]
    assert compile_user_regex(pattern).search(text).group() == expected


def test_negated_classes_inside_brackets_are_refused() -> None:
    with pytest.raises(UserRegexError, match=r"\\W inside"):
        unicode_classes(r"[\Wx]")


@given(st.text(alphabet=st.sampled_from(list("ab “”—é\ud800😀\n")), max_size=60))
def test_byte_and_character_offsets_round_trip(text: str) -> None:
    encoded = Utf8Text(text)
    for char in range(len(text) + 1):
        byte = encoded.byte_offset(char)
        assert byte == len(text[:char].encode("utf-8", "replace"))
        assert encoded.char_offset(byte) == char
