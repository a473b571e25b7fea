"""Report views: the tables and escaped HTML that the report notebooks display.

Notebooks stay short narratives by calling these. Everything that puts article text into HTML
escapes it here (`html.escape`), so a page containing `<script>` renders as text; DataFrames are
displayed through pandas, which escapes cell text too.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Sized
from typing import Any

import pandas as pd
from IPython.display import HTML

from .entities import listed_counts
from .errors import ResearchKitError
from .keyness import count_tokens, textstat_keyness
from .kwic import kwic
from .lexicon import Lexicon
from .records import UNKNOWN
from .tables import quotes_frame


def footnotes(notes: pd.Series, sep: str = "; ") -> tuple[pd.Series, str]:
    """Long per-row caveats ("expected count <5: test unreliable; few articles ...") as short
    letters in the table and one legend under it, so the caveat column stays narrow."""
    letters: dict[str, str] = {}
    codes = []
    for value in notes:
        parts = [] if pd.isna(value) else [p for p in str(value).split(sep) if p]
        for part in parts:
            letters.setdefault(part, "abcdefghijklmnopqrstuvwxyz"[len(letters) % 26])
        codes.append(", ".join(letters[part] for part in parts))
    legend = "; ".join(f"{letter}: {text}" for text, letter in letters.items())
    return pd.Series(codes, index=notes.index, dtype=object), legend


def select_articles(
    records: Sequence[dict[str, Any]],
    article_ids: Iterable[str] | None = None,
    event_id: str | Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """The records a report is about: by id list, else by event — one id, a list of ids, or
    "all" (or None) for every article; an unknown id or event is a clear error."""
    by_id = {record["id"]: record for record in records}
    if article_ids:
        ids = list(article_ids)
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise ResearchKitError(
                f"unknown article id(s) {unknown}; known ids: {sorted(by_id)}", "parameters"
            )
        return [by_id[i] for i in ids]
    if event_id is None or event_id == "all":
        chosen = list(records)
    else:
        wanted = [event_id] if isinstance(event_id, str) else list(event_id)
        known = {str(r.get("event_id")) for r in records}
        missing = [e for e in wanted if e not in known]
        if missing:
            shown = ", ".join(sorted(known)[:20]) + (" ..." if len(known) > 20 else "")
            raise ResearchKitError(
                f"no articles with event_id {', '.join(map(repr, missing))}; known events: "
                f"{shown}", "parameters")
        chosen = [r for r in records if r.get("event_id") in set(wanted)]
    if not chosen:
        raise ResearchKitError("the corpus has no articles", "parameters")
    return chosen


def article_overview(record: Mapping[str, Any]) -> pd.DataFrame:
    """Metadata of one article as a two-column table; inferred values are marked."""
    inferred = set(record.get("inferred") or [])
    rows = []
    for field in ("title", "outlet", "publisher", "author", "date", "language", "event_id",
                  "url", "byline", "dateline", "source"):
        value = record.get(field)
        if value is not None:
            rows.append((field, f"{value} (inferred)" if field in inferred else str(value)))
    rows.append(("words", str(record["readability"]["words"])))
    rows.append(("paragraphs", str(len(record["paragraphs"]))))
    return pd.DataFrame(rows, columns=["field", "value"])


def provenance_frame(provenance: Mapping[str, Any]) -> pd.DataFrame:
    """The provenance dictionary as a two-column table (parameters as one JSON-like cell)."""
    return pd.DataFrame(
        [(key, "" if value is None else str(value)) for key, value in provenance.items()],
        columns=["item", "value"],
    )


def body_html(record: Mapping[str, Any]) -> str:
    """The cleaned body, escaped, with every lexicon match marked and titled by its concept."""
    body = record["body"]
    marks = sorted(
        {(t["start"], t["end"], t["term"], t["voice"]) for t in record.get("terms", [])
         if t["location"] == "body"}
    )
    pieces: list[str] = []
    cursor = 0
    for start, end, term, voice in marks:
        if start < cursor:  # overlapping matches of two categories: mark the first only
            continue
        pieces.append(html.escape(body[cursor:start]))
        pieces.append(
            f'<mark class="rk-{voice}" title="{html.escape(term)} ({voice})">'
            f"{html.escape(body[start:end])}</mark>"
        )
        cursor = end
    pieces.append(html.escape(body[cursor:]))
    paragraphs = "".join(pieces).split("\n\n")
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def text_html(text: str, tag: str = "p") -> str:
    """Any article-derived text as an escaped HTML element."""
    return f"<{tag}>{html.escape(text)}</{tag}>"


def group_labels(records: Iterable[Mapping[str, Any]], by: str) -> dict[str, str]:
    """Article id → its group (e.g. outlet); missing values become "(unknown)"."""
    return {r["id"]: str(metadata_value(r, by) or UNKNOWN) for r in records}


def metadata_value(record: Mapping[str, Any], field: str) -> Any:
    """A record's metadata field, top-level (`outlet`) or other (`extra`: `stance`, ...)."""
    return record[field] if field in record else (record.get("extra") or {}).get(field)


