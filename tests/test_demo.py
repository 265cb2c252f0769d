"""The demo region generator (`aez demo`): determinism, readability and plausibility.

A small region (about 20 × 15 km at 50 m) is generated once for the module; the tests read
its files back with rasterio, geopandas and openpyxl and check them against physical
ranges, the canonical vocabulary and each other, never against values the generator
printed.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import rasterio
import rasterio.features
import shapely
from shapely.geometry import box

from aez.characteristics import CHARACTERISTICS, canonical_units
from aez.config import load_config
from aez.demo import generate, generate_region, write_demo_region
from aez.demo.manifest import LAYERS
from aez.demo.socioeconomic import COMMODITIES, SENTRA_FIELDS
from aez.errors import ConfigError, OutputExistsError
from aez.harmonize import LayerStack

SEED = 7
CROPS = {
    "padi_sawah", "padi_gogo", "jagung", "kedelai", "kacang_tanah", "ubi_kayu", "ubi_jalar",
    "sorgum", "cabai", "bawang_merah", "tomat", "kubis", "pisang", "durian", "mangga", "jeruk",
    "nanas", "alpukat", "kelapa_sawit", "karet", "kakao", "kopi_robusta", "kopi_arabika",
    "kelapa", "lada", "cengkeh", "tebu", "jambu_mete", "jahe", "kunyit",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of the small demo region (read-only)."""
    out = tmp_path_factory.mktemp("demo-small")
    write_demo_region(out, seed=SEED, size="small")
    return out


def _read(path: Path) -> tuple[np.ndarray, dict]:
    with rasterio.open(path) as src:
        data = src.read(1)
        return data, {"nodata": src.nodata, "transform": src.transform, "crs": src.crs,
                      "tags": src.tags(1), "legend": src.tags().get("AEZ_LEGEND")}


def _label(path: Path) -> tuple[np.ndarray, dict[int, str]]:
    import json

    data, meta = _read(path)
    return data, {int(k): v for k, v in json.loads(meta["legend"]).items()}


# -- determinism --------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes(demo, tmp_path, snapshot, temp_leftovers):
    again = tmp_path / "again"
    write_demo_region(again, seed=SEED, size="small")
    first, second = snapshot(demo), snapshot(again)
    assert sorted(first) == sorted(second)
    assert first == second, [k for k in first if first[k] != second[k]]
    assert not temp_leftovers(again)


def test_another_seed_gives_another_region(demo):
    other = generate_region(seed=SEED + 1, size="small")
    dem, _ = _read(demo / "terrain" / "dem.tif")
    kec = gpd.read_file(demo / "kecamatan.gpkg")
    assert other.dem.shape != dem.shape or not np.allclose(np.nan_to_num(other.dem),
                                                           np.nan_to_num(dem))
    assert set(other.districts.frame["nama"]) != set(kec["nama"])
    # Without a sink the generator keeps every raster layer it made, on the region's grid.
    rasters = {name for name, path in LAYERS.items() if path.endswith(".tif")}
    assert set(other.layers) == rasters
    assert all(layer.grid == other.canvas.grid for layer in other.layers.values())


def test_rasters_are_written_as_they_are_made_and_renamed_at_the_end(tmp_path, monkeypatch,
                                                                    snapshot, temp_leftovers):
    out = tmp_path / "region"
    write_demo_region(out, seed=SEED, size="small", resolution=200)
    before = snapshot(out)
    seen: list[str] = []

    def stop(*args, **kwargs):  # the land status comes after the DEM, climate and soils
        seen.extend(p.name[1:].split(".partial-")[0] for p in out.rglob("*.partial-*"))
        raise RuntimeError("generation failed")

    monkeypatch.setattr(generate, "make_land_status", stop)
    with pytest.raises(RuntimeError, match="generation failed"):
        write_demo_region(out, seed=SEED + 1, size="small", resolution=200, overwrite=True)
    # Every raster made before the land status was written, under its temporary name.
    rasters = {Path(path).stem for name, path in LAYERS.items() if path.endswith(".tif")}
    assert sorted(seen) == sorted(rasters - {"land_status"})
    assert snapshot(out) == before  # the earlier region is untouched
    assert not temp_leftovers(out)


