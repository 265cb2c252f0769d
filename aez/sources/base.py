"""What every source reader shares: its outputs, its native grid, depth ranges.

A reader opens a provider's files in their native layout, checks them, and
answers :meth:`RasterReader.read` with canonical values (see
:mod:`aez.characteristics`) on any window of the provider's own grid:
float32 with NaN for continuous outputs, int32 codes with
:data:`~aez.layer.CATEGORICAL_NODATA` for categorical ones, the codes being
the 1-based positions of the characteristic's class labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rasterio.windows import Window

from aez.characteristics import CHARACTERISTICS
from aez.errors import ConfigError, DataSourceError
from aez.io.raster import open_raster
from aez.layer import Kind
from aez.sources.files import NativeGrid

__all__ = [
    "Output",
    "RasterReader",
    "canonical_legend",
    "canonical_output",
    "depth_weights",
    "parse_depth",
]


@dataclass(frozen=True)
class Output:
    """One layer a reader yields: its name (a characteristic id or a role), units, kind, legend."""

    name: str
    units: str
    kind: Kind = "continuous"
    legend: dict[int, str] | None = None
    description: str = ""


def canonical_legend(characteristic: str) -> dict[int, str]:
    """Code → label of a categorical characteristic: codes are 1-based positions.

    >>> canonical_legend("texture")[2]
    'fine'
    """
    classes = CHARACTERISTICS[characteristic].classes or ()
    return {i + 1: label for i, label in enumerate(classes)}


def canonical_output(characteristic: str, description: str = "") -> Output:
    """Return the :class:`Output` of a canonical characteristic (from the vocabulary)."""
    spec = CHARACTERISTICS[characteristic]
    if spec.categorical:
        return Output(characteristic, "", "categorical", canonical_legend(characteristic),
                      description)
    return Output(characteristic, spec.units, "continuous", None, description)


_DEPTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*(?:cm)?\s*$")


def parse_depth(text: str) -> tuple[float, float]:
    """Parse a depth range such as ``"0-30"`` or ``"15-30cm"`` into (top, bottom) in cm.

    >>> parse_depth("0-30"), parse_depth("5-15cm")
    ((0.0, 30.0), (5.0, 15.0))
    """
    match = _DEPTH.match(str(text))
    if match is None or float(match.group(1)) >= float(match.group(2)):
        raise ConfigError(
            f"Depth {text!r} is not a depth range; write it as TOP-BOTTOM in cm, e.g. \"0-30\"."
        )
    return float(match.group(1)), float(match.group(2))


def depth_weights(layers: list[tuple[float, float]], top: float, bottom: float, *,
                  source: str) -> dict[tuple[float, float], float]:
    """Thickness weights of the layers overlapping ``top``–``bottom`` (they sum to 1).

    Raises ``DataSourceError`` when the layers leave part of the range uncovered.

    >>> depth_weights([(0, 5), (5, 15), (15, 30), (30, 60)], 0, 30, source="soilgrids")
    {(0, 5): 0.16666666666666666, (5, 15): 0.3333333333333333, (15, 30): 0.5}
    """
    weights: dict[tuple[float, float], float] = {}
    covered = 0.0
    for layer in sorted(layers):
        overlap = min(layer[1], bottom) - max(layer[0], top)
        if overlap > 0:
            weights[layer] = overlap
            covered += overlap
    if abs(covered - (bottom - top)) > 1e-9:
        have = ", ".join(f"{a:g}-{b:g}cm" for a, b in sorted(layers)) or "none"
        raise DataSourceError(
            f"{source}: the depth range {top:g}-{bottom:g} cm is not covered by the depth "
            f"layers given ({have}). Add the missing depth files or ask for another range "
            "(--depth / depth = \"0-30\")."
        )
    return {layer: w / covered for layer, w in weights.items()}


class RasterReader:
    """Base of the raster readers: a native grid and canonical outputs read window by window."""

    source: str = ""
    grid: NativeGrid

    def outputs(self) -> dict[str, Output]:
        """Return the layers this reader can yield from the files it was given."""
        raise NotImplementedError

    def output(self, name: str) -> Output:
        """One output by name; unknown names raise with the list of what the files provide."""
        outputs = self.outputs()
        if name not in outputs:
            raise ConfigError(
                f"{self.source} does not provide {name!r} from the files given; it provides "
                f"{', '.join(outputs) or 'nothing'} from them."
            )
        return outputs[name]

    def read(self, name: str, window: Window) -> np.ndarray:
        """Canonical values of ``name`` on a window of :attr:`grid`."""
        raise NotImplementedError

    def inputs(self) -> list[Path]:
        """Every file the reader reads."""
        raise NotImplementedError


def open_dataset(path: Path | str) -> Any:
    """Open a provider's raster: a file, a GDAL virtual path, or a ``NETCDF:"file":var`` name."""
    text = str(path)
    if not text.startswith("NETCDF:"):
        return open_raster(path)
    import rasterio

    try:
        return rasterio.open(text)
    except Exception as exc:
        raise DataSourceError(f"Cannot read {text}: {str(exc).splitlines()[0]}") from exc


def read_band(path: Path | str, window: Window, *, band: int = 1) -> tuple[np.ndarray, Any]:
    """Read one window of a band as stored, with the band's nodata value."""
    try:
        with open_dataset(path) as src:
            return src.read(band, window=window), src.nodatavals[band - 1]
    except DataSourceError:
        raise
    except Exception as exc:
        raise DataSourceError(f"Cannot read {path}: {exc}") from exc
