"""One attribution per speech cue, trying the sentence shapes in turn.

- ``"…," he said.`` / ``"…," said Smith.`` (inverted: content before, speaker after)
- ``Smith said (that) …`` / ``…," Smith said.`` / ``The plan, Smith said, is dead.``
- ``…, adding that …`` (a participle sharing the sentence's subject)
- ``According to X, …`` / ``…, according to X.``

Forms that are no speech act (``the said report``, ``was told``, ``their claims``) are dropped
here, before any content is looked for.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .content import Content
from .layout import Layout
from .marks import text_end
from .mentions import Mentions
from .model import Found
from .phrases import base_word, is_adjunct_word, is_role
from .rules import Rules, Verb

_LEAD = re.compile("[ \"“‘']*")  # what may stand before ``According to`` opening a sentence


class Attributor:
    """Runs the cue rules over one text; each method handles one sentence shape."""

    def __init__(self, layout: Layout, rules: Rules, mentions: Mentions) -> None:
        self.text = layout.text
        self.layout = layout
        self.rules = rules
        self.mentions = mentions
        self.content = Content(layout, rules)

    def _verb(self, cue: re.Match[str]) -> Verb | None:
        return self.rules.verbs.get(cue.group("verb")) if cue.group("verb") else None

    def _ends_with_quote_or_comma(self, pos: int, sentence_start: int) -> bool:
        """Whether a clause or quotation ends just before ``pos`` (``…," he said``)."""
        end = text_end(self.text, pos, sentence_start)
        if end <= sentence_start:
            return False
        if self.text[end - 1] == ",":
            return True
        quote = self.layout.quote_at(end - 1)
        return quote is not None and quote.end == end

    def attribute(self, cue: re.Match[str]) -> Found | None:
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
        end = text_end(self.text, cue.start())
        if self.text[end - 1 : end] != ",":
            return False
        return self.mentions.subject_before(s_start, cue.start()) is not None

    def _is_modifier(self, cue: re.Match[str], sentence_start: int) -> bool:
        """Forms that are no speech act: ``the said report``, ``was told``, ``all told``, and
        nouns (``Trump's remarks``, ``their claims``, ``restricted comments``)."""
        tokens = self.layout.tokens(max(sentence_start, cue.start() - 30), cue.start())
        if not tokens:
            return False
        prev = tokens[-1]
        if prev.low in self.rules.not_subjects or prev.word.endswith(("’s", "'s", "s’", "s'")):
            return True
        if prev.word.islower() and prev.low.endswith("ed") and not is_role(prev.word, self.rules):
            return True
        return prev.low in self.rules.passive_auxiliaries and not cue.group().endswith("ing")

    def _base_form_clash(self, cue: re.Match[str], verb: Verb, mention: tuple[int, int]) -> bool:
        """``a controversial claim that``: a base form after a singular phrase is a noun."""
        if verb.bare or cue.group() != verb.lemma:
            return False
        words = [t for t in self.layout.tokens(*mention) if t.is_word]
        if not words or words[0].low in {"a", "an"}:
            return True
        last = words[-1].low
        plural = last in self.rules.plural_pronouns or last.endswith("s")
        return not (plural or words[-1].is_capital)

    def _inverted(self, cue: re.Match[str], s_start: int, s_end: int) -> Found | None:
        mention = self.mentions.subject_after(cue.end(), s_end)
        if mention is None or self.text[mention[0]] in '“"':
            return None
        before_end = text_end(self.text, cue.start())
        parts = self.content.before(s_start, before_end)
        if not parts:
            return None
        return Found(parts, cue.group(), cue.start(), cue.end(), mention)

    def _participle(self, cue: re.Match[str], verb: Verb, s_start: int, s_end: int) -> Found | None:
        """``…, adding that …``, ``ended by saying …``, ``was telling …``; else an adjective."""
        lo = max(s_start, cue.start() - self.rules.settings.lookback_chars)
        before = self.layout.tokens(lo, cue.start())
        if not before:
            return None
        prev = before[-1]
        shared = prev.word == "," or prev.low in self.rules.participle_links
        shared = shared or self._ends_with_quote_or_comma(cue.start(), s_start)
        mention = None
        if prev.low in self.rules.passive_auxiliaries:
            mention = self.mentions.subject_before(s_start, prev.start)
        elif not shared:
            return None
        content = self.content.after(cue, verb, s_end)
        if not content or not content[0]:
            return None
        shared = s_start if mention is None else None
        return Found(
            content[0], cue.group(), cue.start(), cue.end(), mention, content[1],
            shared_subject=shared,
        )

    def _subject_first(
        self, cue: re.Match[str], verb: Verb, s_start: int, s_end: int
    ) -> Found | None:
        """``Smith said (that) …``, ``…," Smith said.``, ``The plan, Smith said, is dead.``"""
        mention = self.mentions.subject_before(s_start, cue.start())
        if mention is None or (verb.document and not self._is_document(mention)):
            return None
        if self._base_form_clash(cue, verb, mention):
            return None
        before = None
        if self._ends_with_quote_or_comma(mention[0], s_start):
            before = self.content.before(s_start, text_end(self.text, mention[0]))
        elif mention[0] == s_start:
            before = self.content.previous_quote(s_start)
        after = self.content.after(cue, verb, s_end)
        if not (after and after[0]) and before and self.content.opens_clause(before):
            after = self.content.after_interposed(cue, s_end)
        if after and after[0]:
            parts, block = after
            gap = self.text[cue.end() : parts[0][0]].lstrip()
            if before and gap.startswith(",") and self.content.opens_clause(before):
                parts = before + parts
            elif (
                before
                and self.layout.quote_at(before[0][0])
                and not self.content.announces(parts[0][0])
            ):
                parts = before
            return Found(parts, cue.group(), cue.start(), cue.end(), mention, block=block)
        if not before:
            return None
        if not self.layout.quote_at(before[0][0]) and not self._ends_statement(cue, verb, s_end):
            return None
        return Found(before, cue.group(), cue.start(), cue.end(), mention)

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
        return verb.addressee or is_adjunct_word(rest[0], rules)

    def _is_document(self, mention: tuple[int, int]) -> bool:
        words = self.layout.tokens(*mention)
        return any(base_word(t.word) in self.rules.documents for t in words)

    def _according_to(self, cue: re.Match[str], s_start: int, s_end: int) -> Found | None:
        """``According to X, …`` or ``…, according to X.``"""
        mention = self.mentions.subject_after(cue.end(), s_end)
        if mention is None:
            return None
        lead = _LEAD.match(self.text, s_start, cue.start())
        if lead is not None and lead.end() == cue.start():
            comma = self.text.find(",", mention[1], s_end)
            parts = self.content.span_to(comma + 1, s_end) if comma != -1 else None
        else:
            parts = self.content.before(s_start, text_end(self.text, cue.start()))
        if not parts:
            return None
        return Found(parts, cue.group(), cue.start(), cue.end(), mention, according=True)

    def run(self) -> list[Found]:
        """Every cue's attribution, one per content span, with shared subjects filled in."""
        found = [f for f in map(self.attribute, self.layout.cues) if f is not None]
        return self._share_subjects(_claim(found, self.layout))

    def _share_subjects(self, found: list[Found]) -> list[Found]:
        """Give ``…, adding that …`` the speaker of the clause before it in the sentence."""
        previous: Found | None = None
        shared = []
        for item in found:
            s_start = item.shared_subject
            if s_start is not None and item.cue_start is not None:
                same = previous is not None and (previous.cue_start or -1) >= s_start
                if same and previous is not None:
                    mention = previous.mention
                else:
                    mention = self.mentions.passive_agent(s_start, item.cue_start) or (
                        self.mentions.sentence_subject(s_start, item.cue_start)
                    )
                item = replace(item, mention=mention)
            if item.mention is not None:
                previous = item
            shared.append(item)
        return shared


def _claim(found: list[Found], layout: Layout) -> list[Found]:
    """One owner per quotation and per content span: an attribution loses the quotations that
    another reports as a piece (``"…," Smith told reporters. "…" he added.`` must not report
    the first quotation twice), and is dropped if nothing is left. Attributions of one piece
    claim first (they say exactly who said it), then in order of cue."""
    quotations = {(q.start, q.end) for q in layout.quotes}
    owned: set[tuple[int, int]] = set()
    seen: set[tuple[int, int]] = set()
    kept: dict[int, Found] = {}
    for index in sorted(range(len(found)), key=lambda i: (len(found[i].parts) > 1, i)):
        item = found[index]
        parts = tuple(p for p in item.parts if p not in owned)
        if not parts or (parts[0][0], parts[-1][1]) in seen:
            continue
        if parts != item.parts:
            item = replace(item, parts=parts)
        seen.add((item.start, item.end))
        owned.update(p for p in parts if p in quotations)
        kept[index] = item
    return [kept[i] for i in sorted(kept)]
