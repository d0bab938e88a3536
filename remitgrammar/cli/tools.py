"""Commands for format maintainers and listings: lint, new-format, rules, formats, version (and rule, in rule.py)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .. import __version__
from ..errors import ConfigError, visible
from ..formats.search import clash_message, clashes, every_format
from .group import FORMATS_DIR, app, configured, fail_config


@app.command()
def lint(formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """Check the format files: spec schema, alias targets, duplicate labels, grammars, samples."""
    from ..formats.search import search_path
    from ..formats.lint import lint_all
    configured(formats_dir, None)  # the configuration's formats-dirs where --formats-dir is not given
    try:
        problems = lint_all()
    except ConfigError as exc:
        fail_config(exc)
    for path, finding in problems:
        typer.echo(finding.render(path or "<formats>"))
    count = sum(len(list((d / "specs" / "formats").glob("*.yaml"))) for d in search_path())
    typer.echo(f"{count} format(s) checked: {len(problems)} problem(s)")
    if problems:
        raise typer.Exit(1)


@app.command("new-format")
def new_format(name: str = typer.Argument(..., metavar="NAME", help="The new format's name, e.g. acme-trust-2004."),
               source: str = typer.Option(..., "--from", metavar="FORMAT", help="The format to start from."),
               into: Path = typer.Option(Path("formats"), "--into", metavar="DIR", help="The formats directory to write into."),
               formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """Copy a format's grammar and spec as the start of a new format, under a formats directory."""
    from ..formats.scaffold import new_format as scaffold
    configured(formats_dir, None)  # the configuration's formats-dirs where --formats-dir is not given
    try:
        written = scaffold(name, source, into)
    except ConfigError as exc:
        fail_config(exc)
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"next: edit them, then `remitgrammar lint --formats-dir {into}` and "
               f"`remitgrammar detect REPORT --formats-dir {into}`")


@app.command()
def rules(markdown: bool = typer.Option(False, "--markdown", help="Write docs/rules.md's text.")) -> None:
    """List the rules of `check`: code, severity, what each checks and the tolerance it allows."""
    from ..check.rulesdoc import rules_markdown, rules_text
    typer.echo(rules_markdown() if markdown else rules_text(), nl=False)


@app.command()
def formats(formats_dir: Optional[List[Path]] = FORMATS_DIR) -> None:
    """List the known formats: where each came from, its grammar and the sample it was built from.
    Two formats of one name are both listed, each naming the other, and the listing ends in exit 2:
    a run needs --format NAME to take one of them."""
    from ..formats.lint import sample_path
    configured(formats_dir, None)  # the configuration's formats-dirs where --formats-dir is not given
    try:
        specs = sorted(every_format(), key=lambda s: s.name)
    except ConfigError as exc:
        fail_config(exc)
    clashing = clashes(tuple(specs))
    for spec in specs:
        sample = sample_path(spec)
        shown = sample if sample is not None else "(not installed: samples are in the project's source tree)" \
            if spec.sample else "(none)"
        lines = [f"{spec.name}  ({spec.origin}", f"  {spec.description}", f"  grammar: {spec.grammar_path}",
                 f"  spec:    {spec.spec_path}", f"  sample:  {shown}"]
        lines[:1] = _clash_note(lines[0], spec, clashing.get(spec.name))
        typer.echo("\n".join(visible(line) for line in lines))
    if clashing:
        fail_config(clash_message(*next(iter(clashing.items()))))


def _clash_note(heading: str, spec, found) -> list:
    """A format's heading line, closed, and what a clash of its name means for it."""
    if not found:
        return [heading + ")"]
    if spec is found[-1]:
        others = ", ".join(s.origin for s in found[:-1])
        return [heading + ")", f"  clash:   {others} define(s) {spec.name} too: a run needs --format {spec.name}, "
                "which takes this one"]
    return [f"{heading}; --format {spec.name} takes the one of {found[-1].origin} instead)"]


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)
