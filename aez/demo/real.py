"""Real tables and layers in the formats of a demo region.

A demo region (:func:`aez.demo.write_demo_region`) can be generated inside real
kecamatan boundaries. These functions turn real data into the files such a
region is made of, so that parts of a run rest on real data:

* :func:`bps_production`: a long BPS table (one row per kecamatan × commodity ×
  year, values in the table's own unit) → the demo's production table
  (``kode_bps``, ``kecamatan``, ``commodity``, ``year``, ``production_ton``),
  BPS commodity names mapped to aez crop ids (:data:`BPS_COMMODITY_IDS`) and
  quintals and kilograms converted to tons (:data:`MASS_UNITS_TON`); with
  ``keep_all=True`` the other commodities of the tables too (the location
  quotient's basket needs them), and the BPS table of each row as its ``group``;
* :func:`bps_harvested_area`: the harvested-area rows of the same tables (ha,
  m²) as ``area_ha`` per kecamatan, aez commodity and year, so that production
  / area gives the local yield of potential production;
* :func:`osm_road_classes`: OpenStreetMap ``highway`` tags → the Indonesian
  functional road classes (``kelas``) that travel time reads
  (:data:`OSM_ROAD_CLASSES`);
* :func:`market_towns`: populated places (e.g. GeoNames, lon/lat) inside or near
  a study area → market points (``nama``, ``kind``).

>>> import pandas as pd
>>> long = pd.DataFrame({
...     "kode_bps_kec": ["5310070", "5310070", "5310070", None],
...     "kecamatan": ["Nita", "Nita", "Nita", "Sikka (TOTAL KABUPATEN)"],
...     "komoditas": ["Pisang/ Banana", "Jahe/ Ginger", "Pisang/ Banana", "Pisang/ Banana"],
...     "satuan": ["kw/ qui", "kg/ kg", "ha/ ha", "kw/ qui"],
...     "tahun": [2023, 2023, 2023, 2023], "nilai": [10872.0, 104500.0, 9.0, 56329.0]})
>>> bps_production(long)[["commodity", "production_ton"]].to_dict("list")
{'commodity': ['jahe', 'pisang'], 'production_ton': [104.5, 1087.2]}
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd

from aez.errors import ConfigError

__all__ = [
    "AREA_UNITS_HA",
    "BPS_COMMODITY_IDS",
    "MASS_UNITS_TON",
    "OSM_ROAD_CLASSES",
    "bps_harvested_area",
    "bps_name",
    "bps_production",
    "bps_slug",
    "market_towns",
    "osm_road_classes",
]

log = logging.getLogger(__name__)

#: BPS commodity names (the Indonesian part of the label, before the first ``/``,
#: compared case-insensitively) → aez crop ids. Several names may give one id; their
#: production is summed. Choices: *cabai merah* is BPS's big chilli and curly chilli
#: (``Cabai Besar``, ``Cabai Keriting``), not bird's-eye chilli (``Cabai Rawit``, another
#: species, C. frutescens); *jeruk* is mandarin/tangerine (``Jeruk Siam/Keprok``), not
#: pomelo (``Jeruk Besar``) or lime (``Jeruk Nipis``), which BPS counts apart.
BPS_COMMODITY_IDS: Mapping[str, str] = MappingProxyType({
    # food crops
    "Padi Sawah": "padi_sawah", "Padi Ladang": "padi_gogo", "Jagung": "jagung",
    "Kedelai": "kedelai", "Kacang Tanah": "kacang_tanah", "Ubi Kayu": "ubi_kayu",
    "Ubi Jalar": "ubi_jalar", "Sorgum": "sorgum",
    # horticulture
    "Alpukat": "alpukat", "Bawang Merah": "bawang_merah", "Cabai Besar": "cabai",
    "Cabai Keriting": "cabai", "Cabai Merah": "cabai", "Durian": "durian",
    "Jeruk Siam": "jeruk", "Jeruk Keprok": "jeruk", "Kubis": "kubis", "Mangga": "mangga",
    "Nenas": "nanas", "Nanas": "nanas", "Pisang": "pisang", "Tomat": "tomat",
    # estate and beverage crops
    "Jambu Mete": "jambu_mete", "Karet": "karet", "Kelapa": "kelapa",
    "Kelapa Sawit": "kelapa_sawit", "Tebu": "tebu", "Kakao": "kakao",
    "Kopi Arabika": "kopi_arabika", "Kopi Robusta": "kopi_robusta",
    # herbs and spices
    "Cengkeh": "cengkeh", "Jahe": "jahe", "Kunyit": "kunyit", "Lada": "lada",
})

#: Mass units of BPS production tables (the part of ``satuan`` before ``/``) → tons.
#: One *kuintal* (kw) is 100 kg. Rows in other units (ha, m², trees) are not production.
AREA_UNITS_HA: Mapping[str, float] = MappingProxyType({"ha": 1.0, "m2": 1e-4, "m²": 1e-4})
MASS_UNITS_TON: Mapping[str, float] = MappingProxyType(
    {"ton": 1.0, "kw": 0.1, "ku": 0.1, "kuintal": 0.1, "kg": 0.001})

#: OpenStreetMap ``highway`` values → Indonesian functional road class (``kelas``), after
#: the Indonesian OSM tagging guideline (trunk and primary: national arterial roads;
#: secondary: provincial collector roads; tertiary and unclassified: district local
#: roads; residential, service and track: village roads). ``road`` (type unknown) is
#: taken as local. Paths for walking or cycling, aeroways and waterways are not roads.
OSM_ROAD_CLASSES: Mapping[str, str] = MappingProxyType({
    "motorway": "arteri", "motorway_link": "arteri", "trunk": "arteri", "trunk_link": "arteri",
    "primary": "arteri", "primary_link": "arteri",
    "secondary": "kolektor", "secondary_link": "kolektor",
    "tertiary": "lokal", "tertiary_link": "lokal", "unclassified": "lokal", "road": "lokal",
    "residential": "jalan_desa", "living_street": "jalan_desa", "service": "jalan_desa",
    "track": "jalan_desa",
})


def bps_name(label: object) -> str:
    """Return the Indonesian name of a bilingual BPS label: the text before the first ``/``.

    >>> bps_name("Cabai Besar/TW/Teropong / Chili/Big chili")
    'Cabai Besar'
    >>> bps_name("kw/ qui")
    'kw'
    """
    return re.sub(r"\s+", " ", str(label).split("/", 1)[0]).strip()


def bps_slug(label: object) -> str:
    """Return an id for a BPS commodity without an aez crop table: its Indonesian name, snake case.

    >>> bps_slug("Duku/Langsat/Kokosan/ Duku"), bps_slug("Jamur Lainnya")
    ('duku', 'jamur_lainnya')
    """
    return re.sub(r"[^0-9a-z]+", "_", bps_name(label).casefold()).strip("_")


def bps_production(long: pd.DataFrame, *,
                   commodities: Mapping[str, str] = BPS_COMMODITY_IDS,
                   code: str = "kode_bps_kec", name: str = "kecamatan",
                   commodity: str = "komoditas", year: str = "tahun", unit: str = "satuan",
                   value: str = "nilai", bps_table: str = "tabel",
                   keep_all: bool = False) -> pd.DataFrame:
    """Convert a long BPS production table to the demo region's production table.

    Keeps the rows whose commodity name (:func:`bps_name`) is in ``commodities``
    (with ``keep_all``, every commodity: the others under :func:`bps_slug` ids)
    and whose unit is a mass unit (:data:`MASS_UNITS_TON`); area rows (ha, m²)
    of the same commodities are left out. Values become tons, and the BPS
    commodities that share an aez id are summed per kecamatan and year (NaN,
    i.e. not available, only when all of them are). Rows without a kecamatan
    code, such as the kabupaten total, are dropped. When ``long`` has the
    column ``bps_table`` (the BPS table number, e.g. ``5.1.13`` for fruit), it
    becomes the ``group`` of each row: the basket of the location quotient.

    Parameters
    ----------
    long : DataFrame
        One row per kecamatan × BPS commodity × year (e.g. the BPS SIMDASI
        horticulture tables): code, name, commodity label, unit label, year and
        a numeric value (NaN = not available, 0 for BPS's ``-``).
    commodities : mapping of str to str
        BPS commodity name → aez crop id (default :data:`BPS_COMMODITY_IDS`).
    code, name, commodity, year, unit, value : str
        Column names of ``long``.

    Returns
    -------
    DataFrame
        ``kode_bps`` (text), ``kecamatan``, ``commodity`` (aez id), ``year``
        (int), ``production_ton`` (float) and, with a ``bps_table`` column,
        ``group`` (text), sorted by commodity, year and code.

    Raises
    ------
    ConfigError
        A missing column, a non-numeric or negative value, a year that is not
        a number, one BPS commodity twice for a kecamatan and year (two tables
        mixed), one code with two names, one commodity id in two tables, or no
        production row of any of the commodities.
    """
    missing = [c for c in (code, name, commodity, year, unit, value) if c not in long.columns]
    if missing:
        raise ConfigError(f"The BPS table has no column {missing[0]!r}; it has "
                          f"{list(long.columns)}. Name the columns with code=, name=, "
                          "commodity=, year=, unit=, value=.")
    if not pd.api.types.is_numeric_dtype(long[value]):
        raise ConfigError(f"Column {value!r} of the BPS table is not numeric (dtype "
                          f"{long[value].dtype}); parse BPS number text first "
                          "(aez.io.bps.parse_bps_number).")
    wanted = {bps_name(k).casefold(): v for k, v in commodities.items()}
    grouped = bps_table in long.columns
    table = pd.DataFrame({
        "kode_bps": _codes(long[code]), "kecamatan": long[name].astype(str),
        "bps": long[commodity].map(bps_name), "unit": long[unit].map(bps_name).str.casefold(),
        "year": pd.to_numeric(long[year], errors="coerce"), "value": long[value],
        "group": long[bps_table].astype(str).str.strip() if grouped else ""})
    no_code = table["kode_bps"].isna()
    if no_code.any():
        log.info("%d rows without a kecamatan code left out (e.g. %r)", int(no_code.sum()),
                 table.loc[no_code, "kecamatan"].iloc[0])
    table["commodity"] = table["bps"].str.casefold().map(wanted)
    if keep_all:
        table["commodity"] = table["commodity"].fillna(long[commodity].map(bps_slug))
    table = table[~no_code & table["commodity"].notna() & table["unit"].isin(MASS_UNITS_TON)]
    if table.empty:
        raise ConfigError(f"The BPS table has no production rows (units {sorted(MASS_UNITS_TON)}) "
                          f"of the commodities {sorted(commodities)[:6]}…; its commodities "
                          f"include {sorted(long[commodity].astype(str).unique())[:6]}.")
    if table["year"].isna().any():
        bad = long.loc[table.index[table["year"].isna()][0], year]
        raise ConfigError(f"Column {year!r} has a year that is not a number: {bad!r}.")
    if (table["value"] < 0).any():
        row = table[table["value"] < 0].iloc[0]
        raise ConfigError(f"Production cannot be negative: {row['value']:g} {row['unit']} of "
                          f"{row['bps']!r} in {row['kecamatan']!r}, {int(row['year'])}. Correct "
                          "the value, or set it to NaN if it is not known.")
    twice = table.duplicated(["kode_bps", "bps", "year"], keep=False)
    if twice.any():
        row = table[twice].iloc[0]
        raise ConfigError(f"{row['bps']!r} appears more than once for kecamatan "
                          f"{row['kode_bps']} in {int(row['year'])}: the table mixes tables "
                          "that both report it. Keep one table (e.g. filter by its number).")
    places = table.drop_duplicates(["commodity", "group"])
    if places["commodity"].duplicated().any():
        odd = places.loc[places["commodity"].duplicated(keep=False)]
        raise ConfigError(f"Commodity {odd['commodity'].iloc[0]!r} is in more than one table "
                          f"({sorted(odd['group'])}); keep one table per commodity.")
    names = table.drop_duplicates(["kode_bps", "kecamatan"])
    if names["kode_bps"].duplicated().any():
        odd = names.loc[names["kode_bps"].duplicated(keep=False)]
        raise ConfigError(f"Kecamatan code {odd['kode_bps'].iloc[0]} has more than one name "
                          f"({sorted(odd['kecamatan'].unique())}).")
    table = table.assign(year=table["year"].astype(np.int64),
                         tons=table["value"].astype(np.float64)
                         * table["unit"].map(MASS_UNITS_TON).astype(np.float64))
    out = (table.groupby(["commodity", "year", "kode_bps", "kecamatan", "group"], sort=True)
           ["tons"].sum(min_count=1).rename("production_ton").reset_index())
    columns = ["kode_bps", "kecamatan", "commodity", "year", "production_ton"]
    return out[[*columns, "group"] if grouped else columns]


def bps_harvested_area(long: pd.DataFrame, *,
                       commodities: Mapping[str, str] = BPS_COMMODITY_IDS,
                       code: str = "kode_bps_kec", commodity: str = "komoditas",
                       year: str = "tahun", unit: str = "satuan",
                       value: str = "nilai") -> pd.DataFrame:
    """Harvested area of the aez commodities of a long BPS table, in ha.

    Keeps the rows whose unit is an area (:data:`AREA_UNITS_HA`: ha, m²) and
    whose commodity maps to an aez crop id; BPS commodities sharing an id are
    summed (NaN only when all are). Rows without a kecamatan code (the
    kabupaten total) are dropped.

    Returns
    -------
    DataFrame
        ``kode_bps`` (text), ``commodity``, ``year`` (int), ``area_ha``.

    >>> long = pd.DataFrame({"kode_bps_kec": ["5310070", "5310070", "5310070"],
    ...     "komoditas": ["Tomat/ Tomato", "Tomat/ Tomato", "Kubis/ Cabbage"],
    ...     "satuan": ["ha/ ha", "kw/ qui", "ha/ ha"], "tahun": [2023] * 3,
    ...     "nilai": [12.0, 950.0, 3.0]})
    >>> bps_harvested_area(long).to_dict("list")["area_ha"]
    [3.0, 12.0]
    """
    missing = [c for c in (code, commodity, year, unit, value) if c not in long.columns]
    if missing:
        raise ConfigError(f"The BPS table has no column {missing[0]!r}; it has "
                          f"{list(long.columns)}. Name the columns with code=, commodity=, "
                          "year=, unit=, value=.")
    wanted = {bps_name(k).casefold(): v for k, v in commodities.items()}
    table = pd.DataFrame({
        "kode_bps": _codes(long[code]),
        "commodity": long[commodity].map(bps_name).str.casefold().map(wanted),
        "unit": long[unit].map(bps_name).str.casefold(),
        "year": pd.to_numeric(long[year], errors="coerce"),
        "value": pd.to_numeric(long[value], errors="coerce")})
    table = table[table["kode_bps"].notna() & table["commodity"].notna()
                  & table["unit"].isin(AREA_UNITS_HA) & table["year"].notna()]
    if (table["value"] < 0).any():
        raise ConfigError(f"Harvested area cannot be negative: {table['value'].min():g}. "
                          "Correct the value, or set it to NaN if it is not known.")
    table = table.assign(year=table["year"].astype(np.int64),
                         area_ha=table["value"] * table["unit"].map(AREA_UNITS_HA))
    out = (table.groupby(["kode_bps", "commodity", "year"], sort=True)["area_ha"]
           .sum(min_count=1).reset_index())
    return out


def _codes(codes: pd.Series) -> pd.Series:
    """Kecamatan codes as text; numbers read as floats (``5310010.0``) lose the ``.0``."""
    if pd.api.types.is_numeric_dtype(codes):
        return codes.astype("Int64").astype("string")
    text = codes.astype("string").str.strip()
    return text.str.replace(r"\.0$", "", regex=True).mask(text == "")


def osm_road_classes(roads: gpd.GeoDataFrame, *, highway: str = "highway",
                     classes: Mapping[str, str] = OSM_ROAD_CLASSES) -> gpd.GeoDataFrame:
    """OpenStreetMap road lines with their Indonesian functional class.

    Parameters
    ----------
    roads : GeoDataFrame
        Lines with an OSM ``highway`` tag column (other features, such as
        aeroways and waterways, have none and are dropped).
    highway : str
        Column of the ``highway`` tag.
    classes : mapping of str to str
        ``highway`` value → class (default :data:`OSM_ROAD_CLASSES`); values
        not in it (footways, paths, runways) are dropped.

    Returns
    -------
    GeoDataFrame
        ``kelas``, ``highway`` and the geometry, in the input's CRS and order.

    Raises
    ------
    ConfigError
        No ``highway`` column, or no feature with a class.
    """
    if highway not in roads.columns:
        raise ConfigError(f"The road layer has no column {highway!r}; it has "
                          f"{list(roads.columns)}. Pass highway= with the OSM tag column.")
    kelas = roads[highway].map(dict(classes))
    kept = kelas.notna() & roads.geometry.notna() & ~roads.geometry.is_empty
    if not kept.any():
        raise ConfigError(f"No road of the layer has a class: its {highway!r} values are "
                          f"{sorted(roads[highway].dropna().astype(str).unique())[:8]}, the "
                          f"classes cover {sorted(classes)[:8]}….")
    dropped = roads.loc[~kept, highway].fillna("(none)").value_counts()
    if len(dropped):
        log.info("Features without a road class left out: %s", dropped.to_dict())
    return gpd.GeoDataFrame({"kelas": kelas[kept].to_numpy(),
                             highway: roads.loc[kept, highway].to_numpy()},
                            geometry=roads.geometry[kept].to_numpy(), crs=roads.crs)


def market_towns(places: pd.DataFrame, area: gpd.GeoDataFrame, *, buffer: float = 0.0,
                 lon: str = "lon", lat: str = "lat", name: str = "name",
                 capital: str | None = None) -> gpd.GeoDataFrame:
    """Return populated places inside a study area (or within ``buffer`` of it) as market points.

    Every place is taken to hold a market: ``kind`` is ``"pasar_induk"`` (the
    main market) for the place named ``capital`` and ``"pengumpul"``
    (a collection point) for the others, as in the demo region.

    Parameters
    ----------
    places : DataFrame
        One row per place with longitude and latitude (degrees, WGS 84) and a name.
    area : GeoDataFrame
        The study area's polygons, in a projected CRS (metres).
    buffer : float, default 0
        Also keep places within this distance (m) of the area.
    lon, lat, name : str
        Columns of ``places``.
    capital : str, optional
        Name of the kabupaten capital; it must be among the kept places.

    Returns
    -------
    GeoDataFrame
        ``nama``, ``kind`` and points in the CRS of ``area``, sorted by name.

    Raises
    ------
    ConfigError
        Missing columns, a geographic ``area`` CRS, a negative buffer, no place
        in the area, or ``capital`` not among them.
    """
    missing = [c for c in (lon, lat, name) if c not in places.columns]
    if missing:
        raise ConfigError(f"The places table has no column {missing[0]!r}; it has "
                          f"{list(places.columns)}. Pass lon=, lat=, name=.")
    if area.crs is None or not area.crs.is_projected:
        raise ConfigError(f"The study area must be in a projected CRS (metres) to buffer it; "
                          f"it is in {area.crs}. Reproject it (e.g. to its UTM zone) first.")
    if not buffer >= 0:
        raise ConfigError(f"buffer = {buffer!r}; expected a distance in metres ≥ 0.")
    points = gpd.GeoDataFrame(
        {"nama": places[name].astype(str).to_numpy()},
        geometry=gpd.points_from_xy(places[lon], places[lat]), crs="EPSG:4326").to_crs(area.crs)
    outline = area.geometry.union_all()
    if buffer > 0:
        outline = outline.buffer(buffer)
    inside = points[points.intersects(outline)]
    if inside.empty:
        raise ConfigError(f"None of the {len(points)} places lies in the study area (buffer "
                          f"{buffer:g} m). Check that the places and the area overlap.")
    inside = inside.assign(x=inside.geometry.x, y=inside.geometry.y)
    inside = inside.sort_values(["nama", "x", "y"]).drop_duplicates(["nama", "x", "y"])
    if capital is not None and capital not in set(inside["nama"]):
        raise ConfigError(f"The capital {capital!r} is not among the places of the study area "
                          f"({len(inside)} places, e.g. {inside['nama'].iloc[:3].tolist()}).")
    kind = np.where(inside["nama"] == capital, "pasar_induk", "pengumpul")
    return gpd.GeoDataFrame({"nama": inside["nama"].to_numpy(), "kind": kind},
                            geometry=inside.geometry.to_numpy(), crs=area.crs)
