"""Frame elements of an atlas page: layout, side panel, legends and labels.

A page is a map frame on the left and a side panel (cartouche) on the right,
as on Indonesian thematic maps (*peta tematik*): title and region at the top,
the legend under them, and at the bottom the north arrow, the scale bar, the
coordinate reference system, the source line and the date. Everything is
drawn with matplotlib's object API on an Agg canvas, in the bundled DejaVu
Sans font, so the same inputs give the same bytes on any machine.

The side panel is laid out before the figure exists (its blocks are
measured in the map font), so the page is made tall enough for its legend;
it is drawn in an axes whose data units are inches. Its north arrow and
scale bar come from :mod:`aez.render.furniture`.

>>> format_number(12345.6, "id"), format_number(12345.6, "en", decimals=1)
('12.346', '12,345.6')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyproj
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Affine2D, BboxTransformTo, ScaledTranslation
from PIL import Image

from aez.io.atomic import atomic_output, check_output_path
from aez.render.furniture import north_arrow, scale_bar

__all__ = [
    "DPI",
    "FONT",
    "LOCATOR_HEIGHT",
    "Entry",
    "Page",
    "Ramp",
    "Sheet",
    "SidePanel",
    "agg_canvas",
    "blank_figure",
    "crs_label",
    "format_number",
    "format_percent",
    "frame_pixels",
    "frame_size",
    "ground_width",
    "halo",
    "inch_axes",
    "map_aspect",
    "map_frame",
    "new_page",
    "ramp_legend",
    "save_figure",
    "side_panel",
    "swatch_legend",
    "text_width",
    "wrap",
]

Language = Literal["id", "en"]

#: Font of every text: bundled with matplotlib, so output does not depend on system fonts.
FONT = "DejaVu Sans"
INK = "#222222"
MUTED = "#555555"
RULE = "#9e9e9e"
#: Resolution of the PNG maps (dots per inch).
DPI = 140

#: Page geometry in inches: outer margin, gap between frame and panel, panel width,
#: the largest map frame and the smallest page body height.
MARGIN, GAP, PANEL_WIDTH = 0.3, 0.22, 3.3
MAP_MAX_WIDTH, MAP_MAX_HEIGHT, MIN_BODY_HEIGHT = 8.0, 6.6, 6.2

_TEXT_TO_PATH = TextToPath()
_PDF_METADATA = {"Creator": None, "Producer": None, "CreationDate": None}


def halo(width: float = 2.6, colour: str = "white") -> list[patheffects.AbstractPathEffect]:
    """Path effects drawing a halo of ``width`` points around text, for labels over a map."""
    return [patheffects.withStroke(linewidth=width, foreground=colour)]


def crs_label(crs: Any) -> str:
    """Human-readable name of a CRS with its EPSG code when it has one.

    Parameters
    ----------
    crs : anything pyproj understands
        A ``pyproj.CRS``, a ``rasterio.crs.CRS``, ``"EPSG:32750"``, WKT...

    Examples
    --------
    >>> crs_label("EPSG:32750")
    'WGS 84 / UTM zone 50S (EPSG:32750)'
    >>> crs_label("EPSG:4326")
    'WGS 84 (EPSG:4326)'
    """
    value = crs.to_wkt() if hasattr(crs, "to_wkt") else crs
    parsed = pyproj.CRS.from_user_input(value)
    code = parsed.to_epsg()
    return f"{parsed.name} (EPSG:{code})" if code else parsed.name


def format_percent(share: float, lang: Language) -> str:
    """Format a share (0–1) as a whole percentage; a small non-zero share reads ``< 1 %``.

    >>> format_percent(0.004, "id"), format_percent(0.126, "en"), format_percent(0, "en")
    ('< 1 %', '13 %', '0 %')
    """
    if 0 < share < 0.005:
        return "< 1 %"
    return f"{format_number(100 * share, lang)} %"


def format_number(value: float, lang: Language, *, decimals: int = 0) -> str:
    """Format a number with the thousands and decimal separators of ``lang``.

    Indonesian writes ``12.345,6``; English ``12,345.6``.

    >>> format_number(0.25, "id", decimals=1)
    '0,2'
    """
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


@lru_cache(maxsize=4096)
def text_width(text: str, size_pt: float, *, weight: str = "normal") -> float:
    """Width in inches of one line of ``text`` in the map font at ``size_pt``."""
    prop = FontProperties(family=FONT, size=size_pt, weight=weight)
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return float(width) / 72


def wrap(text: str, width_in: float, size_pt: float, *, weight: str = "normal") -> str:
    """Break ``text`` between words so that no line is wider than ``width_in`` inches.

    Widths are measured in the map font; a single word wider than the line
    stays whole.
    """
    lines: list[str] = []
    limit = 0.95 * width_in  # Agg's hinted glyphs run a little wider than the outlines
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size_pt, weight=weight) <= limit:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def ground_width(extent: Sequence[float], crs: Any) -> float:
    """Ground distance in metres across the middle of ``extent`` (xmin, xmax, ymin, ymax).

    Geodesic on the CRS's ellipsoid for a geographic CRS; the projected
    distance times the CRS's linear unit otherwise.
    """
    xmin, xmax, ymin, ymax = extent
    parsed = pyproj.CRS.from_user_input(crs.to_wkt() if hasattr(crs, "to_wkt") else crs)
    if parsed.is_geographic:
        geod = parsed.get_geod() or pyproj.Geod(ellps="WGS84")
        mid = (ymin + ymax) / 2
        return float(geod.line_length([xmin, xmax], [mid, mid]))
    units = parsed.axis_info[0].unit_conversion_factor if parsed.axis_info else 1.0
    return float(xmax - xmin) * units


def map_aspect(extent: Sequence[float], crs: Any) -> float:
    """Height / width of the map frame for ``extent`` (shrinks longitude by cos(latitude))."""
    xmin, xmax, ymin, ymax = extent
    parsed = pyproj.CRS.from_user_input(crs.to_wkt() if hasattr(crs, "to_wkt") else crs)
    stretch = 1.0
    if parsed.is_geographic:
        stretch = 1.0 / max(math.cos(math.radians((ymin + ymax) / 2)), 0.05)
    return (ymax - ymin) * stretch / (xmax - xmin)


@dataclass
class Entry:
    """One legend row: a swatch (or a line), a label and an optional right-hand value."""

    label: str
    colour: str | None = None
    value: str = ""
    hatch: str | None = None
    line: dict[str, Any] | None = None
    edge: str = "#555555"


class Sheet:
    """A drawing surface in inches from ``(left, bottom)`` on a figure, without an Axes.

    It has the few methods of an Axes the side panel uses (``text``, ``plot``,
    ``add_patch``); artists go straight onto the figure, which is much cheaper
    than an Axes with its ticks and spines. With ``over``, inches count from
    the lower-left corner of that axes (where it is drawn) instead of the
    figure's, e.g. for furniture over a map.
    """

    def __init__(self, fig: Figure, left: float, bottom: float, *,
                 over: Axes | None = None) -> None:
        self.fig = fig
        self.left, self.bottom = left, bottom
        self.transform = Affine2D().translate(left, bottom) + fig.dpi_scale_trans
        if over is not None:
            self.transform = self.transform + ScaledTranslation(0, 0, BboxTransformTo(over.bbox))

    def text(self, x: float, y: float, text: str, **kw: Any) -> Text:
        """Add ``text`` at (``x``, ``y``) inches, with :meth:`Figure.text` keywords."""
        return self.fig.text(x, y, text, transform=self.transform, **kw)

    def plot(self, xs: Sequence[float], ys: Sequence[float], **kw: Any) -> Line2D:
        """Draw a line through ``xs``, ``ys`` (inches), with :class:`Line2D` keywords."""
        line = Line2D(xs, ys, transform=self.transform, **kw)
        self.fig.add_artist(line)
        return line

    def add_patch(self, patch: Patch) -> Patch:
        """Add ``patch``, its coordinates taken in inches."""
        patch.set_transform(self.transform)
        self.fig.add_artist(patch)
        return patch


_Draw = Callable[[Sheet, float], None]
#: Height (inches) of the locator inset in the side panel, and of its caption.
LOCATOR_HEIGHT, _CAPTION = 1.3, 0.2


@dataclass
class SidePanel:
    """The cartouche beside the map, laid out before the page exists.

    Blocks (title, headings, legend rows, notes) are stacked from the top and
    measured as they are added, so the page can be made tall enough for them;
    the footer (north arrow, scale bar, CRS, source, date) sits at the bottom.
    Coordinates are inches from the panel's lower-left corner.
    """

    width: float = PANEL_WIDTH
    pad: float = 0.16
    _blocks: list[tuple[float, _Draw]] = field(default_factory=list)
    _footer: tuple[str, Language, list[str]] | None = None
    _locator: tuple[Callable[[Axes], None], str] | None = None

    @property
    def inner(self) -> float:
        """Usable width inside the padding (inches)."""
        return self.width - 2 * self.pad

    @property
    def height(self) -> float:
        """Height the blocks and the footer need (inches)."""
        return 2 * self.pad + sum(h for h, _ in self._blocks) + self._footer_height() + 0.2

    def _add(self, height: float, draw: _Draw) -> None:
        self._blocks.append((height, draw))

    def _text(self, ax: Sheet, x: float, y: float, text: str, **kw: Any) -> Text:
        kw.setdefault("fontfamily", FONT)
        kw.setdefault("color", INK)
        return ax.text(x, y, text, **kw)

    def title(self, title: str, subtitle: str) -> None:
        """Map title (bold 13 pt, wrapped) and the region under it, then a rule."""
        title = wrap(title, self.inner, 13, weight="bold")
        subtitle = wrap(subtitle, self.inner, 10)
        t_h = _lines(title) * 13 * 1.2 / 72
        s_h = _lines(subtitle) * 10 * 1.25 / 72

        def draw(ax: Sheet, top: float) -> None:
            self._text(ax, self.pad, top, title, fontsize=13, fontweight="bold", va="top",
                       linespacing=1.2)
            self._text(ax, self.pad, top - t_h - 0.08, subtitle, fontsize=10, va="top",
                       color=MUTED, linespacing=1.25)
            y = top - t_h - s_h - 0.2
            ax.plot([self.pad, self.width - self.pad], [y, y], color=RULE, linewidth=0.6)

        self._add(t_h + s_h + 0.36, draw)

    def heading(self, text: str) -> None:
        """Add a bold upper-case block heading, wrapped to the panel's width."""
        text = wrap(text.upper(), self.inner, 8.5, weight="bold")

        def draw(ax: Sheet, top: float) -> None:
            self._text(ax, self.pad, top, text, fontsize=8.5, fontweight="bold",
                       va="top", linespacing=1.2)

        self._add(0.27 + (_lines(text) - 1) * 8.5 * 1.2 / 72, draw)

    def space(self, inches: float = 0.12) -> None:
        """Vertical space between blocks."""
        self._add(inches, lambda ax, top: None)

    def note(self, text: str, *, size: float = 7.5) -> None:
        """Add a wrapped paragraph in the muted colour."""
        text = wrap(text, self.inner, size)

        def draw(ax: Sheet, top: float) -> None:
            self._text(ax, self.pad, top, text, fontsize=size, va="top", color=MUTED,
                       linespacing=1.25)

        self._add(_lines(text) * size * 1.3 / 72 + 0.08, draw)

    def entries(self, rows: Sequence[Entry], *, row: float = 0.235) -> None:
        """Legend rows: swatch 0.3 × 0.17 in, label (wrapped), and the value right-aligned."""
        sw, sh = 0.3, 0.17
        for entry in rows:
            value_width = text_width(entry.value, 7.5) + 0.12 if entry.value else 0.0
            label = wrap(entry.label, self.inner - sw - 0.12 - value_width, 8)
            extra = _lines(label) - 1

            def draw(ax: Sheet, top: float, entry: Entry = entry, label: str = label,
                     extra: int = extra) -> None:
                y = top - sh / 2 - extra * 0.065
                if entry.line is not None:
                    ax.plot([self.pad, self.pad + sw], [y, y], **entry.line)
                else:
                    ax.add_patch(Rectangle(
                        (self.pad, y - sh / 2), sw, sh, facecolor=entry.colour or "none",
                        edgecolor=entry.edge, linewidth=0.5, hatch=entry.hatch))
                self._text(ax, self.pad + sw + 0.1, y, label, fontsize=8, va="center",
                           linespacing=1.1)
                if entry.value:
                    self._text(ax, self.width - self.pad, y, entry.value, fontsize=7.5,
                               va="center", ha="right", color=MUTED)

            self._add(row + extra * 0.13, draw)

    def steps(self, colours: Sequence[str], labels: Sequence[str]) -> None:
        """Add a horizontal bar of discrete colour steps with labels at the step edges."""
        n, width = len(colours), self.inner

        def draw(ax: Sheet, top: float) -> None:
            for i, colour in enumerate(colours):
                ax.add_patch(Rectangle((self.pad + i * width / n, top - 0.2), width / n, 0.2,
                                       facecolor=colour, edgecolor="#555555", linewidth=0.5))
            for i, label in enumerate(labels):
                x = self.pad + i * width / (len(labels) - 1)
                ha = "left" if i == 0 else "right" if i == len(labels) - 1 else "center"
                self._text(ax, x, top - 0.26, label, fontsize=7.5, va="top", ha=ha)

        self._add(0.5, draw)

    def footer(self, *, north: str, lang: Language, notes: Sequence[str]) -> None:
        """North arrow, scale bar and notes (CRS, source, date) at the bottom of the panel."""
        self._footer = (north, lang, [wrap(n, self.inner, 7) for n in notes])

    def locator(self, draw: Callable[[Axes], None], caption: str) -> None:
        """Add a locator inset above the footer, :data:`LOCATOR_HEIGHT` inches tall.

        ``draw`` is called with the inset's axes (the panel's inner width wide,
        framed, without ticks); ``caption`` is written under it.
        """
        self._locator = (draw, wrap(caption, self.inner, 7.5))

    def _locator_height(self) -> float:
        if self._locator is None:
            return 0.0
        return LOCATOR_HEIGHT + _lines(self._locator[1]) * _CAPTION + 0.12

    def _footer_height(self) -> float:
        if self._footer is None:
            return self._locator_height()
        return (sum(_lines(n) * 7 * 1.3 / 72 + 0.05 for n in self._footer[2]) + 1.05
                + self._locator_height())

    def draw(self, ax: Sheet, height: float, *, metres_per_inch: float) -> None:
        """Draw every block from the top of a panel ``height`` inches tall, and the footer."""
        top = height - self.pad
        for block_height, draw in self._blocks:
            draw(ax, top)
            top -= block_height
        if self._footer is None:
            return
        north, lang, notes = self._footer
        y = self.pad
        for text in reversed(notes):
            h = _lines(text) * 7 * 1.3 / 72 + 0.05
            self._text(ax, self.pad, y + h - 0.05, text, fontsize=7, va="top", color=MUTED,
                       linespacing=1.25)
            y += h
        y += 0.1
        ax.plot([self.pad, self.width - self.pad], [y, y], color=RULE, linewidth=0.6)
        base = y + 0.22
        north_arrow(ax, x=self.pad + 0.22, y=base, label=north, font=FONT, ink=INK)
        scale_bar(ax, x=self.pad + 0.75, y=base + 0.12, width=self.inner - 0.85,
                  metres_per_inch=metres_per_inch, lang=lang, font=FONT, ink=INK)
        if self._locator is not None:
            draw_locator, caption = self._locator
            low = y + 0.95  # above the north arrow's letter
            self._text(ax, self.pad, low + _lines(caption) * _CAPTION - 0.03, caption,
                       fontsize=7.5, va="top", color=MUTED, linespacing=1.25)
            inset = inch_axes(ax.fig, (ax.left + self.pad,
                                       ax.bottom + low + _lines(caption) * _CAPTION,
                                       self.inner, LOCATOR_HEIGHT))
            draw_locator(inset)


