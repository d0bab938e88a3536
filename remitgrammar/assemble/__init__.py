"""Build stage: the roles that turn a parse tree into the canonical record, and the record under construction."""
