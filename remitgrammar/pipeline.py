"""The pipeline of one report: intake, detect, parse, assemble, then (for ``check``) the rules.

Pure functions over internal types (a ParseResult holds the parse tree and the format spec): the
public API (api.py) and the command line reach them through runner.py. Nothing here prints or
exits; bad input raises RemitError.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lark import Tree
from lark.exceptions import VisitError

from .errors import ConfigError, Finding, RemitError, limit_findings
from .detect.detection import detect, resolve_format
from .intake.characters import Shifts, remove_invisible
from .intake.edgar import describe
from .intake.read import MAX_BYTES, ReportText, limited, read_bytes, reports_in
from .parse.tree import parse_tree
from .assemble.record import Builder
from .formats.specs import FormatSpec
from .assemble.transform import RecordTransformer, check_required

if TYPE_CHECKING:
    from .intake.html_grid import Placement


@dataclass
class ParseResult:
    """Everything one parse produced.

    Attributes:
        record: the canonical record (Decimal numbers).
        provenance: value path -> {line, column, text}.
        tree: the parse tree, for tools that account for every line.
        spec: the format used.
        labels: (scope, label, field or None, line, column) for every printed label and heading.
        lines: the file's lines, for findings that quote the source.
        accounting: where the roles put each printed cell (assemble.record.Accounting), for ``coverage``.
        line_map: for each line of the parsed text, its line in the file (None: the same).
        ignored: the line tokens the grammar ``%ignore``s (rules, page furniture), in text lines.
        shifts: where invisible characters were removed from the text's lines (intake/characters.py).
        places: for a text rendered from HTML tables, where its characters stand in the file
            (intake/html_grid.py ``Placement``); ``rendered``, that text's lines.
    """

    record: dict
    provenance: dict
    tree: Tree
    spec: FormatSpec
    labels: list
    lines: list
    accounting: object = None
    line_map: list | None = None
    ignored: list = field(default_factory=list)
    debug: str | None = None  # tracebacks of sections a role failed on (RG900), for --debug
    shifts: Shifts = field(default_factory=Shifts)  # columns moved by invisible characters removed
    identities: list = field(default_factory=list)  # what check_result's rules evaluated (check/intervals.py)
    identity: tuple = ()  # the keys of the filing it is (identity_of), set by parse_reports
    places: Placement | None = None  # a text rendered from HTML tables: its characters' places
    rendered: list | None = None  # and that text's lines (view shows them beside the file's places)


def parse_result(text: str, name: str = "<text>", format_name: str | None = None,
               source: dict | None = None, repair: bool = True, report: ReportText | None = None) -> ParseResult:
    """Parse a report's text into its record.

    Args:
        text: the report.
        name: the path shown in errors and in ``source.path``.
        format_name: force a format instead of detecting it.
        source: the record's ``source`` block (computed from the text when None).
        repair: move values printed under shifted labels to their classes.
        report: the intake's view of the report (line map back to the file, notes); ``text``,
            ``name`` and ``source`` are taken from it when given.

    Raises:
        RemitError: the text is not a usable report. When some lines did not fit,
            ``findings`` lists every one and ``result`` holds the record of the rest.
        ConfigError: the format name or a spec is wrong.
    """
    with _collector_paused():
        return _parse(text, name, format_name, source, repair, report)


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while one report is built.

    A record is hundreds of thousands of small containers that all stay alive, and the collector
    walks them again each time enough are made: a quarter of the time of a 20,000-row report
    (4.4 CPU s with it, 3.3 without). Building a report leaves little cyclic garbage; the
    collector is on again, if it was, as soon as the report is built.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(text: str, name: str, format_name: str | None, source: dict | None, repair: bool,
           report: ReportText | None) -> ParseResult:
    if report is not None:
        text, name, source = report.text, report.name, report.source
    if not text.endswith("\n"):
        text += "\n"
    text, shifts = remove_invisible(text)  # read as printed; the line map gives the columns back
    text, too_many = _many_lines(text)
    text_lines = text.splitlines()
    lines = LineMap(text_lines, report, shifts)
    text, too_long = _long_lines(text)
    if too_long:  # the builder reads the blanked lines; the line map quotes them as printed
        text_lines = text.splitlines()
    too_long = too_many + too_long + _cut_rendering(report)
    try:
        spec, chosen = resolve_format(text, format_name, name)
    except RemitError as exc:
        raise lines.error(exc) from None
    parsed = parse_tree(text, spec)
    errors = too_long + chosen + parsed.findings
    if parsed.tree is None:
        raise lines.error(RemitError(errors[0], name, findings=limit_findings(errors)))
    tree = parsed.tree
    builder = Builder(spec, text_lines, repair=repair)  # the one list of the text's lines, shared
    builder.column_starts = report.column_starts if report is not None else {}
    builder.file_line = lines.line
    for finding in errors:
        builder.findings.keep(finding)
    builder.skipped_lines(parsed.skipped)
    builder.ignored_lines(parsed.ignored)
    _transform(builder, tree, name, lines)
    if source is None:
        data = text.encode("utf-8")
        source = {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    source = {**source, "format": spec.name}
    lines.remap(builder)
    result = ParseResult(builder.record(source), builder.provenance, tree, spec, builder.labels, lines.file_lines,
                         builder.accounting(), lines.line_map, parsed.ignored, "".join(builder.tracebacks) or None,
                         shifts, places=lines.places, rendered=text_lines if lines.places else None)
    failed = [f for f in builder.findings.listed() if f.severity == "error" and f.code.startswith(("RG1", "RG9"))]
    if failed:  # lines or sections that could not be read: the record of the rest rides along
        error = RemitError(failed[0], name, findings=failed, result=result)
        error.debug = result.debug
        raise error
    return result


MAX_LINE = 2000  # characters: far beyond any report's line, and it keeps every regex's time bounded


def _long_lines(text: str) -> tuple[str, list]:
    """The text with over-long lines blanked (line numbers kept), and an RG107 finding for each."""
    if not _has_long_line(text):
        return text, []
    lines, findings = text.split("\n"), []
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE:
            findings.append(Finding("RG107", "error", f"the line is {len(line):,} characters long; a report's lines "
                                    f"are at most {MAX_LINE:,}: it was left out", line=number, column=1,
                                    source_line=line[:200]))
            lines[number - 1] = ""
    return "\n".join(lines), findings


MAX_LINES = 100_000  # lines read of one report: a hundred times a real one; past it memory would grow with it


def _many_lines(text: str) -> tuple[str, list]:
    """The text cut after MAX_LINES lines, and an RG120 finding when it was: a report beyond anything
    real costs the memory of a large real one, not a multiple of its own size."""
    count = text.count("\n")
    if count <= MAX_LINES:
        return text, []
    at = -1
    for _ in range(MAX_LINES):
        at = text.index("\n", at + 1)
    finding = Finding("RG120", "error", f"the report has {count:,} lines; a report is read up to line "
                      f"{MAX_LINES:,}: the {count - MAX_LINES:,} lines after it were left out", line=MAX_LINES + 1,
                      column=1, source_line=text[at + 1:text.find("\n", at + 1)][:200],
                      hint="a file of many reports run together: split it, one report a file")
    return text[:at + 1], [finding]


def _cut_rendering(report: ReportText | None) -> list:
    """RG120 when an HTML document's rendering stopped at its bound (intake/html_grid.py)."""
    if report is None or not report.cut:
        return []
    return [Finding("RG120", "error", f"the HTML tables render to more text than the file holds: {report.cut:,} "
                    "characters of padded cells past the bound were left out", line=len(report.line_map or ()) or 1,
                    column=1, hint="a table whose cells pad every row out of proportion; check the file")]


