"""The ``aez`` command group: logging options and clean error messages.

``-v`` shows progress messages, ``-vv`` debug messages and full tracebacks;
``-q`` shows errors only. Any :class:`~aez.AEZError` ends the command with a
one-line message and exit code 1. Each command lives in its own module of
:mod:`aez.cli` and registers itself on :data:`cli`.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import Any

import click

from aez.errors import AEZError
from aez.version import __version__


class _AEZGroup(click.Group):
    """A click group that turns AEZError into a clean message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AEZError as exc:
            verbosity = (ctx.obj or {}).get("verbosity", 0)
            if verbosity >= 2:
                traceback.print_exc(file=sys.stderr)
            click.secho(f"Error: {exc}", err=True, fg="red")
            ctx.exit(1)


def _configure_logging(verbosity: int) -> None:
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for name in ("aez", "py.warnings"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    logging.captureWarnings(True)


@click.group(cls=_AEZGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="aez")
@click.option("-v", "--verbose", count=True, help="More messages (-vv: debug and tracebacks).")
@click.option("-q", "--quiet", is_flag=True, help="Errors only.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Agro-ecological zoning for Indonesia."""
    verbosity = -1 if quiet else verbose
    ctx.ensure_object(dict)
    ctx.obj["verbosity"] = verbosity
    _configure_logging(verbosity)
