"""Landforms and the digital elevation model of the demo region.

The elevation (m) is a sum of landform components, each shaped by fractal
noise (:mod:`aez.demo.fields`):

``plain``
    Coastal lowland and alluvial plain rising from about 1 m at the coast to
    about 30 m inland.
``hills``
    A belt of folded sedimentary hills (100–500 m) inland, away from the
    volcano, from ridged fractal noise.
``volcano``
    One strato-volcano, a concave cone ``H (1 - r/R)^2.2`` of 2000–2500 m
    with gullied flanks and a summit crater.
``peat``
    An ombrogenous peat dome in a low basin behind the coast: the basin floor
    sinks to a few metres, the dome rises up to 7 m above it, and the peat is
    up to 6–10 m thick at the centre, thinning to 50 cm at the edge.
``lake``
    A bowl a few metres deep in the alluvial plain (a floodplain *danau*).

A beach ridge (sandy, slightly raised) or a tidal swamp (mangrove) lines the
coast. The landforms (:class:`Terrain`: hill belt, volcano zones, peat,
beach and tidal strips) are returned with the DEM so that the soil catena can
follow them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aez.demo.distance import nearest
from aez.demo.fields import (
    BLOCK_CELLS,
    NoiseField,
    block_rows,
    grid_noise,
    rng_for,
    row_blocks,
    smoothstep,
)
from aez.demo.region import Canvas

__all__ = ["Landscape", "Terrain", "design_landscape", "make_terrain", "slope_percent"]

#: Minimum thickness of organic soil that counts as peat (cm), as in Indonesian soil surveys.
PEAT_MIN_CM = 50.0


@dataclass(frozen=True)
class Landscape:
    """Where the big landforms are and how big they are (drawn from the seed).

    Coordinates are easting/northing (m); heights in metres.
    """

    volcano: tuple[float, float]
    volcano_height: float
    volcano_radius: float
    crater_radius: float
    peat: tuple[float, float]
    peat_axes: tuple[float, float]
    peat_angle: float
    peat_max_depth: float
    lake: tuple[float, float]
    lake_radius: float


@dataclass(frozen=True, eq=False)
class Terrain:
    """The landforms the soil catena follows (all on the canvas grid).

    Attributes
    ----------
    hill : ndarray of bool
        The hill belt: hill component over 40 m where the hilliness (0 … 1)
        exceeds 0.3 and the hills stand at least as high as the volcano.
    low_hill : ndarray of bool
        Hill component under 100 m (footslopes whatever the local relief).
    volcano_zone : ndarray of int8
        Where the volcano component exceeds 30 m and the hills: 3 above 70 %
        of the volcano's height (summit), 2 above 15 % (slope), 1 below
        (footslope); 0 off the volcano.
    peat_depth : ndarray
        Peat thickness (cm); 0 where there is no peat.
    beach, tidal : ndarray of bool
        Beach ridge and tidal-swamp strips along the coast.
    landscape : Landscape
    """

    hill: np.ndarray
    low_hill: np.ndarray
    volcano_zone: np.ndarray
    peat_depth: np.ndarray
    beach: np.ndarray
    tidal: np.ndarray
    landscape: Landscape


def _pick(rng: np.random.Generator, canvas: Canvas, score: np.ndarray) -> tuple[float, float]:
    """Draw a cell centre among the best-scoring 2 % of land cells."""
    score = np.where(canvas.land, score, -np.inf)
    flat = score.ravel()
    finite = np.isfinite(flat)
    if not finite.any():
        flat = np.where(canvas.land.ravel(), 0.0, -np.inf)
        finite = canvas.land.ravel()
    cut = np.quantile(flat[finite], 0.98)
    choices = np.flatnonzero(finite & (flat >= cut))
    i = int(rng.choice(choices))
    r, c = divmod(i, canvas.grid.width)
    return float(canvas.x[0, c]), float(canvas.y[r, 0])


def design_landscape(canvas: Canvas, *, seed: int) -> Landscape:
    """Place the volcano, the peat dome and the lake, scaled to the region's size."""
    rng = rng_for(seed, "landscape")
    extent = canvas.extent
    coast = canvas.coast_km
    inland = canvas.inland_km
    cmax = float(coast[canvas.land].max())
    jitter = rng.uniform(0, 0.15, canvas.grid.shape)

    radius = 0.3 * extent
    vx, vy = _pick(rng, canvas, np.minimum(coast / cmax, 0.75) + 0.6 * np.minimum(
        inland * 1000 / radius, 0.6) + jitter)
    dist_v = np.hypot(canvas.x - vx, canvas.y - vy)

    axes = (0.14 * extent, 0.09 * extent)
    band = -np.abs(coast / cmax - 0.16) + 0.5 * np.minimum(inland * 1000 / axes[0], 1.0)
    peat_score = band - 2.0 * (dist_v < radius * 1.1) + jitter
    px, py = _pick(rng, canvas, peat_score)
    dist_p = np.hypot(canvas.x - px, canvas.y - py)

    lake_r = 0.025 * extent
    lake_score = (-np.abs(coast / cmax - 0.3) - 2.0 * (dist_v < radius * 1.05)
                  - 2.0 * (dist_p < axes[0] * 1.6) + 0.5 * np.minimum(inland * 1000 / (
                      4 * lake_r), 1.0) + jitter)
    lx, ly = _pick(rng, canvas, lake_score)
    return Landscape(
        volcano=(vx, vy),
        volcano_height=float(rng.uniform(2000, 2500)),
        volcano_radius=radius,
        crater_radius=max(0.018 * extent, 300.0),
        peat=(px, py),
        peat_axes=axes,
        peat_angle=float(rng.uniform(0, np.pi)),
        peat_max_depth=float(rng.uniform(600, 1000)),
        lake=(lx, ly),
        lake_radius=lake_r,
    )


