"""Near-duplicate articles: the same (wire) text printed more than once in a corpus.

Real corpora hold the same story several times: syndicated wire copy in several outlets,
database exports repeating an article across editions. A framing difference between two outlets
that printed the same text cannot be the outlets' own, so duplicates are found, recorded, and can
be dropped.

Each body becomes the set of its 5-word shingles (lower-cased `\\w+` words), summarised by a
MinHash of `NUM_PERM` permutations (datasketch; shingles hashed with CRC-32, which is fast and the
same in every process, so the marks are deterministic). Locality-sensitive hashing finds earlier
articles whose estimated Jaccard similarity may reach `THRESHOLD`: the signature is cut into the
bands datasketch's `MinHashLSH` chooses for that threshold, two articles sharing one band are
candidates, and each candidate is confirmed on the MinHash estimate. The pass streams: records
are marked in corpus order as they arrive, each against the articles before it, so an article's
`duplicate_group` is the id of the first article in corpus order that printed the same text (null
for an article with no earlier copy, including that first copy), and `duplicate_share` the
estimated share of shared shingles (Jaccard) with it.

Memory stays flat however long the corpus: the index (each article's id, 256-byte signature and
one 64-bit key per band, never text) lives in a SQLite file in a temporary folder
(`tempfile.gettempdir()`, about 0.6 KB of disk per article), deleted when the pass ends, and
SQLite keeps at most `CACHE_MIB` of it in memory.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, get_args

import numpy as np

from .errors import ResearchKitError

if TYPE_CHECKING:
    from datasketch import MinHash

THRESHOLD = 0.5
"""Estimated Jaccard similarity of two bodies' 5-word shingle sets from which they are copies:
a reprint with its own headline, standfirst or a trimmed last paragraph stays above it; two
reports of the same event written separately share few 5-word runs and stay far below it."""
NUM_PERM = 64
"""MinHash permutations: the similarity estimate's standard error is about 0.06 at 0.5."""
SHINGLE_WORDS = 5
CACHE_MIB = 8
"""SQLite page cache of the index: all the memory the index takes, whatever the corpus size."""
Mode = Literal["keep", "mark", "drop"]
"""What `analyze --duplicates` does with copies: not look (keep), mark them, or drop them."""
MODES: tuple[str, ...] = get_args(Mode)
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
    from datasketch import MinHash  # imported when marking: it takes a third of a second

    minhash = MinHash(
        num_perm=NUM_PERM, hashfunc=zlib.crc32, permutations=_permutations(), scheme="affine32"
    )
    minhash.update_batch(list(shingles))
    return minhash


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The MinHash permutations, drawn once (seeded, so signatures are the same in every run)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1).permutations


