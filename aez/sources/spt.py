"""BBSDLP soil survey maps (SPT): polygon land units with Indonesian fields and class words.

A soil map unit (SPT, *Satuan Peta Tanah*) table of a BBSDLP survey is a
shapefile or GeoPackage whose attributes hold land characteristics under
Indonesian names (``Drainase``, ``Tekstur``, ``Kedalaman efektif``,
``Lereng``, ``Bahaya erosi``, ``KTK``, ``KB``, ``pH H2O``, ``C-organik``) and
often as class words (``baik``, ``agak terhambat``, ``agak halus`` …) rather
than codes. A **mapping profile** (TOML) says, per characteristic, which
column(s) hold it, its units, and the canonical value of each class word;
:data:`DEFAULT_PROFILE` (``profiles/bbsdlp_spt.toml``) covers the common BBSDLP
layout after Djaenudin et al. (2011), and users can supply their own.

Every word a column holds must be in the profile: unknown words are an error
that lists each one with its field and the number of polygons holding it.

>>> profile = load_profile()
>>> profile.fields["drainage"].words["agak terhambat"]
'somewhat_poor'
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from aez.characteristics import CHARACTERISTICS, canonical_units
from aez.errors import ConfigError, DataSourceError
from aez.io.vector import read_vector
from aez.layer import CATEGORICAL_NODATA
from aez.sources.base import Output, canonical_legend, canonical_output
from aez.sources.files import expand_inputs

__all__ = ["DEFAULT_PROFILE", "FieldMapping", "Profile", "load_profile", "read_spt"]

#: The mapping profile shipped for the common BBSDLP SPT layout.
DEFAULT_PROFILE = Path(__file__).with_name("profiles") / "bbsdlp_spt.toml"


@dataclass(frozen=True)
class FieldMapping:
    """How one characteristic is read: candidate columns, units, class words."""

    characteristic: str
    columns: tuple[str, ...]
    units: str = ""
    words: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Profile:
    """A mapping profile: a name and one :class:`FieldMapping` per characteristic."""

    name: str
    path: Path
    fields: Mapping[str, FieldMapping]
    citation: str = ""


def _key(name: str) -> str:
    return re.sub(r"[\s._\-]+", "", name).lower()


def _word(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).strip().lower())


def load_profile(path: str | Path | None = None) -> Profile:
    """Read and check a mapping profile (default: :data:`DEFAULT_PROFILE`).

    Raises
    ------
    ConfigError
        For unknown characteristics, units that are not the characteristic's,
        or class words mapped to labels that are not its classes.
    """
    path = Path(path) if path is not None else DEFAULT_PROFILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataSourceError(f"SPT profile {path} does not exist.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"SPT profile {path} is not valid TOML: {exc}.") from exc
    meta = data.get("profile", {})
    fields: dict[str, FieldMapping] = {}
    for name, table in data.get("fields", {}).items():
        where = f"SPT profile {path}: [fields.{name}]"
        if name not in CHARACTERISTICS:
            raise ConfigError(f"{where}: {name!r} is not a land characteristic.")
        spec = CHARACTERISTICS[name]
        columns = table.get("columns", [])
        if isinstance(columns, str):
            columns = [columns]
        if not columns:
            raise ConfigError(f"{where} needs columns = [\"...\"], the attribute names.")
        units = table.get("units", spec.units)
        if not spec.categorical and canonical_units(units) != spec.units:
            raise ConfigError(
                f"{where} units = {units!r}; {name} is read in {spec.units!r} (convert the "
                "column, or map the words to values in those units)."
            )
        words = {_word(k): v for k, v in table.get("words", {}).items()}
        for word, value in words.items():
            if spec.categorical and value not in (spec.classes or ()):
                raise ConfigError(
                    f"{where}: the word {word!r} maps to {value!r}, which is not a {name} class "
                    f"({', '.join(spec.classes or ())})."
                )
            if not spec.categorical and not isinstance(value, int | float):
                raise ConfigError(f"{where}: the word {word!r} maps to {value!r}; expected a "
                                  f"number in {spec.units}.")
        fields[name] = FieldMapping(name, tuple(columns), spec.units, words)
    return Profile(str(meta.get("name", path.stem)), path, fields, str(meta.get("citation", "")))


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def read_spt(inputs: Iterable[str | Path], *, profile: str | Path | None = None,
             layer: str | None = None) -> tuple[gpd.GeoDataFrame, dict[str, Output]]:
    """Read SPT polygons and convert their attributes through a mapping profile.

    Returns
    -------
    frame : GeoDataFrame
        One column per characteristic found: float values in canonical
        units, or int32 class codes (1-based positions of the class labels,
        :data:`~aez.layer.CATEGORICAL_NODATA` where empty).
    outputs : dict of Output
        The characteristics read, with units, kind and legend.

    Raises
    ------
    DataSourceError
        For words not in the profile (each listed with its field), or a map
        with none of the profile's columns.
    """
    paths = expand_inputs(inputs, source="spt", suffixes=(".shp", ".gpkg", ".geojson", ".json"))
    prof = load_profile(profile)
    frames = [read_vector(p, layer=layer) for p in paths]
    frame = frames[0] if len(frames) == 1 else gpd.GeoDataFrame(
        pd.concat([f.to_crs(frames[0].crs) for f in frames], ignore_index=True),
        crs=frames[0].crs)
    by_key = {_key(c): c for c in frame.columns if c != "geometry"}
    out = gpd.GeoDataFrame(geometry=frame.geometry, crs=frame.crs)
    outputs: dict[str, Output] = {}
    unknown: list[str] = []
    for name, mapping in prof.fields.items():
        column = next((by_key[_key(c)] for c in mapping.columns if _key(c) in by_key), None)
        if column is None:
            continue
        spec = CHARACTERISTICS[name]
        values = frame[column]
        seen: dict[str, int] = {}
        if spec.categorical:
            lookup = {label: code for code, label in canonical_legend(name).items()}
            codes = np.full(len(values), CATEGORICAL_NODATA, dtype=np.int32)
            for i, raw in enumerate(values):
                if pd.isna(raw) or not str(raw).strip():
                    continue
                word = _word(str(raw))
                if word in mapping.words:
                    codes[i] = lookup[mapping.words[word]]
                else:
                    seen[str(raw).strip()] = seen.get(str(raw).strip(), 0) + 1
            out[name] = codes
        else:
            numbers = np.full(len(values), np.nan)
            for i, raw in enumerate(values):
                if pd.isna(raw) or (isinstance(raw, str) and not raw.strip()):
                    continue
                if isinstance(raw, int | float | np.number):
                    numbers[i] = float(raw)
                    continue
                word = _word(str(raw))
                number = _number(word)
                if number is not None:
                    numbers[i] = number
                elif word in mapping.words:
                    numbers[i] = float(mapping.words[word])
                else:
                    seen[str(raw).strip()] = seen.get(str(raw).strip(), 0) + 1
            out[name] = numbers.astype(np.float32)
        unknown += [f"{column}: {w!r} ({n} polygon{'s' if n > 1 else ''})"
                    for w, n in sorted(seen.items())]
        outputs[name] = canonical_output(name, f"SPT {column}")
    if unknown:
        raise DataSourceError(
            f"spt: {', '.join(p.name for p in paths)} holds words that the profile "
            f"{prof.path.name} does not map: {'; '.join(unknown)}. Add them to a copy of the "
            "profile under [fields.*.words] and pass it with --profile."
        )
    if not outputs:
        wanted = sorted({c for m in prof.fields.values() for c in m.columns})
        raise DataSourceError(
            f"spt: {', '.join(p.name for p in paths)} has none of the columns of the profile "
            f"{prof.path.name} ({', '.join(wanted)}); its columns are "
            f"{[c for c in frame.columns if c != 'geometry']}."
        )
    return out, outputs
