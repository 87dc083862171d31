"""Procurement and contract-strategy workbench."""

__version__ = "0.1.0"
