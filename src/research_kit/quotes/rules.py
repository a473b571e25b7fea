"""Rule data for quote attribution, loaded from ``data/speech_verbs.yml`` and
``data/attribution.yml`` (or a user's files with the same schema): read strictly (unknown and
duplicate keys are errors naming the file and the place), compiled once per file content (the
cache is keyed by path and SHA-256, so an edited file is read again), so each text costs no setup.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from research_kit import schema


@dataclass(frozen=True, slots=True)
class Verb:
    """What a speech-verb form allows: an addressee, a bare object, a document subject."""

    lemma: str
    addressee: bool
    document: bool
    bare: bool


@dataclass(frozen=True, slots=True)
class Settings:
    """The method's parameters, named so that a report's methods text can state them
    (``attribution.yml`` ``settings:``; the shipped values were tuned on PolNeAR train)."""

    scare_max_words: int
    """A quotation nobody is said to say, of at most this many words and without sentence
    punctuation, is a scare quote; a longer one is an unattributed statement."""
    lookback_chars: int
    """How far (characters) a speaker is looked for before a cue or after a sentence's start."""
    intro_max_tokens: int
    """Most tokens of an introduction without a speech verb (``Sanders shot back, "…"``)."""
    max_sentence_chars: int
    """A stretch without a sentence end longer than this is read in pieces of at most this
    many characters (at spaces), which bounds every rule's window on any input."""
    max_nested_cues: int
    """Most further cues that reported content may hold (``Smith said that Jones said …``),
    which bounds how many statements overlap any one character."""

    def to_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Rules:
    """Compiled rule data shared by every call."""

    verbs: dict[str, Verb]
    cue_re: re.Pattern[str]
    issue_re: re.Pattern[str]
    name_run: re.Pattern[str]
    in_document_re: re.Pattern[str]
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
    not_subjects: frozenset[str]
    plural_pronouns: frozenset[str]
    passive_auxiliaries: frozenset[str]
    participle_links: frozenset[str]
    locatives: frozenset[str]
    name_particles: frozenset[str]
    document_openers: frozenset[str]
    name_openers: frozenset[str]
    """Words a person's name cannot open (stop words, determiners, time words, pronouns):
    derived from the lists above once, as ``person_name`` asks of every capitalised run."""
    settings: Settings
    sources: tuple[tuple[str, str], ...] = ()
    """``(path, sha256)`` of the speech-verb and attribution files the rules were read from."""


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
    "not_subjects",
    "plural_pronouns",
    "passive_auxiliaries",
    "participle_links",
    "locatives",
    "name_particles",
    "document_openers",
)
_SETTINGS = tuple(f.name for f in fields(Settings))
_LEMMA = re.compile(r"[a-z][a-z-]*(?: [a-z]+)?")
_PRONOUN_KINDS = ("group", "person", "thing")
_VERB_KEYS = ("forms", "addressee", "document", "bare")


def regular_forms(lemma: str) -> list[str]:
    """The -s, -ed and -ing forms of a regular English verb (argue → argues, argued, arguing)."""
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    plural = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")
    return [lemma, plural, lemma + "ed", lemma + "ing"]


def _parse_verb(entry: Any, where: str, place: str) -> tuple[list[str], Verb]:
    entry = schema.expect_mapping(entry, where, place, required=("lemma",), optional=_VERB_KEYS)
    lemma = schema.expect_str(entry["lemma"], where, schema.key(place, "lemma"))
    if not _LEMMA.fullmatch(lemma):
        raise schema.fail(f"lemma {lemma!r}: one or two lowercase words", where, place)
    forms = entry.get("forms")
    if forms is None:
        forms = regular_forms(lemma)
    else:
        forms = schema.expect_str_list(forms, where, schema.key(place, "forms"), empty=False)
    flags = {
        name: schema.expect_bool(entry.get(name, name == "bare"), where, schema.key(place, name))
        for name in ("addressee", "document", "bare")
    }
    return forms, Verb(lemma, **flags)


