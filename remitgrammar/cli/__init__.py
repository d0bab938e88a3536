"""The command line: a thin layer over the pipeline. The only place that prints or exits.

Exit codes: 0 clean, 1 the input has problems, 2 usage or configuration error.
Data goes to stdout, diagnostics to stderr. ``app.py`` holds the application and
what the commands share; ``reports.py`` the commands over reports; ``tools.py``
the format maintainers' commands and listings.
"""

from __future__ import annotations

from . import reports, tools  # noqa: F401  (the commands register on the app)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``remitgrammar`` command."""
    app(prog_name="remitgrammar")
