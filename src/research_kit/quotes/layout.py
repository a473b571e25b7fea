"""Where things are in one text: paragraphs, sentences (never split inside a quotation or after
an abbreviation), quotations and speech cues, each searchable by offset with bisect so that every
rule can ask "what encloses this position?" in logarithmic time."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from .marks import Span, quoted_spans, text_end, text_start
from .phrases import Token, tokens_between
from .rules import Rules

# A run of sentence marks is matched from its first mark only (the lookbehind), possessively,
# so a long run of full stops is read once, not once per mark.
_BOUNDARY = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’»)\]]*+(?=\s+[\"'“‘«(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_PARAGRAPH = re.compile(r"[^\n]+")


class Layout:
    """Paragraph, sentence, quotation and cue spans of one text, searchable by offset.

    The per-text facts every stage reads, built once: the quote stages and the term matcher
    share it, so "is this character inside quotation marks" has one answer (``quote_at``).
    """

    def __init__(self, text: str, rules: Rules) -> None:
        self.text = text
        self.rules = rules
        self.quotes = quoted_spans(text)
        self.quote_starts = [q.start for q in self.quotes]
        self.paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
        self.paragraph_starts = [p[0] for p in self.paragraphs]
        self.sentences = self._sentences(rules)
        self.sentence_starts = [s[0] for s in self.sentences]
        self.sentence_start_set = frozenset(self.sentence_starts)
        self.cues = [m for m in rules.cue_re.finditer(text) if not self.quote_at(m.start())]
        self.cue_starts = [m.start() for m in self.cues]
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

    def cues_between(self, start: int, end: int) -> list[int]:
        """Start offsets of the cues (outside quotations) in ``start..end``."""
        return self.cue_starts[
            bisect_left(self.cue_starts, start) : bisect_left(self.cue_starts, end)
        ]

    def quote_at(self, pos: int) -> Span | None:
        """The quotation containing ``pos`` (marks included), if any."""
        i = bisect_right(self.quote_starts, pos) - 1
        if i >= 0 and self.quotes[i].start <= pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def quotes_within(self, start: int, end: int) -> list[Span]:
        """The quotations that lie wholly inside ``start..end``."""
        lo = bisect_left(self.quote_starts, start)
        hi = bisect_left(self.quote_starts, end)
        return [q for q in self.quotes[lo:hi] if q.end <= end]

    def iter_quotes_within(self, start: int, end: int) -> Iterator[Span]:
        """The quotations inside ``start..end``, lazily, for scans that stop early."""
        for i in range(bisect_left(self.quote_starts, start), len(self.quotes)):
            if self.quotes[i].end > end:
                return
            yield self.quotes[i]

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """The sentence containing ``pos`` (the whole text if it has none)."""
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
                self._add_sentence(sentences, start, end)
                start = text_start(self.text, end, p_end)
            if start < p_end:
                self._add_sentence(sentences, start, p_end)
        return sentences

    def _add_sentence(self, sentences: list[tuple[int, int]], start: int, end: int) -> None:
        """Add ``start..end``, cut at spaces into pieces of at most ``max_sentence_chars`` (no
        sentence of BBC or PolNeAR comes near the shipped 2,000: the longest has 1,516), so every
        rule's window is bounded on a text that is one long line."""
        size = self.rules.settings.max_sentence_chars
        while end - start > size:
            cut = self.text.rfind(" ", start + size // 2, start + size)
            cut = cut if cut != -1 else start + size
            sentences.append((start, text_end(self.text, cut, start)))
            start = text_start(self.text, cut, end)
        if start < end:
            sentences.append((start, end))
