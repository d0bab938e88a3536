"""The Typer application and what every command shares: formats directories, report paths, exits."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import ConfigError
from ..formats.search import ENV_VAR, configure
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


def setup(formats_dir: Optional[List[Path]]) -> None:
    """Use the formats directories given on the command line."""
    configure(formats_dir or ())


def fail_config(exc: Exception) -> None:
    """A usage or configuration error: one line on stderr, exit 2."""
    typer.echo(f"remitgrammar: configuration error: {exc}", err=True)
    raise typer.Exit(2)


def outcomes(paths, files_from, format_name=None, repair=True):
    """(report name, ParseResult or RemitError) for every report of every input, in order."""
    try:
        inputs = expand(paths, files_from)
    except ConfigError as exc:
        fail_config(exc)
    for source in inputs:
        try:
            yield from parse_reports(source.name, format_name, repair, data=source.data)
        except ConfigError as exc:
            fail_config(exc)
