"""The fuzz cases: golden samples (tests/corpus/*/*.txt) and the mutations applied to their bytes.

Case ``number`` of run ``seed`` is made from its own random generator, so it can be
made again alone (bench/fuzz.py --replay). bench/fuzz.py runs the cases and
tests/test_fuzz.py draws from the same mutations.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "tests" / "corpus").glob("*/*.txt"))
LONG_LINE = 1_000_000

@dataclass
class Subject:
    """What one case feeds to parse_reports: the report's name (its path as shown) and its bytes."""

    name: str
    data: bytes
    watched: list = field(default_factory=list)  # 1-based lines whose printed value was made malformed


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
    count = max(1, min(count, MAX_CASE_BYTES // (len(lines[i]) + 1)))  # a 1M-character line 20,000 times: 20 GB
    lines[i:i + 1] = [lines[i]] * count
    s.data = b"\n".join(lines)
    return f"repeated line {i + 1} {_show(lines[i])} {count} times"


MAX_CASE_BYTES = 80 << 20  # above the tool's 64 MB limit, so its refusal is still exercised


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


def _letter_then_digit(line: bytes) -> bool:
    """A letter with a digit after it. Two linear scans: ``[A-Za-z].*\\d`` is quadratic on a long line of
    letters (a second long_line over a first one took minutes, and the case was counted a hang)."""
    letter = LETTER.search(line)
    return bool(letter) and DIGIT.search(line, letter.end()) is not None


LETTER, DIGIT = re.compile(rb"[A-Za-z]"), re.compile(rb"\d")


def long_line(s: Subject, rng: random.Random) -> str:
    """A 1,000,000-character line: a real row padded with spaces or letters, or a new line of letters."""
    lines = s.data.split(b"\n")
    rows = [i for i, line in enumerate(lines) if _letter_then_digit(line)] or [0]
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


MALFORMED = [b"+", "\u2012".encode(), b"--", "\u200b".encode(), b"(-"]
INVISIBLE = ["\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e"]
WORKFLOW_LINES = [b"    ::warning file=x.py,line=1::injected", b"##[error]injected", b"  ::add-mask::secret",
                  b"::stop-commands::token", b"\x1b[2J\x1b]0;title\x07 cleared"]


def malformed_number(s: Subject, rng: random.Random) -> str:
    """Print one value in a malformed form (a sign form, a cut or regrouped group, two points, NaN):
    the contract wants a finding on its line, never a different number or silence."""
    numbers = [m for m in NUMBER.finditer(s.data) if m.group()[:1].isdigit() and b"%" not in m.group()
               and s.data[m.start() - 1:m.start()] in (b"", b" ", b"\n") and s.data[m.end():m.end() + 1] in (b"", b" ", b"\n", b"\r")]
    # whole tokens only: "5" of "5th Floor" is part of a word, not a value
    if not numbers:
        return "malformed number: the text holds no number"
    m = rng.choice(numbers)
    digits = m.group()
    how = rng.choice(["prefix", "cut", "regroup", "points", "nan"])
    if how == "prefix":
        new = rng.choice(MALFORMED) + digits + (b")" if rng.random() < 0.2 else b"")
        new = new if not new.startswith(b"(-") or new.endswith(b")") else new + b")"
    else:
        new = {"cut": digits[:-2] if b"," in digits else digits + b",9", "points": digits + b".1.2", "nan": b"NaN",
               "regroup": digits.replace(b",", b"")[:-1] + b"," + digits.replace(b",", b"")[-1:]}[how]
    s.data = s.data[:m.start()] + new + s.data[m.end():]
    s.watched.append(s.data.count(b"\n", 0, m.start()) + 1)
    return f"printed {digits.decode()!r} at {_where(s.data, m.start())} as {new.decode('utf-8', 'replace')!r}"


def invisible_char(s: Subject, rng: random.Random) -> str:
    """An invisible character (zero-width space, joiner, BOM, soft hyphen, a direction override) before
    a label or a value."""
    places = [m.start() for m in NUMBER.finditer(s.data)] + [m.start(1) for m in _labels(s.data)]
    if not places:
        return "invisible character: nowhere to put one"
    at, char = rng.choice(places), rng.choice(INVISIBLE)
    s.data = s.data[:at] + char.encode() + s.data[at:]
    return f"inserted U+{ord(char):04X} at {_where(s.data, at)}"


def workflow_line(s: Subject, rng: random.Random) -> str:
    """A line a CI runner would take for a workflow command (``::warning``, ``##[error]``) or a terminal
    escape, where a finding will quote it."""
    lines = s.data.split(b"\n")
    at, line = rng.choice(_content_lines(lines)), rng.choice(WORKFLOW_LINES)
    lines[at] = line + b"   12,345.67" if rng.random() < 0.5 else line
    s.data = b"\n".join(lines)
    return f"line {at + 1} replaced with {line!r}"


MUTATIONS = {f.__name__: f for f in (
    flip_bytes, insert_bytes, delete_line, repeat_line, odd_number, insert_tabs, reencode, long_line,
    label_na, truncate, junk_file, junk_block, empty, control_in_label, many_classes, hostile_name,
    malformed_number, invisible_char, workflow_line)}


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
