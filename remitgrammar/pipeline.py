"""The public pipeline: intake, detect, parse, build, then (for ``check``) the rules.

Pure functions: nothing here prints or exits; bad input raises RemitError.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from lark import Tree
from lark.exceptions import VisitError

from .errors import ConfigError, Finding, RemitError
from .detect.detection import resolve_format
from .intake.read import read_report
from .parse.tree import parse_tree
from .build.record import Builder
from .formats.specs import FormatSpec
from .build.transform import RecordTransformer


@dataclass
class ParseResult:
    """Everything one parse produced.

    Attributes:
        record: the canonical record (Decimal numbers).
        provenance: value path -> {line, column, text}.
        tree: the parse tree, for tools that account for every line.
        spec: the format used.
        labels: (scope, label, field or None, line, column) for every printed label and heading.
        lines: the report's lines, for findings that quote the source.
        accounting: where the roles put each printed cell (build.record.Accounting), for ``coverage``.
    """

    record: dict
    provenance: dict
    tree: Tree
    spec: FormatSpec
    labels: list
    lines: list
    accounting: object = None


def parse_text(text: str, name: str = "<text>", format_name: str | None = None,
               source: dict | None = None, repair: bool = True) -> ParseResult:
    """Parse a report's text into its record.

    Args:
        text: the report.
        name: the path shown in errors and in ``source.path``.
        format_name: force a format instead of detecting it.
        source: the record's ``source`` block (computed from the text when None).
        repair: move values printed under shifted labels to their classes.

    Raises:
        RemitError: the text is not a usable report. When some lines did not fit,
            ``findings`` lists every one and ``result`` holds the record of the rest.
        ConfigError: the format name or a spec is wrong.
    """
    if not text.endswith("\n"):
        text += "\n"
    spec = resolve_format(text, format_name, name)
    tree, errors = parse_tree(text, spec)
    if tree is None:
        raise RemitError(errors[0], name, findings=errors)
    builder = Builder(spec, text.splitlines(), repair=repair)
    builder.findings.items.extend(errors)
    try:
        RecordTransformer(builder).transform(tree)
    except VisitError as exc:
        inner = exc.orig_exc
        if isinstance(inner, (RemitError, ConfigError)):
            raise inner from None
        line = getattr(getattr(exc, "obj", None), "meta", None)
        raise RemitError(Finding("RG105", "error", f"cannot map the {exc.rule} section: {inner}",
                                 line=getattr(line, "line", 1), column=1), name) from None
    if source is None:
        data = text.encode("utf-8")
        source = {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    source = {**source, "format": spec.name}
    result = ParseResult(builder.record(source), builder.provenance, tree, spec, builder.labels, builder.lines,
                         builder.accounting())
    if errors:
        raise RemitError(errors[0], name, findings=errors, result=result)
    return result


def parse_path(path: str | Path, format_name: str | None = None, repair: bool = True) -> ParseResult:
    """Read and parse one report file.

    Raises:
        RemitError: unreadable, empty, binary or unparsable input.
    """
    shown = str(path)
    text, source = read_report(path)
    return parse_text(text, shown, format_name, source, repair)


def check_path(path: str | Path, format_name: str | None = None, repair: bool = True) -> list:
    """Parse one report and run every rule; unusable input becomes its own finding.

    Returns:
        The findings: those of parsing (labels, repairs) then those of the rules.
    """
    from .check.engine import run_checks

    try:
        result = parse_path(path, format_name, repair)
    except RemitError as exc:
        if exc.result is None:
            return exc.findings
        result = exc.result  # the sections that parsed are still checked
    lines = result.lines
    parse_findings = [Finding(**f) for f in result.record["findings"]]
    for finding in parse_findings:
        if finding.line and finding.line <= len(lines):
            finding.source_line = lines[finding.line - 1]
    return parse_findings + run_checks(result.record, result.provenance, result.spec, lines)
