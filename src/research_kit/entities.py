"""Speaker entities across a corpus: one ``speaker_id`` for every way a corpus names a speaker.

A quote's ``speaker`` is the fullest name its article gives; ``speaker_id`` is the entity behind
it, the same in every article of the corpus:

- a person is their full name; a bare surname ("Aliyev") becomes the one full name the lexicon's
  actor map lists with that surname ("Ilham Aliyev"), and, across a corpus (``link_corpus``), the
  one full name the corpus gives someone with that surname; full names that differ only by a
  middle initial ("Loretta Lynch", "Loretta E. Lynch") are one person;
- a body or its document whose whole name is an actor's variant or pattern in the lexicon is that
  actor ("de facto NKR authorities", "Nagorno-Karabakh’s leadership", "Stepanakert" →
  "Karabakh Armenian authorities"): the lexicon says they speak as one body;
- anything else is its name without a leading article;
- a user's aliases file (``load_aliases``) overrides all of this: every listed name or mention is
  the entity it is listed under, which both merges variants and splits what the lexicon merged.

Aliases file schema (YAML, read strictly: duplicate keys and unknown keys are errors naming the
file and the place)::

    speakers:                                  # entity name -> its names and mentions
      Ilham Aliyev: [Aliyev, President Aliyev]
      Karabakh Foreign Ministry: [Karabakh Foreign Ministry]   # kept apart from its actor

Names match ignoring case, apostrophe style, spacing and a leading "the"/"a"/"an".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import schema
from .lexicon import Lexicon

if TYPE_CHECKING:  # the tables below import pandas when called: `analyze` never pays for it
    import pandas as pd

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)
_INITIAL = re.compile(r"^[A-Z]\.?$")


def normalise(name: str) -> str:
    """The form names are compared in: casefolded, straight apostrophes, no leading article."""
    return _LEADING.sub("", " ".join(name.translate(_APOSTROPHES).split())).casefold()


def _display(name: str) -> str:
    return _LEADING.sub("", " ".join(name.split()))


@dataclass(frozen=True, slots=True)
class Aliases:
    """A user's corrections: normalised name or mention → the entity it names."""

    names: Mapping[str, str] = field(default_factory=dict)

    def entity(self, *names: str | None) -> str | None:
        """The entity the first listed name among ``names`` belongs to, if any."""
        for name in names:
            if name and normalise(name) in self.names:
                return self.names[normalise(name)]
        return None


def load_aliases(path: str | Path) -> Aliases:
    """Read and validate an aliases file; a bad file is one error naming it and the place."""
    file = str(path)
    data = schema.expect_mapping(schema.read_yaml(path), file, required=("speakers",))
    speakers = schema.expect_mapping(data["speakers"], file, "speakers", optional=None)
    names: dict[str, str] = {}
    for entity, variants in speakers.items():
        place = schema.key("speakers", entity)
        schema.expect_str(entity, file, place)
        listed = schema.expect_str_list(variants, file, place, empty=False)
        for index, variant in enumerate([entity, *listed]):
            key = normalise(variant)
            if names.get(key, entity) != entity:
                where = schema.item(place, index) if index else place
                raise schema.fail(
                    f"{variant!r} is already listed under {names[key]!r}", file, where
                )
            names[key] = entity
    return Aliases(names)


@cache
def _lexicon_people(lexicon: Lexicon) -> dict[str, str]:
    """Surname → the one full person name the actor map lists with it (``Aliyev``)."""
    full: dict[str, set[str]] = {}
    for side in lexicon.sides:
        for variant in side.variants:
            words = variant.split()
            if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
                full.setdefault(words[-1], set()).add(variant)
    return {surname: names.pop() for surname, names in full.items() if len(names) == 1}


def _actor(lexicon: Lexicon, name: str) -> str | None:
    """The label of the actor whose variant or pattern covers all of ``name``."""
    core = _display(name)
    span = lexicon.actor_span(core)
    if span is None or span[0] > 0 or span[1] < len(core):
        return None
    side = next(s for s in lexicon.sides if s.name == span[2])
    return side.label


