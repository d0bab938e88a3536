"""The pages of ``view`` on disk: a page per report, an index page per deal with its charts, and
``index.html`` over every deal, from the runner's results (``keep={"record", "findings", "view"}``).

Layout: ``OUT/index.html``; ``OUT/<deal>/index.html``; ``OUT/<deal>/<report>.html``. Names are made
of the deal's key and the report's file name, reduced to letters, digits, ``-``, ``_`` and ``.``,
bounded, and told apart from one another case-insensitively, so no name a report prints leaves
``OUT`` or lands on another page. Each file is written beside its target and renamed when whole; a
link where a page or a folder goes is refused, never followed. Reports that name no deal are pages
of ``OUT/no-deal/``. A copy of a filing already given (RG130) gets no page: the index names it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..deals import deal_of, format_deal_paths, month_of
from ..emit.files import Partial
from ..errors import Finding

NO_DEAL = "no-deal"
MAX_NAME = 80  # characters of a page's or folder's name, before the suffix that tells two apart
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
CHARTED = ("classes", "pool", "collateral", "delinquency", "distribution_date")  # what a deal's charts read


@dataclass
class DealPages:
    """One deal's reports as its index page lists them."""

    title: str
    folder: str
    months: list = field(default_factory=list)  # what deal.deal_page lists: month, name, href, counts, ok
    records: list = field(default_factory=list)  # (month, the record's charted sections)
    names: set = field(default_factory=set)  # page names taken in its folder (case-folded)


@dataclass
class Written:
    """What ``write`` wrote: how many report pages and deal pages, the index, the copies left out,
    the reports that did not parse in full."""

    reports: int = 0
    deals: int = 0
    index: Path | None = None
    copies: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    charts_missing: bool = False


def write(results: Iterable, out: Path) -> Written:
    """Write every result's page, each deal's page and the index under ``out`` (made when missing).

    Raises:
        OSError: ``out`` cannot be made or written, or a link stands where a page or folder goes.
    """
    from .page import report_page

    _directory(out)
    done = Written()
    deals: dict[str, DealPages] = {}
    folders: set[str] = set()
    for result in results:
        if result.duplicate_of is not None:
            done.copies.append((result.name, result.duplicate_of))
            continue
        if not result.ok:
            done.failed.append(result.name)
        deal = _deal_of(result, deals, folders)
        name = _unique(_safe(_stem(str(result.name))) or "report", deal.names) + ".html"
        _directory(out / deal.folder)
        page = report_page(str(result.name), result.view or _empty_view(), list(result.findings),
                           title=_title(result, deal), back_href="index.html")
        put(out / deal.folder / name, page)
        done.reports += 1
        _listed(deal, result, name)
    done.charts_missing = _deal_pages(out, deals.values())
    done.deals = len(deals)
    done.index = out / "index.html"
    put(done.index, _home(deals.values(), done))
    return done


def _deal_of(result, deals: dict, folders: set) -> DealPages:
    """The deal a result belongs to (made on its first report), NO_DEAL when its record names none."""
    record = result.record or {}
    deal = deal_of(record, format_deal_paths((record.get("source") or {}).get("format"))) if record else None
    key = deal.key if deal else NO_DEAL
    if key not in deals:
        title = _deal_title(deal) if deal else "Reports of no deal"
        folder = NO_DEAL if deal is None else _unique(_safe(key.lower()) or "deal", folders | {NO_DEAL})
        folders.add(folder.casefold())
        deals[key] = DealPages(title or key, folder)
    return deals[key]


def _deal_title(deal) -> str:
    """The registrant as printed, and the series where the name does not already hold it."""
    name, series = str(deal.registrant or ""), str(deal.series or "")
    shown = name if series.upper() in name.upper() else f"{name} {series}".strip()
    return shown or deal.key


