"""Near-duplicate articles: the same (wire) text printed more than once in a corpus.

Real corpora hold the same story several times: syndicated wire copy in several outlets,
database exports repeating an article across editions. A framing difference between two outlets
that printed the same text cannot be the outlets' own, so duplicates are found, recorded, and can
be dropped.

Each body becomes the set of its 5-word shingles (lower-cased `\\w+` words), summarised by a
MinHash of `NUM_PERM` permutations (datasketch; shingles hashed with CRC-32, which is fast and the
same in every process, so the marks are deterministic); a MinHash LSH index finds earlier
articles whose estimated Jaccard similarity may reach `THRESHOLD`, and each candidate is
confirmed on the MinHash estimate. The pass streams: records are marked in corpus order as they
arrive, each against the articles before it, so an article's `duplicate_group` is the id of the
first article in corpus order that printed the same text (null for an article with no earlier
copy, including that first copy), and `duplicate_share` the estimated share of shared shingles
(Jaccard) with it. Memory holds one signature and its LSH band keys per article (about 2.4 KB),
never text.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from datasketch import MinHash, MinHashLSH

THRESHOLD = 0.5
"""Estimated Jaccard similarity of two bodies' 5-word shingle sets from which they are copies:
a reprint with its own headline, standfirst or a trimmed last paragraph stays above it; two
reports of the same event written separately share few 5-word runs and stay far below it."""
NUM_PERM = 64
"""MinHash permutations: the similarity estimate's standard error is about 0.06 at 0.5."""
SHINGLE_WORDS = 5
MODES = ("keep", "mark", "drop")
_WORD = re.compile(r"\w+")


def signature(text: str) -> MinHash | None:
    """The MinHash of a body's word shingles, or None for a body too short to compare."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return None
    shingles = {
        " ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    minhash = MinHash(
        num_perm=NUM_PERM, hashfunc=zlib.crc32, permutations=_permutations(), scheme="affine32"
    )
    minhash.update_batch(list(shingles))
    return minhash


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The MinHash permutations, drawn once (seeded, so signatures are the same in every run)."""
    return MinHash(num_perm=NUM_PERM, seed=1).permutations


class DuplicateIndex:
    """Articles seen so far, to find the first earlier copy of each new one."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: list[np.ndarray] = []
        self._ids: list[str] = []

    def add(self, key: str, text: str) -> tuple[str, float] | None:
        """Index an article; (id of its first earlier copy, estimated share), or None."""
        minhash = signature(text)
        if minhash is None:
            return None
        best: tuple[int, float] | None = None
        for position in self._lsh.query(minhash):
            share = float(np.mean(self._signatures[position] == minhash.hashvalues))
            if share >= self.threshold and (best is None or position < best[0]):
                best = (position, share)
        position = len(self._ids)
        self._lsh.insert(position, minhash, check_duplication=False)
        self._signatures.append(minhash.hashvalues.astype(np.uint32))
        self._ids.append(key)
        return (self._ids[best[0]], round(best[1], 3)) if best else None


def mark_duplicates(
    records: Iterable[dict[str, Any]],
    mode: Literal["keep", "mark", "drop"] = "mark",
    threshold: float = THRESHOLD,
) -> Iterator[dict[str, Any]]:
    """Stream records with `duplicate_group` and `duplicate_share` set (`mark`), or without the
    later copies (`drop`: the first copy of each text is kept); `keep` passes them through."""
    if mode == "keep":
        yield from records
        return
    index = DuplicateIndex(threshold)
    for record in records:
        found = index.add(record["id"], record["body"])
        if found and mode == "drop":
            continue
        record["duplicate_group"], record["duplicate_share"] = found or (None, None)
        yield record


def shared_texts(
    records: Iterable[dict[str, Any]], by: str = "outlet", threshold: float = THRESHOLD
) -> list[dict[str, Any]]:
    """Pairs of articles from different groups (outlets by default) that printed the same text.

    For reports comparing outlets: a framing difference between two such articles cannot be
    the outlets' own. One row per later copy: its id and group, the first copy's id and group,
    and the estimated share of shared text.
    """
    index = DuplicateIndex(threshold)
    groups: dict[str, Any] = {}
    rows = []
    for record in records:
        groups[record["id"]] = record.get(by)
        found = index.add(record["id"], record["body"])
        if found and groups[found[0]] != record.get(by):
            rows.append({
                "id": record["id"], by: record.get(by), "first_id": found[0],
                f"first_{by}": groups[found[0]], "share": found[1],
            })
    return rows
