"""What a cue reports: the clause or quotation after it (skipping an addressee and adjuncts, or
taking the paragraph after a colon), or the one that ends before it.

Content ends at the sentence end, or earlier at a later ``, adding …`` that starts an attribution
of its own; a quotation that straddles the cut is kept whole.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import pairwise

from .layout import Layout
from .marks import Span, text_end
from .phrases import RELATIVES, Token, np_end_after
from .rules import Rules, Verb


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to drop surrounding spaces and a trailing full stop or comma."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    if end > start and text[end - 1] == "." and text[end - 2 : end - 1] != ".":
        end -= 1
    return start, end


class Content:
    """Content spans around the cues of one text."""

    def __init__(self, layout: Layout, rules: Rules) -> None:
        self.text = layout.text
        self.layout = layout
        self.rules = rules
        # Cues that start an attribution of their own after a comma: ", adding", ", according to".
        self._cuts = [
            cue.start()
            for cue in layout.cues
            if self.text[max(0, cue.start() - 2) : cue.start()] == ", "
            and (cue.group("phrase") or cue.group().endswith("ing"))
        ]

    def _next_cue_cut(self, start: int, end: int) -> int:
        """End content before a later ", adding …" or ", according to …" in the same sentence."""
        i = bisect_left(self._cuts, start + 2)
        return self._cuts[i] - 2 if i < len(self._cuts) and self._cuts[i] < end else end

    def _nesting_end(self, start: int, end: int) -> int:
        """``end``, or earlier where a cue would be one more than ``max_nested_cues`` inside:
        reported speech nests ("Smith said Jones told him …"), but boundedly."""
        starts = self.layout.cue_starts
        i = bisect_left(starts, start) + self.rules.settings.max_nested_cues
        return min(end, starts[i]) if i < len(starts) else end

    def _nesting_start(self, start: int, end: int) -> int:
        """``start``, or later, so that at most ``max_nested_cues`` cues lie in ``start..end``."""
        cues = self.layout.cues
        i = bisect_left(self.layout.cue_starts, end) - self.rules.settings.max_nested_cues - 1
        return max(start, cues[i].end()) if i >= 0 else start

    def span_to(self, start: int, sentence_end: int) -> list[tuple[int, int]] | None:
        """Content from ``start`` to the sentence end or the next cue's cut; None if too short."""
        end = self._next_cue_cut(start, self._nesting_end(start, sentence_end))
        start, end = _trim(self.text, start, end)
        quote = self.layout.quote_at(end - 1) if end > start else None
        if quote and quote.end > end:
            end = quote.end
        return [(start, end)] if end - start > 2 else None

    def _colon_content(self, colon: int, sentence_end: int) -> tuple[list[tuple[int, int]], bool]:
        """What follows a colon: the rest of the sentence, or the next paragraph (a block)."""
        rest = self.span_to(colon + 1, sentence_end)
        if rest:
            return rest, False
        p = self.layout.paragraph_index(colon) + 1
        if p >= len(self.layout.paragraphs):
            return [], False
        p_start, p_end = self.layout.paragraphs[p]
        quote = self.layout.quote_at(p_start)
        if quote:
            return [(quote.start, quote.end)], True
        start, end = _trim(self.text, p_start, p_end)
        return ([(start, end)], True) if end > start else ([], False)

    def _skip_addressee(self, tokens: list[Token], verb: Verb | None) -> int:
        """Index after ``reporters`` in ``told reporters that …`` (0 if there is none)."""
        if not (verb and verb.addressee and tokens and tokens[0].is_word):
            return 0
        if tokens[0].low in self.rules.clause_openers or tokens[0].low in self.rules.joiners:
            return 0
        end = np_end_after(tokens, 0, self.rules)
        return 1 if end is None else end + 1

    def after(
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
                    parts = self.span_to(tokens[adjunct].start, sentence_end)
                    return (parts, False) if parts else None
            opens = low in rules.clause_openers or (low == "to" and verb and verb.addressee)
            if opens and (low == "that" or adjunct is None or tokens[i - 1].word == ","):
                parts = self.span_to(tok.start, sentence_end)
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
                parts = self.span_to(tok.start, sentence_end)
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
        for nxt in self.layout.iter_quotes_within(quote.end, sentence_end):
            gap = self.text[parts[-1][1] : nxt.start]
            if len(gap) > 3 and not self._gap_is_attribution(gap):
                break
            parts.append((nxt.start, nxt.end))
        return parts

    def _gap_is_attribution(self, gap: str) -> bool:
        return len(gap) < 120 and bool(self.rules.cue_re.search(gap))

    def before(self, sentence_start: int, end: int) -> list[tuple[int, int]] | None:
        """The clause or quotation that ends at ``end`` (before a speaker or an inverted cue)."""
        start, end = _trim(self.text, self._nesting_start(sentence_start, end), end)
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

    def previous_quote(self, sentence_start: int) -> list[tuple[int, int]] | None:
        """``"Stop!" Smith shouted.``: the quotation that ends the sentence before a bare tail."""
        end = text_end(self.text, sentence_start)
        quote = self.layout.quote_at(end - 1) if end else None
        if quote is None or quote.end != end or "\n" in self.text[end:sentence_start]:
            return None
        return self.before(self.layout.sentence_at(quote.start)[0], end)

    def opens_clause(self, parts: list[tuple[int, int]]) -> bool:
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

    def after_interposed(
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
            or nxt.low in RELATIVES
        ):
            return None
        parts = self.span_to(nxt.start, s_end)
        return (parts, False) if parts else None

    def announces(self, start: int) -> bool:
        """Whether content starts as announced speech: ``that …``, a quotation or a colon's."""
        before = text_end(self.text, start)
        if self.layout.quote_at(start) or self.text[before - 1 : before] == ":":
            return True
        return self.text[start : start + 5].lower() == "that "
