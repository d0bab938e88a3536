"""The command line: a thin layer over the pipeline. The only place that prints or exits.

Exit codes: 0 clean, 1 the input has problems, 2 usage or configuration error.
Data goes to stdout, diagnostics to stderr. ``app.py`` holds the application and
what the commands share; ``running.py`` how a command runs its reports; ``options.py`` what `check` reports; ``reports.py`` the commands over reports; ``export.py`` `export`; ``tools.py``
the format maintainers' commands and listings.
"""

from __future__ import annotations

import os
import sys

from ..errors import visible
from . import export, reports, tools  # noqa: F401  (the commands register on the app)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``remitgrammar`` command. An output that cannot be written (a full disk, a
    closed pipe) ends the run with one line and exit 2, whichever command was writing."""
    try:
        app(prog_name="remitgrammar")
    except OSError as exc:
        try:  # nothing more reaches the broken output, not even the interpreter's flush at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        if not isinstance(exc, BrokenPipeError):  # a reader that stopped (| head) is no error of ours
            sys.stderr.write(f"remitgrammar: cannot write the output: {visible(exc.strerror or exc)}\n")
        raise SystemExit(2 if not isinstance(exc, BrokenPipeError) else 0) from None