def side_by_side(usage: pd.DataFrame, by: str = "outlet") -> pd.DataFrame:
    """Term counts with one column per group and voice, for comparing outlets at a glance."""
    if usage.empty:
        return pd.DataFrame()
    table = usage.pivot_table(index=["category", "term"], columns=[by, "voice"], values="n",
                              aggfunc="sum", fill_value=0)
    return table.sort_index(axis=0).sort_index(axis=1)


def or_note(table: pd.DataFrame, missing: str) -> pd.DataFrame | HTML:
    """The table, or when it has no rows a sentence saying what is missing (for an empty section).

    `missing` is a full sentence, e.g. "No legitimacy label occurs in these 3 articles."
    """
    return HTML(text_html(missing)) if table.empty else table


def counted(n: int, noun: str) -> str:
    """ "1 term", "3 terms", "1,479 articles": a count with its noun in the right number."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def selection(shown: int, total: int, noun: str, ranked: str) -> str:
    """How much of a ranked list a table shows, in words: "all 3 terms", "the only term", "the
    15 of 40 terms used most often" (`ranked` says how the shown ones were chosen)."""
    if shown >= total:
        return f"the only {noun}" if total == 1 else f"all {counted(total, noun)}"
    first = "the one" if shown == 1 else f"the {shown:,}"
    return f"{first} of {counted(total, noun)} {ranked}"


def articles_phrase(records: Sized) -> str:
    """ "this article" or "these N articles": the subject of an empty section's sentence."""
    return "this article" if len(records) == 1 else f"these {len(records):,} articles"


def speakers(records: Sequence[dict[str, Any]], by: str = "outlet") -> pd.DataFrame:
    """Who is quoted: one row per group and speaker entity (``speaker_id``), with the names the
    group's articles use for it, kinds, cues and quoted words."""
    quotes = quotes_frame(records)
    quotes = quotes[quotes["kind"] != "scare"]
    groups = group_labels(records, by)
    quotes = quotes.assign(group=quotes["id"].map(groups), name=quotes["speaker"],
                           speaker=quotes["speaker_id"].fillna("(unresolved)"))
    table = quotes.groupby(["group", "speaker"], dropna=False).agg(
        side=("side", "first"),
        quotes=("kind", "size"),
        words=("words", "sum"),
        names=("name", listed_counts),
        kinds=("kind", lambda k: ", ".join(sorted(set(k)))),
        cues=("cue", lambda c: ", ".join(sorted({x for x in c if isinstance(x, str) and x}))),
    )
    return table.reset_index().rename(columns={"group": by}).sort_values(
        [by, "words"], ascending=[True, False], kind="stable"
    ).reset_index(drop=True)


