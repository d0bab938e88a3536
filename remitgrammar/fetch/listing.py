"""Which filings a run wants, three ways: a company's submissions (data.sec.gov's JSON, its recent filings
and the older pages it names), accession numbers given by the user, or a form in EDGAR's quarterly full
index (``master.idx``: every quarter the dates touch, filtered by form, date and company name).

What comes from EDGAR is input too: a CIK, an accession number or a page name is used in a URL or a
path only once it has its documented shape (digits, dashes), so an index line cannot name a file
outside the store; a page or quarter that cannot be read is a problem named by the run, and the rest
is listed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from ..errors import ConfigError
from .client import FetchError

_ACCESSION = re.compile(r"\d{10}-\d{2}-\d{6}")
_CIK = re.compile(r"\d{1,10}")
_PAGE = re.compile(r"CIK\d{10}-submissions-\d{3}\.json")
INDEX_BYTES = 256 * 1024 * 1024  # a quarter's master.idx (tens of MB today), whatever --max-mb says


@dataclass(frozen=True)
class Filing:
    """One submission to download. ``cik`` has 10 digits; ``accession`` is ``0000950123-03-012345``."""

    cik: str
    accession: str
    form: str = ""
    filed: str = ""
    company: str = ""

    def url(self, www: str) -> str:
        """The full submission's text, in EDGAR's archive layout."""
        return f"{www}/Archives/edgar/data/{int(self.cik)}/{self.accession.replace('-', '')}/{self.accession}.txt"


@dataclass(frozen=True)
class Wanted:
    """What the user asked for besides the source: forms (upper case; empty: every form), dates, a name."""

    forms: frozenset = frozenset()
    since: dt.date | None = None
    until: dt.date | None = None
    company: str = ""

    def keeps(self, form: str, filed: str, company: str = "") -> bool:
        day = _day(filed)
        return ((not self.forms or form.strip().upper() in self.forms)
                and (self.since is None or (day is not None and day >= self.since))
                and (self.until is None or (day is not None and day <= self.until))
                and self.company.casefold() in company.casefold())


def cik_of(text: str) -> str:
    """A CIK as 10 digits. Raises ConfigError for anything but 1 to 10 digits (``CIK`` prefix allowed)."""
    text = text.strip()
    digits = text[3:] if text.upper().startswith("CIK") else text
    if not _CIK.fullmatch(digits) or int(digits) == 0:
        raise ConfigError(f"--cik {text[:40]!r}: a CIK is 1 to 10 digits, e.g. 949338 or 0000949338")
    return digits.zfill(10)


def accession_of(text: str) -> Filing:
    """``ACCESSION`` or ``CIK/ACCESSION`` as a Filing. Alone, an accession is looked for under the CIK of
    its first ten digits (whoever submitted it: the company, or a filing agent whose directory EDGAR may
    not serve); ``CIK/`` names the company's.

    Raises:
        ConfigError: not of that shape.
    """
    cik, _, accession = text.strip().rpartition("/")
    if len(accession) == 18 and accession.isdigit():
        accession = f"{accession[:10]}-{accession[10:12]}-{accession[12:]}"
    if not _ACCESSION.fullmatch(accession):
        raise ConfigError(f"--accession {text[:60]!r}: an accession number reads 0000950123-03-012345 "
                          "(or CIK/0000950123-03-012345)")
    return Filing(cik_of(cik) if cik else accession[:10], accession)


def by_cik(get, data: str, cik: str, wanted: Wanted) -> tuple[list[Filing], list[str]]:
    """A company's filings that ``wanted`` keeps, and what could not be read (``get``: the client's)."""
    what = f"the submissions of CIK {int(cik)}"
    try:
        top = _json(get(f"{data}/submissions/CIK{cik}.json"))
        company = str(top.get("name") or "")
        filings = _columns(top["filings"]["recent"], cik, company, wanted)
        pages = top["filings"].get("files") or []
    except FetchError as exc:
        return [], [f"{what}: {exc}"]
    except (KeyError, TypeError, AttributeError, ValueError):
        return [], [f"{what}: not in the form data.sec.gov serves (filings.recent)"]
    problems = []
    for page in pages if isinstance(pages, list) else ():
        name = page.get("name") if isinstance(page, dict) else None
        if not isinstance(name, str) or not _PAGE.fullmatch(name):
            problems.append(f"{what}: a page of older filings with no usable name was skipped")
        elif _overlaps(page, wanted):
            try:
                filings += _columns(_json(get(f"{data}/submissions/{name}")), cik, company, wanted)
            except FetchError as exc:
                problems.append(f"{what}, page {name}: {exc}")
            except (KeyError, TypeError, AttributeError, ValueError):
                problems.append(f"{what}, page {name}: not in the form data.sec.gov serves")
    return _unique(filings), problems


def _json(body: bytes):
    try:
        return json.loads(body)
    except RecursionError:
        raise ValueError("nested too deep") from None


def _columns(table: dict, cik: str, company: str, wanted: Wanted) -> list[Filing]:
    """The filings of a submissions table (parallel arrays) that ``wanted`` keeps."""
    numbers, dates, forms = table["accessionNumber"], table["filingDate"], table["form"]
    if not all(isinstance(column, list) for column in (numbers, dates, forms)) \
            or not len(numbers) == len(dates) == len(forms):
        raise TypeError("not parallel arrays")
    kept = []
    for number, filed, form in zip(numbers, dates, forms, strict=True):
        if (isinstance(number, str) and _ACCESSION.fullmatch(number) and isinstance(filed, str)
                and isinstance(form, str) and wanted.keeps(form, filed, company)):
            kept.append(Filing(cik, number, form, filed, company))
    return kept


def _overlaps(page: dict, wanted: Wanted) -> bool:
    """Whether an older page's dates may hold a filing of the range (unknown dates: read it)."""
    first, last = _day(str(page.get("filingFrom", ""))), _day(str(page.get("filingTo", "")))
    return not ((wanted.until and first and first > wanted.until) or (wanted.since and last and last < wanted.since))


