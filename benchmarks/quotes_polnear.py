"""Score ``extract_quotes`` against PolNeAR attributions (issue 3).

Usage: ``python benchmarks/quotes_polnear.py ../shared/data/polnear/dev``

SPLIT_DIR holds ``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann`` (brat standoff); the first
``.ann`` per article in sorted order is the gold. A prediction matches a gold attribution when their
character overlap is at least 30% of each content span (loose) or their Jaccard overlap is at
least 0.8 (strict); discontinuous spans (``a b;c d``, ``Content2``) count by their pieces. Scare
quotes are not attributions and are left out.

Precision is the share of predictions that match any gold attribution. For the ``direct`` row it is
taken over predictions that carry quotation marks (kinds direct, partial, mixed, block), for the
other rows over all predictions. Recall is the share of a gold subset matched by any prediction:
``direct`` (content contains a quotation mark), ``speech`` (the cue contains a communication verb
from ``SPEECH_CUES`` below, fixed here so the lexicon under test cannot move the goalposts) and
``all``. Speaker accuracy is the share of matched gold attributions that have a Source whose best
matching prediction's ``speaker_start..speaker_end`` overlaps it. Speed is whitespace tokens per
second of ``extract_quotes`` alone, best of five passes on one core (on a shared machine the best
pass is the least disturbed).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from research_kit.quotes import Quote, extract_quotes

Spans = tuple[tuple[int, int], ...]

MARKED_KINDS = frozenset({"direct", "partial", "mixed", "block"})
QUOTE_MARKS = frozenset('"“”„«»')
SPEECH_CUES = frozenset(
    [
        "say",
        "says",
        "said",
        "saying",
        "tell",
        "tells",
        "told",
        "telling",
        "add",
        "adds",
        "added",
        "adding",
        "write",
        "writes",
        "wrote",
        "written",
        "writing",
        "ask",
        "asks",
        "asked",
        "asking",
        "note",
        "notes",
        "noted",
        "noting",
        "announce",
        "announces",
        "announced",
        "announcing",
        "state",
        "states",
        "stated",
        "stating",
        "explain",
        "explains",
        "explained",
        "explaining",
        "claim",
        "claims",
        "claimed",
        "claiming",
        "argue",
        "argues",
        "argued",
        "arguing",
        "insist",
        "insists",
        "insisted",
        "insisting",
        "reply",
        "replies",
        "replied",
        "replying",
        "respond",
        "responds",
        "responded",
        "responding",
        "declare",
        "declares",
        "declared",
        "declaring",
        "tweet",
        "tweets",
        "tweeted",
        "tweeting",
        "comment",
        "comments",
        "commented",
        "commenting",
        "warn",
        "warns",
        "warned",
        "warning",
        "acknowledge",
        "acknowledges",
        "acknowledged",
        "acknowledging",
        "admit",
        "admits",
        "admitted",
        "admitting",
        "recall",
        "recalls",
        "recalled",
        "recalling",
        "repeat",
        "repeats",
        "repeated",
        "repeating",
        "reiterate",
        "reiterates",
        "reiterated",
        "reiterating",
        "stress",
        "stresses",
        "stressed",
        "stressing",
        "emphasize",
        "emphasizes",
        "emphasized",
        "emphasizing",
        "confirm",
        "confirms",
        "confirmed",
        "confirming",
        "deny",
        "denies",
        "denied",
        "denying",
        "report",
        "reports",
        "reported",
        "reporting",
        "testify",
        "testified",
        "remark",
        "remarks",
        "remarked",
        "assert",
        "asserts",
        "asserted",
        "asserting",
        "answer",
        "answers",
        "answered",
        "answering",
        "shout",
        "shouted",
        "yell",
        "yelled",
        "complain",
        "complains",
        "complained",
        "complaining",
        "joke",
        "joked",
        "quip",
        "quipped",
        "concede",
        "concedes",
        "conceded",
        "conceding",
        "predict",
        "predicts",
        "predicted",
        "predicting",
        "promise",
        "promises",
        "promised",
        "promising",
        "vow",
        "vows",
        "vowed",
        "vowing",
        "urge",
        "urges",
        "urged",
        "urging",
        "accuse",
        "accuses",
        "accused",
        "accusing",
        "post",
        "posts",
        "posted",
        "posting",
        "continue",
        "continues",
        "continued",
        "continuing",
    ]
)
_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) ([\d; ]+)\t", re.M)
_EVENT = re.compile(r"^E\d+\t(.*)$", re.M)
_WORD = re.compile(r"[a-z]+")
LOOSE_SHARE = 0.3
STRICT_JACCARD = 0.8


@dataclass(frozen=True, slots=True)
class Gold:
    """One annotated attribution: content pieces, cue text and optional source pieces."""

    content: Spans
    cue: str
    source: Spans

    @property
    def is_speech(self) -> bool:
        cue = self.cue.lower()
        return "according to" in cue or any(w in SPEECH_CUES for w in _WORD.findall(cue))


def parse_spans(field: str) -> Spans:
    """Turn brat's ``a b;c d`` into ``((a, b), (c, d))``."""
    pieces = (part.split() for part in field.split(";"))
    return tuple(sorted((int(a), int(b)) for a, b in pieces))


