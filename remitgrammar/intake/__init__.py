"""Intake stage: what the user points at, turned into the text of each report."""
