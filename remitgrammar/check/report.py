"""Render findings of ``check``: human, json, github (workflow annotations), junit (XML)."""

from __future__ import annotations

import functools
import io
import json
import re
from typing import Callable

from ..errors import visible

SEVERITIES = ("info", "warning", "error")


def at_or_above(severity: str, threshold: str) -> bool:
    """Whether a severity is at or above a threshold (info < warning < error)."""
    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)


def _summary(files: int, counts: dict, info_shown: bool = True) -> str:
    hidden = " not shown (--show-info shows them)" if counts["info"] and not info_shown else ""
    return (f"{files} file(s): {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} info{hidden}")


class Report:
    """Writes the findings of each file as they come, in one output format, then the summary: a
    corpus is never held whole. ``failed`` says whether a finding was at or above ``fail_on``.

    In the human and github formats, ``quiet`` leaves out the summary line and ``statistics`` writes
    a count per code instead of each finding.

    Info findings (hundreds on a corpus: figures printed again, agreeing) are counted in the summary but
    shown only when ``show_info`` or when ``fail_on`` is info, in the views people read: human,
    github and sarif (code scanning opens an alert for every result, a note too). json and junit are
    data that tools filter by severity: they keep every finding, and their counts match what they list."""

    def __init__(self, output_format: str, fail_on: str, out, quiet: bool = False, statistics: bool = False,
                 show_info: bool = False):
        self.write = getattr(self, f"_{output_format}", self._human)
        self.fail_on, self.out, self.quiet = fail_on, out, quiet
        self.show_info = bool(show_info) or fail_on == "info"
        self.hides_info = not self.show_info and output_format in ("human", "github", "sarif")
        self.files, self.counts, self.failed = 0, {s: 0 for s in SEVERITIES}, False
        self.per_code: dict | None = {} if statistics and output_format in ("human", "github") else None
        self.fixed: Callable[[], int] | None = None  # with a baseline: how many of its findings the run did not meet
        self.sarif = None
        if output_format == "sarif":
            from .sarif import SarifLog  # here: it loads the rule registry for the rules' descriptions

            self.sarif = SarifLog(out)
            self.write = self.sarif.add

    def add(self, path: str, findings: list) -> None:
        for finding in findings:
            self.counts[finding.severity] += 1
            self.failed = self.failed or at_or_above(finding.severity, self.fail_on)
        if self.hides_info:
            findings = [f for f in findings if f.severity != "info"]
        if self.per_code is not None:
            for finding in findings:
                self.per_code.setdefault((finding.code, finding.severity), 0)
                self.per_code[finding.code, finding.severity] += 1
        else:
            self.write(path, findings)
        self.files += 1

    def close(self) -> None:
        """The end of the output: the summary (and the closing of a JSON or XML document)."""
        tail = _summary(self.files, self.counts, not self.hides_info)
        if self.sarif is not None:
            self.sarif.close()
        elif self.write == self._json:
            self.out.write('{\n  "files": [],' if not self.files else "\n  ],")
            counts = json.dumps({"files": self.files, **{s: self.counts[s] for s in reversed(SEVERITIES)}})
            self.out.write(f'\n  "summary": {counts}\n}}\n')
        elif self.write == self._junit:
            self.out.write("</testsuites>\n" if self.files else '<testsuites name="remitgrammar check" />\n')
        else:
            for (code, severity), count in sorted((self.per_code or {}).items()):
                self.out.write(f"{count:8d}  {visible(code)}  {severity:7s}  {_title(code)}".rstrip() + "\n")
            if self.per_code is not None and self.fixed is not None:
                self.out.write(f"{self.fixed():8d}  fixed: findings of the baseline that no longer occur\n")
            if not self.quiet:
                self.out.write(tail + "\n")

    def _human(self, path: str, findings: list) -> None:
        """``path:line:col: CODE severity: message``, the source line and a caret."""
        for f in findings:
            self.out.write(f.render(path) + "\n")

    def _json(self, path: str, findings: list) -> None:
        """One object: the files with their findings, and the counts (files, error, warning, info)."""
        entry = json.dumps({"path": path, "findings": [f.as_dict() for f in findings]}, indent=2)
        self.out.write(('{\n  "files": [\n' if not self.files else ",\n") + _indented(entry, "    "))

    def _github(self, path: str, findings: list) -> None:
        """GitHub Actions workflow commands: one annotation per finding."""
        for f in findings:
            self.out.write(_annotation(path, f) + "\n")

    def _junit(self, path: str, findings: list) -> None:
        """JUnit XML: a test suite per file, a test case per finding (failures at or above ``fail_on``)."""
        if not self.files:
            self.out.write('<testsuites name="remitgrammar check">')
        from xml.etree import ElementTree as ET  # here: only junit writes XML

        self.out.write(ET.tostring(_suite(path, findings, self.fail_on), encoding="unicode"))


