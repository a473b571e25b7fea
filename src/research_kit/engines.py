"""Engines: run the per-article pipeline over a corpus serially, on local processes, or on Dask.

Every engine calls the same `pipeline.analyze_item` on the same documents and yields the results
in corpus order, so `--jobs 4` and `--engine dask` give exactly the records of the serial run.
The calling process reads the corpus and consumes the results (the writers stream); workers only
analyse. Parallel engines:

- send documents in chunks of `CHUNK_SIZE`, so one message carries a few hundred milliseconds of
  work and pickling and queueing stay a small share of the cost;
- give each worker the cleaning rules and lexicon once (process initializer, Dask broadcast), not
  once per article;
- keep at most `IN_FLIGHT_PER_WORKER` chunks per worker submitted and not yet consumed, so memory
  is bounded however large the corpus, and a slow consumer slows reading instead of piling up.
"""

from __future__ import annotations

import logging
import warnings
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from .clean import CleaningRules, load_rules
from .errors import ResearchKitError
from .interrupts import ignore_interrupts, interrupts_deferred, worker_context
from .lexicon import Lexicon, load_lexicon
from .load import Document, iter_documents
from .pipeline import analyze_item
from .quotes import Rules as QuoteRules
from .quotes import load_rules as load_quote_rules

ENGINES = ("local", "dask")
CHUNK_SIZE = 32
"""Articles per task: about 0.3 s of work at ~10 ms per article."""
IN_FLIGHT_PER_WORKER = 4
DASK_MISSING = (
    "the dask engine needs the optional dependencies: pip install 'research_kit[dask]'"
)

Item = Document | ResearchKitError
Result = dict[str, Any] | ResearchKitError
Results = Generator[Result, None, None]
"""A stream of results; `close()` it (e.g. `contextlib.closing`) when stopping early, so worker
pools shut down in the caller's thread rather than whenever the garbage collector runs."""


class _Future(Protocol):
    def result(self) -> list[Result]: ...


def analyze_chunk(
    items: Sequence[Item], rules: CleaningRules, lexicon: Lexicon, quote_rules: QuoteRules
) -> list[Result]:
    """Results of a chunk of loaded items, in order: the unit of work of the parallel engines."""
    return [analyze_item(item, rules, lexicon, quote_rules) for item in items]


_worker_context: tuple[CleaningRules, Lexicon, QuoteRules] | None = None


def _init_worker(rules: CleaningRules, lexicon: Lexicon, quote_rules: QuoteRules) -> None:
    """Unpickle the rules and lexicon once per worker process.

    Workers ignore Ctrl-C (`interrupts`): the parent alone handles it, stops submitting and shuts
    the pool down, so no worker prints a traceback.
    """
    global _worker_context
    ignore_interrupts()
    _worker_context = (rules, lexicon, quote_rules)


def _analyze_in_worker(items: Sequence[Item]) -> list[Result]:
    assert _worker_context is not None, "worker started without _init_worker"
    return analyze_chunk(items, *_worker_context)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _in_order(futures: Iterator[_Future], window: int) -> Results:
    """Results of lazily submitted futures in submission order, at most `window` outstanding."""
    pending: deque[_Future] = deque()
    for future in futures:
        pending.append(future)
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def _run_processes(
    chunks: Iterator[list[Item]],
    rules: CleaningRules,
    lexicon: Lexicon,
    quote_rules: QuoteRules,
    jobs: int,
) -> Results:
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=worker_context(["research_kit.pipeline"]),
        initializer=_init_worker,
        initargs=(rules, lexicon, quote_rules),
    )

    def submit(chunk: list[Item]) -> _Future:
        # A submit may start a worker: cut short, the worker reads a truncated start-up message.
        with interrupts_deferred():
            return pool.submit(_analyze_in_worker, chunk)

    try:
        yield from _in_order(map(submit, chunks), jobs * IN_FLIGHT_PER_WORKER)
    except BrokenProcessPool:
        raise ResearchKitError(
            "a worker process died (out of memory or killed); rerun with fewer --jobs"
        ) from None
    finally:
        with interrupts_deferred():
            pool.shutdown(wait=True, cancel_futures=True)


def _distributed() -> Any:
    try:
        with interrupts_deferred():  # a half-imported distributed can log at exit
            import distributed
    except ImportError:
        raise ResearchKitError(DASK_MISSING) from None
    return distributed


