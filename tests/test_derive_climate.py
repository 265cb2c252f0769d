"""Climate indices of aez.derive.climate, by hand and by invariant.

Hand case (mm): 300 250 220 150 90 50 40 30 55 120 210 310. Annual 1825; dry months
(< 60 mm) Jun, Jul, Aug, Sep = 4; wet (> 100 mm) 7, so Schmidt–Ferguson Q = 4/7 = 57.1 %
(type C, 33.3 ≤ Q < 60); Oldeman wet (> 200) Nov–Mar = 5 consecutive, dry (< 100)
May–Sep = 5 consecutive: zone C3.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from aez.derive import climate

HAND = np.array([300, 250, 220, 150, 90, 50, 40, 30, 55, 120, 210, 310], dtype=float)


def test_hand_case():
    assert climate.annual_rainfall(HAND) == 1825.0
    assert climate.dry_months(HAND) == 4.0
    assert climate.wet_months(HAND) == 7.0
    q = climate.schmidt_ferguson_q(HAND)
    assert q == pytest.approx(400 / 7)
    assert climate.SCHMIDT_FERGUSON_TYPES[int(climate.schmidt_ferguson_type(q))][0] == "C"
    wet, dry = climate.oldeman_months(HAND)
    assert (wet, dry) == (5.0, 5.0)
    assert climate.OLDEMAN_ZONES[int(climate.oldeman_zone(wet, dry))] == "C3"


def test_years_are_averaged_and_cells_kept_apart():
    years = np.stack([HAND, HAND * 2])[:, :, None] * np.array([1.0, 0.5])  # (2, 12, 2 cells)
    np.testing.assert_allclose(climate.annual_rainfall(years), [1825 * 1.5, 1825 * 0.75])
    # year 1: 4 dry months; year 2 (doubled): 50 → 100, 40 → 80, 30 → 60, 55 → 110: 0 < 60
    assert climate.dry_months(years)[0] == 2.0


def test_a_missing_month_gives_nan():
    rain = HAND.copy()
    rain[3] = np.nan
    assert np.isnan(climate.dry_months(rain)) and np.isnan(climate.annual_rainfall(rain))
    wet, dry = climate.oldeman_months(rain)
    assert np.isnan(wet) and climate.oldeman_zone(wet, dry) == 0


def test_schmidt_ferguson_boundaries():
    q = np.array([14.29, 14.3, 33.3, 59.99, 60.0, 166.9, 167.0, 299.9, 300.0, 699.0, 700.0,
                  np.inf])
    types = [climate.SCHMIDT_FERGUSON_TYPES[c][0] for c in climate.schmidt_ferguson_type(q)]
    assert "".join(types) == "ABCCDEFFGGHH"


def test_oldeman_runs_wrap_round_the_year():
    rain = np.array([250, 250, 50, 50, 50, 50, 50, 50, 50, 250, 250, 250], dtype=float)
    wet, dry = climate.oldeman_months(rain)
    assert (wet, dry) == (5.0, 7.0)  # Oct–Feb wet; Mar–Sep dry
    assert climate.OLDEMAN_ZONES[int(climate.oldeman_zone(wet, dry))] == "C4"
    assert climate.oldeman_months(np.full(12, 300.0)) == (12.0, 0.0)


@given(arrays(np.float64, (3, 12), elements=st.floats(0, 800)))
def test_invariants(rain):
    dry = climate.dry_months(rain)
    assert 0 <= dry <= 12
    assert climate.annual_rainfall(rain) == pytest.approx(rain.sum() / 3)
    wet_run, dry_run = climate.oldeman_months(rain)
    assert 0 <= wet_run <= 12 and 0 <= dry_run <= 12 and wet_run + dry_run <= 12
    assert int(climate.oldeman_zone(wet_run, dry_run)) in climate.OLDEMAN_ZONES