def _listed(deal: DealPages, result, page: str) -> None:
    record = result.record or {}
    month = month_of(record) if record else None
    deal.months.append({"month": month, "name": str(result.name), "href": page, "ok": result.ok,
                        "counts": _counts(result.findings)})
    if month is not None:
        deal.records.append((month, {k: record[k] for k in CHARTED if k in record}))


def _deal_pages(out: Path, deals: Iterable[DealPages]) -> bool:
    """Each deal's page; True when the charts were left out for want of the ``view`` extra."""
    from .charts import ChartsUnavailable, deal_charts
    from .deal import deal_page

    missing = False
    for deal in deals:
        deal.months.sort(key=lambda m: (m["month"] is None, m["month"] or "", m["name"]))
        try:
            charts = deal_charts(sorted(deal.records, key=lambda r: r[0])) if deal.folder != NO_DEAL else []
        except ChartsUnavailable:
            charts, missing = None, True
        put(out / deal.folder / "index.html", deal_page(deal.title, deal.months, charts))
    return missing


def _home(deals: Iterable[DealPages], done: Written) -> str:
    from .deal import home_page

    listed = []
    for deal in deals:
        months = [m["month"] for m in deal.months if m["month"]]
        counts = {k: sum(m["counts"][k] for m in deal.months) for k in ("error", "warning", "info")}
        listed.append({"title": deal.title, "href": f"{deal.folder}/index.html", "reports": len(deal.months),
                       "first": min(months, default=None), "last": max(months, default=None), "counts": counts,
                       "deal": deal.folder != NO_DEAL})
    return home_page(listed, copies=done.copies)


def _counts(findings: list) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        if isinstance(finding, Finding) and finding.severity in counts:
            counts[finding.severity] += 1
    return counts


def _title(result, deal: DealPages) -> str:
    month = month_of(result.record) if result.record else None
    return f"{deal.title} \u2014 {month}" if month else deal.title


def _empty_view() -> dict:
    """The view of a report nothing of which could be read (its findings say why)."""
    counts = dict.fromkeys(("printed", "canonical", "repeats", "extra", "lost", "skipped", "ignored", "left_out"), 0)
    return {"lines": [], "marks": [], "coverage": {**counts, "canonical_pct": 100.0, "lost_cells": []}, "cut": 0}


def _stem(name: str) -> str:
    """A report's file name without the suffixes a report comes in (``x.txt.gz``: ``x``)."""
    stem = Path(name).name
    for suffix in (".gz", ".txt", ".htm", ".html"):
        if stem.lower().endswith(suffix) and len(stem) > len(suffix):
            stem = stem[:-len(suffix)]
    return stem


def _safe(name: str) -> str:
    """A name made of safe characters only, bounded; never ``.``, ``..`` or hidden."""
    return _UNSAFE.sub("-", name)[:MAX_NAME].strip("-.")


def _unique(name: str, taken: set) -> str:
    """``name``, or ``name-2``, ``name-3``... the first that ``taken`` (case-folded) lacks; taken then."""
    candidate, n = name, 1
    while candidate.casefold() in taken or candidate.casefold() == "index":
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate.casefold())
    return candidate


def _directory(path: Path) -> None:
    if path.is_symlink():
        raise OSError(f"{path} is a link: view writes into directories it can trust, never through a link")
    if path.exists() and not path.is_dir():
        raise OSError(f"{path} is not a directory: view writes a directory of pages")
    path.mkdir(parents=True, exist_ok=True)


def put(target: Path, text: str) -> None:
    """Write a page whole or not at all: a temporary file beside it, renamed over it (a link there is
    replaced, never followed)."""
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise OSError(f"{target} is not a regular file: view replaces only its own pages")
    partial = Partial(target)
    try:
        data = text.encode("utf-8", "replace")
        view = memoryview(data)
        while view:
            view = view[os.write(partial.fd, view):]
        partial.commit()
    except BaseException:
        partial.abandon()
        raise
    finally:
        partial.close()
