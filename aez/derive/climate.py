"""Climate indices from monthly rainfall and temperature: dry months, Oldeman, Schmidt–Ferguson.

Compute functions over plain arrays; they read no files. The monthly input is
an array of shape ``(years, 12, …)``: one row of twelve calendar months per
year, then any number of cell axes. A climatology (WorldClim's twelve
long-term means) is a stack of one year. A cell with any month missing (NaN)
gets NaN.

The definitions, with their sources:

- **Annual rainfall** (mm/yr): the sum of the twelve months, averaged over the
  years.
- **Dry months** (months, the BBSDLP characteristic *lama masa kering*): the
  number of months with less than 60 mm, averaged over the years. This is the
  Schmidt–Ferguson dry month (Schmidt & Ferguson 1951, after Mohr 1933).
- **Schmidt–Ferguson Q** (%): ``100 × mean dry months / mean wet months``, a
  wet month having more than 100 mm, counted per year and averaged over the
  years; the type is A (Q < 14.3) … H (Q ≥ 700) (Schmidt, F. H. & Ferguson,
  J. H. A. 1951, *Rainfall types based on wet and dry period ratios for
  Indonesia with Western New Guinea*, Verhandelingen 42, Djawatan Meteorologi
  dan Geofisik, Jakarta).
- **Oldeman** wet and dry months: the longest run of *consecutive* months with
  more than 200 mm (wet) and less than 100 mm (dry) in the mean year, the
  run wrapping round from December to January; the zone is A (> 9 consecutive
  wet months), B (7–9), C (5–6), D (3–4), E (< 3) with subdivision 1 (< 2
  consecutive dry months), 2 (2–3), 3 (4–6), 4 (> 6) (Oldeman, L. R. 1975,
  *An agro-climatic map of Java*, Contributions CRIA 17, Bogor; Oldeman,
  Las & Muladi 1980 for the other islands).
- **Mean annual temperature** (°C): the mean of the twelve monthly means,
  averaged over the years.

>>> import numpy as np
>>> rain = np.array([[300, 250, 220, 150, 90, 50, 40, 30, 55, 120, 210, 310.]])
>>> float(annual_rainfall(rain)), float(dry_months(rain))
(1825.0, 4.0)
>>> wet, dry = oldeman_months(rain)
>>> int(wet), int(dry), OLDEMAN_ZONES[int(oldeman_zone(wet, dry))]
(5, 5, 'C3')
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "OLDEMAN_DRY_MM",
    "OLDEMAN_WET_MM",
    "OLDEMAN_ZONES",
    "SCHMIDT_FERGUSON_TYPES",
    "SF_DRY_MM",
    "SF_WET_MM",
    "annual_rainfall",
    "dry_months",
    "mean_annual_temperature",
    "oldeman_months",
    "oldeman_zone",
    "schmidt_ferguson_q",
    "schmidt_ferguson_type",
    "wet_months",
]

#: Schmidt–Ferguson thresholds (mm/month): dry below 60, wet above 100.
SF_DRY_MM = 60.0
SF_WET_MM = 100.0
#: Oldeman thresholds (mm/month): wet above 200, dry below 100.
OLDEMAN_WET_MM = 200.0
OLDEMAN_DRY_MM = 100.0

#: Schmidt–Ferguson type code → (label, lower Q bound in %). Q ≥ the bound and below the next.
SCHMIDT_FERGUSON_TYPES: dict[int, tuple[str, float]] = {
    1: ("A", 0.0), 2: ("B", 14.3), 3: ("C", 33.3), 4: ("D", 60.0),
    5: ("E", 100.0), 6: ("F", 167.0), 7: ("G", 300.0), 8: ("H", 700.0),
}

_MAIN = ("A", "B", "C", "D", "E")
#: Oldeman zone code → label: the tens digit is the main zone (1 = A … 5 = E), the units
#: digit the subdivision (1–4), so ``33`` is ``"C3"``.
OLDEMAN_ZONES: dict[int, str] = {
    10 * (i + 1) + sub: f"{main}{sub}" for i, main in enumerate(_MAIN) for sub in (1, 2, 3, 4)
}


def _monthly(values: np.ndarray) -> np.ndarray:
    data = np.asarray(values, dtype=np.float64)
    if data.ndim < 2 or data.shape[1] != 12:
        if data.ndim >= 1 and data.shape[0] == 12:
            return data[np.newaxis]
        raise ValueError(
            f"Monthly values must have the shape (years, 12, …); got {data.shape}."
        )
    return data


def _missing(data: np.ndarray) -> np.ndarray:
    return np.isnan(data).any(axis=(0, 1))


def annual_rainfall(monthly: np.ndarray) -> np.ndarray:
    """Mean annual rainfall (mm/yr): the yearly sums of twelve months, averaged over the years.

    >>> import numpy as np
    >>> float(annual_rainfall(np.full((2, 12), 100.0)))
    1200.0
    """
    data = _monthly(monthly)
    return data.sum(axis=1).mean(axis=0)


def _count(data: np.ndarray, *, below: float | None = None,
           above: float | None = None) -> np.ndarray:
    hits = data < below if below is not None else data > above  # type: ignore[operator]
    out = hits.sum(axis=1).mean(axis=0)
    return np.where(_missing(data), np.nan, out)


def dry_months(monthly: np.ndarray, *, threshold: float = SF_DRY_MM) -> np.ndarray:
    """Months per year with less than ``threshold`` mm (default 60: Schmidt–Ferguson), averaged.

    >>> import numpy as np
    >>> float(dry_months(np.array([[10.0] * 3 + [100.0] * 9, [10.0] * 4 + [100.0] * 8])))
    3.5
    """
    return _count(_monthly(monthly), below=threshold)


def wet_months(monthly: np.ndarray, *, threshold: float = SF_WET_MM) -> np.ndarray:
    """Months per year with more than ``threshold`` mm (default 100: Schmidt–Ferguson), averaged."""
    return _count(_monthly(monthly), above=threshold)


def schmidt_ferguson_q(monthly: np.ndarray) -> np.ndarray:
    """Schmidt–Ferguson Q (%): 100 × mean dry months (< 60 mm) / mean wet months (> 100 mm).

    A cell with no wet month at all has Q = +inf (type H).

    >>> import numpy as np
    >>> rain = np.array([[300, 250, 220, 150, 90, 50, 40, 30, 55, 120, 210, 310.]])
    >>> float(schmidt_ferguson_q(rain))
    57.142857142857146
    """
    data = _monthly(monthly)
    dry = _count(data, below=SF_DRY_MM)
    wet = _count(data, above=SF_WET_MM)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(wet > 0, 100.0 * dry / np.where(wet > 0, wet, 1.0), np.inf)
    return np.where(np.isnan(dry), np.nan, q)


def schmidt_ferguson_type(q: np.ndarray) -> np.ndarray:
    """Schmidt–Ferguson type code (1 = A … 8 = H, see :data:`SCHMIDT_FERGUSON_TYPES`); 0 for NaN.

    >>> import numpy as np
    >>> schmidt_ferguson_type(np.array([0.0, 14.3, 57.1, 100.0, 700.0])).tolist()
    [1, 2, 3, 5, 8]
    """
    q = np.asarray(q, dtype=np.float64)
    bounds = np.array([b for _, b in SCHMIDT_FERGUSON_TYPES.values()][1:])
    codes = np.searchsorted(bounds, np.where(np.isnan(q), 0.0, q), side="right") + 1
    return np.where(np.isnan(q), 0, codes).astype(np.int32)


def _longest_circular_run(hits: np.ndarray) -> np.ndarray:
    """Longest run of True along axis 0 (12 months), wrapping from December to January."""
    doubled = np.concatenate([hits, hits], axis=0).astype(np.int32)
    run = np.zeros(hits.shape[1:], dtype=np.int32)
    best = np.zeros(hits.shape[1:], dtype=np.int32)
    for month in doubled:
        run = (run + 1) * month
        np.maximum(best, run, out=best)
    return np.minimum(best, 12)


def oldeman_months(monthly: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Oldeman's consecutive wet (> 200 mm) and dry (< 100 mm) months of the mean year.

    The twelve calendar months are first averaged over the years; the runs
    wrap round from December to January. Cells with a missing month get NaN.

    >>> import numpy as np
    >>> wet, dry = oldeman_months(np.array([[250.0] * 4 + [50.0] * 6 + [250.0] * 2]))
    >>> float(wet), float(dry)
    (6.0, 6.0)
    """
    data = _monthly(monthly)
    mean = data.mean(axis=0)
    missing = np.isnan(mean).any(axis=0)
    wet = _longest_circular_run(mean > OLDEMAN_WET_MM).astype(np.float64)
    dry = _longest_circular_run(mean < OLDEMAN_DRY_MM).astype(np.float64)
    return np.where(missing, np.nan, wet), np.where(missing, np.nan, dry)


