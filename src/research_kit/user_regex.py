"""Regular expressions from users' files, compiled with RE2 so that none can hang the analysis.

Python's ``re`` backtracks: a pattern such as ``(a+)+$`` in a lexicon or cleaning file takes
time exponential in the text. Google's RE2 (the ``google-re2`` binding, ``import re2``) matches
in time linear in the text whatever the pattern, and has the same leftmost-first preference
between alternatives as ``re``, so a pattern finds what it found before. What RE2 lacks is
refused with a one-line error naming the pattern: lookarounds (``(?=``, ``(?!``, ``(?<=``,
``(?<!``), backreferences (``\\1``, ``(?P=name)``), atomic groups and possessive quantifiers.

So that ``\\w``, ``\\d`` and ``\\s`` keep the Unicode meaning they have in ``re`` (RE2's own are
ASCII), they are rewritten to Unicode classes before compiling; ``\\b`` and ``\\B`` stay RE2's,
which are ASCII word boundaries (``\\bhere\\b`` works as expected on English words; next to a
non-ASCII letter write the class out, e.g. ``[^\\pL]``).
"""

from __future__ import annotations

import bisect
import re
from typing import Any, Protocol

import re2

# Python's \s, minus nothing: every character str.isspace() accepts (all are below U+3001).
_SPACES = "".join(f"\\x{{{ord(c):x}}}" for c in map(chr, range(0x3001)) if c.isspace())
_WORD = r"\pL\pN_"
_IN_CLASS = {"w": _WORD, "d": r"\p{Nd}", "s": _SPACES}
_OUTSIDE = {
    "w": f"[{_WORD}]", "W": f"[^{_WORD}]", "d": r"\p{Nd}", "D": r"\P{Nd}",
    "s": f"[{_SPACES}]", "S": f"[^{_SPACES}]",
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class Pattern(Protocol):
    """What the stages use of a compiled pattern, whether from ``re`` or from RE2."""

    def search(self, string: str, pos: int = ..., endpos: int = ...) -> Any: ...

    def match(self, string: str, pos: int = ..., endpos: int = ...) -> Any: ...


class UserRegexError(ValueError):
    """A user pattern that is invalid or uses syntax RE2 does not have; the message says which."""

    def __init__(self, message: str, problem: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem or message  # the message without the pattern


def user_regex_options(case_sensitive: bool = True) -> Any:
    """RE2 options for user patterns: errors are raised, never logged."""
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own line on stderr; we raise ours
    options.case_sensitive = case_sensitive
    return options


def unicode_classes(pattern: str) -> str:
    """``pattern`` with ``\\w \\W \\d \\D \\s \\S`` written as the Unicode classes ``re`` means."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            table = _IN_CLASS if in_class else _OUTSIDE
            if nxt in table:
                out.append(table[nxt])
            elif in_class and nxt in "WDS":
                raise UserRegexError(f"\\{nxt} inside [...] is not supported; write the class out")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            i += 1
            # a ']' right after '[' or '[^' is a literal member, not the end of the class
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if pattern.startswith("]", i):
                out.append("\\]")
                i += 1
            continue
        if ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def compile_user_regex(pattern: str, case_sensitive: bool = True, translated: str | None = None
                       ) -> Any:
    """Compile ``pattern`` (as written by a user) with RE2; ``translated`` is the regex actually
    compiled when the caller wraps or rewrites it (default: ``pattern`` with Unicode classes).

    Raises :class:`UserRegexError` with a message that names ``pattern``.
    """
    try:
        source = unicode_classes(pattern) if translated is None else translated
        return re2.compile(source, options=user_regex_options(case_sensitive))
    except UserRegexError as exc:
        raise UserRegexError(f"invalid regex {pattern!r}: {exc}", str(exc)) from None
    except re2.error as exc:
        problem = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(
            exc.args[0], bytes) else str(exc)
        hint = ""
        if re.search(r"\(\?<?[=!]|\\[1-9]|\(\?P=|\(\?>|[*+?}]\+", pattern):
            hint = (" (user patterns run on RE2, in linear time: no lookarounds,"
                    " backreferences, atomic groups or possessive quantifiers)")
        raise UserRegexError(f"invalid regex {pattern!r}: {problem}{hint}", problem + hint
                             ) from None


class Utf8Text:
    """A text encoded once for RE2, with character and byte offsets converted both ways.

    RE2's ``str`` interface encodes the whole text on every call, which makes many calls on one
    long text quadratic; matching the bytes keeps each call proportional to what it scans.
    Characters UTF-8 cannot encode (lone surrogates) become ``?``: one character, one byte.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8", "replace")
        self._tables: tuple[list[int], list[int], list[int]] | None = None

    def _offsets(self) -> tuple[list[int], list[int], list[int]]:
        """Per non-ASCII character: its character offset, its byte offset, and the extra bytes
        (beyond one per character) up to and including it; built on first use."""
        if self._tables is None:
            chars: list[int] = []
            starts: list[int] = []
            extras: list[int] = []
            extra = 0
            if len(self.data) != len(self.text):
                for m in _NON_ASCII.finditer(self.text):
                    chars.append(m.start())
                    starts.append(m.start() + extra)
                    extra += len(m.group().encode("utf-8", "replace")) - 1
                    extras.append(extra)
            self._tables = (chars, starts, extras)
        return self._tables

    def byte_offset(self, char: int) -> int:
        """The byte offset of character offset ``char``."""
        chars, _, extras = self._offsets()
        k = bisect.bisect_left(chars, char)
        return char + (extras[k - 1] if k else 0)

    def char_offset(self, byte: int) -> int:
        """The character offset of byte offset ``byte`` (a character boundary)."""
        _, starts, extras = self._offsets()
        k = bisect.bisect_left(starts, byte)
        return byte - (extras[k - 1] if k else 0)
