"""The command line: a thin layer over the pipeline. The only module that prints or exits.

Exit codes: 0 clean, 1 the input has problems, 2 usage or configuration error.
Data goes to stdout, diagnostics to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .emit import to_json
from .errors import ConfigError, RemitError
from .pipeline import parse_path
from .specs import builtin_formats

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Parse trustee remittance reports (SEC Form 8-K exhibits) into canonical records.")


def _fail_config(exc: Exception) -> None:
    typer.echo(f"remitgrammar: configuration error: {exc}", err=True)
    raise typer.Exit(2)


@app.command()
def parse(
    files: List[Path] = typer.Argument(..., help="Report files (.txt)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write JSON here instead of stdout."),
    format_name: Optional[str] = typer.Option(None, "--format", help="Force a format (see `formats`)."),
    provenance: bool = typer.Option(False, "--provenance", help="Add each value's line, column and text."),
    compact: bool = typer.Option(False, "--compact", help="One line of JSON per record."),
    no_repair: bool = typer.Option(False, "--no-repair", help="Keep values under shifted labels as printed."),
) -> None:
    """Parse reports and write their canonical JSON records.

    One file gives one JSON object; several give a JSON array. Files that cannot
    be parsed are reported on stderr and the exit code is 1.
    """
    records, failed = [], 0
    for path in files:
        try:
            result = parse_path(path, format_name, repair=not no_repair)
        except RemitError as exc:
            typer.echo(exc.render(), err=True)
            failed += 1
            continue
        except ConfigError as exc:
            _fail_config(exc)
        record = result.record
        if provenance:
            record = {**record, "provenance": result.provenance}
        records.append(record)
    if records:
        payload = records[0] if len(files) == 1 else records
        text = to_json(payload, indent=None if compact else 2) + "\n"
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    if failed:
        typer.echo(f"remitgrammar: {failed} of {len(files)} file(s) could not be parsed", err=True)
        raise typer.Exit(1)


@app.command()
def formats() -> None:
    """List the known formats, the grammar of each and the sample it was built from."""
    try:
        specs = builtin_formats()
    except ConfigError as exc:
        _fail_config(exc)
    for spec in specs:
        typer.echo(f"{spec.name}\n  {spec.description}\n  grammar: {spec.grammar_path.name}"
                   f"\n  sample:  {spec.sample}")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """Entry point of the ``remitgrammar`` command."""
    app(prog_name="remitgrammar")
