"""What one fuzz case must satisfy: run it through the pipeline and every output, and check each output.

The contract of "Hostile and broken input": parse_reports yields only ParseResult or
RemitError; check_result, the rules across months (the mutated report against its
unmutated sample), to_json, render and RemitError.render never raise; junit
is XML with only characters XML 1.0 allows; json parses (no NaN/Infinity); every
github ``::`` line is one annotation with its data escaped; human output holds no
control character but newline nor a line a CI runner reads as a workflow
command; a record's JSON parses; a malformed number has a finding on its line. RG9xx findings are counted
as internal errors (reported, not crashes).
"""

from __future__ import annotations

import functools
import json
from urllib.parse import quote
import os
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree as ET

from fuzz_cases import ROOT, SAMPLES, Case

sys.path.insert(0, str(ROOT))

import remitgrammar  # noqa: E402
from remitgrammar.check.report import render  # noqa: E402
from remitgrammar.emit.json_record import to_json  # noqa: E402
from remitgrammar.errors import RemitError, visible  # noqa: E402
from remitgrammar.pipeline import (ParseResult, check_across, check_result, month_of_outcome,  # noqa: E402
                                   parse_reports)

PACKAGE = Path(remitgrammar.__file__).resolve().parent  # the code under test, wherever it was imported from
FORMATS = ("human", "json", "github", "junit", "sarif")

# --------------------------------------------------------------------------- output checks

XML_FORBIDDEN = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
GITHUB_COMMAND = re.compile(r"^::(error|warning|notice|debug) ")
GITHUB_KEYS = {"file", "line", "col", "endLine", "endColumn", "title"}
PROPERTY_ESCAPES = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def _codepoints(chars) -> str:
    return " ".join(sorted({f"U+{ord(c):04X}" for c in chars}))


def junit_problems(text: str, results: list) -> list:
    """(kind, detail) for each way a junit output is not valid XML 1.0."""
    bad = XML_FORBIDDEN.findall(text)
    if bad:
        return [("junit: character XML 1.0 forbids", _codepoints(bad))]
    try:
        ET.fromstring(text)
    except Exception as exc:  # noqa: BLE001 - any parser failure is the finding
        return [("junit: not well-formed XML", str(exc)[:120])]
    return []


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def json_problems(text: str, results: list = ()) -> list:
    """(kind, detail) when a JSON text does not parse (NaN and Infinity are not JSON)."""
    try:
        json.loads(text, parse_constant=_reject_constant, parse_int=Decimal, parse_float=Decimal)
    except Exception as exc:  # noqa: BLE001
        return [("json: not valid JSON", str(exc)[:120])]
    return []


def human_problems(text: str, results: list) -> list:
    """(kind, detail) for raw control characters (anything but newline) in human output."""
    c0 = [c for c in text if (c < " " and c != "\n") or c == "\x7f"]
    c1 = [c for c in text if "\x80" <= c <= "\x9f"]
    found = [("human: raw control character (C0/DEL)", _codepoints(c0))] if c0 else []
    found += [("human: raw C1 control character (U+0080-U+009F)", _codepoints(c1))] if c1 else []
    # a CI runner strips leading spaces: such a line would run as a workflow command
    commands = [line for line in text.split("\n") if line.lstrip().startswith("::") or "##[" in line]
    return found + ([("human: a line a CI runner reads as a workflow command", repr(commands[0][:80]))] if commands else [])


def _unescape_property(value: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: PROPERTY_ESCAPES[m.group()], value)


def _bad_percent(text: str, allowed: str) -> bool:
    return any(text[i + 1:i + 3] not in allowed.split() for i, c in enumerate(text) if c == "%")


def _annotation_problems(line: str, path: str) -> list:
    """Problems of one ``::command key=value,...::message`` line (the first ``::`` ends the properties);
    the file property is the path with its control characters escaped (errors.visible)."""
    command = GITHUB_COMMAND.match(line)
    properties, sep, message = line[command.end() if command else 0:].partition("::")
    if not command or not sep or "\r" in line:
        return [("github: malformed annotation line (no command, no '::', or a raw CR)", repr(line[:100]))]
    pairs = [p.partition("=") for p in properties.split(",")]
    if any(key not in GITHUB_KEYS or not sep or ":" in value for key, sep, value in pairs):
        return [("github: property not key=value (unescaped ',' or ':')", repr(properties[:100]))]
    found = []
    if any(key == "file" and _unescape_property(value) != visible(path, newline="\n") for key, _, value in pairs):
        found.append(("github: file property is not the escaped path", repr(properties[:100])))
    if _bad_percent(properties, "25 0D 0A 3A 2C") or _bad_percent(message, "25 0D 0A"):
        found.append(("github: unescaped '%'", repr(line[:100])))
    return found


