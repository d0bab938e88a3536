"""How a command runs its reports: through the one runner (runner.py), in input order, with a
progress count on a terminal; ``outcomes`` for the commands that read a parse's own objects
(coverage, labels), in this process."""

from __future__ import annotations

import sys

from ..corpus import Settings, run
from ..errors import ConfigError
from ..formats.search import check_clashes, configured as configured_dirs
from ..intake.sources import expand
from ..runner import run as run_reports
from .base import Limits, echo, fail_config


def results(paths, files_from, keep, format_name=None, repair=True, jobs: int = 1, history=None, skip=(), cache=None):
    """The runner's result of every report of every input, in input order, over ``jobs`` worker
    processes (``keep``: what of each, see runner.run); a report that takes longer than --timeout is
    abandoned with an RG902 error, and the run goes on. A progress count goes to stderr when it is a
    terminal; an internal error's traceback, with --debug. ``cache``: the result cache (base.cache_for), or None."""
    if jobs < 0:
        fail_config(f"--jobs takes 0 (one worker a core), 1 (this process) or more, not {jobs}")
    progress = Progress()
    try:
        for result in run_reports(paths or (), files_from=files_from, history=history or (), format_name=format_name,
                                  repair=repair, jobs=jobs, timeout=Limits.timeout, max_bytes=Limits.max_bytes,
                                  keep=keep, progress=progress.count, skip=skip, cache=cache):
            progress.hide()  # the caller may write to stderr now
            if Limits.debug and result.debug:
                echo(result.debug, err=True)
            yield result
    except ConfigError as exc:
        fail_config(exc)
    finally:
        progress.end()


def outcomes(paths, files_from, format_name=None, repair=True):
    """(report name, ParseResult or RemitError) for every report of every input, in order, in this process."""
    try:
        inputs = expand(paths, files_from, Limits.max_bytes)
        check_clashes(format_name)
        settings = Settings(format_name, repair, Limits.max_bytes, Limits.timeout, tuple(configured_dirs()))
        for done in run(inputs, _as_is, settings):
            for name, outcome in done:
                if Limits.debug and getattr(outcome, "debug", None):
                    echo(outcome.debug, err=True)
                yield name, outcome
    except ConfigError as exc:
        fail_config(exc)


def _as_is(name: str, outcome):
    return name, outcome


class Progress:
    """``12/120 files`` on stderr, rewritten in place, when stderr is a terminal and there are several."""

    def __init__(self, total: int = 0):
        self.total, self.done = total, 0
        self.terminal = sys.stderr.isatty()

    @property
    def shown(self) -> bool:
        return self.total > 1 and self.terminal

    def count(self, done: int, total: int) -> None:
        """The runner's count: ``done`` inputs of ``total``."""
        self.total, self.done = total, done - 1
        self.step()

    def step(self) -> None:
        """One more input done: the count is shown until ``hide``."""
        self.done += 1
        if self.shown:
            sys.stderr.write(f"\r{self.done}/{self.total} files")
            sys.stderr.flush()

    def hide(self) -> None:
        """Erase the count, so that what is written next on stderr starts a clean line."""
        if self.shown and self.done:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def end(self) -> None:
        self.hide()
