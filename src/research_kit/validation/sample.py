"""Units to validate (quotes, terms, articles) and a reproducible random sample of them.

Every unit is one row: the article and its metadata, where the unit is (`location`, `start`,
`end`), its text, its context (the paragraph, or the whole text for an article) and the fields
the codebook's `auto` entries read research_kit's own codes from. A sample is drawn with
NumPy's seeded generator, stratified by a metadata column when asked (proportional allocation),
and kept in corpus order so coders read each article's units together.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..errors import ResearchKitError
from ..records import ARTICLE_COLUMNS
from .codebook import UNITS, Codebook, Variable

KEY_FORMAT = "research_kit validation key"
KEY_VERSION = 1
STRATA = ("outlet", "publisher", "author", "date", "language", "event_id")
"""Article metadata a sample can be stratified by (`--by`)."""
_PREFIX = {"quotes": "Q", "terms": "T", "articles": "A"}
_META = tuple(c for c in ARTICLE_COLUMNS if c in STRATA)
TIE_SHARE = 0.9
"""Two sides whose quoted words are within a tenth of each other are a tie (`most_quoted_side`)."""


@dataclass(frozen=True, slots=True)
class Sample:
    """A drawn sample: its units (with `unit_id` and automatic codes) and how it was drawn."""

    unit: str
    units: list[dict[str, Any]]
    variables: tuple[Variable, ...]
    seed: int
    n: int
    by: str | None
    population: int
    strata: list[dict[str, Any]]
    codebook: Codebook

    @property
    def sample_id(self) -> str:
        """A short hash of what was sampled: equal ids mean coders coded the same units."""
        where = [(u["article"], u["location"], u["start"], u["end"]) for u in self.units]
        data = json.dumps([self.unit, where], ensure_ascii=False).encode()
        return hashlib.sha256(data).hexdigest()[:16]

    def key(self) -> dict[str, Any]:
        """The key file's content: the sample, the codebook it was coded with, the auto codes."""
        return {
            "format": KEY_FORMAT,
            "version": KEY_VERSION,
            "research_kit": __version__,
            "unit": self.unit,
            "sample_id": self.sample_id,
            "seed": self.seed,
            "n": self.n,
            "by": self.by,
            "population": self.population,
            "strata": self.strata,
            "codebook": {"file": self.codebook.path.name, "sha256": self.codebook.sha256},
            "variables": [v.to_dict() for v in self.variables],
            "units": [
                {
                    "unit_id": u["unit_id"],
                    "article": u["article"],
                    "location": u["location"],
                    "start": u["start"],
                    "end": u["end"],
                    "stratum": u["stratum"],
                    "unit": u["unit"],
                    "auto": {v.name: v.auto.code(u) if v.auto else None for v in self.variables},
                }
                for u in self.units
            ],
        }


def unit_rows(records: Iterable[Mapping[str, Any]], unit: str) -> list[dict[str, Any]]:
    """Every unit of the corpus in corpus order, one row each (see the module docstring)."""
    if unit not in UNITS:
        raise ResearchKitError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    rows: list[dict[str, Any]] = []
    for record in records:
        meta = {"article": record["id"], **{key: record.get(key) for key in _META}}
        if unit == "articles":
            rows.append({**meta, **_article_unit(record)})
            continue
        for item in record.get(unit, []):
            text_key = "text" if unit == "quotes" else "matched"
            rows.append({
                **meta,
                **{k: v for k, v in item.items() if k not in ("text", "parts")},
                "unit": item[text_key],
                "context": _context(record, item["location"], item["start"], item["end"]),
            })
    return rows


def _context(record: Mapping[str, Any], location: str, start: int, end: int) -> list[str]:
    """[before, unit, after]: the paragraph(s) holding the unit, split around it."""
    if location == "title":
        text, lo, hi = record.get("title") or "", 0, len(record.get("title") or "")
    else:
        text = record["body"]
        spans = [(p["start"], p["end"]) for p in record["paragraphs"]
                 if p["start"] < end and p["end"] > start] or [(start, end)]
        lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    return [text[lo:start], text[start:end], text[end:hi]]


