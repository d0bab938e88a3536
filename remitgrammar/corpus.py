"""A corpus run: the reports of many inputs, in worker processes, their results in input order.

Each input (a file, or standard input's bytes) is one task. A worker parses its reports under a
per-report time limit and returns only what the caller asked for of each (``work``: a record, or
findings and a month), so that nothing large crosses between processes. At most a few tasks per
worker are in flight: the inputs are read by the workers, and results wait in order only while an
earlier, slower input is still running, so memory stays flat however long the corpus. With a result
cache (cache.Memo) each input is read here instead, looked up, and sent with its bytes only when the
cache lacks it, so that no file is read twice.
"""

from __future__ import annotations

import collections
import gc
import os
import signal
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .alarm import alarm
from .errors import ConfigError, Finding, RemitError
from .formats.search import configure
from .intake.sources import Input
from .pipeline import internal_error, parse_reports

if TYPE_CHECKING:  # imported where a pool starts: a one-file run need not import it
    from concurrent.futures import ProcessPoolExecutor

IN_FLIGHT = 4  # inputs per worker submitted ahead: enough to keep it busy, few enough to bound memory


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


MAX_JOBS = 256  # worker processes at most: each holds pipes and a parser; more only exhausts descriptors


def run(inputs: Iterable[Input], work: Callable, settings: Settings, jobs: int = 1, memo=None) -> Iterator[list]:
    """For each input, in order, the list of ``work(name, outcome)`` over its reports.

    ``work`` runs where the report was parsed (a worker process when ``jobs`` > 1), so it must be a
    module-level function; what it returns must pickle. No more workers start than there are inputs.
    ``memo`` (cache.Memo), when given, is asked first, here, for each input's list (``recall``: the
    input with its bytes read, and the list or None); a list it lacks is parsed and given to it
    (``remember``).

    Raises:
        ConfigError: a format name or spec is wrong (raised by the first report that meets it).
    """
    inputs = list(inputs)
    jobs = min(jobs, len(inputs), MAX_JOBS)
    if jobs <= 1:  # one input gains nothing from a worker
        for source in inputs:
            found = None
            if memo is not None:
                source, found = memo.recall(source)
            if found is None:
                found = _task(source, work, settings)
                if memo is not None:
                    memo.remember(source, found)
            yield found
        return
    yield from _Pool(work, settings, jobs, memo).results(inputs)


class _Ready:
    """A list the memo held, in the queue of futures as one that is done."""

    def __init__(self, value: list):
        self.value = value

    def result(self) -> list:
        return self.value

    def done(self) -> bool:
        return True

    def cancelled(self) -> bool:
        return False

    def exception(self) -> None:
        return None


class _Pool:
    """Worker processes with at most IN_FLIGHT inputs each queued, replaced when one dies."""

    def __init__(self, work: Callable, settings: Settings, jobs: int, memo=None):
        self.work, self.settings, self.jobs, self.memo = work, settings, jobs, memo
        self.executor: ProcessPoolExecutor | None = None
        self.unsent: list = []  # an input taken from the corpus that no pool has accepted yet

    def results(self, inputs: list) -> Iterator[list]:
        from concurrent.futures.process import BrokenProcessPool  # here: a one-file run need not import it

        pending: collections.deque = collections.deque()  # (input, future), oldest first
        sources = iter(inputs)
        finished = False
        try:
            while True:
                try:
                    while len(pending) < self.jobs * IN_FLIGHT and (source := self._next(sources)) is not None:
                        pending.append(self._sent(source))
                    if not pending:
                        finished = True
                        return
                    result = pending[0][1].result()
                except BrokenProcessPool:  # a worker was killed (out of memory, a signal)
                    yield from self._salvage(pending)
                    continue
                source, future = pending.popleft()
                if self.memo is not None and not isinstance(future, _Ready):
                    self.memo.remember(source, result)
                yield result
        finally:
            self._stop(abandon=not finished)

    def _sent(self, source: Input) -> tuple:
        """(input, its future): what the memo holds of it, or a worker's task."""
        if self.memo is not None:
            source, found = self.memo.recall(source)
            if found is not None:
                return source, _Ready(found)
        return source, self._submit(source)

    def _next(self, sources: Iterator[Input]) -> Input | None:
        return self.unsent.pop() if self.unsent else next(sources, None)

    def _submit(self, source: Input):
        if self.executor is None:
            self.executor = _executor(self.jobs, self.settings)
        try:
            return self.executor.submit(_task, source, self.work, self.settings)
        except OSError as exc:  # out of processes or file descriptors: a limit of this machine
            raise ConfigError(f"cannot start {self.jobs} worker processes ({exc.strerror or exc}); "
                              "give fewer with --jobs") from None
        except BaseException:  # a pool a worker's death broke refuses work: the input waits for the next pool
            self.unsent.append(source)
            raise

    def _salvage(self, pending: collections.deque) -> Iterator[list]:
        """After a worker died: the results that were done, and every other input in flight run again
        alone, each in a process of its own (an input whose process dies again is the cause)."""
        self._stop()
        while pending:
            source, future = pending.popleft()
            if future.done() and not future.cancelled() and future.exception() is None:
                yield future.result()
            else:
                yield _alone(source, self.work, self.settings)

    def _stop(self, abandon: bool = True) -> None:
        """Stop the workers: idle ones are let go; when inputs are abandoned (Ctrl-C, a write error, a
        worker's death) queued inputs are dropped and running ones killed, not waited for."""
        if self.executor is not None:
            _shut(self.executor, abandon)
        self.executor = None


