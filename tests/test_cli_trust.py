"""The command line as a ruff user expects it (issue 22, point 3): unknown codes refused with the nearest
ones, --extend-select/--extend-ignore, --exit-zero, -o, -V, global options after the command, info findings
counted but not shown, per-path ignores that take the misprint built on the ignored findings, rule text
from the package, `rule CODE`, an empty directory, the pre-commit hook and the documented CI job."""

from __future__ import annotations

import ast
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from remitgrammar.check.examples import EXAMPLES, run
from remitgrammar.cli import app
from remitgrammar.records import render_path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
CLEAN = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"  # 5 warnings, 3 infos
QUIRKY = CORPUS / "usbank-absc-2002" / "absc_2002-he1_2002-11-15.txt"  # 3 errors
SHIFTED = CORPUS / "usbank-absc-2003" / "absc_2003-he4_2003-12-15.txt"  # RG320: per-$1,000 rows shifted
DECEMBER = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-12-15.written.txt"


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "remitgrammar.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _codes(result) -> list:
    return [f["code"] for entry in json.loads(result.stdout)["files"] for f in entry["findings"]]


@pytest.mark.parametrize("args, named", [
    (["--select", "RG999"], "RG399"), (["--ignore", "RG3055"], "RG305"), (["--extend-select", "RG5"], "RG"),
    (["--extend-ignore", "RG2O7"], None), (["--ignore", "RG3,RG908"], "RG902")])
