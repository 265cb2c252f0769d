"""Helpers shared by the real-region examples (04, 05): arguments, demo-region surgery.

The examples generate a demo region inside real kecamatan boundaries
(:func:`aez.demo.write_demo_region`) and then put real data in place of some of
its synthetic files. This module holds the plumbing they share:

* :func:`parse_args`: ``OUTDIR [--data PATH]``; the real inputs are the small
  extracts under the repository's ``layers/`` (``layers/PROVENANCE.md``), and a
  missing folder or file stops the script with exit status 1 and one line saying
  where it looked;
* :func:`use_real_bps_codes`: the demo invents BPS codes for real kecamatan; this
  puts the real ones (from the boundary file) into every file that carries them;
* :class:`ConfigText`: small edits of the generated ``config.toml`` (replace or
  drop a section, put a comment above one) that keep its comments.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import pyogrio

from aez.demo.write import GPKG_DATE
from aez.errors import AEZError
from aez.testing import LAYERS

if TYPE_CHECKING:
    from aez.pipeline import RunResult

#: Files of a demo region with a ``kode_bps`` column.
BPS_CODE_FILES = ("kecamatan.gpkg", "kota.gpkg", "kecamatan_crosswalk.csv",
                  "socioeconomic/penduduk.csv", "socioeconomic/sentra.csv",
                  "socioeconomic/produksi.csv", "socioeconomic/koperasi.gpkg")


def parse_args(description: str, argv: list[str] | None = None) -> tuple[Path, Path]:
    """``OUTDIR`` and the real inputs folder; exit 1 with one line if the folder is absent."""
    parser = argparse.ArgumentParser(description=description.strip().splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder to write the region and the run into")
    parser.add_argument("--data", type=Path, default=LAYERS,
                        help="the real inputs, laid out as the repository's layers/ "
                             f"(default: {LAYERS})")
    args = parser.parse_args(argv)
    if not (args.data / "PROVENANCE.md").is_file():
        print(f"error: the real inputs folder {args.data} is absent (no PROVENANCE.md); "
              "run from a clone of the aez repository or point --data at a copy of its "
              "layers/ folder.", file=sys.stderr)
        raise SystemExit(1)
    return args.outdir, args.data


def need(path: Path) -> Path:
    """``path`` if it exists; otherwise exit 1 with one line naming it."""
    if not path.exists():
        print(f"error: {path} is missing from the real inputs folder; rebuild it with "
              "layers/build.py or point --data at a complete copy of layers/.",
              file=sys.stderr)
        raise SystemExit(1)
    return path


def write_gpkg(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """Write a GeoPackage as the demo does (fixed ``last_change`` date, named layer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GPKG_DATE})
    try:
        tmp = path.with_name(f".partial-{path.name}")
        tmp.unlink(missing_ok=True)
        pyogrio.write_dataframe(frame, tmp, layer=layer, driver="GPKG")
        tmp.replace(path)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV table (UTF-8, ``\\n`` line ends, no index) under a temporary name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".partial-{path.name}")
    frame.to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(path)


def use_real_bps_codes(region: Path, boundary: gpd.GeoDataFrame, *, id_column: str,
                       bps_column: str) -> dict[str, str]:
    """Replace the demo's invented BPS kecamatan codes by the real ones in every file.

    The demo region's files are keyed by Kemendagri code (``id_column``) and by
    an invented ``kode_bps``; ``boundary`` gives the real BPS code of each
    Kemendagri code. The BPS-style workbook ``socioeconomic/produksi.xlsx`` (a
    copy of the synthetic production table under the invented codes) is removed.
    Returns invented → real code.
    """
    real = dict(zip(boundary[id_column].astype(str), boundary[bps_column].astype(str),
                    strict=True))
    crosswalk = pd.read_csv(region / "kecamatan_crosswalk.csv", dtype=str)
    invented = dict(zip(crosswalk["kode_bps"], crosswalk["kode_kemendagri"].map(real),
                        strict=True))
    if any(pd.isna(v) for v in invented.values()):
        raise SystemExit(f"error: the boundary file has no BPS code for some kecamatan of "
                         f"{region / 'kecamatan_crosswalk.csv'}.")
    for relative in BPS_CODE_FILES:
        path = region / relative
        if path.suffix == ".gpkg":
            frame = gpd.read_file(path)
            layer = pyogrio.list_layers(path)[0][0]
            frame["kode_bps"] = frame["kode_bps"].astype(str).map(invented)
            write_gpkg(frame, path, layer)
        else:
            table = pd.read_csv(path, dtype={"kode_bps": str})
            table["kode_bps"] = table["kode_bps"].map(invented)
            write_csv(table, path)
    (region / "socioeconomic" / "produksi.xlsx").unlink(missing_ok=True)
    return invented


@dataclass
class _Block:
    comments: list[str]
    header: str  # "" for the lines before the first section
    body: list[str] = field(default_factory=list)


