"""The ``aez`` command line.

The group and its options live in :mod:`aez.cli._app`; each command is a
module of this package that registers itself on the group when imported.
"""

from __future__ import annotations

from aez.cli import crops, demo, evaluate_units, info, run, sources  # noqa: F401  (register)
from aez.cli._app import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point of the ``aez`` console script."""
    cli(obj={})
