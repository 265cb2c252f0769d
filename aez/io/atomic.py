"""Output paths that are written under a temporary name and renamed when complete."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from aez.errors import ConfigError, DataSourceError, OutputExistsError

__all__ = ["atomic_output", "check_output_path", "partial_name"]


def partial_name(path: Path) -> Path:
    """Return the temporary sibling of ``path`` used while it is being written.

    It starts with a dot and keeps the suffix, so GDAL still recognises the
    format, and it carries the process id, so two runs never share it.

    >>> partial_name(Path("out/maize_class.tif")).name.startswith(".maize_class.partial-")
    True
    """
    return path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")


def check_output_path(
    path: str | Path, *, overwrite: bool = False, inputs: Iterable[str | Path | None] = ()
) -> Path:
    """Refuse an output that would overwrite an input, or an existing file.

    Parameters
    ----------
    path : path
        The output file.
    overwrite : bool
        Allow replacing an existing output (never an input).
    inputs : iterable of paths
        Files the run reads; an output may never be one of them.

    Raises
    ------
    ConfigError
        If ``path`` is one of ``inputs``.
    OutputExistsError
        If ``path`` exists and ``overwrite`` is False.
    """
    path = Path(path)
    target = path.resolve()
    for source in inputs:
        if source is not None and Path(source).resolve() == target:
            raise ConfigError(
                f"Output {path} is also an input; aez never overwrites its inputs. "
                "Choose another output path."
            )
    if path.exists() and not overwrite:
        raise OutputExistsError(
            f"Output {path} already exists. Pass overwrite=True to replace it, "
            "or choose another path."
        )
    if not path.parent.is_dir():
        raise DataSourceError(
            f"Output folder {path.parent} does not exist. Create it first or choose another path."
        )
    return path


@contextmanager
def atomic_output(
    path: str | Path, *, overwrite: bool = False, inputs: Iterable[str | Path | None] = ()
) -> Iterator[Path]:
    """Yield a temporary path; rename it to ``path`` only if the block succeeds.

    On any exception the temporary file is removed and ``path`` is untouched.
    """
    path = check_output_path(path, overwrite=overwrite, inputs=inputs)
    tmp = partial_name(path)
    try:
        yield tmp
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
