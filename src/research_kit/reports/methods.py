"""The "Methods and known limits" text of the reports, written once and shared by every notebook.

Each topic is one Markdown bullet; a notebook lists the topics it relies on, so the article and
comparison reports state the same method in the same words and a change is made in one place.
"""

from __future__ import annotations

METHODS: dict[str, str] = {
    "cleaning": """\
**Cleaning.** Web-paste boilerplate (newsletter prompts, link remnants, share prompts, credits,
copyright lines) is removed, and title, byline, dateline, source lines and captions are moved to
metadata, by the named rules in `research_kit/data/cleaning.yml`; every such line is in the
appendix with the rule that fired. Crossheads stay in the body, in the outlet's own voice.""",
    "quotes": """\
**Quotes.** Rule-based attribution (`research_kit.quotes`): quotation marks are paired in one
pass, cues come from a shipped speech-verb list, speakers are the nearest name or institution
around the cue, pronouns and surnames are resolved to the most recent compatible full name.
Kinds: `direct` (a whole quoted sentence), `partial`/`mixed` (quoted words inside reported
speech), `indirect` (reported speech without marks), `according_to`, `block` (a quoted paragraph
introduced by a colon) and `scare` (quoted words nobody is said to say). Measured on PolNeAR
(see the README for the figures); it can miss speakers far from the cue and unusual cues.""",
    "sides": """\
**Sides.** A speaker's side comes from the lexicon's actor map by name; unlisted speakers are
"(unassigned)". Quoted words are the words inside each attributed quote (scare quotes excluded).""",
    "terms": """\
**Terms and voice.** Lexicon concepts are matched with their variants (spelling, plurals,
hyphens, apostrophes). Voice: `headline` (in the title), `quoted` (inside a verbatim quotation,
credited to its speaker), otherwise `authorial` (the outlet's own words, including indirect
speech, which paraphrases). Rates are matches per 1,000 words of the cleaned body.""",
    "keyness": """\
**Keyness.** Dunning's log-likelihood G² over the four cells of the 2×2 table, with Hardie's log
ratio (+0.5 on each frequency) as effect size; positive = over-used in the group. With two short
articles, keyness describes vocabulary differences, not significant ones.""",
    "readability": """\
**Readability.** textstat's formulas on the cleaned body (syllables from the CMU dictionary,
offline). textstat drops sentences of two words or fewer and merges lines without final
punctuation into the next sentence, so long, quote-heavy news sentences score as very hard.""",
    "periods": """\
**Periods.** An article's period comes from its `date` metadata (`YYYY-MM-DD`; only the first
ten characters are read). Weeks start on Monday and are labelled by that Monday; months as
`YYYY-MM`. Articles without a readable date are counted under "(undated)", articles without the
grouping field under "(unknown)". Inferred dates (see `inferred` in the metadata) are used as
given.""",
    "rates": """\
**Rates.** Matches per 1,000 words divide by all words of the articles in the same period (and
group), as textstat counts words in the cleaned body. A period with few articles gives unstable
rates: read them next to the overview table.""",
    "corpus_measures": """\
**Terms, voice and quotes** are measured per article exactly as in the article and comparison
reports (`research_kit.terms`, `research_kit.quotes`): see their methods sections. Quotes whose
speaker is not in the lexicon's actor map count under "(unassigned)".""",
}


def methods_markdown(*topics: str) -> str:
    """The methods text for these topics, in the order given, as a Markdown bullet list."""
    unknown = [topic for topic in topics if topic not in METHODS]
    if unknown:
        raise KeyError(f"unknown methods topic(s) {unknown}; known: {sorted(METHODS)}")
    return "\n".join("- " + METHODS[topic].replace("\n", "\n  ") for topic in topics)
