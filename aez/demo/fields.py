"""Seeded random streams, fractal noise fields and small geometry helpers for the generator.

Every generator module draws from its own named stream (:func:`rng_for`), so
adding a draw in one module never changes what another produces.

Large-scale shapes (coast, volcano, hills, kecamatan) come from noise sampled
on a lattice of fixed spacing in metres (:class:`NoiseField`), not on the
analysis grid, so the same seed gives the same kabupaten at any resolution;
only cell-scale detail (:func:`grid_noise`) depends on the grid.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage, sparse

__all__ = [
    "BLOCK_CELLS",
    "NoiseField",
    "Warp",
    "block_rows",
    "chaikin",
    "grid_noise",
    "rng_for",
    "row_blocks",
    "smoothstep",
    "spectral_noise",
]

#: Cells per row block when a whole grid is computed block by block (8 MiB of float64).
BLOCK_CELLS = 1 << 20


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """Return a random generator for one named stream of one seed.

    >>> float(rng_for(7, "terrain").random()) == float(rng_for(7, "terrain").random())
    True
    """
    return np.random.default_rng([int(seed), zlib.crc32(stream.encode("utf-8"))])


def block_rows(width: int, cells: int = BLOCK_CELLS) -> int:
    """Rows per block so that a block of a grid ``width`` cells wide holds about ``cells`` cells.

    >>> block_rows(4000)
    262
    """
    return max(1, cells // max(1, width))


def row_blocks(shape: tuple[int, ...], cells: int = BLOCK_CELLS) -> list[slice]:
    """Slices of consecutive rows of a grid of ``shape``, about ``cells`` cells each.

    >>> row_blocks((5, 4), cells=8)
    [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    """
    step = block_rows(shape[1], cells)
    return [slice(start, min(start + step, shape[0])) for start in range(0, shape[0], step)]


def smoothstep(edge0: float, edge1: float, x: np.ndarray) -> np.ndarray:
    """Hermite step from 0 (``x <= edge0``) to 1 (``x >= edge1``).

    >>> smoothstep(0.0, 1.0, np.array([-1.0, 0.5, 2.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    t = np.clip((np.asarray(x, dtype=np.float64) - edge0) / (edge1 - edge0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def spectral_noise(
    rng: np.random.Generator, shape: tuple[int, int], *, spacing: float, scale: float,
    beta: float = 3.0,
) -> np.ndarray:
    """Fractional Brownian noise by spectral synthesis (numpy FFT), mean 0, std 1.

    White noise is filtered by the power spectrum ``(k² + k0²)^(-β/2)``, with
    ``k0 = 1/scale``: wavelengths longer than ``scale`` are damped, shorter ones
    fall off as a power law (β = 3 gives natural-looking terrain).

    Parameters
    ----------
    rng : numpy Generator
    shape : (rows, cols)
    spacing : float
        Distance between samples (m).
    scale : float
        Correlation length (m): the size of the largest features.
    beta : float
        Spectral exponent of the power spectrum.
    """
    white = rng.standard_normal(shape)
    ky = np.fft.fftfreq(shape[0], d=spacing)[:, None]
    kx = np.fft.rfftfreq(shape[1], d=spacing)[None, :]
    k2 = kx * kx + ky * ky
    amplitude = (k2 + (1.0 / scale) ** 2) ** (-beta / 4.0)
    amplitude[0, 0] = 0.0
    out = np.fft.irfft2(np.fft.rfft2(white) * amplitude, s=shape)
    std = float(out.std())
    return out / std if std > 0 else out


#: Points interpolated at a time when a :class:`NoiseField` is sampled point by point.
_POINTS = 1 << 20


@dataclass(frozen=True)
class NoiseField:
    """A smooth random field over a rectangle, sampled anywhere by bilinear interpolation.

    The field lives on a lattice of ``spacing`` metres that covers ``bounds``
    plus a margin, so its values do not depend on the analysis grid.

    Parameters
    ----------
    rng : numpy Generator
    bounds : (left, bottom, right, top)
        Extent to cover, in metres.
    scale : float
        Correlation length (m).
    spacing : float
        Lattice spacing (m).
    beta : float
        Spectral exponent (see :func:`spectral_noise`).
    """

    rng: np.random.Generator = field(repr=False)
    bounds: tuple[float, float, float, float]
    scale: float
    spacing: float = 200.0
    beta: float = 3.0

    def __post_init__(self) -> None:
        left, bottom, right, top = self.bounds
        margin = 4 * self.spacing
        cols = int(np.ceil((right - left + 2 * margin) / self.spacing)) + 1
        rows = int(np.ceil((top - bottom + 2 * margin) / self.spacing)) + 1
        # Pad the FFT domain so the field does not wrap around at the edges.
        pad_rows = rows + int(np.ceil(self.scale / self.spacing))
        pad_cols = cols + int(np.ceil(self.scale / self.spacing))
        lattice = spectral_noise(self.rng, (pad_rows, pad_cols), spacing=self.spacing,
                                 scale=self.scale, beta=self.beta)[:rows, :cols]
        object.__setattr__(self, "_lattice", (lattice - lattice.mean()) / lattice.std())
        object.__setattr__(self, "_origin", (left - margin, top + margin))

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Field values at coordinates ``x``, ``y`` (m; arrays that broadcast).

        A row of eastings ``(1, n)`` with a column of northings ``(m, 1)``
        is interpolated separably (fast); anything else point by point.
        """
        x0, y0 = self._origin  # type: ignore[attr-defined]
        lattice = self._lattice  # type: ignore[attr-defined]
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        if x.ndim == 2 and y.ndim == 2 and x.shape[0] == 1 and y.shape[1] == 1:
            wx = _linear_weights((x[0] - x0) / self.spacing, lattice.shape[1])
            wy = _linear_weights((y0 - y[:, 0]) / self.spacing, lattice.shape[0])
            return np.asarray(wy @ (wx @ lattice.T).T)
        xx, yy = np.broadcast_arrays(x, y)
        values = np.empty(xx.shape)
        flat, xs, ys = values.reshape(-1), xx.reshape(-1), yy.reshape(-1)
        for start in range(0, flat.size, _POINTS):  # in chunks, to bound the temporaries
            part = slice(start, start + _POINTS)
            coords = np.stack([(y0 - ys[part]) / self.spacing, (xs[part] - x0) / self.spacing])
            flat[part] = ndimage.map_coordinates(lattice, coords, order=1, mode="nearest")
        return values


    def rows(self, x: np.ndarray, y: np.ndarray, step: int) -> Iterator[tuple[slice, np.ndarray]]:
        """Values on the grid of ``x`` ``(1, n)`` and ``y`` ``(m, 1)``, ``step`` rows at a time.

        Yields ``(rows, values)``; the values are those of ``self(x, y)[rows]``.
        Each block interpolates across the columns only the band of lattice
        rows it needs, so no ``(lattice rows, n)`` array is made; every value
        comes from the same products and sums as in :meth:`__call__`.
        """
        x0, y0 = self._origin  # type: ignore[attr-defined]
        lattice = self._lattice  # type: ignore[attr-defined]
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        wx = _linear_weights((x[0] - x0) / self.spacing, lattice.shape[1])
        wy = _linear_weights((y0 - y[:, 0]) / self.spacing, lattice.shape[0])
        for start in range(0, y.shape[0], step):
            part = slice(start, start + step)
            weights = wy[part]
            lo, hi = int(weights.indices.min()), int(weights.indices.max()) + 1
            band = (wx @ lattice[lo:hi].T).T
            yield part, np.asarray(weights[:, lo:hi] @ band)


def _linear_weights(pos: np.ndarray, n: int) -> sparse.csr_matrix:
    """Sparse matrix of linear-interpolation weights from ``n`` lattice nodes to ``pos``."""
    pos = np.clip(pos, 0.0, n - 1.0)
    i0 = np.minimum(np.floor(pos).astype(np.int64), n - 2)
    t = pos - i0
    rows = np.repeat(np.arange(len(pos)), 2)
    cols = np.stack([i0, i0 + 1], axis=1).ravel()
    vals = np.stack([1.0 - t, t], axis=1).ravel()
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(pos), n))


def grid_noise(rng: np.random.Generator, shape: tuple[int, int], *, res: float,
               scale: float, beta: float = 3.0) -> np.ndarray:
    """Cell-scale detail noise on the analysis grid itself (mean 0, std 1)."""
    return spectral_noise(rng, shape, spacing=res, scale=scale, beta=beta)


@dataclass(frozen=True)
class Warp:
    """A smooth displacement of the plane by a few sine waves, without folds.

    ``x ↦ x + Σ a_k e_k sin(w_k · x + φ_k)``. The sum of ``a_k |w_k|`` is
    kept below ``stretch`` (< 1), so the map is a homeomorphism: polygons that
    tile the plane still tile it after warping, and a point inside a polygon
    stays inside its warped image.

    Parameters
    ----------
    rng : numpy Generator
    wavelength : float
        Longest wavelength (m); the others are 1/2 and 1/4 of it.
    stretch : float
        Bound on the displacement gradient (0 … 1).
    """

    rng: np.random.Generator = field(repr=False)
    wavelength: float
    stretch: float = 0.8

    def __post_init__(self) -> None:
        waves = []
        n = 3
        for i in range(n):
            lam = self.wavelength / 2**i
            k = 2 * np.pi / lam
            amp = self.stretch / n / k
            theta, psi = self.rng.uniform(0, 2 * np.pi, 2)
            phase = float(self.rng.uniform(0, 2 * np.pi))
            waves.append((amp, k * np.cos(theta), k * np.sin(theta),
                          np.cos(psi), np.sin(psi), phase))
        object.__setattr__(self, "_waves", tuple(waves))

    @property
    def amplitude(self) -> float:
        """Largest possible displacement (m)."""
        return float(sum(w[0] for w in self._waves))  # type: ignore[attr-defined]

    def __call__(self, xy: np.ndarray) -> np.ndarray:
        """Displace an ``(n, 2)`` array of coordinates."""
        xy = np.asarray(xy, dtype=np.float64)
        out = xy.copy()
        for amp, kx, ky, ex, ey, phase in self._waves:  # type: ignore[attr-defined]
            s = amp * np.sin(kx * xy[:, 0] + ky * xy[:, 1] + phase)
            out[:, 0] += ex * s
            out[:, 1] += ey * s
        return out


def chaikin(coords: np.ndarray, *, iterations: int = 2, closed: bool = False) -> np.ndarray:
    """Chaikin corner cutting; open lines keep their two end points.

    >>> chaikin(np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]), iterations=1).tolist()
    [[0.0, 0.0], [0.25, 0.0], [0.75, 0.0], [1.0, 0.25], [1.0, 0.75], [1.0, 1.0]]
    """
    pts = np.asarray(coords, dtype=np.float64)
    for _ in range(iterations):
        if closed:
            ring = pts[:-1] if np.allclose(pts[0], pts[-1]) else pts
            nxt = np.roll(ring, -1, axis=0)
            q = 0.75 * ring + 0.25 * nxt
            r = 0.25 * ring + 0.75 * nxt
            pts = np.empty((2 * len(ring), 2))
            pts[0::2], pts[1::2] = q, r
            pts = np.vstack([pts, pts[:1]])
        else:
            if len(pts) < 3:
                return pts
            a, b = pts[:-1], pts[1:]
            q = 0.75 * a + 0.25 * b
            r = 0.25 * a + 0.75 * b
            mid = np.empty((2 * len(a), 2))
            mid[0::2], mid[1::2] = q, r
            pts = np.vstack([pts[:1], mid, pts[-1:]])
    return pts
