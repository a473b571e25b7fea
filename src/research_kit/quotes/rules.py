"""Rule data for quote attribution, loaded from ``data/speech_verbs.yml`` and
``data/attribution.yml``: validated with the file and entry named in every error, so a bad edit
to the word lists fails loudly, and compiled once per process, so each text costs no setup."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from research_kit import schema
from research_kit.errors import ResearchKitError


@dataclass(frozen=True, slots=True)
class Verb:
    """What a speech-verb form allows: an addressee, a bare object, a document subject."""

    lemma: str
    addressee: bool
    document: bool
    bare: bool


@dataclass(frozen=True, slots=True)
class Rules:
    """Compiled rule data shared by every call."""

    verbs: dict[str, Verb]
    cue_re: re.Pattern[str]
    issue_re: re.Pattern[str]
    abbreviations: frozenset[str]
    pronouns: dict[str, str]
    determiners: frozenset[str]
    titles: frozenset[str]
    documents: frozenset[str]
    document_verbs: frozenset[str]
    organisations: frozenset[str]
    roles: frozenset[str]
    adverbs: frozenset[str]
    time_words: frozenset[str]
    joiners: frozenset[str]
    stop_words: frozenset[str]
    clause_openers: frozenset[str]
    non_content: frozenset[str]
    subordinators: frozenset[str]


_WORD_LISTS = (
    "abbreviations",
    "determiners",
    "titles",
    "documents",
    "document_verbs",
    "organisations",
    "roles",
    "adverbs",
    "time_words",
    "joiners",
    "stop_words",
    "clause_openers",
    "non_content",
    "subordinators",
)
_LEMMA = re.compile(r"[a-z][a-z-]*(?: [a-z]+)?")
_PRONOUN_KINDS = frozenset({"person", "group", "thing"})


def _read_yaml(name: str) -> Any:
    path = resources.files("research_kit") / "data" / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResearchKitError(f"cannot read rule file: {exc}", str(path)) from exc
    return schema.parse_yaml(text, f"research_kit/data/{name}")


def regular_forms(lemma: str) -> list[str]:
    """The -s, -ed and -ing forms of a regular English verb (argue → argues, argued, arguing)."""
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    plural = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")
    return [lemma, plural, lemma + "ed", lemma + "ing"]


def _parse_verb(entry: Any, index: int, where: str) -> tuple[list[str], Verb]:
    if not isinstance(entry, dict) or not isinstance(entry.get("lemma"), str):
        raise ResearchKitError(f"verbs entry {index}: needs a 'lemma' string, got {entry!r}", where)
    lemma = entry["lemma"]
    unknown = {str(key) for key in entry} - {"lemma", "forms", "addressee", "document", "bare"}
    if unknown or not _LEMMA.fullmatch(lemma):
        raise ResearchKitError(
            f"verbs entry {index} ({lemma!r}): bad lemma or keys {unknown}", where
        )
    forms = entry.get("forms") or regular_forms(lemma)
    if not isinstance(forms, list) or not all(isinstance(f, str) and f for f in forms):
        raise ResearchKitError(f"verbs entry {index} ({lemma}): 'forms' must list words", where)
    flags = {key: entry.get(key, key == "bare") for key in ("addressee", "document", "bare")}
    if not all(isinstance(v, bool) for v in flags.values()):
        raise ResearchKitError(f"verbs entry {index} ({lemma}): flags must be true/false", where)
    return forms, Verb(lemma, **flags)


def _parse_phrases(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list):
        raise ResearchKitError("'phrases' must be a list of {text: ...}", where)
    phrases = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise ResearchKitError(f"phrases entry {index}: needs a 'text' string", where)
        schema.expect_mapping(entry, where, f"phrases entry {index}", optional=("text",))
        phrases.append(entry["text"])
    return phrases


def _word_list(data: dict[str, Any], key: str, where: str) -> frozenset[str]:
    words = data.get(key)
    if not isinstance(words, list):
        raise ResearchKitError(f"'{key}' must be a list of words", where)
    for index, word in enumerate(words):
        if not isinstance(word, str) or not word:
            raise ResearchKitError(
                f"'{key}' entry {index} ({word!r}) is not a word: quote it", where
            )
    return frozenset(w.lower() for w in words)


def trie_pattern(words: list[str]) -> str:
    """A regex matching any of ``words``, factored by common prefix (far faster than a|b|c)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_node(trie)


def _trie_node(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_node(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
    return body


def _cue_pattern(forms: list[str], phrases: list[str]) -> re.Pattern[str]:
    """One pattern for every cue: verbs case-sensitive, phrases case-insensitive."""
    verb_alt = trie_pattern(forms)
    phrase_alt = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"\b(?:(?P<verb>{verb_alt})|(?i:(?P<phrase>{phrase_alt})))\b")


def _issue_pattern(verbs: frozenset[str], documents: frozenset[str]) -> re.Pattern[str]:
    """``issued an invitation``: a document verb followed closely by a document noun."""
    verb_alt = trie_pattern(sorted(verbs))
    doc_alt = trie_pattern(sorted(documents))
    return re.compile(rf"\b(?:{verb_alt})\s+(?:[\w’'-]+\s+){{0,3}}?(?P<doc>{doc_alt})\b", re.I)


SPEECH_VERBS = "speech_verbs.yml"
ATTRIBUTION = "attribution.yml"


def compile_rules(
    speech: Any, words: Any, speech_path: str = SPEECH_VERBS, words_path: str = ATTRIBUTION
) -> Rules:
    """Validate parsed rule data and compile it; errors name the file and the entry."""
    if not isinstance(speech, dict) or not isinstance(speech.get("verbs"), list):
        raise ResearchKitError("needs a 'verbs' list", speech_path)
    schema.expect_mapping(speech, speech_path, optional=("verbs", "phrases"))
    verbs: dict[str, Verb] = {}
    for index, entry in enumerate(speech["verbs"]):
        forms, verb = _parse_verb(entry, index, speech_path)
        verbs.update((form, verb) for form in forms)
    phrases = _parse_phrases(speech.get("phrases", []), speech_path)
    if not isinstance(words, dict):
        raise ResearchKitError("must be a mapping of word lists", words_path)
    schema.expect_mapping(words, words_path, optional=(*_WORD_LISTS, "pronouns"))
    lists = {key: _word_list(words, key, words_path) for key in _WORD_LISTS}
    pronouns = words.get("pronouns")
    if not isinstance(pronouns, dict) or not all(
        isinstance(kind, str) and kind in _PRONOUN_KINDS for kind in pronouns.values()
    ):
        raise ResearchKitError(f"'pronouns' must map words to {sorted(_PRONOUN_KINDS)}", words_path)
    return Rules(
        verbs=verbs,
        cue_re=_cue_pattern(list(verbs), phrases),
        issue_re=_issue_pattern(lists["document_verbs"], lists["documents"]),
        pronouns={str(k).lower(): v for k, v in pronouns.items()},
        **lists,
    )


@cache
def load_rules() -> Rules:
    """The shipped rules, read and compiled once per process."""
    return compile_rules(
        _read_yaml(SPEECH_VERBS),
        _read_yaml(ATTRIBUTION),
        f"research_kit/data/{SPEECH_VERBS}",
        f"research_kit/data/{ATTRIBUTION}",
    )
