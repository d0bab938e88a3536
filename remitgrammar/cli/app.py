"""The Typer application with every command registered (group.py holds the application and its global
options; each command registers from its module, imported here in the order `-h` lists them)."""

from __future__ import annotations

# noqa: F401 throughout: importing a command's module registers it on the application
from .group import GLOBAL_OPTIONS, app, configured, hoisted  # noqa: F401
from .base import Limits, fail_config, project_config, setup  # noqa: F401  (the names this module gave)
from .reports import parse, check, detect, labels, coverage  # noqa: F401
from .export import export  # noqa: F401
from .view import view  # noqa: F401
from .fetch import fetch  # noqa: F401
from .tools import lint, new_format, rules, formats, version  # noqa: F401
from .rule import rule  # noqa: F401
from .cache import cache_app  # noqa: F401

__all__ = ["app", "hoisted", "configured", "GLOBAL_OPTIONS"]
