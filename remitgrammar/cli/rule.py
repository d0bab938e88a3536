"""`remitgrammar rule CODE`: what one finding code means, from the package's own text (rulesdoc)."""

from __future__ import annotations

import typer

from ..errors import visible
from .group import app


@app.command("rule")
def rule(code: str = typer.Argument(..., metavar="CODE", help="A finding code, e.g. RG305.")) -> None:
    """Explain one finding code: what it checks or reports, its severity, what to do about it, and for a rule
    with an example the figures that pass it and the one that, printed otherwise, fails it."""
    from ..check.examples import shown
    from ..check.rulesdoc import describe, known_codes, nearest, rule_of, why

    code = code.strip().upper()
    known = describe(code)
    if known is None:
        under = [c for c in known_codes() if c.startswith(code)] if len(code) >= 2 else []
        if under:  # a prefix: the codes it selects
            typer.echo(f"{code} is the prefix of {len(under)} code(s): {', '.join(under)}")
            return
        typer.echo(f"remitgrammar: no finding has the code {visible(code[:20])}; the nearest known: "
                   f"{', '.join(nearest(code[:20]))}", err=True)
        raise typer.Exit(2)
    registered = rule_of(code)
    severities = ", ".join(registered.severities) if registered else known.severity
    lines = [f"{code} {known.title} ({severities})", "", f"What it {'checks' if registered else 'reports'}: "
             f"{known.description}"]
    if registered:
        lines += ["", f"Why: {why(code)}", "", f"Tolerance: {registered.tolerance}"]
    typer.echo("\n".join([*lines, "", f"What to do: {known.fix}"]))
    example = shown(code)  # the rule run on its example's figures: what it says is what check says
    if example:
        typer.echo("\n" + "\n".join(visible(line) for line in example))
