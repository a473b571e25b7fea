"""People named in one text: the fullest name each is given, their titles, descriptions and gender.

News introduces a person once in full ("Sen. Jim DeMint, a South Carolina Republican,") and then
says "DeMint", "Mr. DeMint", "the senator" or "he". ``People`` reads every capitalised name run of
a text once and files what it learns by surname, so that a later mention finds the fullest name:
two people who share a surname stay two people, and a bare surname goes to the one named most
recently before it. Gender comes only from the text (honorifics, gendered role nouns and the
pronouns that follow a name), never from a list of first names. The word lists are data
(``data/speakers.yml``, schema documented there).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any, Literal

from babel import Locale

from research_kit import schema

from .layout import Layout
from .phrases import person_name, strip_possessive
from .rules import Rules

Gender = Literal["male", "female"]
SPEAKER_WORDS = "speakers.yml"
_KEYS = frozenset(
    {
        "honorifics",
        "gendered_words",
        "pronoun_gender",
        "title_roles",
        "anonymous",
        "not_speakers",
        "collective_plurals",
        "body_name_words",
    }
)
# Only subject pronouns vote: "his"/"her" after a name often belong to someone else.
# Lookaheads and a leading class (``[A-Z](?<!\w[A-Z])`` is ``\b[A-Z]``) let the engine skip
# to candidate places in C: both scan whole texts.
_PRONOUN_HE = re.compile(r"\b(?=[hs])(?:(?P<m>he)|(?P<f>she))\b", re.I)
_CAPITAL = re.compile(r"[A-Z](?<!\w[A-Z])[\w’'-]*")
_COMMA_AFTER = re.compile(r"(?:\s*\([^)]{1,30}\))?,")
_ROLE_AFTER = re.compile(
    r"(?:\s*\([^)]{1,30}\))?,\s+((?:a|an|the)\s+[^,.;:\"“”()—]{3,120}?)"
    r"(?=[,.;:—]|\s+(?:said|says|told)\b)"
)
_ROLE_BEFORE = re.compile(r"(?:^|[.;:!?]\s+|\n)((?:An?|The)\s+[^,.;:\"“”()—]{3,120}?),\s*$")
_TITLE_GAP = re.compile(r"\.?[ \t]+")
_BESIDE_VERB = re.compile(
    r"\b(?P<before>[A-Z][a-z]+)\s+(?P<verb>[a-z]+)\b"
    r"|[,”\"]\s+(?P<verb2>[a-z]+)\s+(?P<after>[A-Z][a-z]+)\b(?![\w.’'-]*\s+[A-Z])"
)


def _lower_article(role: str) -> str:
    """``A senior Karabakh lawmaker`` at a sentence's start reads ``a senior …`` as a role."""
    first, _, rest = role.partition(" ")
    return f"{first.lower()} {rest}" if first in {"A", "An", "The"} else role


@dataclass(frozen=True, slots=True)
class SpeakerWords:
    """The compiled word lists of ``data/speakers.yml``."""

    honorifics: dict[str, Gender]
    gendered_words: dict[str, Gender]
    pronoun_gender: dict[str, Gender]
    title_roles: dict[str, str]
    anonymous: frozenset[str]
    not_speakers: frozenset[str]
    collective_plurals: frozenset[str]
    body_name_words: frozenset[str]
    places: frozenset[str]

    def is_body_name(self, name: str) -> bool:
        """``North Korea``, ``Yahoo News``: a capitalised name that is not a person's."""
        return name.lower() in self.places or name.split()[-1].lower() in self.body_name_words


def _words(data: dict[str, Any], key: str, where: str) -> list[str]:
    return [w.lower() for w in schema.expect_str_list(data[key], where, key)]


def _gendered(data: dict[str, Any], key: str, where: str) -> dict[str, Gender]:
    spec = schema.expect_mapping(data[key], where, key, required=("male", "female"))
    return {
        w.lower(): gender
        for gender in ("male", "female")
        for w in schema.expect_str_list(spec[gender], where, schema.key(key, gender))
    }


