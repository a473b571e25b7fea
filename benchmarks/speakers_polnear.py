"""Score canonical speakers (``speaker``, ``speaker_type``) against hand labels on PolNeAR.

Issue 12. Usage: ``python benchmarks/speakers_polnear.py ../shared/data/polnear/dev [--errors]``

PolNeAR's sources are the local mention ("he", "DeMint"), so they cannot tell whether a quote's
canonical speaker is right. ``speakers_gold.jsonl`` beside this script holds labels made by hand,
one attributed statement per line, for articles of the PolNeAR dev split from all seven publishers
(offsets only, never article text)::

    {"article": NAME, "start": 871, "end": 1039,      # the content span in text/NAME.txt
     "mention_start": 831, "mention_end": 865,        # PolNeAR's source mention (for reference)
     "speaker": "Melezia Figueroa", "type": "person", "surname": "Figueroa"}

Labelling rules (applied by reading each whole article):

- Statements are PolNeAR speech attributions (a communication verb or ``according to``) that have
  a source; beliefs and actions ("wondered", "accused X of", "did not respond to requests for
  comment"), statements whose content is not a statement ("added a note of caution"), markup
  (an embedded tweet) and statements by several named people at once ("Mr. Grassley and Mr. Leahy
  say") are left out. Hypothetical speakers ("a reader would now ask") are left out, and so are bare
  collective nouns that are not a source a reporter spoke to ("Republicans said", "RT and its
  defenders say").
- ``speaker`` of a person is the fullest name the article gives that person, as written where the
  person is first introduced in full, without titles or honorifics ("Loretta E. Lynch",
  "John F. Kerry", "Jim DeMint"); it resolves pronouns ("he"), surnames ("Mr. King"), titles
  ("Sen. Perdue"), epithets ("the New York businessman") and descriptions ("Pagliano's lawyer",
  "A former Democratic National Committee chairman" when the article names him later). A person the
  article names by one name only keeps it ("Obama" in an article that never says "Barack";
  "Melanie"). ``surname`` is the family name (the last word, except East Asian names written family
  name first: "Ban Ki-moon" → "Ban").
- ``type``: ``person`` for a named individual; ``organization`` for a named body, company, agency,
  government, country or outlet speaking as such ("The White House", "China", "Yahoo News"); the
  name recorded is the body's fullest name in the article; ``document`` when a document is the
  subject ("The statement noted", "According to a 52-count civil complaint", "an analysis by …");
  ``anonymous`` for unnamed sources: unnamed individuals ("a spokesman", "an architect") and
  unnamed groups of people ("experts say", "Federal and state officials said", "Officials at
  Homeland Security Investigations").

A prediction of ``research_kit.quotes.extract_quotes`` on the article matches a label when their
content spans overlap by at least 30% of the longer one (the loose rule of
``quotes_polnear.py``); the best-overlapping prediction is scored. Reported, for person labels and
for all labels: how many statements were found; of those found, surname right (the predicted
``speaker`` contains the surname as a word), full name right (the predicted ``speaker`` equals the
label, ignoring case, spacing and apostrophe style) and type right (``speaker_type`` equals the
label). The rates over all labels (a missed statement counts as wrong) are printed beside them.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from quotes_polnear import is_loose, overlap, quote_spans

from research_kit.quotes import Quote, extract_quotes

GOLD = Path(__file__).with_name("speakers_gold.jsonl")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def normalise(name: str | None) -> str:
    """Case, spacing and apostrophe style do not make a different name."""
    return " ".join((name or "").translate(_APOSTROPHES).casefold().split())


def has_surname(name: str | None, surname: str) -> bool:
    words = re.findall(r"[\w'’.-]+", normalise(name))
    return normalise(surname) in words


def load_labels(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def best_match(label: dict[str, Any], quotes: list[Quote]) -> Quote | None:
    """The prediction whose content overlaps the label's the most, if any matches loosely."""
    gold = ((label["start"], label["end"]),)
    matched = [q for q in quotes if q.kind != "scare" and is_loose(quote_spans(q), gold)]
    return max(matched, key=lambda q: overlap(quote_spans(q), gold)) if matched else None


def evaluate(split_dir: Path, labels: list[dict[str, Any]], show_errors: bool = False) -> None:
    texts: dict[str, list[Quote]] = {}
    counts: dict[str, Counter[str]] = {"person": Counter(), "all": Counter()}
    for label in labels:
        name = label["article"]
        if name not in texts:
            texts[name] = extract_quotes((split_dir / "text" / f"{name}.txt").read_text("utf-8"))
        quote = best_match(label, texts[name])
        groups = ["all", "person"] if label["type"] == "person" else ["all"]
        found = quote is not None
        speaker = quote.speaker if quote else None
        typed = getattr(quote, "speaker_type", None) if quote else None
        checks = {
            "found": found,
            "type": found and typed == label["type"],
            "full": found and normalise(speaker) == normalise(label["speaker"]),
            "surname": found and has_surname(speaker, label.get("surname", "\0")),
        }
        for group in groups:
            counts[group]["labels"] += 1
            counts[group].update(key for key, ok in checks.items() if ok)
        if show_errors and found and not (checks["type"] and checks["full"]):
            print(
                f"  {name} @{label['start']}: gold {label['speaker']!r} ({label['type']}), "
                f"got {speaker!r} ({typed}) from {quote.speaker_mention!r}"
            )
    print(f"{split_dir}: {len(texts)} articles, {len(labels)} labelled statements")
    print(f"{'labels':<8}{'n':>5}{'found':>8}   of found: {'surname':>8}{'full':>7}{'type':>7}")
    for group, c in counts.items():
        n, f = c["labels"], c["found"] or 1
        surname = f"{c['surname'] / f:8.3f}" if group == "person" else f"{'':8}"
        full = f"{c['full'] / f:7.3f}" if group == "person" else f"{'':7}"
        print(f"{group:<8}{n:>5}{c['found'] / n:8.3f}   {'':10}{surname}{full}{c['type'] / f:7.3f}")
    print("over all labels (missed = wrong):")
    for group, c in counts.items():
        n = c["labels"]
        print(
            f"{group:<8}{n:>5}   surname {c['surname'] / n:.3f}  full {c['full'] / n:.3f}"
            f"  type {c['type'] / n:.3f}"
        )


def main(argv: list[str]) -> int:
    if not argv or not Path(argv[0], "text").is_dir():
        print("usage: speakers_polnear.py POLNEAR_SPLIT_DIR [--errors]", file=sys.stderr)
        return 2
    evaluate(Path(argv[0]), load_labels(), show_errors="--errors" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
