"""Analysis shared by the runs of one `research-kit reports` call: each corpus is analysed once.

Every seed report analyses the same corpus with the same lexicon, and the analysis (with the
textstat, NLTK and SciPy imports it needs) is the largest part of a kernel's work. The runner
makes one private folder per call (`RECORDS_CACHE_ENV`, deleted when the call ends); a report's
`Report.analyze` and `Report.load_corpus` keep their result there under a key made of what the
result depends on (the corpus's and the lexicon's SHA-256, the aliases file, the duplicates
mode), and a later run with the same key reads it instead of analysing again. The values are
the very objects the analysis returned (pickled), so a report's bytes do not depend on whether
its analysis was computed or read. Outside the runner (JupyterLab, plain papermill) nothing is
cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from .config import RECORDS_CACHE_ENV

T = TypeVar("T")


def cache_key(kind: str, inputs: Mapping[str, str | None]) -> str:
    """A file-name-safe key for one kind of result made from these inputs."""
    text = json.dumps({"kind": kind, **inputs}, sort_keys=True)
    return f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def cached_value(key: str) -> object | None:
    """The value stored under `key` by an earlier run of this call, or None."""
    folder = os.environ.get(RECORDS_CACHE_ENV)
    if not folder:
        return None
    try:
        data = (Path(folder) / f"{key}.pickle").read_bytes()
    except FileNotFoundError:
        return None
    return pickle.loads(data)  # only this call writes its private folder


def cached(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, stored under `key` for the later runs of this call (read back if stored).

    Two runs that start together may both compute; the file is replaced atomically, and both
    values are equal.
    """
    value = cached_value(key)
    if value is not None:
        return value  # type: ignore[return-value]
    value = compute()
    folder = os.environ.get(RECORDS_CACHE_ENV)
    if folder:
        target = Path(folder) / f"{key}.pickle"
        partial = target.with_name(f"{key}.{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, target)
    return value
