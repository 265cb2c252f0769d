"""Cooperatives (*koperasi*) of the demo region.

Each kecamatan has two to six cooperatives in its town and villages:

* **KUD** (*Koperasi Unit Desa*): large, old village cooperatives trading the
  kecamatan's main food and estate crops;
* **koperasi_tani**: farmer cooperatives around one to three crops, mostly the
  ones the kecamatan grows most of;
* **KSP** (*Koperasi Simpan Pinjam*): savings and loans, financing small
  businesses, so their business lines are sentra fields.

``usaha`` lists the business lines, separated by semicolons, using the
commodity ids of the production table and the sentra field names. Members
and assets (rupiah) are lognormal, larger for KUD.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from aez.demo.fields import rng_for
from aez.demo.names import NameMaker
from aez.demo.socioeconomic import SENTRA_FIELDS

__all__ = ["make_cooperatives"]

_PREFIX = {"KUD": "KUD", "koperasi_tani": "Koperasi Tani", "KSP": "KSP"}


def make_cooperatives(*, seed: int, districts: pd.DataFrame, places: gpd.GeoDataFrame,
                      production: pd.DataFrame) -> gpd.GeoDataFrame:
    """Cooperative points (see the module docstring).

    Parameters
    ----------
    districts : DataFrame
        ``kode_kemendagri``, ``kode_bps`` per kecamatan.
    places : GeoDataFrame
        Towns and villages with ``kode_kemendagri`` (cooperatives sit near them).
    production : DataFrame
        The tidy production table (``kode_bps``, ``commodity``, ``year``,
        ``production_ton``).
    """
    rng = rng_for(seed, "cooperatives")
    names = NameMaker(rng_for(seed, "cooperative-names"))
    latest = production[production["year"] == production["year"].max()]
    rows = []
    for district in districts.itertuples():
        crops = (latest[latest["kode_bps"] == district.kode_bps]
                 .sort_values(["production_ton", "commodity"], ascending=[False, True]))
        grown = crops[crops["production_ton"] > 0]["commodity"].tolist()
        spots = places[places["kode_kemendagri"] == district.kode_kemendagri]
        if spots.empty:
            continue
        for _ in range(int(rng.integers(2, 7))):
            kind = str(rng.choice(["KUD", "koperasi_tani", "koperasi_tani", "KSP"]))
            if kind == "KSP":
                lines = sorted(rng.choice(SENTRA_FIELDS[3:], size=int(rng.integers(1, 3)),
                                          replace=False).tolist())
            elif grown:
                top = grown[: max(3, len(grown) // 3)]
                k = int(rng.integers(1, 4)) if kind == "koperasi_tani" else int(
                    rng.integers(2, 5))
                lines = sorted(rng.choice(top, size=min(k, len(top)), replace=False).tolist())
            else:
                lines = ["Pertanian dan Perkebunan"]
            spot = spots.geometry.iloc[int(rng.integers(0, len(spots)))]
            angle, dist = rng.uniform(0, 2 * np.pi), rng.uniform(50, 400)
            members = int(rng.lognormal(6.2 if kind == "KUD" else 4.5, 0.6))
            assets = int(round(members * rng.lognormal(15.0, 0.7), -5))
            rows.append({
                "nama": names.cooperative(_PREFIX[kind]), "jenis": kind, "anggota": members,
                "aset_rupiah": assets, "usaha": ";".join(lines),
                "kode_kemendagri": district.kode_kemendagri, "kode_bps": district.kode_bps,
                "x": spot.x + dist * np.cos(angle), "y": spot.y + dist * np.sin(angle),
            })
    return gpd.GeoDataFrame(
        [{k: v for k, v in r.items() if k not in ("x", "y")} for r in rows],
        geometry=shapely.points([(r["x"], r["y"]) for r in rows]), crs=places.crs)
