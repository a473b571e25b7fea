"""Time growth of the text functions on adversarial inputs that double in size (issue 15).

Usage: ``python benchmarks/growth.py [--start CHARS] [--steps N] [--big MB]``

Each series builds a text of about ``start`` characters from a repeated hostile pattern (many
quotation marks, many "said" cues, one long line, lexicon terms inside quotations, unbalanced
quotes, runs of full stops), doubles it ``steps`` times and times ``extract_quotes`` followed by
``match_terms`` with the shipped lexicon (what ``analyze`` runs per article), plus ``kwic``. The
ratio column is time(2n) / time(n): about 2 is linear, 2.1-2.2 is n log n, 4 is quadratic.
``--big`` then times the slowest pattern per character ("said cues", a cue every 13 characters)
as one article of that many megabytes (20 is the article size limit).
Timings are CPU seconds of this process (robust to other load on a shared machine), best of three.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from research_kit.kwic import kwic
from research_kit.lexicon import load_lexicon
from research_kit.quotes import extract_quotes
from research_kit.terms import match_terms

# One unit of each hostile pattern; a text is the unit repeated (joined as written).
SERIES: dict[str, str] = {
    "quote marks": '"a" “b” \'c\' ‘d’ «e» ',
    "said cues": "Smith said that Jones said ",
    "inverted cues": '"It is over," he said, "and we know it," she said, ',
    "two-part quotes": '“It is not a plan,” Smith told reporters. "(x)" he added. ',
    "long line": "the ceasefire regime said the occupation would end and ",
    "terms in quotes": '“the occupied territories of Nagorno-Karabakh” and “reintegration” ',
    "unbalanced quotes": '"open “half ‘single said ',
    "paragraphs": 'He said: "First paragraph.\n\n"Second one," said Lee.\n\n',
    "full stops": "Mr. A. B. said ... that ?!. ",
}


def _run(text: str) -> None:
    lexicon = load_lexicon()
    quotes = extract_quotes(text)
    match_terms(text, lexicon, quotes)
    kwic({"t": text}, "regime", lexicon=lexicon)


def _best(func: Callable[[str], None], text: str, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.process_time()
        func(text)
        best = min(best, time.process_time() - began)
    return best


def _text(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=25_000, help="first size in characters")
    parser.add_argument("--steps", type=int, default=4, help="how many doublings")
    parser.add_argument("--big", type=float, default=0.0, help="then time one text of this MB")
    args = parser.parse_args()
    _run("warm up the rules and lexicon caches")
    print(f"{'series':<18} {'chars':>10} {'seconds':>9} {'ratio':>6}")
    worst = 0.0
    for name, unit in SERIES.items():
        previous = None
        for step in range(args.steps + 1):
            text = _text(unit, args.start * 2**step)
            seconds = _best(_run, text)
            ratio = seconds / previous if previous else float("nan")
            if previous:
                worst = max(worst, ratio)
            print(f"{name:<18} {len(text):>10,} {seconds:>9.3f} {ratio:>6.2f}")
            previous = seconds
    print(f"worst ratio per doubling: {worst:.2f}")
    if args.big:
        text = _text(SERIES["said cues"], int(args.big * 1_000_000))
        seconds = _best(_run, text, repeats=1)
        print(f"said cues at {len(text) / 1e6:.1f} MB (one line): {seconds:.1f} s")


if __name__ == "__main__":
    main()