def entity_of(
    speaker: str | None,
    speaker_type: str | None,
    mention: str | None,
    lexicon: Lexicon,
    aliases: Aliases | None = None,
) -> str | None:
    """The ``speaker_id`` of a quote's speaker (None when it has no speaker)."""
    if not speaker:
        return None
    listed = aliases.entity(speaker, mention) if aliases else None
    if listed:
        return listed
    if speaker_type == "person":
        if len(speaker.split()) == 1:
            return _lexicon_people(lexicon).get(speaker, speaker)
        return speaker
    if speaker_type in ("organization", "document"):
        actor = _actor(lexicon, speaker)
        if actor:
            return actor
    return _display(speaker)


def relabel(
    records: Iterable[dict[str, Any]], lexicon: Lexicon, aliases: Aliases | None
) -> Iterator[dict[str, Any]]:
    """Records with their quotes' ``speaker_id`` recomputed under ``aliases`` (a stream of new
    dicts; the input records are not changed)."""
    for record in records:
        quotes = [
            {**q, "speaker_id": entity_of(q.get("speaker"), q.get("speaker_type"),
                                          q.get("speaker_mention"), lexicon, aliases)}
            for q in record["quotes"]
        ]  # fmt: skip
        yield {**record, "quotes": quotes}


def _first_last(name: str) -> tuple[str, str]:
    """``Loretta Lynch`` and ``Loretta E. Lynch`` are one person: same first and last name.

    Grouping by this key links a corpus's names in one pass, not by comparing every pair."""
    words = name.split()
    return words[0], words[-1]


def corpus_links(records: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Person ids to merge corpus-wide: a bare surname to the one full name sharing it, a
    shorter form of a full name to the fullest. Other ids are left as they are."""
    people = Counter(
        q["speaker_id"]
        for r in records
        for q in r["quotes"]
        if q.get("speaker_type") == "person" and q.get("speaker_id")
    )
    full = sorted((n for n in people if len(n.split()) >= 2), key=lambda n: (-len(n), n))
    fullest: dict[tuple[str, str], str] = {}  # (first, last name) → its longest form
    for name in full:
        fullest.setdefault(_first_last(name), name)
    links: dict[str, str] = {}
    for name in full:
        longer = fullest[_first_last(name)]
        if len(longer) > len(name):
            links[name] = longer
    by_surname: dict[str, set[str]] = {}
    for name in full:
        by_surname.setdefault(name.split()[-1], set()).add(links.get(name, name))
    for name in people:
        candidates = by_surname.get(name, set()) if len(name.split()) == 1 else set()
        if len(candidates) == 1:
            links[name] = next(iter(candidates))
    return links


def link_corpus(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records whose person ids are merged across the corpus (``corpus_links``); new dicts."""
    links = corpus_links(records)
    if not links:
        return list(records)
    return [
        {
            **r,
            "quotes": [
                {**q, "speaker_id": links.get(q.get("speaker_id") or "", q.get("speaker_id"))}
                for q in r["quotes"]
            ],
        }
        for r in records
    ]


# ---- tables -----------------------------------------------------------------------------------


def _quote_rows(records: Sequence[Mapping[str, Any]], by: str) -> pd.DataFrame:
    import pandas as pd

    rows = [
        {
            by: r.get(by) or "(unknown)",
            "id": r["id"],
            "speaker_id": q.get("speaker_id"),
            "speaker": q.get("speaker"),
            "speaker_type": q.get("speaker_type"),
            "speaker_title": q.get("speaker_title"),
            "speaker_role": q.get("speaker_role"),
            "speaker_mention": q.get("speaker_mention"),
            "side": q.get("side"),
            "labels": _labels(r, q),
            "words": len(q["text"].split()),
        }
        for r in records
        for q in r["quotes"]
        if q["kind"] != "scare"
    ]
    columns = [by, "id", "speaker_id", "speaker", "speaker_type", "speaker_title",
               "speaker_role", "speaker_mention", "side", "labels", "words"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _labels(record: Mapping[str, Any], quote: Mapping[str, Any]) -> list[str]:
    """The lexicon terms matched inside a quote's speaker mention ("de facto", "separatist")."""
    start, end = quote.get("speaker_start"), quote.get("speaker_end")
    if start is None or end is None:
        return []
    where = quote.get("location", "body")
    return [
        t["matched"]
        for t in record.get("terms", ())
        if t.get("location", "body") == where and start <= t["start"] and t["end"] <= end
    ]


def listed_counts(values: pd.Series) -> str:
    """``name (count)`` for each distinct value, most frequent first."""
    counts = Counter(v for v in values if isinstance(v, str) and v)
    return "; ".join(f"{v} ({n})" for v, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])))


