"""Speaker mentions: where the phrase naming a speaker sits relative to a cue.

Before it (``Smith, a spokesman, said``), after it (``…," said Smith``), at the head of the
sentence (``Smith, …, adding that``), as the subject of the nearest clause, or as a passive agent.
These return offsets only; turning a mention into a canonical name is ``speakers``' job.
"""

from __future__ import annotations

from .layout import Layout
from .phrases import (
    RELATIVES,
    Token,
    base_word,
    closing_paren,
    ends_subject,
    is_role,
    leads_clause,
    np_end_after,
    np_start_before,
    np_word,
    skip_back_adverbs,
    verb_like,
)
from .rules import Rules

_DASHES = frozenset("—–")
_CLAUSE_MARKS = frozenset(",;—–")


class Mentions:
    """Finds speaker phrases in one text; stateless beyond the shared layout's token cache."""

    def __init__(self, layout: Layout, rules: Rules) -> None:
        self.layout = layout
        self.rules = rules
        # How many characters a speaker scan reads: back from a cue, or on from a sentence start.
        self.lookback = rules.settings.lookback_chars

    def subject_before(self, sentence_start: int, cue_start: int) -> tuple[int, int] | None:
        """The speaker phrase that ends just before a cue, with an apposition if there is one."""
        rules = self.rules
        lo = max(sentence_start, cue_start - self.lookback)
        tokens = self.layout.tokens(lo, cue_start)
        i = skip_back_adverbs(tokens, len(tokens) - 1, rules)
        if i < 0:
            return None
        if tokens[i].word == ",":
            return self._apposition_before(tokens, i) or self._long_apposition(
                sentence_start, tokens[i]
            )
        if tokens[i].low in {"and", "but", "or", "to"}:
            return self.sentence_subject(sentence_start, tokens[i].start)
        if tokens[i].low in RELATIVES:
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
        if self.layout.text[subject[1] : subject[1] + 1] != ",":
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
        if j < 0 or base_word(tokens[j].word) not in rules.documents:
            return start
        k = np_start_before(tokens, j, rules)
        return k if k is not None else j

    def subject_after(self, cue_end: int, sentence_end: int) -> tuple[int, int] | None:
        """The speaker phrase after an inverted cue (``…," said Smith, a spokesman.``)."""
        tokens = self.layout.tokens(cue_end, min(sentence_end, cue_end + self.lookback))
        if not tokens or not self.opens_np(tokens, 0):
            return None
        end = np_end_after(tokens, 0, self.rules)
        if end is None:
            return None
        if end + 2 < len(tokens) and tokens[end + 1].word == ",":
            nxt = tokens[end + 2]
            if base_word(nxt.word) in self.rules.determiners or is_role(nxt.word, self.rules):
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
            if nxt.is_capital or is_role(nxt.word, rules):
                return np_word(tok, rules)
            if not np_word(nxt, rules) or nxt.low in rules.joiners:
                return False
        return False

    def clause_subject(self, sentence_start: int, pos: int) -> tuple[int, int] | None:
        """The nearest ``subject verb`` pair before ``pos``: ``Harman called it "…"`` → Harman.

        A verb here is a lowercase word that is not a function word, role or document noun;
        its subject is a pronoun, a name or a role/document noun not governed by a preposition.
        """
        rules = self.rules
        tokens = self.layout.tokens(max(sentence_start, pos - self.lookback), pos)
        for k in range(len(tokens) - 1, 0, -1):
            if not verb_like(tokens[k], rules) or self.layout.quote_at(tokens[k].start):
                continue
            j = skip_back_adverbs(tokens, k - 1, rules)
            if j < 0 or not ends_subject(tokens[j], rules):
                continue
            start = np_start_before(tokens, j, rules)
            if start is not None and (start == 0 or tokens[start - 1].low not in rules.joiners):
                return tokens[start].start, tokens[j].end
        return None

    def sentence_subject(self, sentence_start: int, limit: int) -> tuple[int, int] | None:
        """The noun phrase that opens the sentence, or the first one after a leading clause."""
        tokens = self.layout.tokens(sentence_start, min(limit, sentence_start + self.lookback))
        rules = self.rules
        i = 0
        while i < len(tokens):
            if tokens[i].low in rules.subordinators or tokens[i].low in RELATIVES:
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
            while i < len(tokens) and (leads_clause(tokens[i], rules) or tokens[i].word == "("):
                adjunct = adjunct or tokens[i].low in rules.joiners
                close = closing_paren(tokens, i) if tokens[i].word == "(" else None
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

    def passive_agent(self, sentence_start: int, cue_start: int) -> tuple[int, int] | None:
        """``Invitation rejected by the authorities, insisting …``: the agent after ``by``."""
        tokens = self.layout.tokens(max(sentence_start, cue_start - self.lookback), cue_start)
        if len(tokens) < 3 or tokens[-1].word != ",":
            return None
        by = next((k for k in range(len(tokens) - 2, -1, -1) if tokens[k].low == "by"), None)
        if by is None or any(t.word == "," for t in tokens[by:-1]):
            return None
        end = np_end_after(tokens, by + 1, self.rules)
        return (tokens[by + 1].start, tokens[end].end) if end == len(tokens) - 2 else None
