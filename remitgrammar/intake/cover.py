"""The Form 8-K cover page and signature block, read by their captions: one reader for every filer.

A cover prints each fact over or beside the caption that names it: the registrant's name above
"(Exact name of registrant as specified in its charter)", the state, file number and IRS number
above their three captions, the address above "(Address of principal executive offices)",
"Date of Report ...:" and "Registrant's telephone number ...:" before their values; the
signature block ends with "By: /s/ ...", "Name:", "Title:" and the signer's company. Filers word
the rest freely, so nothing else is assumed. Intake reads a cover printed as its own EDGAR
document (``source.edgar.cover``); the ``cover`` role reads one printed inside a statement.

Every pattern here is anchored and linear in the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..parse.values import parse_date


@dataclass
class Fact:
    """One value of a cover, with where it was read."""

    text: str
    line: int
    column: int
    value: object = None  # the value when it is not the text (a date, a YES/NO answer)
    end_line: int | None = None


@dataclass
class Cover:
    """What a cover page and its signature block say.

    Attributes:
        facts: filing field -> Fact (form_type, report_date, registrant, certificate_title, series,
            state_of_incorporation, commission_file_number, irs_employer_id, address, telephone,
            signer_name, signer_title, trustee).
        answers: (question, Fact) of the items a cover answers in its text ("Have any
            deficiencies occurred?  NO.").
        dates: (words before it, Fact) of every other date its text prints.
        signed: the "By: /s/ ..." Fact.
    """

    facts: dict = field(default_factory=dict)
    answers: list = field(default_factory=list)
    dates: list = field(default_factory=list)
    signed: Fact | None = None

    def summary(self) -> dict:
        """The facts as plain values, for ``source.edgar.cover``."""
        return {name: (fact.value if fact.value is not None else fact.text) for name, fact in self.facts.items()}


_FORM = re.compile(r"\s*FORM\s+(8-K|10-D|10-K|8-K/A|10-D/A)\s*$", re.I)
_REPORT_DATE = re.compile(r"\s*Date of Report\b[^:\n]{0,80}:\s*(\S.*?)?\s*$", re.I)
_EXACT_NAME = re.compile(r"\s*\(Exact name of (?:registrant|issuing entity)", re.I)
_IDS = re.compile(r"\s*\(State or other jurisdiction", re.I)
_ADDRESS = re.compile(r"\s*\(Address of principal executive offices?\)", re.I)
_PHONE = re.compile(r"[^\n]{0,80}?telephone number[^:\n]{0,60}:\s*(\(\d{3}\)\s?\d{3}-\d{4})", re.I)
_FILE_NUMBER = re.compile(r"\b\d{3}-\d{4,6}(?:-\d{1,3})?\b")
_IRS = re.compile(r"\b\d{2}-\d{7}\b")
_SERIES = re.compile(r"\bSeries\s+(\d{4}-[0-9A-Z]{1,8})\b", re.I)
_ANSWER = re.compile(r"(\s*(?:[A-Z]\.\s+)?)(\S[^\n]{0,200}?[:?])\s{2,}(YES|NO|NONE|NOT APPLICABLE)\.?\s*$", re.I)
_DATE = re.compile(r"\b(\d{1,2}-[A-Z][a-z]{2}-\d{2,4}|\d{1,2}/\d{1,2}/\d{2,4}|(?:January|February|March|April|May|"
                   r"June|July|August|September|October|November|December) \d{1,2}, \d{4})\b")
_SIGNED = re.compile(r"(\s*By:\s*)(/s/\s*\S.*?)\s*$")
_NAME = re.compile(r"(\s*Name:\s*)(\S.*?)\s*$")
_TITLE = re.compile(r"(\s*Title:\s*)(\S.*?)\s*$")
_COMPANY = re.compile(r"\s*By:\s+(?!/s/)\S")


def read_cover(lines: list[tuple[int, str]]) -> Cover:
    """Read a cover page (and signature block) from its (line number, text) lines."""
    cover = Cover()
    for index, (number, text) in enumerate(lines):
        _line_facts(cover, lines, index, number, text)
    _signature(cover, lines)
    return cover


def _line_facts(cover: Cover, lines: list, index: int, number: int, text: str) -> None:
    facts = cover.facts
    match = _FORM.match(text)
    if match and "form_type" not in facts:
        facts["form_type"] = Fact(match.group(1).upper(), number, match.start(1) + 1)
        return
    match = _REPORT_DATE.match(text)
    if match and "report_date" not in facts:
        found = _first_date(lines, index) if not match.group(1) else (number, match.start(1) + 1, match.group(1))
        if found:
            facts["report_date"] = Fact(found[2], found[0], found[1], parse_date(found[2]))
        return
    if _EXACT_NAME.match(text) and "registrant" not in facts:
        _registrant(cover, _block_above(lines, index))
    elif _IDS.match(text) and "commission_file_number" not in facts:
        _ids(cover, _block_above(lines, index)[-1:])
    elif _ADDRESS.match(text) and "address" not in facts:
        block = _block_above(lines, index)
        if block:
            value = ", ".join(" ".join(t.split()) for _, t in block)
            first = block[0]
            facts["address"] = Fact(first[1].strip().split("  ")[0].strip(), first[0], _indent(first[1]) + 1, value,
                                    block[-1][0])
    elif (match := _PHONE.match(text)) and "telephone" not in facts:
        facts["telephone"] = Fact(match.group(1), number, match.start(1) + 1)
    elif (match := _ANSWER.match(text)) is not None:
        cover.answers.append((match.group(2).rstrip(":"), Fact(text[match.start(3):].strip(), number,
                                                               match.start(3) + 1)))
    elif (match := _DATE.search(text)) is not None and not _SIGNED.match(text):
        label = " ".join((text[:match.start()] + " " + text[match.end():]).split()).rstrip(":")
        if not label and index:  # a date wrapped onto a line of its own: the line above says what it is
            label = " ".join(lines[index - 1][1].split()).rstrip(":")
        cover.dates.append((label, Fact(match.group(1), number, match.start(1) + 1)))


def _first_date(lines: list, index: int):
    for number, text in lines[index + 1:index + 3]:
        match = _DATE.search(text)
        if match:
            return number, match.start(1) + 1, match.group(1)
    return None


def _block_above(lines: list, index: int) -> list:
    """The non-blank lines right above a caption, up to a blank line."""
    block: list[tuple[int, str]] = []
    for number, text in reversed(lines[max(index - 4, 0):index]):
        if not text.strip():
            if block:
                break
            continue
        block.insert(0, (number, text))
    return block


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _registrant(cover: Cover, block: list) -> None:
    """The registrant's name: its first line, and a line that continues it with the series; a
    further line is the certificates' title."""
    if not block:
        return
    name: list[tuple[int, str]] = [block[0]]
    title: list[tuple[int, str]] = []
    for item in block[1:]:
        (name if item[1].strip().startswith("Series") and not title else title).append(item)
    value = ", ".join(" ".join(t.split()) for _, t in name)
    for number, text in name:
        match = _SERIES.search(text)
        if match and "series" not in cover.facts:
            cover.facts["series"] = Fact(match.group(1), number, match.start(1) + 1)
    first = name[0]
    cover.facts["registrant"] = Fact(" ".join(first[1].split()) if len(name) == 1 else first[1].strip(),
                                     first[0], _indent(first[1]) + 1, value, name[-1][0])
    if title:
        head = title[0]
        cover.facts["certificate_title"] = Fact(" ".join(head[1].split()) if len(title) == 1 else head[1].strip(),
                                                head[0], _indent(head[1]) + 1,
                                                ", ".join(" ".join(t.split()) for _, t in title), title[-1][0])


def _ids(cover: Cover, block: list) -> None:
    """State, commission file number and IRS number: the line over their captions."""
    if not block:
        return
    number, text = block[0]
    pieces = [(m.start() + 1, m.group()) for m in re.finditer(r"\S+(?: \S+)*", text)]
    for column, piece in pieces:
        if _FILE_NUMBER.fullmatch(piece) and "commission_file_number" not in cover.facts:
            cover.facts["commission_file_number"] = Fact(piece, number, column)
        elif _IRS.fullmatch(piece) and "irs_employer_id" not in cover.facts:
            cover.facts["irs_employer_id"] = Fact(piece, number, column)
        elif not any(ch.isdigit() for ch in piece) and "state_of_incorporation" not in cover.facts:
            cover.facts["state_of_incorporation"] = Fact(piece, number, column)


def _signature(cover: Cover, lines: list) -> None:
    """The signer, the signer's title and the company signing (the trustee): the line under
    "Title:", or a "By:" line that names a company acting as trustee."""
    for index, (number, text) in enumerate(lines):
        if (match := _SIGNED.match(text)) is not None and cover.signed is None:
            cover.signed = Fact(match.group(2), number, match.start(2) + 1)
        elif (match := _NAME.match(text)) is not None and "signer_name" not in cover.facts:
            cover.facts["signer_name"] = Fact(match.group(2), number, match.start(2) + 1)
        elif (match := _TITLE.match(text)) is not None and "signer_title" not in cover.facts:
            cover.facts["signer_title"] = Fact(match.group(2), number, match.start(2) + 1)
            following = next(((n, t) for n, t in lines[index + 1:index + 2] if t.strip()), None)
            if following and not re.match(r"\s*Date", following[1], re.I):
                _trustee(cover, following[0], following[1])
        elif (match := _COMPANY.match(text)) is not None and "trustee" not in cover.facts:
            around = " ".join(t for _, t in lines[index:index + 3])
            if re.search(r"\bas\s+(?:Trustee|Securities Administrator|Trust Administrator)\b", around, re.I):
                _trustee(cover, number, text)


def _trustee(cover: Cover, number: int, text: str) -> None:
    name = text.strip().removeprefix("By:").strip()
    name = re.split(r",?\s+(?:not in its\b|as\s+(?:Trustee|Securities Administrator|Trust "
                    r"Administrator))", name, maxsplit=1, flags=re.I)[0].rstrip(",")
    if name and "trustee" not in cover.facts:
        cover.facts["trustee"] = Fact(name, number, text.index(name) + 1)
