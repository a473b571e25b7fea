"""Ctrl-C as a terminal sends it: to the whole process group, at any moment of a run.

Only the main process answers it (`cli.main`: one line, exit 130). Its handler (`handling`)
raises `Interrupted` and also notes the request, so an interrupt is never lost: a
KeyboardInterrupt swallowed on its way up (by a `__del__`, a finalizer, a library's broad
`except`) still stops the run at the next `check`, which comes before anything is published and
when the command ends.

Worker processes (the local pool, Dask workers, report runs) never answer it: they are forked
from a fork server started with SIGINT blocked, start with it blocked, and ignore it in their
initializer; the main process stops them when it shuts its pool or cluster down. Steps that must
not be cut short (starting a worker, a cluster's start-up and shutdown, publishing files,
printing one record) run with the interrupt deferred: noted, and raised once the step is done.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext


class Interrupted(KeyboardInterrupt):
    """Ctrl-C in a research_kit run (`except KeyboardInterrupt` catches it).

    A subclass on purpose: CPython kills itself with SIGINT at exit (status -2, not 130) once a
    plain KeyboardInterrupt has escaped any code it ran through its PyRun API (scipy's imports
    do), even when the program caught it later; it checks for that exact class only.
    """


_requested = False
"""A Ctrl-C came while `handling` was on (the API outside a command never stops on an old one)."""
_handling = False


def _note(number: int, frame: FrameType | None) -> None:
    """Note the request, and silence logging: what libraries log while the run unwinds (a
    kernel client's "Kernel died", asyncio's unretrieved task) is not news to the user, who is
    told in one line."""
    global _requested
    if _handling:
        _requested = True
        logging.disable(logging.CRITICAL)


def _interrupt(number: int, frame: FrameType | None) -> None:
    _note(number, frame)
    raise Interrupted


def _run_pending_handlers() -> None:
    """Run the Python handler of a signal already received: when another thread took it, the
    main thread may not notice for a long time on its own."""
    signal.pthread_sigmask(signal.SIG_BLOCK, ())


def requested() -> bool:
    """Whether Ctrl-C came since `handling` began."""
    if _in_main_thread():
        _run_pending_handlers()
    return _requested


def check() -> None:
    """Raise `Interrupted` if Ctrl-C came, even if its KeyboardInterrupt was swallowed."""
    if requested():
        raise Interrupted


@contextmanager
def handling() -> Iterator[None]:
    """Answer Ctrl-C with `Interrupted` for the block (a command), forgetting the interrupts of
    earlier commands (the API may run several in one process). Nested blocks change nothing."""
    global _requested, _handling
    if not _in_main_thread() or _handling:
        yield
        return
    previous = signal.signal(signal.SIGINT, _interrupt)
    previous_hook = sys.unraisablehook

    def unraisable(info: sys.UnraisableHookArgs) -> None:
        """A Ctrl-C raised in a finalizer is not printed: it is noted, and `check` raises it."""
        if not issubclass(info.exc_type, KeyboardInterrupt):
            previous_hook(info)

    _requested, _handling = False, True
    sys.unraisablehook = unraisable
    logging_level = logging.root.manager.disable
    try:
        yield
    finally:
        _handling = False
        sys.unraisablehook = previous_hook
        signal.signal(signal.SIGINT, previous)
        logging.disable(logging_level)


def _in_main_thread() -> bool:
    """Python runs signal handlers, and raises KeyboardInterrupt, in the main thread only."""
    return threading.current_thread() is threading.main_thread()


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C until the block is done, then deliver it to the handler it would have reached
    (`Interrupted` or KeyboardInterrupt, or an enclosing deferral).

    A handler, not a blocked signal mask: the kernel hands a process-wide signal to any thread
    that does not block it (Dask and tqdm run threads), and Python would still raise it here.
    """
    if not _in_main_thread():
        yield
        return
    caught: list[int] = []

    def hold(number: int, frame: FrameType | None) -> None:
        _note(number, frame)
        caught.append(number)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        _run_pending_handlers()
        signal.signal(signal.SIGINT, previous)
        if caught:
            if previous is _interrupt:
                raise Interrupted
            signal.raise_signal(signal.SIGINT)


def worker_context(preload: Sequence[str] = ()) -> BaseContext:
    """A multiprocessing context whose processes never answer Ctrl-C.

    forkserver where the platform has it: its server is started here with SIGINT blocked, and
    every process forked from it is born with it blocked (a worker that blocked it itself could
    still be hit while starting, and print a traceback) until `ignore_interrupts`. `preload`
    modules are imported once by the server, if this call starts it. Elsewhere spawn; its
    workers need `ignore_interrupts` too.
    """
    import multiprocessing
    from multiprocessing import forkserver, resource_tracker

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if preload:
        context.set_forkserver_preload(list(preload))
    if _in_main_thread():
        # The resource tracker first: starting it unblocks SIGINT. Blocked here, a Ctrl-C stays
        # pending (or another thread takes it) and reaches this process's handler once the mask
        # is restored; the handler is left alone, as ignoring a pending signal discards it.
        resource_tracker.ensure_running()
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            forkserver.ensure_running()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    return context


def ignore_interrupts() -> None:
    """Worker initializer: leave Ctrl-C to the main process, which shuts the workers down.

    Ignored (which drops one already pending), then no longer blocked, so the processes a worker
    starts (a report's kernel) can be interrupted by their own parent as usual.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