def _has_long_line(text: str) -> bool:
    """Whether a line is over MAX_LINE, found without a list of the lines (a copy of the text)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end
        if end - start > MAX_LINE:
            return True
        start = end + 1
    return False


def _transform(builder: Builder, tree, name: str, lines: "LineMap") -> None:
    try:
        RecordTransformer(builder).transform(tree)
        check_required(builder)
    except VisitError as exc:
        inner = exc.orig_exc
        if isinstance(inner, (RemitError, ConfigError)):
            raise inner from None
        line = getattr(getattr(exc, "obj", None), "meta", None)
        raise lines.error(RemitError(Finding("RG105", "error", f"cannot map the {exc.rule} section: {inner}",
                                             line=getattr(line, "line", 1), column=1), name)) from None


class LineMap:
    """Line numbers of a report's text turned into the file's own (a submission's, an HTML page's)."""

    def __init__(self, text_lines: list, report: ReportText | None, shifts: Shifts | None = None):
        self.shifts = shifts or Shifts()
        self.line_map = report.line_map if report is not None else None
        self.file_lines: list = text_lines
        if report is not None and self.line_map:
            assert report.file_lines is not None  # read.py gives the file's lines with every line map
            self.file_lines = report.file_lines
        self.documents = report.documents if report is not None else []
        self.places = report.places if report is not None and report.places else None
        self.found = report.found if report is not None else None

    def place(self, line, column) -> tuple:
        """A line and column of the text as the file's (an HTML cell's character where the text was
        rendered from tables)."""
        placed = self.places.at(line, column) if self.places else None
        return placed or (self.line(line), column)

    def line(self, number):
        if not self.line_map or not number:
            return number
        return self.line_map[min(number, len(self.line_map)) - 1]

    def finding(self, finding: Finding) -> Finding:
        if finding.line is not None and finding.line in self.shifts.removed:
            # quoted as printed, the caret under the file's column
            if finding.column:
                finding.column = self.shifts.file_column(finding.line, finding.column)
            finding.source_line = self.shifts.printed[finding.line]
        if self.line_map and finding.line:
            finding.line, finding.column = self.place(finding.line, finding.column)
            finding.source_line = self.file_lines[finding.line - 1] if finding.line <= len(self.file_lines) else None
        return finding

    def error(self, exc: RemitError) -> RemitError:
        for finding in exc.findings:
            self.finding(finding)
        if exc.finding.code == "RG110" and self.documents:
            exc.finding.message += f" (the submission's statement documents; it holds {describe(self.documents)})"
        elif exc.finding.code == "RG110" and self.found:
            exc.finding.message += f" (the file is {self.found})"
        return exc

    def remap(self, builder: Builder) -> None:
        """Provenance, extra and findings of a built record, in the file's line and column numbers."""
        if not self.line_map and not self.shifts:
            return
        column, place = self.shifts.file_column, self.place
        for where in builder.provenance.values():
            if "end_line" in where:
                where["end_line"] = self.line(where["end_line"])
            where["line"], where["column"] = place(where["line"], column(where["line"], where["column"]))
        for entry in builder.extra:
            for malformed in entry.get("malformed", ()):
                malformed["column"] = place(entry["line"], column(entry["line"], malformed["column"]))[1]
            entry["line"] = self.line(entry["line"])
        builder.labels = [(scope, label, target, *place(line, column(line, at)))
                          for scope, label, target, line, at in builder.labels]
        for finding in builder.findings.items:
            self.finding(finding)
        for counted in builder.findings.overflow.values():  # the map keeps line order: the span stays a span
            counted[2:] = [self.line(counted[2]), self.line(counted[3])]


