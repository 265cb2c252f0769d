"""The decision stage: from suitability totals and tables to one product per kecamatan.

It joins the per-kecamatan suitability summary with the tables of ``[tables]``
(production, farm households, sentra, cooperatives; translated to the study
area's codes through the crosswalk), builds the criteria, scores every
kecamatan × commodity pair (``[score]``), solves the assignment (``[assign]``),
tests it against weight uncertainty (``[robustness]``), ranks each kecamatan's
cooperatives for its product, and rolls the result up to the kabupaten and the
``[regions]``. Each step is a pure function of :mod:`aez.zonal`,
:mod:`aez.economics` and :mod:`aez.assign`; this module only reads the tables
and passes the pieces along.

Criteria (see ``docs/scoring.md``):

=================  ===========================================================
``suitability``    SI of the class shares (or suitable ha), from the zonal summary
``lq``             location quotient of the latest production year
``growth``         compound annual growth of production over the years given
``market_access``  mean travel time to markets over the suitable land (minutes;
                   lower is better); needs a ``travel_time`` layer
``labour``         farm households of the kecamatan
``cooperatives``   cooperatives in the kecamatan trading the commodity
``sentra``         sentra in the commodity's business field
=================  ===========================================================

A criterion whose input is missing (no table, no layer) is left out and its
weight shared among the others; the log says so.
"""

from __future__ import annotations

import logging
import math
import os
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import rasterio
import rasterio.transform
from numpy.typing import NDArray
from rasterio.windows import Window, from_bounds
from scipy import ndimage

from aez.assign.cooperatives import rank_cooperatives
from aez.assign.criteria import cooperative_counts, growth_rate, sentra_counts
from aez.assign.milp import Assignment, adjacency_from_polygons
from aez.assign.options import AssignOptions, CooperativeOptions
from aez.assign.regional import assign_by_region
from aez.assign.robustness import Robustness
from aez.assign.rollup import kabupaten_of, otop_groups, potential_tiers, rollup
from aez.assign.score import Scores, score_table
from aez.config import RunConfig, TablesConfig
from aez.economics import join_crosswalk, location_quotient, tables_by_year
from aez.errors import ConfigError
from aez.grid import Grid
from aez.harmonize import StudyArea
from aez.io import read_table, read_vector
from aez.io.atomic import atomic_output
from aez.pipeline.suitability import SuitabilityTotals
from aez.zonal import district_summary, wide_table

__all__ = ["Decision", "decide", "read_decision_tables", "write_decision"]

log = logging.getLogger(__name__)

#: The continuous layer averaged over suitable land for market access.
ACCESS_LAYER = "travel_time"
#: Class codes of suitable land (S1, S2, S3).
SUITABLE_CLASSES = (1, 2, 3)
#: Commodities whose OTOP category is not their crop group's: rubber is an estate crop
#: but its OTOP products are rubber goods, not food.
OTOP_OVERRIDES = {"karet": "crafts"}


@dataclass(frozen=True, eq=False)
class Decision:
    """Everything the decision stage worked out, as tables.

    Attributes
    ----------
    summary : DataFrame
        Kecamatan × commodity suitability (:func:`aez.zonal.district_summary`).
    scores : Scores
        Raw and normalised criteria and the weights.
    assignment : Assignment
        The optimal products and why.
    robustness : Robustness or None
        Product probabilities under weight uncertainty (None with 0 draws).
    kecamatan : DataFrame
        One row per kecamatan: name, product, OTOP group, score, star tier,
        alternatives, binding constraints and (with robustness) stability.
    cooperatives : DataFrame
        Ranked cooperatives per kecamatan for its product (explicit rows where
        none is found).
    regions : DataFrame
        Roll-up to the ``[regions]`` grouping and the kabupaten.
    unmatched : DataFrame
        Table rows whose codes found no kecamatan through the crosswalk.
    solves : DataFrame
        Per solved region (kabupaten, or the study area): kecamatan, neighbour
        pairs, HiGHS ``status`` (``optimal`` or the limit that stopped it) and ``gap``.
    """

    summary: pd.DataFrame
    scores: Scores
    assignment: Assignment
    robustness: Robustness | None
    kecamatan: pd.DataFrame
    cooperatives: pd.DataFrame
    regions: pd.DataFrame
    unmatched: pd.DataFrame
    solves: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True, eq=False)
