"""Quote attribution: who is quoted, with which cue, directly or indirectly.

Pure rules, linear scans and regexes compiled once: news text is processed at hundreds of
thousands of tokens per second without any model download. The rules are data
(``data/speech_verbs.yml`` and ``data/attribution.yml``); this module only knows sentence shapes:

- ``"…," he said.`` / ``"…," said Smith.`` / ``Smith said: "…"`` (direct, block, partial)
- ``Smith said (that) the plan … "soberly assess" …`` (indirect, mixed)
- ``…, Smith said.`` (a clause before the speaker: indirect or mixed)
- ``According to X, …`` / ``…, according to X.`` (according_to)
- quotes nobody is said to say (scare) and quotes that continue the last speaker.

Speakers are resolved after extraction: pronouns to the most recent compatible speaker, surnames
to the first-introduced full name that shares them, documents to the body that issued them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any, Literal, NamedTuple

import yaml

from research_kit.errors import ResearchKitError

QuoteKind = Literal["direct", "partial", "mixed", "indirect", "according_to", "block", "scare"]


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation or reported statement; offsets index the text it was found in.

    ``text`` is always ``source[start:end]``. An interrupted quotation (``"…," he said. "…"``) is
    one statement: ``parts`` then lists the quoted pieces and ``start..end`` spans them all.
    ``cue_start``/``cue_end`` locate ``cue`` (None for quotes that continue a previous speaker).
    """

    kind: QuoteKind
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    side: str | None = None
    location: Literal["body", "title"] = "body"
    cue_start: int | None = None
    cue_end: int | None = None
    parts: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------------------------
# Rules: loaded from the package data once, validated with the file and entry named.


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
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResearchKitError(f"cannot read rule file: {exc}", str(path)) from exc


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
    unknown = set(entry) - {"lemma", "forms", "addressee", "document", "bare"}
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
    verbs: dict[str, Verb] = {}
    for index, entry in enumerate(speech["verbs"]):
        forms, verb = _parse_verb(entry, index, speech_path)
        verbs.update((form, verb) for form in forms)
    phrases = _parse_phrases(speech.get("phrases", []), speech_path)
    if not isinstance(words, dict):
        raise ResearchKitError("must be a mapping of word lists", words_path)
    lists = {key: _word_list(words, key, words_path) for key in _WORD_LISTS}
    pronouns = words.get("pronouns")
    if not isinstance(pronouns, dict) or not set(pronouns.values()) <= _PRONOUN_KINDS:
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


# --------------------------------------------------------------------------------------------
# Quotation marks: paired per paragraph in one pass.

_MARKS = re.compile("''|``|[\"“”„‟«»‹›'‘’‚\n]")
_SENTENCE_END = frozenset(".!?…")
_TYPEWRITER = {"''": '"', "``": "“"}
_DOUBLE_OPEN = frozenset("“„‟«")
_DOUBLE_CLOSE = frozenset("”»")
_SINGLE_CLOSE = frozenset("’›")
_ALL_MARKS = frozenset("\"“”„‟«»‹›'‘’‚")
_OPEN_CONTEXT = frozenset("([{<—–-/") | _ALL_MARKS
_CLOSE_CONTEXT = frozenset(".,;:!?)]}>—–-/…") | _ALL_MARKS


@dataclass(frozen=True, slots=True)
class Span:
    """A quotation from its opening mark to its closing mark (inclusive)."""

    start: int
    end: int


def _flanks(text: str, i: int, width: int = 1) -> tuple[bool, bool]:
    """Whether the mark at ``i`` can open (word follows) and can close (word precedes)."""
    before = text[i - 1] if i else " "
    after = text[i + width] if i + width < len(text) else " "
    can_open = not after.isspace() and (before.isspace() or before in _OPEN_CONTEXT)
    can_close = not before.isspace() and (after.isspace() or after in _CLOSE_CONTEXT)
    return can_open, can_close


def _double_action(ch: str, is_open: bool, can_open: bool, can_close: bool) -> str | None:
    """Open, close or ignore a double mark, forgiving mis-curled and straight marks."""
    if ch in _DOUBLE_OPEN:
        return "close" if is_open and can_close and not can_open else "open"
    if ch in _DOUBLE_CLOSE:
        if not is_open:
            return None if can_close else "open"
        return "close"
    if can_open != can_close:
        return "open" if can_open else "close" if is_open else None
    return "close" if is_open else "open"


def _single_action(text: str, i: int, is_open: bool, can_open: bool, can_close: bool) -> str | None:
    """Open, close or ignore a single mark; apostrophes (Karabakh’s, peacekeepers’) are ignored."""
    ch = text[i]
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return None
    if is_open and can_close:
        return "close"
    if ch in _SINGLE_CLOSE or not can_open or can_close or after.isdigit():
        return None
    return "open"


