"""The pipeline of one text: cue attributions, then leftover quotations, then speakers in order
of mention (pronouns need the speakers before them), then each statement's kind.

A kind follows from how much of the content sits inside quotation marks: none (indirect), all of
it (direct, or partial when the quotation opens in lower case), some (mixed); ``according to``
and a paragraph announced by a colon (block) come from the cue.
"""

from __future__ import annotations

from .cues import Attributor
from .layout import Layout
from .leftovers import Leftovers
from .marks import Span
from .mentions import Mentions
from .model import Found, Quote, QuoteKind
from .people import load_speaker_words
from .rules import Rules, load_rules
from .speakers import Speaker, Speakers


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


def _kind(text: str, found: Found, layout: Layout) -> QuoteKind:
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


def _quote(text: str, found: Found, kind: QuoteKind, speaker: Speaker | None) -> Quote:
    mention = found.mention
    return Quote(
        kind=kind,
        text=text[found.start : found.end],
        start=found.start,
        end=found.end,
        speaker=speaker.name if speaker else None,
        speaker_title=speaker.title if speaker else None,
        speaker_role=speaker.role if speaker else None,
        speaker_type=speaker.type if speaker else "unresolved",
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


def extract_quotes(text: str | Layout, rules: Rules | None = None) -> list[Quote]:
    """Return the quotations and reported statements in ``text``, in order of ``start``.

    ``text`` may be a :class:`Layout` already built (with its rules) for the text, so the term
    matcher and the quote stages share one pairing of its quotation marks; ``rules`` default to
    the shipped word lists.
    """
    layout = text if isinstance(text, Layout) else Layout(text, rules or load_rules())
    rules = layout.rules
    text = layout.text
    mentions = Mentions(layout, rules)
    found = Attributor(layout, rules, mentions).run()
    placed, scares = Leftovers(layout, rules, mentions, found).place()
    speakers = Speakers(layout, rules, mentions, load_speaker_words())
    resolved: dict[int, Speaker | None] = {}
    quotes = [_scare(text, span) for span in scares]
    for found in sorted(placed, key=lambda f: (f.mention[0] if f.mention else f.start, f.start)):
        if found.continues is not None:
            speaker = resolved.get(id(found.continues))
        else:
            speaker = speakers.resolve(found)
        resolved[id(found)] = speaker
        quotes.append(_quote(text, found, _kind(text, found, layout), speaker))
    return sorted(quotes, key=lambda q: (q.start, q.end))