def _article_unit(record: Mapping[str, Any]) -> dict[str, Any]:
    """An article as a unit, with the article-level facts its codebook variables read."""
    quotes = [q for q in record.get("quotes", []) if q["kind"] != "scare"]
    words: Counter[str] = Counter()
    for quote in quotes:
        if quote.get("side"):
            words[quote["side"]] += len(quote["text"].split())
    ranked = words.most_common(2)
    if not ranked:
        most = None
    elif len(ranked) == 2 and ranked[1][1] >= TIE_SHARE * ranked[0][1]:
        most = "tie"
    else:
        most = ranked[0][0]
    body = record["body"]
    return {
        "location": "body", "start": 0, "end": len(body),
        "unit": record.get("title") or "(no title)",
        "context": ["", "", body],
        "quotations": len(quotes),
        "scare_quotes": any(q["kind"] == "scare" for q in record.get("quotes", [])),
        "most_quoted_side": most,
    }


def allocate(sizes: Sequence[int], n: int) -> list[int]:
    """Proportional allocation of `n` over strata of `sizes` (largest remainder, ties in order)."""
    total = sum(sizes)
    if n >= total:
        return list(sizes)
    exact = [n * size / total for size in sizes]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    return counts


def draw_sample(
    records: Iterable[Mapping[str, Any]],
    unit: str,
    n: int,
    seed: int,
    codebook: Codebook,
    by: str | None = None,
) -> Sample:
    """A reproducible random sample of `n` units (all of them if there are fewer)."""
    if n < 1:
        raise ResearchKitError(f"sample size must be at least 1, not {n}")
    if by is not None and by not in STRATA:
        raise ResearchKitError(f"cannot stratify by {by!r}; use one of {', '.join(STRATA)}")
    variables = codebook.variables(unit)
    rows = unit_rows(records, unit)
    if not rows:
        raise ResearchKitError(f"the corpus has no {unit} to sample")
    for row in rows:
        row["stratum"] = str(row.get(by) or "(unknown)") if by else "(all)"
    strata = sorted({row["stratum"] for row in rows})
    members = {s: [i for i, row in enumerate(rows) if row["stratum"] == s] for s in strata}
    counts = allocate([len(members[s]) for s in strata], n)
    rng = np.random.default_rng(seed)
    chosen: list[int] = []
    for stratum, count in zip(strata, counts, strict=True):
        picks = rng.choice(len(members[stratum]), size=count, replace=False)
        chosen.extend(members[stratum][i] for i in picks)
    width = max(3, len(str(len(chosen))))
    units = [
        {**rows[i], "unit_id": f"{_PREFIX[unit]}{number:0{width}d}"}
        for number, i in enumerate(sorted(chosen), 1)
    ]
    return Sample(
        unit=unit, units=units, variables=variables, seed=seed, n=n, by=by,
        population=len(rows), codebook=codebook,
        strata=[{"stratum": s, "population": len(members[s]), "sampled": c}
                for s, c in zip(strata, counts, strict=True)],
    )


def key_path(sheet: str | Path) -> Path:
    """Where `sample` puts the key of a sheet: `codes.xlsx` → `codes.key.json`."""
    sheet = Path(sheet)
    return sheet.with_name(f"{sheet.stem}.key.json")


def write_key(sample: Sample, path: str | Path) -> None:
    Path(path).write_text(
        json.dumps(sample.key(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def read_key(path: str | Path) -> dict[str, Any]:
    """A key file, checked to be one (a one-line error otherwise)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ResearchKitError("no such key file", str(path)) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResearchKitError(f"not a key file (invalid JSON: {exc})", str(path)) from None
    if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
        raise ResearchKitError("not a research_kit validation key", str(path))
    if data.get("version") != KEY_VERSION:
        raise ResearchKitError(f"unsupported key version {data.get('version')!r}", str(path))
    return data


def sample_size(expected: float, half_width: float, confidence: float = 0.95) -> int:
    """Units needed to estimate a proportion near `expected` to ± `half_width` (normal approx.).

    n = z² p (1 − p) / w²: e.g. an accuracy expected near 0.9, to ± 0.05 at 95%, needs 139 units.
    """
    from scipy.stats import norm

    if not 0 < expected < 1 or not 0 < half_width < 1 or not 0 < confidence < 1:
        raise ResearchKitError("expected, half width and confidence must lie between 0 and 1")
    z = norm.ppf(1 - (1 - confidence) / 2)
    return math.ceil(z * z * expected * (1 - expected) / (half_width * half_width))