def _title(code: str) -> str:
    from .rulesdoc import describe  # here: it loads the rule registry

    known = describe(code)
    return known.title if known else ""


def selected(results, select: tuple = (), ignore: tuple = (), per_path=None):
    """The results with only the findings whose code starts with one of ``select`` (all when empty)
    and with none of ``ignore`` (see _kept): ``RG3`` is every arithmetic rule, ``RG303`` one.
    ``per_path(path)`` gives more codes to leave out of one file's findings. A finding built on others
    (RG399, RG407: ``rests_on``) goes with them when every code it rests on is left out there."""
    select, ignore = tuple(select), tuple(ignore)  # _kept's memo keys
    for path, findings, *rest in results:
        left_out = ignore + (tuple(per_path(path)) if per_path else ())
        yield (path, [f for f in findings if _kept(f.code, select, left_out) and not _unfounded(f, left_out)],
               *rest)


def _unfounded(finding, ignore: tuple) -> bool:
    """A finding whose every ground is ignored: what it explains is not reported, so neither is it."""
    grounds = getattr(finding, "rests_on", None)
    return bool(grounds and ignore and not any(_kept(code, (), ignore) for code in grounds))


@functools.lru_cache(maxsize=4096)  # a corpus asks of the same few codes and lists for every finding
def _kept(code: str, select: tuple, ignore: tuple) -> bool:
    """The most specific prefix that matches decides (as ruff's do): ``--select RG303`` keeps RG303
    under ``ignore = ["RG3"]``; on a tie, ignore wins. No select at all selects every code."""
    chosen = max((len(s) for s in select if code.startswith(s)), default=-1 if select else 0)
    dropped = max((len(i) for i in ignore if code.startswith(i)), default=-1)
    return chosen >= 0 and chosen > dropped


def _indented(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


def _annotation(path: str, f) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
    where = f"file={_property(path)}" + (f",line={f.line}" if f.line else "") + \
        (f",col={f.column}" if f.column else "")
    message = f.message + (f" (expected {f.expected}, actual {f.actual})" if f.actual is not None else "")
    return f"::{level} {where},title={_property(f.code)}::{_data(message)}"


def _data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped, so it cannot end the command; any other
    control character shown as ``\\x1b`` (GitHub's escapes have none for them, and a log obeys them)."""
    return visible(text, newline="\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value: also ``:`` and ``,``, which would start another property."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text) -> str:
    """Text XML 1.0 allows, and a CI log shows without obeying: control characters and lone surrogates
    written as ``visible`` writes them, newlines kept; U+FFFE and U+FFFF (which XML forbids) as \\uNNNN."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", visible(text, newline="\n"))


def _suite(path: str, findings: list, fail_on: str):
    """A file's test suite: a test case per finding, a failure at or above ``fail_on``."""
    from xml.etree import ElementTree as ET  # here: only junit writes XML

    failures = sum(at_or_above(f.severity, fail_on) for f in findings)
    path = _xml(visible(path))  # a newline too: an attribute's newline is read back as a space
    suite = ET.Element("testsuite", name=path, tests=str(max(len(findings), 1)), failures=str(failures),
                       errors="0")
    if not findings:
        ET.SubElement(suite, "testcase", classname=path, name="all rules")
    for f in findings:
        case = ET.SubElement(suite, "testcase", classname=path,
                             name=_xml(visible(f"{f.code} {f.path or ''} line {f.line or 0}".strip())))
        if at_or_above(f.severity, fail_on):
            failure = ET.SubElement(case, "failure", message=_xml(visible(f.message)), type=_xml(f.code))
            failure.text = _xml(f.render(path))
        else:
            ET.SubElement(case, "system-out").text = _xml(f.render(path))
    return suite


def render(results: list, output_format: str, fail_on: str, show_info: bool = False) -> str:
    """The findings of all files in one output format, as one text (info findings as ``Report`` shows them)."""
    out = io.StringIO()
    report = Report(output_format, fail_on, out, show_info=show_info)
    for path, findings in results:
        report.add(path, findings)
    report.close()
    return out.getvalue()
