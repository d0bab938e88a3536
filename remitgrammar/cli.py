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
from .check import baseline as baselines
from .emit.json_record import to_json
from .errors import ConfigError, RemitError
from .formats.search import ENV_VAR, all_formats, configure
from .pipeline import check_path, parse_path
from .check.report import SEVERITIES, at_or_above, render

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Parse trustee remittance reports (SEC Form 8-K exhibits) into canonical records.")

FORMATS_DIR = typer.Option(None, "--formats-dir", help=f"A formats directory to search (repeatable); "
                                                       f"also {ENV_VAR}.")
OUTPUT_FORMATS = ("human", "json", "github", "junit")


def _setup(formats_dir: Optional[List[Path]]) -> None:
    configure(formats_dir or ())


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
    formats_dir: Optional[List[Path]] = FORMATS_DIR,
) -> None:
    """Parse reports and write their canonical JSON records.

    One file gives one JSON object; several give a JSON array. Files that cannot
    be parsed are reported on stderr and the exit code is 1.
    """
    _setup(formats_dir)
    records, failed = [], 0
    for path in files:
        try:
            result = parse_path(path, format_name, repair=not no_repair)
        except RemitError as exc:
            typer.echo(exc.render(), err=True)
            failed += 1
            if exc.result is None:
                continue
            result = exc.result  # the sections that parsed still give their part of the record
        except ConfigError as exc:
            _fail_config(exc)
        records.append({**result.record, "provenance": result.provenance} if provenance else result.record)
    if records:
        text = to_json(records[0] if len(files) == 1 else records, indent=None if compact else 2) + "\n"
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    if failed:
        typer.echo(f"remitgrammar: {failed} of {len(files)} file(s) could not be parsed in full", err=True)
        raise typer.Exit(1)