def is_statement(text: str):
    """The format of a text that is a complete report in a known format (an exhibit that stands
    alone), or None."""
    return detect(text)


def parse_reports(path: str | Path, format_name: str | None = None, repair: bool = True,
                  data: bytes | None = None, max_bytes: int = MAX_BYTES):
    """Yield (report name, ParseResult or RemitError) for every report a file holds.

    A plain report holds one; an EDGAR submission holds one per deal it reports on.

    Raises:
        ConfigError: a format name or a spec is wrong.
    """
    shown = str(path)
    try:
        reports = reports_in(read_bytes(path, max_bytes) if data is None else limited(data, shown, max_bytes),
                             shown, is_statement, max_bytes)  # the bytes are not held while reports parse
        data = None
    except RemitError as exc:
        yield shown, exc
        return
    except (ConfigError, TimeoutError):
        raise
    except Exception as exc:  # noqa: BLE001 - no input may end the run: it becomes a finding
        yield shown, internal_error(exc, shown)
        return
    for report in reports:
        outcome: ParseResult | RemitError
        try:
            outcome = parse_result("", format_name=format_name, repair=repair, report=report)
        except RemitError as exc:
            outcome = exc
        except (ConfigError, TimeoutError):
            raise
        except Exception as exc:  # noqa: BLE001
            outcome = internal_error(exc, report.name)
        outcome.identity = identity_of(report)
        yield report.name, outcome