def load_gold(ann_path: Path) -> list[Gold]:
    """Read the attribution relations of one brat file; relations without content are skipped."""
    raw = ann_path.read_text(encoding="utf-8")
    bounds = {m[1]: parse_spans(m[3]) for m in _TEXT_BOUND.finditer(raw)}
    cue_text = {m[1]: raw[m.end() :].split("\n", 1)[0] for m in _TEXT_BOUND.finditer(raw)}
    golds = []
    for event in _EVENT.finditer(raw):
        roles: dict[str, list[tuple[int, int]]] = {}
        cue = ""
        for item in event[1].split():
            role, _, tid = item.partition(":")
            role = role.rstrip("0123456789")
            if tid in bounds:
                roles.setdefault(role, []).extend(bounds[tid])
                cue = cue_text[tid] if role == "Cue" else cue
        if roles.get("Content"):
            golds.append(Gold(tuple(sorted(roles["Content"])), cue, tuple(roles.get("Source", ()))))
    return golds


def span_length(spans: Spans) -> int:
    return sum(b - a for a, b in spans)


def overlap(left: Spans, right: Spans) -> int:
    """Characters shared by two sets of pieces (pieces within one set do not overlap)."""
    return sum(max(0, min(b, d) - max(a, c)) for a, b in left for c, d in right)


def is_loose(pred: Spans, gold: Spans) -> bool:
    shared = overlap(pred, gold)
    return shared > 0 and shared >= LOOSE_SHARE * max(span_length(pred), span_length(gold))


def is_strict(pred: Spans, gold: Spans) -> bool:
    shared = overlap(pred, gold)
    union = span_length(pred) + span_length(gold) - shared
    return union > 0 and shared / union >= STRICT_JACCARD


def quote_spans(quote: Quote) -> Spans:
    """The content pieces of a prediction: its parts when interrupted, else start..end."""
    return tuple(quote.parts) if quote.parts else ((quote.start, quote.end),)


def has_marks(text: str) -> bool:
    return any(ch in QUOTE_MARKS for ch in text)


@dataclass(slots=True)
class Tally:
    """Counts for one (subset, matching rule) cell of the report."""

    pred_hit: int = 0
    pred_all: int = 0
    gold_hit: int = 0
    gold_all: int = 0

    def row(self) -> tuple[float, float, float]:
        p = self.pred_hit / self.pred_all if self.pred_all else 0.0
        r = self.gold_hit / self.gold_all if self.gold_all else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(slots=True)
class Scores:
    tallies: dict[tuple[str, str], Tally]
    speaker: dict[str, list[int]]
    articles: int = 0
    predictions: int = 0
    golds: int = 0


SUBSETS = ("direct", "speech", "all")
RULES = {"loose": is_loose, "strict": is_strict}


