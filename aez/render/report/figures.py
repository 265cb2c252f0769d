"""The report's figures: PNG maps sized for the screen, embedded, linked to their full files.

An atlas map is drawn for print (1,700 px wide and more). The report embeds a
copy no wider than :data:`SCREEN_WIDTH` px with at most :data:`FIGURE_COLOURS`
colours (:func:`screen_png`); the maps per commodity, of which a run has two
per crop, get :data:`CROP_MAP_WIDTH` px and :data:`CROP_MAP_COLOURS` colours,
which keeps the report of a 30-crop run under 4 MB. Every flat colour of a map
(class fills, legend keys, boundaries) is kept exactly; only the shades of
anti-aliased edges and text are merged. Each figure links to its
full-resolution file by a path relative to the report.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from aez.errors import DataSourceError

__all__ = ["CROP_MAP_COLOURS", "CROP_MAP_WIDTH", "FIGURE_COLOURS", "SCREEN_WIDTH", "Figures",
           "screen_png"]

#: Figures wider than this (px) are scaled down for the report, to this many colours at most.
SCREEN_WIDTH = 1000
FIGURE_COLOURS = 64
#: Width (px) and number of colours of the embedded maps per commodity.
CROP_MAP_WIDTH = 800
CROP_MAP_COLOURS = 32
_PNG = b"\x89PNG\r\n\x1a\n"


class Figures:
    """Embeds the context's PNG figures as data URIs, numbering them in order of use.

    Parameters
    ----------
    paths : mapping of str to Path
        PNG figure by key.
    t : dict of str to str
        The report's words in its language.
    base : Path, optional
        Folder of the report: each figure then links to its file, relative
        to it. None: no links.
    on_embed : callable, optional
        ``on_embed(n)`` after the n-th figure is embedded (progress bars).
    """

    def __init__(self, paths: Mapping[str, Path], t: dict[str, str],
                 base: Path | None = None,
                 on_embed: Callable[[int], None] | None = None) -> None:
        self.paths, self.t, self.base, self.count = paths, t, base, 0
        self.on_embed, self.embedded = on_embed, 0
        self._ready: dict[tuple[str, int, int], bytes] = {}

    def prepare(self, keys: Iterable[str], *, width: int = SCREEN_WIDTH,
                colours: int = FIGURE_COLOURS) -> None:
        """Make the screen copies of ``keys`` now, side by side on threads.

        Pillow releases the GIL while it scales, reduces and encodes. :meth:`get`
        then takes the copies as made: the same bytes it would make itself, one
        figure at a time.
        """
        todo = [k for k in dict.fromkeys(keys) if k in self.paths]

        def make(key: str) -> bytes:
            return screen_png(_png_bytes(Path(self.paths[key])), width, colours=colours)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for key, data in zip(todo, pool.map(make, todo), strict=True):
                self._ready[(key, width, colours)] = data

    def next_number(self) -> int:
        """Count one more figure and return its number (1, 2, …)."""
        self.count += 1
        return self.count

    def get(self, key: str, caption: str, *, numbered: bool = True, width: int = SCREEN_WIDTH,
            colours: int = FIGURE_COLOURS, **fields: str) -> dict[str, Any] | None:
        """Return the figure ``key`` for the template, or None when the context has none.

        Returns a dict of ``src`` (data URI of :func:`screen_png` with
        ``width`` and ``colours``), ``width``, ``height`` (px), ``caption``
        (word ``caption`` filled with ``fields`` and, when ``numbered``, the
        next figure number ``n``), ``number`` (that number or None) and
        ``full`` (relative link to the full file, or "").
        """
        if key not in self.paths:
            return None
        path = Path(self.paths[key])
        data = self._ready.pop((key, width, colours), None) or \
            screen_png(_png_bytes(path), width, colours=colours)
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
        number = self.next_number() if numbered else None
        text = (self.t[caption].format(n=number, **fields) if numbered
                else self.t[caption].format(**fields))
        self.embedded += 1
        if self.on_embed is not None:
            self.on_embed(self.embedded)
        return {"src": "data:image/png;base64," + base64.b64encode(data).decode("ascii"),
                "width": width, "height": height, "caption": text, "full": self._link(path),
                "number": number}

    def _link(self, path: Path) -> str:
        if self.base is None:
            return ""
        try:
            return Path(os.path.relpath(path.resolve(), self.base.resolve())).as_posix()
        except ValueError:  # another drive
            return ""


def _png_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise DataSourceError(f"Report figure {path} does not exist; render the maps first or "
                              "leave the figure out.")
    data = path.read_bytes()
    if not data.startswith(_PNG):
        raise DataSourceError(f"Report figure {path} is not a PNG file; the report embeds PNG "
                              "only. Save the figure as PNG.")
    return data


def screen_png(data: bytes, width: int, *, colours: int = 256) -> bytes:
    """Return a PNG for the screen: at most ``width`` px wide and at most ``colours`` colours.

    A wider image is scaled down with a box filter (each new pixel is the
    mean of those it covers: right for maps of flat class colours) and laid
    over white if transparent. An image of at most ``colours`` colours keeps
    them all. Otherwise the palette is its *flat* colours first (those that
    fill a 3 × 3 block somewhere: class fills, legend keys, lines; the most
    common first), then median-cut colours for the remaining places, and each
    pixel takes the nearest (no dithering). So a legend key keeps its colour
    however small its area. The same input always gives the same bytes.

    Parameters
    ----------
    data : bytes
        A PNG file.
    width : int
        Largest width, in px.
    colours : int
        Largest number of colours, 2 to 256.

    Returns
    -------
    bytes
        A PNG file.

    Examples
    --------
    >>> from PIL import Image
    >>> out = io.BytesIO()
    >>> Image.new("RGB", (2400, 1200), "#4e79a7").save(out, format="PNG")
    >>> with Image.open(io.BytesIO(screen_png(out.getvalue(), 1000))) as small:
    ...     small.size, small.mode, small.convert("RGB").getpixel((0, 0))
    ((1000, 500), 'P', (78, 121, 167))
    """
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if "A" in image.getbands() or (image.mode == "P" and "transparency" in image.info):
            rgba = image.convert("RGBA")
            rgb = Image.new("RGB", rgba.size, (255, 255, 255))
            rgb.paste(rgba, mask=rgba.getchannel("A"))
        else:
            rgb = image.convert("RGB")
    if rgb.width > width:
        rgb = rgb.resize((width, max(1, round(rgb.height * width / rgb.width))),
                         Image.Resampling.BOX)
    found = rgb.getcolors(maxcolors=colours)
    if found is not None:  # few colours: an exact palette
        chosen: list[tuple[int, int, int]] = sorted(c for _, c in found)  # type: ignore[misc]
    else:
        chosen = _flat_colours(np.asarray(rgb))[:colours]
        spare = colours - len(chosen)
        if spare > 0:
            cut = rgb.quantize(colors=spare, method=Image.Quantize.MEDIANCUT,
                               dither=Image.Dither.NONE).getpalette() or []
            chosen += [(cut[i], cut[i + 1], cut[i + 2]) for i in range(0, 3 * spare, 3)
                       if i + 2 < len(cut)]
    palette = Image.new("P", (1, 1))
    palette.putpalette([v for c in chosen for v in c])
    small = rgb.quantize(palette=palette, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _flat_colours(rgb: np.ndarray) -> list[tuple[int, int, int]]:
    """Colours that fill at least one 3 × 3 block of ``rgb`` (H × W × 3), most common first."""
    packed = (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8) \
        | rgb[..., 2].astype(np.uint32)
    if packed.shape[0] < 3 or packed.shape[1] < 3:
        return []
    centre = packed[1:-1, 1:-1]
    flat = np.ones(centre.shape, dtype=bool)
    for dy in range(3):
        for dx in range(3):
            flat &= packed[dy:dy + centre.shape[0], dx:dx + centre.shape[1]] == centre
    values, counts = np.unique(centre[flat], return_counts=True)
    order = np.lexsort((values, -counts))
    return [(int(v) >> 16, (int(v) >> 8) & 255, int(v) & 255) for v in values[order]]