def _lines(text: str) -> int:
    return text.count("\n") + 1


@dataclass
class Page:
    """A figure with its map frame (``ax``, data coordinates, showing ``extent``)."""

    fig: Figure
    ax: Axes
    metres_per_inch: float
    extent: tuple[float, float, float, float]


def frame_size(extent: Sequence[float], crs: Any, *, body: float | None = None
               ) -> tuple[float, float]:
    """(width, height) in inches that ``extent`` takes in its map frame.

    Without ``body``, the map fits in :data:`MAP_MAX_WIDTH` × :data:`MAP_MAX_HEIGHT`;
    with it, in the :func:`new_page` frame of that body height.
    """
    aspect = map_aspect(extent, crs)
    box_height = MAP_MAX_HEIGHT if body is None else body
    width, height = MAP_MAX_WIDTH, MAP_MAX_WIDTH * aspect
    if height > box_height:
        height, width = box_height, box_height / aspect
    return width, height


def frame_pixels(extent: Sequence[float], crs: Any, *, dpi: int = DPI,
                 limit: int = 1600, body: float | None = None) -> tuple[int, int]:
    """(rows, cols) of PNG pixels of the map over ``extent``, at most ``limit`` each.

    ``body`` as in :func:`frame_size`.
    """
    width, height = frame_size(extent, crs, body=body)
    return min(limit, math.ceil(height * dpi)), min(limit, math.ceil(width * dpi))


