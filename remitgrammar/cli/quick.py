"""The quick path: a plain `check PATH...` or `parse PATH...` (paths only, no option) runs without
importing Typer, whose import costs a fifth of a one-file run. It calls the functions the Typer
commands call (checking.py) with the defaults their options have and the same project configuration,
so that the output bytes and the exit code are the same; anything else (an option, -h, another
command, no path) goes the Typer way (__init__.main)."""

from __future__ import annotations

import os
from pathlib import Path

from .base import Limits, configured_run

COMMANDS = ("check", "parse")
# click reads these to complete a shell's command line: such a run is Typer's
_COMPLETION = "_REMITGRAMMAR_COMPLETE"


def fits(args: list) -> bool:
    """Whether the command line is a command of COMMANDS followed by paths only (``-`` is standard input)."""
    if len(args) < 2 or args[0] not in COMMANDS or _COMPLETION in os.environ:
        return False
    return all(arg == "-" or not arg.startswith("-") for arg in args[1:])


def run(args: list) -> None:
    """Run a command line that ``fits``, as the Typer command would with no option given."""
    from .checking import CheckOptions, run_check, run_parse

    Limits.defaults()
    paths = [Path(arg) for arg in args[1:]]  # as click gives a Path argument
    config, jobs = configured_run(None, None)
    if args[0] == "check":
        run_check(config, jobs, paths, CheckOptions())
    else:
        run_parse(config, jobs, paths)