class DecisionTables:
    """The ``[tables]`` inputs, keyed by the study area's kecamatan ids."""

    production: pd.DataFrame | None
    households: pd.Series | None
    sentra: pd.DataFrame | None
    cooperatives: pd.DataFrame | None
    unmatched: pd.DataFrame


def read_decision_tables(tables: TablesConfig, study_area: StudyArea) -> DecisionTables:
    """Read the ``[tables]`` files and translate their codes to the study area's ids.

    A table that has the study area's id column is used as it is; otherwise
    its ``code_column`` goes through the crosswalk. Rows whose code has no
    kecamatan are dropped and returned in ``unmatched``, with the table they
    came from.
    """
    ids = study_area.districts[study_area.id_column].astype(str)
    crosswalk = (read_table(tables.crosswalk, text_columns=[tables.code_column,
                                                            study_area.id_column])
                 if tables.crosswalk else None)
    unmatched: list[pd.DataFrame] = []

    def keyed(frame: pd.DataFrame, what: str, code: str) -> pd.DataFrame:
        if study_area.id_column in frame.columns:  # already in the study area's codes
            frame = frame.assign(kecamatan_id=frame[study_area.id_column].astype(str))
        else:
            if crosswalk is None:
                raise ConfigError(
                    f"[tables] {what} is keyed by {code!r} but the study area by "
                    f"{study_area.id_column!r}; set [tables] crosswalk to a table with both.")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # reported below, with the table's name
                join = join_crosswalk(frame, crosswalk, on=code, source=tables.code_column,
                                      target=study_area.id_column)
            frame = join.joined.assign(kecamatan_id=join.joined[study_area.id_column])
        lost = frame[~frame["kecamatan_id"].isin(ids)]
        if len(lost):
            log.warning("%d rows of %s match no kecamatan of the study area", len(lost), what)
            unmatched.append(lost.assign(table=what))
        return frame[frame["kecamatan_id"].isin(ids)]

    code = tables.code_column
    production = households = sentra = cooperatives = None
    if tables.production:
        production = keyed(read_table(tables.production, text_columns=[code]), "production",
                           code)
    if tables.households:
        frame = keyed(read_table(tables.households, text_columns=[code]), "households", code)
        households = frame.groupby("kecamatan_id")[tables.households_column].sum()
    if tables.sentra:
        sentra = keyed(read_table(tables.sentra, text_columns=[code]), "sentra", code)
    if tables.cooperatives:
        cooperatives = keyed(read_vector(tables.cooperatives), "cooperatives", code)
    lost = pd.concat(unmatched, ignore_index=True) if unmatched else pd.DataFrame()
    return DecisionTables(production, households, sentra, cooperatives, lost)


def decide(config: RunConfig, totals: Mapping[str, SuitabilityTotals],
           study_area: StudyArea, grid: Grid, *,
           progress: Callable[[int, int], None] | None = None) -> Decision:
    """Run the decision stage on the suitability stage's totals.

    Parameters
    ----------
    config : RunConfig
        Its ``[tables]``, ``[score]``, ``[assign]``, ``[robustness]`` and
        ``[regions]`` sections.
    totals : mapping of str to SuitabilityTotals
        Crop id → per-kecamatan totals from :func:`aez.pipeline.evaluate_stack`
        (run with ``zonal_means=("travel_time",)`` for market access).
    study_area : StudyArea
        The kecamatan, in the order the totals count them.
    grid : Grid
        The analysis grid of the class rasters (for the distance from each
        cooperative to its product's suitable land).
    progress : callable, optional
        ``progress(done, total)`` over the region solves and the robustness draws.

    Notes
    -----
    With ``[assign] scope = "kabupaten"`` (the default) the constraints apply
    within each kabupaten (read from the kecamatan codes) and each kabupaten is
    solved as an independent task on the run's executor
    (:func:`aez.assign.regional.assign_by_region`); ``"study_area"`` solves the
    whole study area as one problem. A kecamatan with no eligible product gets
    none, with its reason, and the run goes on.
    """
    summary = district_summary(totals, study_area)
    ids = study_area.districts[study_area.id_column].astype(str)
    crops = list(totals)
    tables = read_decision_tables(config.tables, study_area)
    criteria = _criteria(config, summary, tables, ids, crops)
    weights = score_weights(config, criteria)
    scores = score_table({k: criteria[k] for k in weights}, weights=weights,
                         kecamatan=list(ids), commodities=crops)
    assign_args = _assign_arguments(config, summary, study_area)
    regional = assign_by_region(
        scores.total, _solve_regions(config, ids), components=scores.components,
        weights=scores.weights, draws=config.robustness.draws, seed=config.robustness.seed,
        concentration=config.robustness.concentration, executor=config.run.executor,
        workers=_threads(config), scheduler=config.run.scheduler,
        on_progress=progress, fit_small=config.assign.scope == "kabupaten", **assign_args)
    assignment, mc = regional.assignment, regional.robustness
    _log_solves(regional.solves)
    kecamatan = _kecamatan_table(assignment, mc, study_area)
    coops = pd.DataFrame()
    if tables.cooperatives is not None:
        coops = rank_cooperatives(assignment.chosen, tables.cooperatives,
                                  options=CooperativeOptions(kecamatan_column="kecamatan_id"),
                                  suitable_land=_distance_to_suitable(totals, study_area, grid))
    summary_of = summary.set_index(["kecamatan_id", "commodity"])
    kecamatan["suitable_ha"] = [summary_of.loc[(k, p), "suitable_ha"] if p is not None
                                else np.nan for k, p in kecamatan["product"].items()]
    regions = _regions(kecamatan, config.regions)
    return Decision(summary, scores, assignment, mc, kecamatan, coops, regions,
                    tables.unmatched, regional.solves)