def scare_quote_table(records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Every scare quote: the words an outlet holds at arm's length, in title or body."""
    quotes = quotes_frame(records)
    return quotes[quotes["kind"] == "scare"][["id", "outlet", "location", "text"]].reset_index(
        drop=True
    )


def group_keyness(records: Sequence[dict[str, Any]], by: str = "outlet", top: int = 15
                  ) -> dict[str, pd.DataFrame]:
    """For each group, its most over-used words against all other groups (G², log ratio)."""
    groups = group_labels(records, by)
    names = sorted(set(groups.values()))
    if len(names) < 2:
        return {}
    counts = {
        name: count_tokens(r["body"] for r in records if groups[r["id"]] == name)
        for name in names
    }
    result = {}
    for name in names:
        reference = Counter()
        for other in names:
            if other != name:
                reference.update(counts[other])
        table = textstat_keyness(counts[name], reference)
        result[name] = table[table["g2"] > 0].head(top).round(
            {"g2": 3, "chi2": 3, "log_ratio": 3, "pmi": 3, "p": 4}
        ).reset_index(drop=True)
    return result


KWIC_ROLES = ("framing", "labels")
"""Roles whose terms an article report shows in context by default: the vocabulary the study
compares, before place names and other counted terms."""


def key_terms(record: Mapping[str, Any], lexicon: Lexicon, limit: int = 6) -> list[str]:
    """The lexicon terms an article's body uses most, framing and label terms first (ties by
    name), at most `limit`: the article report's terms in context when none are given, so a
    report on any lexicon shows its own vocabulary."""
    roles = {c.name: c.role for c in lexicon.categories}
    counts = Counter(t["term"] for t in record["terms"] if t["location"] == "body")
    first = {t["term"]: roles.get(t["category"]) in KWIC_ROLES for t in record["terms"]}
    ranked = sorted(counts, key=lambda term: (not first[term], -counts[term], term))
    return ranked[:limit]


def kwic_table(records: Sequence[dict[str, Any]], terms: Sequence[str], lexicon: Lexicon,
               window: int = 6) -> pd.DataFrame:
    """Concordance of lexicon concepts across the articles, one row per occurrence."""
    texts = {r["id"]: r["body"] for r in records}
    frames = [kwic(texts, term, window=window, lexicon=lexicon) for term in terms]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["concept", "id", "left", "match", "right"])
    table = pd.concat(frames, ignore_index=True)
    return table[["pattern", "doc_id", "left", "match", "right"]].rename(
        columns={"pattern": "concept", "doc_id": "id"}
    )


READABILITY_COUNTS = ("words", "sentences", "syllables")
"""Rows of `readability_table` that are counts, not formulas: a report shows the formulas (two
decimals) and leaves the counts to the table's CSV."""


def readability_table(records: Sequence[dict[str, Any]], by: str = "outlet") -> pd.DataFrame:
    """Readability scores side by side: one column per group (mean over its articles)."""
    groups = group_labels(records, by)
    rows = [{by: groups[r["id"]], **r["readability"]} for r in records]
    table = pd.DataFrame(rows).groupby(by).mean().T.round(2).rename_axis("measure")
    table.columns.name = None
    return table


ROLE_NOUNS = {"framing": "framing term", "labels": "label", "names": "naming choice",
              "other": "term"}
"""How an empty section names what is missing: "No label ... occurs in these 3 articles."."""


def role_categories(lexicon: Lexicon, role: str) -> list[str]:
    """The lexicon's categories with this report role, in lexicon order."""
    return [c.name for c in lexicon.categories if c.role == role]


def no_match(lexicon: Lexicon, categories: Sequence[str], role: str,
             records: Sized) -> str:
    """The sentence an empty section shows: what is missing, and in which articles."""
    noun = ROLE_NOUNS.get(role, "term")
    if not categories:
        return f"The lexicon {lexicon.name!r} has no category with the role {role!r}."
    labels = {c.name: c.label for c in lexicon.categories}
    names = ", ".join(labels.get(c, c) for c in categories)
    return f"No {noun} ({names}) occurs in {articles_phrase(records)}."


def interval_cells(table: pd.DataFrame, value: str, low: str, high: str,
                   digits: int = 2) -> pd.Series:
    """Each row's value with its interval as text, e.g. "2.53 [0.06, 14.07]" (brackets and a
    comma, so negative bounds read plainly: "-1.52 [-4.28, 1.24]")."""
    def cell(row: pd.Series) -> str:
        if pd.isna(row[value]):
            return ""
        if pd.isna(row[low]) or pd.isna(row[high]):
            return f"{row[value]:.{digits}f}"
        return f"{row[value]:.{digits}f} [{row[low]:.{digits}f}, {row[high]:.{digits}f}]"
    return table.apply(cell, axis=1) if len(table) else pd.Series(dtype=object)


VOICES = ("headline", "authorial", "quoted")