_LIVE: set = set()  # executors not yet shut down: stopped before the interpreter's own exit handlers run


def _executor(jobs: int, settings: Settings) -> ProcessPoolExecutor:
    from concurrent.futures import ProcessPoolExecutor

    if not _LIVE:
        _stop_at_exit()
    executor = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(settings, os.getpid()))
    _LIVE.add(executor)
    return executor


def _shut(executor, abandon: bool) -> None:
    """Shut an executor down and join its manager thread, so that nothing of it runs at exit.

    A pool only shut down with ``wait=False`` leaves its manager thread running: at exit
    concurrent.futures wakes it through a pipe it may be closing (``OSError: Bad file descriptor``),
    and a worker terminated while it holds the task queue's lock leaves the others, and so the
    exit, waiting forever. So abandoned workers are killed first, then the thread is joined.
    """
    if executor not in _LIVE:  # shut already (at exit, before a generator's cleanup came to it)
        return
    _LIVE.discard(executor)
    thread = getattr(executor, "_executor_manager_thread", None)  # no public way in 3.11
    processes = list((getattr(executor, "_processes", None) or {}).values())
    results = getattr(executor, "_result_queue", None)  # shutdown() lets go of it: taken first
    if not abandon:
        executor.shutdown(wait=True)
        return
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(JOIN_SECONDS)
    _close_results(results)
    if thread is not None:
        thread.join(JOIN_SECONDS)


def _close_results(results) -> None:
    """Close this process's end for writing of the pool's result pipe. A worker killed while it wrote a
    result leaves the manager thread waiting for the rest of the message; with every writer gone the
    read ends (EOF), the thread sees a broken pool and stops, and the exit does not wait for it forever."""
    writer = getattr(results, "_writer", None)  # no public way in 3.11
    try:
        if writer is not None:
            writer.close()
    except OSError:
        pass


JOIN_SECONDS = 10.0  # a killed worker or a manager thread ends in milliseconds; this only bounds a wait that would hang


def _stop_at_exit() -> None:
    """Stop live pools before concurrent.futures' own exit handler joins their threads (handlers
    registered this way run last registered first; atexit would run too late, after the joins)."""
    import concurrent.futures.process  # noqa: F401  (its handler registered before ours)
    import threading

    register = getattr(threading, "_register_atexit", None)
    if register is not None and not _OWNER:
        register(_stop_all)
        _OWNER.append(os.getpid())


_OWNER: list = []  # the process that registered _stop_all: a forked worker inherits the handler, not the pools


def _stop_all() -> None:
    if _OWNER and _OWNER[0] != os.getpid():
        return
    for executor in list(_LIVE):
        _shut(executor, abandon=True)


def _alone(source: Input, work: Callable, settings: Settings) -> list:
    """An input whose worker died, run again in a process of its own: it was the cause if that dies too."""
    from concurrent.futures.process import BrokenProcessPool

    pool, finished = _executor(1, settings), False
    try:
        result = pool.submit(_task, source, work, settings).result()
        finished = True
        return result
    except BrokenProcessPool as exc:
        finished = True
        return [work(source.name, internal_error(exc, source.name))]
    finally:
        _shut(pool, abandon=not finished)


def _start_worker(settings: Settings, parent: int) -> None:
    _LIVE.clear()  # the parent's pools, copied by fork: not this process's to stop
    configure(settings.formats_dirs)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the workers itself
    _end_with(parent)


def _end_with(parent: int) -> None:
    """End this worker when its parent dies, however it dies (SIGKILL runs none of its handlers).

    On Linux the kernel sends SIGKILL at the parent's death (PR_SET_PDEATHSIG); everywhere, a thread
    polls the parent's id, which changes when the parent is gone (the worker is re-parented).
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError, TypeError):  # not Linux, or no libc to ask: the thread alone
        pass
    if os.getppid() != parent:  # the parent died before the kernel was told
        os._exit(1)
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_SECONDS = 0.5  # how soon a worker notices its parent is gone where the kernel does not tell it


def _task(source: Input, work: Callable, settings: Settings) -> list:
    """Every report of one input: ``work`` of each, a report over the time limit as an RG902 error."""
    if source.problem is not None:  # a directory that could not be walked: its finding is the outcome
        return [work(source.name, RemitError(source.problem, source.name))]
    reports = parse_reports(source.name, settings.format_name, settings.repair, data=source.data,
                            max_bytes=settings.max_bytes)
    done: list = []
    collecting = gc.isenabled()
    try:
        while True:
            try:
                with deadline(settings.timeout):
                    name, outcome = next(reports)
            except StopIteration:
                return done
            except TimeoutError:
                return done + [work(source.name, timed_out(source.name, settings.timeout))]
            done.append(work(name, outcome))
    finally:
        if collecting:  # the time limit may strike while parsing has the collector paused
            gc.enable()


def timed_out(name: str, seconds: float) -> RemitError:
    """The error of a report abandoned after ``seconds``."""
    return RemitError(Finding("RG902", "error", f"the report took longer than {seconds:g} s and was "
                              "abandoned; please report it, with the file", hint="raise the limit with --timeout"),
                      name)


def deadline(seconds: float):
    """Raise TimeoutError in the block after ``seconds`` (where the platform has SIGALRM)."""
    return alarm(seconds)