def github_problems(text: str, results: list) -> list:
    """(kind, detail): one ``::`` line per finding, each a well-formed, escaped workflow command."""
    lines = text.rstrip("\n").split("\n")
    paths = [path for path, findings in results for _ in findings]
    annotations, others = lines[:-1], lines[-1:]
    found = [p for line, path in zip(annotations, paths) for p in _annotation_problems(line, path)]
    if len(annotations) != len(paths) or any(line.startswith("::") for line in others):
        found.append(("github: annotation lines != findings (a raw newline split one)",
                      f"{len(annotations)} lines for {len(paths)} findings"))
    return found


SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sarif_problems(text: str, results: list) -> list:
    """(kind, detail): one SARIF 2.1.0 log, a result per finding in order, each rule listed once,
    each location the file's escaped URI with a line and column of at least 1 where given."""
    found = json_problems(text)
    if found:
        return [("sarif: " + kind, detail) for kind, detail in found]
    log = json.loads(text)
    if log.get("version") != "2.1.0" or len(log.get("runs", [])) != 1:
        return [("sarif: not one SARIF 2.1.0 run", text[:100])]
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    expected = [(quote(path.replace("\\", "/").encode("utf-8", "surrogateescape")), f)
                for path, findings in results for f in findings]
    if len(run["results"]) != len(expected) or len(set(rules)) != len(rules):
        return [("sarif: results != findings, or a rule listed twice", f"{len(run['results'])} for {len(expected)}")]
    for result, (uri, finding) in zip(run["results"], expected):
        location = result["locations"][0]["physicalLocation"]
        region = location.get("region", {})
        if (result["ruleId"] != finding.code or result["ruleId"] not in rules
                or result["level"] != SARIF_LEVELS[finding.severity] or location["artifactLocation"]["uri"] != uri
                or any(not isinstance(v, int) or v < 1 for v in region.values())):
            found.append(("sarif: a result does not match its finding", repr(result)[:120]))
    return found


OUTPUT_CHECKS = {"human": human_problems, "json": json_problems, "github": github_problems,
                 "junit": junit_problems, "sarif": sarif_problems}


# --------------------------------------------------------------------------- one case

class Crash(NamedTuple):
    """One unexpected exception: grouped by ``kind`` and ``where`` (innermost remitgrammar frame)."""

    kind: str
    where: str
    stage: str
    message: str
    traceback: str
    inner: str  # the innermost frame of all, when it is outside remitgrammar (lark, decimal, ...)


@dataclass
class Outcome:
    """What one case found (plain data: it crosses from the worker to the parent)."""

    number: int
    exceptions: list = field(default_factory=list)  # Crash
    internal: list = field(default_factory=list)    # (code, cause, location)
    invalid: list = field(default_factory=list)     # (kind, detail)
    seconds: float = 0.0      # wall time of the whole case (library run and CLI runs)
    cpu: float = 0.0          # CPU seconds of its slowest run: the library's, or one CLI command's
    stages: Counter = field(default_factory=Counter)  # stage -> seconds
    debug: list = field(default_factory=list)       # tracebacks that RG900 errors carry


def _frame(f) -> str:
    home = str(PACKAGE.parent) + os.sep
    where = f.filename[len(home):] if f.filename.startswith(home) else f.filename
    return f"{where.rpartition('site-packages/')[2]}:{f.lineno} ({f.name})"


def _clip(text: str, keep: int = 24) -> str:
    """The first and last ``keep`` lines of a long traceback."""
    lines = text.splitlines()
    if len(lines) <= 2 * keep:
        return text
    return "\n".join(lines[:keep] + [f"    ... {len(lines) - 2 * keep} lines left out ..."] + lines[-keep:])


def locate(frames: list) -> tuple[str, str]:
    """``remitgrammar/x.py:123 (function)`` of the innermost frame in the package (else the innermost),
    and the innermost frame of all when that one is elsewhere (lark, decimal, ...), else ""."""
    ours = [f for f in frames if f.filename.startswith(str(PACKAGE) + os.sep)] or frames[-1:]
    if not ours:
        return "?", ""
    return _frame(ours[-1]), "" if ours[-1] is frames[-1] else _frame(frames[-1])


def _record_exception(out: Outcome, stage: str, exc: BaseException) -> None:
    where, inner = locate(list(traceback.extract_tb(exc.__traceback__)))
    out.exceptions.append(Crash(type(exc).__name__, where, stage, str(exc)[:200],
                                "".join(traceback.format_exception(exc)), inner))


def _stage(out: Outcome, stage: str, fn, *args):
    """fn(*args), or None with the exception recorded; its time is added to the stage's."""
    start = time.perf_counter()
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - the exception is the finding
        _record_exception(out, stage, exc)
        return None
    finally:
        out.stages[stage] += time.perf_counter() - start


DEBUG_FRAME = re.compile(r'File "([^"]+)", line (\d+), in (\S+)')


