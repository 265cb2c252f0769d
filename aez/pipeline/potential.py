"""Potential production and value of a run: yields from the crop tables, prices from ``[tables]``.

:func:`potential_table` computes, per kecamatan × evaluated commodity, the
potential production on the available suitable land
(:func:`aez.economics.potential_production`), with the productivity BPS implies
for a kecamatan where the production table gives production and harvested
area (``[potential] local_yield``), the potential gross value when
``[tables] prices`` is given, and the realised share where BPS gives
production. The ``value`` criterion of the score is its ``value_rp`` column
with prices, else ``potential_t`` (:func:`value_criterion`). See
``docs/production.md``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from aez.config import RunConfig, TablesConfig
from aez.crops import CropRequirements, crop_ids, load_crops
from aez.economics.production import (
    check_prices,
    local_yields,
    potential_production,
    potential_value,
    production_gap,
)
from aez.io import read_table
from aez.pipeline.tablecheck import commodity_lookup, match_commodities, whole_years

__all__ = ["crop_items", "has_estimate", "potential_table", "read_prices", "run_crops",
           "value_criterion"]

log = logging.getLogger(__name__)


def crop_items(config: RunConfig) -> list[str]:
    """``[evaluate] crops`` with ``.toml`` paths resolved against the config's folder."""
    base = config.source.parent if config.source is not None else None
    items = []
    for item in config.evaluate.crops:
        path = Path(item).expanduser()
        if item.endswith(".toml") and base is not None and not path.is_absolute():
            item = str((base / path).resolve())
        items.append(item)
    return items


def run_crops(config: RunConfig) -> list[CropRequirements]:
    """Load the crop tables of ``[evaluate] crops``."""
    return load_crops(crop_items(config), crop_dirs=config.evaluate.crop_dirs,
                      ecocrop=config.evaluate.ecocrop)


def read_prices(tables: TablesConfig, crops: Sequence[str]) -> pd.DataFrame | None:
    """Read and check ``[tables] prices`` (None without one).

    The table may price more commodities than are evaluated (the others are
    ignored), but each must be a known crop id or name: an evaluated crop or a
    built-in table (``aez crops list``).

    Raises
    ------
    PriceTableError
        A unit other than Rp/kg, a price that is not a number above 0, a
        commodity that no crop table knows, or one commodity twice in a year.
    """
    if tables.prices is None:
        return None
    frame = read_table(tables.prices, numeric_columns=_present(tables.prices,
                                                               [tables.prices_column, "year"]))
    frame = whole_years(frame, tables.prices)
    known = [*crops, *(c for c in crop_ids() if c not in crops)]
    frame = match_commodities(frame, commodity_lookup(known), what="prices")
    return check_prices(frame, known, where=str(tables.prices), column=tables.prices_column)


def potential_table(config: RunConfig, summary: pd.DataFrame,
                    crops: Sequence[CropRequirements], *,
                    production: pd.DataFrame | None = None,
                    prices: pd.DataFrame | None = None) -> pd.DataFrame:
    """Potential production, value and gap of every kecamatan × commodity of ``summary``.

    Parameters
    ----------
    config : RunConfig
        Its ``[potential]`` and ``[tables]`` column names.
    summary : DataFrame
        The suitability summary (:func:`aez.zonal.district_summary`).
    crops : sequence of CropRequirements
        The evaluated crop tables (their ``[yield]``).
    production : DataFrame, optional
        The ``[tables] production`` table keyed by ``kecamatan_id``.
    prices : DataFrame, optional
        :func:`read_prices`.

    Returns
    -------
    DataFrame
        One row per kecamatan × commodity: class hectares, ``yield_weighted_ha``,
        ``yield_t_ha``, ``yield_source``, ``potential_t``, and with prices
        ``price_rp_per_kg``, ``price_year``, ``value_rp``; with production
        ``realised_t``, ``realised_year``, ``realised_share``.
    """
    evaluated = {c.id: c for c in crops}
    yields: dict[str, float | None] = {}
    fractions: dict[str, dict[str, float]] = {}
    for crop_id in dict.fromkeys(summary["commodity"]):
        spec = evaluated[crop_id].reference_yield if crop_id in evaluated else None
        yields[crop_id] = spec.reference if spec is not None else None
        if config.potential.fractions is not None:
            fractions[crop_id] = dict(config.potential.fractions)
        elif spec is not None:
            fractions[crop_id] = dict(spec.fractions)
    value, area = config.tables.production_value, config.tables.production_area
    local = None
    if production is not None and config.potential.local_yield and area in production.columns:
        local = local_yields(production, value=value, area=area)
        log.info("Local yields (BPS production / harvested area, %d): %d kecamatan × "
                 "commodity pairs", int(local["year"].max()) if len(local) else 0, len(local))
    table = potential_production(summary, yields, fractions=fractions, local=local)
    if prices is not None:
        table = potential_value(table, prices, column=config.tables.prices_column)
        unpriced = sorted(set(table["commodity"]) - set(prices["commodity"]))
        if unpriced:
            log.warning("[tables] prices has no price for %s: their potential value is not "
                        "estimated (NaN, not 0)", ", ".join(unpriced))
    if production is not None and value in production.columns:
        table = production_gap(table, production, value=value)
    return table


def value_criterion(table: pd.DataFrame) -> pd.DataFrame | None:
    """Kecamatan × commodity raw values of the ``value`` criterion (None: no estimate at all).

    Potential gross value (Rp/yr) when the table has prices, else potential
    production (t/yr); NaN where there is no estimate.
    """
    column = "value_rp" if "value_rp" in table.columns else "potential_t"
    if not table[column].notna().any():
        return None
    rows = list(dict.fromkeys(table["kecamatan_id"]))
    cols = list(dict.fromkeys(table["commodity"]))
    wide = table.pivot(index="kecamatan_id", columns="commodity", values=column)
    return wide.reindex(index=rows, columns=cols)


def has_estimate(crops: Sequence[CropRequirements], production: pd.DataFrame | None,
                 config: RunConfig) -> bool:
    """Whether a run can estimate any potential production (a yield, or a local one)."""
    if any(c.reference_yield is not None and c.reference_yield.reference is not None
           and math.isfinite(c.reference_yield.reference) for c in crops):
        return True
    return (production is not None and config.potential.local_yield
            and config.tables.production_area in production.columns)


def _present(path: Path, columns: list[str]) -> list[str]:
    """Return the ``columns`` the table has (checks that follow report the others)."""
    head = read_table(path)
    return [c for c in columns if c in head.columns]
