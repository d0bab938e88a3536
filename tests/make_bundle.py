"""Write specs/formats.bundle.json, the built-in formats read from their YAML and validated, as the
JSON a run reads instead (remitgrammar/formats/bundle.py says why). Run it after editing a built-in
spec, alias or error examples file, specs/canonical.yaml, or the modules that read them
(bundle.BUILDERS); tests/test_bundle.py fails while the bundle is stale.

    python tests/make_bundle.py
"""

from __future__ import annotations

import json
from pathlib import Path

from remitgrammar.formats import bundle, packed
from remitgrammar.formats.resources import data_dir
from remitgrammar.formats.search import yaml_formats
from remitgrammar.formats.specs import read_yaml


def bundle_text(root: Path | None = None) -> str:
    """The bundle of the formats directory ``root`` (the built-in one by default), every format read from
    its YAML, with the checks a run makes (search.load_format).

    Raises:
        ConfigError: a spec a run would refuse.
        ValueError: a value JSON does not keep as YAML gave it (a date, a number as a key).
    """
    root = root or data_dir("specs").parent
    specs = yaml_formats(root, "built-in")
    documents = {path.relative_to(root / "specs").as_posix(): read_yaml(path, root / "specs")
                 for path in [root / "specs" / "canonical.yaml", *sorted((root / "specs" / "errors").glob("*.yaml"))]}
    try:
        payload = {**packed.encode(specs, root), "documents": documents}
        stored = json.loads(json.dumps(payload, ensure_ascii=False))
    except TypeError as exc:  # a value JSON has no form for: a date, a set
        raise ValueError(f"a built-in spec holds a value JSON cannot keep ({exc})") from None
    for name, value in documents.items():
        if stored["documents"][name] != value or _shape(stored["documents"][name]) != _shape(value):
            raise ValueError(f"specs/{name}: holds a value JSON does not keep (a date, a number as a key)")
    for spec, decoded in zip(specs, packed.decode(stored, root), strict=True):
        differs = packed.difference(spec, decoded)
        if differs:
            raise ValueError(f"{spec.spec_path}: its {differs} is not kept by JSON (a date, a number as a key)")
    return bundle.text_of(payload)


def _shape(value):
    """A value's types all the way down: JSON keeps 1 and 1.0 apart, and equality does not."""
    if isinstance(value, dict):
        return {key: _shape(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


def main() -> int:
    path = bundle.bundle_path()
    path.write_text(bundle_text(), encoding="utf-8")
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
