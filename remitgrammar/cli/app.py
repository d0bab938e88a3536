"""The Typer application and what every command shares: formats directories, report paths, exits."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import sys

import typer

from ..config import find as find_config
from ..corpus import Settings, default_jobs, run
from ..errors import ConfigError
from ..formats.search import ENV_VAR, configure, configured as configured_dirs
from ..intake.read import MAX_BYTES
from ..intake.sources import expand

app = typer.Typer(add_completion=False, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
                  help="Parse trustee remittance reports (SEC Form 8-K exhibits) into canonical records.")

FORMATS_DIR = typer.Option(None, "--formats-dir", metavar="DIR", help=f"A formats directory to search (repeatable); "
                                                       f"also {ENV_VAR}.")
PATHS = typer.Argument(None, metavar="PATHS...", help="Report files, directories (walked for .txt .htm .html .gz and files "
                                  "without a suffix), or - for standard input.", show_default=False)
JOBS = typer.Option(None, "--jobs", "-j", metavar="N", show_default=False,
                    help="Worker processes for a corpus (default 0, or `jobs` of the configuration: one a core, "
                         "never more than the inputs); 1 runs in this process. Output keeps the order of the inputs.")
FILES_FROM = typer.Option(None, "--files-from", metavar="FILE", help="A file listing report paths, one a line (- reads them "
                                                     "from standard input).")


class Limits:
    """The run's global options (set by the app's callback before a command runs)."""

    debug = False
    max_bytes = MAX_BYTES
    timeout = 60.0


def _show_version(shown: bool) -> None:
    if shown:
        from .. import __version__

        typer.echo(f"remitgrammar {__version__}")
        raise typer.Exit(0)


@app.callback()
def _options(version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version,
                                          help="Print the version and exit."),
             debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal error (RG900)."),
             max_mb: float = typer.Option(64.0, "--max-mb", help="Refuse files larger than this many megabytes."),
             timeout: float = typer.Option(60.0, "--timeout", help="Give up on one report after this many seconds "
                                                                   "(RG902); 0 for no limit.")) -> None:
    """Parse trustee remittance reports (SEC Form 8-K exhibits) into canonical records."""
    Limits.debug, Limits.max_bytes, Limits.timeout = debug, int(max_mb * 1024 * 1024), timeout


def setup(formats_dir: Optional[List[Path]]) -> None:
    """Use the formats directories given on the command line."""
    configure(formats_dir or ())


def configured(formats_dir: Optional[List[Path]], jobs: Optional[int]):
    """The project's configuration (config.py), and the formats directories and worker count it gives
    where the command line does not."""
    try:
        config = find_config()
    except ConfigError as exc:
        fail_config(exc)
    setup(formats_dir or list(config.formats_dirs))
    return config, jobs if jobs is not None else (config.jobs if config.jobs is not None else 0)


def fail_config(exc: Exception) -> None:
    """A usage or configuration error: one line on stderr, exit 2."""
    typer.echo(f"remitgrammar: configuration error: {exc}", err=True)
    raise typer.Exit(2)


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
