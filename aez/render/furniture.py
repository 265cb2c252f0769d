"""The north arrow and the scale bar of a map (its furniture), drawn in inches.

Both are drawn on a :class:`Surface` whose units are inches, such as an
atlas page's side panel or a corner of a map frame
(:class:`aez.render.cartography.Sheet`), with matplotlib patches and texts
only, so the same call gives the same bytes. The scale bar shows a round
length (:func:`nice_length`) in kilometres.

>>> nice_length(23_400)
20000.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal, Protocol

from matplotlib.patches import Patch, Rectangle
from matplotlib.patches import Polygon as PolygonPatch
from matplotlib.patheffects import AbstractPathEffect
from matplotlib.text import Text

__all__ = ["Surface", "nice_length", "north_arrow", "scale_bar"]


class Surface(Protocol):
    """Where furniture is drawn: ``text`` and ``add_patch`` in inch coordinates."""

    def text(self, x: float, y: float, text: str, **kw: Any) -> Text:
        """Draw ``text`` at (``x``, ``y``) inches, with matplotlib text keywords."""
        ...

    def add_patch(self, patch: Patch) -> Patch:
        """Add ``patch``, its coordinates taken in inches."""
        ...


def nice_length(target: float) -> float:
    """Return the largest 1, 2 or 5 × 10ⁿ not above ``target`` (e.g. a scale-bar length in m).

    Parameters
    ----------
    target : float
        The longest length allowed, > 0.

    Returns
    -------
    float
        The round length.

    Raises
    ------
    ValueError
        If ``target`` is not positive.
    """
    if not target > 0:
        raise ValueError(f"scale bar target length {target!r} must be positive")
    magnitude = 10.0 ** math.floor(math.log10(target))
    return max(m * magnitude for m in (1.0, 2.0, 5.0) if m * magnitude <= target)


def north_arrow(ax: Surface, *, x: float, y: float, label: str, font: str, ink: str,
                effects: Sequence[AbstractPathEffect] = ()) -> None:
    """Draw a split arrowhead (white/ink halves) with the north letter above it.

    Parameters
    ----------
    ax : Surface
        Where to draw, in inches.
    x, y : float
        Middle of the arrow's base (inches); the arrow is 0.5 in tall, the
        letter sits above it.
    label : str
        The north letter (``"U"`` for *utara*, ``"N"``).
    font : str
        Font family of the letter.
    ink : str
        Colour of the outline, the dark half and the letter.
    effects : sequence of path effects, optional
        Drawn with the letter (e.g. a halo over a map).
    """
    h, w = 0.5, 0.16
    tip, notch = (x, y + h), (x, y + 0.14)
    ax.add_patch(PolygonPatch([tip, (x - w, y), notch], closed=True, facecolor="white",
                              edgecolor=ink, linewidth=0.7))
    ax.add_patch(PolygonPatch([tip, (x + w, y), notch], closed=True, facecolor=ink,
                              edgecolor=ink, linewidth=0.7))
    ax.text(x, y + h + 0.04, label, fontsize=11, fontweight="bold", ha="center", va="bottom",
            fontfamily=font, color=ink, **_effects(effects))


def scale_bar(ax: Surface, *, x: float, y: float, width: float, metres_per_inch: float,
              lang: Literal["id", "en"], font: str, ink: str,
              effects: Sequence[AbstractPathEffect] = ()) -> None:
    """Alternating ink/white bar of a round length, labelled 0, half and full, in km.

    Parameters
    ----------
    ax : Surface
        Where to draw, in inches.
    x, y : float
        Lower-left corner of the bar (inches); the labels sit above it and
        ``km`` to its right.
    width : float
        The longest bar allowed (inches); the bar is the longest round
        length (:func:`nice_length`) that fits.
    metres_per_inch : float
        Ground distance of one inch of the map.
    lang : {"id", "en"}
        Decimal separator of the labels (``0,5`` or ``0.5``).
    font : str
        Font family of the labels.
    ink : str
        Colour of the outline, the dark parts and the labels.
    effects : sequence of path effects, optional
        Drawn with the labels (e.g. a halo over a map).
    """
    length = nice_length(width * metres_per_inch)
    bar = length / metres_per_inch
    parts = 4
    for i in range(parts):
        ax.add_patch(Rectangle((x + i * bar / parts, y), bar / parts, 0.07,
                               facecolor=ink if i % 2 == 0 else "white", edgecolor=ink,
                               linewidth=0.6))
    for frac in (0.0, 0.5, 1.0):
        text = f"{length * frac / 1000:g}"
        text = text.replace(".", ",") if lang == "id" else text
        ax.text(x + bar * frac, y + 0.12, text, fontsize=7.5, ha="center", va="bottom",
                fontfamily=font, color=ink, **_effects(effects))
    ax.text(x + bar + 0.06, y + 0.035, "km", fontsize=7.5, va="center", fontfamily=font,
            color=ink, **_effects(effects))


def _effects(effects: Sequence[AbstractPathEffect]) -> dict[str, Any]:
    """``path_effects`` for a text, or nothing at all when there are none."""
    return {"path_effects": list(effects)} if effects else {}
