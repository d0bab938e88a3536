"""Fuzz remitgrammar with mutated golden reports, and measure how it holds up to hostile input.

Each case takes one golden sample (tests/corpus/*/*.txt), applies one mutation to
its bytes (sometimes two or three stacked), and runs what a user's run does:
``parse_reports`` -> ``check_result`` -> ``to_json`` of each record -> ``render``
in the four output formats (every tenth case also the CLI's ``check -`` and
``parse -``). It then checks the contract of "Hostile and broken input":

* no unexpected Python exception: parse_reports yields only ParseResult or
  RemitError; check_result, to_json, render and RemitError.render never raise;
* bounded time: a case over ``--timeout`` seconds is a hang (the parent kills
  the worker and starts a new one);
* valid outputs: junit parses as XML and holds no character XML 1.0 forbids;
  json parses (no NaN/Infinity); every github ``::`` line is one annotation
  with its data escaped (``%``, CR, LF; in properties also ``:`` and ``,``);
  human output holds no control character but newline; a record's JSON parses.

An RG9xx finding (or RemitError) is an *internal error*: reported, not a crash;
they are counted and grouped by their cause.

Every case is made from its own random generator, seeded by ``--seed`` and its
number, so one case can be replayed alone, in this process, with its traceback:

    python bench/fuzz.py --cases 3000 --seed 1 --workers 2 --timeout 5
    python bench/fuzz.py --seed 1 --replay 1234                      # rerun case 1234, print what broke
    python bench/fuzz.py --seed 1 --replay 1234 --write-input c.txt  # its bytes: remitgrammar check c.txt

The exit status is 0 whatever is found (this measures; tests/test_fuzz.py asserts),
2 for bad arguments. No worker process outlives the run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from multiprocessing.connection import wait
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import remitgrammar  # noqa: E402
from remitgrammar.check.report import render  # noqa: E402
from remitgrammar.emit.json_record import to_json  # noqa: E402
from remitgrammar.errors import RemitError  # noqa: E402
from remitgrammar.pipeline import ParseResult, check_result, parse_reports  # noqa: E402

PACKAGE = Path(remitgrammar.__file__).resolve().parent  # the code under test, wherever it was imported from
SAMPLES = sorted((ROOT / "tests" / "corpus").glob("*/*.txt"))
FORMATS = ("human", "json", "github", "junit")
LONG_LINE = 1_000_000


# --------------------------------------------------------------------------- mutations

@dataclass
class Subject:
    """What one case feeds to parse_reports: the report's name (its path as shown) and its bytes."""

    name: str
    data: bytes


def _show(data: bytes, limit: int = 40) -> str:
    """A short, printable repr of some bytes."""
    text = repr(data[:limit])
    return text + (f"...({len(data)} bytes)" if len(data) > limit else "")


def _where(data: bytes, offset: int) -> str:
    line, start = data.count(b"\n", 0, offset) + 1, data.rfind(b"\n", 0, offset) + 1
    return f"line {line}, column {offset - start + 1}"


def _content_lines(lines: list) -> list:
    """Indices of the lines that hold something."""
    return [i for i, line in enumerate(lines) if line.strip()] or [0]


NUMBER = re.compile(rb"\(?-?\d[\d,]*(?:\.\d+)?\)?%?")
LABEL = re.compile(rb"^[ \t]*([A-Za-z](?:[A-Za-z0-9.,'/&#:()-]| (?! ))*?[A-Za-z.:)])(?=[ \t]{2,}[-(\d])", re.M)
CLASS_ROW = re.compile(rb"^( {0,12})([A-Z][A-Z0-9]{0,4}(?:-[A-Z0-9]{1,5}){0,2})( +)(?:[A-Z]{2,4} +)?\(?[\d.]")


def _labels(data: bytes) -> list:
    return list(LABEL.finditer(data))


def flip_bytes(s: Subject, rng: random.Random) -> str:
    """XOR 1, 2, 5 or 20 random bytes with a random non-zero byte."""
    data = bytearray(s.data)
    if not data:
        return "flip bytes: nothing to flip"
    offsets = sorted(rng.sample(range(len(data)), min(rng.choice([1, 2, 5, 20]), len(data))))
    changes = []
    for offset in offsets:
        old, data[offset] = data[offset], data[offset] ^ rng.randrange(1, 256)
        changes.append(f"{offset}:{old:#04x}->{data[offset]:#04x}")
    s.data = bytes(data)
    return f"flipped {len(offsets)} byte(s) (offset:old->new) {' '.join(changes)}"


