"""Emit stage: records to JSON and back, exact decimals kept."""
