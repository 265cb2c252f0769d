"""The ``aez`` command group: logging options and clean error messages.

``-v`` shows progress messages, ``-vv`` debug messages and full tracebacks;
``-q`` shows errors only. Any :class:`~aez.AEZError`, failed read or write
(:class:`OSError`: permissions, a full disk), interruption (SIGINT, SIGTERM,
SIGHUP) or unexpected error ends the command with a one-line message and exit
code 1; usage errors exit 2, as click does. Each command lives in its own module of
:mod:`aez.cli` and registers itself on :data:`cli`.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from aez.errors import AEZError
from aez.version import __version__


class _AEZGroup(click.Group):
    """A click group that turns AEZError into a clean message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        verbose = "-vv" in sys.argv[1:] or "--verbose" in sys.argv[1:] or any(
            a.startswith("-v") for a in sys.argv[1:3])
        with _native_messages(show=verbose):
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # usage errors (exit 2) and --help/--version, as click does
        except KeyboardInterrupt as exc:
            _fail(ctx, f"Interrupted ({exc or 'SIGINT'}); temporary files were removed and the "
                       "run's log kept as run.failed.log.")
        except AEZError as exc:
            _fail(ctx, str(exc))
        except OSError as exc:
            _fail(ctx, describe_os_error(exc))
        except Exception as exc:  # a bug: one line, the traceback with -vv
            _fail(ctx, f"unexpected {type(exc).__name__}: {exc}. Rerun with -vv for the "
                       "traceback and report it.")


@contextmanager
def _native_messages(*, show: bool) -> Iterator[None]:
    """Catch what GDAL and other C libraries write straight to the terminal (file descriptor 2).

    Python's own output (messages, progress bars, the error line) still goes to
    the terminal. The native lines, often one per block (``_tiffSeekProc: No
    space left on device`` sixty times), are printed afterwards once each with
    ``-v``, and dropped otherwise: the error line says what went wrong.
    """
    try:
        native = sys.stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):  # a test runner's stream
        native = False
    if not native:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    python_stderr = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8",
                              errors="replace")
    original = sys.stderr
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        sys.stderr = python_stderr
        try:
            yield
        finally:
            python_stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sys.stderr = original
            python_stderr.close()
            caught.seek(0)
            lines = caught.read().decode("utf-8", "replace").splitlines()
            if show:
                for line in dict.fromkeys(x for x in lines if x.strip()):
                    original.write(f"{line}\n")
                original.flush()


#: Keyword arguments of the API that remedies name → the command line's option for them.
CLI_OPTIONS: dict[str, str] = {"overwrite": "--overwrite", "resolution": "--resolution",
                               "size": "--size", "id_column": "--id-column",
                               "name_column": "--name-column"}
_ARGUMENT = re.compile(r"(?<![\w.\[])(" + "|".join(CLI_OPTIONS) + r')=("?)([^\s",;)]*)\2')


def cli_words(message: str) -> str:
    """Say ``message`` in the command line's words: ``overwrite=True`` → ``--overwrite``.

    A keyword argument of :data:`CLI_OPTIONS` becomes its option with the value
    (a flag alone for ``True``).

    >>> cli_words("Pass overwrite=True to replace it.")
    'Pass --overwrite to replace it.'
    >>> cli_words('Use a larger region (size="large") or resolution=25.')
    'Use a larger region (--size large) or --resolution 25.'
    """
    def option(match: re.Match[str]) -> str:
        name, value = CLI_OPTIONS[match.group(1)], match.group(3)
        return name if value == "True" else f"{name} {value}"

    return _ARGUMENT.sub(option, message)


def _fail(ctx: click.Context, message: str) -> None:
    """Print ``message`` as one ``Error:`` line; exit 1.

    With -vv the traceback comes first. The message is said in the command
    line's words (:func:`cli_words`).
    """
    verbosity = (ctx.obj or {}).get("verbosity", 0)
    if verbosity >= 2:
        traceback.print_exc(file=sys.stderr)
    click.secho(f"Error: {cli_words(' '.join(message.split()))}", err=True, fg="red")
    ctx.exit(1)


def describe_os_error(exc: OSError) -> str:
    """One line for a failed read or write: the path, the reason, and what to do."""
    path = exc.filename or ""
    reason = exc.strerror or str(exc)
    errno_name = {13: "permission", 28: "space", 30: "read-only", 122: "space"}.get(
        exc.errno or 0, "")
    remedy = {"permission": "Check the folder's permissions, or choose another [output] dir.",
              "read-only": "The file system is read-only: choose another [output] dir.",
              "space": "The disk is full: free some space, or choose another [output] dir on "
                       "a larger disk."}.get(errno_name, "Check the path and the disk.")
    where = f" ({path})" if path else ""
    return f"Cannot read or write a file{where}: {reason}. {remedy}"


def _configure_logging(verbosity: int) -> None:
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    for name in ("aez", "py.warnings"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
    # GDAL's messages (through rasterio, fiona, pyogrio) repeat once per block: shown, each
    # once, only with -vv; the error that ends the command says what went wrong.
    for name in ("rasterio", "fiona", "pyogrio"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler] if verbosity >= 2 else [logging.NullHandler()]
        logger.propagate = False
        if verbosity >= 2 and not any(isinstance(f, _Once) for f in logger.filters):
            logger.addFilter(_Once())
    logging.captureWarnings(True)


class _Once(logging.Filter):
    """Pass each distinct message once."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message in self.seen:
            return False
        self.seen.add(message)
        return True


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
