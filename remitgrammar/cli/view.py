"""The `view` command: each report as an HTML page, and a page per deal with its charts."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import visible
from .base import cache_for
from .checking import reason as _reason
from .group import CACHE_DIR, FILES_FROM, FORMATS_DIR, JOBS, NO_CACHE, PATHS, app, configured, fail_config
from .running import results

KEPT = ("record", "findings", "view")


@app.command()
def view(
    paths: Optional[List[Path]] = PATHS,
    out: Path = typer.Option(..., "--out", "-o", metavar="OUT", help="The directory the pages are written to "
                                                                     "(made when missing; a page of the same name "
                                                                     "from an earlier run is replaced, others stay)."),
    format_name: Optional[str] = typer.Option(None, "--format", metavar="NAME", help="Force a format (see `formats`)."),
    history: Optional[List[Path]] = typer.Option(None, "--history", metavar="PATH", help="Earlier months of the same "
                                                 "deals, compared but given no page (repeatable)."),
    no_repair: bool = typer.Option(False, "--no-repair", help="Keep values under shifted labels as printed."),
    jobs: Optional[int] = JOBS,
    files_from: Optional[Path] = FILES_FROM,
    formats_dir: Optional[List[Path]] = FORMATS_DIR,
    cache_dir: Optional[Path] = CACHE_DIR,
    no_cache: bool = NO_CACHE,
) -> None:
    """Write each report as an HTML page and each deal's months as a page of charts (docs/view.md).

    A report's page shows it as printed, with its line numbers, every printed number marked by
    what became of it (a canonical field, with its value and meaning; a repeat; extra; lost;
    ignored) and every finding `check` gives under its line. OUT/index.html lists the deals;
    OUT/<deal>/index.html lists a deal's months, their findings, and charts its balances, loan
    count, delinquency and losses (pip install 'remitgrammar[view]'). The pages need no network
    and no other file. The index's path is printed on stdout. Exit 1 when a report does not parse
    in full (its page shows what did and why), else 0.
    """
    from ..view.write import write

    config, jobs = configured(formats_dir, jobs)
    # OUT inside an input directory: its pages of an earlier run are no reports
    reports = results(paths, files_from, KEPT, format_name, not no_repair, jobs, history, skip=(out,),
                      cache=cache_for(config, cache_dir, no_cache))
    try:
        written = write(reports, out)
    except (OSError, ValueError, UnicodeError) as exc:
        reports.close()
        fail_config(f"--out {visible(out)}: {_reason(exc)}")
    _tell(written, out)
    if written.failed:
        raise typer.Exit(1)


def _tell(written, out: Path) -> None:
    """What was written (stderr) and the index's path (stdout)."""
    for name, first in written.copies:
        again = "is given again" if name == first else f"is the same filing as {visible(first)}"
        typer.echo(f"remitgrammar: {visible(name)} {again}: one page, under the first name", err=True)
    if written.charts_missing:
        typer.echo("remitgrammar: the deal pages have no charts: pip install 'remitgrammar[view]' for them", err=True)
    typer.echo(f"remitgrammar: wrote {written.reports} report page(s) and {written.deals} deal page(s) to "
               f"{visible(out)}", err=True)
    typer.echo(visible(written.index))
    for name in written.failed:
        typer.echo(f"remitgrammar: {visible(name)} did not parse in full: its page shows what did, and why", err=True)
