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
from . import baseline as baselines
from .pipeline import check_path, parse_path
from .report import SEVERITIES, at_or_above, render
from .formats import all_formats, configure

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


OUTPUT_FORMATS = ("human", "json", "github", "junit")


@app.command()
def check(
    files: List[Path] = typer.Argument(..., help="Report files (.txt)."),
    output_format: str = typer.Option("human", "--output-format", help="human, json, github or junit."),
    fail_on: str = typer.Option("error", "--fail-on", help="Exit 1 on findings at or above: info, warning, error."),
    format_name: Optional[str] = typer.Option(None, "--format", help="Force a format (see `formats`)."),
    no_repair: bool = typer.Option(False, "--no-repair", help="Keep values under shifted labels as printed."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings not in this file."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record today's findings here."),
) -> None:
    """Parse reports, run every rule, and report what does not add up.

    Exit 0 when no finding is at or above --fail-on, 1 otherwise, 2 for usage errors.
    """
    if output_format not in OUTPUT_FORMATS or fail_on not in SEVERITIES:
        typer.echo(f"remitgrammar: --output-format takes {', '.join(OUTPUT_FORMATS)}; "
                   f"--fail-on takes {', '.join(SEVERITIES)}", err=True)
        raise typer.Exit(2)
    try:
        results = [(str(path), check_path(path, format_name, repair=not no_repair)) for path in files]
        if baseline is not None:
            results = baselines.only_new(results, baselines.load(baseline))
    except ConfigError as exc:
        _fail_config(exc)
    if write_baseline is not None:
        count = baselines.write(write_baseline, results)
        typer.echo(f"remitgrammar: wrote {count} finding(s) to {write_baseline}", err=True)
    sys.stdout.write(render(results, output_format, fail_on))
    if any(at_or_above(f.severity, fail_on) for _, findings in results for f in findings):
        raise typer.Exit(1)


@app.command()
def rules(markdown: bool = typer.Option(False, "--markdown", help="Write docs/rules.md's text.")) -> None:
    """List the rules of `check`: code, severity, what each checks and the tolerance it allows."""
    from .rulesdoc import rules_markdown, rules_text
    typer.echo(rules_markdown() if markdown else rules_text(), nl=False)


@app.command()
def formats() -> None:
    """List the known formats, the grammar of each and the sample it was built from."""
    try:
        specs = all_formats()
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
