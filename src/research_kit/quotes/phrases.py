"""Words near a cue: a small tokenizer, word classes from the rules, noun-phrase boundaries
scanned in both directions, and person names.

There is no tagger: a speaker phrase is found by walking tokens away from the cue until a word
the rules say cannot sit in one (a stop word, a speech verb, a time word), which is fast and
predictable enough for news prose.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .rules import Rules

_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+|(?:[A-Za-z]\.){2,}|\w+(?:[’'&/.-]\w+)*(?:[’']s?)?|[^\w\s]")
_MAX_NP = 14
RELATIVES = frozenset({"who", "which", "that"})


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
    """Tokens of ``text[start:end]``, offsets into ``text``; numbers and initials stay whole."""
    new = tuple.__new__  # what ``Token._make`` does, without its frame and length check
    return [new(Token, (m.start(), m.end(), m.group())) for m in _TOKEN.finditer(text, start, end)]


_APOSTROPHES = frozenset("’'")
_BARE_TAILS = frozenset("’'.")


def base_word(word: str) -> str:
    """A word without a trailing possessive (``’s``, ``'s``, ``’``, ``'``) or full stop,
    lowercased; a word that is only its tail is kept. Asked of almost every token, hence
    character tests rather than a loop over the tails."""
    low = word.lower()
    if len(low) > 2 and low[-1] == "s" and low[-2] in _APOSTROPHES:
        return low[:-2]
    if len(low) > 1 and low[-1] in _BARE_TAILS:
        return low[:-1]
    return low


def np_word(tok: Token, rules: Rules) -> bool:
    """Whether a token can sit inside a speaker phrase."""
    if not tok.is_word:
        return tok.word in "()&"
    low = base_word(tok.word)
    if low in rules.stop_words or tok.word in rules.verbs:
        return False
    return low not in rules.time_words


def is_role(word: str, rules: Rules) -> bool:
    """A noun for a person or an institution (``spokesman``, ``officials``, ``Ministry``)."""
    low = base_word(word)
    single = low[:-1] if low.endswith("s") else low
    return low in rules.roles or single in rules.roles or low in rules.organisations


def _abbreviated(tokens: list[Token], j: int, rules: Rules) -> bool:
    """Whether ``tokens[j]`` is the full stop of ``Sen.``, ``R-Ky.`` or an initial (``E.``)."""
    if tokens[j].word != "." or j == 0:
        return False
    word = tokens[j - 1].word.rsplit("-", 1)[-1]
    return word.lower() in rules.abbreviations or (len(word) == 1 and word.isupper())


def verb_like(tok: Token, rules: Rules) -> bool:
    """A lowercase content word that is not a role or document noun: maybe a verb."""
    word = tok.word
    if not word.islower() or not word[0].isalpha():
        return False
    low = base_word(word)
    if low in rules.stop_words or low in rules.determiners or low in rules.joiners:
        return False
    return not (is_role(word, rules) or low in rules.documents or low in rules.adverbs)


def ends_subject(tok: Token, rules: Rules) -> bool:
    """Whether a token can end a clause's subject: pronoun, name, role or document noun."""
    low = tok.low
    if low in rules.pronouns or (low in RELATIVES and low != "that"):
        return True
    if low in rules.determiners or low in rules.stop_words or not tok.is_word:
        return False
    return tok.is_capital or is_role(tok.word, rules) or base_word(tok.word) in rules.documents


def leads_clause(tok: Token, rules: Rules) -> bool:
    """Words before a sentence's subject: conjunctions, adverbs, ``On September 27``."""
    low = tok.low
    if low in rules.stop_words or low in rules.adverbs or low in rules.joiners:
        return True
    return low in rules.time_words or tok.word.isdigit()


def is_adjunct_word(tok: Token, rules: Rules) -> bool:
    """An -ly adverb (``forcefully``) or a year (``2010``): never part of a speaker phrase."""
    word = tok.word
    if word.isdigit():
        return len(word) == 4
    return word.islower() and word.endswith("ly") and len(word) > 4 and not is_role(word, rules)


def skip_back_adverbs(tokens: list[Token], i: int, rules: Rules) -> int:
    """Step left over adverbs, auxiliaries and time adjuncts between a speaker and a cue."""
    while i >= 0:
        low = tokens[i].low
        if (
            low in rules.adverbs
            or low in rules.time_words
            or is_adjunct_word(tokens[i], rules)
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
        low = base_word(tok.word)
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
            if j >= 2 and tokens[j - 1].low in rules.joiners and np_word(tokens[j - 2], rules):
                j -= 2
                continue
            break
        elif low in rules.joiners:
            if start is None or j == 0 or not np_word(tokens[j - 1], rules):
                break
        elif _abbreviated(tokens, j, rules) or (j == i and _noun_homograph(tokens, j, rules)):
            pass
        elif not np_word(tok, rules) or low in rules.pronouns:
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
    return prev.low in rules.determiners or prev.is_capital or is_possessive(prev.word)


def closing_paren(tokens: list[Token], j: int) -> int | None:
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
    if (following and following[0].low in rules.determiners) or is_adjunct_word(tokens[j], rules):
        return True
    if is_role(word, rules) or tokens[j - 1].word.endswith(("’s", "'s", "’", "'")):
        return False
    if seen_capital:
        return not any(is_role(t.word, rules) for t in following)
    nxt = following[0] if following else None
    joins = nxt is not None and np_word(nxt, rules) and nxt.low not in rules.determiners
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
        low = base_word(tok.word)
        if tok.word == "(" and end is not None:
            close = closing_paren(tokens, j)
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
        elif not np_word(tok, rules) or tok.word in "()" or low in rules.pronouns:
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
# Person names: possessives and titles stripped from capitalised runs.


def is_possessive(word: str) -> bool:
    """``Trump's``, ``peacekeepers’``: the word modifies the noun after it, naming no speaker."""
    return word.endswith(("’s", "'s", "s’", "s'"))


def strip_possessive(word: str) -> str:
    """``Smith’s`` → ``Smith``, so a possessive mention still finds the full name."""
    for tail in ("’s", "'s"):
        if word.endswith(tail):
            return word[: -len(tail)]
    return word


def person_name(run: str, rules: Rules) -> str | None:
    """A person's full name from a run of capitalised words, dropping titles; None if not one."""
    words = [strip_possessive(w) for w in run.split()]
    # A title word ending the run is a surname (Larry King, Kenneth Baer Minister is not a run).
    last_title = max(
        (i for i, w in enumerate(words[:-1]) if w.rstrip(".").lower() in rules.titles),
        default=-1,
    )
    words = words[last_title + 1 :]
    if any(w.lower() in rules.organisations or w.lower() in rules.documents for w in words):
        return None
    skip = rules.name_openers
    while words and words[0].lower() in skip:
        words = words[1:]
    if len(words) < 2 or any(w.lower() in rules.time_words for w in words):
        return None
    return " ".join(words)