def insert_bytes(s: Subject, rng: random.Random) -> str:
    """Insert 1 to 64 random bytes at a random offset."""
    blob = bytes(rng.randrange(256) for _ in range(rng.choice([1, 4, 16, 64])))
    offset = rng.randrange(len(s.data) + 1)
    s.data = s.data[:offset] + blob + s.data[offset:]
    return f"inserted {len(blob)} random byte(s) {blob!r} at offset {offset} ({_where(s.data, offset)})"


def delete_line(s: Subject, rng: random.Random) -> str:
    """Delete one line that holds something."""
    lines = s.data.split(b"\n")
    i = rng.choice(_content_lines(lines))
    gone = lines.pop(i)
    s.data = b"\n".join(lines)
    return f"deleted line {i + 1} {_show(gone)}"


REPEATS = (50, 500, 5000, 20000)  # 20,000 copies of a row make a file of about 2 MB


def repeat_line(s: Subject, rng: random.Random, counts: tuple = REPEATS) -> str:
    """Repeat one line that holds something (a class row, a heading...) many times."""
    lines = s.data.split(b"\n")
    i, count = rng.choice(_content_lines(lines)), rng.choice(counts)
    lines[i:i + 1] = [lines[i]] * count
    s.data = b"\n".join(lines)
    return f"repeated line {i + 1} {_show(lines[i])} {count} times"


ODD_NUMBERS = [
    ("a 50-digit number", b"12345678901234567890123456789012345678901234567890"),
    ("a 5000-digit number 99...9", b"9" * 5000),
    ("a 40-digit number with commas", b"9,999,999,999,999,999,999,999,999,999,999,999,999.99"),
    ("-1e999999999", b"-1e999999999"), ("1e5", b"1e5"), ("(86,", b"(86,"), ("N/A", b"N/A"),
    ("NaN", b"NaN"), ("Infinity", b"Infinity"), ("-Infinity", b"-Infinity"), ("0x1F", b"0x1F"),
    ("fullwidth digits '\\uff11\\uff12'", "\uff11\uff12".encode()), ("superscript two '\\u00b2'", "\u00b2".encode()),
]


def odd_number(s: Subject, rng: random.Random) -> str:
    """Replace one printed number with a huge or odd one (ODD_NUMBERS)."""
    numbers = list(NUMBER.finditer(s.data))
    if not numbers:
        return "odd number: the text holds no number"
    m, (label, value) = rng.choice(numbers), rng.choice(ODD_NUMBERS)
    s.data = s.data[:m.start()] + value + s.data[m.end():]
    return f"replaced the number {m.group().decode()!r} at {_where(s.data, m.start())} with {label}"


def insert_tabs(s: Subject, rng: random.Random) -> str:
    """Tabs: at random offsets, for the runs of spaces of one line, or for every 8 spaces."""
    how = rng.choice(["random", "runs", "every8"])
    if how == "every8":
        s.data = s.data.replace(b" " * 8, b"\t")
        return "replaced every run of 8 spaces with a tab"
    if how == "runs":
        lines = s.data.split(b"\n")
        i = rng.choice(_content_lines(lines))
        lines[i] = re.sub(rb"  +", b"\t", lines[i])
        s.data = b"\n".join(lines)
        return f"replaced each run of 2+ spaces on line {i + 1} with one tab"
    offsets = sorted(rng.randrange(len(s.data) + 1) for _ in range(rng.choice([1, 5, 50])))
    for offset in reversed(offsets):
        s.data = s.data[:offset] + b"\t" + s.data[offset:]
    return f"inserted a tab at each original offset {offsets}"


ENCODINGS = ["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"]


def reencode(s: Subject, rng: random.Random) -> str:
    """Write the text in another encoding (often after adding a non-ASCII letter to a label)."""
    text, accent = s.data.decode("utf-8", "replace"), ""
    labels = list(LABEL.finditer(text.encode("utf-8"))) if text.isascii() else []
    if labels and rng.random() < 0.7:
        m, accent = rng.choice(labels), rng.choice(["\u00e9", "\u20ac", "\u2019", "\u2014", "\u00fc", "\u00df"])
        end = m.end(1)
        text = text[:end] + accent + text[end:]
        accent = f", after adding {accent!r} to the label {m.group(1).decode()!r} at {_where(s.data, end)}"
    encoding = rng.choice(ENCODINGS)
    s.data = text.encode(encoding, "replace")
    return f"re-encoded as {encoding}{accent}"