def oldeman_zone(wet: np.ndarray, dry: np.ndarray) -> np.ndarray:
    """Oldeman zone code (see :data:`OLDEMAN_ZONES`) from consecutive wet and dry months; 0 for NaN.

    >>> import numpy as np
    >>> [OLDEMAN_ZONES[int(c)] for c in oldeman_zone(np.array([10, 8, 5, 3, 2]),
    ...                                              np.array([1, 2, 4, 7, 9]))]
    ['A1', 'B2', 'C3', 'D4', 'E4']
    """
    wet = np.asarray(wet, dtype=np.float64)
    dry = np.asarray(dry, dtype=np.float64)
    missing = np.isnan(wet) | np.isnan(dry)
    w = np.where(missing, 0, wet)
    d = np.where(missing, 0, dry)
    main = np.select([w > 9, w >= 7, w >= 5, w >= 3], [1, 2, 3, 4], default=5)
    sub = np.select([d < 2, d <= 3, d <= 6], [1, 2, 3], default=4)
    return np.where(missing, 0, 10 * main + sub).astype(np.int32)


def mean_annual_temperature(monthly: np.ndarray) -> np.ndarray:
    """Mean annual temperature (°C): the mean of the twelve monthly means, averaged over years.

    >>> import numpy as np
    >>> float(mean_annual_temperature(np.arange(20.0, 32.0)))
    25.5
    """
    data = _monthly(monthly)
    return data.mean(axis=(0, 1))