def new_page(extent: Sequence[float], crs: Any, panel: SidePanel, *,
             body: float | None = None, dpi: int = DPI) -> Page:
    """Make a figure with the map frame for ``extent`` and the laid-out ``panel`` beside it.

    The frame is always :data:`MAP_MAX_WIDTH` inches wide and ``body`` inches
    tall (by default as tall as the map needs at that width, at least
    :data:`MIN_BODY_HEIGHT`); a panel taller than ``body`` makes the page taller.
    So maps of one kind drawn with the same ``body`` have the same size
    whatever their region and legend. The map keeps its true aspect: the
    frame shows more around it, above and below or left and right (see
    ``Page.extent``).
    """
    xmin, xmax, ymin, ymax = extent
    aspect = map_aspect(extent, crs)
    width = MAP_MAX_WIDTH
    need = max(width * aspect, MIN_BODY_HEIGHT) if body is None else body
    body = max(need, panel.height)
    if body / width >= aspect:
        grow = (ymax - ymin) * (body / width / aspect - 1) / 2
        extent = (xmin, xmax, ymin - grow, ymax + grow)
    else:
        grow = (xmax - xmin) * (aspect * width / body - 1) / 2
        extent = (xmin - grow, xmax + grow, ymin, ymax)
    fig = blank_figure(width, body, dpi=dpi)
    ax = map_frame(fig, (MARGIN, MARGIN, width, body), extent)
    metres_per_inch = ground_width(extent, crs) / width
    side_panel(fig, panel, left=MARGIN + width + GAP, body=body,
               metres_per_inch=metres_per_inch)
    return Page(fig, ax, metres_per_inch, extent)