@contextmanager
def _logging_off() -> Iterator[None]:
    """No logging at all while a cluster is torn down: closed early (an interrupt, --strict), its
    scheduler, nanny, comms and event loop log closed connections and heartbeat errors, with
    tracebacks; none of it is news to the user (a task's failure reaches us through its future)."""
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(previous)


def _run_dask(
    chunks: Iterator[list[Item]],
    rules: CleaningRules,
    lexicon: Lexicon,
    quote_rules: QuoteRules,
    jobs: int,
    scheduler: str | None,
) -> Results:
    distributed = _distributed()
    import dask

    stack = ExitStack()
    try:
        # Start-up is never cut short by a Ctrl-C (that arrives once all is up).
        with interrupts_deferred():
            client = _dask_client(stack, distributed, dask, jobs, scheduler)
            shared = client.scatter([rules, lexicon, quote_rules], broadcast=True)
            workers = max(1, sum(client.nthreads().values()))

        def submit(chunk: list[Item]) -> _Future:
            with interrupts_deferred():
                return client.submit(analyze_chunk, chunk, *shared, pure=False)

        yield from _in_order(map(submit, chunks), workers * IN_FLIGHT_PER_WORKER)
    finally:
        with interrupts_deferred(), _logging_off():
            stack.close()


def _dask_client(stack: ExitStack, distributed: Any, dask: Any, jobs: int,
                 scheduler: str | None) -> Any:
    """A client of the scheduler at `scheduler`, or of a new LocalCluster whose workers ignore
    Ctrl-C: they are forked from the fork server of `interrupts.worker_context`."""
    if scheduler:
        try:
            return stack.enter_context(distributed.Client(scheduler, timeout="10s"))
        except (OSError, TimeoutError, ValueError) as exc:
            raise ResearchKitError(
                f"cannot connect to the Dask scheduler ({' '.join(str(exc).split())})",
                scheduler,
            ) from None
    worker_context(["research_kit.pipeline"])
    stack.enter_context(dask.config.set({"distributed.worker.multiprocessing-method":
                                         "forkserver"}))
    # Its logs are noise to the user (see _logging_off), and so is its scheduler's health-check
    # server moving off a busy port 8787.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        cluster = stack.enter_context(distributed.LocalCluster(
            n_workers=jobs, threads_per_worker=1, dashboard_address=None,
            silence_logs=logging.CRITICAL,
        ))
    return stack.enter_context(distributed.Client(cluster))


def run_engine(
    items: Iterable[Item],
    *,
    rules: CleaningRules,
    lexicon: Lexicon,
    quote_rules: QuoteRules | None = None,
    engine: str = "local",
    jobs: int = 1,
    scheduler: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Results:
    """Analyse loaded items on an engine; one result per item, in order, errors in place.

    `jobs` is the number of worker processes (local) or of workers in the default Dask
    LocalCluster; `scheduler` is the address of a running Dask scheduler instead. Bad settings
    raise at once, before any work starts.
    """
    if engine not in ENGINES:
        raise ResearchKitError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if jobs < 1:
        raise ResearchKitError(f"jobs must be at least 1, not {jobs}")
    if chunk_size < 1:
        raise ResearchKitError(f"chunk size must be at least 1, not {chunk_size}")
    if scheduler and engine != "dask":
        raise ResearchKitError("a scheduler address needs the dask engine (--engine dask)")
    quote_rules = quote_rules or load_quote_rules()
    if engine == "dask":
        _distributed()  # fail now, with one line, if the optional dependency is missing
        return _run_dask(_chunks(items, chunk_size), rules, lexicon, quote_rules, jobs, scheduler)
    if jobs == 1:
        return (analyze_item(item, rules, lexicon, quote_rules) for item in items)
    return _run_processes(_chunks(items, chunk_size), rules, lexicon, quote_rules, jobs)


def analyze_corpus(
    paths: Iterable[str | Path],
    *,
    rules: CleaningRules | None = None,
    lexicon: Lexicon | None = None,
    text_column: str | None = None,
    engine: str = "local",
    jobs: int = 1,
    scheduler: str | None = None,
    quote_rules: QuoteRules | None = None,
) -> Results:
    """`pipeline.iter_records` on any engine: the records of a corpus, streamed, in corpus order."""
    return run_engine(
        iter_documents(paths, text_column=text_column),
        rules=rules or load_rules(),
        lexicon=lexicon or load_lexicon(),
        quote_rules=quote_rules,
        engine=engine,
        jobs=jobs,
        scheduler=scheduler,
    )
