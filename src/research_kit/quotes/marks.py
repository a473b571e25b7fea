"""Quotation marks: classified by what flanks them and paired per paragraph in one pass.

Straight, curly, guillemet and typewriter marks are all accepted, mis-curled ones forgiven and
apostrophes skipped; only outermost quotations are kept, since nested ones belong to their host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKS = re.compile("''|``|[\"“”„‟«»‹›'‘’‚\n]")
_SENTENCE_END = frozenset(".!?…")
_TYPEWRITER = {"''": '"', "``": "“"}
_DOUBLE_OPEN = frozenset("“„‟«")
_DOUBLE_CLOSE = frozenset("”»")
_SINGLE_CLOSE = frozenset("’›")
_ALL_MARKS = frozenset("\"“”„‟«»‹›'‘’‚")
_OPEN_CONTEXT = frozenset("([{<—–-/") | _ALL_MARKS
_CLOSE_CONTEXT = frozenset(".,;:!?)]}>—–-/…") | _ALL_MARKS


def text_end(text: str, pos: int, lo: int = 0) -> int:
    """``len(text[:pos].rstrip())`` (not below ``lo``) without copying the prefix: the stages
    ask it at every cue and mark, so a copy would make long texts quadratic."""
    while pos > lo and text[pos - 1].isspace():
        pos -= 1
    return pos


def text_start(text: str, pos: int, hi: int) -> int:
    """``pos`` moved past the whitespace that follows it (not beyond ``hi``)."""
    while pos < hi and text[pos].isspace():
        pos += 1
    return pos


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

    def _after_sentence_end(self, i: int) -> bool:
        end = text_end(self.text, i)
        return end > 0 and self.text[end - 1] in _SENTENCE_END

    def open(self, kind: str, i: int) -> None:
        """Open a quotation; a double mark that reopens after a full stop continues the open one
        (paragraphs of one quotation run together: ``"First. "Second."``)."""
        if self.carried is not None and kind == "d" and not self.stack:
            self.stack.append(("d", self.carried))
            self.carried = None
            return
        if kind == "d" and self.has("d") and self._after_sentence_end(i):
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
        end = text_end(self.text, newline)
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
