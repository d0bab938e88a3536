"""Commands over reports: parse, check, coverage, labels, detect (export is in export.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import inert, visible, ConfigError, RemitError
from ..intake.characters import remove_invisible
from .base import Limits
from .checking import CheckOptions, run_check, run_parse
from .group import (CACHE_DIR, EXIT_ZERO, EXTEND_IGNORE, EXTEND_SELECT, FILES_FROM, FORMATS_DIR, JOBS, NO_CACHE,
                    OUTPUT_FILE, PATHS, SHOW_INFO, app, configured, fail_config)
from .running import outcomes


@app.command()
def parse(
    paths: Optional[List[Path]] = PATHS,
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="Write JSON here instead of stdout."),
    format_name: Optional[str] = typer.Option(None, "--format", metavar="NAME", help="Force a format (see `formats`)."),
    provenance: bool = typer.Option(False, "--provenance", help="Add each value's line, column and text."),
    compact: bool = typer.Option(False, "--compact", help="Write one report's record on one line."),
    no_repair: bool = typer.Option(False, "--no-repair", help="Keep values under shifted labels as printed."),
    jobs: Optional[int] = JOBS,
    files_from: Optional[Path] = FILES_FROM,
    formats_dir: Optional[List[Path]] = FORMATS_DIR,
    cache_dir: Optional[Path] = CACHE_DIR,
    no_cache: bool = NO_CACHE,
) -> None:
    """Parse reports and write their canonical JSON records.

    One report gives one JSON object; several give JSON lines, one record a line.
    An EDGAR submission gives one report per deal it reports on. Reports that
    cannot be parsed are reported on stderr and the exit code is 1.
    """
    config, jobs = configured(formats_dir, jobs)
    run_parse(config, jobs, paths, output, format_name, provenance, compact, no_repair, files_from, cache_dir,
              no_cache)


def _results(pairs, failures: list):
    """(name, result) for each report, the sections that parsed when some did not; a report that did
    not parse in full is reported on stderr and its name added to ``failures``."""
    for name, outcome in pairs:
        if isinstance(outcome, RemitError):
            typer.echo(outcome.render(), err=True)
            failures.append(name)
            outcome = outcome.result
        if outcome is not None:
            yield name, outcome


@app.command()
def check(
    paths: Optional[List[Path]] = PATHS,
    output_format: str = typer.Option("human", "--output-format", metavar="FORMAT",
                                      help="human, json, github, junit or sarif (SARIF 2.1.0)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="SEVERITY", show_default=False,
                                          help="Exit 1 on findings at or above: info, warning, error (default "
                                               "error, or `fail-on` of the configuration)."),
    select: Optional[List[str]] = typer.Option(None, "--select", metavar="CODES", help="Report only these codes "
                                               "or prefixes (RG3 is every arithmetic rule); comma-separated, "
                                               "repeatable."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="CODES", help="Leave out these codes or "
                                               "prefixes; comma-separated, repeatable."),
    extend_select: Optional[List[str]] = EXTEND_SELECT,
    extend_ignore: Optional[List[str]] = EXTEND_IGNORE,
    show_info: bool = SHOW_INFO,
    exit_zero: bool = EXIT_ZERO,
    output_file: Optional[Path] = OUTPUT_FILE,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Leave out the summary line (human, github)."),
    statistics: bool = typer.Option(False, "--statistics", help="A count per code instead of each finding "
                                                                "(human, github)."),
    format_name: Optional[str] = typer.Option(None, "--format", metavar="NAME", help="Force a format (see `formats`)."),
    no_repair: bool = typer.Option(False, "--no-repair", help="Keep values under shifted labels as printed."),
    history: Optional[List[Path]] = typer.Option(
        None, "--history", metavar="PATH", help="Reports (files or directories) read as context for the month-to-month rules, "
                                "not reported. Repeatable."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE", help="Report only findings not in this file."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", metavar="FILE", help="Record today's findings here "
                                                  "(exit 0: recording them is not failing on them)."),
    jobs: Optional[int] = JOBS,
    files_from: Optional[Path] = FILES_FROM,
    formats_dir: Optional[List[Path]] = FORMATS_DIR,
    cache_dir: Optional[Path] = CACHE_DIR,
    no_cache: bool = NO_CACHE,
) -> None:
    """Parse reports, run every rule, and report what does not add up.

    Reports of one deal (by registrant and series) are also checked against each other month by
    month (RG4xx); --history adds reports that are compared but not reported.
    Exit 0 when no finding is at or above --fail-on, 1 otherwise, 2 for usage errors.
    The options of `remitgrammar -h` (--config, --isolated, --show-settings, --max-mb, --timeout,
    --debug) are taken here too: `remitgrammar check DIR --isolated`.
    """
    config, jobs = configured(formats_dir, jobs)
    given = CheckOptions(output_format=output_format, fail_on=fail_on, select=select, ignore=ignore,
                         extend_select=extend_select, extend_ignore=extend_ignore, show_info=show_info,
                         exit_zero=exit_zero, output_file=output_file, quiet=quiet, statistics=statistics,
                         format_name=format_name, no_repair=no_repair, history=history, baseline=baseline,
                         write_baseline=write_baseline, files_from=files_from, cache_dir=cache_dir, no_cache=no_cache)
    run_check(config, jobs, paths, given)


@app.command()
def detect(paths: Optional[List[Path]] = PATHS, files_from: Optional[Path] = FILES_FROM,
           formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """Rank the formats each report could be in, and say why each matched or not.

    For an EDGAR submission, names the documents whose text was looked at.
    """
    from ..detect.detection import explain
    from ..formats.search import check_clashes
    from ..intake.read import read_bytes, reports_in
    from ..intake.sources import expand
    from ..pipeline import is_statement
    configured(formats_dir, None)  # the configuration's formats-dirs where --formats-dir is not given
    matched = True
    try:
        check_clashes()  # detection ranks every format: two of one name would be a silent choice
        for source in expand(paths, files_from, Limits.max_bytes):
            try:
                if source.problem is not None:  # a directory that could not be walked
                    raise RemitError(source.problem, source.name)
                data = source.data if source.data is not None else read_bytes(source.name, Limits.max_bytes)
                reports = reports_in(data, source.name, is_statement, Limits.max_bytes)
            except RemitError as exc:
                typer.echo(exc.render(), err=True)
                matched = False
                continue
            for report in reports:
                matched = _explain(report, explain) and matched
    except ConfigError as exc:
        fail_config(exc)
    if not matched:
        raise typer.Exit(1)


def _explain(report, explain) -> bool:
    edgar = report.source.get("edgar")
    if edgar:
        looked = ", ".join(f"{d['type']} (sequence {d['sequence']}, lines {d['first_line']}-{d['last_line']})"
                           for d in edgar["documents"])
        typer.echo(inert(visible(f"{report.name}: EDGAR submission {edgar.get('accession', '')}; looked at {looked}")))
    ranked = explain(remove_invisible(report.text)[0])  # read as parse reads it
    line_map = report.line_map

    def line_of(line: int) -> int:  # the file's line, as every other message names it
        return line_map[line - 1] if line_map and 0 < line <= len(line_map) else line
    for candidate in ranked:  # a format from outside names its own texts: escaped like a report's
        verdict = "MATCH" if candidate.matches else "no"
        typer.echo(inert(visible(f"{verdict:5} {candidate.spec.name}: {candidate.why(line_of)}")))
    matching = [c for c in ranked if c.matches]
    if len(matching) > 1:
        typer.echo(f"note: {len(matching)} formats match; {matching[0].spec.name} is taken (the most evidence)")
    if matching:
        _first_line_fit(report, matching[0].spec)
    return bool(matching)


def _first_line_fit(report, spec) -> None:
    """Say when the format taken does not read the report from its first line."""
    from ..parse.tree import parse_tree

    text = remove_invisible(report.text if report.text.endswith("\n") else report.text + "\n")[0]
    first = next((n for n, line in enumerate(text.splitlines(), 1) if line.strip()), 1)
    try:
        misfits = [f for f in parse_tree(text, spec).findings if f.code == "RG101"]
    except RemitError:  # the report cannot be parsed at all: `parse` says why; the ranking stands
        return
    if misfits and misfits[0].line == first:
        line = report.line_map[first - 1] if report.line_map else first
        typer.echo(f"note: {spec.name} does not read the report from its first line (line {line} fits none of "
                   f"its kinds of line: {visible(misfits[0].source_line or '')[:80]!r}); "
                   f"{len(misfits)} line(s) do not fit it in all")


@app.command()
def labels(paths: Optional[List[Path]] = PATHS,
           unmapped: bool = typer.Option(False, "--unmapped", help="Show only labels no spec maps."),
           format_name: Optional[str] = typer.Option(None, "--format", metavar="NAME", help="Force a format."),
           files_from: Optional[Path] = FILES_FROM,
           formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """List every label and column heading with the canonical field it maps to, or UNMAPPED."""
    from ..formats.labels import label_rows, render as render_labels
    configured(formats_dir, None)  # the configuration's formats-dirs where --formats-dir is not given
    failures: list = []
    bad = False
    for _, result in _results(outcomes(paths, files_from, format_name), failures):
        rows = label_rows(result)
        sys.stdout.write(render_labels(rows, unmapped))
        bad = bad or any(r.field is None for r in rows)
    if bad or failures:
        raise typer.Exit(1)


@app.command()
def coverage(paths: Optional[List[Path]] = PATHS,
             as_json: bool = typer.Option(False, "--json", help="One JSON object per report, one a line."),
             min_canonical: float = typer.Option(0.0, "--min-canonical", metavar="PERCENT", help="Exit 1 below this percentage."),
             format_name: Optional[str] = typer.Option(None, "--format", metavar="NAME", help="Force a format."),
             files_from: Optional[Path] = FILES_FROM,
             formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """Account for every printed number: how many became canonical fields, went to extra, or were lost.

    Exit 1 when a number is lost, a report does not parse in full, or the canonical share is below
    --min-canonical.
    """
    import json

    from ..check.coverage import coverage as account
    configured(formats_dir, None)  # the configuration's formats-dirs where --formats-dir is not given
    failures: list = []
    bad = False
    for name, result in _results(outcomes(paths, files_from, format_name), failures):
        found = account(result)
        bad = bad or bool(found.lost) or bool(found.left_out) or found.canonical_pct < min_canonical
        if as_json:
            typer.echo(json.dumps({"path": name, **found.as_dict()}))
            continue
        typer.echo(inert(f"{visible(name)}: {found.printed} printed numbers: {found.canonical} canonical "
                         f"({found.canonical_pct:.1f}%, {found.repeats} of them repeats), {found.extra} in extra, "
                         f"{len(found.lost)} lost, {found.skipped} on lines that did not fit (RG101), "
                         f"{found.left_out} past the bound of extra (RG122); "
                         f"{found.ignored} more ignored (cover, ignored sections and lines)"))
        for line, column, text in found.lost:  # the text of a report: shown, never obeyed
            typer.echo(f"  lost: line {line} column {column}: {visible(text)}")
    if bad or failures:
        raise typer.Exit(1)
