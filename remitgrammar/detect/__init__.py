"""Detect stage: which format a report's text is in, and why."""