# -- readability and the config -----------------------------------------------------------


def test_every_output_opens_with_crs_nodata_and_units(demo):
    rasters = sorted(demo.rglob("*.tif"))
    vectors = sorted(demo.rglob("*.gpkg"))
    assert len(rasters) == 25 and len(vectors) == 11
    config = load_config(demo / "config.toml")
    declared = {spec.path.resolve(): spec for spec in config.layers.values()
                if getattr(spec, "path", None) is not None}
    for path in rasters:
        spec = declared[path.resolve()]
        with rasterio.open(path) as src:
            assert src.crs is not None and src.crs.to_epsg() == 32750, path
            assert src.nodata is not None, path
            tags = src.tags(1)
            assert tags["AEZ_KIND"] == spec.kind, path
            # GDAL drops empty metadata values, so unitless layers carry no AEZ_UNITS.
            assert tags.get("AEZ_UNITS", "") == spec.units, path
    for path in vectors:
        frame = gpd.read_file(path)
        assert frame.crs is not None and len(frame) > 0, path
    for path in sorted(demo.rglob("*.csv")):
        assert len(pd.read_csv(path)) > 0


def test_config_loads_and_uses_canonical_units_and_labels(demo):
    config = load_config(demo / "config.toml")
    assert config.grid.crs == "EPSG:32750" and config.grid.resolution == 50
    assert config.study_area is not None and config.study_area.id_column == "kode_kemendagri"
    for name, spec in config.layers.items():
        assert canonical_units(spec.units) == spec.units, name
        if spec.provides in CHARACTERISTICS:
            char = CHARACTERISTICS[spec.provides]
            if char.categorical:
                assert spec.kind == "categorical" and set(spec.legend.values()) <= set(
                    char.classes), name
            elif spec.units or char.units:
                assert spec.units == char.units, name
    # layers.toml holds the same layer tables, and so does the repository's default manifest.
    import tomllib

    manifest = tomllib.loads((demo / "layers.toml").read_text(encoding="utf-8"))["layers"]
    repo = Path(__file__).resolve().parents[1] / "layers" / "demo.toml"
    assert manifest == tomllib.loads(repo.read_text(encoding="utf-8"))["layers"]
    assert set(manifest) == set(config.layers)


def test_aez_info_reports_full_coverage(demo, run_cli):
    result = run_cli("info", demo / "config.toml")
    assert result.exit_code == 0, result.output
    stack = LayerStack.from_config(load_config(demo / "config.toml"))
    coverage = stack.check_coverage()
    assert all(share is None or share > 0.9999 for share in coverage.values()), coverage
    rows = [line for line in result.output.splitlines() if re.search(r"\d+\.\d%|touches", line)]
    assert len(rows) == len(coverage)
    assert all("100.0%" in row or "touches" in row for row in rows)


# -- kecamatan ----------------------------------------------------------------------------


def test_kecamatan_tile_the_study_area(demo):
    kec = gpd.read_file(demo / "kecamatan.gpkg")
    assert 6 <= len(kec) <= 8
    assert kec.geometry.is_valid.all()
    geoms = kec.geometry.values
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert geoms[i].intersection(geoms[j]).area < 1e-3  # m²: shared edges only
    # Two tilings of the kabupaten computed independently (kecamatan and land units) agree.
    units = gpd.read_file(demo / "soil" / "land_units.gpkg")
    union, unit_union = kec.union_all(), units.union_all()
    assert abs(union.area - unit_union.area) < 1e-6 * union.area
    assert union.symmetric_difference(unit_union).area < 1e-6 * union.area
    # And they match the rasters' study area up to the cell-centre rule along the edge.
    dem, _ = _read(demo / "terrain" / "dem.tif")
    cells = np.isfinite(dem).sum() * 50.0 * 50.0
    assert abs(cells - union.area) < 0.01 * union.area


