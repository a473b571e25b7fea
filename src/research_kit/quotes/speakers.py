"""Speakers: canonical names and types for mentions, resolved in text order.

Pronouns go to the most recent compatible speaker or named sentence subject (``he``/``she`` only
to a person of that gender or of unknown gender), surnames and titles (``Sen. DeMint``) to the
fullest name the text gives that person (``people``), descriptions (``the governor``) to the
person the text described so, relative pronouns to their antecedent, and documents
(``the statement``) to the body that issued them. Each result is typed: ``person``,
``organization``, ``document``, ``anonymous`` (an unnamed source: ``officials``, ``a spokesman``)
or ``None`` when the mention names no entity (``Indeed``, ``war``, ``Americans``, ``Kristol’s``),
which the quote records as ``unresolved``. Resolution is stateful, hence one ``Speakers`` per
text fed mentions in order.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Literal, NamedTuple

from .layout import Layout
from .marks import text_end
from .mentions import Mentions
from .model import Found
from .people import People, Person, SpeakerWords
from .phrases import (
    RELATIVES,
    Token,
    base_word,
    is_possessive,
    is_role,
    person_name,
    strip_possessive,
)
from .rules import Rules

SpeakerKind = Literal["person", "group", "thing"]
SpeakerType = Literal["person", "organization", "document", "anonymous"]


class Speaker(NamedTuple):
    """A resolved mention: ``kind`` is what a pronoun may refer back to, ``type`` what it is."""

    name: str
    kind: SpeakerKind
    type: SpeakerType
    title: str | None = None
    role: str | None = None
    gender: str | None = None


_ACRONYM = re.compile(r"\(([A-Z]{2,6})\)")


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
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})


class Speakers:
    """Resolves mentions to typed speakers, remembering who spoke and who issued what."""

    def __init__(
        self, layout: Layout, rules: Rules, mentions: Mentions, words: SpeakerWords
    ) -> None:
        self.text = layout.text
        self.layout = layout
        self.rules = rules
        self.words = words
        self.mentions = mentions
        self.people = People(layout, rules, words)
        self._issued = False
        self.events: list[tuple[int, Speaker]] = []
        self.documents: list[tuple[int, str, Speaker]] = []
        self._subjects: dict[int, Speaker | None] = {}

    def _sentence_subject(self, index: int) -> Speaker | None:
        """The named person or institution opening sentence ``index`` (cached), if any."""
        if index in self._subjects:
            return self._subjects[index]
        self._subjects[index] = None
        start, end = self.layout.sentences[index]
        mention = self.mentions.sentence_subject(start, min(end, start + 160))
        if mention is None:
            return None
        tokens = self.layout.tokens(*mention)
        if not tokens or tokens[0].low in self.rules.pronouns:
            return None
        if any(t.is_word for t in tokens):
            result = self.canonical(*mention)
            known = result is not None and (
                result.type == "organization"
                or (result.type == "person" and self._is_named_person(result.name, start))
            )
            if known:
                self._subjects[index] = result
        return self._subjects[index]

    def _is_named_person(self, name: str, sentence_start: int) -> bool:
        """A name the text knows as a person's, or one it also uses inside a sentence
        (``Melanie``), unlike a sentence-opening word that only looks like one (``Chastened``)."""
        word = name.split()[-1]
        if self.people.find(word, 0) or self.people.is_titled(word):
            return True
        return self.people.used_inside(word, sentence_start)

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

    def _person(self, person: Person, title: str | None = None, role: str | None = None) -> Speaker:
        """The person's record: the title they were introduced with, else the mention's."""
        return Speaker(
            person.name, "person", "person", person.title or title, role or person.role,
            person.gender,
        )  # fmt: skip

    def _named_in(self, start: int, end: int) -> Speaker | None:
        """The person name that ends the phrase ``text[start:end]``
        (``Secretary of State John Kerry``), not one that modifies a noun (``the New York
        businessman``)."""
        last = self._words(start, end)
        if not last:
            return None
        for match in self.rules.name_run.finditer(self.text, start, end):
            if is_possessive(match.group().split()[-1]) or match.end() < last[-1].end:
                continue
            name = person_name(match.group(), self.rules)
            opener = match.group().split()[0].lower()
            if name is None or self.words.is_body_name(name) or opener in _DEFINITE:
                continue
            if any(
                t.is_capital and base_word(t.word) in self.rules.organisations
                for t in self._words(start, match.start())
            ):
                return None
            person = self.people.full(name, match.start())
            if person is not None:
                return self._person(person, self._title_before(match, name))
            if self.text[max(0, match.start() - 4) : match.start()].lower() != "the ":
                return Speaker(name, "person", "person", self._title_before(match, name))
        return None

    def _title_before(self, match: re.Match[str], name: str) -> str | None:
        run = match.group()
        head = run[: run.find(name.split()[0])].split()
        titles = [w for w in head if w.rstrip(".").lower() in self.rules.titles]
        return " ".join(head[head.index(titles[0]) :]) if titles else None

    def _pronoun(self, word: str, pos: int) -> Speaker | None:
        """The latest compatible speaker or sentence subject before ``pos``."""
        accepts = _ANTECEDENTS[self.rules.pronouns[word.lower()]]
        gender = self.words.pronoun_gender.get(word.lower())

        def fits(speaker: Speaker) -> bool:
            if speaker.kind not in accepts:
                return False
            if gender is None:
                return True
            return speaker.type == "person" and speaker.gender in (None, gender)

        candidates: list[Speaker] = []
        at: list[int] = []
        latest = next(
            ((at, sp) for at, sp in reversed(self.events) if at < pos and fits(sp)), (-1, None)
        )
        index = bisect_right(self.layout.sentence_starts, pos) - 1
        for i in range(index, max(-1, index - _SUBJECT_SENTENCES), -1):
            if self.layout.sentences[i][0] <= latest[0]:
                break
            subject = self._sentence_subject(i) if self.layout.sentences[i][0] < pos else None
            if subject and fits(subject):
                candidates.append(subject)
                at.append(self.layout.sentences[i][0])
        if latest[1] is not None:
            candidates.append(latest[1])
            at.append(latest[0])
        nearest = at[:1] or [-1]
        near = self.layout.sentences[max(0, index - 1)][0]
        if candidates and candidates[0].gender is None and nearest[0] >= near:
            return candidates[0]
        if gender is not None:
            # A pronoun's gender picks a person known to have it over a nearer unknown one.
            known = next((c for c in candidates if c.gender == gender), None)
            if known is None:
                since = self.layout.sentences[max(0, index - _SUBJECT_SENTENCES + 1)][0]
                person = self.people.latest_of_gender(gender, since, pos)  # type: ignore[arg-type]
                known = self._person(person) if person is not None else None
            if known is not None:
                return known
        return candidates[0] if candidates else None

    def _document(self, words: list[Token], start: int) -> Speaker | None:
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
            self.documents.append((start, noun, issuer))
            return issuer._replace(type="document", kind="thing")
        issued = [(at, who) for at, what, who in self.documents if at < start and what == noun]
        if issued:
            return max(issued)[1]._replace(type="document", kind="thing")
        return Speaker(self._plain(words), "thing", "document")

    def _plain(self, words: list[Token]) -> str:
        """A mention without its determiner or trailing place (``in Stepanakert``)."""
        while words and words[0].low in self.rules.determiners:
            words = words[1:]
        locatives = self.rules.locatives
        cut = next((i for i, t in enumerate(words) if i and t.low in locatives), len(words))
        words = words[:cut]
        return compress_acronym(self.text[words[0].start : words[-1].end]) if words else ""

    def canonical(self, start: int, end: int) -> Speaker | None:
        """The speaker the mention ``text[start:end]`` refers to, or None if it names none."""
        words = self._words(start, end)
        if not words:
            return None
        if len(words) == 1 and words[0].low in self.rules.pronouns:
            return self._pronoun(words[0].word, start)
        if len(words) == 1 and words[0].low in RELATIVES:
            antecedent = self._antecedent(start)
            return self.canonical(*antecedent) if antecedent else None
        comma = self.text.find(",", start, end)
        main_end = comma if comma != -1 else end
        main = self._unbracketed(start, main_end) or words
        apposition = self.text[comma + 1 : end].strip(" ,") if comma != -1 else None
        document = self._document(main, start)
        if document:
            return document
        named = self._named_in(start, main_end)
        if named:
            return named._replace(role=self._role_of(main, named, apposition) or named.role)
        head_token = self._head(main)
        head = base_word(head_token.word)
        titled = any(base_word(t.word) in self.rules.titles for t in main[:-1])
        if (head in self.words.not_speakers and not titled) or is_possessive(head_token.word):
            return None
        apposed = self._named_in(comma, end) if comma != -1 else None
        if apposed and (not head_token.is_capital or head in self.rules.titles):
            # "Director, David Caldwell": the name after the comma is the speaker.
            return apposed._replace(role=apposed.role or self._plain(main))
        if head_token.is_capital:
            return self._capitalised(main, main.index(head_token), start, apposition)
        return self._common(main, head, start, apposition)

    def _role_of(self, main: list[Token], named: Speaker, apposition: str | None) -> str | None:
        """The description in the mention: an apposition, or lowercase words before the name."""
        if apposition:
            return apposition
        first = named.name.split()[0]
        before = [t for t in main if t.start < self._first_at(main, first)]
        lowered = [t for t in before if not t.is_capital and t.low not in self.rules.determiners]
        if not lowered:
            return None
        return self.text[before[0].start : before[-1].end] if before else None

    def _first_at(self, main: list[Token], first: str) -> int:
        return next((t.start for t in main if t.word == first), main[-1].end)

    def _capitalised(
        self, main: list[Token], head: int, pos: int, apposition: str | None
    ) -> Speaker | None:
        """A capitalised head: a person by surname or title, an organisation, a place."""
        first = head
        while first > 0 and main[first - 1].is_capital and not is_possessive(main[first - 1].word):
            first -= 1
        run = main[first : head + 1]
        word = strip_possessive(main[head].word)
        low = word.lower()
        if len(run) == 1 and low in self.words.anonymous:
            plural = low.endswith("s")
            return Speaker(self._plain(main), "group" if plural else "person", "anonymous")
        titled = [t for t in main[:head] if base_word(t.word) in self.rules.titles]
        titles = [t.word for t in titled]
        title = self.text[titled[0].start : main[head - 1].end + 1].strip() if titled else None
        if title and not self.text.startswith(".", main[head - 1].end):
            title = title.rstrip(". ")
        organisation = any(base_word(t.word) in self.rules.organisations for t in run)
        organisation = organisation or (
            main[0].low == "the" and base_word(run[0].word) not in self.rules.titles
        )
        acronym = word.replace(".", "").isupper() and len(word) > 1
        organisation = organisation or self.words.is_body_name(" ".join(t.word for t in run))
        if not organisation and not acronym:
            person = self.people.find(word, pos)
            if person is not None and (len(run) == 1 or titles or run[-1].word == word):
                return self._person(person, title, apposition)
            if low in self.words.collective_plurals:
                return None
            if titles or (len(run) == 1 and self.people.is_titled(word)):
                return Speaker(word, "person", "person", title, apposition)
        name = self._organisation_name(main, first)
        if not name:  # nothing nameable is left once determiners and descriptions are dropped
            return None
        plural = low.endswith("s") and not low.endswith("ss")
        if organisation or acronym or len(run) > 1 or self.people.is_place(name):
            return Speaker(name, "group" if plural else "thing", "organization", role=apposition)
        if low in self.rules.titles or not self._is_named_person(word, main[head].start):
            return None
        return Speaker(word, "person", "person", role=apposition)

    def _organisation_name(self, main: list[Token], first: int) -> str:
        """``the conservative-leaning Tax Foundation`` → ``Tax Foundation``."""
        lead = main[:first]
        if lead and all(not t.is_capital for t in lead):
            return self._plain(main[first:])
        return self._plain(main)

    def _common(
        self, main: list[Token], head: str, pos: int, apposition: str | None
    ) -> Speaker | None:
        """A lowercase head: an institution, a description of someone named, an unnamed source."""
        rules = self.rules
        plural = head.endswith("s") and not head.endswith("ss")
        determiner = main[0].low if main[0].low in rules.determiners else None
        owner = next((t for t in main if is_possessive(t.word)), None)
        single = head[:-1] if plural else head
        if head in self.words.anonymous or single in self.words.anonymous:
            if (determiner in _DEFINITE or owner or determiner is None) and not plural:
                owned = strip_possessive(owner.word) if owner is not None else None
                person = self.people.described_as(head, pos, owned)
                if person is not None:
                    return self._person(person)
            return Speaker(self._plain(main), "group" if plural else "person", "anonymous")
        if head in rules.organisations:
            return Speaker(self._plain(main), "group" if plural else "thing", "organization")
        if is_role(head, rules):
            # A bare singular role noun ("U.S. senator said") is a cut-off description.
            definite = determiner in _DEFINITE or (determiner is None and not plural)
            owned = strip_possessive(owner.word) if owner is not None else None
            person = self.people.described_as(head, pos, owned)
            if person is not None and (definite or owner):
                return self._person(person)
            if definite and not plural and owner is None:
                latest = self._pronoun(self._gender_word(main), pos)
                if latest is not None and latest.type == "person":
                    return latest
            return Speaker(self._plain(main), "group" if plural else "person", "anonymous")
        return None

    def _gender_word(self, main: list[Token]) -> str:
        """The pronoun a description takes: ``she`` for ``the first lady``, else ``they``-like
        ``one`` that any person fits."""
        said = " ".join(t.low for t in main)
        for word, gender in self.words.gendered_words.items():
            if re.search(rf"\b{re.escape(word)}\b", said):
                return next(p for p, g in self.words.pronoun_gender.items() if g == gender)
        return "i"

    def _unbracketed(self, start: int, end: int) -> list[Token]:
        """The words of ``text[start:end]`` outside parentheses (``Rep. Smith (D-Md.)``)."""
        words = []
        depth = 0
        for tok in self.layout.tokens(start, end):
            depth += (tok.word == "(") - (tok.word == ")")
            if depth == 0 and tok.is_word:
                words.append(tok)
        return words

    def resolve(self, found: Found) -> Speaker | None:
        """Resolve one attribution's mention and remember it for later pronouns."""
        if found.mention is None:
            return None
        result = self.canonical(*found.mention)
        if result is None:
            return None
        self.events.append((found.mention[0], result))
        self._note_in_document(found, result)
        return result

    def _note_in_document(self, found: Found, speaker: Speaker) -> None:
        """``In a statement, the ministry said …``: the ministry issued a statement."""
        if found.mention is None or found.cue_end is None:
            return
        s_start, _ = self.layout.sentence_at(found.mention[0])
        for match in self.rules.in_document_re.finditer(self.text, s_start, found.cue_end + 40):
            noun = base_word(match.group(1))
            if noun in self.rules.documents:
                self.documents.append((found.mention[0], noun, speaker))

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
                self.documents.append((match.start(), base_word(match.group("doc")), issuer))
