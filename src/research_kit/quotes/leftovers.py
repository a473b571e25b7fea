"""Quotations no cue claimed: continuations of the last speaker, quotations introduced without a
speech verb (``Sanders shot back, "…"``, ``"…," beamed Hartley``, ``"…" ― Karen Bobadilla``),
unattributed statements, and scare quotes (a few words without sentence punctuation).

These run after the cue rules because whether a quotation continues a speaker depends on every
attribution made before it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace

from .layout import Layout
from .marks import Span, text_end
from .mentions import Mentions
from .model import Found
from .phrases import ends_subject, np_end_after
from .rules import Rules

_BYLINE = re.compile(r"[ \t]*+\.?(?:[ \t]*+\n){0,2}[ \t]*+(?P<dash>[―—–]|-{1,2})[ \t]*+(?=[A-Z])")
_SENTENCE_LEAD = frozenset(" ([—–-")


def _union(found: list[Found]) -> tuple[list[int], list[int]]:
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


class Leftovers:
    """Places the quotations that no cue claimed, in one pass in text order."""

    def __init__(
        self, layout: Layout, rules: Rules, mentions: Mentions, found: list[Found]
    ) -> None:
        self.text = layout.text
        self.layout = layout
        self.rules = rules
        self.mentions = mentions
        self.found = sorted(found, key=lambda f: f.start)
        self.found_cues = sorted(f.cue_start for f in found if f.cue_start is not None)
        # Quotations that continue an attribution in its paragraph, by id of the attribution:
        # the attributions themselves are left as the cue stage made them.
        self._more: dict[int, list[tuple[int, int]]] = {}

    def _parts(self, found: Found) -> tuple[tuple[int, int], ...]:
        """An attribution's parts with the quotations that continue it so far."""
        return found.parts + tuple(self._more.get(id(found), ()))

    def _end(self, found: Found) -> int:
        return self._parts(found)[-1][1]

    def _starts_sentence(self, span: Span) -> bool:
        s_start, _ = self.layout.sentence_at(span.start)
        pos = span.start
        while pos > s_start and self.text[pos - 1] in _SENTENCE_LEAD:
            pos -= 1
        return pos == s_start

    def _is_statement(self, span: Span) -> bool:
        """Anything but a short term without sentence punctuation (a scare quote)."""
        inner = self.text[span.start + 1 : span.end - 1].strip()
        long = _word_count(inner) > self.rules.settings.scare_max_words
        return long or inner.endswith((".", "!", "?"))

    def place(self) -> tuple[list[Found], list[Span]]:
        """Return continuations and unattributed statements as attributions, plus scare quotes."""
        starts, ends = _union(self.found)
        placed = list(self.found)
        scares: list[Span] = []
        pointer = 0
        latest: Found | None = None
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
        return self._extended(placed), scares

    def _extended(self, placed: list[Found]) -> list[Found]:
        """New attributions with their continuing quotations, continuations pointing at them."""
        final: dict[int, Found] = {}
        for item in placed:
            new = item
            if id(item) in self._more:
                new = replace(new, parts=self._parts(item))
            if item.continues is not None and id(item.continues) in final:
                new = replace(new, continues=final[id(item.continues)])
            final[id(item)] = new
        return list(final.values())

    def _attach(self, span: Span, previous: Found | None) -> Found | None:
        """An attribution for an unclaimed statement, or None when it extends ``previous``."""
        found = self._introduced(span) or self._loose_tail(span) or self._byline(span)
        if found:
            return found
        lead = self._previous_sentence(span)
        adjacent = previous is not None and (lead is None or self._touches(previous, lead))
        if previous is not None and adjacent and self._continues(previous, span):
            if self._same_paragraph(previous, span):
                self._more.setdefault(id(previous), []).append((span.start, span.end))
                return None
            return Found(
                [(span.start, span.end)], None, None, None, previous.mention, continues=previous
            )
        mention = self._lead_in(lead) if lead and self._uncued_statement(span) else None
        if mention:
            return Found([(span.start, span.end)], None, None, None, mention)
        if not self._starts_sentence(span):
            s_start, _ = self.layout.sentence_at(span.start)
            mention = self.mentions.sentence_subject(s_start, span.start)
            mention = mention or self.mentions.clause_subject(s_start, span.start)
            return Found([(span.start, span.end)], None, None, None, mention)
        return Found([(span.start, span.end)], None, None, None, None)

    def _introduced(self, span: Span) -> Found | None:
        """``Sanders shot back, "…"`` / ``Her reply:`` + a quoted paragraph: the subject speaks."""
        text = self.text
        s_start, _ = self.layout.sentence_at(span.start)
        lead_end = text_end(text, span.start)
        block = lead_end <= s_start and text[lead_end - 1 : lead_end] == ":"
        if block:
            s_start, _ = self.layout.sentence_at(lead_end - 1)
        elif lead_end <= s_start or text[lead_end - 1] not in ":,":
            return None
        mark = lead_end - 1
        tokens = self.layout.tokens(s_start, mark)
        if not tokens or (text[mark] == "," and len(tokens) > self.rules.settings.intro_max_tokens):
            return None
        mention = self.mentions.sentence_subject(s_start, mark)
        if mention is None or mention[1] >= mark:
            return None
        cue_start = (
            mention[1] + len(text[mention[1] : mark]) - len(text[mention[1] : mark].lstrip())
        )
        cue_start, cue_end = (cue_start, mark) if cue_start < mark else (mark, mark + 1)
        cue = text[cue_start:cue_end].rstrip()
        too_long = _word_count(cue) > self.rules.settings.intro_max_tokens
        if too_long or self.layout.cues_between(s_start, mark):
            return None
        return Found(
            [(span.start, span.end)], cue, cue_start, cue_start + len(cue), mention, block=block
        )

    def _byline(self, span: Span) -> Found | None:
        """``"…" ― Karen Bobadilla`` (on the same or the next line): a dash names the speaker."""
        match = _BYLINE.match(self.text, span.end)
        if match is None:
            return None
        line_end = self.text.find("\n", match.end())
        line_end = len(self.text) if line_end == -1 else line_end
        tokens = self.layout.tokens(match.end(), line_end)
        if not tokens or not tokens[0].is_capital:
            return None
        end = np_end_after(tokens, 0, self.rules)
        if end is None or any(t.is_word for t in tokens[end + 1 :] if t.word not in ",."):
            rest = tokens[end + 1 :] if end is not None else tokens
            if end is None or rest[0].word != ",":
                return None
        dash = match.group("dash")
        mention = (tokens[0].start, tokens[end].end)
        return Found(
            [(span.start, span.end)], dash, match.start("dash"), match.end("dash"), mention
        )

    def _loose_tail(self, span: Span) -> Found | None:
        """``"…," beamed Donald Hartley.`` / ``"…," Smith quipped.``: a verb the lexicon lacks."""
        text = self.text
        if text[span.end - 2 : span.end - 1] not in {",", "?", "!"}:
            return None
        _, s_end = self.layout.sentence_at(span.start)
        tokens = self.layout.tokens(span.end, min(s_end, span.end + 120))
        if len(tokens) < 2 or not tokens[0].is_word:
            return None
        rules = self.rules
        first = tokens[0]
        if not first.is_capital and first.low not in rules.determiners | rules.pronouns.keys():
            end = np_end_after(tokens, 1, rules) if self.mentions.opens_np(tokens, 1) else None
            verb = first
        else:
            end = np_end_after(tokens, 0, rules)
            verb = tokens[end + 1] if end is not None and end + 1 < len(tokens) else tokens[0]
            end = end if verb.is_word and not verb.is_capital else None
        if end is None or verb.low in rules.stop_words or not verb.low.endswith(("ed", "s")):
            return None
        start = tokens[1].start if verb is tokens[0] else tokens[0].start
        mention = (start, tokens[end].end)
        return Found([(span.start, span.end)], verb.word, verb.start, verb.end, mention)

    def _previous_sentence(self, span: Span) -> tuple[int, int] | None:
        """The sentence before ``span``'s, if in the same or the previous paragraph."""
        index = bisect_right(self.layout.sentence_starts, span.start) - 1
        if index < 1:
            return None
        sentence = self.layout.sentences[index - 1]
        gap = self.text[sentence[1] : span.start]
        return sentence if gap.count("\n") <= 2 else None

    def _uncued_statement(self, span: Span) -> bool:
        """A quote opening a sentence that holds no speech verb of its own."""
        s_start, s_end = self.layout.sentence_at(span.start)
        if not self._starts_sentence(span):
            return False
        return not any(
            self.layout.quote_at(c) is None for c in self.layout.cues_between(s_start, s_end)
        )

    def _touches(self, found: Found, sentence: tuple[int, int]) -> bool:
        """Whether an attribution has its content, cue or speaker in ``sentence``."""
        points = [p for part in self._parts(found) for p in part]
        points += [
            p for p in (found.cue_start, found.mention and found.mention[0]) if p is not None
        ]
        return any(sentence[0] <= p <= sentence[1] for p in points)

    def _lead_in(self, sentence: tuple[int, int]) -> tuple[int, int] | None:
        """``Bystrom agreed.`` before a quote: the sentence's subject, if it can be a speaker."""
        if self.layout.quotes_within(*sentence):
            return None
        mention = self.mentions.sentence_subject(sentence[0], sentence[1])
        if mention is None:
            return None
        last = self.layout.tokens(*mention)[-1]
        return mention if ends_subject(last, self.rules) else None

    def _same_paragraph(self, previous: Found, span: Span) -> bool:
        return self.layout.paragraph_index(self._end(previous)) == self.layout.paragraph_index(
            span.start
        )

    def _continues(self, previous: Found, span: Span) -> bool:
        """A sentence-initial quote right after an attribution, or at the next paragraph's start."""
        if previous.mention is None or not self._starts_sentence(span):
            return False
        p_prev = self.layout.paragraph_index(self._end(previous))
        p_span = self.layout.paragraph_index(span.start)
        if p_prev == p_span:
            lo = bisect_left(self.found_cues, self._end(previous))
            between = self.found_cues[lo : bisect_left(self.found_cues, span.start)]
            return all(pos == previous.cue_start for pos in between)
        return p_span == p_prev + 1 and self.layout.paragraphs[p_span][0] == span.start
