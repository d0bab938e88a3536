"""What a run trusts (issue 20): configuration only from what its user owns, up to the project root;
formats from outside that never shadow a built-in silently or win detection by requiring nothing;
files of a formats directory read only inside it; YAML and grammars within budgets; spec, alias and
configuration files of any shape a finding or one line and exit 2, never a traceback or a hang.

Each test drives the CLI (in process, or as ``python -m remitgrammar`` where a hang or a blown
memory limit must fail the test instead of the test run).
"""

from __future__ import annotations

import os
import resource
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from remitgrammar.cli import app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
QUIRKY = CORPUS / "usbank-absc-2002" / "absc_2002-he1_2002-11-15.txt"  # 3 errors: RG305, RG310, RG399
SEED = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"
SECRET = "TOP-SECRET-hunter2"
POSIX = pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners and mode bits are POSIX")


def one_line_exit_2(result) -> bool:
    """A usage or configuration error as the house rules want it: one line on stderr, exit 2."""
    return (result.exit_code == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
            and result.stderr.startswith("remitgrammar: configuration error:"))


def cli(*args, timeout: float = 120, memory_mb: int | None = None, cwd=None):
    """``python -m remitgrammar ARGS`` in a process of its own: a hang is a timeout, and with
    ``memory_mb`` an allocation past that many megabytes fails instead of swapping the machine."""
    def limit():
        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024,) * 2)

    env = {k: v for k, v in os.environ.items() if k != "REMITGRAMMAR_PATH"}
    return subprocess.run([sys.executable, "-m", "remitgrammar", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, preexec_fn=limit, env=env, cwd=cwd)


@pytest.fixture(autouse=True)
def _no_env_formats(monkeypatch):
    monkeypatch.delenv("REMITGRAMMAR_PATH", raising=False)


@pytest.fixture
def formats(tmp_path, runner):
    """A formats directory holding acme, a copy of usbank-absc-2003 (grammar, spec, alias file)."""
    root = tmp_path / "formats"
    done = runner.invoke(app, ["new-format", "acme", "--from", "usbank-absc-2003", "--into", str(root)])
    assert done.exit_code == 0, done.output
    return root


def spec_of(root: Path) -> Path:
    return root / "specs" / "formats" / "acme.yaml"


def edit_spec(root: Path, **changes) -> None:
    doc = yaml.safe_load(spec_of(root).read_text(encoding="utf-8"))
    doc.update(changes)
    spec_of(root).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


# -- configuration: what the search takes --------------------------------------------------------

@pytest.fixture
def planted(tmp_path, monkeypatch):
    """A working directory under a directory that holds a remitgrammar.toml ignoring every code."""
    shared = tmp_path / "shared"
    work = shared / "work"
    work.mkdir(parents=True)
    (shared / "remitgrammar.toml").write_text('ignore = ["RG"]\n', encoding="utf-8")
    shutil.copy(QUIRKY, work / QUIRKY.name)
    monkeypatch.chdir(work)
    return shared


@POSIX
def test_a_configuration_planted_in_a_world_writable_parent_is_not_read(runner, planted):
    planted.chmod(0o755)
    assert runner.invoke(app, ["check", QUIRKY.name]).exit_code == 0  # ours: every code ignored, green
    planted.chmod(0o777)  # as /tmp: anyone may have put the file there
    try:
        result = runner.invoke(app, ["check", QUIRKY.name])
        assert result.exit_code == 1 and "RG305" in result.stdout
        shown = runner.invoke(app, ["--show-settings", "check", QUIRKY.name])
    finally:
        planted.chmod(0o755)
    assert shown.exit_code == 0
    assert f"skipped  {planted / 'remitgrammar.toml'}: its directory is writable by others (mode 0777)" \
        in shown.stdout
    assert "ignore            = [] " in shown.stdout  # and the setting is the default's


@POSIX
def test_a_configuration_owned_by_another_user_is_not_read(runner, planted, monkeypatch):
    planted.chmod(0o755)
    real = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real + 1)  # every file now belongs to someone else
    result = runner.invoke(app, ["check", QUIRKY.name])
    assert result.exit_code == 1 and "RG305" in result.stdout
    shown = runner.invoke(app, ["--show-settings", "check", QUIRKY.name]).stdout
    assert f"is owned by another user (uid {real})" in shown