LONG_LINES = ("spaces-end", "letters-end", "spaces-after-label", "letters-in-label", "new-letters-line")


def _padded(row: bytes, how: str) -> bytes:
    """A row made LONG_LINE characters long: padded at its end, or after (inside) its label."""
    filler = (b" " if "spaces" in how else b"x") * (LONG_LINE - len(row))
    if how.endswith("-end"):
        return row + filler
    label = LABEL.match(row)
    cut = label.end(1) if label else len(row) // 2
    return row[:cut] + filler + row[cut:]


def long_line(s: Subject, rng: random.Random) -> str:
    """A 1,000,000-character line: a real row padded with spaces or letters, or a new line of letters."""
    lines = s.data.split(b"\n")
    rows = [i for i, line in enumerate(lines) if re.search(rb"[A-Za-z].*\d", line)] or [0]
    i, how = rng.choice(rows), rng.choice(LONG_LINES)
    row = lines[i]
    if how == "new-letters-line":
        lines.insert(i + 1, b"x" * LONG_LINE)
    else:
        lines[i] = _padded(row, how)
    s.data = b"\n".join(lines)
    return f"made a {LONG_LINE:,}-character line ({how}) from line {i + 1} {_show(row)}"


def label_na(s: Subject, rng: random.Random) -> str:
    """Replace one label (the words before a line's numbers) with N/A."""
    labels = _labels(s.data)
    if not labels:
        return "label N/A: the text holds no label"
    m = rng.choice(labels)
    s.data = s.data[:m.start(1)] + b"N/A" + s.data[m.end(1):]
    return f"replaced the label {m.group(1).decode()!r} at {_where(s.data, m.start(1))} with 'N/A'"


def truncate(s: Subject, rng: random.Random) -> str:
    """Cut the file at a random byte."""
    offset = rng.randrange(len(s.data) + 1)
    where = _where(s.data, offset)
    s.data = s.data[:offset]
    return f"truncated at byte {offset} ({where})"


def _junk(rng: random.Random, size: int, nul: bool) -> bytes:
    return bytes(rng.randrange(0 if nul else 1, 256) for _ in range(size))


def junk_file(s: Subject, rng: random.Random) -> str:
    """Replace the whole file with random bytes."""
    size, nul = rng.choice([1, 7, 512, 65536]), rng.random() < 0.5
    s.data = _junk(rng, size, nul)
    return f"replaced the file with {size} random bytes ({'with' if nul else 'without'} NUL)"


def junk_block(s: Subject, rng: random.Random) -> str:
    """Insert a block of random bytes at a random offset."""
    size, nul, offset = rng.choice([64, 1024, 16384]), rng.random() < 0.5, rng.randrange(len(s.data) + 1)
    s.data = s.data[:offset] + _junk(rng, size, nul) + s.data[offset:]
    return f"inserted {size} random bytes ({'with' if nul else 'without'} NUL) at {_where(s.data, offset)}"


EMPTY = [b"", b"\n", b" \t \n\n", b"\xef\xbb\xbf", b"\r\n\r\n\r\n", b"\x0c"]


def empty(s: Subject, rng: random.Random) -> str:
    """An empty file, or one of only whitespace, a byte order mark, line ends or a form feed."""
    s.data = rng.choice(EMPTY)
    return f"replaced the file with {s.data!r}"


CONTROLS = [bytes([c]) for c in range(32)] + [b"\x7f", b"\x1b[31m"]


def control_in_label(s: Subject, rng: random.Random) -> str:
    """Insert a control character (\\x00-\\x1f, \\x7f, or the escape sequence \\x1b[31m) into 1 or 3 labels."""
    labels = _labels(s.data)
    if not labels:
        return "control in label: the text holds no label"
    done = []
    for m in sorted(rng.sample(labels, min(rng.choice([1, 3]), len(labels))), key=lambda m: -m.start()):
        at, char = rng.randrange(m.start(1), m.end(1) + 1), rng.choice(CONTROLS)
        s.data = s.data[:at] + char + s.data[at:]
        done.append(f"{char!r} into {m.group(1).decode()!r} at {_where(s.data, at)}")
    return "inserted " + "; ".join(reversed(done))


