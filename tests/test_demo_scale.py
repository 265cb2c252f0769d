"""The demo generator's fast paths for large regions agree with the plain computations.

Each fast path (per-label cell lists from one sort, name draws that skip an exhausted
pool, dry months counted month by month, point-wise noise in chunks, noise, distances and
slope in row blocks, the land-unit table one raster at a time) is checked against the
straightforward computation it replaces, on inputs where both are cheap.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from aez.demo import climate, distance, fields, soils, terrain
from aez.demo.climate import DRY_MONTH_MM, monthly_rainfall
from aez.demo.names import COOPERATIVE_WORDS, PREFIXES, ROOTS, NameMaker
from aez.demo.region import cells_by_label


def test_cells_by_label_matches_a_scan_per_label():
    rng = np.random.default_rng(3)
    labels = rng.integers(-1, 9, size=(37, 53)).astype(np.int32)
    where = rng.random(labels.shape) > 0.3
    for mask in (None, where):
        got = cells_by_label(labels, 10, where=mask)
        for k in range(10):
            inside = labels == k if mask is None else (labels == k) & mask
            np.testing.assert_array_equal(got[k], np.flatnonzero(inside))
    assert got[9].size == 0  # a label with no cell


class _PlainNames:
    """The plain algorithm: up to 1000 draws with ``choice``, then a number."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng, self.used = rng, set()

    def _unique(self, make):  # type: ignore[no-untyped-def]
        for _ in range(1000):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        base, i = make(), 2
        while f"{base} {i}" in self.used:
            i += 1
        self.used.add(f"{base} {i}")
        return f"{base} {i}"

    def place(self, kind: str) -> str:
        return self._unique(lambda: f"{self.rng.choice(PREFIXES[kind])} {self.rng.choice(ROOTS)}")

    def named(self, generic: str) -> str:
        return self._unique(lambda: f"{generic} {self.rng.choice(ROOTS)}")

    def cooperative(self, prefix: str) -> str:
        return self._unique(lambda: f"{prefix} {self.rng.choice(COOPERATIVE_WORDS)}")

    def root(self) -> str:
        return str(self.rng.choice(ROOTS))


def test_names_are_drawn_as_the_plain_algorithm_draws_them():
    # Far more names than the pools hold, so every pool runs out and gets numbered.
    calls = ([("cooperative", "KUD")] * 90 + [("place", "coast")] * 500
             + [("named", "Danau")] * 90 + [("root", None)] * 5
             + [("cooperative", "KSP"), ("place", "hill")] * 40)
    fast, plain = NameMaker(np.random.default_rng(11)), _PlainNames(np.random.default_rng(11))
    got = [getattr(fast, m)(a) if a else getattr(fast, m)() for m, a in calls]
    want = [getattr(plain, m)(a) if a else getattr(plain, m)() for m, a in calls]
    assert got == want
    # At least 70 KUD, 150 coast (5 prefixes × 70 roots), 20 Danau and 20 KSP names exceed
    # their pools and must be numbered.
    assert sum(n.split()[-1].isdigit() for n in got) >= 260
    assert fast._rng.random() == plain.rng.random()  # the streams end in the same state


def test_dry_months_match_the_monthly_series():
    rng = np.random.default_rng(5)
    annual = rng.uniform(1000.0, 4000.0, size=(40, 60))
    seasonality = rng.uniform(0.2, 0.8, size=annual.shape)
    want = (monthly_rainfall(annual, seasonality) < DRY_MONTH_MM).sum(axis=0)
    got = climate._dry_months(annual, seasonality)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, want)
    assert len(np.unique(got)) >= 3  # the case covers several counts


