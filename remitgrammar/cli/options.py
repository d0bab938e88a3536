"""What `check` is told to report: output format and file, --fail-on, the codes selected and ignored
(the command line over the configuration, or added to it), which severities are shown, and the exit;
a value that is not one is a usage error (exit 2, one line). No Typer here: the quick path uses it
too; the Typer options of `check` are in group.py."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import List, Optional

from ..check.report import SEVERITIES
from ..errors import visible
from .base import echo, usage as _usage

OUTPUT_FORMATS = ("human", "json", "github", "junit", "sarif")

EVERY_CODE = "RG"  # the prefix of every code: the select that --extend-select adds to when none is given


def choices(config, output_format: str, fail_on: Optional[str], select, ignore, extend_select=None,
            extend_ignore=None) -> tuple[str, tuple[tuple, tuple]]:
    """--fail-on and the (select, ignore) codes: --select and --ignore replace the configuration's lists,
    --extend-select and --extend-ignore add to them (as in ruff). A value that is not one, or a code or
    prefix no finding has, is a usage error (exit 2)."""
    fail_on = (fail_on or config.fail_on or "error").lower()
    output_format = output_format.lower()
    if output_format not in OUTPUT_FORMATS:
        _usage(f"--output-format takes {', '.join(OUTPUT_FORMATS)}, not {output_format[:40]}")
    if fail_on not in SEVERITIES:
        _usage(f"--fail-on takes {', '.join(SEVERITIES)}, not {fail_on[:40]}")
    where = f" in {config.source}" if config.source else ""
    chosen = _codes(select, "--select") or _codes(config.select, f"select{where}")
    added = _codes(extend_select, "--extend-select")
    if added:  # no select is every code: the codes added then only win over an ignore of a shorter prefix
        chosen = (chosen or (EVERY_CODE,)) + added
    dropped = (_codes(ignore, "--ignore") or _codes(config.ignore, f"ignore{where}")) + \
        _codes(extend_ignore, "--extend-ignore")
    for pattern, listed in config.per_path_ignores:
        _codes(list(listed), f"per-path-ignores{where} ({pattern})")
    return fail_on, (chosen, dropped)


_CODE = re.compile(r"RG\d{0,3}")


def _codes(given: Optional[List[str]], option: str) -> tuple:
    """Codes or prefixes from repeated, comma-separated values; anything else, or a code or prefix that no
    finding of the package has, is a usage error naming the nearest known ones."""
    codes = tuple(c.strip().upper() for value in given or () for c in value.split(",") if c.strip())
    if given and not codes:
        _usage(f"{option}: {', '.join(given)[:40]!r} names no code (a code such as RG303, or a prefix such as RG3)")
    if not codes:
        return codes
    from ..check.rulesdoc import is_known, nearest  # here, and only for codes given: it loads the rule registry

    unknown = [c for c in codes if not _CODE.fullmatch(c) or not is_known(c)]
    if unknown:
        shown = unknown[0][:20]
        _usage(f"{option}: {shown} is neither a finding code (such as RG303) nor the prefix of one (such as RG3); "
               f"the nearest known: {', '.join(nearest(shown))} (`remitgrammar rule CODE` explains one)")
    return codes


def open_output(path: Optional[Path], option: str = "--output-file"):
    """Where a command writes: the file of its -o option (a usage error when it cannot be opened), else stdout."""
    if path is None:
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        _usage(f"{option} {visible(path)}: {exc.strerror or exc}")


def finish(report, out, paths, files_from, failed: bool, exit_zero: bool) -> None:
    """The end of a check run: the output file closed, a warning on stderr when no report was found (exit 0,
    as ruff), and exit 1 when a finding reached --fail-on, unless --exit-zero."""
    if out is not sys.stdout:
        out.close()
    if not report.files and (paths or files_from):
        given = ", ".join(str(p) for p in paths or ()) or f"the list in {files_from}"
        echo(f"remitgrammar: warning: no reports found in {visible(given)[:300]}", err=True)
    if failed and not exit_zero:
        raise SystemExit(1)
