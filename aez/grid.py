"""The analysis grid: one CRS, one north-up affine transform, one shape.

Every layer in a run is brought onto a single :class:`Grid`. A grid is a frozen
value: it can be hashed, compared, pickled to dask workers and printed.

>>> g = Grid.from_bounds((500_000, 9_000_000, 501_000, 9_000_500), resolution=50,
...                      crs="EPSG:32750")
>>> g.shape, g.res
((10, 20), (50.0, 50.0))
>>> import numpy as np
>>> float(np.broadcast_to(g.cell_area(), g.shape).sum())  # m²
500000.0
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from affine import Affine
from rasterio.crs import CRS
from rasterio.errors import CRSError as RasterioCRSError
from rasterio.windows import Window

from aez.errors import ConfigError, CRSError, DataSourceError

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

__all__ = ["Grid", "Tile", "as_crs", "utm_for"]

Bounds = tuple[float, float, float, float]

# Snapping tolerance, as a fraction of a cell: bounds within this of a cell edge
# are treated as lying on it, so 0.1 + 0.2 style noise never adds a column.
_SNAP_EPS = 1e-9


def as_crs(value: Any, *, what: str = "CRS") -> CRS:
    """Turn an EPSG code, WKT, PROJ string or CRS object into a rasterio ``CRS``.

    Parameters
    ----------
    value : str, int, CRS or pyproj.CRS
        Anything ``rasterio.crs.CRS.from_user_input`` accepts.
    what : str
        Name used in the error message (e.g. ``"grid.crs"``).

    Raises
    ------
    CRSError
        If ``value`` is empty or not a CRS.

    Examples
    --------
    >>> as_crs("EPSG:32750").to_epsg()
    32750
    """
    if value is None or value == "":
        raise CRSError(f"{what} is missing. Give an EPSG code such as \"EPSG:32750\".")
    if isinstance(value, CRS):
        return value
    try:
        return CRS.from_user_input(value)
    except (RasterioCRSError, ValueError, TypeError) as exc:
        raise CRSError(
            f"{what} = {value!r} is not a coordinate reference system ({exc}). "
            "Give an EPSG code such as \"EPSG:32750\" or a WKT string."
        ) from exc


def utm_for(geometry: BaseGeometry | gpd.GeoSeries | gpd.GeoDataFrame) -> CRS:
    """Pick the WGS 84 / UTM zone that contains the centre of a region.

    Indonesia spans UTM zones 46 to 54, on both sides of the equator; the
    hemisphere follows the latitude of the region's centre.

    Parameters
    ----------
    geometry : shapely geometry in lon/lat degrees, or GeoSeries/GeoDataFrame
        A region. GeoPandas objects are reprojected to EPSG:4326 first; a bare
        shapely geometry must already be in lon/lat.

    Returns
    -------
    rasterio.crs.CRS
        ``EPSG:326zz`` north of the equator, ``EPSG:327zz`` south of it.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> utm_for(Point(122.2, -8.6)).to_epsg()  # Maumere, Sikka
    32751
    >>> utm_for(Point(117.5, 1.0)).to_epsg()   # Kutai Timur
    32650
    """
    if hasattr(geometry, "to_crs"):
        if geometry.crs is None:
            raise CRSError("utm_for() got a GeoPandas object with no CRS. Set its .crs first.")
        bounds = geometry.to_crs("EPSG:4326").total_bounds  # no union: invalid polygons pass
    else:
        bounds = geometry.bounds
    lon_min, lat_min, lon_max, lat_max = bounds
    lon, lat = (lon_min + lon_max) / 2, (lat_min + lat_max) / 2
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise CRSError(
            f"utm_for() expects lon/lat degrees; the region's centre is ({lon}, {lat}). "
            "Reproject the geometry to EPSG:4326 first."
        )
    zone = min(int((lon + 180) // 6) + 1, 60)
    return CRS.from_epsg((32700 if lat < 0 else 32600) + zone)


@dataclass(frozen=True)
class Tile:
    """A window of the grid, with an optional halo of extra cells on each side.

    The *core* is the part of the grid a tile owns; the *outer* window adds
    ``halo`` cells on every side for focal operations and may reach outside the
    grid. Offsets and sizes are in cells.
    """

    index: tuple[int, int]
    row_off: int
    col_off: int
    height: int
    width: int
    halo: int = 0

    @property
    def window(self) -> Window:
        """Core window on the grid."""
        return Window(self.col_off, self.row_off, self.width, self.height)

    @property
    def outer_window(self) -> Window:
        """Core window grown by the halo (may extend past the grid edges)."""
        h = self.halo
        return Window(self.col_off - h, self.row_off - h, self.width + 2 * h, self.height + 2 * h)

    @property
    def core(self) -> tuple[slice, slice]:
        """Index of the core inside an array read on :attr:`outer_window`."""
        h = self.halo
        return slice(h, h + self.height), slice(h, h + self.width)

    @property
    def slices(self) -> tuple[slice, slice]:
        """Index of the core inside a whole-grid array."""
        return (
            slice(self.row_off, self.row_off + self.height),
            slice(self.col_off, self.col_off + self.width),
        )


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid: CRS, affine transform and (rows, cols) shape.

    Parameters
    ----------
    crs : CRS or str
        Coordinate reference system. Anything :func:`as_crs` accepts.
    transform : affine.Affine
        Maps (col, row) to (x, y) of the cell's upper-left corner. Must be
        north-up: no rotation, positive x size, negative y size.
    shape : tuple of int
        (rows, cols).
    """

    crs: CRS
    transform: Affine
    shape: tuple[int, int]

    def __post_init__(self) -> None:
        object.__setattr__(self, "crs", as_crs(self.crs, what="Grid crs"))
        t = Affine(*tuple(self.transform)[:6])
        if t.b != 0 or t.d != 0 or t.a <= 0 or t.e >= 0:
            raise ConfigError(
                f"Grid transform {tuple(t)[:6]} is not north-up (expected b = d = 0, a > 0, "
                "e < 0). Warp the data to a north-up grid first."
            )
        object.__setattr__(self, "transform", t)
        rows, cols = (int(n) for n in self.shape)
        if rows <= 0 or cols <= 0:
            raise ConfigError(f"Grid shape {self.shape} must have positive rows and cols.")
        object.__setattr__(self, "shape", (rows, cols))

    # -- constructors -------------------------------------------------------------------------

    @classmethod
    def from_bounds(
        cls,
        bounds: Bounds,
        *,
        resolution: float | tuple[float, float],
        crs: Any,
        snap: bool = True,
    ) -> Grid:
        """Build a grid that covers ``bounds`` at ``resolution``.

        Parameters
        ----------
        bounds : (left, bottom, right, top)
            Extent in CRS units.
        resolution : float or (float, float)
            Cell size (x, y) in CRS units (metres for UTM).
        crs : CRS or str
            Coordinate reference system of ``bounds``.
        snap : bool, default True
            Grow the bounds outward to whole multiples of the resolution, so
            that grids of neighbouring regions share cell edges (like
            ``gdalwarp -tap``). If False, keep the left/top corner and round
            the size up to whole cells.

        Examples
        --------
        >>> Grid.from_bounds((10, 10, 95, 60), resolution=20, crs="EPSG:32750").bounds
        (0.0, 0.0, 100.0, 60.0)
        """
        xres, yres = _pair(resolution, "resolution")
        left, bottom, right, top = (float(v) for v in bounds)
        if not (right > left and top > bottom):
            raise ConfigError(
                f"Bounds {bounds} are empty; expected (left, bottom, right, top) with "
                "right > left and top > bottom."
            )
        if snap:
            left = math.floor(left / xres + _SNAP_EPS) * xres
            bottom = math.floor(bottom / yres + _SNAP_EPS) * yres
            right = math.ceil(right / xres - _SNAP_EPS) * xres
            top = math.ceil(top / yres - _SNAP_EPS) * yres
        cols = max(1, math.ceil((right - left) / xres - _SNAP_EPS))
        rows = max(1, math.ceil((top - bottom) / yres - _SNAP_EPS))
        transform = Affine(xres, 0.0, left, 0.0, -yres, top)
        return cls(crs, transform, (rows, cols))

    @classmethod
    def from_dataset(cls, dataset: Any) -> Grid:
        """Return the grid of an open raster dataset (rasterio ``DatasetReader`` or ``WarpedVRT``).

        :func:`aez.io.read_grid` opens a file and calls this.

        Raises
        ------
        CRSError
            If the raster has no CRS.
        """
        if dataset.crs is None:
            raise CRSError(
                f"Reference raster {dataset.name} has no CRS. Assign one with "
                "`gdal_edit.py -a_srs EPSG:xxxx` or pick another reference."
            )
        return cls(dataset.crs, dataset.transform, (dataset.height, dataset.width))

    @classmethod
    def from_vector(
        cls,
        source: gpd.GeoDataFrame | gpd.GeoSeries,
        *,
        resolution: float | tuple[float, float],
        crs: Any = None,
        buffer: float = 0.0,
    ) -> Grid:
        """Return a grid snapped to ``resolution`` that covers a study-area vector.

        Parameters
        ----------
        source : GeoDataFrame or GeoSeries
            The study area (e.g. kecamatan polygons; read a file with
            :func:`aez.io.read_vector`).
        resolution : float or (float, float)
            Cell size in units of ``crs``.
        crs : CRS or str, optional
            Analysis CRS. Defaults to the vector's CRS when it is projected,
            otherwise to :func:`utm_for` the region.
        buffer : float, default 0
            Extra margin around the vector's bounds, in CRS units.
        """
        if source.crs is None:
            raise CRSError(
                "The study-area vector has no CRS. Set one on the file (e.g. with ogr2ogr "
                "-a_srs) or on the GeoDataFrame (.set_crs)."
            )
        if len(source) == 0 or source.is_empty.all():
            raise DataSourceError("The study-area vector is empty: it has no geometry to grid.")
        if crs is None:
            crs = source.crs if source.crs.is_projected else utm_for(source)
        crs = as_crs(crs)
        left, bottom, right, top = source.to_crs(crs.to_wkt()).total_bounds
        if not np.isfinite([left, bottom, right, top]).all():
            raise DataSourceError("The study-area vector is empty: it has no geometry to grid.")
        return cls.from_bounds(
            (left - buffer, bottom - buffer, right + buffer, top + buffer),
            resolution=resolution,
            crs=crs,
        )

    # -- properties ---------------------------------------------------------------------------

    @property
    def height(self) -> int:
        """Number of rows."""
        return self.shape[0]

    @property
    def width(self) -> int:
        """Number of columns."""
        return self.shape[1]

    @property
    def size(self) -> int:
        """Number of cells."""
        return self.shape[0] * self.shape[1]

    @property
    def res(self) -> tuple[float, float]:
        """Cell size (x, y) in CRS units, both positive."""
        return (self.transform.a, -self.transform.e)

    @property
    def bounds(self) -> Bounds:
        """(left, bottom, right, top) in CRS units."""
        t = self.transform
        return (t.c, t.f + t.e * self.height, t.c + t.a * self.width, t.f)

    @property
    def is_geographic(self) -> bool:
        """True when the CRS is in degrees of longitude and latitude."""
        return bool(self.crs.is_geographic)

    def __repr__(self) -> str:
        epsg = self.crs.to_epsg()
        crs = f"EPSG:{epsg}" if epsg else self.crs.to_string()[:40]
        return f"Grid(crs={crs}, res={self.res}, shape={self.shape}, bounds={self.bounds})"

    # -- derived grids and tiles --------------------------------------------------------------

    def window_grid(self, window: Window) -> Grid:
        """Return the grid of a window (which may reach outside this grid)."""
        col, row = int(window.col_off), int(window.row_off)
        transform = self.transform @ Affine.translation(col, row)
        return Grid(self.crs, transform, (int(window.height), int(window.width)))

    def tiles(self, size: int | tuple[int, int], *, halo: int = 0) -> Iterator[Tile]:
        """Cover the grid with tiles of ``size`` cells, in row-major order.

        Parameters
        ----------
        size : int or (rows, cols)
            Tile size in cells. Edge tiles are smaller.
        halo : int, default 0
            Extra cells on each side of every tile, for focal operations.

        Examples
        --------
        >>> g = Grid.from_bounds((0, 0, 500, 300), resolution=100, crs="EPSG:32750")
        >>> [(t.row_off, t.col_off, t.height, t.width) for t in g.tiles(2)]
        [(0, 0, 2, 2), (0, 2, 2, 2), (0, 4, 2, 1), (2, 0, 1, 2), (2, 2, 1, 2), (2, 4, 1, 1)]
        """
        rows, cols = _tile_size(size)
        if halo < 0:
            raise ConfigError(f"halo = {halo}; expected a whole number ≥ 0.")
        for i, r in enumerate(range(0, self.height, rows)):
            for j, c in enumerate(range(0, self.width, cols)):
                h, w = min(rows, self.height - r), min(cols, self.width - c)
                yield Tile((i, j), r, c, h, w, halo)

    def tile_count(self, size: int | tuple[int, int]) -> int:
        """Count the tiles :meth:`tiles` yields for ``size``."""
        rows, cols = _tile_size(size)
        return math.ceil(self.height / rows) * math.ceil(self.width / cols)

    # -- areas --------------------------------------------------------------------------------

    def cell_area(self) -> np.ndarray:
        """Area of each cell in m², as a (rows, 1) array that broadcasts to the grid.

        For a projected CRS this is the planar area ``|a·e|`` times the square
        of the CRS's linear unit in metres (UTM map area; UTM's scale factor
        makes true ground area differ by at most about 0.1 %). For a
        geographic CRS each row gets the exact area of a cell bounded by two
        meridians and two parallels on the CRS's ellipsoid.

        Examples
        --------
        >>> g = Grid.from_bounds((120, -1, 121, 0), resolution=0.5, crs="EPSG:4326")
        >>> a = g.cell_area()
        >>> a.shape
        (2, 1)
        >>> round(float(a.sum() * 2) / 1e6)  # km² of a 1°×1° square at the equator
        12308
        """
        if self.is_geographic:
            return _geographic_cell_area(self)
        unit = self.crs.linear_units_factor[1] if self.crs.linear_units_factor else 1.0
        area = abs(self.transform.a * self.transform.e) * unit * unit
        return np.full((self.height, 1), area, dtype=np.float64)

    def footprint(self) -> BaseGeometry:
        """Return the grid's extent as a shapely box in the grid CRS."""
        from shapely.geometry import box

        return box(*self.bounds)


