"""What `check` is told to report: output format, --fail-on, and the codes selected and ignored, from the
command line over the configuration; a value that is not one is a usage error."""

from __future__ import annotations

import re
from typing import List, Optional

import typer

from ..check.report import SEVERITIES

OUTPUT_FORMATS = ("human", "json", "github", "junit", "sarif")


def choices(config, output_format: str, fail_on: Optional[str], select, ignore) -> tuple:
    """--fail-on and the (select, ignore) codes, the command line's over the configuration's; a value
    that is not one is a usage error (exit 2)."""
    fail_on = fail_on or config.fail_on or "error"
    if output_format not in OUTPUT_FORMATS or fail_on not in SEVERITIES:
        typer.echo(f"remitgrammar: --output-format takes {', '.join(OUTPUT_FORMATS)}; "
                   f"--fail-on takes {', '.join(SEVERITIES)}", err=True)
        raise typer.Exit(2)
    where = f"in {config.source}" if config.source else ""
    codes = (_codes(select, "--select") or _codes(config.select, f"select {where}"),
             _codes(ignore, "--ignore") or _codes(config.ignore, f"ignore {where}"))
    _codes([c for _, listed in config.per_path_ignores for c in listed], f"per-path-ignores {where}")
    return fail_on, codes


_CODE = re.compile(r"RG\d{0,3}")


def _codes(given: Optional[List[str]], option: str) -> tuple:
    """Codes or prefixes from repeated, comma-separated values; anything else is a usage error."""
    codes = tuple(c.strip().upper() for value in given or () for c in value.split(",") if c.strip())
    wrong = [c for c in codes if not _CODE.fullmatch(c)]
    if wrong:
        typer.echo(f"remitgrammar: {option} takes finding codes or their prefixes (RG303, RG3), "
                   f"not {', '.join(wrong)[:200]}", err=True)
        raise typer.Exit(2)
    return codes