def _internal(finding, debug: str | None) -> tuple:
    """(code, cause, location) of an RG9xx finding: the exception it names, where the traceback says."""
    kind = re.search(r"internal error: ([\w.]+)", finding.message)
    rule = re.search(r"rule (RG\d+) stopped", finding.message)
    cause = " ".join(filter(None, [rule and f"rule {rule.group(1)}", kind and kind.group(1)])) or finding.message[:80]
    frames = [traceback.FrameSummary(f, int(n), name) for f, n, name in DEBUG_FRAME.findall(debug or "")]
    where, inner = locate(frames) if frames else ("-", "")
    return finding.code, cause, where + (f" <- {inner}" if inner else "")


def _check_outcome(out: Outcome, outcome) -> list:
    """The findings of one parse outcome, with internal errors and the record's JSON checked."""
    if not isinstance(outcome, (ParseResult, RemitError)):
        out.invalid.append(("parse_reports: yielded neither ParseResult nor RemitError", type(outcome).__name__))
        return []
    if isinstance(outcome, RemitError):
        _stage(out, "RemitError.render", outcome.render)
    findings = _stage(out, "check_result", check_result, outcome) or []
    debug = getattr(outcome, "debug", None)
    out.debug += [debug] if debug else []
    out.internal += [_internal(f, debug) for f in findings if str(f.code).startswith("RG9")]
    result = outcome.result if isinstance(outcome, RemitError) else outcome
    if result is not None:
        text = _stage(out, "to_json", to_json, result.record)
        out.invalid += [("record " + kind, d) for kind, d in json_problems(text or "{}")]
    return findings


@functools.lru_cache(maxsize=None)
def _sample_month(sample: str):
    """The month of a golden sample as printed (by its path or file name), to compare the mutated
    report with; None for a name that is no sample."""
    found = [p for p in SAMPLES if sample in (p.relative_to(ROOT).as_posix(), p.name)]
    if not found:
        return None
    ((name, outcome),) = list(parse_reports(sample, data=found[0].read_bytes()))
    return month_of_outcome(name, outcome, reported=False)


def _across(out: Outcome, case: Case, outcomes: list, results: list) -> list:
    """The results with the rules across months added: each mutated report against its unmutated sample."""
    months = [_sample_month(case.sample)] + [month_of_outcome(name, outcome, ref=i)
                                             for i, (name, outcome) in enumerate(outcomes)]
    found = check_across(months)
    out.internal += [_internal(f, None) for findings in found.values() for f in findings if f.code.startswith("RG9")]
    return [(name, findings + found.get(i, [])) for i, (name, findings) in enumerate(results)]


def run_case(case: Case, cli: bool = False) -> Outcome:
    """Run one case through the pipeline and every output; what broke the contract."""
    out, start, cpu = Outcome(case.number), time.perf_counter(), time.process_time()
    outcomes = _stage(out, "parse_reports", lambda: list(parse_reports(case.subject.name, data=case.subject.data)))
    results = [(name, _check_outcome(out, outcome)) for name, outcome in outcomes or []]
    results = _stage(out, "check_across", _across, out, case, outcomes or [], results) or results
    if len(case.steps) == 1:  # another mutation may have moved or removed the watched line
        watched = [line for line in case.subject.watched if line in _value_lines(case.sample)]
        out.invalid += silent_values(watched, results)
    for fmt in FORMATS:
        text = _stage(out, f"render {fmt}", render, results, fmt, "error", True)  # every finding, infos too
        if text is not None:
            out.invalid += OUTPUT_CHECKS[fmt](text, results)
    out.cpu = time.process_time() - cpu
    if cli:
        _run_cli(out, case.subject.data)
    out.seconds = time.perf_counter() - start
    return out


@functools.lru_cache(maxsize=None)
def _value_lines(sample: str) -> frozenset:
    """The lines of a golden sample that print a value its record reads (a number on a cover page or
    in a note is no value: changing it needs no finding)."""
    found = [p for p in SAMPLES if sample in (p.relative_to(ROOT).as_posix(), p.name)]
    lines = set()
    for _, outcome in parse_reports(sample, data=found[0].read_bytes()) if found else ():
        result = outcome.result if isinstance(outcome, RemitError) else outcome
        lines |= {where["line"] for where in (result.provenance.values() if result is not None else ())}
    return frozenset(lines)


def silent_values(watched: list, results: list) -> list:
    """(kind, detail) for each line holding a malformed value that no finding names."""
    lines = {f.line for _, findings in results for f in findings}
    return [("a malformed number with no finding on its line", f"line {line}") for line in watched
            if line not in lines]


def _run_cli(out: Outcome, data: bytes) -> None:
    from typer.testing import CliRunner

    from remitgrammar.cli import app
    for args in (["check", "-", "--output-format", "junit"], ["parse", "-"]):
        start, cpu = time.perf_counter(), time.process_time()
        result = CliRunner().invoke(app, args, input=data)
        out.stages["cli " + args[0]] += time.perf_counter() - start
        out.cpu = max(out.cpu, time.process_time() - cpu)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            _record_exception(out, "cli " + args[0], result.exception)