def _class_name(number: int, width: int) -> bytes:
    return (f"Z{number:02d}" + "ABCDEFGHIJKL")[:max(width, 3)].encode()


def _class_rows(lines: list) -> list:
    """Indices of the rows of class tables whose name can become a 3-character one without moving a column."""
    def fits(m) -> bool:
        return len(m.group(2)) >= 3 or len(m.group(3)) > 3 - len(m.group(2))
    return [i for i, line in enumerate(lines)
            if (m := CLASS_ROW.match(line)) and len(NUMBER.findall(line)) >= 2 and fits(m)]


def many_classes(s: Subject, rng: random.Random) -> str:
    """Copy one class row under new names (Z01, Z02...) until its table has 20, 40 or 80 more classes."""
    lines = s.data.split(b"\n")
    rows = _class_rows(lines)
    if not rows:
        return "many classes: no class row found"
    i, total = rng.choice(rows), rng.choice([20, 40, 80])
    m = CLASS_ROW.match(lines[i])
    name, width = m.group(2), len(m.group(2))
    tail = lines[i][m.end(2) + max(0, 3 - width):]
    copies = [lines[i][:m.start(2)] + _class_name(n, width) + tail for n in range(1, total + 1)]
    lines[i + 1:i + 1] = copies
    s.data = b"\n".join(lines)
    return f"duplicated the class row at line {i + 1} ({name.decode()!r}) as {total} new classes Z01..Z{total:02d}"


HOSTILE_NAMES = ["reports/deal,2003:06.txt", "a%0Ab%25.txt", "line\nbreak.txt", "cr\rreturn.txt",
                 "esc\x1b[31mred.txt", "tab\tname.txt", "::error file=x::injected.txt", "quote\"<&>'.txt",
                 "bad-utf8-\udcff.txt", "nel\x85ls\u2028.txt", "bell\x07nul\x00.txt"]


def hostile_name(s: Subject, rng: random.Random) -> str:
    """Give the report a hostile name (the path shown in every output): , : % CR LF ESC TAB NUL..."""
    s.name = rng.choice(HOSTILE_NAMES)
    return f"named the report {s.name!r} (contents unchanged)"


MUTATIONS = {f.__name__: f for f in (
    flip_bytes, insert_bytes, delete_line, repeat_line, odd_number, insert_tabs, reencode, long_line,
    label_na, truncate, junk_file, junk_block, empty, control_in_label, many_classes, hostile_name)}


@dataclass
class Case:
    """One fuzz case: its number, the sample it started from, and what was done to it."""

    number: int
    sample: str
    subject: Subject
    steps: list = field(default_factory=list)

    def describe(self) -> str:
        return f"{self.sample}: " + " THEN ".join(self.steps)


def make_case(seed: int, number: int) -> Case:
    """Case ``number`` of run ``seed``: the same bytes every time, whatever ran before."""
    rng = random.Random(f"{seed}:{number}")
    sample = rng.choice(SAMPLES)
    shown = sample.relative_to(ROOT).as_posix()
    case = Case(number, shown, Subject(shown, sample.read_bytes()))
    for _ in range(1 if rng.random() < 0.85 else rng.choice([2, 3])):
        kind = rng.choice(list(MUTATIONS))
        case.steps.append(f"{kind}: {MUTATIONS[kind](case.subject, rng)}")
    return case


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
    return found + ([("human: raw C1 control character (U+0080-U+009F)", _codepoints(c1))] if c1 else [])


def _unescape_property(value: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: PROPERTY_ESCAPES[m.group()], value)


def _bad_percent(text: str, allowed: str) -> bool:
    return any(text[i + 1:i + 3] not in allowed.split() for i, c in enumerate(text) if c == "%")


def _annotation_problems(line: str, path: str) -> list:
    """Problems of one ``::command key=value,...::message`` line (the first ``::`` ends the properties)."""
    command = GITHUB_COMMAND.match(line)
    properties, sep, message = line[command.end() if command else 0:].partition("::")
    if not command or not sep or "\r" in line:
        return [("github: malformed annotation line (no command, no '::', or a raw CR)", repr(line[:100]))]
    pairs = [p.partition("=") for p in properties.split(",")]
    if any(key not in GITHUB_KEYS or not sep or ":" in value for key, sep, value in pairs):
        return [("github: property not key=value (unescaped ',' or ':')", repr(properties[:100]))]
    found = []
    if any(key == "file" and _unescape_property(value) != path for key, _, value in pairs):
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


