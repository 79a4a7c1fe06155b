"""The one way sesim says an optional extra is missing: what needs it, the library, and the command
that installs it from the repository (every extra of pyproject.toml's ``optional-dependencies``)."""

from __future__ import annotations


def install_hint(what: str, library: str, extra: str) -> str:
    """``sesim workshop needs Solara: pip install -e '.[dashboard]'``."""
    return f"{what} needs {library}: pip install -e '.[{extra}]'"