@app.command()
def check(
    files: List[Path] = typer.Argument(..., help="Report files (.txt)."),
    output_format: str = typer.Option("human", "--output-format", help="human, json, github or junit."),
    fail_on: str = typer.Option("error", "--fail-on", help="Exit 1 on findings at or above: info, warning, error."),
    format_name: Optional[str] = typer.Option(None, "--format", help="Force a format (see `formats`)."),
    no_repair: bool = typer.Option(False, "--no-repair", help="Keep values under shifted labels as printed."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings not in this file."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record today's findings here."),
    formats_dir: Optional[List[Path]] = FORMATS_DIR,
) -> None:
    """Parse reports, run every rule, and report what does not add up.

    Exit 0 when no finding is at or above --fail-on, 1 otherwise, 2 for usage errors.
    """
    _setup(formats_dir)
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
def detect(file: Path = typer.Argument(..., help="A report file."),
           formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """Rank the formats a report could be in, and say why each matched or not."""
    from .detect.detection import explain
    from .intake.read import decode
    _setup(formats_dir)
    try:
        text = decode(file.read_bytes(), str(file))
        ranked = explain(text)
    except OSError as exc:
        typer.echo(f"{file}: RG100 error: cannot read the file: {exc.strerror}", err=True)
        raise typer.Exit(1)
    except RemitError as exc:
        typer.echo(exc.render(), err=True)
        raise typer.Exit(1)
    except ConfigError as exc:
        _fail_config(exc)
    for candidate in ranked:
        verdict = "MATCH" if candidate.matches else "no"
        typer.echo(f"{verdict:5} {candidate.spec.name}: {candidate.why()}")
    if not (ranked and ranked[0].matches):
        raise typer.Exit(1)


@app.command()
def labels(file: Path = typer.Argument(..., help="A report file."),
           unmapped: bool = typer.Option(False, "--unmapped", help="Show only labels no spec maps."),
           format_name: Optional[str] = typer.Option(None, "--format", help="Force a format."),
           formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """List every label and column heading with the canonical field it maps to, or UNMAPPED."""
    from .formats.labels import label_rows, render as render_labels
    _setup(formats_dir)
    failed = False
    try:
        result = parse_path(file, format_name)
    except RemitError as exc:
        typer.echo(exc.render(), err=True)
        if exc.result is None:
            raise typer.Exit(1)
        result, failed = exc.result, True  # the labels of the sections that parsed
    except ConfigError as exc:
        _fail_config(exc)
    rows = label_rows(result)
    sys.stdout.write(render_labels(rows, unmapped))
    if failed or any(r.field is None for r in rows):
        raise typer.Exit(1)


@app.command()
def coverage(files: List[Path] = typer.Argument(..., help="Report files (.txt)."),
             as_json: bool = typer.Option(False, "--json", help="One JSON object per report, one a line."),
             min_canonical: float = typer.Option(0.0, "--min-canonical", help="Exit 1 below this percentage."),
             format_name: Optional[str] = typer.Option(None, "--format", help="Force a format."),
             formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """Account for every printed number: how many became canonical fields, went to extra, or were lost.

    Exit 1 when a number is lost, a report does not parse in full, or the canonical share is below
    --min-canonical.
    """
    import json

    from .check.coverage import coverage as account
    _setup(formats_dir)
    bad = False
    for path in files:
        try:
            result = parse_path(path, format_name)
        except RemitError as exc:
            typer.echo(exc.render(), err=True)
            bad = True
            if exc.result is None:
                continue
            result = exc.result
        except ConfigError as exc:
            _fail_config(exc)
        found = account(result)
        bad = bad or bool(found.lost) or found.canonical_pct < min_canonical
        if as_json:
            typer.echo(json.dumps({"path": str(path), **found.as_dict()}))
            continue
        typer.echo(f"{path}: {found.printed} printed numbers: {found.canonical} canonical "
                   f"({found.canonical_pct:.1f}%, {found.repeats} of them repeats), {found.extra} in extra, "
                   f"{len(found.lost)} lost; {found.uncounted} more in cover and ignored sections")
        for line, column, text in found.lost:
            typer.echo(f"  lost: line {line} column {column}: {text}")
    if bad:
        raise typer.Exit(1)


@app.command()
def lint(formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """Check the format files: spec schema, alias targets, duplicate labels, grammars, samples."""
    from .formats.search import search_path
    from .formats.lint import lint_all
    _setup(formats_dir)
    try:
        problems = lint_all()
    except ConfigError as exc:
        _fail_config(exc)
    for path, finding in problems:
        typer.echo(finding.render(path or "<formats>"))
    count = sum(len(list((d / "specs" / "formats").glob("*.yaml"))) for d in search_path())
    typer.echo(f"{count} format(s) checked: {len(problems)} problem(s)")
    if problems:
        raise typer.Exit(1)


@app.command("new-format")
def new_format(name: str = typer.Argument(..., help="The new format's name, e.g. acme-trust-2004."),
               source: str = typer.Option(..., "--from", help="The format to start from."),
               into: Path = typer.Option(Path("formats"), "--into", help="The formats directory to write into."),
               formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """Copy a format's grammar and spec as the start of a new format, under a formats directory."""
    from .formats.scaffold import new_format as scaffold
    _setup(formats_dir)
    try:
        written = scaffold(name, source, into)
    except ConfigError as exc:
        _fail_config(exc)
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"next: edit them, then `remitgrammar lint --formats-dir {into}` and "
               f"`remitgrammar detect REPORT --formats-dir {into}`")


@app.command()
def rules(markdown: bool = typer.Option(False, "--markdown", help="Write docs/rules.md's text.")) -> None:
    """List the rules of `check`: code, severity, what each checks and the tolerance it allows."""
    from .check.rulesdoc import rules_markdown, rules_text
    typer.echo(rules_markdown() if markdown else rules_text(), nl=False)


@app.command()
def formats(formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """List the known formats: where each came from, its grammar and the sample it was built from."""
    _setup(formats_dir)
    try:
        specs = all_formats()
    except ConfigError as exc:
        _fail_config(exc)
    for spec in specs:
        typer.echo(f"{spec.name}  ({spec.origin})\n  {spec.description}\n  grammar: {spec.grammar_path}"
                   f"\n  spec:    {spec.spec_path}\n  sample:  {spec.sample or '(none)'}")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """Entry point of the ``remitgrammar`` command."""
    app(prog_name="remitgrammar")
