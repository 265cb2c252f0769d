"""Distance and travel time: Euclidean formulas and hand-computed journeys on small grids."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aez.derive import distance_to, tobler_speed, travel_time
from aez.errors import ConfigError, CoverageError, CRSError, GridMismatchError
from aez.grid import Grid
from aez.layer import Layer

#: Off-road speed on the flat: Tobler's 6·exp(−3.5·0.05) km/h = 5.0368 km/h.
FLAT_KMH = 6 * math.exp(-3.5 * 0.05)


def per_metre(kmh: float) -> float:
    """Minutes per metre at a speed in km/h."""
    return 60.0 / (kmh * 1000.0)


def presence(grid: Grid, cells, name: str = "m") -> Layer:
    data = np.zeros(grid.shape, dtype=np.int32)
    for r, c in cells:
        data[r, c] = 1
    return Layer(name, data, grid, kind="categorical", legend={0: "absent", 1: "present"})


# -- distance ---------------------------------------------------------------------------------


def test_distance_to_a_single_target_is_euclidean():
    # 20 m wide, 30 m tall cells: distance = √((Δcol·20)² + (Δrow·30)²)
    grid = Grid.from_bounds((0, 0, 400, 300), resolution=(20, 30), crs="EPSG:32750")
    d = distance_to(presence(grid, [(3, 4)]))
    rows, cols = np.mgrid[0 : grid.height, 0 : grid.width]
    expected = np.sqrt(((cols - 4) * 20.0) ** 2 + ((rows - 3) * 30.0) ** 2)
    assert d.units == "m" and d.data.dtype == np.float32
    np.testing.assert_allclose(d.data, expected, rtol=1e-6)


def test_distance_by_class_picks_only_those_features():
    grid = Grid.from_bounds((0, 0, 100, 10), resolution=10, crs="EPSG:32750")
    roads = np.full(grid.shape, -1, dtype=np.int32)
    roads[0, 0], roads[0, 9] = 1, 2  # an arteri at the west end, a lokal at the east end
    layer = Layer("roads", roads, grid, kind="categorical", legend={1: "arteri", 2: "lokal"})
    np.testing.assert_allclose(distance_to(layer).data[0], [0, 10, 20, 30, 40, 40, 30, 20, 10, 0])
    np.testing.assert_allclose(distance_to(layer, classes=["arteri"]).data[0],
                               np.arange(10) * 10.0)
    with pytest.raises(ConfigError, match=r"'tol' is not in the legend.*'arteri', 'lokal'"):
        distance_to(layer, classes=["tol"])


def test_distance_without_features_or_on_degrees_is_refused():
    grid = Grid.from_bounds((0, 0, 30, 30), resolution=10, crs="EPSG:32750")
    with pytest.raises(CoverageError, match="no features"):
        distance_to(presence(grid, []))
    geo = Grid.from_bounds((120, -9, 120.03, -8.97), resolution=0.01, crs="EPSG:4326")
    with pytest.raises(CRSError, match="projected"):
        distance_to(presence(geo, [(0, 0)]))


# -- travel time ------------------------------------------------------------------------------

#: 30 m cells, 11 rows x 41 cols; a 'kolektor' road along row 5, a market at its west end.
GRID = Grid.from_bounds((0, 0, 41 * 30, 11 * 30), resolution=30, crs="EPSG:32750")
ROAD_ROW = 5


def road_layer(label: str = "kolektor") -> Layer:
    data = np.full(GRID.shape, -1, dtype=np.int32)
    data[ROAD_ROW, :] = 1
    return Layer("roads", data, GRID, kind="categorical", legend={1: label})


def test_travel_time_along_a_road_and_then_off_road_matches_the_hand_computation():
    t = travel_time(presence(GRID, [(ROAD_ROW, 0)]), roads=road_layer(),
                    road_speeds={"kolektor": 40.0})
    road, off = per_metre(40.0), per_metre(FLAT_KMH)  # 0.0015 and 0.011912 min/m
    assert t.units == "min"
    # 40 cells east along the road: 1200 m at 40 km/h = 1.8 min
    assert t.data[ROAD_ROW, 40] == pytest.approx(1.8, rel=0.01)
    assert t.data[ROAD_ROW, 40] == pytest.approx(40 * 30 * road, rel=0.01)
    # 20 cells along the road (600 m: 0.9 min), one step off it (30 m at the mean of both
    # speeds' minutes per metre: 0.2012 min), then 2 cells on foot (60 m: 0.7147 min)
    expected = 20 * 30 * road + 30 * (road + off) / 2 + 2 * 30 * off
    assert expected == pytest.approx(1.8159, abs=1e-4)
    assert t.data[ROAD_ROW + 3, 20] == pytest.approx(expected, rel=0.01)
    assert t.data[ROAD_ROW, 0] == 0


def test_walking_speed_falls_with_slope_by_toblers_function():
    # No road; uniform 20 % slope: 6·exp(−3.5·(0.20 + 0.05)) = 2.501 km/h.
    slope = Layer("slope", np.full(GRID.shape, 20.0, dtype=np.float32), GRID, units="%")
    t = travel_time(presence(GRID, [(ROAD_ROW, 0)]), slope=slope)
    kmh = 6 * math.exp(-3.5 * 0.25)
    assert kmh == pytest.approx(2.501, abs=1e-3)
    assert float(tobler_speed(0.2)) == pytest.approx(kmh)
    # 10 cells east: 300 m at 2.501 km/h = 0.3 km / 2.501 km/h · 60 = 7.197 min
    assert t.data[ROAD_ROW, 10] == pytest.approx(0.3 / kmh * 60, rel=0.01)
    degrees = slope.replace(data=np.full(GRID.shape, math.degrees(math.atan(0.2)),
                                         dtype=np.float32), units="degrees")
    t_deg = travel_time(presence(GRID, [(ROAD_ROW, 0)]), slope=degrees)
    assert t_deg.data[ROAD_ROW, 10] == pytest.approx(t.data[ROAD_ROW, 10], rel=1e-5)


def test_water_is_impassable_except_by_bridge_and_navigable_river():
    market = presence(GRID, [(ROAD_ROW, 0)])
    wall = presence(GRID, [(r, 10) for r in range(GRID.height)], name="water")
    t = travel_time(market, water=wall)
    assert np.isnan(t.data[:, 11:]).all() and np.isfinite(t.data[:, :10]).all()
    # a road across the water is a bridge
    bridged = travel_time(market, water=wall, roads=road_layer(), road_speeds={"kolektor": 40})
    crossing = np.zeros(GRID.shape, dtype=bool)
    crossing[:, 10] = True
    crossing[ROAD_ROW, 10] = False  # the bridge
    np.testing.assert_array_equal(np.isnan(bridged.data), crossing)
    # beyond the bridge: along the road to column 12, then 1 cell on foot
    road, off = per_metre(40.0), per_metre(FLAT_KMH)
    assert bridged.data[ROAD_ROW + 1, 12] == pytest.approx(12 * 30 * road + 15 * (road + off),
                                                            rel=0.01)
    # a navigable river along row 0 at 12 km/h: 40 cells = 1200 m = 6 min from a port at (0, 0)
    river = presence(GRID, [(0, c) for c in range(GRID.width)], name="river")
    boat = travel_time(presence(GRID, [(0, 0)]), rivers=river, boat_speed=12.0, water=wall)
    assert boat.data[0, 40] == pytest.approx(6.0, rel=0.01)


def test_protected_areas_slow_walking_by_their_factor():
    market = presence(GRID, [(ROAD_ROW, 0)])
    everywhere = Layer("hutan", np.ones(GRID.shape, dtype=np.int32), GRID, kind="categorical")
    free = travel_time(market)
    slow = travel_time(market, protected=everywhere, protected_factor=0.25)
    # a quarter of the speed everywhere: four times the time
    np.testing.assert_allclose(slow.data, 4 * free.data, rtol=1e-6)
    # 10 cells on the flat: 300 m at 5.0368 km/h = 3.574 min
    assert free.data[ROAD_ROW, 10] == pytest.approx(300 * per_metre(FLAT_KMH), rel=0.01)


def test_unknown_road_class_names_the_class_and_the_configured_ones():
    with pytest.raises(ConfigError, match=r"'tol'.*'arteri', 'kolektor', 'lokal', 'jalan_desa'"):
        travel_time(presence(GRID, [(ROAD_ROW, 0)]), roads=road_layer("tol"))


def test_bad_speeds_targets_and_grids_are_refused():
    market = presence(GRID, [(ROAD_ROW, 0)])
    with pytest.raises(ConfigError, match="kolektor"):
        travel_time(market, roads=road_layer(), road_speeds={"kolektor": 0})
    with pytest.raises(ConfigError, match="water_factor"):
        travel_time(market, water_factor=2)
    with pytest.raises(CoverageError, match="no target"):
        travel_time(presence(GRID, []))
    other = Grid.from_bounds((0, 0, 300, 300), resolution=30, crs="EPSG:32750")
    with pytest.raises(GridMismatchError):
        travel_time(market, water=presence(other, [(0, 0)]))


def dijkstra_minutes(kmh: np.ndarray, targets: np.ndarray, res: float) -> np.ndarray:
    """Least minutes to the nearest target over the 8-connected grid, with a plain heap.

    A step between neighbours costs its length (m) times the mean of the two cells'
    minutes per metre; a cell at 0 km/h cannot be entered. Unreached cells are NaN.
    """
    import heapq

    rows, cols = kmh.shape
    with np.errstate(divide="ignore"):
        per_m = 60.0 / (1000.0 * kmh)
    best = np.full(kmh.shape, np.inf)
    heap = [(0.0, r, c) for r, c in zip(*np.nonzero(targets), strict=True)]
    for _, r, c in heap:
        best[r, c] = 0.0
    heapq.heapify(heap)
    while heap:
        minutes, r, c = heapq.heappop(heap)
        if minutes > best[r, c]:
            continue
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                rr, cc = r + dr, c + dc
                if (dr or dc) and 0 <= rr < rows and 0 <= cc < cols and kmh[rr, cc] > 0:
                    step = math.hypot(dr, dc) * res * (per_m[r, c] + per_m[rr, cc]) / 2
                    if minutes + step < best[rr, cc]:
                        best[rr, cc] = minutes + step
                        heapq.heappush(heap, (minutes + step, rr, cc))
    best[np.isinf(best)] = np.nan
    return best


def test_travel_time_matches_a_plain_dijkstra_on_a_random_landscape():
    rng = np.random.default_rng(7)
    grid = Grid.from_bounds((0, 0, 25 * 45, 25 * 35), resolution=25, crs="EPSG:32750")
    shape = grid.shape
    slope_pct = rng.uniform(0, 60, shape).astype(np.float32)
    slope_pct[rng.random(shape) < 0.03] = np.nan  # no slope: impassable on foot
    road = np.full(shape, -1, dtype=np.int32)
    road[17, :] = 1
    road[:, 30] = 2
    road[5:30, 8] = 3
    water = rng.random(shape) < 0.12
    water[:, 22] = True  # a river bank to bank, crossed by the road along row 17 only
    river = np.zeros(shape, dtype=bool)
    river[2, :] = True
    protected = np.zeros(shape, dtype=bool)
    protected[20:, :15] = True
    markets = np.zeros(shape, dtype=bool)
    markets[[0, 30, 12], [0, 40, 25]] = True

    def cells(mask: np.ndarray, name: str) -> Layer:
        return Layer(name, mask.astype(np.int32), grid, kind="categorical")

    t = travel_time(
        cells(markets, "markets"),
        roads=Layer("roads", road, grid, kind="categorical",
                    legend={1: "arteri", 2: "lokal", 3: "jalan_desa"}),
        rivers=cells(river, "rivers"), boat_speed=12.0,
        slope=Layer("slope", slope_pct, grid, units="%"),
        water=cells(water, "water"), protected=cells(protected, "hutan"),
        protected_factor=0.4,
    )
    # The speeds, independently: Tobler on foot, scaled in protected areas, 0 on water
    # and where the slope is missing; boats on the river; the road class's speed on roads.
    kmh = 6.0 * np.exp(-3.5 * (slope_pct.astype(np.float64) / 100 + 0.05))
    kmh[np.isnan(kmh)] = 0.0
    kmh[protected] *= 0.4
    kmh[water] = 0.0
    kmh[river] = np.maximum(kmh[river], 12.0)
    for code, speed in ((1, 60.0), (2, 30.0), (3, 15.0)):
        kmh[road == code] = np.maximum(kmh[road == code], speed)
    kmh[markets & (kmh == 0)] = FLAT_KMH
    expected = dijkstra_minutes(kmh, markets, 25.0)
    assert np.isnan(expected).sum() > 50  # cells walled in by water and missing slope
    np.testing.assert_array_equal(np.isnan(t.data), np.isnan(expected))
    np.testing.assert_allclose(t.data, expected.astype(np.float32), rtol=1e-6, equal_nan=True)