def test_codes_unique_and_two_systems_differ(demo):
    kec = gpd.read_file(demo / "kecamatan.gpkg")
    crosswalk = pd.read_csv(demo / "kecamatan_crosswalk.csv", dtype=str)
    assert kec["kode_kemendagri"].is_unique and kec["kode_bps"].is_unique
    assert kec["nama"].is_unique
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d\d", c) for c in kec["kode_kemendagri"])
    assert all(re.fullmatch(r"\d{7}", c) for c in kec["kode_bps"])
    # The numbering differs: the k-th Kemendagri code is not the k-th BPS code.
    kem_rank = kec["kode_kemendagri"].rank().to_numpy()
    bps_rank = kec["kode_bps"].rank().to_numpy()
    assert not np.array_equal(kem_rank, bps_rank)
    merged = crosswalk.merge(kec[["kode_kemendagri", "kode_bps", "nama"]], how="outer",
                             indicator=True)
    assert (merged["_merge"] == "both").all() and len(merged) == len(kec)


# -- terrain and water --------------------------------------------------------------------


def test_dem_landforms(demo):
    dem, _ = _read(demo / "terrain" / "dem.tif")
    z = dem[np.isfinite(dem)]
    assert z.min() >= 0 and 1500 < z.max() < 2700  # the volcano
    assert np.percentile(z, 20) < 30  # coastal lowland and plain


def test_rivers_flow_downhill(demo):
    rivers = gpd.read_file(demo / "water" / "rivers.gpkg")
    assert len(rivers) > 5 and {"order", "width_m", "navigable"} <= set(rivers.columns)
    with rasterio.open(demo / "terrain" / "dem.tif") as src:
        for line in rivers.geometry:
            coords = np.asarray(line.coords)
            z = np.array([v[0] for v in src.sample(coords)], dtype=np.float64)
            assert np.isfinite(z).all()
            assert (np.diff(z) <= 1e-6).all(), np.diff(z).max()
    lakes = gpd.read_file(demo / "water" / "lakes.gpkg")
    assert 1 <= len(lakes) <= 3


# -- soils --------------------------------------------------------------------------------


def test_soil_characteristics_in_physical_ranges(demo):
    soil = demo / "soil"
    ph, _ = _read(soil / "ph_h2o.tif")
    ph = ph[np.isfinite(ph)]
    assert ph.size and ph.min() >= 3.5 and ph.max() <= 8.5
    for name in ("coarse_fragments", "base_saturation", "surface_stones", "rock_outcrop"):
        v, _ = _read(soil / f"{name}.tif")
        v = v[np.isfinite(v)]
        assert v.min() >= 0 and v.max() <= 100, name
    for name in ("soil_depth", "peat_depth", "sulfidic_depth", "cec_clay", "c_organic",
                 "n_total", "p2o5", "k2o", "salinity"):
        v, _ = _read(soil / f"{name}.tif")
        assert np.nanmin(v) >= 0, name
    sulfidic, _ = _read(soil / "sulfidic_depth.tif")
    assert np.nanmax(sulfidic) <= 200


def test_peat_only_in_low_wetland(demo):
    depth, _ = _read(demo / "soil" / "peat_depth.tif")
    drainage, legend = _label(demo / "soil" / "drainage.tif")
    maturity, mlegend = _label(demo / "soil" / "peat_maturity.tif")
    dem, _ = _read(demo / "terrain" / "dem.tif")
    peat = np.nan_to_num(depth) > 0
    assert peat.sum() > 100
    assert depth[peat].min() >= 50  # peat is at least 50 cm of organic soil
    assert dem[peat].max() < 30
    assert set(np.unique(drainage[peat]).tolist()) <= {
        k for k, v in legend.items() if v in ("poor", "very_poor")}
    assert ((maturity >= 0) == peat).all()  # maturity defined exactly where there is peat
    assert set(mlegend.values()) == {"sapric", "hemic", "fibric"}
    ph, _ = _read(demo / "soil" / "ph_h2o.tif")
    assert np.median(ph[peat]) < 4.5