OUTPUT_CHECKS = {"human": human_problems, "json": json_problems, "github": github_problems,
                 "junit": junit_problems}


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
    seconds: float = 0.0
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


def run_case(case: Case, cli: bool = False) -> Outcome:
    """Run one case through the pipeline and every output; what broke the contract."""
    out, start = Outcome(case.number), time.perf_counter()
    outcomes = _stage(out, "parse_reports", lambda: list(parse_reports(case.subject.name, data=case.subject.data)))
    results = [(name, _check_outcome(out, outcome)) for name, outcome in outcomes or []]
    for fmt in FORMATS:
        text = _stage(out, f"render {fmt}", render, results, fmt, "error")
        if text is not None:
            out.invalid += OUTPUT_CHECKS[fmt](text, results)
    if cli:
        _run_cli(out, case.subject.data)
    out.seconds = time.perf_counter() - start
    return out


def _run_cli(out: Outcome, data: bytes) -> None:
    from typer.testing import CliRunner

    from remitgrammar.cli import app
    for args in (["check", "-", "--output-format", "junit"], ["parse", "-"]):
        start = time.perf_counter()
        result = CliRunner().invoke(app, args, input=data)
        out.stages["cli " + args[0]] += time.perf_counter() - start
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            _record_exception(out, "cli " + args[0], result.exception)


# --------------------------------------------------------------------------- workers

def _limit_memory(megabytes: int) -> None:
    """Cap the worker's address space: runaway memory becomes a MemoryError, not a stalled machine."""
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
    except (ImportError, ValueError, OSError):
        pass


def case_job(seed: int, number: int, cli_every: int) -> Outcome:
    """The work of one case in a worker (a mutation that fails is the bench's own bug, reported as such)."""
    out = Outcome(number)
    case = _stage(out, "making the case (a bug of bench/fuzz.py)", make_case, seed, number)
    return out if case is None else run_case(case, cli=bool(cli_every) and number % cli_every == 0)


def _serve(conn, job, args: tuple, memory_mb: int) -> None:
    """A worker: run the case numbers it is sent until it is sent None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when the run stops
    _limit_memory(memory_mb)
    while (number := conn.recv()) is not None:
        conn.send(job(*args[:1], number, *args[1:]))


class Worker:
    """One worker process and the case it is running."""

    def __init__(self, ctx, job, args: tuple, memory_mb: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, job, args, memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.number, self.started = None, 0.0

    def give(self, number: int) -> None:
        self.number, self.started = number, time.monotonic()
        try:
            self.conn.send(number)
        except OSError:
            pass  # the worker is gone: its pipe reads as closed, and _receive counts a death

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


@dataclass
class Tally:
    """Everything the run found, by kind."""

    done: int = 0
    outcomes: list = field(default_factory=list)
    hangs: list = field(default_factory=list)   # case numbers
    deaths: list = field(default_factory=list)  # (case number, exit code)


def run_pool(numbers, job, args: tuple, workers: int, timeout: float, memory_mb: int = 3072,
             progress=None) -> Tally:
    """Run job(args[0], number, *args[1:]) for every number in worker processes, each within ``timeout``.

    A worker that overruns is killed and replaced (a hang); one that dies is replaced (a death).
    Every worker is stopped on the way out, whatever happens.
    """
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    todo, tally, pool = iter(numbers), Tally(), []
    try:
        pool = [Worker(ctx, job, args, memory_mb) for _ in range(max(1, workers))]
        for worker in pool:
            _feed(worker, todo)
        while any(w.number is not None for w in pool):
            _collect(pool, tally, timeout, lambda: Worker(ctx, job, args, memory_mb), todo)
            if progress:
                progress(tally)
    finally:
        for worker in pool:
            worker.stop()
    return tally


def _feed(worker: Worker, todo) -> None:
    """Give a worker the next case, or mark it idle when there is none."""
    number = next(todo, None)
    if number is None:
        worker.number = None
    else:
        worker.give(number)


def _collect(pool: list, tally: Tally, timeout: float, spawn, todo) -> None:
    """Wait for a result or a timeout; take results, replace hung and dead workers, hand out more work."""
    busy = [w for w in pool if w.number is not None]
    left = min(w.started + timeout for w in busy) - time.monotonic()
    ready = wait([w.conn for w in busy], timeout=max(0.0, left))
    for i, worker in enumerate(pool):
        if worker.number is None:
            continue
        if worker.conn in ready:
            pool[i] = _receive(worker, tally, spawn)
        elif time.monotonic() - worker.started > timeout:
            tally.hangs.append(worker.number)
            worker.stop()
            pool[i] = spawn()
        else:
            continue
        tally.done += 1
        _feed(pool[i], todo)


def _receive(worker: Worker, tally: Tally, spawn) -> Worker:
    """Take a worker's result; when its pipe is closed it died: count a death and start another."""
    try:
        tally.outcomes.append(worker.conn.recv())
        return worker
    except (EOFError, OSError):
        worker.proc.join(5)
        tally.deaths.append((worker.number, worker.proc.exitcode))
        worker.stop()
        return spawn()


