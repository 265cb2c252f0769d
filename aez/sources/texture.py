"""Soil texture: the USDA texture triangle, and the BBSDLP texture groups.

:func:`usda_texture` classes sand, silt and clay contents (any units, as long
as all three are in the same ones) into the twelve USDA texture classes, with
the class limits of the Soil Survey Manual (Soil Survey Staff 2017, USDA
Handbook 18, ch. 3, "Soil texture"; the same limits as the NRCS Soil Texture
Calculator). The three fractions are first scaled to sum to 100, because
SoilGrids predicts each of them separately and their sums differ slightly
from 1000 g/kg. Classing runs on whole arrays: the maintained texture
packages on PyPI class one sample at a time, too slowly for rasters, so aez
implements the published limits itself and tests them on the triangle's
corners and edges.

:data:`BBSDLP_GROUP` maps each USDA class to the texture group of the
Indonesian technical guide (Djaenudin et al. 2011, *Petunjuk Teknis Evaluasi
Lahan untuk Komoditas Pertanian*, BBSDLP, "Tekstur"): halus (fine: sandy
clay, silty clay, clay), agak halus (moderately fine: sandy clay loam, clay
loam, silty clay loam), sedang (medium: very fine sandy loam, loam, silt
loam, silt), agak kasar (moderately coarse: sandy loam), kasar (coarse:
loamy sand, sand). The guide's *sangat halus* (very fine) is clay of 2:1
minerals, which sand/silt/clay contents cannot tell; it is never produced
from a triangle.

>>> import numpy as np
>>> code = usda_texture(np.array([200.0]), np.array([300.0]), np.array([500.0]))
>>> USDA_CLASSES[int(code[0])], BBSDLP_GROUP[USDA_CLASSES[int(code[0])]]
('clay', 'fine')
"""

from __future__ import annotations

import numpy as np

from aez.layer import CATEGORICAL_NODATA

__all__ = ["BBSDLP_GROUP", "USDA_CLASSES", "bbsdlp_texture_codes", "usda_texture"]

#: USDA texture class codes (0 = no data).
USDA_CLASSES: dict[int, str] = {
    1: "sand", 2: "loamy sand", 3: "sandy loam", 4: "loam", 5: "silt loam", 6: "silt",
    7: "sandy clay loam", 8: "clay loam", 9: "silty clay loam", 10: "sandy clay",
    11: "silty clay", 12: "clay",
}

#: USDA class → BBSDLP texture group (canonical ``texture`` label), after Djaenudin et al. 2011.
BBSDLP_GROUP: dict[str, str] = {
    "sand": "coarse", "loamy sand": "coarse",
    "sandy loam": "moderately_coarse",
    "very fine sandy loam": "medium", "loam": "medium", "silt loam": "medium", "silt": "medium",
    "sandy clay loam": "moderately_fine", "clay loam": "moderately_fine",
    "silty clay loam": "moderately_fine",
    "sandy clay": "fine", "silty clay": "fine", "clay": "fine",
}


def usda_texture(sand: np.ndarray, silt: np.ndarray, clay: np.ndarray) -> np.ndarray:
    """USDA texture class codes (:data:`USDA_CLASSES`) of sand, silt and clay contents.

    Cells with a NaN fraction, or fractions summing to zero, get code 0.

    >>> import numpy as np
    >>> usda_texture(np.array([90, 40, 10, 65]), np.array([5, 40, 85, 10]),
    ...              np.array([5, 20, 5, 25])).tolist()
    [1, 4, 6, 7]
    """
    sand = np.asarray(sand, dtype=np.float64)
    silt = np.asarray(silt, dtype=np.float64)
    clay = np.asarray(clay, dtype=np.float64)
    total = sand + silt + clay
    valid = np.isfinite(total) & (total > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.where(valid, 100.0 / np.where(valid, total, 1.0), 0.0)
    sa, si, cl = sand * k, silt * k, clay * k
    conditions = [
        si + 1.5 * cl < 15,                                                   # sand
        (si + 1.5 * cl >= 15) & (si + 2 * cl < 30),                           # loamy sand
        ((cl >= 7) & (cl < 20) & (sa > 52) & (si + 2 * cl >= 30))
        | ((cl < 7) & (si < 50) & (si + 2 * cl >= 30)),                       # sandy loam
        (cl >= 7) & (cl < 27) & (si >= 28) & (si < 50) & (sa <= 52),          # loam
        ((si >= 50) & (cl >= 12) & (cl < 27)) | ((si >= 50) & (si < 80) & (cl < 12)),  # silt loam
        (si >= 80) & (cl < 12),                                               # silt
        (cl >= 20) & (cl < 35) & (si < 28) & (sa > 45),                       # sandy clay loam
        (cl >= 27) & (cl < 40) & (sa > 20) & (sa <= 45),                      # clay loam
        (cl >= 27) & (cl < 40) & (sa <= 20),                                  # silty clay loam
        (cl >= 35) & (sa > 45),                                               # sandy clay
        (cl >= 40) & (si >= 40),                                              # silty clay
        (cl >= 40) & (sa <= 45) & (si < 40),                                  # clay
    ]
    codes = np.select(conditions, list(USDA_CLASSES), default=0)
    return np.where(valid, codes, 0).astype(np.int32)


def bbsdlp_texture_codes(usda: np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    """Turn USDA class codes into canonical texture codes (1-based positions in ``classes``).

    ``classes`` is the canonical class list of the ``texture`` characteristic;
    USDA code 0 (no data) gives the categorical sentinel
    (:data:`aez.layer.CATEGORICAL_NODATA`, −1).

    >>> import numpy as np
    >>> from aez.characteristics import characteristic
    >>> bbsdlp_texture_codes(np.array([12, 4, 1, 0]), characteristic("texture").classes).tolist()
    [2, 4, 6, -1]
    """
    lookup = np.full(max(USDA_CLASSES) + 1, CATEGORICAL_NODATA, dtype=np.int32)
    for code, name in USDA_CLASSES.items():
        lookup[code] = classes.index(BBSDLP_GROUP[name]) + 1
    return lookup[np.asarray(usda, dtype=np.int64)]