@POSIX
def test_a_group_writable_configuration_file_is_skipped(runner, planted):
    planted.chmod(0o755)
    (planted / "remitgrammar.toml").chmod(0o664)
    assert runner.invoke(app, ["check", QUIRKY.name]).exit_code == 1
    assert "skipped" in runner.invoke(app, ["--show-settings", "check", QUIRKY.name]).stdout


def test_the_search_stops_at_the_project_root(runner, planted):
    planted.chmod(0o755)
    assert runner.invoke(app, ["check", QUIRKY.name]).exit_code == 0  # no root below: the file applies
    (planted / "work" / ".git").mkdir()  # work is a project of its own: its parents' files are not its
    assert runner.invoke(app, ["check", QUIRKY.name]).exit_code == 1
    shown = runner.invoke(app, ["--show-settings", "check", QUIRKY.name]).stdout
    assert f"stopped  {planted / 'work'}: the project root (it holds .git)" in shown


def test_a_fifo_where_the_configuration_would_be_is_skipped_not_waited_on(tmp_path):
    (tmp_path / ".git").mkdir()
    os.mkfifo(tmp_path / "remitgrammar.toml")
    done = cli("--show-settings", "check", QUIRKY, timeout=60, cwd=tmp_path)
    assert done.returncode == 0 and "remitgrammar.toml: not a regular file" in done.stdout


def test_show_settings_says_where_each_setting_came_from(runner, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.remitgrammar]\nignore = ["RG316"]\njobs = 2\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--show-settings", "check", "--select", "RG3,RG4", "x.txt"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert f"  read     {tmp_path / 'pyproject.toml'}" in lines
    assert '  select            = ["RG3", "RG4"]  (option --select)' in lines
    assert f'  ignore            = ["RG316"]  ({tmp_path / "pyproject.toml"})' in lines
    assert f'  jobs              = 2  ({tmp_path / "pyproject.toml"})' in lines
    assert '  fail-on           = "error"  (default)' in lines
    assert not (tmp_path / "x.txt").exists() and "RG100" not in result.output  # shown, nothing run


def test_config_names_the_one_file_and_isolated_none(runner, tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "remitgrammar.toml").write_text('ignore = ["RG"]\n', encoding="utf-8")
    other = tmp_path / "ci.toml"
    other.write_text('select = ["RG305"]\n', encoding="utf-8")
    shutil.copy(QUIRKY, tmp_path / QUIRKY.name)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["check", QUIRKY.name]).exit_code == 0  # the project's file: all ignored
    assert runner.invoke(app, ["--isolated", "check", QUIRKY.name]).exit_code == 1
    named = runner.invoke(app, ["--config", str(other), "check", QUIRKY.name, "--output-format", "json"])
    assert named.exit_code == 1 and '"RG305"' in named.stdout and '"RG399"' not in named.stdout
    assert one_line_exit_2(runner.invoke(app, ["--config", str(other), "--isolated", "check", QUIRKY.name]))
    assert "no configuration file is read" in runner.invoke(app, ["--isolated", "--show-settings", "rules"]).stdout


@pytest.mark.parametrize("make", ["missing", "directory", "fifo", "device", "oversized", "not utf-8", "not toml",
                                  "deep", "unknown key", "wrong type", "pyproject without table"])
def test_a_config_file_of_any_shape_is_one_line_and_exit_2(tmp_path, make):
    path = tmp_path / ("pyproject.toml" if make == "pyproject without table" else "c.toml")
    if make == "directory":
        path.mkdir()
    elif make == "fifo":
        os.mkfifo(path)
    elif make == "device":
        path = Path("/dev/zero")
    elif make != "missing":
        path.write_bytes({"oversized": b"# x\n" * 300_000, "not utf-8": b'select = ["\xff"]\n',
                          "not toml": b"select = [\n", "deep": b"a = " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
                          "unknown key": b'selekt = ["RG3"]\n', "wrong type": b'jobs = "four"\n',
                          "pyproject without table": b'[project]\nname = "x"\n'}[make])
    done = cli("--config", path, "check", QUIRKY, timeout=60)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr and str(path) in done.stderr


# -- formats from outside: name clashes and detection --------------------------------------------