# --------------------------------------------------------------------------- the summary

def _better(a: Case, b: Case | None) -> bool:
    """Whether case ``a`` is a smaller reproduction than ``b``: fewer mutations, then fewer bytes."""
    return b is None or (len(a.steps), len(a.subject.data), a.number) < (len(b.steps), len(b.subject.data),
                                                                          b.number)


class Groups:
    """Cases by key, each key with its smallest reproducing case (re-made from its number)."""

    def __init__(self, seed: int):
        self.seed, self.members, self.best, self.extra = seed, {}, {}, {}

    def add(self, key, number: int, extra=None) -> None:
        self.members.setdefault(key, {})[number] = extra

    def count(self, key) -> int:
        return len(self.members[key])

    def finish(self, candidates: int = 40) -> None:
        """Keep, per key, the smallest of its first ``candidates`` cases, and what that case showed."""
        for key, members in self.members.items():
            best = None
            for number in sorted(members)[:candidates]:
                case = make_case(self.seed, number)
                best = case if _better(case, best) else best
            self.best[key], self.extra[key] = best, members[best.number]


def group(tally: Tally, seed: int) -> dict:
    """Exceptions, internal errors and invalid outputs, grouped; each group counts cases, not occurrences."""
    groups = {name: Groups(seed) for name in ("exceptions", "internal", "invalid")}
    for out in tally.outcomes:
        for key, crash in {(c.kind, c.where): c for c in reversed(out.exceptions)}.items():
            groups["exceptions"].add(key, out.number, crash)  # reversed: each key keeps its first
        for key in set(out.internal):
            groups["internal"].add(key, out.number)
        for kind, detail in {kind: detail for kind, detail in reversed(out.invalid)}.items():
            groups["invalid"].add(kind, out.number, detail)
    for g in groups.values():
        g.finish()
    return groups


def _recipe(seed: int, case: Case) -> str:
    """What case ``number`` is, and the command that replays it."""
    return (f"case {case.number}: {case.describe()}\n"
            f"        replay: python bench/fuzz.py --seed {seed} --replay {case.number}")


def _print_groups(title: str, g: Groups, seed: int, show) -> None:
    total = len(set().union(*g.members.values()))
    print(f"{title}: {total} case(s)" + (f" in {len(g.members)} distinct group(s)" if total else ""))
    for key in sorted(g.members, key=lambda k: -g.count(k)):
        print(f"  [{g.count(key)} case(s)] {show(key, g.extra[key])}")
        print(f"      {_recipe(seed, g.best[key])}")


def _show_exception(key, crash: Crash) -> str:
    inner = f" <- {crash.inner}" if crash.inner else ""
    return f"{key[0]} at {key[1]}{inner} (in {crash.stage}): {crash.message[:160]!r}"


def _print_cases(title: str, seed: int, cases: list, sort: bool = True) -> None:
    """A title, then each (case number, prefix) with the case's recipe."""
    print(title)
    for number, prefix in sorted(cases) if sort else cases:
        print(f"  {prefix}{_recipe(seed, make_case(seed, number))}")