def compile_speaker_words(data: Any, where: str = SPEAKER_WORDS) -> SpeakerWords:
    """Validate parsed ``speakers.yml`` data; errors name the file and the key."""
    data = schema.expect_mapping(data, where, required=sorted(_KEYS))
    pronouns = schema.expect_mapping(data["pronoun_gender"], where, "pronoun_gender", optional=None)
    for word, gender in pronouns.items():
        if gender not in ("male", "female"):
            raise schema.fail("expected male or female", where, schema.key("pronoun_gender", word))
    titles = schema.expect_mapping(data["title_roles"], where, "title_roles", optional=None)
    for word, role in titles.items():
        schema.expect_str(role, where, schema.key("title_roles", word))
    territories = Locale("en").territories.values()
    return SpeakerWords(
        honorifics=_gendered(data, "honorifics", where),
        gendered_words=_gendered(data, "gendered_words", where),
        pronoun_gender={k.lower(): v for k, v in pronouns.items()},
        title_roles={k.lower(): v.lower() for k, v in titles.items()},
        anonymous=frozenset(_words(data, "anonymous", where)),
        not_speakers=frozenset(_words(data, "not_speakers", where)),
        collective_plurals=frozenset(_words(data, "collective_plurals", where)),
        body_name_words=frozenset(_words(data, "body_name_words", where)),
        places=frozenset(name.lower() for name in territories),
    )


@cache
def load_speaker_words() -> SpeakerWords:
    """The shipped word lists, read once per process."""
    path = resources.files("research_kit") / "data" / SPEAKER_WORDS
    where = f"research_kit/data/{SPEAKER_WORDS}"
    return compile_speaker_words(schema.read_yaml(str(path), where), where)


@dataclass(slots=True)
class Person:
    """One person named in the text, filed under their surname."""

    name: str
    at: int
    title: str | None = None
    role: str | None = None
    votes: dict[str, int] = field(default_factory=lambda: {"male": 0, "female": 0})

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    @property
    def first(self) -> str:
        return self.name.split()[0]

    @property
    def gender(self) -> Gender | None:
        male, female = self.votes["male"], self.votes["female"]
        return "male" if male > female else "female" if female > male else None

    def describes(self, noun: str, words: SpeakerWords) -> bool:
        """Whether ``the senator`` could be this person: their title or description says so."""
        said = " ".join(filter(None, [self.title, self.role])).lower()
        roles = {words.title_roles.get(w.rstrip("."), w.rstrip(".")) for w in said.split()}
        return noun in roles or noun.rstrip("s") in roles


def _same_person(full: str, other: str) -> bool:
    """``Loretta E. Lynch`` and ``Loretta Lynch``; ``J. Smith`` and ``John Smith``."""
    a, b = full.split(), other.split()
    if a[-1] != b[-1]:
        return False
    fa, fb = a[0].rstrip("."), b[0].rstrip(".")
    return fa == fb or (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb))


