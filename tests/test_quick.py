"""The quick path (cli/quick.py): a plain `check PATH...` or `parse PATH...` writes the same bytes and
exits the same way as the Typer command, without importing Typer; anything else goes the Typer way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from remitgrammar.cli import quick

ROOT = Path(__file__).resolve().parents[1]
DEAL = ROOT / "tests" / "corpus" / "usbank-absc-2003"
NOVEMBER = DEAL / "absc_2003-he2_2003-11-17.txt"
JUNE = DEAL / "absc_2003-he2_2003-06-16.txt"

# Runs main() as the console script does; with FORCE_TYPER, as if the quick path did not exist. Writes
# whether typer was imported to the file named by MODULES_FILE, at exit, away from the output compared.
CHILD = """
import atexit, json, os, sys
from remitgrammar.cli import main, quick
if os.environ.get("FORCE_TYPER"):
    quick.fits = lambda args: False
atexit.register(lambda: open(os.environ["MODULES_FILE"], "w").write(json.dumps("typer" in sys.modules)))
sys.argv = ["remitgrammar", *sys.argv[1:]]
main()
"""


def _run(args: list, cwd: Path, tmp: Path, typer_path: bool, stdin: bytes = b"") -> tuple:
    """(stdout, stderr, exit code, whether typer was imported) of one run in a child process."""
    modules = tmp / ("typer.json" if typer_path else "quick.json")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_TYPER", "PYTHONPATH")}
    env.update(MODULES_FILE=str(modules), REMITGRAMMAR_CACHE_DIR=str(tmp / ("cache-typer" if typer_path else
                                                                              "cache-quick")))
    if typer_path:
        env["FORCE_TYPER"] = "1"
    done = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, timeout=300)
    return done.stdout, done.stderr, done.returncode, json.loads(modules.read_text())


def _cases(tmp: Path) -> list:
    """A dozen command lines the quick path takes: (args, working directory, standard input)."""
    empty = tmp / "empty"
    empty.mkdir()
    binary = tmp / "image.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    configured = tmp / "configured"
    configured.mkdir()
    (configured / "remitgrammar.toml").write_text('select = ["RG3"]\nfail-on = "warning"\n', encoding="utf-8")
    text = NOVEMBER.read_bytes()
    return [
        (["check", str(NOVEMBER)], tmp, b""),
        (["parse", str(NOVEMBER)], tmp, b""),
        (["check", str(JUNE), str(NOVEMBER)], tmp, b""),
        (["parse", str(JUNE), str(NOVEMBER)], tmp, b""),
        (["check", str(DEAL)], tmp, b""),
        (["parse", str(NOVEMBER), str(NOVEMBER)], tmp, b""),  # a filing given twice: RG130
        (["check", str(tmp / "missing.txt")], tmp, b""),
        (["parse", str(tmp / "missing.txt")], tmp, b""),
        (["check", str(empty)], tmp, b""),  # no report found: a warning
        (["parse", str(binary)], tmp, b""),  # not text: RG100
        (["check", "-"], tmp, text),
        (["parse", "-"], tmp, text),
        (["check", str(NOVEMBER)], configured, b""),  # the configuration's select and fail-on: exit 1
        (["check", os.path.relpath(NOVEMBER, tmp)], tmp, b""),  # a relative path, named as given
    ]


def test_the_quick_path_writes_what_the_typer_path_writes(tmp_path):
    codes = set()
    for args, cwd, stdin in _cases(tmp_path):
        assert quick.fits(args), args
        fast = _run(args, cwd, tmp_path, typer_path=False, stdin=stdin)
        typed = _run(args, cwd, tmp_path, typer_path=True, stdin=stdin)
        assert fast[:3] == typed[:3], args
        assert fast[3] is False, f"typer imported on the quick path: {args}"
        assert typed[3] is True, args  # the comparison did take the Typer way
        codes.add(fast[2])
    assert codes == {0, 1}  # clean runs and failing ones were both compared


def test_the_quick_path_uses_the_result_cache(tmp_path):
    args = ["check", str(NOVEMBER)]
    first = _run(args, tmp_path, tmp_path, typer_path=False)
    entries = [p for p in (tmp_path / "cache-quick").rglob("*") if p.is_file() and len(p.parent.name) == 2]
    assert entries, "the quick run wrote no cache entry"
    again = _run(args, tmp_path, tmp_path, typer_path=False)
    assert again == first


@pytest.mark.parametrize("args", [
    [], ["check"], ["parse"], ["check", "--isolated", "a.txt"], ["check", "a.txt", "--output-format", "json"],
    ["parse", "a.txt", "-o", "out.json"], ["check", "-h"], ["check", "--help"], ["coverage", "a.txt"],
    ["--version"], ["export", "a.txt"], ["check", "a.txt", "--"], ["check", "a.txt", "--no-cache"],
])
def test_anything_but_paths_goes_the_typer_way(args):
    assert not quick.fits(args)


def test_an_option_after_the_paths_is_still_read(tmp_path):
    """`check FILE --output-format json` is not a quick run: the option is honoured."""
    fast = _run(["check", str(NOVEMBER), "--output-format", "json"], tmp_path, tmp_path, typer_path=False)
    assert fast[2] == 0 and fast[3] is True
    assert json.loads(fast[0])  # JSON, not the human report


def test_the_fetch_command_names_the_clients_variable():
    """cli/fetch.py names the user agent's variable without importing the HTTP client: the two agree."""
    from remitgrammar.cli import fetch
    from remitgrammar.fetch import client

    assert fetch.AGENT_VAR == client.AGENT_VAR


def test_importing_the_package_does_not_import_the_api():
    code = ("import sys, remitgrammar, remitgrammar.cli; print('remitgrammar.api' in sys.modules, "
            "'typer' in sys.modules); from remitgrammar import check_file; print(check_file.__module__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["False", "False", "remitgrammar.api"], done.stderr