def speaker_entities(records: Sequence[Mapping[str, Any]], by: str = "outlet") -> pd.DataFrame:
    """Who speaks, by entity: one row per group and ``speaker_id`` with type, side, quotes,
    quoted words and the name variants the group's articles use for it."""
    rows = _quote_rows(records, by).dropna(subset=["speaker_id"])
    table = rows.groupby([by, "speaker_id"]).agg(
        speaker_type=("speaker_type", lambda t: Counter(t).most_common(1)[0][0]),
        side=("side", "first"),
        quotes=("words", "size"),
        words=("words", "sum"),
        names=("speaker", listed_counts),
    )
    return (
        table.reset_index()
        .sort_values([by, "words", "speaker_id"], ascending=[True, False, True], kind="stable")
        .reset_index(drop=True)
    )


def anonymous_sourcing(records: Sequence[Mapping[str, Any]], by: str = "outlet") -> pd.DataFrame:
    """Attributed quotes per group by speaker type, with the share given to unnamed sources —
    a standard measure of sourcing practice."""
    import pandas as pd

    rows = _quote_rows(records, by)
    rows["speaker_type"] = rows["speaker_type"].fillna("unresolved")
    table = pd.crosstab(rows[by], rows["speaker_type"])
    for column in ("person", "organization", "document", "anonymous", "unresolved"):
        if column not in table:
            table[column] = 0
    table = table[["person", "organization", "document", "anonymous", "unresolved"]]
    table["quotes"] = table.sum(axis=1)
    resolved = table["quotes"] - table["unresolved"]
    table["anonymous_share"] = (table["anonymous"] / resolved.where(resolved > 0)).round(3)
    table.columns.name = None
    return table.reset_index()


def naming(records: Sequence[Mapping[str, Any]], by: str = "outlet") -> pd.DataFrame:
    """How outlets name each actor: one row per lexicon side, group and way of naming
    (``kind``: name, title, role, mention, or label — a lexicon term inside the mention such as
    "de facto") with its count: word choice and labelling."""
    import pandas as pd

    rows = _quote_rows(records, by).dropna(subset=["side"])
    rows = rows.assign(label=rows["labels"]).explode("label")
    parts = []
    for kind, column in (("name", "speaker"), ("title", "speaker_title"), ("role", "speaker_role"),
                         ("mention", "speaker_mention"), ("label", "label")):  # fmt: skip
        part = rows[[by, "side", column]].dropna().rename(columns={column: "text"})
        part = part[part["text"].str.len() > 0]
        parts.append(part.assign(kind=kind))
    if not parts:
        return pd.DataFrame(columns=["side", by, "kind", "text", "count"])
    table = pd.concat(parts).groupby(["side", by, "kind", "text"]).size().rename("count")
    return (
        table.reset_index()
        .sort_values(
            ["side", by, "kind", "count", "text"],
            ascending=[True, True, True, False, True],
            kind="stable",
        )
        .reset_index(drop=True)
    )
