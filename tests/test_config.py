"""The project's configuration: [tool.remitgrammar] in pyproject.toml or remitgrammar.toml."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from remitgrammar.cli import app
from remitgrammar.config import Config, find
from remitgrammar.errors import ConfigError

CORPUS = Path(__file__).resolve().parent / "corpus"
QUIRKY = CORPUS / "usbank-absc-2002" / "absc_2002-he1_2002-11-15.txt"  # 3 errors: RG305, RG310, RG399
CLEAN = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"  # warnings only


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project directory holding two filings, the working directory of the test."""
    (tmp_path / "filings" / "2002").mkdir(parents=True)
    shutil.copy(QUIRKY, tmp_path / "filings" / "2002" / QUIRKY.name)
    shutil.copy(CLEAN, tmp_path / "filings" / CLEAN.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def codes(result) -> set:
    return {f["code"] for entry in json.loads(result.stdout)["files"] for f in entry["findings"]}


def test_no_file_means_no_configuration(project):
    assert find() == Config()


def test_pyproject_settings_apply_and_the_command_line_overrides_them(runner, project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.remitgrammar]\nselect = ["RG3"]\n'
                                            'ignore = ["RG399"]\nfail-on = "warning"\njobs = 1\n', encoding="utf-8")
    configured = runner.invoke(app, ["check", "filings", "--output-format", "json"])
    assert configured.exit_code == 1 and codes(configured) and all(c.startswith("RG3") for c in codes(configured))
    assert "RG399" not in codes(configured)
    overridden = runner.invoke(app, ["check", "filings", "--output-format", "json", "--select", "RG305,RG399",
                                     "--fail-on", "error"])
    assert codes(overridden) == {"RG305"} and overridden.exit_code == 1  # the file's ignore still applies
    clean_only = runner.invoke(app, ["check", str(project / "filings" / CLEAN.name)])
    assert clean_only.exit_code == 1  # fail-on = warning, from the file


def test_per_path_ignores_and_a_baseline_relative_to_the_file(runner, project):
    (project / "sub").mkdir()
    (project / "remitgrammar.toml").write_text('baseline = "known.json"\n[per-path-ignores]\n'
                                               '"filings/2002/*" = ["RG305", "RG310"]\n', encoding="utf-8")
    os.chdir(project / "sub")  # found from a subdirectory, paths relative to the file
    written = runner.invoke(app, ["check", "../filings", "--write-baseline", "../known.json"])
    assert written.exit_code == 0
    kept = json.loads((project / "known.json").read_text(encoding="utf-8"))["findings"]
    assert {e["code"] for e in kept} >= {"RG328"} and not {e["code"] for e in kept} & {"RG305", "RG310"}
    assert runner.invoke(app, ["check", "../filings"]).exit_code == 0  # the configured baseline knows RG328


@pytest.mark.parametrize("text,message", [
    ('[tool.remitgrammar]\nselekt = ["RG3"]\n', "unknown key 'selekt'"),
    ('[tool.remitgrammar]\njobs = "four"\n', "'jobs' must be a int"),
    ('[tool.remitgrammar]\nselect = "RG3"\n', "'select' must be a list"),
    ('[tool.remitgrammar\n', "not readable as TOML"),
    ('[tool.remitgrammar]\nper-path-ignores = { "a/*" = "RG3" }\n', "maps a glob to a list of codes"),
])
def test_a_bad_configuration_is_one_line_and_exit_2(runner, project, text, message):
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        find()
    result = runner.invoke(app, ["check", "filings"])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_a_code_that_is_not_one_is_exit_2_naming_the_file(runner, project):
    (project / "pyproject.toml").write_text('[tool.remitgrammar]\nignore = ["E501"]\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "filings"])
    assert result.exit_code == 2 and "E501" in result.stderr and "pyproject.toml" in result.stderr
