"""How a command runs its reports: inputs expanded, reports parsed in worker processes, in input order,
with a progress count on a terminal."""

from __future__ import annotations

import sys

from ..corpus import Settings, default_jobs, run
from ..errors import ConfigError
from ..formats.search import check_clashes, configured as configured_dirs
from ..intake.sources import expand
from .app import Limits, fail_config

import typer


def results(paths, files_from, work, format_name=None, repair=True, jobs: int = 1):
    """``work(name, outcome)`` of every report of every input, in input order, over ``jobs`` worker
    processes; a report that takes longer than --timeout is abandoned with an RG902 error, and the run
    goes on. A progress count goes to stderr when it is a terminal."""
    try:
        inputs = expand(paths, files_from, Limits.max_bytes)
    except ConfigError as exc:
        fail_config(exc)
    if jobs < 0:
        fail_config(f"--jobs takes 0 (one worker a core), 1 (this process) or more, not {jobs}")
    try:
        check_clashes(format_name)  # before any worker starts: two formats of one name are the user's to settle
    except ConfigError as exc:
        fail_config(exc)
    settings = Settings(format_name, repair, Limits.max_bytes, Limits.timeout, configured_dirs())
    progress = Progress(len(inputs))
    try:
        for done in run(inputs, work, settings, jobs or default_jobs()):
            progress.hide()  # the caller may write to stderr now
            yield from done
            progress.step()
    except ConfigError as exc:
        fail_config(exc)
    finally:
        progress.end()


def outcomes(paths, files_from, format_name=None, repair=True):
    """(report name, ParseResult or RemitError) for every report of every input, in order, in this process."""
    for name, outcome in results(paths, files_from, _as_is, format_name, repair):
        if Limits.debug and getattr(outcome, "debug", None):
            typer.echo(outcome.debug, err=True)
        yield name, outcome


def _as_is(name: str, outcome):
    return name, outcome


class Progress:
    """``12/120 files`` on stderr, rewritten in place, when stderr is a terminal and there are several."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self.shown = total > 1 and sys.stderr.isatty()

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
