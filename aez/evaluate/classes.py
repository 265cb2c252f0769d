"""Suitability class codes, limiting-quality bit masks and their text forms.

Class rasters are ``uint8`` with these codes:

====  ===========  =====================================================
code  label        meaning
====  ===========  =====================================================
0     (nodata)     outside the study area or the grid's data
1     ``S1``       highly suitable (sangat sesuai)
2     ``S2``       moderately suitable (cukup sesuai)
3     ``S3``       marginally suitable (sesuai marginal)
4     ``N``        not suitable (tidak sesuai)
5     ``X``        excluded by a constraint before evaluation
6     ``unknown``  an input needed to decide is missing
====  ===========  =====================================================

A subclass is a ``uint16`` bit mask over the land qualities, bit *i* for the
*i*-th quality of :data:`aez.characteristics.QUALITIES` (``tc`` is bit 0,
``lp`` bit 11). It marks the qualities whose class equals the overall class:
the ones that set it. For an unknown class it marks the qualities whose input
is missing. Its text is ``<class>-<qualities>``, e.g. ``S3-nr,eh``; S1 has no
limitation and is written plain ``S1``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from aez.characteristics import QUALITIES

__all__ = [
    "CLASS_LABELS",
    "EXCLUDED",
    "NODATA",
    "S1",
    "S2",
    "S3",
    "UNKNOWN",
    "N",
    "class_text",
    "quality_bit",
    "subclass_text",
]

NODATA, S1, S2, S3, N, EXCLUDED, UNKNOWN = range(7)

#: Text of each class code.
CLASS_LABELS: dict[int, str] = {
    NODATA: "", S1: "S1", S2: "S2", S3: "S3", N: "N", EXCLUDED: "X", UNKNOWN: "unknown",
}


def quality_bit(quality: str) -> int:
    """Bit of a land quality in a subclass mask.

    >>> quality_bit("tc"), quality_bit("nr"), quality_bit("lp")
    (1, 16, 2048)
    """
    return 1 << QUALITIES.index(quality)


def class_text(codes: ArrayLike) -> NDArray[np.object_]:
    """Class labels (``"S1"`` … ``"unknown"``) of class codes.

    >>> class_text([1, 4, 6]).tolist()
    ['S1', 'N', 'unknown']
    """
    codes = np.asarray(codes)
    table = np.array([CLASS_LABELS[c] for c in range(len(CLASS_LABELS))], dtype=object)
    return table[codes]


def subclass_text(codes: ArrayLike, masks: ArrayLike) -> NDArray[np.object_]:
    """Subclass text (``"S3-nr,eh"``, ``"S1"``, ``"unknown-wa"``) from class codes and masks.

    >>> subclass_text([3, 1, 4], [quality_bit("nr") | quality_bit("eh"), 0, 1]).tolist()
    ['S3-nr,eh', 'S1', 'N-tc']
    """
    shape = np.shape(codes)
    codes = np.asarray(codes).ravel()
    masks = np.asarray(masks).ravel()
    cache: dict[tuple[int, int], str] = {}
    out = np.empty(codes.shape, dtype=object)
    for i, key in enumerate(zip(codes.tolist(), masks.tolist(), strict=True)):
        text = cache.get(key)
        if text is None:
            label = CLASS_LABELS[key[0]]
            limits = [q for b, q in enumerate(QUALITIES) if key[1] >> b & 1]
            text = f"{label}-{','.join(limits)}" if limits else label
            cache[key] = text
        out[i] = text
    return out.reshape(shape)