class _Pairer:
    """A stack of open marks for one paragraph; emits outermost quotations."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stack: list[tuple[str, int]] = []
        self.spans: list[Span] = []
        self.carried: int | None = None

    def has(self, kind: str) -> bool:
        return any(k == kind for k, _ in self.stack)

    def open(self, kind: str, i: int) -> None:
        """Open a quotation; a double mark that reopens after a full stop continues the open one
        (paragraphs of one quotation run together: ``"First. "Second."``)."""
        if self.carried is not None and kind == "d" and not self.stack:
            self.stack.append(("d", self.carried))
            self.carried = None
            return
        if kind == "d" and self.has("d") and self.text[:i].rstrip()[-1:] in _SENTENCE_END:
            while self.stack[-1][0] != "d":
                self.stack.pop()
            return
        while self.stack and self.stack[-1][0] == kind:
            self.stack.pop()
        if kind == "d":
            while self.stack and self.has("d"):
                self.stack.pop()
        self.stack.append((kind, i))

    def close(self, kind: str, end: int) -> None:
        """Close the innermost open mark of ``kind``; ``end`` is just past the closing mark."""
        while self.stack and self.stack[-1][0] != kind:
            self.stack.pop()
        if not self.stack:
            return
        _, start = self.stack.pop()
        if not self.stack and any(c.isalnum() for c in self.text[start + 1 : end - 1]):
            self.spans.append(Span(start, end))

    def end_paragraph(self, newline: int) -> None:
        """Carry a double quote into a paragraph that reopens it, else close it here."""
        self.carried = None
        outer = next(((k, s) for k, s in self.stack if k == "d"), None)
        self.stack.clear()
        if outer is None:
            return
        following = self.text[newline : newline + 20].lstrip()
        if following[:1] in _DOUBLE_OPEN or following[:1] == '"' or following[:2] in _TYPEWRITER:
            self.carried = outer[1]
            return
        end = len(self.text[:newline].rstrip())
        if any(c.isalnum() for c in self.text[outer[1] + 1 : end]):
            self.spans.append(Span(outer[1], end))

    def feed(self, i: int, mark: str) -> None:
        """Act on one mark; typewriter doubles (two apostrophes, two backticks) count as one."""
        if mark == "\n":
            if self.stack:
                self.end_paragraph(i)
            return
        can_open, can_close = _flanks(self.text, i, len(mark))
        if len(mark) == 2 or mark in '"“”„‟«»':
            double = _TYPEWRITER.get(mark, mark)
            action = _double_action(double, self.has("d"), can_open, can_close)
            kind = "d"
        else:
            top_single = bool(self.stack) and self.stack[-1][0] == "s"
            action = _single_action(self.text, i, top_single, can_open, can_close)
            kind = "s"
        if action == "open":
            self.open(kind, i)
        elif action == "close":
            self.close(kind, i + len(mark))


def quoted_spans(text: str) -> list[Span]:
    """Outermost quotations in ``text``, sorted, never crossing an unreopened paragraph break."""
    pairer = _Pairer(text)
    for match in _MARKS.finditer(text):
        pairer.feed(match.start(), match.group())
    if pairer.stack:
        pairer.end_paragraph(len(text))
    spans = sorted(pairer.spans, key=lambda s: s.start)
    kept: list[Span] = []
    for span in spans:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


# --------------------------------------------------------------------------------------------
# Sentences and paragraphs, with quotations kept whole.

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_PARAGRAPH = re.compile(r"[^\n]+")


class _Layout:
    """Paragraph, sentence and quotation spans of one text, searchable by offset."""

    def __init__(self, text: str, rules: Rules) -> None:
        self.text = text
        self.quotes = quoted_spans(text)
        self.quote_starts = [q.start for q in self.quotes]
        self.paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
        self.paragraph_starts = [p[0] for p in self.paragraphs]
        self.sentences = self._sentences(rules)
        self.sentence_starts = [s[0] for s in self.sentences]
        self._tokens: dict[int, tuple[list[Token], list[int]]] = {}

    def tokens(self, start: int, end: int) -> list[Token]:
        """Whole tokens inside ``start..end``, tokenizing each sentence once."""
        i = bisect_right(self.sentence_starts, start) - 1
        if i < 0 or end > self.sentences[i][1]:
            return tokens_between(self.text, start, end)
        if i not in self._tokens:
            words = tokens_between(self.text, *self.sentences[i])
            self._tokens[i] = words, [t.start for t in words]
        words, starts = self._tokens[i]
        found = words[bisect_left(starts, start) : bisect_left(starts, end)]
        return found[:-1] if found and found[-1].end > end else found

    def quote_at(self, pos: int) -> Span | None:
        """The quotation containing ``pos`` (marks included), if any."""
        i = bisect_right(self.quote_starts, pos) - 1
        if i >= 0 and self.quotes[i].start <= pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def quotes_within(self, start: int, end: int) -> list[Span]:
        lo = bisect_left(self.quote_starts, start)
        hi = bisect_left(self.quote_starts, end)
        return [q for q in self.quotes[lo:hi] if q.end <= end]

    def sentence_at(self, pos: int) -> tuple[int, int]:
        i = max(0, bisect_right(self.sentence_starts, pos) - 1)
        return self.sentences[i] if self.sentences else (0, len(self.text))

    def paragraph_index(self, pos: int) -> int:
        return max(0, bisect_right(self.paragraph_starts, pos) - 1)

    def _is_abbreviation(self, end: int, rules: Rules) -> bool:
        match = _LAST_WORD.search(self.text, max(0, end - 20), end + 1)
        if not match or self.text[end] != ".":
            return False
        word = match.group(1).rstrip(".")
        return len(word) == 1 or "." in word or word.lower() in rules.abbreviations

    def _sentences(self, rules: Rules) -> list[tuple[int, int]]:
        sentences = []
        for p_start, p_end in self.paragraphs:
            start = p_start
            for match in _BOUNDARY.finditer(self.text, p_start, p_end):
                end = match.end()
                inside = self.quote_at(end - 1)
                if (inside and inside.end > end) or self._is_abbreviation(match.start(), rules):
                    continue
                sentences.append((start, end))
                start = end + len(self.text[end:p_end]) - len(self.text[end:p_end].lstrip())
            if start < p_end:
                sentences.append((start, p_end))
        return sentences


# --------------------------------------------------------------------------------------------
# Words near a cue: a small tokenizer and noun-phrase scans in both directions.

_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+|(?:[A-Za-z]\.){2,}|\w+(?:[’'&/.-]\w+)*(?:[’']s?)?|[^\w\s]")
_MAX_NP = 14
_LOOKBACK = 240


class Token(NamedTuple):
    """A word or punctuation mark with its offsets."""

    start: int
    end: int
    word: str

    @property
    def low(self) -> str:
        return self.word.lower()

    @property
    def is_word(self) -> bool:
        return self.word[0].isalnum()

    @property
    def is_capital(self) -> bool:
        return self.word[0].isupper()


def tokens_between(text: str, start: int, end: int) -> list[Token]:
    make = Token._make
    return [make((m.start(), m.end(), m.group())) for m in _TOKEN.finditer(text, start, end)]


def _base(word: str) -> str:
    """A word without a trailing possessive or full stop, lowercased."""
    low = word.lower()
    for tail in ("’s", "'s", "’", "'", "."):
        if low.endswith(tail) and len(low) > len(tail):
            return low[: -len(tail)]
    return low


def _np_word(tok: Token, rules: Rules) -> bool:
    """Whether a token can sit inside a speaker phrase."""
    if not tok.is_word:
        return tok.word in "()&"
    low = _base(tok.word)
    if low in rules.stop_words or tok.word in rules.verbs:
        return False
    return low not in rules.time_words


def _is_role(word: str, rules: Rules) -> bool:
    """A noun for a person or an institution (``spokesman``, ``officials``, ``Ministry``)."""
    low = _base(word)
    single = low[:-1] if low.endswith("s") else low
    return low in rules.roles or single in rules.roles or low in rules.organisations


def _abbreviated(tokens: list[Token], j: int, rules: Rules) -> bool:
    """Whether ``tokens[j]`` is the full stop of ``Sen.``, ``R-Ky.`` or an initial (``E.``)."""
    if tokens[j].word != "." or j == 0:
        return False
    word = tokens[j - 1].word.rsplit("-", 1)[-1]
    return word.lower() in rules.abbreviations or (len(word) == 1 and word.isupper())


def _verb_like(tok: Token, rules: Rules) -> bool:
    """A lowercase content word that is not a role or document noun: maybe a verb."""
    word = tok.word
    if not word.islower() or not word[0].isalpha():
        return False
    low = _base(word)
    if low in rules.stop_words or low in rules.determiners or low in rules.joiners:
        return False
    return not (_is_role(word, rules) or low in rules.documents or low in rules.adverbs)


def _ends_subject(tok: Token, rules: Rules) -> bool:
    """Whether a token can end a clause's subject: pronoun, name, role or document noun."""
    low = tok.low
    if low in rules.pronouns or (low in _RELATIVES and low != "that"):
        return True
    if low in rules.determiners or low in rules.stop_words or not tok.is_word:
        return False
    return tok.is_capital or _is_role(tok.word, rules) or _base(tok.word) in rules.documents


def _leads_clause(tok: Token, rules: Rules) -> bool:
    """Words before a sentence's subject: conjunctions, adverbs, ``On September 27``."""
    low = tok.low
    if low in rules.stop_words or low in rules.adverbs or low in rules.joiners:
        return True
    return low in rules.time_words or tok.word.isdigit()


def _is_adjunct_word(tok: Token, rules: Rules) -> bool:
    """An -ly adverb (``forcefully``) or a year (``2010``): never part of a speaker phrase."""
    word = tok.word
    if word.isdigit():
        return len(word) == 4
    return word.islower() and word.endswith("ly") and len(word) > 4 and not _is_role(word, rules)


def _skip_back_adverbs(tokens: list[Token], i: int, rules: Rules) -> int:
    """Step left over adverbs, auxiliaries and time adjuncts between a speaker and a cue."""
    while i >= 0:
        low = tokens[i].low
        if (
            low in rules.adverbs
            or low in rules.time_words
            or _is_adjunct_word(tokens[i], rules)
            or (
                low in rules.joiners
                and i + 1 < len(tokens)
                and (tokens[i + 1].low in rules.time_words or tokens[i + 1].word.isdigit())
            )
            or (
                tokens[i].word == "," and i + 1 < len(tokens) and tokens[i + 1].low in rules.adverbs
            )
        ):
            i -= 1
        else:
            return i
    return i


def np_start_before(tokens: list[Token], i: int, rules: Rules) -> int | None:
    """Index of the first token of the noun phrase ending at ``tokens[i]``, or None."""
    if i < 0 or (
        not tokens[i].is_word and tokens[i].word != ")" and not _abbreviated(tokens, i, rules)
    ):
        return None
    if tokens[i].low in rules.pronouns:
        return i
    start: int | None = None
    depth = 0
    j = i
    while j >= 0 and i - j < _MAX_NP:
        tok = tokens[j]
        low = _base(tok.word)
        if tok.word == ")":
            depth += 1
        elif tok.word == "(":
            depth -= 1
            if depth < 0:
                break
        elif depth:
            pass
        elif low in rules.determiners and tok.is_word:
            start = j
            if j >= 2 and tokens[j - 1].low in rules.joiners and _np_word(tokens[j - 2], rules):
                j -= 2
                continue
            break
        elif low in rules.joiners:
            if start is None or j == 0 or not _np_word(tokens[j - 1], rules):
                break
        elif _abbreviated(tokens, j, rules) or (j == i and _noun_homograph(tokens, j, rules)):
            pass
        elif not _np_word(tok, rules) or low in rules.pronouns:
            break
        else:
            start = j
        j -= 1
    if start is not None and tokens[start].low in rules.joiners:
        start += 1
    return start if start is not None and start <= i else None


def _noun_homograph(tokens: list[Token], j: int, rules: Rules) -> bool:
    """``the report stated``: a verb form after a determiner or name is a noun."""
    if j == 0 or tokens[j].word not in rules.verbs:
        return False
    prev = tokens[j - 1]
    return prev.low in rules.determiners or prev.is_capital or _is_possessive(prev.word)


def _closing_paren(tokens: list[Token], j: int) -> int | None:
    """Index of the ``)`` closing the ``(`` at ``j`` within a few tokens (``(R-Fla.)``)."""
    for k in range(j + 1, min(len(tokens), j + 8)):
        if tokens[k].word == ")":
            return k
    return None


def _ends_np(tokens: list[Token], j: int, seen_capital: bool, rules: Rules) -> bool:
    """Whether a lowercase word at ``j`` is a verb rather than part of the noun phrase.

    Without a tagger: after a name only role words continue (``Trump shot back`` stops,
    ``Republican presidential candidate`` goes on); an -ed word followed by no noun stops.
    """
    word = tokens[j].word
    following = tokens[j + 1 : j + 3]
    if following and following[0].low in rules.determiners:
        return True
    if _is_role(word, rules) or tokens[j - 1].word.endswith(("’s", "'s", "’", "'")):
        return False
    if seen_capital:
        return not any(_is_role(t.word, rules) for t in following)
    nxt = following[0] if following else None
    joins = nxt is not None and _np_word(nxt, rules) and nxt.low not in rules.determiners
    return word.endswith("ed") and not joins


def np_end_after(tokens: list[Token], i: int, rules: Rules) -> int | None:
    """Index of the last token of the noun phrase starting at ``tokens[i]``, or None."""
    if i >= len(tokens) or not tokens[i].is_word:
        return None
    if tokens[i].low in rules.pronouns:
        return i
    end: int | None = None
    seen_capital = False
    j = i
    while j < len(tokens) and j - i < _MAX_NP:
        tok = tokens[j]
        low = _base(tok.word)
        if tok.word == "(" and end is not None:
            close = _closing_paren(tokens, j)
            if close is None:
                break
            end = j = close
        elif (
            _abbreviated(tokens, j, rules)
            or (
                low in rules.determiners
                and tok.is_word
                and (j == i or tokens[j - 1].low in rules.joiners)
            )
            or (low in {"of", "for"} and end is not None)
        ):
            pass
        elif not _np_word(tok, rules) or tok.word in "()" or low in rules.pronouns:
            break
        elif tok.is_capital:
            seen_capital = True
            end = j
        elif j > i and _ends_np(tokens, j, seen_capital, rules):
            break
        else:
            end = j
        j += 1
    return end


# --------------------------------------------------------------------------------------------
# Attributions: one per cue, then quotes that continue a speaker, then scare quotes.


@dataclass(slots=True)
class _Found:
    """An attribution before kinds and speakers are settled."""

    parts: list[tuple[int, int]]
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    mention: tuple[int, int] | None
    block: bool = False
    according: bool = False
    continues: _Found | None = None
    shared_subject: int | None = None

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to drop surrounding spaces and a trailing full stop or comma."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    if end > start and text[end - 1] == "." and text[end - 2 : end - 1] != ".":
        end -= 1
    return start, end


_DASHES = frozenset("—–")
_CLAUSE_MARKS = frozenset(",;—–")
_NOT_SUBJECTS = frozenset(
    {"the", "a", "an", "all", "his", "her", "their", "its", "our", "my", "your", "whose"}
)
_RELATIVES = frozenset({"who", "which", "that"})
_PLURAL_PRONOUNS = frozenset({"i", "we", "they", "you"})
_PASSIVE = frozenset({"was", "were", "is", "are", "be", "been", "being", "get", "got"})
_PARTICIPLE_LINKS = frozenset({"before", "after", "while", "by", "as", "when", "and"})


class _Extractor:
    """Runs the rules over one text; each method handles one sentence shape."""

    def __init__(self, text: str, rules: Rules) -> None:
        self.text = text
        self.rules = rules
        self.layout = _Layout(text, rules)
        self.cues = [m for m in rules.cue_re.finditer(text) if not self.layout.quote_at(m.start())]
        self.cue_starts = [m.start() for m in self.cues]

    def cues_between(self, start: int, end: int) -> list[int]:
        """Start offsets of the cues in ``start..end``."""
        return self.cue_starts[
            bisect_left(self.cue_starts, start) : bisect_left(self.cue_starts, end)
        ]

    # ---- content spans ----------------------------------------------------------------------

    def _next_cue_cut(self, start: int, end: int) -> int:
        """End content before a later ", adding …" or ", according to …" in the same sentence."""
        for pos in self.cues_between(start, end):
            cue = self.cues[bisect_left(self.cue_starts, pos)]
            if self.text[max(start, pos - 2) : pos] == ", " and (
                cue.group("phrase") or cue.group().endswith("ing")
            ):
                return pos - 2
        return end

    def _span_to(self, start: int, sentence_end: int) -> list[tuple[int, int]] | None:
        end = self._next_cue_cut(start, sentence_end)
        start, end = _trim(self.text, start, end)
        quote = self.layout.quote_at(end - 1) if end > start else None
        if quote and quote.end > end:
            end = quote.end
        return [(start, end)] if end - start > 2 else None

    def _colon_content(self, colon: int, sentence_end: int) -> tuple[list[tuple[int, int]], bool]:
        """What follows a colon: the rest of the sentence, or the next paragraph (a block)."""
        rest = self._span_to(colon + 1, sentence_end)
        if rest:
            return rest, False
        p = self.layout.paragraph_index(colon) + 1
        if p >= len(self.layout.paragraphs):
            return [], False
        p_start, p_end = self.layout.paragraphs[p]
        quote = self.layout.quote_at(p_start)
        if quote:
            return [(quote.start, quote.end)], True
        return [_trim(self.text, p_start, p_end)], True

    def _skip_addressee(self, tokens: list[Token], verb: Verb | None) -> int:
        """Index after ``reporters`` in ``told reporters that …`` (0 if there is none)."""
        if not (verb and verb.addressee and tokens and tokens[0].is_word):
            return 0
        if tokens[0].low in self.rules.clause_openers or tokens[0].low in self.rules.joiners:
            return 0
        end = np_end_after(tokens, 0, self.rules)
        return 1 if end is None else end + 1

    def _content_after(
        self, cue: re.Match[str], verb: Verb | None, sentence_end: int
    ) -> tuple[list[tuple[int, int]], bool] | None:
        """Content that follows a cue, skipping an addressee and adjuncts; None if there is none."""
        rules = self.rules
        tokens = self.layout.tokens(cue.end(), min(sentence_end, cue.end() + 400))
        i = self._skip_addressee(tokens, verb)
        if i:
            i = self._skip_to_that(tokens, i)
        bare = verb is None or verb.bare
        adjunct: int | None = None
        while i < len(tokens) and i < 24:
            tok = tokens[i]
            low = tok.low
            if tok.word in rules.verbs and adjunct is not None:
                return None
            if tok.word == ":":
                return self._colon_content(tok.start, sentence_end)
            quote = self.layout.quote_at(tok.start)
            if quote and quote.start == tok.start:
                after = [t for t in tokens[i + 1 : i + 40] if t.start >= quote.end]
                if any(t.low == "that" for t in after[:3]):
                    i += 1 + next(k for k, t in enumerate(tokens[i + 1 :]) if t.start >= quote.end)
                    continue
                if adjunct is None or tokens[i - 1].word == ",":
                    return self._with_followers(quote, sentence_end), False
                if not any(t.low == "that" for t in after[:16]):
                    parts = self._span_to(tokens[adjunct].start, sentence_end)
                    return (parts, False) if parts else None
            opens = low in rules.clause_openers or (low == "to" and verb and verb.addressee)
            if opens and (low == "that" or adjunct is None or tokens[i - 1].word == ","):
                parts = self._span_to(tok.start, sentence_end)
                return (parts, False) if parts else None
            if tok.word == ",":
                if not self._comma_continues(tokens, i):
                    return None
                adjunct = None
            elif low in rules.adverbs:
                pass
            elif low in rules.joiners or low in rules.time_words or low == "on":
                adjunct = i if adjunct is None else adjunct
            elif adjunct is None:
                if not bare or not tok.is_word or low in rules.non_content:
                    return None
                parts = self._span_to(tok.start, sentence_end)
                return (parts, False) if parts else None
            i += 1
        return None

    def _skip_to_that(self, tokens: list[Token], i: int) -> int:
        """``told TV network Fox News on Sunday that …``: jump to a near ``that``."""
        for k in range(i, min(len(tokens), i + 10)):
            if tokens[k].low == "that":
                return k
            if not tokens[k].is_word:
                break
        return i

    def _comma_continues(self, tokens: list[Token], i: int) -> bool:
        """After ``said Sunday in Madison,``: go on if a quote, an aside or ``that`` follows."""
        nxt = tokens[i + 1 : i + 8]
        if not nxt or self.layout.quote_at(nxt[0].start):
            return True
        if nxt[0].word in self.rules.verbs or nxt[0].low in self.rules.non_content:
            return False
        if nxt[0].low in self.rules.adverbs and len(nxt) > 1 and nxt[1].word == ",":
            return True
        return any(t.low == "that" for t in nxt[:6])

    def _with_followers(self, quote: Span, sentence_end: int) -> list[tuple[int, int]]:
        """A quotation plus the quotations that continue it in the same sentence."""
        parts = [(quote.start, quote.end)]
        for nxt in self.layout.quotes_within(quote.end, sentence_end):
            gap = self.text[parts[-1][1] : nxt.start]
            if len(gap) > 3 and not self._gap_is_attribution(gap):
                break
            parts.append((nxt.start, nxt.end))
        return parts

    def _gap_is_attribution(self, gap: str) -> bool:
        return len(gap) < 120 and bool(self.rules.cue_re.search(gap))

    def _content_before(self, sentence_start: int, end: int) -> list[tuple[int, int]] | None:
        """The clause or quotation that ends at ``end`` (before a speaker or an inverted cue)."""
        start, end = _trim(self.text, sentence_start, end)
        if end - start < 3:
            return None
        first = self.layout.quote_at(start)
        if first and first.start < start and first.end <= end:
            start = first.start
        quotes = self.layout.quotes_within(start, end)
        if first and first.start == start and quotes:
            gaps_ok = all(
                self._gap_is_attribution(self.text[a.end : b.start]) or b.start - a.end <= 3
                for a, b in pairwise(quotes)
            )
            if gaps_ok and quotes[-1].end >= end - 1:
                return [(q.start, q.end) for q in quotes] if len(quotes) > 1 else [(start, end)]
        return [(start, end)]

    def _previous_quote(self, sentence_start: int) -> list[tuple[int, int]] | None:
        """``"Stop!" Smith shouted.``: the quotation that ends the sentence before a bare tail."""
        end = len(self.text[:sentence_start].rstrip())
        quote = self.layout.quote_at(end - 1) if end else None
        if quote is None or quote.end != end or "\n" in self.text[end:sentence_start]:
            return None
        return self._content_before(self.layout.sentence_at(quote.start)[0], end)

    def _opens_clause(self, parts: list[tuple[int, int]]) -> bool:
        """Whether content before a speaker is a clause, not ``In an interview,``."""
        start = parts[0][0]
        if self.layout.quote_at(start):
            return True
        first = self.layout.tokens(start, min(parts[0][1], start + 30))[:1]
        if not first:
            return False
        low = first[0].low
        rules = self.rules
        return not (low in rules.joiners or low in rules.stop_words or low.endswith(("ing", "ed")))

    # ---- speakers -----------------------------------------------------------------------------

    def subject_before(self, sentence_start: int, cue_start: int) -> tuple[int, int] | None:
        """The speaker phrase that ends just before a cue, with an apposition if there is one."""
        rules = self.rules
        lo = max(sentence_start, cue_start - _LOOKBACK)
        tokens = self.layout.tokens(lo, cue_start)
        i = _skip_back_adverbs(tokens, len(tokens) - 1, rules)
        if i < 0:
            return None
        if tokens[i].word == ",":
            return self._apposition_before(tokens, i) or self._long_apposition(
                sentence_start, tokens[i]
            )
        if tokens[i].low in {"and", "but", "or", "to"}:
            return self.sentence_subject(sentence_start, tokens[i].start)
        if tokens[i].low in _RELATIVES:
            return tokens[i].start, tokens[i].end
        start = np_start_before(tokens, i, rules)
        if start is None:
            return None
        start = self._extend_document(tokens, start)
        return tokens[start].start, tokens[i].end

    def _apposition_before(self, tokens: list[Token], comma: int) -> tuple[int, int] | None:
        """``Smith, a spokesman, said``; ``A lawmaker, Ann Lee, said``; ``Smith, who …, said``."""
        rules = self.rules
        opener = next((k for k in range(comma - 1, -1, -1) if tokens[k].word == ","), None)
        if opener is None or opener == 0:
            return None
        inner_start = np_start_before(tokens, comma - 1, rules)
        relative = tokens[opener + 1].low in {"who", "which", "whose"}
        if inner_start != opener + 1 and not relative:
            return None
        outer_start = np_start_before(tokens, opener - 1, rules)
        if outer_start is None:
            return None
        before = tokens[outer_start - 1] if outer_start > 0 else None
        if before is not None and before.is_word and before.low not in rules.stop_words:
            return None
        end = comma - 1 if inner_start == opener + 1 else opener - 1
        return tokens[outer_start].start, tokens[end].end

    def _long_apposition(self, sentence_start: int, comma: Token) -> tuple[int, int] | None:
        """``Michael Demastus, pastor of … and a Cruz supporter, said``: subject, aside, cue."""
        subject = self.sentence_subject(sentence_start, comma.start)
        if subject is None or subject[0] != sentence_start:
            return None
        if self.text[subject[1] : subject[1] + 1] != ",":
            return None
        return subject[0], comma.start

    def _extend_document(self, tokens: list[Token], start: int) -> int:
        """Widen ``the Ministry`` to ``A statement released by the Ministry``."""
        rules = self.rules
        j = start - 1
        if j < 1 or tokens[j].low not in {"by", "from"}:
            return start
        j -= 1
        if tokens[j].low in rules.document_verbs or tokens[j].low.endswith("ed"):
            j -= 1
        if j < 0 or _base(tokens[j].word) not in rules.documents:
            return start
        k = np_start_before(tokens, j, rules)
        return k if k is not None else j

    def _subject_after(self, cue_end: int, sentence_end: int) -> tuple[int, int] | None:
        """The speaker phrase after an inverted cue (``…," said Smith, a spokesman.``)."""
        tokens = self.layout.tokens(cue_end, min(sentence_end, cue_end + _LOOKBACK))
        if not tokens or not self.opens_np(tokens, 0):
            return None
        end = np_end_after(tokens, 0, self.rules)
        if end is None:
            return None
        if end + 2 < len(tokens) and tokens[end + 1].word == ",":
            nxt = tokens[end + 2]
            if _base(nxt.word) in self.rules.determiners or _is_role(nxt.word, self.rules):
                appo_end = np_end_after(tokens, end + 2, self.rules)
                end = appo_end if appo_end is not None else end
        return tokens[0].start, tokens[end].end

    def opens_np(self, tokens: list[Token], i: int) -> bool:
        """A determiner, a pronoun, a capitalised word, or ``former`` before a name or role."""
        tok = tokens[i]
        low = tok.low
        rules = self.rules
        if low in rules.clause_openers or low in rules.joiners:
            return False
        if low in rules.determiners or low in rules.pronouns:
            return True
        if tok.is_capital:
            return low not in rules.time_words and low not in rules.stop_words
        for nxt in tokens[i + 1 : i + 3]:
            if nxt.is_capital or _is_role(nxt.word, rules):
                return _np_word(tok, rules)
            if not _np_word(nxt, rules) or nxt.low in rules.joiners:
                return False
        return False

    def clause_subject(self, sentence_start: int, pos: int) -> tuple[int, int] | None:
        """The nearest ``subject verb`` pair before ``pos``: ``Harman called it "…"`` → Harman.

        A verb here is a lowercase word that is not a function word, role or document noun;
        its subject is a pronoun, a name or a role/document noun not governed by a preposition.
        """
        rules = self.rules
        tokens = self.layout.tokens(max(sentence_start, pos - _LOOKBACK), pos)
        for k in range(len(tokens) - 1, 0, -1):
            if not _verb_like(tokens[k], rules) or self.layout.quote_at(tokens[k].start):
                continue
            j = _skip_back_adverbs(tokens, k - 1, rules)
            if j < 0 or not _ends_subject(tokens[j], rules):
                continue
            start = np_start_before(tokens, j, rules)
            if start is not None and (start == 0 or tokens[start - 1].low not in rules.joiners):
                return tokens[start].start, tokens[j].end
        return None

    def sentence_subject(self, sentence_start: int, limit: int) -> tuple[int, int] | None:
        """The noun phrase that opens the sentence, or the first one after a leading clause."""
        tokens = self.layout.tokens(sentence_start, min(limit, sentence_start + _LOOKBACK))
        rules = self.rules
        i = 0
        while i < len(tokens):
            if tokens[i].low in rules.subordinators or tokens[i].low in _RELATIVES:
                i = next(
                    (k + 1 for k in range(i, len(tokens)) if tokens[k].word == ","), len(tokens)
                )
                continue
            quote = self.layout.quote_at(tokens[i].start) if i < len(tokens) else None
            if quote is not None:
                i = next(
                    (k for k in range(i, len(tokens)) if tokens[k].start >= quote.end), len(tokens)
                )
                continue
            adjunct = False
            while i < len(tokens) and (_leads_clause(tokens[i], rules) or tokens[i].word == "("):
                adjunct = adjunct or tokens[i].low in rules.joiners
                close = _closing_paren(tokens, i) if tokens[i].word == "(" else None
                i = (close if close is not None else i) + 1
            if i < len(tokens) and self.opens_np(tokens, i) and not tokens[i].word.isupper():
                end = np_end_after(tokens, i, rules)
                after = tokens[end + 1].word if end is not None and end + 1 < len(tokens) else ""
                if end is not None and after not in _DASHES and not (adjunct and after == ","):
                    return tokens[i].start, tokens[end].end
            i = next(
                (k + 1 for k in range(i, len(tokens)) if tokens[k].word in _CLAUSE_MARKS),
                len(tokens),
            )
        return None

    def _passive_agent(self, sentence_start: int, cue_start: int) -> tuple[int, int] | None:
        """``Invitation rejected by the authorities, insisting …``: the agent after ``by``."""
        tokens = self.layout.tokens(max(sentence_start, cue_start - _LOOKBACK), cue_start)
        if len(tokens) < 3 or tokens[-1].word != ",":
            return None
        by = next((k for k in range(len(tokens) - 2, -1, -1) if tokens[k].low == "by"), None)
        if by is None or any(t.word == "," for t in tokens[by:-1]):
            return None
        end = np_end_after(tokens, by + 1, self.rules)
        return (tokens[by + 1].start, tokens[end].end) if end == len(tokens) - 2 else None

    # ---- one cue ------------------------------------------------------------------------------

    def _verb(self, cue: re.Match[str]) -> Verb | None:
        return self.rules.verbs.get(cue.group("verb")) if cue.group("verb") else None

    def _ends_with_quote_or_comma(self, pos: int, sentence_start: int) -> bool:
        """Whether a clause or quotation ends just before ``pos`` (``…," he said``)."""
        end = len(self.text[sentence_start:pos].rstrip()) + sentence_start
        if end <= sentence_start:
            return False
        if self.text[end - 1] == ",":
            return True
        quote = self.layout.quote_at(end - 1)
        return quote is not None and quote.end == end

    def attribute(self, cue: re.Match[str]) -> _Found | None:
        """Find the speaker and content of one cue, trying the sentence shapes in turn."""
        s_start, s_end = self.layout.sentence_at(cue.start())
        if cue.group("phrase"):
            return self._according_to(cue, s_start, s_end)
        verb = self._verb(cue)
        if verb is None or self._is_modifier(cue, s_start):
            return None
        if cue.group().endswith("ing"):
            return self._participle(cue, verb, s_start, s_end)
        if self._ends_with_quote_or_comma(cue.start(), s_start) and not self._apposed(cue, s_start):
            found = self._inverted(cue, s_start, s_end)
            if found:
                return found
        return self._subject_first(cue, verb, s_start, s_end)

    def _apposed(self, cue: re.Match[str], s_start: int) -> bool:
        """``Graham, a former candidate, told``: the comma before the cue closes an apposition."""
        if self.text[: cue.start()].rstrip()[-1:] != ",":
            return False
        return self.subject_before(s_start, cue.start()) is not None

    def _is_modifier(self, cue: re.Match[str], sentence_start: int) -> bool:
        """Forms that are no speech act: ``the said report``, ``was told``, ``all told``, and
        nouns (``Trump's remarks``, ``their claims``, ``restricted comments``)."""
        tokens = self.layout.tokens(max(sentence_start, cue.start() - 30), cue.start())
        if not tokens:
            return False
        prev = tokens[-1]
        if prev.low in _NOT_SUBJECTS or prev.word.endswith(("’s", "'s", "s’", "s'")):
            return True
        if prev.word.islower() and prev.low.endswith("ed") and not _is_role(prev.word, self.rules):
            return True
        return prev.low in _PASSIVE and not cue.group().endswith("ing")

    def _base_form_clash(self, cue: re.Match[str], verb: Verb, mention: tuple[int, int]) -> bool:
        """``a controversial claim that``: a base form after a singular phrase is a noun."""
        if verb.bare or cue.group() != verb.lemma:
            return False
        words = [t for t in self.layout.tokens(*mention) if t.is_word]
        if not words or words[0].low in {"a", "an"}:
            return True
        last = words[-1].low
        return not (last in _PLURAL_PRONOUNS or last.endswith("s") or words[-1].is_capital)

    def _inverted(self, cue: re.Match[str], s_start: int, s_end: int) -> _Found | None:
        mention = self._subject_after(cue.end(), s_end)
        if mention is None or self.text[mention[0]] in '“"':
            return None
        before_end = len(self.text[: cue.start()].rstrip())
        parts = self._content_before(s_start, before_end)
        if not parts:
            return None
        return _Found(parts, cue.group(), cue.start(), cue.end(), mention)

    def _participle(
        self, cue: re.Match[str], verb: Verb, s_start: int, s_end: int
    ) -> _Found | None:
        """``…, adding that …``, ``ended by saying …``, ``was telling …``; else an adjective."""
        before = self.layout.tokens(max(s_start, cue.start() - _LOOKBACK), cue.start())
        if not before:
            return None
        prev = before[-1]
        shared = prev.word == "," or prev.low in _PARTICIPLE_LINKS
        shared = shared or self._ends_with_quote_or_comma(cue.start(), s_start)
        mention = None
        if prev.low in _PASSIVE:
            mention = self.subject_before(s_start, prev.start)
        elif not shared:
            return None
        content = self._content_after(cue, verb, s_end)
        if not content or not content[0]:
            return None
        found = _Found(content[0], cue.group(), cue.start(), cue.end(), mention, block=content[1])
        found.shared_subject = s_start if mention is None else None
        return found

    def _subject_first(
        self, cue: re.Match[str], verb: Verb, s_start: int, s_end: int
    ) -> _Found | None:
        """``Smith said (that) …``, ``…," Smith said.``, ``The plan, Smith said, is dead.``"""
        mention = self.subject_before(s_start, cue.start())
        if mention is None or (verb.document and not self._is_document(mention)):
            return None
        if self._base_form_clash(cue, verb, mention):
            return None
        before = None
        if self._ends_with_quote_or_comma(mention[0], s_start):
            before = self._content_before(s_start, len(self.text[: mention[0]].rstrip()))
        elif mention[0] == s_start:
            before = self._previous_quote(s_start)
        after = self._content_after(cue, verb, s_end)
        if not (after and after[0]) and before and self._opens_clause(before):
            after = self._after_interposed(cue, s_end)
        if after and after[0]:
            parts, block = after
            gap = self.text[cue.end() : parts[0][0]].lstrip()
            if before and gap.startswith(",") and self._opens_clause(before):
                parts = before + parts
            elif before and self.layout.quote_at(before[0][0]) and not self._announces(parts[0][0]):
                parts = before
            return _Found(parts, cue.group(), cue.start(), cue.end(), mention, block=block)
        if not before:
            return None
        if not self.layout.quote_at(before[0][0]) and not self._ends_statement(cue, verb, s_end):
            return None
        return _Found(before, cue.group(), cue.start(), cue.end(), mention)

    def _after_interposed(
        self, cue: re.Match[str], s_end: int
    ) -> tuple[list[tuple[int, int]], bool] | None:
        """``The vote, Grant said, was never in doubt.``: the clause after the cue's comma."""
        tokens = self.layout.tokens(cue.end(), min(s_end, cue.end() + 400))
        if len(tokens) < 3 or tokens[0].word != ",":
            return None
        nxt = tokens[1]
        if (
            nxt.word in self.rules.verbs
            or nxt.low in self.rules.non_content
            or nxt.low in _RELATIVES
        ):
            return None
        parts = self._span_to(nxt.start, s_end)
        return (parts, False) if parts else None

    def _ends_statement(self, cue: re.Match[str], verb: Verb, s_end: int) -> bool:
        """Whether only adjuncts (or an addressee) follow a cue that closes ``…, he said``."""
        rest = self.layout.tokens(cue.end(), min(s_end, cue.end() + 60))[:1]
        if not rest or not rest[0].is_word:
            return True
        low = rest[0].low
        rules = self.rules
        if low in rules.joiners or low in rules.time_words or low in rules.adverbs or low == "on":
            return True
        if low in rules.subordinators or rest[0].word.isdigit():
            return True
        return verb.addressee or _is_adjunct_word(rest[0], rules)

    def _announces(self, start: int) -> bool:
        """Whether content starts as announced speech: ``that …``, a quotation or a colon's."""
        if self.layout.quote_at(start) or self.text[:start].rstrip().endswith(":"):
            return True
        return self.text[start : start + 5].lower() == "that "

    def _is_document(self, mention: tuple[int, int]) -> bool:
        words = self.layout.tokens(*mention)
        return any(_base(t.word) in self.rules.documents for t in words)

    def _according_to(self, cue: re.Match[str], s_start: int, s_end: int) -> _Found | None:
        """``According to X, …`` or ``…, according to X.``"""
        mention = self._subject_after(cue.end(), s_end)
        if mention is None:
            return None
        lead = self.text[s_start : cue.start()].strip(" \"“‘'")
        if not lead:
            comma = self.text.find(",", mention[1], s_end)
            parts = self._span_to(comma + 1, s_end) if comma != -1 else None
        else:
            parts = self._content_before(s_start, len(self.text[: cue.start()].rstrip()))
        if not parts:
            return None
        return _Found(parts, cue.group(), cue.start(), cue.end(), mention, according=True)

    # ---- everything ---------------------------------------------------------------------------

    def run(self) -> list[_Found]:
        found = [f for f in map(self.attribute, self.cues) if f is not None]
        found = _drop_duplicates(found)
        self._share_subjects(found)
        return found

    def _share_subjects(self, found: list[_Found]) -> None:
        """Give ``…, adding that …`` the speaker of the clause before it in the sentence."""
        previous: _Found | None = None
        for item in found:
            s_start = item.shared_subject
            if s_start is not None and item.cue_start is not None:
                same = previous is not None and (previous.cue_start or -1) >= s_start
                if same and previous is not None:
                    item.mention = previous.mention
                else:
                    item.mention = self._passive_agent(s_start, item.cue_start) or (
                        self.sentence_subject(s_start, item.cue_start)
                    )
            if item.mention is not None:
                previous = item


def _drop_duplicates(found: list[_Found]) -> list[_Found]:
    """Keep one attribution per content span (the first cue wins)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for item in found:
        key = (item.start, item.end)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


# --------------------------------------------------------------------------------------------
# Quotations no cue claimed: continuations of the last speaker, unattributed quotes, scare quotes.

_SCARE_MAX_WORDS = 4
_BYLINE = re.compile(r"[ \t]*\.?(?:[ \t]*\n){0,2}[ \t]*(?P<dash>[―—–]|-{1,2})[ \t]*(?=[A-Z])")
_INTRO_MAX_TOKENS = 8


def _union(found: list[_Found]) -> tuple[list[int], list[int]]:
    """Merged content intervals, as parallel start and end lists for bisect."""
    pieces = sorted(p for item in found for p in item.parts)
    starts: list[int] = []
    ends: list[int] = []
    for a, b in pieces:
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
        else:
            starts.append(a)
            ends.append(b)
    return starts, ends


def _covered(starts: list[int], ends: list[int], span: Span) -> bool:
    i = bisect_right(starts, span.start) - 1
    return i >= 0 and ends[i] >= span.end - 1


def _word_count(text: str) -> int:
    return len(text.split())


class _Leftovers:
    """Places the quotations that no cue claimed, in one pass in text order."""

    def __init__(self, extractor: _Extractor, found: list[_Found]) -> None:
        self.x = extractor
        self.layout = extractor.layout
        self.found = sorted(found, key=lambda f: f.start)
        self.found_cues = sorted(f.cue_start for f in found if f.cue_start is not None)

    def _starts_sentence(self, span: Span) -> bool:
        s_start, _ = self.layout.sentence_at(span.start)
        return not self.x.text[s_start : span.start].strip(" ([—–-")

    def _is_statement(self, span: Span) -> bool:
        """Anything but a short term without sentence punctuation (a scare quote)."""
        inner = self.x.text[span.start + 1 : span.end - 1].strip()
        return _word_count(inner) > _SCARE_MAX_WORDS or inner.endswith((".", "!", "?"))

    def place(self) -> tuple[list[_Found], list[Span]]:
        """Return continuations and unattributed statements as attributions, plus scare quotes."""
        starts, ends = _union(self.found)
        placed = list(self.found)
        scares: list[Span] = []
        pointer = 0
        latest: _Found | None = None
        for span in self.layout.quotes:
            if _covered(starts, ends, span):
                continue
            if not self._is_statement(span):
                scares.append(span)
                continue
            while pointer < len(self.found) and self.found[pointer].start < span.start:
                pointer += 1
            previous = self.found[pointer - 1] if pointer else None
            if latest is not None and (previous is None or latest.start > previous.start):
                previous = latest
            item = self._attach(span, previous)
            if item is not None:
                placed.append(item)
                latest = item
        return placed, scares

    def _attach(self, span: Span, previous: _Found | None) -> _Found | None:
        """An attribution for an unclaimed statement, or None when it extends ``previous``."""
        found = self._introduced(span) or self._loose_tail(span) or self._byline(span)
        if found:
            return found
        lead = self._previous_sentence(span)
        adjacent = previous is not None and (lead is None or self._touches(previous, lead))
        if previous is not None and adjacent and self._continues(previous, span):
            if self._same_paragraph(previous, span):
                previous.parts.append((span.start, span.end))
                return None
            return _Found(
                [(span.start, span.end)], None, None, None, previous.mention, continues=previous
            )
        mention = self._lead_in(lead) if lead and self._uncued_statement(span) else None
        if mention:
            return _Found([(span.start, span.end)], None, None, None, mention)
        if not self._starts_sentence(span):
            s_start, _ = self.layout.sentence_at(span.start)
            mention = self.x.sentence_subject(s_start, span.start) or self.x.clause_subject(
                s_start, span.start
            )
            return _Found([(span.start, span.end)], None, None, None, mention)
        return _Found([(span.start, span.end)], None, None, None, None)

    def _introduced(self, span: Span) -> _Found | None:
        """``Sanders shot back, "…"`` / ``Her reply:`` + a quoted paragraph: the subject speaks."""
        text = self.x.text
        s_start, _ = self.layout.sentence_at(span.start)
        lead_end = len(text[: span.start].rstrip())
        block = lead_end <= s_start and text[lead_end - 1 : lead_end] == ":"
        if block:
            s_start, _ = self.layout.sentence_at(lead_end - 1)
        elif lead_end <= s_start or text[lead_end - 1] not in ":,":
            return None
        mark = lead_end - 1
        tokens = self.layout.tokens(s_start, mark)
        if not tokens or (text[mark] == "," and len(tokens) > _INTRO_MAX_TOKENS):
            return None
        mention = self.x.sentence_subject(s_start, mark)
        if mention is None or mention[1] >= mark:
            return None
        cue_start = (
            mention[1] + len(text[mention[1] : mark]) - len(text[mention[1] : mark].lstrip())
        )
        cue_start, cue_end = (cue_start, mark) if cue_start < mark else (mark, mark + 1)
        cue = text[cue_start:cue_end].rstrip()
        if _word_count(cue) > _INTRO_MAX_TOKENS or self.x.cues_between(s_start, mark):
            return None
        return _Found(
            [(span.start, span.end)], cue, cue_start, cue_start + len(cue), mention, block=block
        )

    def _byline(self, span: Span) -> _Found | None:
        """``"…" ― Karen Bobadilla`` (on the same or the next line): a dash names the speaker."""
        match = _BYLINE.match(self.x.text, span.end)
        if match is None:
            return None
        line_end = self.x.text.find("\n", match.end())
        line_end = len(self.x.text) if line_end == -1 else line_end
        tokens = self.layout.tokens(match.end(), line_end)
        if not tokens or not tokens[0].is_capital:
            return None
        end = np_end_after(tokens, 0, self.x.rules)
        if end is None or any(t.is_word for t in tokens[end + 1 :] if t.word not in ",."):
            rest = tokens[end + 1 :] if end is not None else tokens
            if end is None or rest[0].word != ",":
                return None
        dash = match.group("dash")
        mention = (tokens[0].start, tokens[end].end)
        return _Found(
            [(span.start, span.end)], dash, match.start("dash"), match.end("dash"), mention
        )

    def _loose_tail(self, span: Span) -> _Found | None:
        """``"…," beamed Donald Hartley.`` / ``"…," Smith quipped.``: a verb the lexicon lacks."""
        text = self.x.text
        if text[span.end - 2 : span.end - 1] not in {",", "?", "!"}:
            return None
        _, s_end = self.layout.sentence_at(span.start)
        tokens = self.layout.tokens(span.end, min(s_end, span.end + 120))
        if len(tokens) < 2 or not tokens[0].is_word:
            return None
        rules = self.x.rules
        first = tokens[0]
        if not first.is_capital and first.low not in rules.determiners | rules.pronouns.keys():
            end = np_end_after(tokens, 1, rules) if self.x.opens_np(tokens, 1) else None
            verb = first
        else:
            end = np_end_after(tokens, 0, rules)
            verb = tokens[end + 1] if end is not None and end + 1 < len(tokens) else tokens[0]
            end = end if verb.is_word and not verb.is_capital else None
        if end is None or verb.low in rules.stop_words or not verb.low.endswith(("ed", "s")):
            return None
        start = tokens[1].start if verb is tokens[0] else tokens[0].start
        mention = (start, tokens[end].end)
        return _Found([(span.start, span.end)], verb.word, verb.start, verb.end, mention)

    def _previous_sentence(self, span: Span) -> tuple[int, int] | None:
        """The sentence before ``span``'s, if in the same or the previous paragraph."""
        index = bisect_right(self.layout.sentence_starts, span.start) - 1
        if index < 1:
            return None
        sentence = self.layout.sentences[index - 1]
        gap = self.x.text[sentence[1] : span.start]
        return sentence if gap.count("\n") <= 2 else None

    def _uncued_statement(self, span: Span) -> bool:
        """A quote opening a sentence that holds no speech verb of its own."""
        s_start, s_end = self.layout.sentence_at(span.start)
        if not self._starts_sentence(span):
            return False
        return not any(self.layout.quote_at(c) is None for c in self.x.cues_between(s_start, s_end))

    def _touches(self, found: _Found, sentence: tuple[int, int]) -> bool:
        """Whether an attribution has its content, cue or speaker in ``sentence``."""
        points = [p for part in found.parts for p in part]
        points += [
            p for p in (found.cue_start, found.mention and found.mention[0]) if p is not None
        ]
        return any(sentence[0] <= p <= sentence[1] for p in points)

    def _lead_in(self, sentence: tuple[int, int]) -> tuple[int, int] | None:
        """``Bystrom agreed.`` before a quote: the sentence's subject, if it can be a speaker."""
        if self.layout.quotes_within(*sentence):
            return None
        mention = self.x.sentence_subject(sentence[0], sentence[1])
        if mention is None:
            return None
        last = self.layout.tokens(*mention)[-1]
        return mention if _ends_subject(last, self.x.rules) else None

    def _same_paragraph(self, previous: _Found, span: Span) -> bool:
        return self.layout.paragraph_index(previous.end) == self.layout.paragraph_index(span.start)

    def _continues(self, previous: _Found, span: Span) -> bool:
        """A sentence-initial quote right after an attribution, or at the next paragraph's start."""
        if previous.mention is None or not self._starts_sentence(span):
            return False
        p_prev = self.layout.paragraph_index(previous.end)
        p_span = self.layout.paragraph_index(span.start)
        if p_prev == p_span:
            lo = bisect_left(self.found_cues, previous.end)
            between = self.found_cues[lo : bisect_left(self.found_cues, span.start)]
            return all(pos == previous.cue_start for pos in between)
        return p_span == p_prev + 1 and self.layout.paragraphs[p_span][0] == span.start


# --------------------------------------------------------------------------------------------
# Speakers: canonical names for mentions, in text order.

_NAME_RUN = re.compile(
    r"\b[A-Z][a-z]+(?:[-’'][A-Za-z]+)*(?:’s|'s)?"
    r"(?:\s+(?:[A-Z]\.\s+)*(?:(?:de|van|von|der|bin|al|el|da|di|le|la|du)\s+)?"
    r"[A-Z][a-z]+(?:[-’'][A-Za-z]+)*(?:’s|'s)?)+"
)
SpeakerKind = Literal["person", "group", "thing"]


def _is_possessive(word: str) -> bool:
    return word.endswith(("’s", "'s", "s’", "s'"))


def _strip_possessive(word: str) -> str:
    for tail in ("’s", "'s"):
        if word.endswith(tail):
            return word[: -len(tail)]
    return word


def person_name(run: str, rules: Rules) -> str | None:
    """A person's full name from a run of capitalised words, dropping titles; None if not one."""
    words = [_strip_possessive(w) for w in run.split()]
    last_title = max(
        (i for i, w in enumerate(words) if w.rstrip(".").lower() in rules.titles), default=-1
    )
    words = words[last_title + 1 :]
    if any(w.lower() in rules.organisations or w.lower() in rules.documents for w in words):
        return None
    skip = rules.stop_words | rules.determiners | rules.time_words | set(rules.pronouns)
    while words and words[0].lower() in skip:
        words = words[1:]
    if len(words) < 2 or any(w.lower() in rules.time_words for w in words):
        return None
    return " ".join(words)


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


class _Speakers:
    """Resolves mentions to canonical speakers, remembering who spoke and who issued what."""

    def __init__(self, extractor: _Extractor) -> None:
        self.extractor = extractor
        self.text = extractor.text
        self.rules = extractor.rules
        self.layout = extractor.layout
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
            named = _NAME_RUN.search(self.text, start, tokens[last].end)
            if named or _base(self._head(words).word) in self.rules.organisations:
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
        end = len(self.text[:relative].rstrip().rstrip(","))
        mention = self.extractor.subject_before(s_start, end) if end > s_start else None
        if mention is None or mention[1] - mention[0] == relative - mention[0]:
            return None
        words = self.layout.tokens(*mention)
        return None if len(words) == 1 and words[0].low in _RELATIVES else mention

    def _full_name(self, start: int, end: int) -> str | None:
        for match in _NAME_RUN.finditer(self.text, start, end):
            name = person_name(match.group(), self.rules)
            if name:
                return name
        return None

    def surnames(self) -> dict[str, list[tuple[int, str]]]:
        """Full names in the text by surname, in order of appearance (built on first use)."""
        if self._surnames is None:
            self._surnames = {}
            for match in _NAME_RUN.finditer(self.text):
                name = person_name(match.group(), self.rules)
                if name is not None:
                    self._surnames.setdefault(name.split()[-1], []).append((match.start(), name))
        return self._surnames

    def _surname(self, word: str, pos: int) -> str | None:
        """The first-introduced full name ending in ``word`` (before ``pos`` if any)."""
        known = self.surnames().get(_strip_possessive(word))
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
        doc = next((i for i, t in enumerate(words) if _base(t.word) in rules.documents), None)
        if doc is None:
            return None
        noun = _base(words[doc].word)
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
        if len(words) == 1 and words[0].low in _RELATIVES:
            antecedent = self._antecedent(start)
            return self.canonical(*antecedent) if antecedent else None
        comma = self.text.find(",", start, end)
        main = self._unbracketed(start, comma if comma != -1 else end) or words
        document = self._document(main, start)
        if document:
            return document
        head_token = self._head(main)
        head = _base(head_token.word)
        plural = head.endswith("s") and not head.endswith("ss")
        if head in self.rules.organisations:
            return self._plain(main), "group" if plural else "thing"
        if head_token.is_capital and not _is_possessive(head_token.word):
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
            first > 0 and words[first - 1].is_capital and not _is_possessive(words[first - 1].word)
        ):
            first -= 1
        run = " ".join(t.word for t in words[first : head + 1])
        full = person_name(run, self.rules)
        if full:
            return full
        surname = _strip_possessive(words[head].word)
        return self._surname(surname, pos) or surname

    def resolve(self, found: _Found) -> str | None:
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

    def _note_in_document(self, found: _Found, name: str) -> None:
        """``In a statement, the ministry said …``: the ministry issued a statement."""
        if found.mention is None or found.cue_end is None:
            return
        s_start, _ = self.layout.sentence_at(found.mention[0])
        for match in _IN_DOCUMENT.finditer(self.text, s_start, found.cue_end + 40):
            noun = _base(match.group(1))
            if noun in self.rules.documents:
                self.documents.append((found.mention[0], noun, name))

    def _note_issued(self) -> None:
        """Remember ``X issued an invitation`` so that ``the invitation`` resolves to X (once)."""
        if self._issued:
            return
        self._issued = True
        for match in self.rules.issue_re.finditer(self.text):
            s_start, _ = self.layout.sentence_at(match.start())
            mention = self.extractor.subject_before(s_start, match.start())
            if mention is None:
                continue
            issuer = self.canonical(*mention)
            if issuer:
                self.documents.append((match.start(), _base(match.group("doc")), issuer[0]))


