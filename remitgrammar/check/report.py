"""Render findings of ``check``: human, json, github (workflow annotations), junit (XML)."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

SEVERITIES = ("info", "warning", "error")


def at_or_above(severity: str, threshold: str) -> bool:
    """Whether a severity is at or above a threshold (info < warning < error)."""
    return SEVERITIES.index(severity) >= SEVERITIES.index(threshold)


def summary(results: list) -> str:
    """``4 files, 2 errors, 6 warnings, 9 info``."""
    counts = {s: 0 for s in SEVERITIES}
    for _, findings in results:
        for finding in findings:
            counts[finding.severity] += 1
    return (f"{len(results)} file(s): {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} info")


def human(results: list) -> str:
    """``path:line:col: CODE severity: message``, the source line and a caret, then a summary."""
    blocks = [f.render(path) for path, findings in results for f in findings]
    return "\n".join(blocks + [summary(results)]) + "\n"


def as_json(results: list) -> str:
    """One object: the files with their findings, and the counts."""
    payload = {"files": [{"path": path, "findings": [f.as_dict() for f in findings]}
                         for path, findings in results],
               "summary": summary(results)}
    return json.dumps(payload, indent=2) + "\n"


def github(results: list) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for path, findings in results:
        for f in findings:
            where = f"file={_property(path)}" + (f",line={f.line}" if f.line else "") + \
                (f",col={f.column}" if f.column else "")
            message = f.message + (f" (expected {f.expected}, actual {f.actual})" if f.actual is not None else "")
            lines.append(f"::{level[f.severity]} {where},title={_property(f.code)}::{_data(message)}")
    lines.append(summary(results))
    return "\n".join(lines) + "\n"


def _data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped, so it cannot end the command."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value: also ``:`` and ``,``, which would start another property."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text) -> str:
    """Text XML 1.0 allows: a character it forbids (a control character in a label) is written as \\xNN."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def junit(results: list, fail_on: str) -> str:
    """JUnit XML: a test suite per file, a test case per finding (failures at or above ``fail_on``)."""
    suites = ET.Element("testsuites", name="remitgrammar check")
    for path, findings in results:
        failures = sum(at_or_above(f.severity, fail_on) for f in findings)
        path = _xml(path)
        suite = ET.SubElement(suites, "testsuite", name=path, tests=str(max(len(findings), 1)),
                              failures=str(failures), errors="0")
        if not findings:
            ET.SubElement(suite, "testcase", classname=path, name="all rules")
        for f in findings:
            case = ET.SubElement(suite, "testcase", classname=path,
                                 name=_xml(f"{f.code} {f.path or ''} line {f.line or 0}".strip()))
            if at_or_above(f.severity, fail_on):
                failure = ET.SubElement(case, "failure", message=_xml(f.message), type=f.code)
                failure.text = _xml(f.render(path))
            else:
                ET.SubElement(case, "system-out").text = _xml(f.render(path))
    return ET.tostring(suites, encoding="unicode") + "\n"


def render(results: list, output_format: str, fail_on: str) -> str:
    """The findings of all files in one output format."""
    if output_format == "json":
        return as_json(results)
    if output_format == "github":
        return github(results)
    if output_format == "junit":
        return junit(results, fail_on)
    return human(results)