def _parse_phrases(raw: Any, where: str) -> list[str]:
    phrases = []
    for index, entry in enumerate(schema.expect_list(raw, where, "phrases"), 1):
        place = schema.item("phrases", index)
        entry = schema.expect_mapping(entry, where, place, required=("text",))
        phrases.append(schema.expect_str(entry["text"], where, schema.key(place, "text")))
    return phrases


def _word_list(data: dict[str, Any], key: str, where: str) -> frozenset[str]:
    return frozenset(w.lower() for w in schema.expect_str_list(data[key], where, key))


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


def _first_letters(words: list[str]) -> str | None:
    """The letters ``words`` begin with, as a character class; None if one begins otherwise."""
    firsts = sorted({word[:1] for word in words})
    return f"[{''.join(firsts)}]" if firsts and all(f.isalpha() for f in firsts) else None


def _cue_pattern(forms: list[str], phrases: list[str]) -> re.Pattern[str]:
    """One pattern for every cue: verbs case-sensitive, phrases case-insensitive.

    A lookahead for the cues' first letters lets the engine skip the other word starts
    without entering the alternation (a quarter of the scan), matching the same cues."""
    verb_alt = trie_pattern(forms)
    phrase_alt = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    verb_first, phrase_first = _first_letters(forms), _first_letters(phrases)
    first = f"(?={verb_first}|(?i:{phrase_first}))" if verb_first and phrase_first else ""
    return re.compile(rf"\b{first}(?:(?P<verb>{verb_alt})|(?i:(?P<phrase>{phrase_alt})))\b")


def _issue_pattern(verbs: frozenset[str], documents: frozenset[str]) -> re.Pattern[str]:
    """``issued an invitation``: a document verb followed closely by a document noun."""
    verb_alt = trie_pattern(sorted(verbs))
    doc_alt = trie_pattern(sorted(documents))
    return re.compile(rf"\b(?:{verb_alt})\s+(?:[\w’'-]+\s+){{0,3}}?(?P<doc>{doc_alt})\b", re.I)


# Letters of names include Latin accents (Raúl, Şahin): _UP capitals, _LO lowercase.
_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_LO = "a-zß-öø-ÿāăąćĉċčďđēėęěĝğġģīįıķĺļľłńņňōőœŕřśşšţťūůűųźżž"
# A word may have a second capital after a prefix: McConnell, DeMint, LePage, MacDougall.
_NAME_WORD = rf"[{_UP}][{_LO}]+(?:[{_UP}][{_LO}]+)?(?:[-’'][{_UP}{_LO}]+)*(?:’s|'s)?"


def _name_pattern(particles: frozenset[str]) -> re.Pattern[str]:
    """Candidate names: capitalised words, with initials and particles (de, van, bin) between."""
    particle = f"(?:(?:{trie_pattern(sorted(particles))})\\s+)?" if particles else ""
    # ``\b[A-Z]`` written as ``[A-Z](?<!\w[A-Z])`` (the same places): a pattern that opens
    # with a character class is scanned for it in C, a third faster over a whole text.
    start = rf"[{_UP}](?<!\w[{_UP}])"
    return re.compile(
        rf"{start}{_NAME_WORD[len(f'[{_UP}]') :]}"
        rf"(?:\s+(?:[{_UP}]\.\s+)*{particle}{_NAME_WORD})+"
    )


def _in_document_pattern(openers: frozenset[str]) -> re.Pattern[str]:
    """``In a statement, the ministry said``: a document noun after ``in`` and an opener."""
    return re.compile(
        rf"\b[Ii]n\s+(?:{trie_pattern(sorted(openers))})\s+(?:[\w’'-]+\s+){{0,4}}?(\w+)"
    )


