"""The package's version: the one place (pyproject.toml reads it, CHANGELOG.md names it, ``sim.__version__``
re-exports it).  A module of its own so that every layer can name it without importing the package's
front door, ``sim/__init__.py`` (docs/odd.md §14)."""

from __future__ import annotations

__version__ = "0.2.0"
