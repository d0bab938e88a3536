"""The command line: a thin layer over the pipeline. The only place that prints or exits.

Exit codes: 0 clean, 1 the input has problems, 2 usage or configuration error.
Data goes to stdout, diagnostics to stderr. ``app.py`` holds the application with every command,
``group.py`` its global options; ``base.py`` what a run shares without Typer; ``running.py`` how a
command runs its reports; ``options.py`` what `check` reports; ``checking.py`` the runs of `parse`
and `check`; ``quick.py`` those two, with paths only, without Typer; ``reports.py`` the commands over
reports; ``export.py`` `export`; ``view.py`` `view`; ``fetch.py`` `fetch`; ``cache.py`` `cache`;
``tools.py`` the format maintainers' commands and listings; ``rule.py`` `rule CODE`.
"""

from __future__ import annotations

import errno
import os
import sys
import types

from ..errors import visible

__all__ = ["app", "main"]


class _Package(types.ModuleType):
    """This package, whose ``app`` is the Typer application, imported when first asked for, so that a
    quick run (quick.py) never imports Typer. The import system names the submodule app.py on its
    package when it is imported (``from remitgrammar.cli.app import hoisted``): that is ignored, and
    ``remitgrammar.cli.app`` stays the application, as it was when this package imported it eagerly."""

    @property
    def app(self):
        from .app import app

        return app

    @app.setter
    def app(self, value) -> None:
        pass


sys.modules[__name__].__class__ = _Package


def main() -> None:
    """Entry point of the ``remitgrammar`` command. An output that cannot be written (a full disk, a
    closed pipe) ends the run with one line and exit 2, whichever command was writing."""
    from . import quick

    args = sys.argv[1:]
    if quick.fits(args):
        _quick(quick, args)
    from .app import app

    try:
        code = app(prog_name="remitgrammar", standalone_mode=False)
    except Exception as exc:  # only an unwritable output and click's own errors are handled; the rest re-raised
        if isinstance(exc, OSError):
            _unwritable(exc)
        _usage_error(exc)
        _internal_error(exc, args)
        raise
    raise SystemExit(code if isinstance(code, int) else 0)


def _internal_error(exc: Exception, args: list) -> None:
    """A fault of ours that no command caught: one line naming it (the traceback with ``--debug``), exit 2,
    never a traceback a user did not ask for."""
    if "--debug" in args:
        return
    sys.stderr.write(f"remitgrammar: internal error: {visible(type(exc).__name__)}: {visible(str(exc)[:300])}; "
                     "please report it (run with --debug for the traceback)\n")
    raise SystemExit(2) from None


def _quick(quick, args: list) -> None:
    """A quick run, ended as the Typer one ends (click's ending): an interrupt exit 130, a closed pipe
    exit 1 with nothing more written, another unwritable output one line and exit 2."""
    try:
        quick.run(args)
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except EOFError:
        sys.stderr.write("\n")
        raise SystemExit(130) from None
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            _silence()
            raise SystemExit(1) from None
        _unwritable(exc)
        raise
    raise SystemExit(0)


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


def _silence() -> None:
    """Nothing more reaches the broken output, not even the interpreter's flush at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError:
        pass


def _unwritable(exc: OSError) -> None:
    """An output that cannot be written: one line (none for a reader that stopped) and the exit."""
    _silence()
    if not isinstance(exc, BrokenPipeError):  # a reader that stopped (| head) is no error of ours
        sys.stderr.write(f"remitgrammar: cannot write the output: {visible(exc.strerror or exc)}\n")
    raise SystemExit(2 if not isinstance(exc, BrokenPipeError) else 0) from None
