"""``aez sources list | import | fetch``: real land data in the providers' layouts.

``list`` shows each source, the files it expects and what it provides;
``import`` converts a source's files into canonical GeoTIFFs and a
``layers.toml`` fragment; ``fetch`` downloads the study area's window from
the providers' published endpoints (optional: aez never downloads during a run).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import click

from aez.cli._app import cli


@cli.group("sources")
def sources() -> None:
    """Read real data in the providers' own layouts (SoilGrids, HWSD, SPT, DEMs, climate)."""


@sources.command("list")
def list_sources() -> None:
    """Show each source, the files it expects and the characteristics it provides."""
    from aez.sources import SOURCES

    for info in SOURCES.values():
        click.echo(click.style(info.name, bold=True) + f"  {info.title}")
        for label, text in (("expects", info.expects), ("provides", ", ".join(info.provides)),
                            ("options", info.options), ("licence", info.licence),
                            ("cite", info.citation), ("download", info.download)):
            lines = textwrap.wrap(text, 88) or ["-"]
            click.echo(f"  {label:<9} {lines[0]}")
            for line in lines[1:]:
                click.echo(f"  {'':<9} {line}")
        click.echo("")


def _study_grid(config: Path | None) -> Any:
    if config is None:
        return None
    from aez.config import load_config
    from aez.harmonize import build_grid, build_study_area

    cfg = load_config(config)
    return build_grid(cfg, build_study_area(cfg))


@sources.command("import")
@click.argument("source")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (created if missing); nothing is written outside it.")
@click.option("--config", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Clip to the study area of this run config (with a margin).")
@click.option("--bounds", nargs=4, type=float, default=None, metavar="L B R T",
              help="Or clip to these bounds (in --crs).")
@click.option("--crs", default=None, help="CRS of --bounds, e.g. EPSG:4326.")
@click.option("--depth", default=None, help="Soil depth range in cm (default 0-30).")
@click.option("--years", default=None, help="Climate year range, e.g. 2010-2019.")
@click.option("--aggregate", type=click.Choice(["dominant", "weighted"]), default=None,
              help="HWSD: the dominant soil, or share-weighted.")
@click.option("--profile", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="SPT: mapping profile (TOML).")
@click.option("--statistic", default=None, help="SoilGrids statistic (default mean).")
@click.option("--only", default=None, help="Comma-separated outputs to write (default all).")
@click.option("--overwrite", is_flag=True, help="Replace existing outputs.")
def import_(source: str, inputs: tuple[Path, ...], to: Path, config: Path | None,
            bounds: tuple[float, ...] | None, crs: str | None, depth: str | None,
            years: str | None, aggregate: str | None, profile: Path | None,
            statistic: str | None, only: str | None, overwrite: bool) -> None:
    """Convert SOURCE's files INPUT… into canonical GeoTIFFs and a layers.toml in --to."""
    from aez.errors import ConfigError
    from aez.harmonize.source_import import import_source

    if config is not None and bounds:
        raise ConfigError("Give --config or --bounds/--crs, not both.")
    options = {"depth": depth, "years": years, "aggregate": aggregate, "profile": profile,
               "statistic": statistic}
    options = {k: v for k, v in options.items() if v is not None}
    result = import_source(
        source, inputs, to, grid=_study_grid(config), bounds=bounds or None, crs=crs,
        only=[n.strip() for n in only.split(",")] if only else None, overwrite=overwrite,
        **options,
    )
    for path in result.files:
        click.echo(f"wrote {path}")
    click.echo(f"wrote {result.fragment}  ({len(result.layers)} [layers.*] tables)")


@sources.command("fetch")
@click.argument("source", type=click.Choice(["soilgrids", "chirps", "worldclim"]))
@click.option("--config", required=True, type=click.Path(dir_okay=False, exists=True,
                                                         path_type=Path),
              help="Run config whose study area sets the window.")
@click.option("--to", "to", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (created if missing).")
@click.option("--years", default=None, help="CHIRPS/WorldClim monthly years, e.g. 2010-2019.")
@click.option("--properties", default=None,
              help="SoilGrids properties, comma-separated (default the six aez converts).")
@click.option("--depths", default=None,
              help="SoilGrids depth labels, comma-separated (default 0-5cm,5-15cm,15-30cm).")
@click.option("--endpoints", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="TOML file overriding the endpoint URLs.")
def fetch(source: str, config: Path, to: Path, years: str | None, properties: str | None,
          depths: str | None, endpoints: Path | None) -> None:
    """Download the study area's window of SOURCE into --to, in the provider's layout."""
    from aez.harmonize.provided import lonlat_bounds
    from aez.sources.fetch import fetch_source

    grid = _study_grid(config)
    files = fetch_source(
        source, lonlat_bounds(grid), to, years=years, endpoints=endpoints,
        properties=properties.split(",") if properties else None,
        depths=depths.split(",") if depths else None,
    )
    for path in files:
        click.echo(f"wrote {path}")
