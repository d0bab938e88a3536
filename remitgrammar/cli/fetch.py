"""The `fetch` command: filings from EDGAR into a store that `check` and `export` read as it is (docs/fetch.md)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import ConfigError, visible
from ..fetch.store import LAYOUT
from .group import Limits, app, configured, fail_config

# fetch/client.py's AGENT_VAR, named here so that the command line does not import the HTTP client (and
# ssl) on every run; tests/test_quick.py checks that the two agree
AGENT_VAR = "REMITGRAMMAR_USER_AGENT"
FIRST_INDEX = dt.date(1993, 1, 1)  # EDGAR's full index starts with 1993's first quarter


@app.command()
def fetch(
    cik: Optional[str] = typer.Option(None, "--cik", metavar="N", help="A company's filings (data.sec.gov's "
                                      "submissions), kept by --form, --since, --until."),
    accession: Optional[List[str]] = typer.Option(None, "--accession", metavar="[CIK/]ACCESSION", help="One "
                                                  "filing, e.g. 0000950123-03-012345 or 949338/0000950123-03-"
                                                  "012345 (repeatable)."),
    form: Optional[List[str]] = typer.Option(None, "--form", metavar="TYPE", help="Keep this form type, e.g. 8-K "
                                             "(repeatable). Without --cik: every company's, from EDGAR's full "
                                             "index (needs --since)."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help="Filed on or after this date "
                                        "(YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", metavar="DATE", help="Filed on or before this date "
                                        "(YYYY-MM-DD; default: today)."),
    company: Optional[str] = typer.Option(None, "--company", metavar="TEXT", help="Keep companies whose name "
                                          "holds this text (any case)."),
    out: Path = typer.Option(Path("edgar"), "--out", "-o", metavar="DIR", help="The store: each filing as "
                             f"DIR/{LAYOUT}; a file already there and whole is skipped."),
    agent: Optional[str] = typer.Option(None, "--user-agent", metavar="TEXT", help="Your name and e-mail address, "
                                        f"sent to the SEC with every request (or {AGENT_VAR})."),
) -> None:
    """Download full submissions from EDGAR (docs/fetch.md), under the SEC's fair-access rules.

    By company (--cik), by accession number (--accession), or by form type and dates through EDGAR's
    full index (--form 8-K --since DATE). Exit 0: every filing is in the store; 1: some failed (each
    named, with why); 2: usage or configuration.
    """
    from ..fetch.client import Client, bases, user_agent  # here: the HTTP client (and ssl) only for a fetch

    config, _ = configured(None, None)
    try:
        _one_source(cik, accession, form, since, until, company)
        wanted = _wanted(form, since, until, company, index=not cik and not accession)
        client = Client(user_agent(agent or os.environ.get(AGENT_VAR) or getattr(config, "user_agent", None)),
                        Limits.max_bytes)
        www, data = bases()
        filings, problems = _listed(client, www, data, cik, accession, wanted)
    except ConfigError as exc:
        fail_config(exc)
    for problem in problems:
        typer.echo(f"remitgrammar: cannot list: {visible(problem)}", err=True)
    if not filings:  # nothing to download: the store is not made
        typer.echo("remitgrammar: warning: no filing matched: nothing to fetch" if not problems else
                   f"remitgrammar: fetched 0: {len(problems)} listing(s) failed", err=True)
        raise typer.Exit(1 if problems else 0)
    _download(client, www, out, filings, len(problems))


def _listed(client, www: str, data: str, cik, accession, wanted) -> tuple[list, list]:
    """The filings named, and what could not be listed (a company's page, a quarter's index)."""
    from ..fetch.listing import accession_of, by_cik, by_index, cik_of

    if accession:
        return [accession_of(text) for text in accession], []
    if cik:
        return by_cik(client.get, data, cik_of(cik), wanted)
    return by_index(client.get, www, wanted)


def _one_source(cik, accession, form, since, until, company) -> None:
    """Exactly one way to name filings."""
    if accession and (cik or form or since or until or company):
        raise ConfigError("--accession names its filings itself: give it without --cik, --form, --since, "
                          "--until and --company")
    if not cik and not accession and form and not since:
        raise ConfigError("--form without --cik reads every company's filings from EDGAR's full index: give the "
                          "dates too, --since DATE (and --until DATE, today by default)")
    if not cik and not accession and not (form and since):
        raise ConfigError("name what to fetch: --cik N, --accession [CIK/]ACCESSION, or --form TYPE --since DATE "
                          "(every company's filings of that form, from EDGAR's full index)")


def _wanted(form, since, until, company, index: bool):
    from ..fetch.listing import Wanted

    first, last = _date("--since", since), _date("--until", until)
    if index:
        first, last = max(first or FIRST_INDEX, FIRST_INDEX), min(last or dt.date.today(), dt.date.today())
    if first and last and first > last:
        raise ConfigError(f"--since {first} is after --until {last}: no filing can match")
    forms = frozenset(text.strip().upper() for text in form or () if text.strip())
    return Wanted(forms, first, last, (company or "").strip())


def _date(option: str, text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip()) if len(text.strip()) == 10 else _bad_date(option, text)
    except ValueError:
        return _bad_date(option, text)


def _bad_date(option: str, text: str):
    raise ConfigError(f"{option} {text[:40]!r}: a date reads YYYY-MM-DD, e.g. 2003-11-17")


def _download(client, www: str, out: Path, filings: list, unlisted: int) -> None:
    """Fetch into the store with a progress line on a terminal; the summary; exit 1 if anything failed."""
    from ..fetch.run import download
    from ..fetch.store import Store

    shown = sys.stderr.isatty()

    def done(outcome, count: int) -> None:
        if shown:
            sys.stderr.write("\r\033[K")
        if outcome.status == "failed":
            typer.echo(f"remitgrammar: failed {outcome.filing.cik}/{outcome.filing.accession}: "
                       f"{visible(outcome.why)}", err=True)
        if shown:
            sys.stderr.write(f"{count}/{len(filings)} filings ({outcome.status} {outcome.filing.accession})")
            sys.stderr.flush()

    try:
        outcomes = download(client.get, www, Store(out), filings, done)
    except OSError as exc:
        fail_config(f"--out {visible(out)}: {exc.strerror or exc}")
    finally:
        if shown:
            sys.stderr.write("\r\033[K")
    count = {status: sum(o.status == status for o in outcomes) for status in ("fetched", "skipped", "failed")}
    typer.echo(f"remitgrammar: fetched {count['fetched']}, skipped {count['skipped']} (already whole), "
               f"failed {count['failed'] + unlisted} into {visible(out)}", err=True)
    if count["failed"] or unlisted:
        raise typer.Exit(1)