def test_catena_in_the_land_unit_table(demo):
    units = gpd.read_file(demo / "soil" / "land_units.gpkg")
    table = units.drop_duplicates("landform").set_index("landform")
    present = set(table.index)
    assert {"peat_shallow", "alluvial_plain"} <= present or len(present) >= 6
    for column in ("drainage", "texture", "flooding", "peat_maturity", "erosion"):
        labels = set(units[column].dropna())
        assert labels <= set(CHARACTERISTICS[column].classes), column
    if {"hill_ridge", "hill_footslope"} <= present:
        assert table.loc["hill_ridge", "soil_depth"] < table.loc["hill_footslope", "soil_depth"]
        assert table.loc["hill_ridge", "coarse_fragments"] > table.loc["hill_footslope",
                                                                      "coarse_fragments"]
    volcanic = [u for u in ("volcanic_slope", "volcanic_footslope") if u in present]
    sedimentary = [u for u in ("hill_slope", "hill_footslope") if u in present]
    if volcanic and sedimentary:
        assert table.loc[volcanic, "base_saturation"].min() > table.loc[
            sedimentary, "base_saturation"].max()
    for unit in present & {"peat_shallow", "peat_moderate", "peat_deep", "peat_very_deep"}:
        assert table.loc[unit, "drainage"] == "very_poor"
        assert table.loc[unit, "c_organic"] > 20
    if "tidal_swamp" in present:
        assert table.loc["tidal_swamp", "sulfidic_depth"] < 150
        assert table.loc["tidal_swamp", "salinity"] > table.loc["alluvial_plain", "salinity"]


def test_land_unit_map_matches_the_rasters(demo):
    units = gpd.read_file(demo / "soil" / "land_units.gpkg")
    ph, meta = _read(demo / "soil" / "ph_h2o.tif")
    drainage, legend = _label(demo / "soil" / "drainage.tif")
    codes = {v: k for k, v in legend.items()}
    soil = units[units["ph_h2o"].notna()]
    burnt_ph = rasterio.features.rasterize(
        zip(soil.geometry, soil["ph_h2o"], strict=True), out_shape=ph.shape,
        transform=meta["transform"], fill=np.nan, dtype="float64")
    burnt_dr = rasterio.features.rasterize(
        zip(soil.geometry, soil["drainage"].map(codes), strict=True), out_shape=ph.shape,
        transform=meta["transform"], fill=-1, dtype="int32")
    both = np.isfinite(ph) & np.isfinite(burnt_ph)
    assert both.sum() > 0.95 * np.isfinite(ph).sum()
    assert np.median(np.abs(ph[both] - burnt_ph[both])) < 0.2
    assert (drainage[both] == burnt_dr[both]).mean() > 0.97


# -- land status and infrastructure -------------------------------------------------------


def test_land_status_legend(demo):
    status, legend = _label(demo / "landuse" / "land_status.tif")
    assert {"hutan_lindung", "apl", "permukiman", "badan_air"} <= set(legend.values())
    present = {legend[c] for c in np.unique(status[status >= 0]).tolist()}
    assert {"apl", "permukiman", "hutan_lindung"} <= present
    depth, _ = _read(demo / "soil" / "peat_depth.tif")
    deep = np.nan_to_num(depth) > 300
    if deep.any():
        konservasi = next(k for k, v in legend.items() if v == "hutan_konservasi")
        assert (status[deep] == konservasi).mean() > 0.9


