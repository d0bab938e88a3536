"""A corpus run: the reports of many inputs, in worker processes, their results in input order.

Each input (a file, or standard input's bytes) is one task. A worker parses its reports under a
per-report time limit and returns only what the caller asked for of each (``work``: a record, or
findings and a month), so that nothing large crosses between processes. At most a few tasks per
worker are in flight: the inputs are read by the workers, and results wait in order only while an
earlier, slower input is still running, so memory stays flat however long the corpus.
"""

from __future__ import annotations

import collections
import os
import signal
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from .errors import Finding, RemitError
from .formats.search import configure
from .intake.sources import Input
from .pipeline import internal_error, parse_reports

IN_FLIGHT = 4  # tasks per worker submitted ahead: enough to keep it busy, few enough to bound memory


@dataclass(frozen=True)
class Settings:
    """What every report of a run is parsed with (sent to each worker once)."""

    format_name: str | None = None
    repair: bool = True
    max_bytes: int = 64 * 1024 * 1024
    timeout: float = 60.0
    formats_dirs: tuple = ()


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def run(inputs: Iterable[Input], work: Callable, settings: Settings, jobs: int = 1) -> Iterator[list]:
    """For each input, in order, the list of ``work(name, outcome)`` over its reports.

    ``work`` runs where the report was parsed (a worker process when ``jobs`` > 1), so it must be a
    module-level function; what it returns must pickle.

    Raises:
        ConfigError: a format name or spec is wrong (raised by the first report that meets it).
    """
    inputs = list(inputs)
    if min(jobs, len(inputs)) <= 1:  # one input gains nothing from a worker
        for source in inputs:
            yield _task(source, work, settings)
        return
    yield from _parallel(inputs, work, settings, jobs)


def _parallel(inputs: Iterable[Input], work: Callable, settings: Settings, jobs: int) -> Iterator[list]:
    from concurrent.futures.process import BrokenProcessPool  # here: a one-file run need not import it

    pending: collections.deque = collections.deque()  # (input, future), oldest first
    sources = iter(inputs)
    pool = _pool(settings, jobs)
    try:
        while True:
            while len(pending) < jobs * IN_FLIGHT and (source := next(sources, None)) is not None:
                pending.append((source, pool.submit(_task, source, work, settings)))
            if not pending:
                return
            source, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:  # a worker was killed (out of memory, a signal)
                pool.shutdown(cancel_futures=True)
                yield _alone(source, work, settings)
                pool = _pool(settings, jobs)
                pending = collections.deque((s, pool.submit(_task, s, work, settings)) for s, _ in pending)
    finally:
        pool.shutdown(cancel_futures=True)


def _pool(settings: Settings, jobs: int):
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(settings,))


def _alone(source: Input, work: Callable, settings: Settings) -> list:
    """An input whose worker died, run again in a process of its own: it was the cause if that dies too."""
    from concurrent.futures.process import BrokenProcessPool

    with _pool(settings, 1) as pool:
        try:
            return pool.submit(_task, source, work, settings).result()
        except BrokenProcessPool as exc:
            return [work(source.name, internal_error(exc, source.name))]


def _start_worker(settings: Settings) -> None:
    configure(settings.formats_dirs)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _task(source: Input, work: Callable, settings: Settings) -> list:
    """Every report of one input: ``work`` of each, a report over the time limit as an RG902 error."""
    reports = parse_reports(source.name, settings.format_name, settings.repair, data=source.data,
                            max_bytes=settings.max_bytes)
    done = []
    while True:
        try:
            with deadline(settings.timeout):
                name, outcome = next(reports)
        except StopIteration:
            return done
        except TimeoutError:
            outcome = timed_out(source.name, settings.timeout)
            return done + [work(source.name, outcome)]
        done.append(work(name, outcome))


def timed_out(name: str, seconds: float) -> RemitError:
    """The error of a report abandoned after ``seconds``."""
    return RemitError(Finding("RG902", "error", f"the report took longer than {seconds:g} s and was "
                              "abandoned; please report it, with the file", hint="raise the limit with --timeout"),
                      name)


@contextmanager
def deadline(seconds: float):
    """Raise TimeoutError in the block after ``seconds`` (where the platform has SIGALRM)."""
    if not seconds or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