class ConfigText:
    """A generated ``config.toml`` as sections that can be replaced, dropped or annotated.

    A section owns its header line, the lines after it, and the comment lines
    right above it.
    """

    def __init__(self, text: str) -> None:
        self.blocks: list[_Block] = [_Block([], "")]
        pending: list[str] = []
        for line in text.splitlines():
            if line.startswith("["):
                self.blocks.append(_Block(pending, line))
                pending = []
            elif line.startswith("#"):
                pending.append(line)
            else:
                self.blocks[-1].body.extend(pending)
                pending = []
                self.blocks[-1].body.append(line)
        self.blocks[-1].body.extend(pending)

    def _find(self, name: str) -> _Block:
        for block in self.blocks:
            if block.header == f"[{name}]":
                return block
        raise KeyError(f"config has no section [{name}]")

    def has(self, name: str) -> bool:
        return any(block.header == f"[{name}]" for block in self.blocks)

    def set(self, name: str, body: str, *, comment: str | None = None) -> None:
        """Replace a section's lines (and its comment, if given); append it if new."""
        lines = [*body.strip("\n").splitlines(), ""]
        notes = [f"# {c}" if c else "#" for c in comment.splitlines()] if comment else None
        if self.has(name):
            block = self._find(name)
            block.body = lines
            if notes is not None:
                block.comments = notes
        else:
            self.blocks.append(_Block(notes or [], f"[{name}]", lines))

    def replace_value(self, name: str, key: str, value: str) -> bool:
        """Set ``key = value`` (TOML text) where section ``name`` already has ``key``."""
        block = self._find(name)
        for i, line in enumerate(block.body):
            if line.split("=", 1)[0].strip() == key:
                block.body[i] = f"{key} = {value}"
                return True
        return False

    def drop_value(self, name: str, key: str) -> bool:
        """Remove the line ``key = …`` of section ``name``; return whether it was there."""
        block = self._find(name)
        kept = [line for line in block.body if line.split("=", 1)[0].strip() != key]
        found = len(kept) < len(block.body)
        block.body = kept
        return found

    def drop(self, name: str) -> None:
        self.blocks.remove(self._find(name))

    def comment(self, name: str, text: str) -> None:
        """Put ``text`` (one or more lines) as the comment right above section ``name``."""
        self._find(name).comments = [f"# {c}" if c else "#" for c in text.splitlines()]

    def set_preamble(self, text: str) -> None:
        """Replace the comment lines before the first section."""
        self.blocks[0].body = [*(f"# {c}" if c else "#" for c in text.splitlines()), ""]

    def layers(self) -> list[str]:
        """Names of the ``[layers.*]`` sections, in order."""
        return [b.header[len("[layers."):-1] for b in self.blocks
                if b.header.startswith("[layers.")]

    def text(self) -> str:
        lines: list[str] = []
        for block in self.blocks:
            lines.extend(block.comments)
            if block.header:
                lines.append(block.header)
            lines.extend(block.body)
        return "\n".join(lines).rstrip("\n") + "\n"


def crop_list(crops: list[str] | tuple[str, ...]) -> str:
    """``crops = [...]`` for ``[evaluate]``, wrapped at 100 characters."""
    lines, line = [], "crops = ["
    for i, crop in enumerate(crops):
        item = f'"{crop}"' + (", " if i < len(crops) - 1 else "]")
        if len(line) + len(item.rstrip()) > 100:
            lines.append(line.rstrip())
            line = "  "
        line += item
    return "\n".join([*lines, line])


def label_layers(config: ConfigText, real: Mapping[str, str], synthetic_note: str) -> None:
    """Comment every layer section: its real source, or ``synthetic_note``."""
    for name in config.layers():
        config.comment(f"layers.{name}", f"REAL: {real[name]}" if name in real
                       else synthetic_note)


def run_region(config: Path, *, note: str, start: float, lq_label: str | None = None
               ) -> RunResult:
    """Run every stage of ``config`` (Indonesian maps and report); print products and timings.

    With ``lq_label``, the location quotient of each kecamatan's product is shown too.
    """
    from aez.pipeline import run  # slow to import: only once the inputs are in place

    try:
        result = run(config, overwrite=True, lang="id")
    except AEZError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"\nOne product per kecamatan ({note}):")
    table = result.decision.kecamatan
    extra = {}
    if lq_label:
        lq = result.decision.scores.raw["lq"]
        extra[lq_label] = pd.Series([lq.at[k, p] for k, p in table["product"].items()],
                                    index=table.index).round(2)
    print_products(table, extra)
    stages = ", ".join(f"{k} {v:.0f} s" for k, v in result.timings.items())
    print(f"\nRun: {stages}. Done in {time.perf_counter() - start:.0f} s; "
          f"{len(result.files)} files in {result.outdir.resolve()}")
    for name in ("maps/products.png", "report.html", "districts.gpkg"):
        if name in result.files:
            print(f"  {result.files[name]}")
    return result


def print_products(table: pd.DataFrame, extra: Mapping[str, pd.Series] | None = None) -> None:
    """The product of each kecamatan: score, tier, production, stability, flags (and ``extra``)."""
    show = pd.DataFrame({
        "kecamatan": table["kecamatan"], "product": table["product"], **(extra or {}),
        "stars": table["tier"].map(lambda t: "*" * int(t)), "score": table["score"].round(3),
        "runner-up": table["alternative_1"]})
    if "production" in table:
        show["t (latest)"] = table["production"].round(1)
    if "stability" in table:
        show["kept"] = (100 * table["probability"]).round().astype(int).astype(str) + " %"
        show["stability"] = table["stability"]
    if "flags" in table:
        show["flags"] = table["flags"].map(lambda f: ", ".join(f) or "-")
    with pd.option_context("display.width", 140):
        print(show.to_string())