def score_weights(config: RunConfig, criteria: Mapping[str, Any]) -> Any:
    """Get the ``[score]`` weights over the criteria this run has, or the AHP comparison table."""
    ahp = config.score.ahp
    if ahp is not None:
        missing = sorted(set(ahp.criteria) - set(criteria))
        if missing:
            raise ConfigError(f"[score.ahp] compares {missing}, which this run has no input "
                              f"for (it has {sorted(criteria)}). Drop them from the comparisons "
                              "or provide their tables or layers.")
        return pd.DataFrame(ahp.matrix, index=list(ahp.criteria), columns=list(ahp.criteria))
    weights = {k: v for k, v in config.score.weights.items() if k in criteria and v > 0}
    if not weights:
        raise ConfigError(
            f"[score] weights {dict(config.score.weights)} name none of the criteria this run "
            f"has ({sorted(criteria)}). Give a positive weight to at least one.")
    dropped = sorted(set(config.score.weights) - set(weights))
    if dropped:
        log.info("Criteria without input or weight, left out of the score: %s",
                 ", ".join(dropped))
    return weights


def _criteria(config: RunConfig, summary: pd.DataFrame, tables: DecisionTables,
              ids: pd.Series, crops: list[str]) -> dict[str, pd.DataFrame | pd.Series]:
    """Collect the raw criteria this run has inputs for."""
    measure = "SI" if config.score.suitability == "si" else "suitable_ha"
    found: dict[str, pd.DataFrame | pd.Series] = {"suitability": wide_table(summary, measure)}
    access = f"{ACCESS_LAYER}_mean_suitable"
    if access in summary.columns:
        found["market_access"] = wide_table(summary, access)
    production = tables.production
    if production is not None:
        value = config.tables.production_value
        by_year = tables_by_year(production, year="year", district="kecamatan_id",
                                 sector="commodity", value=value)
        latest = by_year[max(by_year)].reindex(index=ids, columns=crops, fill_value=0.0)
        found["lq"] = location_quotient(latest)
        if len(by_year) > 1:
            found["growth"] = growth_rate(production, kecamatan_column="kecamatan_id",
                                          value_column=value, kecamatan=list(ids),
                                          commodities=crops)
    if tables.households is not None:
        found["labour"] = tables.households.reindex(ids)
    if tables.cooperatives is not None:
        found["cooperatives"] = cooperative_counts(tables.cooperatives, crops,
                                                   kecamatan_column="kecamatan_id",
                                                   kecamatan=list(ids))
    if tables.sentra is not None:
        found["sentra"] = sentra_counts(tables.sentra, crops, kecamatan_column="kecamatan_id",
                                        kecamatan=list(ids))
    return found


