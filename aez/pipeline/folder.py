"""A clean run folder: one run at a time, signals cleaned up, earlier runs' files replaced.

* :func:`folder_lock` takes an exclusive lock on ``<outdir>/.aez.lock`` (an OS
  lock, released even when the process dies); a second run into the same
  folder fails at once and names the process that holds it.
* :func:`interrupts_as_errors` turns SIGTERM and SIGHUP into the same
  interruption as SIGINT (Ctrl-C), so the run's clean-up and
  ``run.failed.log`` happen whichever signal stops it.
* :func:`remove_temporary_files` deletes the ``.partial-``/``.scratch-`` files a
  stopped run leaves (only in its own folder, which it holds the lock on).
* :func:`write_manifest` lists every file of a run with its SHA-256 in
  ``manifest.json``; with ``--overwrite``, :func:`remove_stale_files` deletes the
  files the earlier run listed there that this run did not write again, and
  nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aez.config import RunConfig
from aez.errors import DataSourceError, RunInterrupted, RunLockedError
from aez.io.atomic import atomic_output
from aez.version import __version__

__all__ = ["FAILED_LOG", "LOCK_NAME", "MANIFEST", "earlier_files", "folder_lock",
           "interrupts_as_errors", "io_failure", "remove_stale_files", "remove_temporary_files",
           "write_manifest"]

#: The lock file of a run folder.
LOCK_NAME = ".aez.lock"
#: The list of a run's files, with their SHA-256.
MANIFEST = "manifest.json"
#: The log a failed run leaves.
FAILED_LOG = "run.failed.log"


@contextmanager
def folder_lock(outdir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``outdir`` (created if need be) while the block runs.

    Raises
    ------
    RunLockedError
        If another process holds the lock (its pid and host are named).
    DataSourceError
        If the folder cannot be created or written (read-only, permissions).
    """
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        path = outdir / LOCK_NAME
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise DataSourceError(f"Cannot write into the output folder {outdir}: "
                              f"{exc.strerror or exc}. Choose a writable [output] dir.") from None
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks
            fcntl = None  # type: ignore[assignment]
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise RunLockedError(
                    f"Another aez run ({holder}) is writing into {outdir}. Wait for it to "
                    "finish, or choose another [output] dir.") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}")
        handle.flush()
        try:
            yield
        finally:
            path.unlink(missing_ok=True)
    finally:
        handle.close()


@contextmanager
def interrupts_as_errors() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`~aez.errors.RunInterrupted` while the block runs.

    SIGINT already raises :class:`KeyboardInterrupt` (of which ``RunInterrupted``
    is a kind). Only the main thread can receive signals; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise RunInterrupted(f"stopped by {signal.Signals(signum).name}")

    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    previous = {n: signal.signal(getattr(signal, n), stop) for n in names}
    try:
        yield
    finally:
        for n, handler in previous.items():
            signal.signal(getattr(signal, n), handler)


def remove_temporary_files(outdir: Path) -> list[Path]:
    """Delete the temporary files (``.partial-``, ``.scratch-``) under ``outdir``; return them."""
    removed = []
    if outdir.is_dir():
        for path in sorted(outdir.rglob(".*")):
            if path.is_file() and (".partial-" in path.name or ".scratch-" in path.name):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def earlier_files(outdir: Path) -> set[str]:
    """Return the files (relative paths) the earlier run's ``manifest.json`` lists, if any."""
    path = outdir / MANIFEST
    if not path.is_file():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(name) for name in data["files"]}
    except (ValueError, KeyError, TypeError):
        return set()  # not a manifest of ours: touch nothing


def remove_stale_files(outdir: Path, earlier: set[str], written: set[str]) -> list[str]:
    """Delete the files of ``earlier`` that are not in ``written``, and folders they empty.

    Only paths inside ``outdir`` are considered; anything the earlier manifest
    did not list is never touched.
    """
    root = outdir.resolve()
    removed = []
    for name in sorted(earlier - written):
        path = (outdir / name).resolve()
        if root not in path.parents or not path.is_file():
            continue
        path.unlink()
        removed.append(name)
        parent = path.parent
        while parent != root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return removed


def write_manifest(outdir: Path, files: Mapping[str, Path], config: RunConfig) -> Path:
    """Write ``manifest.json``: every file of the run and its SHA-256 (the log: no hash).

    The log differs from run to run (times); every other file is the same bytes
    on rerun, so the manifest is too.
    """
    entries: dict[str, str | None] = {}
    for name, path in sorted(files.items()):
        if name == "run.log":
            entries[name] = None
            continue
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        entries[name] = digest.hexdigest()
    entries[MANIFEST] = None
    text = json.dumps({"aez": __version__, "config_hash": config.hash,
                       "files": dict(sorted(entries.items()))}, indent=1, ensure_ascii=False)
    target = outdir / MANIFEST
    with atomic_output(target, overwrite=True, inputs=config.input_paths) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return target


#: Words of an I/O failure (errno or GDAL's text) → the remedy.
_IO_REMEDIES = (
    ((28, 122), ("no space left", "disk full", "quota"),
     "The disk is full: free some space, or set [output] dir to a larger disk."),
    ((30,), ("read-only file system",),
     "The file system is read-only: set [output] dir to a writable folder."),
    ((13, 1), ("permission denied", "operation not permitted"),
     "Check the folder's permissions, or set [output] dir to a writable folder."),
)


_SYSTEM_ERRORS = (OSError, PermissionError, FileNotFoundError, FileExistsError,
                  IsADirectoryError, NotADirectoryError)


def _nearly_full(outdir: Path) -> bool:
    """Whether the disk of ``outdir`` has less than 1 MiB free."""
    import shutil

    try:
        return shutil.disk_usage(outdir).free < (1 << 20)
    except OSError:
        return False


def io_failure(exc: BaseException, outdir: Path) -> DataSourceError:
    """Describe a failed read or write in one line: the folder, the reason, the remedy.

    The exception and its causes are searched for an errno or GDAL's text
    (``No space left on device``), so the message says why, not only that,
    writing failed.
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    texts = [" ".join(str(e).split()) for e in chain]
    system = [e for e in chain if type(e) in _SYSTEM_ERRORS and isinstance(e, OSError)]
    paths = [f for e in chain if (f := getattr(e, "filename", None))]
    remedy = "Check the output folder and the disk, or set [output] dir to another folder."
    reason = next((t for t in texts if t and "previous exception" not in t), texts[0])
    if _nearly_full(outdir):
        texts.append("no space left on device")
    for numbers, words, text in _IO_REMEDIES:
        hit = next((t for t in texts if any(w in t.lower() for w in words)), None)
        by_errno = [e for e in system if e.errno in numbers]
        if hit is not None or by_errno:
            remedy = text
            reason = (by_errno[0].strerror or reason) if by_errno else reason
            if hit is not None and not by_errno:
                reason = f"{reason} (no space left on device)" if numbers[0] == 28 else hit
            break
    where = paths[0] if paths else outdir
    return DataSourceError(f"Writing the run's files failed ({where}): {reason}. {remedy}")