def make_terrain(canvas: Canvas, landscape: Landscape, *, seed: int
                 ) -> tuple[np.ndarray, Terrain]:
    """Build the DEM from the landform components (see the module docstring).

    Returns
    -------
    dem : ndarray of float64
        Elevation (m); NaN outside the study area.
    terrain : Terrain
        The landforms, for the soil catena.

    Notes
    -----
    The random fields are drawn first, in a fixed order; then every cell is
    computed from them in row blocks of about 2¹⁸ cells, so the component
    heights and the intermediate grids (distances, angles, noise values, the
    peat dome) never exist for the whole region at once. Every value is that
    of the formula applied to the whole grid.
    """
    rng = rng_for(seed, "terrain")
    x, y = canvas.x, canvas.y
    bounds = canvas.bounds
    extent = canvas.extent
    coast = canvas.coast_km
    cmax = float(coast[canvas.land].max()) if canvas.land.any() else 1.0

    swell = NoiseField(rng, bounds, scale=0.08 * extent, beta=3.2)
    belt = NoiseField(rng, bounds, scale=0.4 * extent, beta=3.5)
    relief = NoiseField(rng, bounds, scale=0.08 * extent, beta=2.7)
    lobes = NoiseField(rng, (-2.0, -2.0, 2.0, 2.0), scale=1.5, spacing=0.02, beta=3.5)
    gullies = NoiseField(rng, (-5.0, -5.0, 5.0, 5.0), scale=0.6, spacing=0.025, beta=2.4)
    edge = NoiseField(rng, bounds, scale=0.05 * extent)
    shore = NoiseField(rng, bounds, scale=0.1 * extent)
    detail = grid_noise(rng, canvas.grid.shape, res=canvas.res, scale=2000.0, beta=2.4)

    shape = canvas.grid.shape
    dem = np.empty(shape)
    terrain = Terrain(hill=np.empty(shape, dtype=bool), low_hill=np.empty(shape, dtype=bool),
                      volcano_zone=np.empty(shape, dtype=np.int8), peat_depth=np.empty(shape),
                      beach=np.empty(shape, dtype=bool), tidal=np.empty(shape, dtype=bool),
                      landscape=landscape)
    step = block_rows(shape[1], BLOCK_CELLS // 4)  # many temporaries per cell: small blocks
    blocks = zip(*(f.rows(x, y, step) for f in (swell, belt, relief, edge, shore)), strict=True)
    for (part, swell_b), (_, belt_b), (_, relief_b), (_, edge_b), (_, shore_b) in blocks:
        noise = {"swell": swell_b, "belt": belt_b, "relief": relief_b, "edge": edge_b,
                 "shore": shore_b}
        dem[part] = _terrain_block(
            terrain, part, landscape, x=x, y=y[part], coast=coast[part], cmax=cmax,
            land=canvas.land[part], noise=noise, lobes=lobes, gullies=gullies,
            detail=detail[part])
    return dem, terrain


def _terrain_block(terrain: Terrain, part: slice, landscape: Landscape, *, x: np.ndarray,
                   y: np.ndarray, coast: np.ndarray, cmax: float, land: np.ndarray,
                   noise: dict[str, np.ndarray], lobes: NoiseField, gullies: NoiseField,
                   detail: np.ndarray) -> np.ndarray:
    """Fill rows ``part`` of the landform grids of ``terrain``; return their DEM rows.

    ``x`` is ``(1, cols)``, ``y`` ``(rows, 1)`` and the other grids are the
    block's rows; ``noise`` holds the block's values of the five separable
    noise fields (swell, belt, relief, edge, shore).
    """
    # Plain: 1 m at the coast to ~30 m inland, with low swells.
    plain = 1.0 + 29.0 * (1.0 - np.exp(-coast / (0.45 * cmax))) + 1.5 * noise["swell"]
    plain = np.maximum(plain, 0.5)

    # Hill belt: inland, away from the volcano, with ridged noise.
    vx, vy = landscape.volcano
    dist_v = np.hypot(x - vx, y - vy)
    hilliness = smoothstep(0.38, 0.7, coast / cmax + 0.18 * noise["belt"])
    hilliness *= smoothstep(0.7, 1.25, dist_v / landscape.volcano_radius)
    height = np.clip((noise["relief"] + 2.0) / 4.0, 0.0, 1.0) ** 1.4
    hills = hilliness * (40.0 + 600.0 * height)

    # Volcano: concave cone, gullied flanks, summit crater.
    angle = np.arctan2(y - vy, x - vx)
    r = dist_v / (landscape.volcano_radius * (1.0 + 0.1 * lobes(np.cos(angle), np.sin(angle))))
    rho = 3.0 + np.minimum(r, 1.5)
    gully = gullies(np.cos(angle) * rho, np.sin(angle) * rho)
    cone = landscape.volcano_height * np.clip(1.0 - r, 0.0, None) ** 2.2
    rim = landscape.volcano_height * (1.0 - landscape.crater_radius / landscape.volcano_radius
                                      ) ** 2.2
    rc = dist_v / landscape.crater_radius
    crater = rim - 150.0 * np.sqrt(np.clip(1.0 - rc**2, 0.0, None))
    volcano = np.where(rc < 1.0, crater, cone * (1.0 + 0.05 * gully))

    # Peat dome in a low basin (elliptical coordinates re = 1 at the dome edge).
    px, py = landscape.peat
    a, b = landscape.peat_axes
    ca, sa = np.cos(landscape.peat_angle), np.sin(landscape.peat_angle)
    dx, dy = x - px, y - py
    edge = 1.0 + 0.12 * noise["edge"]
    re = np.hypot((dx * ca + dy * sa) / a, (-dx * sa + dy * ca) / b) / edge
    basin = smoothstep(1.5, 0.9, re)
    dome = np.sqrt(np.clip(1.0 - re**2, 0.0, None))
    peat_depth = landscape.peat_max_depth * dome**1.2
    peat_depth = np.where(peat_depth >= PEAT_MIN_CM, peat_depth, 0.0)
    peat_relief = 7.0 * dome - 0.7 * basin * plain + 2.0 * basin

    # Floodplain lake: a bowl 5 m deep.
    lx, ly = landscape.lake
    rl = np.hypot(x - lx, y - ly) / landscape.lake_radius
    lake = -5.0 * np.clip(1.0 - rl**2, 0.0, None)

    # No hills in the peat basin or around the lake.
    away = smoothstep(1.4, 2.2, re)
    hilliness *= away
    hills *= away
    away = smoothstep(2.5, 4.0, rl)
    hilliness *= away
    hills *= away

    # Coast: beach ridge where the coastal noise is high, tidal swamp elsewhere.
    beach = (coast < 0.35) & (noise["shore"] > 0.45) & (hilliness < 0.1)
    tidal = (coast < 1.2 + 1.2 * (noise["shore"] < -0.3)) & ~beach & (hilliness < 0.1) & (
        dist_v > landscape.volcano_radius)
    coastal = 1.5 * beach - 0.6 * tidal

    rough = (0.4 + 0.03 * (hills + volcano)) * detail
    dem = plain + hills + volcano + peat_relief + lake + coastal + rough
    dem = np.maximum(dem, 0.5)
    terrain.hill[part] = (hills > 40) & (hilliness > 0.3) & (hills >= volcano)
    terrain.low_hill[part] = hills < 100
    h = landscape.volcano_height
    terrain.volcano_zone[part] = np.where(
        (volcano > 30) & (volcano > hills),
        np.where(volcano > 0.7 * h, 3, np.where(volcano > 0.15 * h, 2, 1)), 0)
    terrain.peat_depth[part] = np.where(land & (hilliness < 0.2), peat_depth, 0.0)
    terrain.beach[part] = beach & land
    terrain.tidal[part] = tidal & land
    return np.where(land, dem, np.nan)


def slope_percent(dem: np.ndarray, res: float) -> np.ndarray:
    """Slope (%) by central differences; nodata cells take their nearest valid value first.

    >>> z = np.array([[0.0, 5.0, 10.0]] * 3)
    >>> float(slope_percent(z, 50.0)[1, 1])
    10.0
    """
    invalid = ~np.isfinite(dem)
    z = dem
    if invalid.any() and not invalid.all():
        idx = nearest(invalid)
        z = dem[idx[0], idx[1]]
        del idx
    del invalid
    padded = np.pad(np.nan_to_num(z, copy=z is dem), 1, mode="edge")
    del z
    # Central differences of the padded grid, as np.gradient takes them inside its edges,
    # in row blocks.
    slope = np.empty(dem.shape)
    for rows in row_blocks(dem.shape):
        below = padded[rows.start:rows.stop + 2]
        gy = (below[2:, 1:-1] - below[:-2, 1:-1]) / (2.0 * res)
        gx = (below[1:-1, 2:] - below[1:-1, :-2]) / (2.0 * res)
        slope[rows] = 100.0 * np.hypot(gx, gy)
    return slope
