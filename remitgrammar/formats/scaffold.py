"""`new-format`: copy a format's grammar, spec and alias files as the start of a new format."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import ConfigError
from ..parse.grammar import grammar_source
from .resources import decoded, read_inside
from .search import get_format
from .specs import load_yaml

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def new_format(name: str, source: str, into: Path) -> list[Path]:
    """Create ``into/grammars/<name>.lark`` and ``into/specs/formats/<name>.yaml`` from ``source``.

    The alias files the source names are copied to ``into/specs/aliases/`` under the
    new format's name (``<name>.yaml``), so that they can be edited without touching
    the built-ins or another format that shares them.

    Returns:
        The files written.

    Raises:
        ConfigError: a bad name, an unknown source format, or files already there.
    """
    if not NAME.fullmatch(name):
        raise ConfigError(f"format name '{name}' must be lower-case letters, digits and hyphens")
    spec = get_format(source)
    grammar_name = name.replace("-", "_") + ".lark"
    targets = {"grammar": into / "grammars" / grammar_name, "spec": into / "specs" / "formats" / f"{name}.yaml"}
    for path in targets.values():
        if path.exists():
            raise ConfigError(f"{path} exists already; choose another name or directory")
    written = []
    grammar = grammar_source(spec.grammar_path)  # read as a run reads it: inside its formats directory
    grammar = re.sub(r"^// Family: .*$", f"// Family: {name} (started from {source})", grammar, count=1, flags=re.M)
    written.append(_write(targets["grammar"], grammar, into))
    doc = load_yaml(spec.spec_path, spec.spec_path.parent.parent.parent)
    renamed = _alias_names(name, doc.get("aliases") or [])
    doc.update(name=name, grammar=grammar_name, description=f"Started from {source}: {doc.get('description', '')}",
               sample="", aliases=list(renamed.values()))
    header = (f"# Format {name}, started from {source} by `remitgrammar new-format`.\n"
              f"# Set `sample:` to a report of this layout, and `detect:` to the texts that recognise it.\n")
    written.append(_write(targets["spec"], header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), into))
    for alias_file, new_name in renamed.items():
        target = into / "specs" / "aliases" / new_name
        origin = spec.spec_path.parent.parent / "aliases" / alias_file
        if not target.exists() and origin.exists():
            text = decoded(read_inside(origin, origin.parent.parent.parent), origin)
            written.append(_write(target, text, into))
    return written


def _alias_names(name: str, alias_files: list) -> dict:
    """Each alias file the source uses -> its copy's name, under the new format's name."""
    if len(alias_files) == 1:
        return {alias_files[0]: f"{name}.yaml"}
    return {f: f"{name}-{Path(f).stem}.yaml" for f in alias_files}


def _write(path: Path, text: str, into: Path | None = None) -> Path:
    if into is not None and not path.resolve().is_relative_to(into.resolve()):
        raise ConfigError(f"{path} is outside {into}: new-format writes only inside --into")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