def _settings(raw: Any, where: str) -> Settings:
    values = schema.expect_mapping(raw, where, "settings", required=_SETTINGS)
    return Settings(
        **{
            name: schema.expect_int(values[name], where, schema.key("settings", name), minimum=1)
            for name in _SETTINGS
        }
    )


SPEECH_VERBS = "speech_verbs.yml"
ATTRIBUTION = "attribution.yml"


def compile_rules(
    speech: Any,
    words: Any,
    speech_path: str = SPEECH_VERBS,
    words_path: str = ATTRIBUTION,
    sources: tuple[tuple[str, str], ...] = (),
) -> Rules:
    """Validate parsed rule data and compile it; errors name the file and the place."""
    speech = schema.expect_mapping(speech, speech_path, required=("verbs",), optional=("phrases",))
    verbs: dict[str, Verb] = {}
    for index, entry in enumerate(schema.expect_list(speech["verbs"], speech_path, "verbs"), 1):
        forms, verb = _parse_verb(entry, speech_path, schema.item("verbs", index))
        verbs.update((form, verb) for form in forms)
    phrases = _parse_phrases(speech.get("phrases", []), speech_path)
    words = schema.expect_mapping(
        words, words_path, required=(*_WORD_LISTS, "pronouns", "settings")
    )
    lists = {key: _word_list(words, key, words_path) for key in _WORD_LISTS}
    pronouns = schema.expect_mapping(words["pronouns"], words_path, "pronouns", optional=None)
    for word, kind in pronouns.items():
        if kind not in _PRONOUN_KINDS:
            raise schema.fail(
                f"expected one of {list(_PRONOUN_KINDS)}, got {kind!r}",
                words_path,
                schema.key("pronouns", word),
            )
    return Rules(
        verbs=verbs,
        cue_re=_cue_pattern(list(verbs), phrases),
        issue_re=_issue_pattern(lists["document_verbs"], lists["documents"]),
        name_run=_name_pattern(lists["name_particles"]),
        in_document_re=_in_document_pattern(lists["document_openers"]),
        pronouns={k.lower(): v for k, v in pronouns.items()},
        settings=_settings(words["settings"], words_path),
        name_openers=(
            lists["stop_words"]
            | lists["determiners"]
            | lists["time_words"]
            | {k.lower() for k in pronouns}
        ),
        sources=sources,
        **lists,
    )


def _shipped(name: str) -> Path:
    return Path(str(resources.files("research_kit") / "data" / name))


_cache: dict[tuple[tuple[str, str], ...], Rules] = {}


def load_rules(
    speech_verbs: str | Path | None = None, attribution: str | Path | None = None
) -> Rules:
    """Rules from the shipped files, or from a user's speech-verb and attribution files (each
    replaces its shipped counterpart); compiled once per path and content (SHA-256)."""
    if speech_verbs is None and attribution is None:
        return _shipped_rules()
    return _load(speech_verbs, attribution)


@cache
def _shipped_rules() -> Rules:
    """The package's own files, read once per process: every ``extract_quotes(text)`` asks."""
    return _load(None, None)


def _load(speech_verbs: str | Path | None, attribution: str | Path | None) -> Rules:
    paths = [Path(p) if p else _shipped(n) for p, n in
             ((speech_verbs, SPEECH_VERBS), (attribution, ATTRIBUTION))]
    texts = [schema.read_text(p) for p in paths]
    key = tuple(
        (str(p.resolve()), hashlib.sha256(t.encode("utf-8")).hexdigest())
        for p, t in zip(paths, texts, strict=True)
    )
    if key not in _cache:
        names = [
            f"research_kit/data/{n}" if not given else str(p)
            for p, n, given in zip(paths, (SPEECH_VERBS, ATTRIBUTION),
                                   (speech_verbs, attribution), strict=True)
        ]
        _cache[key] = compile_rules(
            schema.parse_yaml(texts[0], names[0]),
            schema.parse_yaml(texts[1], names[1]),
            names[0],
            names[1],
            sources=key,
        )
    return _cache[key]
