"""Format definitions: the YAML specs, the formats search path, and the maintainers' tools (lint, labels, new-format)."""
