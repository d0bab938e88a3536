"""The HTML every page of ``view`` shares: text escaped for its place, and a whole document whose
Content-Security-Policy allows its own inline style and script and nothing else.

Every text a report prints reaches a page through ``text`` or ``attr``: markup characters become
entities and control characters their visible pictures (U+2400 and on), so a label holding
``<script>`` or ``</pre>`` is shown as printed and runs nothing. The policy names the one
``<style>`` and the one ``<script>`` of the page by their sha256: an element a report smuggled in
(were escaping ever to miss one) would have another hash, and the browser would refuse it.
"""

from __future__ import annotations

import base64
import hashlib
import html

# C0 controls and DEL as their pictures; tab stays a tab (the layout keeps it)
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code != 0x09}
_PICTURES[0x7F] = "\u2421"
# C1 controls, and the marks that reorder or break a line (a U+202E turns the rest of a line around,
# a figure shown reversed): no picture exists, so one replacement character each, keeping the columns
_HIDDEN = [*range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]
_PICTURES.update({code: "\ufffd" for code in _HIDDEN})


def visible(value) -> str:
    """``value`` with its control characters as their pictures and the marks that reorder a line as
    replacement characters, one for one (what a chart's labels need: the SVG writer escapes markup)."""
    shown = str(value)
    return shown if shown.isprintable() else shown.translate(_PICTURES)  # most lines have nothing to picture


def text(value) -> str:
    """``value`` as element content: markup escaped, control characters made visible."""
    return visible(html.escape(str(value), quote=False))


def attr(value) -> str:
    """``value`` inside a double-quoted attribute."""
    return visible(html.escape(str(value), quote=True))


def digest(source: str) -> str:
    """The CSP source that allows exactly this inline element's text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(style: str, script: str) -> str:
    """The page's Content-Security-Policy: nothing from anywhere, but its own inline style and script."""
    scripts = digest(script) if script else "'none'"
    return (f"default-src 'none'; style-src {digest(style)}; script-src {scripts}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def document(title: str, body: str, style: str, script: str = "") -> str:
    """A whole page: ``body`` is markup already escaped; ``style`` and ``script`` are the page's own."""
    script_element = f"<script>{script}</script>\n" if script else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{attr(policy(style, script))}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{text(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n"
            f"{script_element}</body>\n</html>\n")