def identity_of(report: ReportText) -> tuple:
    """The keys of the filing a report is, whatever bytes carried it: its EDGAR accession number (with
    the documents of the submission it was read from) where it has one, then the sha256 of its text
    with trailing spaces and blank lines at the end taken off (decoding has made the line ends one),
    which a statement saved on its own shares with the submission that carries it."""
    edgar = report.source.get("edgar") or {}
    text = "\n".join(line.rstrip() for line in report.text.split("\n")).rstrip("\n")
    keys: tuple[str, ...] = ("sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),)
    if edgar.get("accession"):
        documents = "+".join(str(d.get("sequence")) for d in edgar.get("documents") or ())
        keys = (f"accession:{edgar['accession']}#{documents}", *keys)
    return keys


def internal_error(exc: BaseException, name: str) -> RemitError:
    """An unexpected error as a finding (RG900); the traceback rides along for ``--debug``."""
    import traceback

    error = RemitError(Finding("RG900", "error", f"internal error: {type(exc).__name__}: {str(exc)[:200]}; "
                               "please report it, with the file", hint="run with --debug for the traceback"), name)
    error.debug = "".join(traceback.format_exception(exc))
    return error


def parse_path(path: str | Path, format_name: str | None = None, repair: bool = True) -> ParseResult:
    """Read and parse one report file (the first report of a submission that holds several).

    Raises:
        RemitError: unreadable, empty, binary or unparsable input.
    """
    for _, outcome in parse_reports(path, format_name, repair):
        if isinstance(outcome, RemitError):
            raise outcome
        return outcome
    raise RemitError(Finding("RG100", "error", "the file holds no report"), str(path))


def check_result(outcome) -> list:
    """The findings of one parse outcome: those of parsing (labels, repairs) then those of the rules.

    Args:
        outcome: a ParseResult, or the RemitError of a report that could not be (fully) parsed.
    """
    from .check.engine import run_checks

    if isinstance(outcome, RemitError):
        if outcome.result is None:
            return outcome.findings
        outcome = outcome.result  # the sections that parsed are still checked
    lines = outcome.lines
    parse_findings = [Finding(**f) for f in outcome.record["findings"]]
    for finding in parse_findings:
        if finding.line and 0 < finding.line <= len(lines):
            finding.source_line = lines[finding.line - 1]
    outcome.identities = []
    return parse_findings + limit_findings(run_checks(outcome.record, outcome.provenance, outcome.spec, lines,
                                                      outcome.identities))


def check_path(path: str | Path, format_name: str | None = None, repair: bool = True) -> list:
    """Parse every report of a file and run every rule; unusable input becomes its own finding."""
    return [f for _, outcome in parse_reports(path, format_name, repair) for f in check_result(outcome)]


def month_of_outcome(name: str, outcome, reported: bool = True, ref=None):
    """The month a parse outcome gives the rules across months (None when it names no deal or date);
    ``ref`` is what its findings come back under (the name by default)."""
    from .check.months import month_of

    result = outcome.result if isinstance(outcome, RemitError) else outcome
    return None if result is None else month_of(name, result, reported, ref)


def check_across(months: list) -> dict:
    """The RG4xx findings of the months of every deal, by each month's ``ref`` (see check/across.py)."""
    from .check.across import check_months

    return check_months([m for m in months if m is not None])

