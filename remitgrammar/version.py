"""The version of remitgrammar (one place: the package, the CLI and SARIF logs read it here)."""

VERSION = "0.1.0"