def gold_subsets(text: str, gold: Gold) -> list[str]:
    subsets = ["all"]
    if has_marks("".join(text[a:b] for a, b in gold.content)):
        subsets.append("direct")
    if gold.is_speech:
        subsets.append("speech")
    return subsets


def score_article(text: str, golds: Sequence[Gold], preds: Sequence[Quote], scores: Scores) -> None:
    """Add one article's precision, recall and speaker counts to ``scores``."""
    pspans = [quote_spans(q) for q in preds]
    for rule_name, rule in RULES.items():
        for q, ps in zip(preds, pspans, strict=True):
            hit = any(rule(ps, g.content) for g in golds)
            rows = ["all", "speech"] + (["direct"] if q.kind in MARKED_KINDS else [])
            for subset in rows:
                tally = scores.tallies[(subset, rule_name)]
                tally.pred_all += 1
                tally.pred_hit += hit
        for g in golds:
            matched = [i for i, ps in enumerate(pspans) if rule(ps, g.content)]
            subsets = gold_subsets(text, g)
            for subset in subsets:
                tally = scores.tallies[(subset, rule_name)]
                tally.gold_all += 1
                tally.gold_hit += bool(matched)
            if rule_name == "loose" and matched and g.source:
                best = max(matched, key=lambda i: overlap(pspans[i], g.content))
                q = preds[best]
                ok = q.speaker_start is not None and q.speaker_end is not None
                ok = ok and overlap(((q.speaker_start, q.speaker_end),), g.source) > 0
                for subset in subsets:
                    scores.speaker[subset][0] += ok
                    scores.speaker[subset][1] += 1


def articles(split_dir: Path) -> Iterable[tuple[str, list[Gold]]]:
    """Yield each article's text with the gold of its first annotator file."""
    for txt in sorted((split_dir / "text").glob("*.txt")):
        anns = sorted((split_dir / "attributions").glob(f"{txt.stem}_*.ann"))
        if anns:
            yield txt.read_text(encoding="utf-8"), load_gold(anns[0])


def attributions(text: str) -> list[Quote]:
    return [q for q in extract_quotes(text) if q.kind != "scare"]


def evaluate(split_dir: Path) -> Scores:
    scores = Scores(
        tallies={(s, r): Tally() for s in SUBSETS for r in RULES},
        speaker={s: [0, 0] for s in SUBSETS},
    )
    for text, golds in articles(split_dir):
        preds = attributions(text)
        score_article(text, golds, preds, scores)
        scores.articles += 1
        scores.predictions += len(preds)
        scores.golds += len(golds)
    return scores


def tokens_per_second(texts: Sequence[str], passes: int = 5) -> float:
    tokens = sum(len(t.split()) for t in texts)
    best = float("inf")
    for _ in range(passes):
        began = time.perf_counter()
        for text in texts:
            extract_quotes(text)
        best = min(best, time.perf_counter() - began)
    return tokens / best


def report(split_dir: Path) -> None:
    scores = evaluate(split_dir)
    print(
        f"{split_dir}: {scores.articles} articles, {scores.golds} gold attributions, "
        f"{scores.predictions} predictions (scare quotes excluded)"
    )
    print(f"{'subset':<8}{'rule':<8}{'P':>7}{'R':>7}{'F1':>7}   gold")
    for subset in SUBSETS:
        for rule in RULES:
            tally = scores.tallies[(subset, rule)]
            p, r, f = tally.row()
            print(f"{subset:<8}{rule:<8}{p:7.3f}{r:7.3f}{f:7.3f}   {tally.gold_all}")
    for subset in SUBSETS:
        ok, n = scores.speaker[subset]
        print(f"speaker accuracy ({subset}): {ok / n if n else 0.0:.3f} ({ok}/{n})")
    texts = [text for text, _ in articles(split_dir)]
    print(f"speed: {tokens_per_second(texts):,.0f} tokens/s (one core)")


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2 or not (Path(argv[1]) / "text").is_dir():
        print(f"usage: {argv[0]} SPLIT_DIR  (a PolNeAR split with text/ and attributions/)")
        return 2
    report(Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
