"""The bundle of built-in specs: one JSON file, made at build time, that a run reads instead of YAML.

Reading the built-in formats from their YAML costs a one-file run PyYAML's import and parse, and the
checks and alias tables built from the values: most of the time a `check` spends before it reads its
report. The formats built from that YAML are plain data, so they are written once, already
validated, into ``specs/formats.bundle.json`` (shipped in the package with the specs), and read at
start-up instead: JSON, so reading it runs no code. ``packed.py`` turns formats into this JSON and back;
this module reads the file and decides whether it may be used.

The file's first line is its header: the bundle's layout version, the package version, a
fingerprint of what it was made from (every built-in YAML file and the modules that turn YAML into
formats) and the checksum of the rest of the file. A bundle whose header does not match is
ignored and the YAML is read as before: nothing is ever wrong, only slower. A user's formats
directory is always read as YAML. After editing a built-in spec or alias file, or those modules,
write the bundle again (tests/test_bundle.py fails while it is stale):

    python tests/make_bundle.py
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from pathlib import Path

from ..version import VERSION
from .resources import data_dir, read_regular

NAME = "formats.bundle.json"
LAYOUT = 1  # the bundle's own layout: raise it when packed.py writes formats differently
MAX_BYTES = 4 * 1024 * 1024  # the bundle is about 200 kB; anything far larger is not one of ours
# The modules whose code turns a spec's YAML into the objects the bundle holds: an edit to one of
# them may change those objects, so it makes the bundle stale as an edit to the YAML does.
BUILDERS = ("specs.py", "search.py", "roles.py", "identities.py", "months.py", "packed.py")


def bundle_path() -> Path:
    return data_dir("specs") / NAME


def sources() -> list:
    """(name, path) of every file the bundle is made from: the built-in YAML, then the builders."""
    specs = data_dir("specs")
    found = [(path.relative_to(specs).as_posix(), path) for path in sorted(specs.rglob("*.yaml"))]
    here = Path(__file__).resolve().parent
    return found + [(f"remitgrammar/formats/{name}", here / name) for name in BUILDERS]


def fingerprint() -> str:
    """What the bundle depends on, hashed: every source's name and bytes, the layout and the package version."""
    digest = hashlib.sha256(f"{LAYOUT}\0{VERSION}".encode())
    for name, path in sources():
        digest.update(hashlib.sha256(name.encode()).digest() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def text_of(payload: dict) -> str:
    """The bundle file holding ``payload`` (made by packed.py): its header line, then the payload."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"
    header = {"layout": LAYOUT, "version": VERSION, "fingerprint": fingerprint(),
              "checksum": hashlib.sha256(body.encode("utf-8")).hexdigest()}
    return json.dumps(header, sort_keys=True) + "\n" + body


@functools.lru_cache(maxsize=1)
def payload() -> dict | None:
    """The bundle's payload, or None when it is missing, damaged, of another layout or version, or made
    from other sources than the ones beside it."""
    try:
        data = read_regular(bundle_path(), MAX_BYTES)
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("layout") != LAYOUT or header.get("version") != VERSION:
            return None
        if header.get("checksum") != hashlib.sha256(body).hexdigest() or header.get("fingerprint") != fingerprint():
            return None
        stored = json.loads(body)
        return stored if isinstance(stored, dict) else None
    except TimeoutError:  # the per-report time limit (corpus.deadline) struck here: it is not damage
        raise
    except Exception:  # noqa: BLE001  (any damage to the bundle, or a source gone: read the YAML instead)
        return None


def document(name: str):
    """The value of a built-in YAML file the bundle keeps whole (``canonical.yaml``, ``errors/*.yaml``),
    shared: the caller must not change it. None when the bundle cannot be used or does not keep it."""
    stored = payload()
    documents = stored.get("documents") if stored else None
    return documents.get(name) if isinstance(documents, dict) else None


def document_at(path) -> object | None:
    """A copy of the value of the built-in YAML file at ``path`` when the bundle keeps it, else None."""
    try:
        name = Path(path).relative_to(data_dir("specs")).as_posix()
    except ValueError:  # not a built-in file: a formats directory's own is always read as YAML
        return None
    found = document(name)
    return copy.deepcopy(found) if found is not None else None