def _tile_size(size: int | tuple[int, int]) -> tuple[int, int]:
    rows, cols = _pair(size, "tile size")
    if rows != int(rows) or cols != int(cols):
        raise ConfigError(f"tile size = {size!r}; expected whole numbers of cells.")
    return int(rows), int(cols)


def _pair(value: float | tuple[float, float], what: str) -> tuple[float, float]:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        pair = (float(value), float(value))
    else:
        try:
            x, y = value  # type: ignore[misc]
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{what} = {value!r}: expected a number or a pair.") from exc
        pair = (float(x), float(y))
    if not all(v > 0 and math.isfinite(v) for v in pair):
        raise ConfigError(f"{what} = {value!r} must be positive.")
    return pair


def _geographic_cell_area(grid: Grid) -> np.ndarray:
    """Exact ellipsoidal area of lat/lon cells, one value per row (m²)."""
    import pyproj

    ellipsoid = pyproj.CRS.from_wkt(grid.crs.to_wkt()).ellipsoid
    if ellipsoid is None:
        raise CRSError(f"Grid CRS {grid.crs.to_string()!r} has no ellipsoid to measure areas on.")
    a, b = ellipsoid.semi_major_metre, ellipsoid.semi_minor_metre
    ecc = math.sqrt(1 - (b / a) ** 2)
    t = grid.transform
    edges = np.radians(t.f + t.e * np.arange(grid.height + 1))
    s = np.sin(edges)
    if ecc == 0:
        q = s
        factor = a * a
    else:
        es = ecc * s
        q = s / (1 - es * es) + np.log((1 + es) / (1 - es)) / (2 * ecc)
        factor = b * b / 2
    dlon = math.radians(t.a)
    area = factor * dlon * np.abs(q[:-1] - q[1:])
    return area.reshape(-1, 1)