def test_a_format_named_like_a_built_in_is_exit_2_unless_format_names_it(runner, formats):
    edit_spec(formats, name="usbank-absc-2003")
    for command in (["parse", SEED], ["check", SEED], ["detect", SEED]):
        result = runner.invoke(app, [*map(str, command), "--formats-dir", str(formats)])
        assert one_line_exit_2(result), (command, result.output)
        assert "usbank-absc-2003.yaml (built-in)" in result.stderr and str(spec_of(formats)) in result.stderr
    chosen = runner.invoke(app, ["parse", str(SEED), "--format", "usbank-absc-2003", "--formats-dir", str(formats)])
    assert chosen.exit_code == 0 and '"format": "usbank-absc-2003"' in chosen.stdout
    listing = runner.invoke(app, ["formats", "--formats-dir", str(formats)])
    assert listing.exit_code == 2 and "clash:   built-in define(s) usbank-absc-2003 too" in listing.stdout


@pytest.mark.parametrize("require", [[], [""], ["   "], [["", " "]]], ids=["none", "empty", "blank", "blank-choice"])
def test_a_format_that_requires_nothing_never_wins_detection(runner, formats, tmp_path, require):
    edit_spec(formats, name="0-catchall", detect={"require": require})
    other = tmp_path / "other.txt"
    other.write_text("A LETTER\n\nDear holder, 1,234 was paid.\n", encoding="utf-8")
    args = ["--formats-dir", str(formats)]
    stray = runner.invoke(app, ["parse", str(other), *args])
    assert stray.exit_code == 1 and "RG110" in stray.stderr and "0-catchall" not in stray.stderr
    seed = runner.invoke(app, ["check", str(SEED), *args, "--output-format", "json"])
    assert "RG112" not in seed.stdout and "0-catchall" not in seed.stdout  # the built-in alone matches
    ranked = runner.invoke(app, ["detect", str(SEED), *args]).stdout.splitlines()
    assert ranked[0].startswith("MATCH usbank-absc-2003")
    assert any(line.startswith("no    0-catchall: requires no text to recognise it by") for line in ranked)
    forced = runner.invoke(app, ["parse", str(SEED), "--format", "0-catchall", *args])
    assert '"format": "0-catchall"' in forced.stdout  # still usable by name


@pytest.mark.parametrize("require,chosen", [(["DISTRIBUTION SUMMARY"], "usbank-absc-2003"),
                                            (["STATEMENT TO CERTIFICATEHOLDERS", "DISTRIBUTION SUMMARY", "Orig Bal",
                                              "Certificateholder"], "acme")], ids=["less", "more"])
def test_parse_check_and_detect_choose_by_one_scoring(runner, formats, require, chosen):
    edit_spec(formats, detect={"require": require})
    args = ["--formats-dir", str(formats)]
    ranked = runner.invoke(app, ["detect", str(SEED), *args]).stdout.splitlines()
    assert ranked[0].startswith(f"MATCH {chosen}:")
    assert f'"format": "{chosen}"' in runner.invoke(app, ["parse", str(SEED), *args]).stdout
    checked = runner.invoke(app, ["check", str(SEED), *args, "--output-format", "json"]).stdout
    assert f"{chosen} was chosen" in checked  # RG112 names the choice, and both formats


def test_lint_reports_a_detection_that_tells_nothing(formats):
    edit_spec(formats, detect={"require": ["", "  "]})
    done = cli("lint", "--formats-dir", formats)
    assert done.returncode == 1 and "RG222" in done.stdout and "Traceback" not in done.stderr


# -- files of a formats directory are read only inside it ----------------------------------------

