"""Mechanisms M1–M17 of the model, one module per family (see docs/odd.md)."""