def _assign_arguments(config: RunConfig, summary: pd.DataFrame,
                      study_area: StudyArea) -> dict[str, Any]:
    """Keyword arguments of :func:`assign_products`: ``[assign]`` as options, and the data.

    ``min_suitable_share`` becomes the ``eligible`` table (from the summary), and
    a contiguity bonus brings the neighbour pairs of the study area.
    """
    a = config.assign
    share = wide_table(summary, "suitable_ha") / wide_table(summary, "evaluated_ha")
    options = AssignOptions(
        per_kecamatan=a.per_kecamatan, max_per_product=a.max_per_product,
        max_share=a.max_share, min_distinct=a.min_distinct,
        must_keep=dict(a.must_keep) or None,
        forbidden={k: list(v) for k, v in a.forbidden.items()} or None,
        contiguity_bonus=a.contiguity_bonus, time_limit=a.time_limit,
        node_limit=a.node_limit)
    arguments: dict[str, Any] = {"options": options,
                                 "eligible": share.fillna(0.0) >= a.min_suitable_share}
    if a.contiguity_bonus > 0:
        arguments["adjacency"] = adjacency_from_polygons(study_area.districts,
                                                         study_area.id_column)
    return arguments


def _distance_to_suitable(totals: Mapping[str, SuitabilityTotals], study_area: StudyArea,
                          grid: Grid) -> Callable[[Any, str, Any], NDArray[np.float64]] | None:
    """Distance (m) from points to the product's S1–S3 cells inside their kecamatan.

    Reads the product's class raster over the kecamatan's bounding window only,
    and measures the exact Euclidean distance transform to the nearest
    suitable cell centre of that kecamatan (cell-centre rule). Points outside
    the window get the distance from their own cell. None on a geographic grid
    (distances in degrees would mislead); the points then score no distance.
    """
    if grid.is_geographic:
        log.info("Geographic grid: cooperatives are ranked without distance to suitable land")
        return None
    ids = study_area.districts[study_area.id_column].astype(str).tolist()
    full = Window(0, 0, grid.width, grid.height)

    def distance(kecamatan: Any, product: str, points: Any) -> NDArray[np.float64]:
        district = ids.index(str(kecamatan))
        bounds = study_area.districts.geometry.iloc[district].bounds
        box = from_bounds(*bounds, transform=grid.transform)
        row0, col0 = math.floor(box.row_off), math.floor(box.col_off)
        window = Window(col0, row0, math.ceil(box.col_off + box.width) - col0,
                        math.ceil(box.row_off + box.height) - row0).intersection(full)
        zones = study_area.rasterize(grid, window)
        with rasterio.open(totals[product].paths["class"]) as src:
            classes = src.read(1, window=window)
        suitable = (zones == district) & np.isin(classes, SUITABLE_CLASSES)
        if not suitable.any():
            return np.full(len(points), np.nan)
        dx, dy = grid.res
        edt = ndimage.distance_transform_edt(~suitable, sampling=(dy, dx))
        rows, cols = rasterio.transform.rowcol(grid.transform, points.x.to_numpy(),
                                               points.y.to_numpy())
        r = np.clip(np.asarray(rows) - int(window.row_off), 0, suitable.shape[0] - 1)
        c = np.clip(np.asarray(cols) - int(window.col_off), 0, suitable.shape[1] - 1)
        return np.asarray(edt[r, c], dtype=np.float64)

    return distance


def _solve_regions(config: RunConfig, ids: pd.Series) -> pd.Series:
    """Kecamatan id → the region its assignment is solved in (``[assign] scope``)."""
    if config.assign.scope == "kabupaten":
        try:
            return kabupaten_of(ids)
        except ConfigError:
            log.info("The kecamatan codes name no kabupaten (neither Kemendagri pp.kk.cc nor "
                     "BPS 7 digits): the study area is solved as one problem")
    return pd.Series("study_area", index=pd.Index(ids), dtype=object)


def _log_solves(solves: pd.DataFrame) -> None:
    """Log how each region was solved, and warn for those not proven optimal."""
    for region, row in solves.iterrows():
        log.info("Region %s: %d kecamatan (%d without a product), %d neighbour pairs, %s "
                 "(gap %.3g)", region, row["n_kecamatan"], row["n_none"],
                 row["neighbour_pairs"], row["status"], row["gap"])
    open_ = solves[~solves["status"].isin(["optimal", "no_product"])]
    if len(open_):
        log.warning("%d region(s) stopped before proving optimality: %s", len(open_),
                    ", ".join(f"{r} (gap {g:.3g})" for r, g in open_["gap"].items()))


