"""Progress bars for long work: tqdm on stderr, shown only to a person watching a terminal.

When stderr is not a TTY (pipes, logs, CI, papermill kernels) or the user asks for quiet, the bar
is disabled and writes nothing, so captured output stays clean and reproducible.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(
    iterable: Iterable[T], *, desc: str, unit: str = "article", quiet: bool = False
) -> Iterator[T]:
    """`iterable`, counted on a progress bar on stderr (rate and elapsed time; corpora stream, so
    there is no total)."""
    stream = sys.stderr
    return iter(tqdm(iterable, desc=desc, unit=unit, file=stream, dynamic_ncols=True,
                     disable=quiet or not stream.isatty()))


def say(message: str) -> None:
    """Print a line on stderr without breaking a progress bar that is being drawn."""
    tqdm.write(message, file=sys.stderr)
