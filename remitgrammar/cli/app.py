"""The Typer application and what every command shares: formats directories, report paths, exits."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

import signal
from contextlib import contextmanager

from ..errors import ConfigError, Finding, RemitError
from ..formats.search import ENV_VAR, configure
from ..intake.read import MAX_BYTES
from ..intake.sources import expand
from ..pipeline import parse_reports

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Parse trustee remittance reports (SEC Form 8-K exhibits) into canonical records.")

FORMATS_DIR = typer.Option(None, "--formats-dir", help=f"A formats directory to search (repeatable); "
                                                       f"also {ENV_VAR}.")
PATHS = typer.Argument(None, help="Report files, directories (walked for .txt .htm .html .gz and files "
                                  "without a suffix), or - for standard input.", show_default=False)
FILES_FROM = typer.Option(None, "--files-from", help="A file listing report paths, one a line (- reads them "
                                                     "from standard input).")


class Limits:
    """The run's global options (set by the app's callback before a command runs)."""

    debug = False
    max_bytes = MAX_BYTES
    timeout = 60.0


@app.callback()
def _options(debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal error (RG900)."),
             max_mb: float = typer.Option(64.0, "--max-mb", help="Refuse files larger than this many megabytes."),
             timeout: float = typer.Option(60.0, "--timeout", help="Give up on one report after this many seconds "
                                                                   "(RG902); 0 for no limit.")) -> None:
    """Parse trustee remittance reports (SEC Form 8-K exhibits) into canonical records."""
    Limits.debug, Limits.max_bytes, Limits.timeout = debug, int(max_mb * 1024 * 1024), timeout


def setup(formats_dir: Optional[List[Path]]) -> None:
    """Use the formats directories given on the command line."""
    configure(formats_dir or ())


def fail_config(exc: Exception) -> None:
    """A usage or configuration error: one line on stderr, exit 2."""
    typer.echo(f"remitgrammar: configuration error: {exc}", err=True)
    raise typer.Exit(2)


def outcomes(paths, files_from, format_name=None, repair=True):
    """(report name, ParseResult or RemitError) for every report of every input, in order; a report
    that takes longer than --timeout is abandoned with an RG902 finding, and the run goes on."""
    try:
        inputs = expand(paths, files_from, Limits.max_bytes)
    except ConfigError as exc:
        fail_config(exc)
    for source in inputs:
        reports = parse_reports(source.name, format_name, repair, data=source.data, max_bytes=Limits.max_bytes)
        while True:
            try:
                with deadline(Limits.timeout):
                    name, outcome = next(reports)
            except StopIteration:
                break
            except ConfigError as exc:
                fail_config(exc)
            except TimeoutError:
                yield source.name, timed_out(source.name)
                break
            if Limits.debug and getattr(outcome, "debug", None):
                typer.echo(outcome.debug, err=True)
            yield name, outcome


def timed_out(name: str) -> RemitError:
    return RemitError(Finding("RG902", "error", f"the report took longer than {Limits.timeout:g} s and was "
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