def _components(lines: np.ndarray) -> np.ndarray:
    """Connected components of touching lines (union-find over intersecting pairs)."""
    parent = list(range(len(lines)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tree = shapely.STRtree(lines)
    a, b = tree.query(lines, predicate="intersects")
    for i, j in zip(a.tolist(), b.tolist(), strict=True):
        parent[find(i)] = find(j)
    return np.array([find(i) for i in range(len(lines))])


def test_roads_connect_every_town_and_the_port(demo):
    roads = gpd.read_file(demo / "infrastructure" / "roads.gpkg")
    towns = gpd.read_file(demo / "kota.gpkg")
    port = gpd.read_file(demo / "infrastructure" / "port.gpkg")
    assert set(roads["kelas"]) <= {"arteri", "kolektor", "lokal", "jalan_desa"}
    assert {"arteri", "kolektor"} <= set(roads["kelas"])
    lines = roads.geometry.values
    comp = _components(lines)
    reached = set()
    for point in [*towns.geometry, *port.geometry]:
        touching = np.flatnonzero(shapely.distance(lines, point) < 1.0)
        assert touching.size, f"no road reaches {point}"
        reached.add(int(comp[touching[0]]))
    assert len(reached) == 1
    assert towns["ibukota_kabupaten"].sum() == 1


def test_markets_and_port(demo):
    markets = gpd.read_file(demo / "infrastructure" / "markets.gpkg")
    port = gpd.read_file(demo / "infrastructure" / "port.gpkg")
    kec = gpd.read_file(demo / "kecamatan.gpkg")
    assert set(markets["kind"]) <= {"pasar_induk", "pasar_kecamatan", "pengumpul"}
    assert (markets["kind"] == "pasar_induk").sum() == 1
    assert (markets["size"] > 0).all() and markets["nama"].str.len().min() > 0
    assert list(port["kind"]) == ["port"]
    assert kec.union_all().distance(port.geometry.iloc[0]) < 100.0


# -- socio-economic tables ----------------------------------------------------------------


def _parse_id(text: object) -> float:
    """Undo Indonesian number formatting: '7.025' → 7025, '1.234,5' → 1234.5, '-' → 0."""
    text = str(text).strip()
    if text == "-":
        return 0.0
    return float(text.replace(".", "").replace(",", "."))


def test_production_covers_every_kecamatan_commodity_and_year(demo):
    kec = gpd.read_file(demo / "kecamatan.gpkg")
    prod = pd.read_csv(demo / "socioeconomic" / "produksi.csv", dtype={"kode_bps": str})
    assert list(prod.columns) == ["kode_bps", "kecamatan", "commodity", "year",
                                  "production_ton", "area_ha"]
    assert set(prod["commodity"]) == CROPS == set(COMMODITIES)
    keys = prod[["kode_bps", "commodity", "year"]]
    assert not keys.duplicated().any()
    assert len(prod) == len(kec) * len(CROPS) * 5
    assert set(prod["kode_bps"]) == set(kec["kode_bps"]) and set(prod["year"]) == set(
        range(2019, 2024))
    assert (prod["production_ton"] >= 0).all() and (prod["area_ha"] >= 0).all()
    assert ((prod["production_ton"] > 0) == (prod["area_ha"] > 0)).all()
    assert (prod["production_ton"] == 0).any() and (prod["production_ton"] > 0).mean() > 0.3
    pop = pd.read_csv(demo / "socioeconomic" / "penduduk.csv", dtype={"kode_bps": str})
    assert set(pop["kode_bps"]) == set(kec["kode_bps"])
    assert (pop["rumah_tangga_usaha_pertanian"] < pop["rumah_tangga"]).all()
    assert (pop["rumah_tangga"] < pop["penduduk"]).all()


def test_bps_workbook_parses_back_to_the_csv(demo):
    prod = pd.read_csv(demo / "socioeconomic" / "produksi.csv", dtype={"kode_bps": str})
    wb = openpyxl.load_workbook(demo / "socioeconomic" / "produksi.xlsx")
    assert wb.properties.created.year == 2024
    checked = 0
    for year in range(2019, 2024):
        for sheet, column in ((f"Produksi {year}", "production_ton"),
                              (f"Luas Panen {year}", "area_ha")):
            rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
            header_at = next(i for i, r in enumerate(rows) if r and r[0] and str(
                r[0]).startswith("Kecamatan"))
            header = rows[header_at][1:]
            part = prod[prod["year"] == year]
            for row in rows[header_at + 2:]:
                if not row or not row[0] or str(row[0]).startswith(("Kabupaten", "Sumber")):
                    continue
                number, name = str(row[0]).split(". ", 1)
                mine = part[part["kode_bps"].str.endswith(number)]
                assert set(mine["kecamatan"]) == {name}
                expected = dict(zip(mine["commodity"], mine[column], strict=True))
                for label, cell in zip(header, row[1:], strict=True):
                    crop = next(c for c in CROPS if label.lower().replace(" ", "_") == c or (
                        c == "padi_gogo" and label == "Padi Ladang"))
                    assert _parse_id(cell) == pytest.approx(expected[crop], abs=1e-9)
                    checked += 1
    assert checked == len(prod) * 2


def test_sentra_and_cooperatives(demo):
    kec = gpd.read_file(demo / "kecamatan.gpkg")
    sentra = pd.read_csv(demo / "socioeconomic" / "sentra.csv", dtype={"kode_bps": str})
    assert set(sentra["bidang_usaha"]) == set(SENTRA_FIELDS) and len(SENTRA_FIELDS) == 6
    assert len(sentra) == 6 * len(kec) and (sentra["jumlah_sentra"] >= 0).all()
    coops = gpd.read_file(demo / "socioeconomic" / "koperasi.gpkg")
    assert set(coops["jenis"]) <= {"KUD", "koperasi_tani", "KSP"}
    assert set(coops["kode_kemendagri"]) <= set(kec["kode_kemendagri"])
    assert (coops["anggota"] > 0).all() and (coops["aset_rupiah"] > 0).all()
    lines = {item for usaha in coops["usaha"] for item in usaha.split(";")}
    assert lines <= CROPS | set(SENTRA_FIELDS)


# -- boundary mode, CLI, bad input --------------------------------------------------------


def test_generates_inside_a_given_boundary(tmp_path):
    # Four kecamatan near Maumere (Flores) in lon/lat: the region must land in UTM 51S.
    left, bottom, step = 122.10, -8.70, 0.04
    cells = [box(left + i * step, bottom + j * step, left + (i + 1) * step,
                 bottom + (j + 1) * step) for j in range(2) for i in range(2)]
    frame = gpd.GeoDataFrame({"kode": ["53.10.01", "53.10.02", "53.10.03", "53.10.04"],
                              "nama": ["Alok", "Kewapante", "Nita", "Magepanda"]},
                             geometry=cells, crs="EPSG:4326")
    frame.to_file(tmp_path / "batas.gpkg", driver="GPKG")
    out = tmp_path / "region"
    config = write_demo_region(out, boundary=tmp_path / "batas.gpkg", id_column="kode",
                               name_column="nama", resolution=100)
    cfg = load_config(config)
    assert cfg.grid.crs == "EPSG:32751"
    assert cfg.output.region == "Kabupaten/Kota 53.10"  # the real codes, not an invented name
    named = write_demo_region(tmp_path / "named", boundary=tmp_path / "batas.gpkg",
                              id_column="kode", resolution=100,
                              region_name='Kab. "Sikka"')
    assert load_config(named).output.region == 'Kab. "Sikka"'
    kec = gpd.read_file(out / "kecamatan.gpkg")
    assert sorted(kec["kode_kemendagri"]) == sorted(frame["kode"])
    assert set(kec["nama"]) == set(frame["nama"])
    assert kec["kode_bps"].str.startswith("5310").all()
    stack = LayerStack.from_config(cfg)
    assert all(s is None or s > 0.9999 for s in stack.check_coverage().values())
    area = frame.to_crs("EPSG:32751").union_all().area
    assert kec.union_all().area == pytest.approx(area, rel=1e-6)


def test_cli_prints_the_time_and_draws_the_preview(tmp_path, run_cli):
    result = run_cli("demo", tmp_path / "d", "--size", "small", "--resolution", "200",
                     "--seed", "3", "--preview")
    assert result.exit_code == 0, result.output
    assert re.search(r"in \d+\.\d s", result.output)
    png = (tmp_path / "d" / "preview.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    again = run_cli("demo", tmp_path / "d", "--size", "small", "--resolution", "200")
    assert again.exit_code == 1 and "already exists" in again.output
    assert "--overwrite" in again.output and "overwrite=True" not in again.output


@pytest.mark.parametrize("kwargs, match", [
    ({"seed": -1}, "seed"),
    ({"resolution": 5}, "resolution"),
    ({"size": "huge"}, "size"),
    ({"boundary": "batas.gpkg"}, "id_column"),
])
def test_bad_input_is_refused(tmp_path, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        write_demo_region(tmp_path, **kwargs)


def test_existing_output_is_not_replaced(tmp_path):
    (tmp_path / "kecamatan.gpkg").write_text("not mine")
    with pytest.raises(OutputExistsError, match=r"kecamatan\.gpkg"):
        write_demo_region(tmp_path, seed=SEED, size="small", resolution=200)
    assert (tmp_path / "kecamatan.gpkg").read_text() == "not mine"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["kecamatan.gpkg"]
