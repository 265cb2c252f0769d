"""The decision stage on the small demo region: criteria, constraints, outputs.

The oracles are independent of the stage's code path: location quotients and
market access are recomputed here from the raw table and the written rasters
with plain pandas/numpy, and every constraint of ``[assign]`` is checked on the
result.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rasterio
import rasterio.transform
from rasterio.windows import Window

import aez
from aez.config import loads_config
from aez.crops import load_crops
from aez.pipeline import VALUE_SCALE, StageOptions, decide, evaluate_stack, write_decision
from aez.pipeline.decide import read_decision_tables

CROPS = ["padi_sawah", "jagung", "kelapa_sawit", "karet", "kopi_robusta", "kakao", "pisang",
         "durian"]


def _config(demo: Path, tmp: Path, extra: str = "", **assign: object) -> aez.RunConfig:
    """The demo config with fewer crops, quick robustness, extra [assign] keys and tables.

    It is loaded from text against the demo's folder: the shared demo stays untouched.
    """
    text = demo.read_text()
    text = re.sub(r"crops = \[[^\]]*\]", f"crops = {CROPS!r}".replace("'", '"'), text)
    text, replaced = re.subn(r"^draws = \d+$", "draws = 20", text, flags=re.M)
    assert replaced == 1
    text = text.replace('dir = "aez-out"', f'dir = "{(tmp / "out").as_posix()}"')
    for key, value in assign.items():
        text, found = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.M)
        assert found == 1, key
    return loads_config(text + extra, base=demo.parent)


@pytest.fixture(scope="module")
def run(small_demo: Path, tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("decide")
    config = _config(small_demo, tmp)
    stack = aez.LayerStack.from_config(config)
    totals = evaluate_stack(stack, load_crops(config.evaluate.crops), tmp / "suit",
                            constraints=list(config.constraints.values()),
                            options=StageOptions(executor="threads"),
                            zonal_means=("travel_time",))
    return config, stack, totals, decide(config, totals, stack.study_area, stack.grid)


def test_one_product_per_kecamatan_within_the_constraints(run) -> None:
    config, stack, _, decision = run
    table = decision.kecamatan
    ids = stack.study_area.districts["kode_kemendagri"].astype(str)
    assert sorted(table.index) == sorted(ids)
    counts = table["product"].value_counts()
    assert counts.max() <= config.assign.max_share * len(table)
    assert table["product"].nunique() >= min(config.assign.min_distinct, len(CROPS))
    summary = decision.summary.set_index(["kecamatan_id", "commodity"])
    for kec, product in table["product"].items():
        row = summary.loc[(kec, product)]
        assert row["suitable_ha"] / row["evaluated_ha"] >= config.assign.min_suitable_share
    assert table["tier"].between(1, 5).all()
    assert set(table["stability"]) <= {"stable", "moderate", "unstable", "no_alternative"}
    # "no alternative" exactly where the kecamatan had one allowed product, never "stable"
    only = table["alternative_1"].isna()
    assert ((table["stability"] == "no_alternative") == only).all()
    assert table.loc[only, "flags"].map(lambda f: "no_alternative" in f).all()


def test_score_is_the_weighted_sum_of_the_components(run) -> None:
    _, _, _, decision = run
    scores = decision.scores
    assert set(scores.weights) == {"suitability", "lq", "growth", "market_access", "labour",
                                   "cooperatives", "sentra"}
    total = sum(w * scores.components[c] for c, w in scores.weights.items())
    np.testing.assert_allclose(scores.total.to_numpy(), total.to_numpy(), atol=1e-12)
    for kec, row in decision.kecamatan.iterrows():
        assert row["score"] == pytest.approx(scores.total.loc[kec, row["product"]])


def _hand_lq(small_demo: Path, basket: list[str] | None) -> dict[tuple[str, str], float]:
    """LQ_ij = (x_ij / Σ_{j∈B} x_ij) / (Σ_i x_ij / Σ_{i, j∈B} x_ij), basket B, latest year."""
    production = pd.read_csv(small_demo.parent / "socioeconomic" / "produksi.csv",
                             dtype={"kode_bps": str})
    crosswalk = pd.read_csv(small_demo.parent / "kecamatan_crosswalk.csv", dtype=str)
    latest = production[production["year"] == production["year"].max()]
    latest = latest.merge(crosswalk, on="kode_bps")
    mine = latest if basket is None else latest[latest["commodity"].isin(basket)]
    out = {}
    for (kec, crop), x in mine.groupby(["kode_kemendagri", "commodity"])["production_ton"]:
        if crop not in CROPS:
            continue
        share_in_kecamatan = x.sum() / mine.loc[mine["kode_kemendagri"] == kec,
                                                "production_ton"].sum()
        share_in_kabupaten = mine.loc[mine["commodity"] == crop, "production_ton"].sum() \
            / mine["production_ton"].sum()
        out[(kec, crop)] = share_in_kecamatan / share_in_kabupaten
    return out


def test_location_quotient_matches_a_hand_computation(run, small_demo: Path) -> None:
    _, _, _, decision = run
    # The demo's production table has no group column: the default basket ("group") is
    # then every commodity of the table, not only the evaluated ones.
    production = pd.read_csv(small_demo.parent / "socioeconomic" / "produksi.csv")
    assert "group" not in production.columns
    assert set(production["commodity"]) > set(CROPS)
    basket = decision.evidence.basket
    assert (basket.basket, basket.measure, basket.grouped) == ("group", "production", False)
    assert set(basket.groups[""]) == set(production["commodity"])
    lq = decision.scores.raw["lq"]
    expected = _hand_lq(small_demo, None)
    assert len(expected) >= 3 * len(CROPS)
    for (kec, crop), value in expected.items():
        assert lq.loc[kec, crop] == pytest.approx(value)


def test_the_evaluated_basket_is_the_old_location_quotient(run, small_demo: Path,
                                                           tmp_path: Path) -> None:
    _, stack, totals, _ = run
    config = _config(small_demo, tmp_path, '\n[score.lq]\nbasket = "evaluated"\n')
    decision = decide(config, totals, stack.study_area, stack.grid)
    lq = decision.scores.raw["lq"]
    for (kec, crop), value in _hand_lq(small_demo, CROPS).items():
        assert lq.loc[kec, crop] == pytest.approx(value)
    assert decision.evidence.basket.groups == {"": tuple(sorted(CROPS))}


def test_roles_and_the_base_rule(run, small_demo: Path, tmp_path: Path) -> None:
    config, stack, totals, decision = run
    evidence = decision.evidence
    roles, lq, tons = evidence.roles, evidence.lq, evidence.production
    land = decision.summary.pivot(index="kecamatan_id", columns="commodity",
                                  values="suitable_ha").loc[roles.index, roles.columns]
    base = (lq >= 1) & (tons > 0)
    assert (roles == "unggulan").equals(base)
    assert (roles == "potensial").equals(~base & (land > 0))
    # require_base (the default): every product is an unggulan of its kecamatan, unless the
    # kecamatan has none among its eligible products (a development candidate, flagged)
    assert config.assign.require_base
    table = decision.kecamatan
    for kec, row in table.iterrows():
        assert row["role"] == roles.at[kec, row["product"]]
        assert row["lq"] == lq.at[kec, row["product"]]
        if row["role"] != "unggulan":
            assert "development" in row["flags"]
        else:
            assert row["production"] > 0 and row["lq"] >= 1
    # Without the rule the products are those of the scores alone, roles still shown
    free = decide(_config(small_demo, tmp_path, require_base="false"), totals,
                  stack.study_area, stack.grid)
    assert free.kecamatan["role"].notna().all()
    developing = free.kecamatan["role"] != "unggulan"
    assert free.kecamatan.loc[developing, "flags"].map(lambda f: "development" in f).all()
    assert free.assignment.objective >= decision.assignment.objective - 1e-9


def test_market_access_is_the_mean_travel_time_over_suitable_land(run) -> None:
    _, stack, totals, decision = run
    grid = stack.grid
    travel = stack.read_layer("travel_time").data
    zones = stack.study_area.rasterize(grid, Window(0, 0, grid.width, grid.height))
    crop = "padi_sawah"
    with rasterio.open(totals[crop].paths["class"]) as src:
        classes = src.read(1)
    raw = decision.scores.raw["market_access"]
    ids = stack.study_area.districts["kode_kemendagri"].astype(str).tolist()
    for d, kec in enumerate(ids):
        cells = (zones == d) & np.isin(classes, (1, 2, 3)) & np.isfinite(travel)
        expected = travel[cells].mean() if cells.any() else np.nan
        # the stage sums round(value × VALUE_SCALE) per cell: the mean is within half a quantum
        assert raw.loc[kec, crop] == pytest.approx(expected, abs=0.5 / VALUE_SCALE, nan_ok=True)


def test_written_tables_and_determinism(run, tmp_path: Path) -> None:
    config, stack, totals, decision = run
    first = write_decision(decision, tmp_path / "a")
    again = write_decision(decide(config, totals, stack.study_area, stack.grid), tmp_path / "b")
    assert {"kecamatan_products.csv", "scores.csv", "regions.csv", "robustness.csv",
            "cooperatives.csv", "suitability_by_kecamatan.csv"} <= set(first)
    for name, path in first.items():
        assert path.read_bytes() == again[name].read_bytes(), name
    products = pd.read_csv(first["kecamatan_products.csv"])
    assert {"role", "klassen", "lq", "production", "production_share", "suitable_ha",
            "suitable_share", "flags"} <= set(products.columns)
    scores = pd.read_csv(first["scores.csv"])
    assert {"role", "klassen", "production", "falling"} <= set(scores.columns)
    assert set(scores["role"]) <= {"unggulan", "potensial", "none"}
    robustness = pd.read_csv(first["robustness.csv"], index_col=0)
    np.testing.assert_allclose(robustness[CROPS].sum(axis=1), 1.0)
    regions = pd.read_csv(first["regions.csv"], index_col=0)
    assert regions.loc[regions["level"] == "kabupaten", "n_kecamatan"].sum() \
        == len(decision.kecamatan)
    assert regions.loc[regions["level"] == "region", "n_kecamatan"].sum() \
        == len(decision.kecamatan)


def test_unmatched_codes_are_reported_not_dropped_silently(small_demo: Path,
                                                            tmp_path: Path) -> None:
    config = _config(small_demo, tmp_path)
    production = pd.read_csv(config.tables.production, dtype={"kode_bps": str})
    stray = production.iloc[:2].assign(kode_bps="9999999")
    edited = tmp_path / "produksi.csv"
    pd.concat([production, stray]).to_csv(edited, index=False)
    from dataclasses import replace

    tables = read_decision_tables(replace(config.tables, production=edited),
                                  aez.LayerStack.from_config(config).study_area)
    assert len(tables.unmatched) == 2
    assert set(tables.unmatched["kode_bps"]) == {"9999999"}
    assert len(tables.production) == len(production)


def test_infeasible_constraints_name_the_conflict(run, small_demo: Path, tmp_path: Path) -> None:
    _, stack, totals, _ = run
    config = _config(small_demo, tmp_path, max_share='0.05\nscope = "study_area"',
                     min_distinct="2")
    with pytest.raises(aez.InfeasibleError, match="max_share"):
        decide(config, totals, stack.study_area, stack.grid)
    # Per kabupaten (the default), a share below one kecamatan still allows one.
    config = _config(small_demo, tmp_path, max_share="0.05", min_distinct="2")
    table = decide(config, totals, stack.study_area, stack.grid).kecamatan
    assert table["product"].value_counts().max() == 1
    # A real contradiction stays an error, naming the kabupaten: two kecamatan must keep
    # one product that may go to one kecamatan only.
    config = _config(small_demo, tmp_path, max_share="0.05\nmax_per_product = 1",
                     extra='\n[assign.must_keep]\n"63.90.01" = "jagung"\n"63.90.02" = "jagung"\n')
    with pytest.raises(aez.InfeasibleError, match=r"Region 63\.90: .*max_per_product"):
        decide(config, totals, stack.study_area, stack.grid)
    # A cap of no kecamatan at all is refused when the config is read.
    with pytest.raises(aez.ConfigError, match=r"\[assign\] max_per_product = 0; expected ≥ 1"):
        _config(small_demo, tmp_path, max_share="0.05\nmax_per_product = 0")


def test_cooperative_distance_is_to_the_nearest_suitable_cell_of_its_kecamatan(run) -> None:
    _, stack, totals, decision = run
    grid = stack.grid
    zones = stack.study_area.rasterize(grid, Window(0, 0, grid.width, grid.height))
    ids = stack.study_area.districts["kode_kemendagri"].astype(str).tolist()
    coops = decision.cooperatives.dropna(subset=["distance_m"])
    assert len(coops) >= 5
    points = aez.read_vector(stack.specs["cooperatives"].path).to_crs(grid.crs)
    rows, cols = np.indices((grid.height, grid.width))
    xs, ys = rasterio.transform.xy(grid.transform, rows.ravel(), cols.ravel())
    xs, ys = np.asarray(xs).reshape(rows.shape), np.asarray(ys).reshape(rows.shape)
    classes = {}
    for row in coops.itertuples():
        if row.product not in classes:
            with rasterio.open(totals[row.product].paths["class"]) as src:
                classes[row.product] = src.read(1)
        mask = (zones == ids.index(row.kecamatan)) & np.isin(classes[row.product], (1, 2, 3))
        point = points.geometry.iloc[int(row.cooperative_index)]
        r, c = rasterio.transform.rowcol(grid.transform, point.x, point.y)
        # brute force: from the point's cell centre to every suitable cell centre
        nearest = np.hypot(xs[mask] - xs[r, c], ys[mask] - ys[r, c]).min()
        assert row.distance_m == pytest.approx(nearest, rel=1e-9)


def test_weights_from_ahp_comparisons(run, small_demo: Path, tmp_path: Path) -> None:
    _, stack, totals, _ = run
    ahp = ('\n[score.ahp]\ncriteria = ["suitability", "lq", "market_access"]\n'
           "matrix = [[1, 3, 5], [0.3333333333333333, 1, 2], [0.2, 0.5, 1]]\n")
    decision = decide(_config(small_demo, tmp_path, ahp), totals, stack.study_area, stack.grid)
    weights = decision.scores.weights
    assert list(weights) == ["suitability", "lq", "market_access"]
    # principal eigenvector of the matrix (Saaty): about 0.648, 0.230, 0.122
    assert weights["suitability"] == pytest.approx(0.648, abs=0.002)
    assert weights["lq"] == pytest.approx(0.230, abs=0.002)
    assert decision.scores.consistency_ratio < 0.1

    inconsistent = ahp.replace("[1, 3, 5]", "[1, 3, 0.2]").replace("[0.2, 0.5, 1]", "[5, 0.5, 1]")
    with pytest.raises(aez.ConfigError, match="consisten"):
        decide(_config(small_demo, tmp_path, inconsistent), totals, stack.study_area, stack.grid)


def test_a_missing_table_is_a_clear_error(run, small_demo: Path, tmp_path: Path) -> None:
    _, stack, totals, _ = run
    config = _config(small_demo, tmp_path)
    text = small_demo.read_text().replace('"socioeconomic/sentra.csv"', '"socioeconomic/nope.csv"')
    missing = loads_config(text, base=small_demo.parent)
    assert (small_demo.parent / "socioeconomic" / "nope.csv") in missing.input_paths
    with pytest.raises(aez.DataSourceError, match=r"nope\.csv"):
        decide(missing, totals, stack.study_area, stack.grid)
    assert config.tables.sentra in config.input_paths


def test_kecamatan_without_an_eligible_product_gets_none_and_the_run_goes_on(
        run, small_demo: Path, tmp_path: Path) -> None:
    from aez.pipeline.publish import district_layers

    _, stack, totals, before = run
    share = (before.summary.set_index(["kecamatan_id", "commodity"])
             .eval("suitable_ha / evaluated_ha").unstack())
    best = np.sort(share.max(axis=1).to_numpy())
    threshold = (best[len(best) // 2 - 1] + best[len(best) // 2]) / 2   # half pass, half not
    config = _config(small_demo, tmp_path, min_suitable_share=f"{threshold:.12f}")
    decision = decide(config, totals, stack.study_area, stack.grid)
    table = decision.kecamatan
    none = share.max(axis=1) < threshold                    # the oracle: no product passes
    assert 0 < none.sum() < len(none)
    assert table["product"].isna().to_numpy().tolist() == none.reindex(table.index).tolist()
    for kecamatan in table.index[none.reindex(table.index).to_numpy()]:
        assert "minimum biophysical class" in table.loc[kecamatan, "reason"]
    written = write_decision(decision, tmp_path / "tables")
    assert "reason" in pd.read_csv(written["kecamatan_products.csv"]).columns
    layer, _ = district_layers(decision, stack.study_area, list(totals))
    assert len(layer) == len(table)


def test_lq_of_area_and_one_unit_per_basket(run, small_demo: Path, tmp_path: Path) -> None:
    _, stack, totals, _ = run
    area = decide(_config(small_demo, tmp_path, '\n[score.lq]\nmeasure = "area"\n'), totals,
                  stack.study_area, stack.grid)
    assert area.evidence.basket.column == "area_ha"
    production = pd.read_csv(small_demo.parent / "socioeconomic" / "produksi.csv",
                             dtype={"kode_bps": str})
    crosswalk = pd.read_csv(small_demo.parent / "kecamatan_crosswalk.csv", dtype=str)
    latest = production[production["year"] == production["year"].max()].merge(crosswalk,
                                                                             on="kode_bps")
    x = latest.pivot_table(index="kode_kemendagri", columns="commodity", values="area_ha",
                           aggfunc="sum")
    expected = x.div(x.sum(axis=1), axis=0) / (x.sum() / x.to_numpy().sum())
    got = area.scores.raw["lq"]
    np.testing.assert_allclose(got.loc[expected.index, CROPS], expected[CROPS], rtol=1e-9)
    # a unit column that disagrees inside a basket is refused
    units = tmp_path / "produksi.csv"
    production.assign(unit=np.where(production["commodity"] == "jagung", "kw", "ton")).to_csv(
        units, index=False)
    config = _config(small_demo, tmp_path)
    from dataclasses import replace

    mixed = replace(config, tables=replace(config.tables, production=units))
    with pytest.raises(aez.ConfigError, match="convert them to one unit"):
        decide(mixed, totals, stack.study_area, stack.grid)