def test_point_wise_noise_in_chunks_equals_one_pass(monkeypatch: pytest.MonkeyPatch):
    field = fields.NoiseField(np.random.default_rng(2), (-2.0, -2.0, 2.0, 2.0), scale=1.5,
                              spacing=0.02)
    angle = np.random.default_rng(4).uniform(-np.pi, np.pi, size=(31, 47))
    x, y = np.cos(angle), np.sin(angle)
    monkeypatch.setattr(fields, "_POINTS", 100)  # many chunks, the last one short
    got = field(x, y)
    x0, y0 = field._origin  # type: ignore[attr-defined]
    coords = np.stack([((y0 - y) / field.spacing).ravel(), ((x - x0) / field.spacing).ravel()])
    want = ndimage.map_coordinates(field._lattice, coords, order=1,  # type: ignore[attr-defined]
                                   mode="nearest").reshape(x.shape)
    np.testing.assert_array_equal(got, want)


def test_distances_from_nearest_features_equal_scipys():
    rng = np.random.default_rng(8)
    # Wider than one row block (2²⁰ cells), so several blocks are stitched together.
    for shape, background in (((700, 2000), 1e-4), ((37, 53), 0.3), ((1, 9), 0.2)):
        cells = rng.random(shape) >= background
        cells.flat[0] = False  # at least one background cell
        want, (rows, cols) = ndimage.distance_transform_edt(cells, return_indices=True)
        got, features = distance.distance_and_nearest(cells)
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(features, np.stack([rows, cols]))
        np.testing.assert_array_equal(distance.distance(cells), want)
        np.testing.assert_array_equal(distance.nearest(cells), features)
        part = slice(shape[0] // 3, shape[0] // 3 + 1)
        np.testing.assert_array_equal(distance.feature_distance(features, part), want[part])
    assert len(fields.row_blocks((700, 2000))) == 2


def test_noise_rows_in_bands_equal_one_pass():
    field = fields.NoiseField(np.random.default_rng(6), (0.0, 0.0, 30_000.0, 20_000.0),
                              scale=8_000.0, spacing=700.0)
    x = (np.arange(311) * 100.0 + 50.0)[None, :]
    y = (20_000.0 - (np.arange(203) * 100.0 + 50.0))[:, None]
    want = field(x, y)
    for step in (1, 13, 64, 500):
        parts = list(field.rows(x, y, step))
        assert [p.start for p, _ in parts] == list(range(0, 203, step))
        np.testing.assert_array_equal(np.vstack([v for _, v in parts]), want)


def test_slope_in_row_blocks_equals_np_gradient():
    rng = np.random.default_rng(9)
    dem = ndimage.gaussian_filter(rng.random((600, 2000)) * 500.0, 3.0)
    dem[rng.random(dem.shape) < 0.05] = np.nan  # nodata takes the nearest valid value
    idx = ndimage.distance_transform_edt(~np.isfinite(dem), return_distances=False,
                                         return_indices=True)
    gy, gx = np.gradient(np.pad(dem[idx[0], idx[1]], 1, mode="edge"), 30.0)
    want = 100.0 * np.hypot(gx, gy)[1:-1, 1:-1]
    np.testing.assert_array_equal(terrain.slope_percent(dem, 30.0), want)


def test_unit_table_one_raster_at_a_time_equals_masks_per_unit():
    rng = np.random.default_rng(10)
    units = rng.integers(0, soils.LAKE + 1, size=(60, 80)).astype(np.int16)
    units[units == 5] = 0  # a unit with no cell
    ph = rng.uniform(4.0, 7.0, units.shape).astype(np.float32)
    ph[rng.random(units.shape) < 0.2] = np.nan
    drainage = rng.integers(0, 8, size=units.shape).astype(np.int16)
    drainage[drainage == 0] = -1  # nodata; classes are 1 … 7
    table = soils._UnitTable(units)
    table.add("ph_h2o", ph)
    table.add("drainage", drainage)
    rows = table.rows()
    assert list(rows) == list(soils.UNITS)
    for code in soils.UNITS:
        inside = units == code
        if code in (5, soils.LAKE):
            assert all(v is None for v in rows[code].values())
            continue
        values = ph[inside & np.isfinite(ph)]
        classes = drainage[inside & (drainage >= 0)]
        assert list(rows[code]) == ["ph_h2o", "drainage"]
        assert rows[code]["ph_h2o"] == round(float(np.median(values)), 1)
        assert rows[code]["drainage"] == soils.LEGENDS["drainage"][int(np.bincount(
            classes).argmax())]