# --------------------------------------------------------------------------------------------
# Assembly.


def _letters_outside(text: str, parts: list[tuple[int, int]], quotes: list[Span]) -> int:
    """How many letters of the content stand outside its quotations."""
    count = 0
    for a, b in parts:
        pos = a
        for q in quotes:
            if a <= q.start < b:
                count += sum(c.isalpha() for c in text[pos : q.start])
                pos = max(pos, q.end)
        count += sum(c.isalpha() for c in text[pos:b])
    return count


def _kind(text: str, found: _Found, layout: _Layout) -> QuoteKind:
    """Classify by cue and by how much of the content sits inside quotation marks."""
    if found.according:
        return "according_to"
    quotes = [q for a, b in found.parts for q in layout.quotes_within(a, b)]
    if not quotes:
        return "block" if found.block else "indirect"
    if _letters_outside(text, found.parts, quotes):
        return "mixed"
    if found.block:
        return "block"
    first = text[quotes[0].start + 1 : quotes[0].end].lstrip(" .…'‘\"“")[:1]
    return "partial" if first.islower() else "direct"


def _quote(text: str, found: _Found, kind: QuoteKind, speaker: str | None) -> Quote:
    mention = found.mention
    return Quote(
        kind=kind,
        text=text[found.start : found.end],
        start=found.start,
        end=found.end,
        speaker=speaker,
        speaker_mention=text[mention[0] : mention[1]] if mention else None,
        speaker_start=mention[0] if mention else None,
        speaker_end=mention[1] if mention else None,
        cue=found.cue,
        cue_start=found.cue_start,
        cue_end=found.cue_end,
        parts=tuple(found.parts) if len(found.parts) > 1 else (),
    )


def _scare(text: str, span: Span) -> Quote:
    return Quote(kind="scare", text=text[span.start : span.end], start=span.start, end=span.end)


def extract_quotes(text: str) -> list[Quote]:
    """Return the quotations and reported statements in ``text``, in order of ``start``."""
    rules = load_rules()
    extractor = _Extractor(text, rules)
    placed, scares = _Leftovers(extractor, extractor.run()).place()
    speakers = _Speakers(extractor)
    resolved: dict[int, str | None] = {}
    quotes = [_scare(text, span) for span in scares]
    for found in sorted(placed, key=lambda f: (f.mention[0] if f.mention else f.start, f.start)):
        if found.continues is not None:
            speaker = resolved.get(id(found.continues))
        else:
            speaker = speakers.resolve(found)
        resolved[id(found)] = speaker
        quotes.append(_quote(text, found, _kind(text, found, extractor.layout), speaker))
    return sorted(quotes, key=lambda q: (q.start, q.end))
