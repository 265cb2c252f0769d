"""Write the national outline that maps use for their locator and their surroundings.

Reads ``prov_indonesia.geojson`` (the MIT-licensed *wilayah_boundaries* provinces,
Kemendagri 2025 codes) and writes ``aez/render/data/indonesia_provinces.geojson``:
each province repaired (``shapely.make_valid``), its polygon parts kept,
simplified (Douglas–Peucker, topology preserving) with a tolerance of
``TOLERANCE`` degrees, islands smaller than ``MIN_AREA`` square degrees dropped,
and coordinates rounded to ``DECIMALS`` decimals. Only ``kode_kemendagri`` and
``nama`` are kept. The output is sorted by code and written with sorted keys,
so the same source gives the same bytes.

Usage (from the project folder)::

    python layers/indonesia/build_outline.py [path/to/prov_indonesia.geojson]

Without an argument the source is ``$AEZ_SHARED_DATA/boundaries/prov_indonesia.geojson``
(default ``../shared/data``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

#: Simplification tolerance (degrees; 0.01° ≈ 1.1 km at the equator).
TOLERANCE = 0.01
#: Polygon parts smaller than this (square degrees, ≈ 1 km²) are dropped.
MIN_AREA = 1e-4
#: Decimals kept in the coordinates (3 decimals ≈ 110 m).
DECIMALS = 3

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "aez" / "render" / "data" / "indonesia_provinces.geojson"


def _parts(geometry: shapely.Geometry) -> list[Polygon]:
    """Return the polygons of a repaired geometry (collections unpacked, lines dropped)."""
    if isinstance(geometry, Polygon):
        return [geometry]
    if hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in _parts(g)]
    return []


def outline(geometry: shapely.Geometry) -> MultiPolygon | None:
    """Repair, simplify, filter and round one province; None when nothing is left."""
    repaired = shapely.make_valid(geometry)
    simple = shapely.simplify(repaired, TOLERANCE, preserve_topology=True)
    parts = [p for p in _parts(simple) if p.area >= MIN_AREA]
    if not parts:
        return None
    rounded = shapely.set_precision(MultiPolygon(parts), 10.0 ** -DECIMALS)
    parts = [p for p in _parts(shapely.make_valid(rounded)) if p.area >= MIN_AREA]
    return MultiPolygon(parts) if parts else None


def _rounded(value: Any) -> Any:
    """Round the coordinates of a GeoJSON mapping to :data:`DECIMALS` (tuples become lists)."""
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return round(value, DECIMALS) if isinstance(value, float) else value


def main(source: Path, output: Path = OUTPUT) -> None:
    """Build the outline from ``source`` and write it to ``output`` (default :data:`OUTPUT`)."""
    data = json.loads(source.read_text(encoding="utf-8"))
    features = []
    for feature in data["features"]:
        geometry = outline(shape(feature["geometry"]))
        if geometry is None:
            continue
        props = feature["properties"]
        features.append({"type": "Feature",
                         "properties": {"kode_kemendagri": props["kode_kemendagri"],
                                        "nama": props["nama"]},
                         "geometry": _rounded(mapping(geometry))})
    features.sort(key=lambda f: f["properties"]["kode_kemendagri"])
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, sort_keys=True, separators=(",", ":"))
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(output)
    print(f"{len(features)} provinces, {output.stat().st_size / 1024:.0f} KB → {output}")


if __name__ == "__main__":
    shared = Path(os.environ.get("AEZ_SHARED_DATA", ROOT.parent / "shared" / "data"))
    main(Path(sys.argv[1]) if len(sys.argv) > 1
         else shared / "boundaries" / "prov_indonesia.geojson")