def summarize(tally: Tally, seed: int, seconds: float, slow: int = 5) -> None:
    """Print what the run found (see the module docstring)."""
    groups = group(tally, seed)
    cases = tally.done
    print(f"cases run: {cases} ({len(tally.outcomes)} completed, {len(tally.hangs)} hung, "
          f"{len(tally.deaths)} worker deaths)")
    _print_groups("unexpected exceptions", groups["exceptions"], seed, _show_exception)
    internal = [len(out.internal) for out in tally.outcomes if out.internal]
    print(f"internal-error findings (RG9xx): {sum(internal)} in {len(internal)} case(s)")
    _print_groups("  by cause", groups["internal"], seed, lambda k, _: f"{k[0]} {k[1]} at {k[2]}")
    _print_cases(f"hangs (> timeout): {len(tally.hangs)}", seed, [(n, "") for n in tally.hangs])
    _print_cases(f"worker deaths: {len(tally.deaths)}", seed, [(n, f"exit code {c}: ") for n, c in tally.deaths])
    _print_groups("invalid outputs", groups["invalid"], seed, lambda k, d: f"{k}: {d}")
    slowest = sorted(tally.outcomes, key=lambda o: -o.seconds)[:slow]
    _print_cases("slowest completed cases:", seed, [(o.number, f"{o.seconds:5.2f} s  ") for o in slowest], sort=False)
    print(f"total time: {seconds:.1f} s, {cases / seconds if seconds else 0:.1f} cases/s")


# --------------------------------------------------------------------------- command line

def _state() -> str:
    """The commit, and how many files of the package differ from it (results change as code does)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PACKAGE.parent, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "."], cwd=PACKAGE, capture_output=True,
                               text=True, timeout=10).stdout.splitlines()
        return f"{head or '?'} with {len(dirty)} changed file(s) under remitgrammar/"
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"


def warm_up() -> None:
    """Build every grammar once in the parent, so forked workers start warm."""
    for sample in SAMPLES:
        for _ in parse_reports(str(sample), data=sample.read_bytes()):
            pass


def replay(seed: int, number: int, write_input: str | None) -> None:
    """Rerun one case in this process (with the CLI) and print everything that broke, with tracebacks."""
    case = make_case(seed, number)
    print(f"case {number} of seed {seed}: {case.describe()}")
    print(f"report name {case.subject.name!r}, {len(case.subject.data)} bytes")
    if write_input:
        Path(write_input).write_bytes(case.subject.data)
        print(f"wrote the mutated bytes to {write_input}")
    out = run_case(case, cli=True)
    for crash in out.exceptions:
        inner = f" <- {crash.inner}" if crash.inner else ""
        print(f"\nEXCEPTION {crash.kind} at {crash.where}{inner} in {crash.stage}: {crash.message}\n"
              f"{_clip(crash.traceback)}")
    for code, cause, where in out.internal:
        print(f"INTERNAL ERROR {code} {cause} at {where}")
    for tb in out.debug:
        print(f"\nthe RG900 error's traceback:\n{_clip(tb)}")
    for kind, detail in out.invalid:
        print(f"INVALID OUTPUT {kind}: {detail}")
    print("seconds by stage: " + ", ".join(f"{k} {v:.2f}" for k, v in out.stages.items()))
    broke = out.exceptions or out.internal or out.invalid
    print(f"{out.seconds:.2f} s (with the CLI); {'see above' if broke else 'nothing broke the contract'}")


def _progress(total: int):
    """A progress callback: ``... done/total cases`` on stderr every 10 s."""
    last = [time.monotonic()]

    def show(tally: Tally) -> None:
        if time.monotonic() - last[0] > 10:
            last[0] = time.monotonic()
            print(f"  ... {tally.done}/{total} cases", file=sys.stderr, flush=True)
    return show


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="how many cases (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="the run's seed (default 1)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds a case may take (default 5)")
    parser.add_argument("--cli-every", type=int, default=10, help="run the CLI on every Nth case (0: never)")
    parser.add_argument("--memory-mb", type=int, default=3072, help="address-space limit of a worker")
    parser.add_argument("--replay", type=int, metavar="CASE", help="rerun one case here and show its tracebacks")
    parser.add_argument("--write-input", metavar="PATH", help="with --replay: write the case's bytes here")
    args = parser.parse_args(argv)
    if args.replay is not None:
        replay(args.seed, args.replay, args.write_input)
        return 0
    print(f"remitgrammar at {_state()}; seed {args.seed}, {args.cases} cases, {args.workers} worker(s), "
          f"timeout {args.timeout:g} s")
    warm_up()
    start = time.monotonic()
    tally = run_pool(range(args.cases), case_job, (args.seed, args.cli_every), args.workers, args.timeout,
                     args.memory_mb, _progress(args.cases))
    summarize(tally, args.seed, time.monotonic() - start)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the pool's `finally` stops the workers
    sys.exit(main())