def test_an_unknown_code_or_prefix_is_a_usage_error_naming_the_nearest(runner, args, named):
    result = runner.invoke(app, ["check", "--isolated", str(CLEAN), *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    if named:
        assert "nearest known: " in result.stderr and named in result.stderr.split("nearest known: ")[1]


@pytest.mark.parametrize("table", ['select = ["RG39"]\nignore = ["RG4077"]\n',
                                   'per-path-ignores = { "*.txt" = ["RG305", "RG4077"] }\n'])
def test_unknown_codes_in_the_configuration_are_usage_errors(runner, tmp_path, table):
    config = _config(tmp_path, table)
    result = runner.invoke(app, ["--config", str(config), "check", str(CLEAN)])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert str(config) in result.stderr and "nearest known: RG40" in result.stderr


def test_known_prefixes_are_taken(runner):
    for prefix in ("RG", "RG3", "RG33", "RG330"):
        assert runner.invoke(app, ["check", "--isolated", str(CLEAN), "--select", prefix]).exit_code == 0


def test_every_code_the_package_gives_is_known_and_described():
    from remitgrammar.check.rulesdoc import describe, known_codes

    used = set()
    for source in (ROOT / "remitgrammar").rglob("*.py"):
        used |= set(re.findall(r'"(RG\d{3})"', source.read_text(encoding="utf-8")))
    assert used <= set(known_codes()), sorted(used - set(known_codes()))
    for code in known_codes():
        known = describe(code)
        assert known.title and known.description and known.fix and known.severity in ("info", "warning", "error")
    assert {"RG207", "RG320", "RG101", "RG900"} <= set(known_codes())
    assert describe("RG999") is None


def _sample_names() -> set:
    """The bundled samples' names and their deals' (absc, 2002-he1, westbrook, 2003-7, ...)."""
    names = set()
    for path in CORPUS.glob("*/*.txt"):
        names |= set(path.name.split(".")[0].split("_")[:2])
    return names


def _message_texts() -> list:
    """Every string of the modules that word findings and rule text (check/, and the other codes'
    table), but the docstrings and the rules' real-data quirks (docs/rules.md: about our samples)."""
    texts = []
    for source in sorted((ROOT / "remitgrammar" / "check").glob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        skip = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg == "quirks"}
        skip |= {id(node.body[0].value) for node in ast.walk(tree)
                 if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                 and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if id(node) in skip:
                for inner in ast.walk(node):
                    skip.add(id(inner))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                texts.append((source.name, node.value))
    return texts


def test_no_message_or_rule_text_names_a_bundled_sample(runner):
    from remitgrammar.check.rulesdoc import describe, known_codes

    names = _sample_names()
    assert {"absc", "2002-he1", "westbrook", "2003-7"} <= names
    found = re.compile("|".join(re.escape(n) for n in sorted(names)), re.I)
    for code in known_codes():
        known = describe(code)
        for text in (known.title, known.description, known.fix):
            assert not found.search(text), f"{code}: {text}"
    assert [(name, text) for name, text in _message_texts() if found.search(text)] == []
    shown = runner.invoke(app, ["rules"]).stdout + runner.invoke(app, ["rule", "RG305"]).stdout
    assert not found.search(shown)


def test_extend_select_and_extend_ignore_add_to_the_configuration(runner, tmp_path):
    config = _config(tmp_path, 'select = ["RG31"]\nignore = ["RG311"]\n')
    base = ["--config", str(config), "check", str(CLEAN), "--output-format", "json"]
    assert set(_codes(runner.invoke(app, base))) == {"RG316"}
    assert set(_codes(runner.invoke(app, base + ["--extend-select", "RG304"]))) == {"RG304", "RG316"}
    assert set(_codes(runner.invoke(app, base + ["--select", "RG304"]))) == {"RG304"}  # replaces
    assert _codes(runner.invoke(app, base + ["--extend-ignore", "RG316"])) == []
    assert set(_codes(runner.invoke(app, base + ["--ignore", "RG316"]))) == {"RG311"}  # replaces
    # no select is every code: an extension keeps them all, and wins over a shorter ignore
    wide = runner.invoke(app, ["check", "--isolated", str(CLEAN), "--output-format", "json", "--ignore", "RG3",
                               "--extend-select", "RG316"])
    assert set(_codes(wide)) == {"RG316"}
    every = runner.invoke(app, ["check", "--isolated", str(CLEAN), "--output-format", "json",
                                "--extend-select", "RG316"])
    assert set(_codes(every)) == {"RG303", "RG304", "RG311", "RG316"}


def test_show_settings_says_where_an_extension_came_from(runner, tmp_path):
    config = _config(tmp_path, 'ignore = ["RG311"]\n')
    shown = runner.invoke(app, ["check", str(CLEAN), "--config", str(config), "--extend-ignore", "RG316",
                                "--show-settings"])
    assert shown.exit_code == 0
    assert f'ignore            = ["RG311", "RG316"]  (option --extend-ignore added to {config})' in shown.stdout


def test_exit_zero_and_output_file(runner, tmp_path):
    assert runner.invoke(app, ["check", "--isolated", str(QUIRKY)]).exit_code == 1
    zero = runner.invoke(app, ["check", "--isolated", str(QUIRKY), "--exit-zero", "-o", str(tmp_path / "out.txt")])
    assert zero.exit_code == 0 and zero.stdout == ""
    written = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "RG305 error" in written and written.endswith("1 file(s): 3 error(s), 2 warning(s), 3 info not shown "
                                                         "(--show-info shows them)\n")
    sarif = runner.invoke(app, ["check", "--isolated", str(QUIRKY), "--output-format", "sarif",
                                "--output-file", str(tmp_path / "r.sarif")])
    assert sarif.exit_code == 1 and json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"
    nowhere = runner.invoke(app, ["check", "--isolated", str(QUIRKY), "-o", str(tmp_path / "no" / "out.txt")])
    assert nowhere.exit_code == 2 and len(nowhere.stderr.strip().splitlines()) == 1


def test_version_takes_V(runner):
    from remitgrammar import __version__

    for args in (["-V"], ["--version"], ["check", "-V"]):
        assert runner.invoke(app, args).stdout == f"remitgrammar {__version__}\n"


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_are_taken_before_and_after_the_command(runner, tmp_path, where):
    config = _config(tmp_path, 'select = ["RG1", "RG316"]\n')
    options = ["--max-mb", "0.001", "--timeout=30", "--config", str(config), "--debug"]
    args = options + ["check", str(CLEAN)] if where == "before" else ["check", str(CLEAN)] + options
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "RG108 error" in result.stdout  # the file is over 1 kB
    settings = runner.invoke(app, ["check", str(CLEAN), "--isolated", "--show-settings"] if where == "after"
                             else ["--isolated", "--show-settings", "check", str(CLEAN)])
    assert settings.exit_code == 0 and "--isolated" in settings.stdout and "settings:" in settings.stdout
    kept = runner.invoke(app, ["check", "--isolated", "--", str(tmp_path / "--debug")])
    assert "--debug" in kept.stdout and "RG100" in kept.stdout  # after --, a path


def test_an_option_a_command_declares_itself_is_left_to_it():
    """A command that takes its own --timeout (say, for HTTP) keeps it: only the others move."""
    from remitgrammar.cli.app import hoisted

    assert hoisted(["fetch", "--timeout", "3", "--debug"], frozenset({"--timeout"})) == \
        ["--debug", "fetch", "--timeout", "3"]
    assert hoisted(["check", "a", "--max-mb", "3", "--timeout=4", "--", "--debug"]) == \
        ["--max-mb", "3", "--timeout=4", "check", "a", "--", "--debug"]


def test_infos_are_counted_but_shown_only_when_asked(runner):
    human = runner.invoke(app, ["check", "--isolated", str(CLEAN)])
    assert " info: " not in human.stdout and "RG304 warning" in human.stdout
    assert human.stdout.endswith("1 file(s): 0 error(s), 5 warning(s), 3 info not shown (--show-info shows them)\n")
    for extra in (["--show-info"], ["--fail-on", "info"]):
        shown = runner.invoke(app, ["check", "--isolated", str(CLEAN), *extra])
        assert shown.stdout.count("RG303 info: ") == 3 and shown.stdout.endswith("5 warning(s), 3 info\n")
    github = runner.invoke(app, ["check", "--isolated", str(CLEAN), "--output-format", "github"]).stdout
    assert "::notice " not in github and "::warning " in github
    assert "::notice " in runner.invoke(app, ["check", "--isolated", str(CLEAN), "--output-format", "github",
                                              "--show-info"]).stdout
    assert _codes(runner.invoke(app, ["check", "--isolated", str(CLEAN), "--output-format", "json"])).count("RG303") == 3
    statistics = runner.invoke(app, ["check", "--isolated", str(CLEAN), "--statistics"]).stdout
    assert "RG303" not in statistics and "RG303  info     class table totals" in runner.invoke(
        app, ["check", "--isolated", str(CLEAN), "--statistics", "--show-info"]).stdout


def test_sarif_leaves_infos_out_and_reads_its_rule_text_from_the_package(runner):
    log = json.loads(runner.invoke(app, ["check", "--isolated", str(CLEAN), str(QUIRKY), "--output-format",
                                         "sarif"]).stdout)
    run = log["runs"][0]
    assert {r["level"] for r in run["results"]} == {"error", "warning"}
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["RG305"]["shortDescription"]["text"] == "collateral balance"
    shifted = json.loads(runner.invoke(app, ["check", "--isolated", str(SHIFTED), "--output-format", "sarif"]).stdout)
    rules.update({r["id"]: r for r in shifted["runs"][0]["tool"]["driver"]["rules"]})
    assert rules["RG320"]["shortDescription"]["text"] == "per-$1,000 rows shifted"  # not a rule of check
    assert rules["RG320"]["fullDescription"]["text"].startswith("The rows of an AMOUNTS PER $1,000 UNIT block")
    assert "findings.md" not in json.dumps(rules)
    noted = json.loads(runner.invoke(app, ["check", "--isolated", str(CLEAN), "--output-format", "sarif",
                                           "--show-info"]).stdout)
    assert "note" in {r["level"] for r in noted["runs"][0]["results"]}


def test_statistics_titles_every_code(runner):
    counted = runner.invoke(app, ["check", "--isolated", str(CORPUS), "--statistics", "--show-info"]).stdout
    rows = [line.split(None, 3) for line in counted.splitlines()[:-1]]
    assert {"RG207", "RG320"} <= {row[1] for row in rows}
    assert all(len(row) == 4 and row[3].strip() for row in rows), counted


def _misprinted(tmp_path: Path) -> tuple:
    """November with A-1's ending balance misprinted: RG399 on its own report, RG407 with December."""
    november, december = tmp_path / "nov.txt", tmp_path / "dec.txt"
    november.write_text(CLEAN.read_text().replace("       0         328,979,574", "       0         328,979,514"))
    december.write_text(DECEMBER.read_text())
    return november, december


def test_per_path_ignores_take_the_misprint_built_on_the_ignored_findings(runner, tmp_path):
    november, december = _misprinted(tmp_path)
    plain = runner.invoke(app, ["check", "--isolated", str(november), str(december), "--output-format", "json"])
    found = {f["code"]: f for f in json.loads(plain.stdout)["files"][0]["findings"]}
    assert found["RG399"]["rests_on"] == ["RG301", "RG303", "RG304", "RG310"]  # JSON keeps what it rests on
    assert found["RG407"]["rests_on"] == ["RG301", "RG303", "RG304", "RG310", "RG401"]
    grounds = '"nov.txt" = ["RG301", "RG303", "RG304", "RG310"]'
    config = _config(tmp_path, f"per-path-ignores = {{ {grounds} }}\n")
    ignored = runner.invoke(app, ["--config", str(config), "check", str(november), str(december), "--output-format",
                                  "json", "--fail-on", "error"])
    left = _codes(ignored)
    assert "RG399" not in left and "RG407" in left  # RG407 also rests on December's RG401, not ignored
    config.write_text(f'per-path-ignores = {{ {grounds[:-1]}, "RG401"], "dec.txt" = ["RG401"] }}\n')
    assert not {"RG399", "RG407"} & set(_codes(runner.invoke(app, ["--config", str(config), "check", str(november),
                                                                  str(december), "--output-format", "json"])))
    partly = _config(tmp_path, 'per-path-ignores = { "nov.txt" = ["RG301", "RG303"] }\n')
    assert "RG399" in _codes(runner.invoke(app, ["--config", str(partly), "check", str(november), str(december),
                                                 "--output-format", "json"]))


def test_rule_explains_a_code_from_the_package(runner):
    shown = runner.invoke(app, ["rule", "rg305"])
    assert shown.exit_code == 0 and shown.stdout.startswith("RG305 collateral balance (error)\n")
    assert "What it checks: For each loan group, the beginning balance" in shown.stdout
    assert "\nWhy: the report prints every figure of this relation" in shown.stdout
    assert "\nTolerance: half a unit of the last printed digit" in shown.stdout
    assert runner.invoke(app, ["rule", "RG207"]).stdout.startswith("RG207 field printed again, agreeing (info)")
    assert "What it reports: " in runner.invoke(app, ["rule", "RG207"]).stdout  # not a rule: no why, no tolerance
    prefix = runner.invoke(app, ["rule", "RG40"])
    assert prefix.exit_code == 0 and prefix.stdout.startswith("RG40 is the prefix of ") and "RG401, RG402" in prefix.stdout
    wrong = runner.invoke(app, ["rule", "RG3O5"])
    assert wrong.exit_code == 2 and "RG305" in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_each_rule_example_passes_as_given_and_fails_as_changed(runner, code):
    assert run(code, changed=False) == []
    failed = run(code, changed=True)
    assert failed and failed[0].path == render_path(EXAMPLES[code].change[0])
    shown = runner.invoke(app, ["rule", code]).stdout
    assert f"Fails with {render_path(EXAMPLES[code].change[0])} printed {EXAMPLES[code].change[1]}:" in shown
    assert f"  {code} {failed[0].severity}: {failed[0].message}" in shown


# rules whose failure is no figure printed otherwise: a class absent from a table (RG311), a month absent
# between two (RG404), the same month given twice (RG406)
WITHOUT_EXAMPLE = {"RG311", "RG404", "RG406"}


def test_every_rule_of_check_has_an_example_but_those_a_changed_figure_cannot_show(runner):
    from remitgrammar.check.engine import RULES
    from remitgrammar.check.registry import ACROSS

    assert (set(RULES) | set(ACROSS)) - set(EXAMPLES) == WITHOUT_EXAMPLE
    assert "Fails with" not in runner.invoke(app, ["rule", "RG311"]).stdout


def test_an_example_across_months_shows_both_months_and_fails_on_this_one(runner):
    shown = runner.invoke(app, ["rule", "RG401"]).stdout
    assert "  the month before (2026-01-25): classes[A-1].ending_balance = 8,750,000\n" in shown
    assert "  this month (2026-02-25): classes[A-1].beginning_balance = 8,750,000\n" in shown
    assert "RG401 error: a class's beginning balance is last month's ending balance: 8570000 printed" in shown


def test_a_directory_without_reports_is_a_warning_and_exit_0(runner, tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["check", "--isolated", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stderr == f"remitgrammar: warning: no reports found in {tmp_path}\n"


def _job_commands() -> list:
    """The `remitgrammar` commands of the GitHub Actions job docs/ci.md documents."""
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    job = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert "github/codeql-action/upload-sarif" in job and "sarif_file: results.sarif" in job
    runs = [line.split("run:", 1)[1].strip() for line in job.splitlines() if line.strip().startswith("- run:")]
    return [shlex.split(command) for command in runs if command.startswith("remitgrammar ")]


def test_the_documented_ci_job_runs_against_the_corpus(tmp_path):
    commands = _job_commands()
    assert commands and all("--output-format" in c and "sarif" in c for c in commands)
    for command in commands:
        args = ["--isolated", *[str(CORPUS) if a == "filings" else a for a in command[1:]]]
        done = subprocess.run([sys.executable, "-m", "remitgrammar", *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        log = json.loads((tmp_path / "results.sarif").read_text(encoding="utf-8"))
        assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"RG305", "RG310"}


def test_the_pre_commit_hook_runs(tmp_path):
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: remitgrammar-check" in text
    entry = re.search(r"^\s*entry: (.+)$", text, re.M).group(1)
    assert shlex.split(entry)[0] == "remitgrammar"
    files = re.compile(re.search(r"^\s*files: (.+)$", text, re.M).group(1))
    assert files.search(CLEAN.name) and not files.search("README.md")
    # pre-commit appends the changed files that match to the entry
    done = subprocess.run([sys.executable, "-m", "remitgrammar", *shlex.split(entry)[1:], "--isolated",
                           str(CLEAN), str(QUIRKY)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "RG305 error" in done.stdout


@pytest.mark.parametrize("args, said", [
    (["--select", ","], "--select: ',' names no code"),
    (["--fail-on", "warn"], "--fail-on takes info, warning, error, not warn"),
    (["--output-format", "xml"], "--output-format takes human, json, github, junit, sarif, not xml"),
    (["--select", "RG3O5"], "the nearest known: RG305,"),
    (["--ignore", "RG908"], "the nearest known: RG900, RG901, RG902"),
])
def test_a_wrong_value_is_named_alone_with_what_would_do(runner, args, said):
    result = runner.invoke(app, ["check", "--isolated", str(CLEAN), *args])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1 and said in result.stderr


def test_format_and_severity_are_taken_in_any_case(runner):
    result = runner.invoke(app, ["check", "--isolated", str(CLEAN), "--output-format", "JSON", "--fail-on", "Warning"])
    assert result.exit_code in (0, 1) and json.loads(result.stdout)["files"]