def quarters(since: dt.date, until: dt.date) -> list[tuple[int, int]]:
    """The (year, quarter) of every quarter from ``since``'s to ``until``'s."""
    first, last = since.year * 4 + (since.month - 1) // 3, until.year * 4 + (until.month - 1) // 3
    return [(n // 4, n % 4 + 1) for n in range(first, last + 1)]


def by_index(get, www: str, wanted: Wanted) -> tuple[list[Filing], list[str]]:
    """The filings of every quarter's full index between ``wanted.since`` and ``wanted.until``."""
    # a listing by index is only asked for with both dates (the CLI's _wanted fills in what is not given)
    assert wanted.since is not None and wanted.until is not None
    filings, problems = [], []
    for year, quarter in quarters(wanted.since, wanted.until):
        what = f"the full index of {year} QTR{quarter}"
        try:
            filings += master_index(get(f"{www}/Archives/edgar/full-index/{year}/QTR{quarter}/master.idx",
                                        INDEX_BYTES), wanted)
        except FetchError as exc:
            problems.append(f"{what}: {exc}")
        except ValueError:
            problems.append(f"{what}: not in the form of EDGAR's master.idx (no line of dashes under its header)")
    return _unique(filings), problems


def master_index(body: bytes, wanted: Wanted) -> list[Filing]:
    """The filings of a master.idx (``CIK|Company Name|Form Type|Date Filed|Filename`` under a header that
    ends with a line of dashes) that ``wanted`` keeps. Raises ValueError when there is no such header."""
    lines = body.decode("latin-1").splitlines()
    start = next((n for n, line in enumerate(lines[:100]) if len(line) >= 20 and not line.strip("-")), None)
    if start is None:
        raise ValueError("no header")
    kept = []
    for line in lines[start + 1:]:
        cells = line.split("|")
        if len(cells) != 5:
            continue
        cik, company, form, filed, filename = (cell.strip() for cell in cells)
        accession = filename.rpartition("/")[2].removesuffix(".txt")
        if _CIK.fullmatch(cik) and _ACCESSION.fullmatch(accession) and wanted.keeps(form, filed, company):
            kept.append(Filing(cik.zfill(10), accession, form, _iso(filed), company))
    return kept


def _day(text: str) -> dt.date | None:
    """A date printed 2003-11-21 or 20031121."""
    text = text.strip()
    try:
        if len(text) == 8 and text.isdigit():
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _iso(text: str) -> str:
    day = _day(text)
    return day.isoformat() if day else text


def _unique(filings: list[Filing]) -> list[Filing]:
    """Each accession once (a filing of several registrants is listed under each), oldest first."""
    seen, kept = set(), []
    for filing in sorted(filings, key=lambda f: (_iso(f.filed), f.accession, f.cik)):
        if filing.accession not in seen:
            seen.add(filing.accession)
            kept.append(filing)
    return kept