def voice_counts(usage: pd.DataFrame, by: str, terms: Sequence[str], groups: Sequence[str]
                 ) -> pd.DataFrame:
    """Matches of these terms as one row per term and group (every shown group, 0 when it never
    uses the term) with one column per voice and their total: narrow for any number of groups."""
    usage = usage[usage["term"].isin(terms)]
    counts = usage.pivot_table(index=["category", "term", by], columns="voice", values="n",
                               aggfunc="sum", fill_value=0)
    items = usage[["category", "term"]].drop_duplicates()
    items = items.assign(_order=items["term"].map({t: i for i, t in enumerate(terms)}))
    rows = pd.MultiIndex.from_tuples(
        [(c, t, g) for c, t, _ in items.sort_values("_order").itertuples(index=False)
         for g in groups], names=["category", "term", by])
    counts = counts.reindex(index=rows, columns=list(VOICES), fill_value=0)
    counts.columns.name = None
    return counts.assign(**{"all voices": counts.sum(axis=1)}).astype("int64")


def rates_table(rates: pd.DataFrame, by: str, terms: Sequence[str] | None = None
                ) -> pd.DataFrame:
    """Rates with 95% intervals as one row per category and term, one column per group."""
    if rates.empty:
        return pd.DataFrame()
    if terms is not None:
        rates = rates[rates["term"].isin(terms)]
    shown = rates.assign(rate=interval_cells(rates, "per_1000_words", "low", "high"))
    table = shown.pivot(index=["category", "term"], columns=by, values="rate")
    table.columns.name = None
    return table


def differences_table(differences: pd.DataFrame, by: str, top: int,
                      effects: Sequence[str]) -> tuple[pd.DataFrame, str]:
    """One row per term (or category): its test, the caveats as letters, and the log ratio
    with its interval of each of the `effects` groups against the rest; the `top` smallest
    adjusted p-values first. Returns the table and the caveats' legend."""
    if differences.empty:
        return pd.DataFrame(), ""
    item = ["category", "term"] if "term" in differences else ["category"]
    shown = differences.assign(ratio=interval_cells(differences, "log_ratio", "low", "high"))
    ratios = shown[shown[by].isin(effects)].pivot(index=item, columns=by, values="ratio")
    ratios = ratios.reindex(columns=list(effects))
    ratios.columns = [f"log2 ratio [95% interval], {c} against the rest" for c in ratios.columns]
    tests = shown.groupby(item, sort=False).agg(
        matches=("n", "sum"), g2=("g2", "first"), df=("df", "first"), p=("p", "first"),
        p_adjusted=("p_adjusted", "first"), note=("note", "first"))
    table = tests.join(ratios).sort_values(["p_adjusted", "p"], kind="stable").head(top)
    notes, legend = footnotes(table.pop("note"))
    table.insert(5, "notes", notes)
    return table.rename(columns={"p_adjusted": "adjusted p"}), legend


def stratified_table(stratified: pd.DataFrame, by: str, top: int) -> tuple[pd.DataFrame, str]:
    """The CMH results, `top` smallest adjusted p-values first, odds ratios with intervals and
    the caveats as letters; returns the table and the caveats' legend."""
    if stratified.empty:
        return pd.DataFrame(), ""
    item = ["category", "term"] if "term" in stratified else ["category"]
    shown = stratified.assign(
        odds_ratio=interval_cells(stratified, "odds_ratio", "low", "high", digits=2))
    shown = shown.sort_values(["p_adjusted", "p"], kind="stable").head(top)
    notes, legend = footnotes(shown["note"])
    shown = shown.assign(notes=notes)[[*item, by, "n", "shared_strata", "odds_ratio", "cmh",
                                       "p", "p_adjusted", "notes"]]
    return shown.rename(columns={
        "n": "matches", "shared_strata": "events both sides covered",
        "odds_ratio": "odds ratio [95% interval]", "cmh": "CMH χ²", "p_adjusted": "adjusted p",
    }).reset_index(drop=True), legend


def with_group(frame: pd.DataFrame, records: Sequence[Mapping[str, Any]], by: str,
               by_id: bool = False) -> pd.DataFrame:
    """A frame with the records' `by` group as a column: per article in record order, or with
    `by_id` per row through its `id` column (quotes, matches, removed lines)."""
    groups = group_labels(records, by)
    if by_id:
        return frame.assign(**{by: frame["id"].map(groups)})
    return frame.assign(**{by: list(groups.values())})