def _threads(config: RunConfig) -> int:
    """Threads for the robustness draws: one when serial, else the run's workers or cores."""
    if config.run.executor == "serial":
        return 1
    return config.run.workers or os.cpu_count() or 1


def _regions(kecamatan: pd.DataFrame, regions: Mapping[str, str]) -> pd.DataFrame:
    """Roll-up to the kabupaten (from the kecamatan codes) and to the ``[regions]``."""
    def roll(by: Any) -> pd.DataFrame:
        return rollup(kecamatan, by, sum_columns=["suitable_ha"], mean_columns=["score"])

    kabupaten = roll(kabupaten_of(kecamatan.index))
    parts = [kabupaten.assign(level="kabupaten")]
    if regions:
        unknown = sorted(set(kecamatan.index) - set(regions))
        if unknown:
            raise ConfigError(f"[regions] gives no region for kecamatan {unknown[:5]}; give "
                              "every kecamatan of the study area a region, or drop [regions].")
        parts.append(roll(regions).assign(level="region"))
    return pd.concat(parts)


def _kecamatan_table(assignment: Assignment, mc: Robustness | None,
                     study_area: StudyArea) -> pd.DataFrame:
    """One row per kecamatan: the assignment with names, OTOP group, tier and stability."""
    table = assignment.table.copy()
    table.index.name = "kecamatan_id"
    names = study_area.districts.set_index(
        study_area.districts[study_area.id_column].astype(str))
    if study_area.name_column:
        table.insert(0, "kecamatan", names.loc[table.index, study_area.name_column].to_numpy())
    table.insert(2, "otop_group",
                 otop_groups(table["product"], overrides=OTOP_OVERRIDES).to_numpy())
    table.insert(3, "tier", potential_tiers(table["score"]).to_numpy())
    if mc is not None:
        stability = mc.summary.reindex(table.index)
        table["probability"] = stability["base_probability"]
        table["stability"] = stability["stability"]
    return table


def write_decision(decision: Decision, outdir: str | Path, *,
                   overwrite: bool = False) -> dict[str, Path]:
    """Write the decision tables as CSV (UTF-8) into ``outdir``; return their paths.

    ``kecamatan_products.csv`` (one row per kecamatan), ``suitability_by_kecamatan.csv``
    (kecamatan × commodity hectares, SI, limits), ``scores.csv`` (every criterion,
    raw and normalised, and the total), ``cooperatives.csv``, ``regions.csv``,
    ``robustness.csv`` (product probabilities; only with draws) and
    ``unmatched_rows.csv`` (only when some table rows matched no kecamatan).
    Each file is written under a temporary name and renamed when complete.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    kecamatan = decision.kecamatan.copy()
    for column in ("products", "binding"):
        kecamatan[column] = kecamatan[column].map(lambda v: "; ".join(map(str, v)))
    frames = {"kecamatan_products.csv": kecamatan,
              "suitability_by_kecamatan.csv": decision.summary.set_index("kecamatan_id"),
              "scores.csv": long_scores(decision.scores),
              "cooperatives.csv": decision.cooperatives.set_index("kecamatan")
              if len(decision.cooperatives) else decision.cooperatives,
              "regions.csv": decision.regions}
    if decision.robustness is not None:
        frames["robustness.csv"] = decision.robustness.probability.join(
            decision.robustness.summary)
    if len(decision.unmatched):
        frames["unmatched_rows.csv"] = decision.unmatched.drop(columns="geometry",
                                                               errors="ignore")
    written = {}
    for name, frame in frames.items():
        with atomic_output(outdir / name, overwrite=overwrite) as tmp:
            frame.to_csv(tmp, lineterminator="\n", float_format="%.6g")
        written[name] = outdir / name
    return written


def long_scores(scores: Scores) -> pd.DataFrame:
    """One row per kecamatan × commodity: raw and normalised criteria and the total."""
    parts = {}
    for name in scores.components:
        parts[f"{name}_raw"] = scores.raw[name].stack()
        parts[f"{name}_score"] = scores.components[name].stack()
    parts["total"] = scores.total.stack()
    table = pd.DataFrame(parts)
    table.index.names = ["kecamatan_id", "commodity"]
    return table
