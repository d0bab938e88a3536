"""The command line: a thin layer over the pipeline. The only place that prints or exits.

Exit codes: 0 clean, 1 the input has problems, 2 usage or configuration error.
Data goes to stdout, diagnostics to stderr. ``app.py`` holds the application and
what the commands share; ``running.py`` how a command runs its reports; ``options.py`` what
`check` reports; ``reports.py`` the commands over reports; ``export.py`` `export`; ``fetch.py``
`fetch`; ``tools.py`` the format maintainers' commands and listings; ``rule.py`` `rule CODE`.
"""

from __future__ import annotations

import os
import sys

from ..errors import visible
from . import reports, export, view, fetch, tools, rule  # noqa: F401  (the commands register on the app, listed in this order)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``remitgrammar`` command. An output that cannot be written (a full disk, a
    closed pipe) ends the run with one line and exit 2, whichever command was writing."""
    try:
        code = app(prog_name="remitgrammar", standalone_mode=False)
    except Exception as exc:  # only an unwritable output and click's own errors are handled; the rest re-raised
        if isinstance(exc, OSError):
            _unwritable(exc)
        _usage_error(exc)
        raise
    raise SystemExit(code if isinstance(code, int) else 0)


def _usage_error(exc: Exception) -> None:
    """A usage error of the command line (an unknown option, a missing argument; click's, or the copy of
    click that typer carries): one line on stderr and its exit code (2), as every usage error here."""
    if type(exc).__name__ == "Abort":  # Ctrl-C at a prompt
        raise SystemExit(130) from None
    code, describe = getattr(exc, "exit_code", None), getattr(exc, "format_message", None)
    if not isinstance(code, int) or not callable(describe):
        return
    context = getattr(exc, "ctx", None)
    command = getattr(context, "command_path", None) or "remitgrammar"
    message = " ".join(str(describe()).split())
    sys.stderr.write(f"{visible(command)}: {visible(message)} (see {visible(command)} -h)\n")
    raise SystemExit(code) from None


def _unwritable(exc: OSError) -> None:
    """An output that cannot be written: one line (none for a reader that stopped) and the exit."""
    try:  # nothing more reaches the broken output, not even the interpreter's flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError:
        pass
    if not isinstance(exc, BrokenPipeError):  # a reader that stopped (| head) is no error of ours
        sys.stderr.write(f"remitgrammar: cannot write the output: {visible(exc.strerror or exc)}\n")
    raise SystemExit(2 if not isinstance(exc, BrokenPipeError) else 0) from None