@lru_cache(maxsize=8)
def _bands(threshold: float) -> tuple[int, int]:
    """(bands, rows per band): datasketch's choice for `threshold`, weighing false positives
    and false negatives equally (14 bands of 4 rows at 0.5 with 64 permutations)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


class Copy(NamedTuple):
    """The first earlier article with the same text."""

    id: str
    share: float
    group: Any = None


class DuplicateIndex:
    """Articles seen so far, on disk, to find the first earlier copy of each new one.

    A context manager: leaving it (or `close`) deletes the index.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._bands, self._rows = _bands(threshold)
        self._folder = tempfile.TemporaryDirectory(prefix="research-kit-duplicates-")
        # Autocommit off by hand: one transaction for the whole pass; a scratch file, so
        # no journal and no syncing (nothing is kept if the process stops).
        self._db = sqlite3.connect(Path(self._folder.name) / "index.sqlite", isolation_level=None)
        self._db.executescript(f"""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -{CACHE_MIB * 1024};
            PRAGMA temp_store = FILE;
            CREATE TABLE articles (position INTEGER PRIMARY KEY, id TEXT NOT NULL,
                                   grp TEXT NOT NULL, signature BLOB NOT NULL);
            CREATE TABLE bands (key INTEGER NOT NULL, position INTEGER NOT NULL,
                                PRIMARY KEY (key, position)) WITHOUT ROWID;
            BEGIN;
        """)
        self._count = 0

    def _keys(self, hashvalues: np.ndarray) -> list[int]:
        """One signed 64-bit key per band (BLAKE2b of the band number and its values)."""
        rows = self._rows
        return [
            int.from_bytes(hashlib.blake2b(
                bytes([band]) + hashvalues[band * rows:(band + 1) * rows].tobytes(),
                digest_size=8).digest(), "little", signed=True)
            for band in range(self._bands)
        ]

    def add(self, key: str, text: str, group: Any = None) -> Copy | None:
        """Index an article (with its `group`, e.g. its outlet); its first earlier copy, if any."""
        minhash = signature(text)
        if minhash is None:
            return None
        hashvalues = minhash.hashvalues.astype(np.uint32)
        keys = self._keys(hashvalues)
        found = None
        candidates = self._db.execute(
            "SELECT id, grp, signature FROM articles WHERE position IN (SELECT position FROM"
            f" bands WHERE key IN ({', '.join('?' * len(keys))})) ORDER BY position", keys)
        for first_id, first_group, stored in candidates:
            share = float(np.mean(np.frombuffer(stored, dtype=np.uint32) == hashvalues))
            if share >= self.threshold:  # the earliest confirmed candidate is the first copy
                found = Copy(first_id, round(share, 3), json.loads(first_group))
                break
        position = self._count
        self._db.execute("INSERT INTO articles VALUES (?, ?, ?, ?)",
                         (position, key, json.dumps(group), hashvalues.tobytes()))
        self._db.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)",
                             [(k, position) for k in keys])
        self._count += 1
        return found

    def close(self) -> None:
        """Delete the index."""
        self._db.close()
        self._folder.cleanup()

    def __enter__(self) -> DuplicateIndex:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def check_mode(mode: str) -> None:
    """Refuse a mode other than keep, mark or drop, naming them."""
    if mode not in MODES:
        raise ResearchKitError(f"unknown duplicates mode {mode!r}; use one of {', '.join(MODES)}",
                               "duplicates")


def mark_duplicates(
    records: Iterable[dict[str, Any]], mode: Mode = "mark", threshold: float = THRESHOLD
) -> Iterator[dict[str, Any]]:
    """Stream records with `duplicate_group` and `duplicate_share` set (`mark`), or without the
    later copies (`drop`: the first copy of each text is kept); `keep` passes them through.

    An unknown mode is refused at once (before any record is read), naming the three.
    """
    check_mode(mode)
    return iter(records) if mode == "keep" else _marked(records, mode, threshold)


def _marked(records: Iterable[dict[str, Any]], mode: Mode,
            threshold: float) -> Iterator[dict[str, Any]]:
    with DuplicateIndex(threshold) as index:
        for record in records:
            found = index.add(record["id"], record["body"])
            if found and mode == "drop":
                continue
            record["duplicate_group"], record["duplicate_share"] = found[:2] if found else (
                None, None)
            yield record


def shared_texts(
    records: Iterable[dict[str, Any]], by: str = "outlet", threshold: float = THRESHOLD
) -> list[dict[str, Any]]:
    """Which groups (outlets by default; any metadata field, such as `publisher` or an `extra`
    column like `stance`) printed the same text: one row per article that repeats an earlier
    article of another group.

    For reports comparing outlets: a framing difference between two such articles cannot be
    the outlets' own. Each row gives the article's `id` and group (`by`), the first copy's
    `first_id` and `first_<by>`, and `share`, the estimated share of shared text (Jaccard
    similarity of 5-word shingles, at least `threshold`). Records are read once, in corpus
    order, in bounded memory, as by `mark_duplicates`; copies within one group are not listed.
    """
    rows = []
    with DuplicateIndex(threshold) as index:
        for record in records:
            group = record[by] if by in record else (record.get("extra") or {}).get(by)
            found = index.add(record["id"], record["body"], group)
            if found and found.group != group:
                rows.append({"id": record["id"], by: group, "first_id": found.id,
                             f"first_{by}": found.group, "share": found.share})
    return rows
