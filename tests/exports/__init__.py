"""Tests of the machine-readable exports (issue 6)."""
