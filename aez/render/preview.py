"""An overview map of a demo region: relief, water, kecamatan, roads, markets and port.

The map is drawn with matplotlib's object API on the Agg canvas (no global
state, no display needed) and written as one PNG, its words in Indonesian or
English from :mod:`aez.words`. Its relief tints, north
arrow and scale bar are those of the atlas maps (:mod:`aez.render.furniture`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from rasterio.enums import Resampling

from aez.io import atomic_output, read_vector
from aez.render.cartography import FONT, INK, Sheet, ground_width
from aez.render.furniture import north_arrow, scale_bar
from aez.render.mapdata import RELIEF
from aez.words import DEFAULT_LANGUAGE, Language, word

__all__ = ["render_preview"]

ROAD_STYLE = {  # class: (colour, width, z-order)
    "arteri": ("#c0392b", 2.4, 8), "kolektor": ("#e67e22", 1.5, 7),
    "lokal": ("#8d6e63", 0.9, 6), "jalan_desa": ("#9e9e9e", 0.5, 5),
}
MARKET_STYLE = {  # kind: (marker, size, colour)
    "pasar_induk": ("s", 90, "#b71c1c"),
    "pasar_kecamatan": ("^", 42, "#ef6c00"),
    "pengumpul": ("o", 14, "#6d4c41"),
}
HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


def _hillshade(z: np.ndarray, res: float, *, azimuth: float = 315.0,
               altitude: float = 45.0) -> np.ndarray:
    filled = np.where(np.isfinite(z), z, np.nanmin(z) if np.isfinite(z).any() else 0.0)
    gy, gx = np.gradient(filled, res)
    slope = np.arctan(np.hypot(gx, gy) * 2.0)  # exaggerated 2× for legibility
    aspect = np.arctan2(-gx, gy)
    az, alt = np.radians(azimuth), np.radians(altitude)
    shade = np.sin(alt) * np.cos(slope) + np.cos(alt) * np.sin(slope) * np.cos(az - aspect)
    return np.clip(shade, 0.0, 1.0)


def _read_dem(path: Path, max_cols: int = 1600) -> tuple[np.ndarray, tuple, float, Any]:
    with rasterio.open(path) as src:
        step = max(1, int(np.ceil(src.width / max_cols)))
        shape = (src.height // step, src.width // step)
        z = src.read(1, out_shape=shape, resampling=Resampling.average, masked=True)
        extent = (src.bounds.left, src.bounds.right, src.bounds.bottom, src.bounds.top)
        res = src.res[0] * src.width / shape[1]
        crs = src.crs
    return np.ma.filled(z.astype(np.float64), np.nan), extent, res, crs


def _title(outdir: Path, lang: Language) -> str:
    config = outdir / "config.toml"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    name = re.search(r'Synthetic demo kabupaten "([^"]+)"', text)
    seed = re.search(r"seed (\d+)", text)
    where = f"Kabupaten {name.group(1)}" if name else word("preview.demo_region", lang)
    return word("preview.title", lang, where=where,
                seed=f" (seed {seed.group(1)})" if seed else "")


def _furniture(fig: Figure, ax: Axes, extent: tuple, crs: Any, lang: Language) -> None:
    """Draw the scale bar (bottom left) and north arrow (top right) over the map, with a halo."""
    ax.apply_aspect()  # the map's box as drawn, to measure it in inches
    box = ax.get_position()
    width, height = box.width * fig.get_figwidth(), box.height * fig.get_figheight()
    sheet = Sheet(fig, 0.0, 0.0, over=ax)
    scale_bar(sheet, x=0.3, y=0.3, width=width / 5,
              metres_per_inch=ground_width(extent, crs) / width, lang=lang, font=FONT,
              ink=INK, effects=HALO)
    north_arrow(sheet, x=width - 0.45, y=height - 0.95, label=word("map.north", lang), font=FONT,
                ink=INK, effects=HALO)


def render_preview(outdir: str | Path, path: str | Path, *, overwrite: bool = False,
                   dpi: int = 130, lang: Language = DEFAULT_LANGUAGE) -> Path:
    """Draw the overview map of the demo region in ``outdir`` to ``path`` (PNG).

    Parameters
    ----------
    outdir : path
        Folder written by :func:`aez.demo.write_demo_region`.
    path : path
        Output PNG.
    overwrite : bool, default False
    dpi : int, default 130
    lang : {"id", "en"}, default "id"
        Language of the title and legend.
    """
    outdir, path = Path(outdir), Path(path)
    z, extent, res, crs = _read_dem(outdir / "terrain" / "dem.tif")
    kecamatan = read_vector(outdir / "kecamatan.gpkg")
    towns = read_vector(outdir / "kota.gpkg")
    rivers = read_vector(outdir / "water" / "rivers.gpkg")
    lakes = read_vector(outdir / "water" / "lakes.gpkg")
    roads = read_vector(outdir / "infrastructure" / "roads.gpkg")
    markets = read_vector(outdir / "infrastructure" / "markets.gpkg")
    port = read_vector(outdir / "infrastructure" / "port.gpkg")
    status = read_vector(outdir / "landuse" / "land_status.gpkg")

    left, right, bottom, top = extent
    aspect = (top - bottom) / (right - left)
    fig = Figure(figsize=(13, 13 * aspect * 0.92 + 0.6))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.01, 0.01, 0.78, 0.94))
    ax.set_facecolor("#cfe3ef")
    zmax = float(np.nanmax(z)) if np.isfinite(z).any() else 1.0
    tint = RELIEF(np.clip(np.sqrt(np.clip(z, 0, None) / max(zmax, 1.0)), 0, 1))
    shade = _hillshade(z, res)[..., None]
    rgb = tint[..., :3] * (0.45 + 0.55 * shade)
    rgba = np.dstack([rgb, np.isfinite(z).astype(float)])
    ax.imshow(rgba, extent=extent, interpolation="bilinear", zorder=1)

    protected = status[status["status"].isin(["hutan_lindung", "hutan_konservasi"])]
    if len(protected):
        protected.plot(ax=ax, facecolor="#1b5e20", alpha=0.22, edgecolor="none", zorder=2)
    for order in sorted(rivers["order"].unique()):
        part = rivers[rivers["order"] == order]
        part.plot(ax=ax, color="#2e86c1", linewidth=0.3 + 0.45 * (order - 1), zorder=3)
    if len(lakes):
        lakes.plot(ax=ax, facecolor="#5dade2", edgecolor="#2e86c1", linewidth=0.6, zorder=4)
    kecamatan.boundary.plot(ax=ax, color="#37474f", linewidth=1.3, linestyle=(0, (6, 2, 1, 2)),
                            zorder=9)
    for kind, (colour, width, z_order) in reversed(ROAD_STYLE.items()):
        part = roads[roads["kelas"] == kind]
        if len(part):
            part.plot(ax=ax, color=colour, linewidth=width, zorder=z_order,
                      capstyle="round")
    for kind, (marker, size, colour) in MARKET_STYLE.items():
        part = markets[markets["kind"] == kind]
        if len(part):
            ax.scatter(part.geometry.x, part.geometry.y, marker=marker, s=size, c=colour,
                       edgecolors="black", linewidths=0.6, zorder=11)
    ax.scatter(port.geometry.x, port.geometry.y, marker="D", s=80, c="#0d47a1",
               edgecolors="white", linewidths=1.0, zorder=12)
    capital = towns[towns["ibukota_kabupaten"].astype(bool)]
    ax.scatter(capital.geometry.x, capital.geometry.y, marker="*", s=420, c="#ffd600",
               edgecolors="black", linewidths=0.8, zorder=10)
    for row in kecamatan.itertuples():
        point = row.geometry.representative_point()
        ax.text(point.x, point.y, row.nama, ha="center", va="center", fontsize=8.5,
                fontweight="bold", color="#263238", zorder=15, path_effects=HALO)
    for row in port.itertuples():
        ax.text(row.geometry.x, row.geometry.y - 0.012 * (top - bottom), row.nama,
                ha="center", va="top", fontsize=7, color="#0d47a1", zorder=15,
                path_effects=HALO)
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_aspect("equal")
    _furniture(fig, ax, extent, crs, lang)
    ax.set_title(_title(outdir, lang), fontsize=13, fontweight="bold", loc="left")

    handles = [
        *[Line2D([], [], color=c, linewidth=w, label=word(f"preview.road.{k}", lang))
          for k, (c, w, _) in ROAD_STYLE.items()],
        Line2D([], [], color="#2e86c1", linewidth=1.5, label=word("preview.river", lang)),
        Patch(facecolor="#5dade2", edgecolor="#2e86c1", label=word("preview.lake", lang)),
        Patch(facecolor="#1b5e20", alpha=0.3, edgecolor="none",
              label=word("preview.protected", lang)),
        Line2D([], [], color="#37474f", linewidth=1.3, linestyle=(0, (6, 2, 1, 2)),
               label=word("map.boundary", lang)),
        *[Line2D([], [], marker=m, linestyle="none", markersize=np.sqrt(s), color=c,
                 markeredgecolor="black", label=word(f"preview.market.{kind}", lang))
          for kind, (m, s, c) in MARKET_STYLE.items()],
        Line2D([], [], marker="D", linestyle="none", markersize=8, color="#0d47a1",
               label=word("preview.port", lang)),
        Line2D([], [], marker="*", linestyle="none", markersize=15, color="#ffd600",
               markeredgecolor="black", label=word("preview.capital", lang)),
    ]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.80, 0.95), frameon=False,
               fontsize=9, title=word("map.legend", lang),
               title_fontproperties={"weight": "bold"})
    cax = fig.add_axes((0.82, 0.12, 0.02, 0.3))
    gradient = np.linspace(0, 1, 256)[:, None]
    cax.imshow(RELIEF(gradient[::-1]), aspect="auto",
               extent=(0, 1, 0, zmax))
    ticks = [t for t in (0, 10, 50, 100, 250, 500, 1000, 2000) if t <= zmax]
    cax.set_yticks([zmax * np.sqrt(t / zmax) for t in ticks], [f"{t:g}" for t in ticks])
    cax.set_xticks([])
    cax.set_title(word("preview.elevation", lang), fontsize=9, loc="left")
    fig.text(0.80, 0.03, word("preview.synthetic", lang), fontsize=8, color="#555555")
    with atomic_output(path, overwrite=overwrite) as tmp:
        fig.savefig(tmp, dpi=dpi, format="png")
    return path
