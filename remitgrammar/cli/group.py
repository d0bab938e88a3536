"""The Typer application (its group, global options and callback) and the options its commands share;
the commands register on it from their modules (app.py imports them all). What a run shares without
Typer is in base.py."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperGroup

from ..config import settings
from ..errors import visible
from ..formats.search import ENV_VAR
from .base import Limits, configured_run, fail_config, project_config, setup  # noqa: F401  (the commands' names)

# The application's own options, with whether each takes a value: accepted after the command too
# (`remitgrammar check --max-mb 200 DIR`, as ruff takes its global options).
GLOBAL_OPTIONS = {"--debug": False, "--max-mb": True, "--timeout": True, "--config": True, "--isolated": False,
                  "--show-settings": False, "--version": False, "-V": False}


def hoisted(args: list, own: frozenset = frozenset()) -> list:
    """The arguments with every global option (and its value) moved before the command, where click reads
    it; nothing after ``--`` moves (it is a path), nor an option the command declares itself (``own``)."""
    front, rest, index = [], [], 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS and name not in own:
            takes = GLOBAL_OPTIONS[name] and "=" not in arg
            front += args[index:index + 1 + takes]
            index += 1 + takes
            continue
        rest.append(arg)
        index += 1
    return front + rest


class _Group(TyperGroup):
    """The command group, reading the global options wherever they stand."""

    def parse_args(self, ctx, args):
        command = next((self.commands[a] for a in args if a in self.commands), None)
        own = frozenset(o for p in (command.params if command else ()) for o in (*p.opts, *p.secondary_opts))
        return super().parse_args(ctx, hoisted(list(args), own))


# rich_markup_mode None: help is printed as written (`[parquet]` is text, not markup)
app = typer.Typer(cls=_Group, add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Parse trustee remittance reports (SEC Form 8-K exhibits) into canonical records. "
                       "The options below are also taken after the command (`check --max-mb 200 DIR`).")

FORMATS_DIR = typer.Option(None, "--formats-dir", metavar="DIR", help=f"A formats directory to search (repeatable); "
                                                       f"also {ENV_VAR}.")
PATHS = typer.Argument(None, metavar="PATHS...", help="Report files, directories (walked for .txt .htm .html .gz and files "
                                  "without a suffix), or - for standard input.", show_default=False)
JOBS = typer.Option(None, "--jobs", "-j", metavar="N", show_default=False,
                    help="Worker processes for a corpus (default 0, or `jobs` of the configuration: one a core, "
                         "never more than the inputs); 1 runs in this process. Output keeps the order of the inputs.")
FILES_FROM = typer.Option(None, "--files-from", metavar="FILE", help="A file listing report paths, one a line (- reads them "
                                                     "from standard input).")


# check's options beyond its own (options.py), here so that the command's signature only names them
EXTEND_SELECT = typer.Option(None, "--extend-select", metavar="CODES", help="Report these codes or prefixes as "
                             "well as those `select` (configuration or --select) names; comma-separated, repeatable.")
EXTEND_IGNORE = typer.Option(None, "--extend-ignore", metavar="CODES", help="Leave out these codes or prefixes as "
                             "well as those `ignore` (configuration or --ignore) names; comma-separated, repeatable.")
SHOW_INFO = typer.Option(False, "--show-info", help="Show info findings too (human, github, sarif): they are "
                         "counted in the summary but not shown unless this or --fail-on info is given.")
EXIT_ZERO = typer.Option(False, "--exit-zero", help="Exit 0 even when findings reach --fail-on (usage and "
                         "configuration errors still exit 2).")
OUTPUT_FILE = typer.Option(None, "--output-file", "-o", metavar="FILE", help="Write the findings to this file "
                           "instead of standard output.")
CACHE_DIR = typer.Option(None, "--cache-dir", metavar="DIR", help="Keep the result cache here (default: `cache-dir` "
                         "of the configuration, else REMITGRAMMAR_CACHE_DIR, else the platform's cache directory).")
NO_CACHE = typer.Option(False, "--no-cache", help="Neither read nor write the result cache.")


def _show_version(shown: bool) -> None:
    if shown:
        from .. import __version__

        typer.echo(f"remitgrammar {__version__}")
        raise typer.Exit(0)


# Commands that read no configuration: --show-settings shows it before them.
_UNCONFIGURED = (None, "rules", "version")


@app.callback(invoke_without_command=True)
def _options(ctx: typer.Context,
             version: bool = typer.Option(False, "--version", "-V", is_eager=True, callback=_show_version,
                                          help="Print the version and exit."),
             debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal error (RG900)."),
             max_mb: float = typer.Option(64.0, "--max-mb", help="Refuse files larger than this many megabytes."),
             timeout: float = typer.Option(60.0, "--timeout", help="Give up on one report after this many seconds "
                                                                   "(RG902); 0 for no limit."),
             config_file: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Read this "
                                                        "configuration file only (a pyproject.toml's "
                                                        "[tool.remitgrammar], or a remitgrammar.toml)."),
             isolated: bool = typer.Option(False, "--isolated", help="Read no configuration file."),
             show_settings: bool = typer.Option(False, "--show-settings", help="Print which configuration files "
                                                "were read or skipped and why, and each setting with where it came "
                                                "from (default, file, option); then exit.")) -> None:
    """Parse trustee remittance reports (SEC Form 8-K exhibits) into canonical records."""
    Limits.debug, Limits.max_bytes, Limits.timeout = debug, int(max_mb * 1024 * 1024), timeout
    Limits.config_file, Limits.isolated, Limits.show_settings, Limits.config = config_file, isolated, show_settings, None
    if config_file is not None and isolated:
        fail_config("--config and --isolated exclude each other: --isolated reads no configuration file")
    if show_settings and ctx.invoked_subcommand in _UNCONFIGURED:
        _show_settings(project_config())
    if ctx.invoked_subcommand is None:
        ctx.fail("Missing command.")


# A command's options that stand for a key of the configuration: parameter -> (key, option).
_OPTION_KEYS = {"formats_dir": ("formats-dirs", "--formats-dir"), "select": ("select", "--select"),
                "ignore": ("ignore", "--ignore"), "fail_on": ("fail-on", "--fail-on"),
                "baseline": ("baseline", "--baseline"), "jobs": ("jobs", "--jobs"),
                "cache_dir": ("cache-dir", "--cache-dir")}
# Options that add to a key of the configuration: parameter -> (key, option).
_EXTENDING = {"extend_select": ("select", "--extend-select"), "extend_ignore": ("ignore", "--extend-ignore")}


def _codes_given(value) -> list:
    return [code.strip() for text in value for code in str(text).split(",") if code.strip()]


def _command_params() -> dict:
    """The options given to the command being run (typer keeps click's current context)."""
    try:
        from typer.main import get_current_context
    except ImportError:  # another typer: the settings then show formats-dirs and jobs from the command line
        return {}
    context = get_current_context(silent=True)
    return dict(context.params) if context is not None else {}


def _show_settings(config, **params) -> None:
    """--show-settings: the files and each setting's value and origin on stdout, then exit 0."""
    params = {**_command_params(), **{k: v for k, v in params.items() if v is not None}}
    given = {}
    for param, (key, option) in _OPTION_KEYS.items():
        value = params.get(param)
        if value is not None and not (isinstance(value, (list, tuple)) and not value):
            if param in ("select", "ignore"):
                value = _codes_given(value)
            given[key] = (value, option)
    for param, (key, option) in _EXTENDING.items():
        if params.get(param):
            if key in given:
                value, origin = given[key][0], f"{given[key][1]}, {option}"
            else:
                value = list(getattr(config, key))
                origin = f"{option} added to {config.source}" if key in config.keys else f"{option} added to the default"
            given[key] = (list(value) + _codes_given(params[param]), origin)
    if params.get("write_baseline") is not None:
        given["baseline"] = (None, "--write-baseline (a baseline being written starts from every finding)")
    lines = settings(config, given)
    if os.environ.get(ENV_VAR):
        lines.append(f"  {ENV_VAR} = {json.dumps(os.environ[ENV_VAR])}  (environment: formats directories "
                     "searched after formats-dirs)")
    for line in lines:
        typer.echo(visible(line))
    raise typer.Exit(0)


def configured(formats_dir: Optional[List[Path]], jobs: Optional[int]):
    """The project's configuration (config.py), and the formats directories and worker count it gives
    where the command line does not. With --show-settings, the settings are shown instead and the
    run ends here."""
    if Limits.show_settings:
        _show_settings(project_config(), formats_dir=formats_dir, jobs=jobs)
    return configured_run(formats_dir, jobs)
