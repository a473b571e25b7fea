"""Ctrl-C as a terminal sends it: to the whole process group, at any moment of a run.

Only the main process answers it (`cli.main`: one line, exit 130). Worker processes (the local
pool, Dask workers, report runs) ignore it from birth: they are forked from a fork server that was
started with SIGINT ignored, and a forked process keeps that; the main process stops them when it
shuts its pool or cluster down. Steps that must not be cut short (starting a worker, a cluster's
start-up and shutdown, publishing files, printing one record) run with the interrupt deferred:
noted, and raised as soon as the step is done.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from multiprocessing import forkserver, resource_tracker
from multiprocessing.context import BaseContext


def _in_main_thread() -> bool:
    """Python runs signal handlers, and raises KeyboardInterrupt, in the main thread only."""
    return threading.current_thread() is threading.main_thread()


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C until the block is done, then deliver it to the handler it would have reached
    (KeyboardInterrupt, or an enclosing deferral).

    A handler, not a blocked signal mask: the kernel hands a process-wide signal to any thread
    that does not block it (Dask and tqdm run threads), and Python would still raise it here.
    """
    if not _in_main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            signal.raise_signal(signal.SIGINT)


def worker_context(preload: Sequence[str] = ()) -> BaseContext:
    """A multiprocessing context whose processes ignore Ctrl-C from their first instruction.

    forkserver where the platform has it: its server is started here with SIGINT ignored, so
    every process forked from it inherits the ignoring (a worker that set it itself could still
    be hit while starting, and print a traceback). `preload` modules are imported once by the
    server, if this call starts it. Elsewhere spawn; its workers need `ignore_interrupts`.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if preload:
        context.set_forkserver_preload(list(preload))
    if _in_main_thread():
        # The resource tracker first: starting it unblocks SIGINT, which would drop a Ctrl-C
        # held below. Blocked as well as ignored, a Ctrl-C in this short window stays pending
        # (unless another thread takes it) and is delivered once the handler is back. The server
        # and its processes are born with it blocked too; `ignore_interrupts` unblocks it.
        resource_tracker.ensure_running()
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, previous)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    return context


def ignore_interrupts() -> None:
    """Worker initializer: leave Ctrl-C to the main process, which shuts the workers down.

    Ignored, and no longer blocked, so the processes a worker starts (a report's kernel) can be
    interrupted by their own parent as usual.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