@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET} = not a grammar\n{SECRET}: nor YAML [\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("target", ["grammars/acme.lark", "grammars/shared.lark", "specs/aliases/acme.yaml",
                                    "specs/formats/acme.yaml"])
def test_a_symlink_out_of_the_formats_directory_is_refused_unread(runner, formats, secret, target):
    link = formats / target
    if link.exists():
        link.unlink()
    link.symlink_to(secret)
    for command in (["parse", str(SEED), "--format", "acme"], ["check", str(SEED)], ["detect", str(SEED)]):
        result = runner.invoke(app, [*command, "--formats-dir", str(formats)])
        assert SECRET not in result.output and "Traceback" not in result.output
        assert one_line_exit_2(result) and "RG220" in result.stderr, (command, result.output)
    linted = runner.invoke(app, ["lint", "--formats-dir", str(formats)])
    assert linted.exit_code == 1 and "RG220" in linted.stdout and SECRET not in linted.output


def test_a_spec_path_out_of_the_directory_is_refused(runner, formats, secret):
    edit_spec(formats, aliases=["../../../secret.txt"])
    result = runner.invoke(app, ["detect", str(SEED), "--formats-dir", str(formats)])
    assert one_line_exit_2(result) and SECRET not in result.output


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_spec_that_is_not_a_regular_file_is_refused_without_waiting(formats, kind):
    spec = formats / "specs" / "formats" / "other.yaml"
    os.mkfifo(spec) if kind == "fifo" else spec.symlink_to("/dev/zero")
    parsed = cli("parse", SEED, "--formats-dir", formats, timeout=60)
    assert parsed.returncode == 2 and parsed.stderr.count("\n") == 1 and "RG220" in parsed.stderr
    linted = cli("lint", "--formats-dir", formats, timeout=120)
    assert linted.returncode == 1 and "other.yaml" in linted.stdout and "RG220" in linted.stdout


# -- budgets: YAML aliases, grammar expansion ----------------------------------------------------

def billion_laughs() -> str:
    """About 500 bytes whose aliases expand to nine to the tenth (3.4 billion) labels."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines + ["columns: {summary: {total_distribution: *a9}}"]) + "\n"


def test_an_alias_bomb_is_refused_fast_in_small_memory(formats):
    (formats / "specs" / "aliases" / "acme.yaml").write_text(billion_laughs(), encoding="utf-8")
    assert len(billion_laughs()) < 600
    for args in (["detect", SEED], ["parse", SEED], ["lint"]):
        done = cli(*args, "--formats-dir", formats, timeout=120, memory_mb=1024)
        assert "RG221" in done.stdout + done.stderr and "Traceback" not in done.stderr, (args, done.stderr[-500:])
        assert done.returncode == (1 if args == ["lint"] else 2)


def test_a_grammar_of_26_optional_terminals_is_refused_in_seconds(formats):
    letters = string.ascii_uppercase
    (formats / "grammars" / "acme.lark").write_text(
        "start: " + " ".join(f"{c}?" for c in letters) + "\n" + "".join(f'{c}: "{c.lower()}"\n' for c in letters),
        encoding="utf-8")
    linted = cli("lint", "--formats-dir", formats, timeout=90, memory_mb=1024)
    assert linted.returncode == 1 and "acme.lark: RG224 error" in linted.stdout, linted.stdout[-1000:]
    assert "67,108,864 alternatives" in linted.stdout
    parsed = cli("parse", SEED, "--format", "acme", "--formats-dir", formats, timeout=60, memory_mb=1024)
    assert parsed.returncode == 2 and "RG224" in parsed.stderr and parsed.stderr.count("\n") == 1


def test_a_grammar_under_the_bound_still_compiles(formats):
    letters = string.ascii_uppercase[:8]  # 256 alternatives: a real grammar's order of magnitude
    (formats / "grammars" / "acme.lark").write_text(
        "start: " + " ".join(f"{c}?" for c in letters) + "\n" + "".join(f'{c}: "{c.lower()}"\n' for c in letters),
        encoding="utf-8")
    from remitgrammar.parse.grammar import compile_grammar
    assert len(compile_grammar(formats / "grammars" / "acme.lark", parser="lalr").rules) == 256


def test_a_compilation_past_its_time_budget_stops_with_a_finding(formats, monkeypatch):
    """What the count cannot foresee meets the time budget: shown on a real grammar with the budget
    set below what compiling it takes."""
    from remitgrammar.errors import ConfigError
    from remitgrammar.parse import grammar

    monkeypatch.setattr(grammar, "COMPILE_SECONDS", 0.001)
    with pytest.raises(ConfigError, match="RG224 compiling the grammar took longer than 0.001 s"):
        grammar.compile_grammar(formats / "grammars" / "acme.lark", parser="lalr", lexer="contextual")
    from remitgrammar.formats.lint_grammar import lint_grammar
    assert [f.code for _, f in lint_grammar(formats / "grammars" / "acme.lark")] == ["RG224"]


# -- spec and alias files of any shape -----------------------------------------------------------

SPEC_SHAPES = {
    "a list": "- name\n- grammar\n",
    "a number": "42\n",
    "a string": "just words\n",
    "empty": "",
    "deeply nested": "[" * 5000 + "]" * 5000 + "\n",
    "not utf-8": b"name: acme\ndescription: \xff\xfe\n",
    "huge": "# padding\n" * 200_000,
    "many values": "x: [" + ", ".join(["1"] * 150_000) + "]\n",
    "an alias loop": "name: &a [*a]\n",
    "a python tag": "name: !!python/object/apply:os.system ['echo owned']\n",
    "a list as a key": "? [a, b]\n: c\n",
    "a control character": "name: a\x07b\n",
    "require: [1]": {"detect": {"require": [1]}},
    "require: [[]]": {"detect": {"require": [[]]}},
    "detect a string": {"detect": "STATEMENT"},
    "detect an unknown key": {"detect": {"requires": ["STATEMENT"]}},
    "aliases a string": {"aliases": "acme.yaml"},
    "aliases of numbers": {"aliases": [1, 2]},
    "name a number": {"name": 5},
    "grammar a list": {"grammar": ["acme.lark"]},
    "sections a list": {"sections": ["a", "b"]},
    "a role a list": {"sections": {"summary": {"role": ["class_table"]}}},
    "identities a string": {"identities": "x"},
    "fields a list": {"fields": [1, 2]},
    "errors a missing file": {"errors": ["nope.yaml"]},
}
ALIAS_SHAPES = {
    "columns a list": "columns: [a, b]\n",
    "a list": "- a\n- b\n",
    "a scope a list": "columns: {summary: [a]}\n",
    "labels a string": "columns: {summary: {total_distribution: Total}}\n",
    "a label a list": "columns: {summary: {total_distribution: [[a]]}}\n",
    "a label twice": "rows: {pool: {wac_pct: [WAC], net_wac_pct: [wac]}}\n",
    "two class placeholders": "columns: {summary: {total_distribution: ['{class}{class}{class}']}}\n",
}


def _write_shape(formats: Path, shape, path: Path) -> None:
    if isinstance(shape, dict):
        edit_spec(formats, **shape)
    elif isinstance(shape, bytes):
        path.write_bytes(shape)
    else:
        path.write_text(shape, encoding="utf-8")


@pytest.mark.parametrize("which,shape", [("spec", s) for s in SPEC_SHAPES] + [("alias", s) for s in ALIAS_SHAPES])
def test_a_spec_or_alias_file_of_any_shape_is_one_line_and_exit_2(runner, formats, which, shape):
    path = spec_of(formats) if which == "spec" else formats / "specs" / "aliases" / "acme.yaml"
    _write_shape(formats, (SPEC_SHAPES if which == "spec" else ALIAS_SHAPES)[shape], path)
    for command in (["parse", str(SEED)], ["check", str(SEED)], ["detect", str(SEED)],
                    ["parse", str(SEED), "--format", "acme"]):
        result = runner.invoke(app, [*command, "--formats-dir", str(formats)])
        assert one_line_exit_2(result), (command, result.output[-800:])
        assert "owned" not in result.stdout


def test_lint_gives_every_file_of_any_shape_a_finding(tmp_path, formats):
    """One lint run over a directory holding every shape at once (lint reads each file on its own)."""
    good = spec_of(formats).read_text(encoding="utf-8")
    expected = {}
    for index, (name, shape) in enumerate(SPEC_SHAPES.items()):
        path = formats / "specs" / "formats" / f"s{index:02}.yaml"
        if isinstance(shape, dict):
            doc = {**yaml.safe_load(good), "name": f"s{index:02}", **shape}
            shape = yaml.safe_dump(doc, sort_keys=False)
        _write_shape(formats, shape, path)
        expected[path.name] = name
    for index, (name, shape) in enumerate(ALIAS_SHAPES.items()):
        path = formats / "specs" / "aliases" / f"a{index:02}.yaml"
        path.write_text(shape, encoding="utf-8")
        expected[path.name] = name
    done = cli("lint", "--formats-dir", formats, timeout=300, memory_mb=2048)
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout, done.stderr[-2000:]
    flagged = {Path(line.split(":", 1)[0]).name for line in done.stdout.splitlines() if " RG2" in line}
    assert {file: name for file, name in expected.items() if file not in flagged} == {}