def agg_canvas(fig: Figure) -> FigureCanvasAgg:
    """Return the figure's Agg canvas (attached by :func:`blank_figure`)."""
    canvas = fig.canvas
    return canvas if isinstance(canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


def blank_figure(content_width: float, body: float, *, dpi: int = DPI) -> Figure:
    """Make a white figure (Agg canvas) with ``content_width`` inches of maps beside the panel."""
    fig = Figure(figsize=(MARGIN + content_width + GAP + PANEL_WIDTH + MARGIN,
                          body + 2 * MARGIN), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def inch_axes(fig: Figure, rect: Sequence[float], *, frame: bool = True) -> Axes:
    """Axes at ``rect`` = (left, bottom, width, height) in inches, without ticks."""
    fig_w, fig_h = fig.get_size_inches()
    left, bottom, width, height = rect
    ax = fig.add_axes((left / fig_w, bottom / fig_h, width / fig_w, height / fig_h))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(frame)
        spine.set_linewidth(0.9)
        spine.set_color(INK)
    return ax


def map_frame(fig: Figure, rect: Sequence[float], extent: Sequence[float]) -> Axes:
    """Add a map axes at ``rect`` (inches) showing ``extent`` (xmin, xmax, ymin, ymax)."""
    ax = inch_axes(fig, rect)
    xmin, xmax, ymin, ymax = extent
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_facecolor("white")
    return ax


def side_panel(fig: Figure, panel: SidePanel, *, left: float, body: float,
               metres_per_inch: float) -> Sheet:
    """Draw ``panel`` in a framed box from ``left`` inches, ``body`` inches tall."""
    sheet = Sheet(fig, left, MARGIN)
    sheet.add_patch(Rectangle((0, 0), panel.width, body, facecolor="none", edgecolor=INK,
                              linewidth=0.9))
    panel.draw(sheet, body, metres_per_inch=metres_per_inch)
    return sheet


def save_figure(fig: Figure, out_base: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Write ``out_base.png`` and ``out_base.pdf``, each atomically, with no time stamps.

    The PNG is the Agg canvas as 8-bit RGB (zlib level 3, with its dpi and no
    other chunk); the PDF has no producer or creation date. The same figure
    thus gives the same bytes. Both paths are checked before either is written.
    """
    out_base = Path(out_base)
    png, pdf = (out_base.with_name(out_base.name + ext) for ext in (".png", ".pdf"))
    for path in (png, pdf):
        check_output_path(path, overwrite=overwrite)
    canvas = agg_canvas(fig)
    canvas.draw()
    rgb = np.ascontiguousarray(np.asarray(canvas.buffer_rgba())[..., :3])
    with atomic_output(png, overwrite=overwrite) as tmp:
        Image.fromarray(rgb).save(tmp, format="png", compress_level=3, dpi=(fig.dpi, fig.dpi))
    with atomic_output(pdf, overwrite=overwrite) as tmp:
        fig.savefig(tmp, format="pdf", metadata=_PDF_METADATA, facecolor="white")
    return [png, pdf]


# -- legends under a map panel ------------------------------------------------------------------


@dataclass(frozen=True)
class Ramp:
    """A continuous legend: colour map, value range and where a value sits on the bar (0–1)."""

    cmap: Colormap
    low: float
    high: float
    sqrt: bool = False

    def position(self, value: float) -> float:
        """Return where ``value`` sits on the bar (0–1), on a square-root scale if ``sqrt``."""
        frac = (value - self.low) / (self.high - self.low)
        return math.sqrt(max(frac, 0.0)) if self.sqrt else frac


def ramp_legend(ax: Axes, ramp: Ramp, *, width: float, lang: Language) -> None:
    """Draw a colour bar ``width`` inches wide under the top of ``ax`` (inch units), with ticks."""
    ax.imshow(ramp.cmap(np.linspace(0, 1, 256)[None, :]), extent=(0, width, -0.18, -0.04),
              aspect="auto", interpolation="bilinear")
    ax.add_patch(Rectangle((0, -0.18), width, 0.14, facecolor="none", edgecolor="#555555",
                           linewidth=0.4))
    ticks = [t for t in MaxNLocator(5).tick_values(ramp.low, ramp.high)
             if ramp.low <= t <= ramp.high]
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step))) if 0 < step < 1 else 0
    for tick in ticks:
        x = ramp.position(tick) * width
        ax.plot([x, x], [-0.18, -0.22], color=INK, linewidth=0.5)
        ax.text(x, -0.24, format_number(tick, lang, decimals=decimals), fontsize=7,
                ha="center", va="top", fontfamily=FONT, color=INK)


def swatch_legend(ax: Axes, entries: Sequence[tuple[str, str]], *, width: float) -> None:
    """(label, colour) swatches in two columns under the top of ``ax`` (inch units)."""
    per_col = max(1, math.ceil(len(entries) / 2))
    for i, (label, colour) in enumerate(entries):
        x, y = (i // per_col) * width / 2, -0.06 - (i % per_col) * 0.19
        ax.add_patch(Rectangle((x, y - 0.13), 0.22, 0.13, facecolor=colour,
                               edgecolor="#555555", linewidth=0.4))
        ax.text(x + 0.3, y - 0.065, label, fontsize=7, va="center", fontfamily=FONT,
                color=INK)