class People:
    """Everyone a text names in full, built on first use and searched by surname and position."""

    def __init__(self, layout: Layout, rules: Rules, words: SpeakerWords) -> None:
        self.text = layout.text
        self.layout = layout
        self.rules = rules
        self.words = words
        self._by_surname: dict[str, list[Person]] | None = None
        self._mentions: list[tuple[int, Person]] = []
        self._titled: set[str] = set()
        self._said: list[tuple[int, Person]] = []
        self._capitals: dict[str, list[int]] | None = None
        self._capital_list: list[tuple[int, int, str]] = []
        self._inside: dict[str, list[int]] = {}
        self._after_in: dict[str, bool] = {}

    def positions(self, word: str) -> list[int]:
        """Where the capitalised word ``word`` occurs (one scan of the text, on first use)."""
        if self._capitals is None:
            self._capitals = {}
            self._capital_list = [
                (m.start(), m.end(), m.group()) for m in _CAPITAL.finditer(self.text)
            ]
            for start, _, capital in self._capital_list:
                self._capitals.setdefault(capital, []).append(start)
        return self._capitals.get(word, [])

    def used_inside(self, word: str, besides: int = -1) -> bool:
        """Whether ``word`` occurs somewhere other than a sentence's start (or ``besides``)."""
        if word not in self._inside:  # two such places answer every ``besides``: linear time
            starts = self.layout.sentence_start_set
            inside = (at for at in self.positions(word) if at not in starts)
            self._inside[word] = [at for _, at in zip(range(2), inside, strict=False)]
        return any(at != besides for at in self._inside[word])

    @property
    def by_surname(self) -> dict[str, list[Person]]:
        if self._by_surname is None:
            self._by_surname = {}
            self._scan()
        return self._by_surname

    def _scan(self) -> None:
        text = self.text
        for match in self.rules.name_run.finditer(text):
            for offset, run in self._runs(match):
                name = person_name(run, self.rules)
                if name is None or not self._may_be_person(name, run, offset):
                    continue
                name = self._trim(name)
                person = self._file(name, offset + run.find(name.split()[0]))
                title = self._title(run, name, offset)
                person.title = person.title or title
                person.role = person.role or self._role(offset + len(run))
                person.role = person.role or self._role_before(offset)
                self._gender_from(person, title, offset)
        self._file_single_names()
        self._mentions.sort(key=lambda m: m[0])
        self._note_titled()
        self._vote_pronouns()

    def _file_single_names(self) -> None:
        """``Melanie said``: a lone capitalised name beside a speech verb is a person the text
        never names in full (not a title, place, population or known first name)."""
        words, rules = self.words, self.rules
        known = self._by_surname or {}
        firsts = {p.first for people in known.values() for p in people}
        starts = self.layout.sentence_start_set
        for match in _BESIDE_VERB.finditer(self.text):
            if (match.group("verb") or match.group("verb2")) not in rules.verbs:
                continue  # most pairs: asked first, as the text has many
            name = match.group("before") or match.group("after")
            at = match.start("before") if match.group("before") else match.start("after")
            low = name.lower()
            if (
                name in known
                or name in firsts
                or (match.group("before") and at in starts and not self.used_inside(name))
            ):
                continue
            if (
                low in rules.titles or low in rules.pronouns or low in rules.stop_words
                or low in rules.determiners or low in rules.time_words or low in words.places
                or low in words.collective_plurals or low in words.not_speakers
                or low in words.body_name_words or low in rules.organisations
                or low in words.anonymous or self.is_place(name)
            ):  # fmt: skip
                continue
            self._file(name, at)

    def is_place(self, name: str) -> bool:
        """A country or territory, or a name the text puts after ``in`` (``in Stepanakert``)."""
        if name.lower() in self.words.places:
            return True
        words = name.split()
        if not words:
            return False
        first = words[0]
        if first not in self._after_in:  # once per word, not per question: linear time
            self._after_in[first] = any(
                self.text[max(0, at - 3) : at] == "in " for at in self.positions(first)
            )
        return self._after_in[first]

    def _runs(self, match: re.Match[str]) -> list[tuple[int, str]]:
        """A name run, or in a headline's long run the word pairs whose second word the text
        also uses alone (``Hillary Clinton Goes After Donald Trump As …`` → both names)."""
        run = self._cut(match.group())
        words = run.split()
        if len(words) <= 4:
            return [(match.start(), run)]
        pairs = []
        pos = match.start()
        spans = [(m.start() + pos, m.group()) for m in re.finditer(r"\S+", run)]
        for (at, first), (_, second) in pairwise(spans):
            if len(self.positions(strip_possessive(second))) > 1:
                pairs.append((at, f"{first} {second}"))
        return pairs

    def _cut(self, run: str) -> str:
        """A headline's run stops at its verb: ``Chris Christie Calls Hillary Clinton``."""
        words = run.split()
        for i, word in enumerate(words[1:], 1):
            if word.lower() in self.rules.verbs:
                return " ".join(words[:i])
        return run

    def _may_be_person(self, name: str, run: str, start: int) -> bool:
        """Not a place (``North Korea``), not after ``the`` (``the Wall Street Journal``), at most
        four words."""
        if len(name.split()) > 4:
            return False
        first = run.split()[0].rstrip(".").lower()
        if first in self.rules.determiners or first in self.rules.joiners:
            return False
        if self.words.is_body_name(name):
            return False
        before = self.text[max(0, start - 4) : start].lower()
        return not before.endswith(("the ", "the\n", " in "))

    def _trim(self, name: str) -> str:
        """Drop a trailing honorific-less suffix such as ``Jr`` the run kept as a word."""
        return " ".join(
            w for w in name.split() if w.lower().rstrip(".") not in self.words.honorifics
        )

    def _file(self, name: str, at: int) -> Person:
        """The person ``name`` refers to, created or upgraded to the fullest form."""
        people = self._by_surname.setdefault(name.split()[-1], [])  # type: ignore[union-attr]
        for person in people:
            if _same_person(person.name, name):
                if len(name) > len(person.name):
                    person.name = name
                self._mentions.append((at, person))
                return person
        person = Person(name, at)
        people.append(person)
        self._mentions.append((at, person))
        return person

    def _note_titled(self) -> None:
        """``Mr. King``, ``President Obama``: surnames a title or honorific precedes; an
        honorific is also a strong vote for the gender of the one person with that surname."""
        self.positions("")  # builds the index of capitalised words
        titles = self.rules.titles
        text = self.text
        for (_, end, title), (start, _, word) in pairwise(self._capital_list):
            low = title.lower()
            if low not in titles and low not in self.words.honorifics:
                continue
            gap = text[end:start]
            if not _TITLE_GAP.fullmatch(gap) or word.lower() in titles or word.isupper():
                continue
            word = strip_possessive(word)
            self._titled.add(word)
            gender = self.words.honorifics.get(low)
            people = self.by_surname_only(word)
            if gender and len(people) == 1:
                people[0].votes[gender] += 3

    def by_surname_only(self, word: str) -> list[Person]:
        return (self._by_surname or {}).get(word, [])

    def _title(self, run: str, name: str, start: int) -> str | None:
        """The title words right before the name: ``Sen.``, ``Secretary of State``."""
        head = run[: run.find(name.split()[0])].split()
        before = self.text[max(0, start - 40) : start]
        # "Massachusetts Sen. Elizabeth Warren": the run begins after the abbreviation's stop.
        dotted = re.search(r"([A-Z][a-z]+)\.\s+$", before)
        if not head and dotted and dotted.group(1).lower() in self.rules.titles:
            return dotted.group(1) + "."
        titles = [w for w in head if strip_possessive(w).rstrip(".").lower() in self.rules.titles]
        if not titles:
            return None
        title = " ".join(head[head.index(titles[0]) :])
        of = re.search(r"([A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)\s+of\s+$", before)
        if of and of.group(1).split()[-1].rstrip(".").lower() in self.rules.titles:
            title = f"{of.group(1)} of {title}"
        return title

    def _role(self, end: int) -> str | None:
        """An apposition after the name: ``, a senior Karabakh lawmaker,``."""
        if not _COMMA_AFTER.match(self.text, end):
            return None
        match = _ROLE_AFTER.match(self.text[end : end + 160])
        if not match:
            return None
        role = match.group(1).strip()
        return _lower_article(role) if len(role.split()) <= 16 else None

    def _role_before(self, start: int) -> str | None:
        """A description before the name: ``An attorney for Pagliano, Mark MacDougall``."""
        if not self.text[max(0, start - 3) : start].rstrip().endswith(","):
            return None
        before = self.text[max(0, start - 160) : start]
        match = _ROLE_BEFORE.search(before)
        return _lower_article(match.group(1).strip()) if match else None

    def _gender_from(self, person: Person, title: str | None, start: int) -> None:
        words = self.words
        said = f"{title or ''} {person.role or ''} {self.text[max(0, start - 40) : start]}"
        for word in re.findall(r"[a-z]+(?: lady)?", said.lower()):
            gender = words.gendered_words.get(word) or (
                words.honorifics.get(word) if title and word in title.lower() else None
            )
            if gender:
                person.votes[gender] += 2

    def _vote_pronouns(self) -> None:
        """The first subject pronoun after each mention, before any other person, votes."""
        layout = self.layout
        positions: list[tuple[int, int, Person | None]] = []
        for surname, people in (self._by_surname or {}).items():
            only = people[0] if len(people) == 1 else None
            positions.extend((at, at + len(surname), only) for at in self.positions(surname))
        positions.sort(key=lambda p: p[0])
        starts = [p[0] for p in positions]
        pronouns = [
            (m.start(), "male" if m.group("m") else "female")
            for m in _PRONOUN_HE.finditer(self.text)
            if not layout.quote_at(m.start())
        ]
        pronoun_starts = [p[0] for p in pronouns]
        for start, end, person in positions:
            if person is None or layout.quote_at(start):
                continue
            self._said.append((start, person))
            if self.text.startswith(("’s", "'s"), end):
                continue
            _, s_end = layout.sentence_at(start)
            nxt = bisect_right(starts, end)
            limit = starts[nxt] if nxt < len(starts) else len(self.text)
            window_end = s_end
            if s_end < len(self.text):
                window_end = layout.sentence_at(s_end + 1)[1]
            k = bisect_right(pronoun_starts, end)
            if k < len(pronouns) and pronouns[k][0] < min(window_end, limit):
                person.votes[pronouns[k][1]] += 1

    def find(self, surname: str, pos: int, gender: Gender | None = None) -> Person | None:
        """The person a bare surname refers to (``pos`` is where it is said)."""
        people = self.by_surname.get(strip_possessive(surname))
        if not people:
            return None
        if gender:
            people = [p for p in people if p.gender in (None, gender)] or people
        if len(people) == 1:
            return people[0]
        # A bare surname shared by two people names the one the text names in full most often
        # (the article's principal), the first introduced on a tie.
        count = {id(p): sum(1 for _, q in self._mentions if q is p) for p in people}
        return min(people, key=lambda p: (-count[id(p)], p.at))

    def full(self, name: str, pos: int) -> Person | None:
        """The person a full name (``Loretta Lynch``) refers to."""
        for person in self.by_surname.get(name.split()[-1], []):
            if _same_person(person.name, name):
                return person
        return None

    def latest_of_gender(self, gender: Gender, since: int, pos: int) -> Person | None:
        """The person of known ``gender`` mentioned last in ``since..pos`` (outside quotes)."""
        _ = self.by_surname
        i = bisect_right(self._said, (pos, -1), key=lambda m: (m[0], -1)) - 1
        while i >= 0 and self._said[i][0] >= since:
            if self._said[i][1].gender == gender:
                return self._said[i][1]
            i -= 1
        return None

    def is_titled(self, word: str) -> bool:
        """Whether a title or honorific precedes ``word`` somewhere (``President Obama``)."""
        _ = self.by_surname
        return word in self._titled

    def described_as(self, noun: str, pos: int, owner: str | None = None) -> Person | None:
        """The latest person before ``pos`` whose title or description is ``noun``, or, for
        ``Pagliano's lawyer``, whose description names the owner (``an attorney for Pagliano``)."""
        _ = self.by_surname
        for at, person in reversed(self._mentions):
            if at >= pos:
                continue
            if person.describes(noun, self.words):
                return person
            if owner and person.role and re.search(rf"\b{re.escape(owner)}\b", person.role):
                return person
        return None
