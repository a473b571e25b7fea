"""Speakers: canonical names for mentions, resolved in text order.

Pronouns go to the most recent compatible speaker or named sentence subject, surnames to the
first-introduced full name that shares them, relative pronouns to their antecedent, and documents
(``the statement``) to the body that issued them. Resolution is stateful, hence one ``Speakers``
per text fed mentions in order.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Literal

from .layout import Layout
from .marks import text_end
from .mentions import Mentions
from .model import Found
from .phrases import (
    NAME_RUN,
    RELATIVES,
    Token,
    base_word,
    is_possessive,
    np_end_after,
    person_name,
    strip_possessive,
)
from .rules import Rules

SpeakerKind = Literal["person", "group", "thing"]

_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")
_LOCATIVE = frozenset({"in", "at", "from", "to"})
_IN_DOCUMENT = re.compile(r"\b[Ii]n\s+(?:an?|its|his|her|their|the)\s+(?:[\w’'-]+\s+){0,4}?(\w+)")


def compress_acronym(name: str) -> str:
    """``Nagorno-Karabakh Republic (NKR) authorities`` → ``NKR authorities``."""
    match = _ACRONYM.search(name)
    if not match:
        return name
    acronym = match.group(1)
    words = name[: match.start()].split()
    initials = ""
    for k in range(len(words) - 1, -1, -1):
        initials = "".join(p[0] for p in words[k].split("-") if p) + initials
        if initials == acronym:
            head = " ".join([*words[:k], acronym])
            return (head + " " + name[match.end() :].strip()).strip()
        if len(initials) >= len(acronym):
            break
    return name


_ANTECEDENTS: dict[str, frozenset[str]] = {
    "person": frozenset({"person"}),
    "thing": frozenset({"thing"}),
    "group": frozenset({"group", "thing"}),
}
_SUBJECT_SENTENCES = 12


class Speakers:
    """Resolves mentions to canonical speakers, remembering who spoke and who issued what."""

    def __init__(self, layout: Layout, rules: Rules, mentions: Mentions) -> None:
        self.text = layout.text
        self.layout = layout
        self.rules = rules
        self.mentions = mentions
        self._surnames: dict[str, list[tuple[int, str]]] | None = None
        self._issued = False
        self.events: list[tuple[int, str, SpeakerKind]] = []
        self.documents: list[tuple[int, str, str]] = []
        self._subjects: dict[int, tuple[str, SpeakerKind] | None] = {}

    def _sentence_subject(self, index: int) -> tuple[str, SpeakerKind] | None:
        """The named person or institution opening sentence ``index`` (cached), if any."""
        if index in self._subjects:
            return self._subjects[index]
        self._subjects[index] = None
        start, end = self.layout.sentences[index]
        tokens = self.layout.tokens(start, min(end, start + 120))
        last = np_end_after(tokens, 0, self.rules) if tokens else None
        if last is not None and tokens[0].low not in self.rules.pronouns:
            words = [t for t in tokens[: last + 1] if t.is_word]
            named = NAME_RUN.search(self.text, start, tokens[last].end)
            if named or base_word(self._head(words).word) in self.rules.organisations:
                result = self.canonical(start, tokens[last].end)
                if result and (result[1] != "person" or named):
                    self._subjects[index] = result
        return self._subjects[index]

    # ---- mention shapes -------------------------------------------------------------------

    def _words(self, start: int, end: int) -> list[Token]:
        return [t for t in self.layout.tokens(start, end) if t.is_word]

    def _head(self, words: list[Token]) -> Token:
        """The head noun: the last word before the first preposition (``Office`` of …)."""
        for i, tok in enumerate(words):
            if i and tok.low in self.rules.joiners:
                return words[i - 1]
        return words[-1]

    def _antecedent(self, relative: int) -> tuple[int, int] | None:
        """The phrase a ``who``/``which``/``that`` at ``relative`` refers to."""
        s_start, _ = self.layout.sentence_at(relative)
        end = text_end(self.text, relative)
        while end > 0 and self.text[end - 1] == ",":
            end -= 1
        mention = self.mentions.subject_before(s_start, end) if end > s_start else None
        if mention is None or mention[1] - mention[0] == relative - mention[0]:
            return None
        words = self.layout.tokens(*mention)
        return None if len(words) == 1 and words[0].low in RELATIVES else mention

    def _full_name(self, start: int, end: int) -> str | None:
        for match in NAME_RUN.finditer(self.text, start, end):
            name = person_name(match.group(), self.rules)
            if name:
                return name
        return None

    def surnames(self) -> dict[str, list[tuple[int, str]]]:
        """Full names in the text by surname, in order of appearance (built on first use)."""
        if self._surnames is None:
            self._surnames = {}
            for match in NAME_RUN.finditer(self.text):
                name = person_name(match.group(), self.rules)
                if name is not None:
                    self._surnames.setdefault(name.split()[-1], []).append((match.start(), name))
        return self._surnames

    def _surname(self, word: str, pos: int) -> str | None:
        """The first-introduced full name ending in ``word`` (before ``pos`` if any)."""
        known = self.surnames().get(strip_possessive(word))
        if not known:
            return None
        before = [name for at, name in known if at < pos]
        return before[0] if before else known[0][1]

    def _pronoun(self, word: str, pos: int) -> str | None:
        """The latest compatible speaker or sentence subject before ``pos``."""
        accepts = _ANTECEDENTS[self.rules.pronouns[word.lower()]]
        latest = next(
            (
                (at, name)
                for at, name, kind in reversed(self.events)
                if kind in accepts and at < pos
            ),
            (-1, None),
        )
        index = bisect_right(self.layout.sentence_starts, pos) - 1
        for i in range(index, max(-1, index - _SUBJECT_SENTENCES), -1):
            if self.layout.sentences[i][0] <= latest[0]:
                break
            subject = self._sentence_subject(i) if self.layout.sentences[i][0] < pos else None
            if subject and subject[1] in accepts:
                return subject[0]
        return latest[1]

    def _document(self, words: list[Token], start: int) -> tuple[str, SpeakerKind] | None:
        """``A statement released by X`` → X; ``X’s statement`` → X; ``the statement`` → issuer."""
        rules = self.rules
        doc = next((i for i, t in enumerate(words) if base_word(t.word) in rules.documents), None)
        if doc is None:
            return None
        noun = base_word(words[doc].word)
        self._note_issued()
        by = next((i for i in range(doc + 1, len(words)) if words[i].low in {"by", "from"}), None)
        owner = [t for t in words[:doc] if t.word.endswith(("’s", "'s"))]
        issuer = None
        if by is not None and by + 1 < len(words):
            issuer = self.canonical(words[by + 1].start, words[-1].end)
        elif owner:
            issuer = self.canonical(words[0].start, owner[-1].end - 2)
        if issuer:
            self.documents.append((start, noun, issuer[0]))
            return issuer
        issued = [(at, who) for at, what, who in self.documents if at < start and what == noun]
        if issued:
            return max(issued)[1], "thing"
        return self._plain(words), "thing"

    def _plain(self, words: list[Token]) -> str:
        """A mention without its determiner or trailing place (``in Stepanakert``)."""
        while words and words[0].low in self.rules.determiners:
            words = words[1:]
        cut = next((i for i, t in enumerate(words) if i and t.low in _LOCATIVE), len(words))
        words = words[:cut]
        return compress_acronym(self.text[words[0].start : words[-1].end]) if words else ""

    def canonical(self, start: int, end: int) -> tuple[str, SpeakerKind] | None:
        """The canonical speaker for the mention ``text[start:end]`` and its kind."""
        words = self._words(start, end)
        if not words:
            return None
        if len(words) == 1 and words[0].low in self.rules.pronouns:
            name = self._pronoun(words[0].word, start)
            return (name, self.rules.pronouns[words[0].low]) if name else None
        if len(words) == 1 and words[0].low in RELATIVES:
            antecedent = self._antecedent(start)
            return self.canonical(*antecedent) if antecedent else None
        comma = self.text.find(",", start, end)
        main = self._unbracketed(start, comma if comma != -1 else end) or words
        document = self._document(main, start)
        if document:
            return document
        head_token = self._head(main)
        head = base_word(head_token.word)
        plural = head.endswith("s") and not head.endswith("ss")
        if head in self.rules.organisations:
            return self._plain(main), "group" if plural else "thing"
        if head_token.is_capital and not is_possessive(head_token.word):
            return self._named(main, main.index(head_token), start), "person"
        apposed = self._full_name(comma, end) if comma != -1 else None
        if apposed:
            return apposed, "person"
        return self._plain(main), "group" if plural else "person"

    def _unbracketed(self, start: int, end: int) -> list[Token]:
        """The words of ``text[start:end]`` outside parentheses (``Rep. Smith (D-Md.)``)."""
        words = []
        depth = 0
        for tok in self.layout.tokens(start, end):
            depth += (tok.word == "(") - (tok.word == ")")
            if depth == 0 and tok.is_word:
                words.append(tok)
        return words

    def _named(self, words: list[Token], head: int, pos: int) -> str:
        """The person named by the capitalised run that ends at ``words[head]``."""
        first = head
        while (
            first > 0 and words[first - 1].is_capital and not is_possessive(words[first - 1].word)
        ):
            first -= 1
        run = " ".join(t.word for t in words[first : head + 1])
        full = person_name(run, self.rules)
        if full:
            return full
        surname = strip_possessive(words[head].word)
        return self._surname(surname, pos) or surname

    def resolve(self, found: Found) -> str | None:
        """Resolve one attribution's mention and remember it for later pronouns."""
        if found.mention is None:
            return None
        result = self.canonical(*found.mention)
        if result is None:
            return None
        name, kind = result
        self.events.append((found.mention[0], name, kind))
        self._note_in_document(found, name)
        return name

    def _note_in_document(self, found: Found, name: str) -> None:
        """``In a statement, the ministry said …``: the ministry issued a statement."""
        if found.mention is None or found.cue_end is None:
            return
        s_start, _ = self.layout.sentence_at(found.mention[0])
        for match in _IN_DOCUMENT.finditer(self.text, s_start, found.cue_end + 40):
            noun = base_word(match.group(1))
            if noun in self.rules.documents:
                self.documents.append((found.mention[0], noun, name))

    def _note_issued(self) -> None:
        """Remember ``X issued an invitation`` so that ``the invitation`` resolves to X (once)."""
        if self._issued:
            return
        self._issued = True
        for match in self.rules.issue_re.finditer(self.text):
            s_start, _ = self.layout.sentence_at(match.start())
            mention = self.mentions.subject_before(s_start, match.start())
            if mention is None:
                continue
            issuer = self.canonical(*mention)
            if issuer:
                self.documents.append((match.start(), base_word(match.group("doc")), issuer[0]))
