"""A fault of ours that no command catches reaches the user as one line and exit 2, never a traceback;
``--debug`` shows it whole."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from remitgrammar import cli

SAMPLE = Path(__file__).parent / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"


def _broken(*_args, **_kwargs):
    raise RuntimeError("a page writer's own fault")


def _run(monkeypatch, capsys, *extra):
    import remitgrammar.view.write as write

    monkeypatch.setattr(write, "write", _broken)
    monkeypatch.setattr(sys, "argv", ["remitgrammar", "view", str(SAMPLE), "-o", "site", "--no-cache", *extra])
    with pytest.raises(BaseException) as raised:
        cli.main()
    return raised.value, capsys.readouterr()


def test_an_uncaught_fault_is_one_line_and_exit_2(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    error, captured = _run(monkeypatch, capsys)
    assert isinstance(error, SystemExit) and error.code == 2
    assert captured.err.strip().splitlines() == [
        "remitgrammar: internal error: RuntimeError: a page writer's own fault; please report it "
        "(run with --debug for the traceback)"]
    assert "Traceback" not in captured.err + captured.out


def test_debug_shows_the_fault_itself(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    error, _ = _run(monkeypatch, capsys, "--debug")
    assert isinstance(error, RuntimeError)
