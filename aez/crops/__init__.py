"""Commodity requirement tables: the built-in library and user tables.

Built-in tables are TOML files shipped in ``aez/crops/data/``, one per
commodity, named by the crop id (``padi_sawah.toml``). :func:`load_crop`
takes a crop id or the path of a user's own table; a user table directory
(``crop_dirs``) whose file has the same id as a built-in one overrides it,
and the override is logged.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from aez.checks import require_sequence
from aez.crops.checks import plausibility_problems
from aez.crops.schema import (
    CLASS_NAMES,
    CategoricalRule,
    CropRequirements,
    NumericRule,
    Rule,
    Source,
    parse_crop,
    read_crop_file,
)
from aez.errors import ConfigError

__all__ = [
    "BUILTIN_DIR",
    "CLASS_NAMES",
    "CategoricalRule",
    "CropRequirements",
    "NumericRule",
    "Rule",
    "Source",
    "crop_ids",
    "load_crop",
    "load_crops",
    "parse_crop",
    "plausibility_problems",
    "read_crop_file",
]

log = logging.getLogger(__name__)

#: Folder of the built-in requirement tables.
BUILTIN_DIR = Path(__file__).with_name("data")


def _table_paths(crop_dirs: Sequence[str | Path] = ()) -> dict[str, Path]:
    """Crop id → table file; later folders override earlier ones, users override built-ins."""
    paths = {p.stem: p for p in sorted(BUILTIN_DIR.glob("*.toml"))}
    for folder in crop_dirs:
        for path in sorted(Path(folder).glob("*.toml")):
            paths[path.stem] = path
    return paths


def crop_ids(crop_dirs: Sequence[str | Path] = ()) -> list[str]:
    """Ids of every available crop table, sorted.

    >>> "jagung" in crop_ids()
    True
    """
    return sorted(_table_paths(crop_dirs))


def load_crop(id_or_path: str | Path, *, crop_dirs: Sequence[str | Path] = ()) -> CropRequirements:
    """Load a crop requirement table by id (built-in or in ``crop_dirs``) or by file path.

    Parameters
    ----------
    id_or_path : str or Path
        A crop id such as ``"jagung"``, or the path of a ``.toml`` table.
    crop_dirs : sequence of path, optional
        Folders of user tables; a table there with a built-in id overrides it.

    Raises
    ------
    ConfigError
        Unknown id (with the closest matches), or a table that fails validation.

    >>> load_crop("jagung").name_en
    'Maize'
    """
    text = str(id_or_path)
    if text.endswith(".toml") or Path(text).suffix == ".toml":
        return read_crop_file(text)
    paths = _table_paths(crop_dirs)
    if text not in paths:
        close = difflib.get_close_matches(text, paths, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ConfigError(
            f"Unknown crop {text!r}.{hint} Run `aez crops list` for the available ids, or "
            "give the path of your own .toml table."
        )
    builtin = BUILTIN_DIR / f"{text}.toml"
    if paths[text] != builtin and builtin.exists():
        log.info("Crop table %s overrides %s", paths[text], builtin)
    crop = read_crop_file(paths[text])
    if crop.id != text:
        raise ConfigError(f"{paths[text]}: id = {crop.id!r} differs from the file name {text!r}.")
    return crop


def load_crops(ids: Iterable[str | Path], *, crop_dirs: Sequence[str | Path] = (),
               ecocrop: str | Path | None = None) -> list[CropRequirements]:
    """Load several crops (see :func:`load_crop`); repeated ids are an error.

    An id ``"ecocrop:<name>"`` takes the climate envelope of ``<name>`` (scientific or
    common name) from the ECOCROP-layout CSV ``ecocrop`` (see :mod:`aez.crops.ecocrop`).
    """
    from aez.crops.ecocrop import ecocrop_crop, read_ecocrop

    ids = require_sequence(ids, what="load_crops: ids", example='["jagung", "pisang"]')
    table = None
    crops = []
    for item in ids:
        text = str(item)
        if text.startswith("ecocrop:"):
            if ecocrop is None:
                raise ConfigError(f"Crop {text!r} needs an ECOCROP table: set `ecocrop = "
                                  "\"file.csv\"` in [evaluate] (or pass ecocrop=).")
            table = read_ecocrop(ecocrop) if table is None else table
            crops.append(ecocrop_crop(table, text.removeprefix("ecocrop:")))
        else:
            crops.append(load_crop(item, crop_dirs=crop_dirs))
    seen: set[str] = set()
    for crop in crops:
        if crop.id in seen:
            raise ConfigError(f"Crop {crop.id!r} is listed twice; list each crop once in "
                              "[evaluate] crops.")
        seen.add(crop.id)
    return crops
