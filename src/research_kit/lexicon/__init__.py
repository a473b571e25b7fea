"""Framing lexicons: a validated YAML schema, compiled once into one matcher per lexicon.

A lexicon is data, so a reader can audit every word a metric counts and a user can bring their
own (``--lexicon FILE``; see ``docs/lexicon.md``). Three modules with one job each:

- :mod:`.schema` reads the YAML file and validates it into terms, categories and sides;
- :mod:`.compile` turns each variant and pattern into regexes (separators, apostrophes,
  spellings, plurals, case; patterns on RE2) and caches the result by path and SHA-256;
- :mod:`.match` finds the leftmost-longest, non-overlapping matches of all of them in one pass.
"""

from __future__ import annotations

from research_kit.lexicon.compile import default_lexicon_path, load_lexicon
from research_kit.lexicon.match import Lexicon, Matcher
from research_kit.lexicon.schema import Case, Category, Side, Term

__all__ = [
    "Case",
    "Category",
    "Lexicon",
    "Matcher",
    "Side",
    "Term",
    "default_lexicon_path",
    "load_lexicon",
]
