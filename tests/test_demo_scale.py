"""The demo generator's fast paths for large regions agree with the plain computations.

Each fast path (per-label cell lists from one sort, name draws that skip an exhausted
pool, dry months counted month by month, point-wise noise in chunks) is checked against
the straightforward computation it replaces, on inputs where both are cheap.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from aez.demo import climate, fields
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
