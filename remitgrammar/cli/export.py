"""The `export` command: reports as tables for SQL, CSV or pandas."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..emit.json_record import to_json
from ..errors import visible
from .base import cache_for
from .checking import copy_named as _copy, failed as _failed, reason as _reason
from .group import CACHE_DIR, FILES_FROM, FORMATS_DIR, JOBS, NO_CACHE, PATHS, app, configured, fail_config
from .running import results

KEPT = ("record", "provenance", "findings", "rows")


@app.command()
def export(
    paths: Optional[List[Path]] = PATHS,
    to: Path = typer.Option(..., "--to", metavar="OUT", help="A .sqlite or .db database (rows of a report "
                                                            "exported again are replaced), a .jsonl file, a "
                                                            "DIR.parquet directory for one Parquet file per table "
                                                            "(pip install 'remitgrammar[parquet]'), or a "
                                                            "directory for one CSV file per table."),
    format_name: Optional[str] = typer.Option(None, "--format", metavar="NAME", help="Force a format (see `formats`)."),
    no_repair: bool = typer.Option(False, "--no-repair", help="Keep values under shifted labels as printed."),
    jobs: Optional[int] = JOBS,
    files_from: Optional[Path] = FILES_FROM,
    formats_dir: Optional[List[Path]] = FORMATS_DIR,
    cache_dir: Optional[Path] = CACHE_DIR,
    no_cache: bool = NO_CACHE,
) -> None:
    """Parse reports and write them as tables for SQL, CSV or pandas (docs/export.md).

    Tables: reports, deals, classes, class_totals, collateral, delinquency, pool, findings, facts,
    and the wide class_months, pool_months, group_months, delinquency_months. Every finding `check`
    gives is exported, those across months included. A filing given twice (a .gz, a CRLF copy) is
    exported once, the copy named on stderr and in the findings. A report that does not parse in full
    is reported on stderr and left out; the others are written; exit 1. No report at all: a warning,
    and nothing is written.
    """
    import sqlite3  # here: only an export writes a database

    from ..emit.export import sink_for

    config, jobs = configured(formats_dir, jobs)
    try:
        sink = sink_for(to)
    except (OSError, ValueError, sqlite3.Error) as exc:
        fail_config(f"--to {visible(to)}: {_reason(exc)}")
    failures: list = []
    reports = results(paths, files_from, KEPT, format_name, not no_repair, jobs,
                      cache=cache_for(config, cache_dir, no_cache))
    try:
        count = _fill(sink, reports, failures)
        if count:
            sink.close()  # only now is the target replaced: a failed export leaves the old one
        else:
            sink.abandon()
    except (OSError, sqlite3.Error, UnicodeError) as exc:
        sink.abandon()
        reports.close()  # the workers are shut down now, not when the generator is collected
        fail_config(f"--to {visible(to)}: {_reason(exc)}")
    except BaseException:  # a usage error met on the way, an interrupt: nothing half-written either
        sink.abandon()
        raise
    if count:
        typer.echo(f"remitgrammar: exported {count} report(s) to {visible(to)}", err=True)
    else:
        typer.echo(f"remitgrammar: warning: no report to export: nothing written to {visible(to)}", err=True)
    if failures:
        typer.echo(f"remitgrammar: {len(failures)} report(s) could not be parsed in full and were left out", err=True)
        raise typer.Exit(1)


def _fill(sink, reports, failures: list) -> int:
    """Add each report that parsed in full to the sink, once a filing; how many."""
    count = 0
    for report in reports:
        if _copy(report):
            continue
        if not report.ok:
            _failed(report, failures)
            continue
        sink.add(report.rows, record_json(report))
        count += 1
    return count


def record_json(report) -> str:
    """A report's JSON line: its deal and month (as the tables key them), its record, its provenance,
    and under ``check_findings`` every finding `check` gives it (the record's own ``findings`` are
    those of parsing, as `parse` writes them)."""
    (row,) = report.rows["reports"]
    return to_json({"deal": row["deal"], "month": row["month"], **report.record, "provenance": report.provenance,
                    "check_findings": [f.as_dict() for f in report.findings]}, indent=None)
