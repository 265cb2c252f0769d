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
``lq``             location quotient of the latest production year, within the
                   basket of ``[score.lq]`` (default: the commodity's group)
``growth``         compound annual growth of production over the years given
``market_access``  mean travel time to markets over the suitable land (minutes;
                   lower is better); needs a ``travel_time`` layer
``labour``         farm households of the kecamatan
``cooperatives``   cooperatives in the kecamatan trading the commodity
``sentra``         sentra in the commodity's business field
``value``          potential gross value (Rp/yr) with ``[tables] prices``, else
                   potential production (t/yr) (:mod:`aez.pipeline.potential`);
                   a pair without an estimate scores the mean of the known ones
=================  ===========================================================

A criterion whose input is missing (no table, no layer) is left out and its
weight shared among the others; the log says so. Each is normalised as
``[score.normalise]`` says (defaults: :data:`aez.assign.score.DEFAULT_NORMALISATION`).

With a production table every kecamatan × commodity gets a role
(:mod:`aez.assign.roles`: *unggulan*, *potensial* or *none*); with
``[assign] require_base`` a kecamatan's product is chosen among its *unggulan*
commodities, and every chosen product carries the flags a planner must see.
"""

from __future__ import annotations

import logging
import math
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

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
from aez.assign.roles import (
    commodity_roles,
    falling_every_year,
    product_flags,
    restrict_to_base,
)
from aez.assign.rollup import kabupaten_of, otop_groups, potential_tiers, rollup
from aez.assign.score import Normalisation, Scores, score_table
from aez.config import RunConfig, TablesConfig
from aez.economics import (
    grouped_location_quotient,
    join_crosswalk,
    klassen_typology,
    tables_by_year,
)
from aez.errors import AEZWarning, ConfigError, InfeasibleError
from aez.grid import Grid
from aez.harmonize import StudyArea
from aez.io import read_table, read_vector
from aez.io.csv_table import write_csv
from aez.pipeline.climate import climate_columns, scenario_summaries
from aez.pipeline.potential import potential_table, read_prices, run_crops, value_criterion
from aez.pipeline.suitability import SuitabilityTotals
from aez.pipeline.tablecheck import (
    check_quantities,
    commodity_lookup,
    match_commodities,
    whole_years,
)
from aez.zonal import district_summary, wide_table

__all__ = ["Basket", "Decision", "Evidence", "decide", "read_decision_tables",
           "write_decision"]

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
    evidence : Evidence or None
        Roles, production and the LQ basket (None without a production table).
    scenarios : mapping of str to Assignment or None
        The assignment re-solved under each ``[scenarios.NAME]`` (None: no
        solution); ``kecamatan`` then has the climate columns of
        :mod:`aez.pipeline.climate`.
    potential : DataFrame or None
        Potential production, value and gap per kecamatan × commodity
        (:func:`aez.pipeline.potential.potential_table`).
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
    evidence: Evidence | None = None
    scenarios: Mapping[str, Assignment | None] = field(default_factory=dict)
    potential: pd.DataFrame | None = None


@dataclass(frozen=True)
class Basket:
    """How the location quotient was computed: what a report must state.

    Attributes
    ----------
    basket : {"group", "evaluated", "all"}
    measure : {"production", "value", "area"}
    column : str
        The production table's column of the measure.
    year : int
        The year of the LQ (the table's latest).
    first_year : int
        The table's first year (growth and Klassen quadrants run from it).
    groups : dict of str → tuple of str
        Each basket (a group, e.g. a BPS table, or ``""`` for one basket of the
        whole table) → the commodities in it.
    group_of : dict of str → str
        Each commodity's group in the production table (empty without a group column).
    reference : str
        ``"study_area"`` (Σ of the kecamatan) or the reference table's name.
    """

    basket: str
    measure: str
    column: str
    year: int
    first_year: int
    groups: dict[str, tuple[str, ...]]
    group_of: dict[str, str]
    reference: str

    @property
    def grouped(self) -> bool:
        """Whether the production table has a group column."""
        return bool(self.group_of)

    @property
    def mixed_groups(self) -> list[str]:
        """The table's groups that one basket mixes (empty for baskets of one group)."""
        mixed: set[str] = set()
        for members in self.groups.values():
            groups = {self.group_of[c] for c in members if c in self.group_of}
            if len(groups) > 1:
                mixed |= groups
        return sorted(mixed)


@dataclass(frozen=True, eq=False)
class Evidence:
    """What the production table says about each kecamatan × evaluated commodity.

    Attributes
    ----------
    basket : Basket
        How the LQ was computed.
    lq : DataFrame
        Location quotient (the ``lq`` criterion's raw values).
    production : DataFrame
        Production (``[tables] production_value``) in the latest year; NaN = not reported.
    share : DataFrame
        That production's share of its kabupaten's.
    growth : DataFrame
        Compound annual growth of production (NaN: one year, or no base to grow from).
    falling : DataFrame of bool
        Production fell in every year of the table.
    klassen : DataFrame
        Klassen quadrant label (Indonesian), None where growth is unknown.
    roles : DataFrame
        ``unggulan``, ``potensial`` or ``none`` (:func:`aez.assign.roles.commodity_roles`).
    """

    basket: Basket
    lq: pd.DataFrame
    production: pd.DataFrame
    share: pd.DataFrame
    growth: pd.DataFrame
    falling: pd.DataFrame
    klassen: pd.DataFrame
    roles: pd.DataFrame

    def long(self) -> pd.DataFrame:
        """One row per kecamatan × commodity: role, Klassen, production, share, falling."""
        tables = {"role": self.roles, "klassen": self.klassen, "production": self.production,
                  "production_share": self.share, "growth": self.growth,
                  "falling": self.falling}
        parts = {name: frame.stack(future_stack=True) for name, frame in tables.items()}
        table = pd.DataFrame(parts)
        table.index.names = ["kecamatan_id", "commodity"]
        return table


@dataclass(frozen=True, eq=False)
class DecisionTables:
    """The ``[tables]`` inputs, keyed by the study area's kecamatan ids."""

    production: pd.DataFrame | None
    households: pd.Series | None
    sentra: pd.DataFrame | None
    cooperatives: pd.DataFrame | None
    unmatched: pd.DataFrame
    prices: pd.DataFrame | None = None


def read_decision_tables(tables: TablesConfig, study_area: StudyArea, *,
                         crops: Sequence[str] | None = None) -> DecisionTables:
    """Read the ``[tables]`` files and translate their codes to the study area's ids.

    A table that has the study area's id column is used as it is; otherwise
    its ``code_column`` goes through the crosswalk. Rows whose code has no
    kecamatan are dropped and returned in ``unmatched``, with the table they
    came from. Numbers are read as BPS writes them and commodity names matched to
    ``crops`` (ids) by :mod:`aez.pipeline.tablecheck`.
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
        value = tables.production_value
        numbers = ["year", value]
        frame = read_table(tables.production, text_columns=[code], numeric_columns=numbers)
        if tables.production_area in frame.columns:  # harvested area: BPS numbers too
            numbers.append(tables.production_area)
        if tables.production_group in frame.columns or len(numbers) > 2:
            text = [code] + ([tables.production_group]
                             if tables.production_group in frame.columns else [])
            frame = read_table(tables.production, text_columns=text,  # "5.10" stays text
                               numeric_columns=numbers)
        check_quantities(frame, tables.production, numbers[1:])
        frame = whole_years(frame, tables.production)
        frame = match_commodities(frame, commodity_lookup(crops or ()), what="production")
        production = keyed(frame, "production", code)
    if tables.households:
        frame = read_table(tables.households, text_columns=[code],
                           numeric_columns=[tables.households_column])
        check_quantities(frame, tables.households, [tables.households_column])
        frame = keyed(frame, "households", code)
        households = frame.groupby("kecamatan_id")[tables.households_column].sum()
    if tables.sentra:
        sentra = keyed(read_table(tables.sentra, text_columns=[code]), "sentra", code)
    if tables.cooperatives:
        cooperatives = keyed(read_vector(tables.cooperatives), "cooperatives", code)
    lost = pd.concat(unmatched, ignore_index=True) if unmatched else pd.DataFrame()
    prices = read_prices(tables, list(crops or ()))
    return DecisionTables(production, households, sentra, cooperatives, lost, prices)


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
        ``progress(done, total)`` over the steps: the tables read and scored, each
        region solve, each robustness draw, the cooperatives ranked and each
        climate scenario re-solved.

    Notes
    -----
    With ``[assign] scope = "kabupaten"`` (the default) the constraints apply
    within each kabupaten (read from the kecamatan codes) and each kabupaten is
    solved as an independent task on the run's executor
    (:func:`aez.assign.regional.assign_by_region`); ``"study_area"`` solves the
    whole study area as one problem. A kecamatan with no eligible product gets
    none, with its reason, and the run goes on.
    """
    scenario_names = sorted({s for t in totals.values() for s in t.scenarios})
    steps = _Steps(progress, before=1, after=1 + len(scenario_names))
    summary = district_summary(totals, study_area)
    ids = study_area.districts[study_area.id_column].astype(str)
    crops = list(totals)
    tables = read_decision_tables(config.tables, study_area, crops=crops)
    evidence = (_evidence(config, summary, tables.production, ids, crops)
                if tables.production is not None else None)
    requirements = run_crops(config)
    potential = potential_table(config, summary, requirements, production=tables.production,
                                prices=tables.prices)
    criteria = _criteria(config, summary, tables, ids, crops, evidence, potential)
    weights = score_weights(config, criteria)
    scores = score_table({k: criteria[k] for k in weights}, weights=weights,
                         kecamatan=list(ids), commodities=crops,
                         normalise=score_normalisation(config, list(weights)),
                         bounds={name: section.bounds for name, section
                                 in config.score.normalise.items()
                                 if section.bounds is not None and name in list(weights)})
    assign_args, development = _assign_arguments(config, summary, study_area, evidence)
    steps.step()
    regional = assign_by_region(
        scores.total, _solve_regions(config, ids), components=scores.components,
        weights=scores.weights, draws=config.robustness.draws, seed=config.robustness.seed,
        concentration=config.robustness.concentration, executor=config.run.executor,
        workers=_threads(config), scheduler=config.run.scheduler,
        on_progress=steps.middle, fit_small=config.assign.scope == "kabupaten", **assign_args)
    assignment, mc = regional.assignment, regional.robustness
    _log_solves(regional.solves)
    kecamatan = _kecamatan_table(assignment, mc, study_area)
    kecamatan = _with_evidence(kecamatan, config, summary, evidence, development, scores)
    coops = pd.DataFrame()
    if tables.cooperatives is not None:
        coops = rank_cooperatives(assignment.chosen, tables.cooperatives,
                                  options=CooperativeOptions(kecamatan_column="kecamatan_id"),
                                  suitable_land=_distance_to_suitable(totals, study_area, grid))
    steps.step()
    solved: dict[str, Assignment | None] = {}
    if any(t.scenarios for t in totals.values()):
        summaries = scenario_summaries(totals, study_area)
        for name, scenario_summary in summaries.items():
            solved[name] = _resolve(config, scenario_summary, tables, ids, crops, weights,
                                    study_area, name, requirements)
            steps.step()
        kecamatan = kecamatan.join(climate_columns(kecamatan["product"], summary, summaries,
                                                   solved))
    regions = _regions(kecamatan, config.regions)
    return Decision(summary, scores, assignment, mc, kecamatan, coops, regions,
                    tables.unmatched, solves=regional.solves, evidence=evidence,
                    scenarios=solved, potential=potential)


class _Steps:
    """Progress over a stage: fixed steps before and after a middle part whose size comes late."""

    def __init__(self, progress: Callable[[int, int], None] | None, *, before: int,
                 after: int) -> None:
        self.progress, self.before, self.after = progress, before, after
        self.done, self.middle_total = 0, 0

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.before + self.middle_total + self.after)

    def step(self) -> None:
        """One fixed step done."""
        self.done += 1
        self._report()

    def middle(self, done: int, total: int) -> None:
        """``done`` of the ``total`` middle steps (region solves, draws) done."""
        self.middle_total = total
        self.done = self.before + done
        self._report()


def _resolve(config: RunConfig, summary: pd.DataFrame, tables: DecisionTables,
             ids: pd.Series, crops: list[str], weights: Any, study_area: StudyArea,
             scenario: str, requirements: Sequence[Any] = ()) -> Assignment | None:
    """Score and assign again with a climate scenario's suitability (None: no solution).

    The regions, ``[assign]`` settings, normalisation and other criteria are the
    baseline's (the evidence's roles are recomputed on the scenario's land); no
    robustness draws.
    """
    evidence = (_evidence(config, summary, tables.production, ids, crops)
                if tables.production is not None else None)
    potential = potential_table(config, summary, requirements, production=tables.production,
                                prices=tables.prices)
    criteria = _criteria(config, summary, tables, ids, crops, evidence, potential)
    scores = score_table({k: criteria[k] for k in weights}, weights=weights,
                         kecamatan=list(ids), commodities=crops,
                         normalise=score_normalisation(config, list(weights)))
    arguments, _ = _assign_arguments(config, summary, study_area, evidence)
    try:
        return assign_by_region(
            scores.total, _solve_regions(config, ids), components=scores.components,
            weights=scores.weights, executor=config.run.executor, workers=_threads(config),
            scheduler=config.run.scheduler, fit_small=config.assign.scope == "kabupaten",
            binding=False, **arguments).assignment  # only its products are compared
    except InfeasibleError as exc:
        warnings.warn(f"[scenarios.{scenario}]: the assignment has no solution under this "
                      f"scenario ({exc}); its products are left empty. Relax [assign] (e.g. "
                      "min_suitable_share or min_distinct) to re-solve it.", AEZWarning,
                      stacklevel=2)
        return None


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


def score_normalisation(config: RunConfig, criteria: list[str]) -> dict[str, Normalisation]:
    """Return the ``[score.normalise]`` of the criteria scored (the rest take the defaults).

    ``value`` without ``[tables] prices`` is potential production in tons, which
    do not compare across commodities (a ton of pepper is not a ton of cassava):
    unless configured, it is then scaled min–max within each commodity.
    """
    chosen = {name: section.spec() for name, section in config.score.normalise.items()
              if name in criteria}
    if "value" in criteria and "value" not in chosen and config.tables.prices is None:
        chosen["value"] = Normalisation("minmax", within="commodity")
    return chosen


def _criteria(config: RunConfig, summary: pd.DataFrame, tables: DecisionTables,
              ids: pd.Series, crops: list[str], evidence: Evidence | None,
              potential: pd.DataFrame | None = None) -> dict[str, pd.DataFrame | pd.Series]:
    """Collect the raw criteria this run has inputs for."""
    measure = "SI" if config.score.suitability == "si" else "suitable_ha"
    found: dict[str, pd.DataFrame | pd.Series] = {"suitability": wide_table(summary, measure)}
    access = f"{ACCESS_LAYER}_mean_suitable"
    if access in summary.columns:
        found["market_access"] = wide_table(summary, access)
    production = tables.production
    if production is not None and evidence is not None:
        found["lq"] = evidence.lq
        if production["year"].nunique() > 1:
            found["growth"] = evidence.growth
    if tables.households is not None:
        found["labour"] = tables.households.reindex(ids)
    if tables.cooperatives is not None:
        found["cooperatives"] = cooperative_counts(tables.cooperatives, crops,
                                                   kecamatan_column="kecamatan_id",
                                                   kecamatan=list(ids))
    if tables.sentra is not None:
        found["sentra"] = sentra_counts(tables.sentra, crops, kecamatan_column="kecamatan_id",
                                        kecamatan=list(ids))
    value = value_criterion(potential) if potential is not None else None
    if value is not None:
        found["value"] = value
    return found


#: Columns of a production table that name the unit of each row (they must agree in a basket).
UNIT_COLUMNS = ("unit", "satuan")
#: ``[score.lq] measure`` → the ``[tables]`` key naming its column.
_MEASURE_KEYS = {"production": "production_value", "value": "production_rupiah",
                 "area": "production_area"}


def _evidence(config: RunConfig, summary: pd.DataFrame, production: pd.DataFrame,
              ids: pd.Series, crops: list[str]) -> Evidence:
    """LQ within the ``[score.lq]`` basket, production facts and roles of every pair."""
    t, lq_config = config.tables, config.score.lq
    column = getattr(t, _MEASURE_KEYS[lq_config.measure])
    for key, name in ((_MEASURE_KEYS[lq_config.measure], column),
                      ("production_value", t.production_value)):
        if name not in production.columns:
            raise ConfigError(
                f"[score.lq] measure = {lq_config.measure!r} reads column {name!r} ([tables] "
                f"{key}), which the production table lacks; it has {list(production.columns)}.")
    grouped = t.production_group in production.columns
    group_of: dict[str, str] = {}
    if grouped:
        places = production[["commodity", t.production_group]].drop_duplicates()
        twice = places["commodity"][places["commodity"].duplicated()]
        if len(twice):
            raise ConfigError(
                f"Commodity {twice.iloc[0]!r} is in more than one group of the production table "
                f"(column {t.production_group!r}); a commodity must belong to one group.")
        group_of = dict(zip(places["commodity"], places[t.production_group].astype(str),
                            strict=True))
    present = sorted(production["commodity"].unique())
    if lq_config.basket == "evaluated":
        members = [c for c in present if c in crops]
        baskets = {"": members}
    elif lq_config.basket == "all" or not grouped:
        members = present
        baskets = {"": members}
    else:
        members = present
        baskets = {}
        for commodity in present:
            baskets.setdefault(group_of[commodity], []).append(commodity)
    if not members:
        raise ConfigError(f"The production table has none of the evaluated commodities {crops}; "
                          f"its commodities include {present[:6]}.")
    rows = production[production["commodity"].isin(members)]
    for unit in (c for c in UNIT_COLUMNS if c in rows.columns):
        for key, commodities in baskets.items():
            units = sorted(rows.loc[rows["commodity"].isin(commodities), unit].dropna()
                           .astype(str).unique())
            if len(units) > 1:
                raise ConfigError(
                    f"The LQ basket {key or '(the whole table)'!r} adds up values in "
                    f"{units} (column {unit!r}): convert them to one unit first (e.g. kw and "
                    "kg to tons), or choose a basket of one unit ([score.lq] basket).")
    by_year = tables_by_year(rows, year="year", district="kecamatan_id", sector="commodity",
                             value=column)
    year = max(by_year)
    latest = by_year[year].reindex(index=ids)
    basket_of = {c: key for key, cs in baskets.items() for c in cs}
    reference, reference_name = _lq_reference(config, members, year)
    lq = grouped_location_quotient(latest, basket_of, reference=reference).reindex(columns=crops)

    evaluated = production[production["commodity"].isin(crops)]
    tons_by_year = tables_by_year(evaluated, year="year", district="kecamatan_id",
                                  sector="commodity", value=t.production_value)
    tons = (tons_by_year[year] if year in tons_by_year
            else pd.DataFrame(np.nan, index=ids, columns=crops)).reindex(index=ids, columns=crops)
    try:
        kabupaten = kabupaten_of(tons.index)
    except ConfigError:  # ids that are not codes: the study area is the one whole
        kabupaten = pd.Series("", index=tons.index)
    totals = tons.groupby(kabupaten.to_numpy()).transform("sum")
    share = tons / totals.where(totals > 0)
    if len(by_year) > 1:
        growth = growth_rate(evaluated, kecamatan_column="kecamatan_id",
                             value_column=t.production_value, kecamatan=list(ids),
                             commodities=crops)
        falling = falling_every_year(evaluated, value=t.production_value).unstack()
        falling = falling.reindex(index=ids, columns=crops).fillna(False).astype(bool)
        klassen = _klassen(by_year, baskets, config, members).reindex(index=ids, columns=crops)
    else:
        growth = pd.DataFrame(np.nan, index=ids, columns=crops)
        falling = pd.DataFrame(False, index=ids, columns=crops)
        klassen = pd.DataFrame(None, index=ids, columns=crops, dtype=object)
    for table in (lq, tons, share, growth, falling, klassen):
        table.index.name, table.columns.name = "kecamatan_id", "commodity"
    roles = commodity_roles(lq, tons, wide_table(summary, "suitable_ha").reindex(
        index=ids, columns=crops))
    basket = Basket(lq_config.basket, lq_config.measure, column, year, min(by_year),
                    {k: tuple(v) for k, v in baskets.items()}, group_of, reference_name)
    log.info("LQ %d: %s basket over %d commodities in %d group(s), %s, reference %s", year,
             lq_config.basket, len(members), len(baskets), lq_config.measure, reference_name)
    return Evidence(basket, lq, tons, share, growth, falling, klassen, roles)


def _lq_reference(config: RunConfig, members: list[str],
                  year: int) -> tuple[pd.Series | None, str]:
    """Return the ``[score.lq] reference`` totals of ``year`` (None: the study area) and name."""
    lq_config = config.score.lq
    if lq_config.reference is None:
        return None, "study_area"
    column = getattr(config.tables, _MEASURE_KEYS[lq_config.measure])
    table = read_table(lq_config.reference)
    lacking = [c for c in ("commodity", "year", column) if c not in table.columns]
    if lacking:
        raise ConfigError(f"[score.lq] reference {lq_config.reference} has no column "
                          f"{lacking[0]!r}; it needs commodity, year and {column!r}.")
    rows = table[pd.to_numeric(table["year"], errors="coerce") == year]
    totals = rows.groupby("commodity")[column].sum(min_count=1)
    missing = [c for c in members if c not in totals.index]
    if missing:
        raise ConfigError(f"[score.lq] reference {lq_config.reference} has no {year} total for "
                          f"{missing[:5]}; the basket needs every commodity of the production "
                          "table.")
    return (totals.reindex(members).astype(np.float64),
            lq_config.reference_name or lq_config.reference.name)


def _klassen(by_year: dict[int, pd.DataFrame], baskets: Mapping[str, list[str]],
             config: RunConfig, members: list[str]) -> pd.DataFrame:
    """Klassen quadrant label of every pair, within the LQ's baskets (None: growth unknown)."""
    years = sorted(by_year)
    growth: Literal["mean", "compound"] = (
        "mean" if years == list(range(years[0], years[-1] + 1)) else "compound")
    reference = None
    if config.score.lq.reference is not None:
        try:
            reference = pd.DataFrame({y: _lq_reference(config, members, y)[0] for y in years}).T
        except ConfigError as err:
            log.info("Klassen quadrants against the study area: %s", err)
    parts = []
    for commodities in baskets.values():
        panel = {y: by_year[y][commodities] for y in years}
        part_reference = None if reference is None else reference[commodities]
        parts.append(klassen_typology(panel, reference=part_reference,
                                      growth=growth)["label_id"].unstack())
    return pd.concat(parts, axis=1)


def _with_evidence(kecamatan: pd.DataFrame, config: RunConfig, summary: pd.DataFrame,
                   evidence: Evidence | None, development: pd.Series | None,
                   scores: Scores) -> pd.DataFrame:
    """Add what a planner must see of each chosen product: land, production, role, flags.

    ``suitable_ha`` and ``suitable_share`` of the product's land; with a
    production table its ``role``, ``klassen`` quadrant, ``lq``,
    ``production`` in ``production_year``, ``production_share`` of the
    kabupaten's, ``growth`` and ``falling``; ``flags``
    (:func:`aez.assign.roles.product_flags`). A kecamatan whose product was the
    only one allowed has stability ``no_alternative``.
    """
    table = kecamatan.copy()
    chosen = table["product"]
    suitable = wide_table(summary, "suitable_ha")
    land_share = suitable / wide_table(summary, "evaluated_ha").where(
        wide_table(summary, "evaluated_ha") > 0)

    def pick(frame: pd.DataFrame) -> list[Any]:
        return [frame.at[k, p] if k in frame.index and p in frame.columns else np.nan
                for k, p in chosen.items()]

    table["suitable_ha"] = pick(suitable)
    table["suitable_share"] = pick(land_share)
    no_alternative = table["alternative_1"].isna()
    candidates = None
    if evidence is not None:
        table["role"] = pick(evidence.roles)
        table["klassen"] = [None if pd.isna(v) else v for v in pick(evidence.klassen)]
        table["lq"] = pick(evidence.lq)
        table["production"] = pick(evidence.production)
        table["production_year"] = evidence.basket.year
        table["production_share"] = pick(evidence.share)
        table["growth"] = pick(evidence.growth)
        table["falling"] = [bool(v) for v in pick(evidence.falling)]
        candidates = table["role"] != "unggulan"
    table["flags"] = product_flags(
        chosen, production=None if evidence is None else evidence.production,
        falling=None if evidence is None else evidence.falling, suitable_ha=suitable,
        suitable_share=land_share, min_suitable_share=config.assign.min_suitable_share,
        no_alternative=no_alternative, development=candidates)
    if "stability" in table.columns:
        table["stability"] = table["stability"].where(~no_alternative, "no_alternative")
    return table


def _assign_arguments(config: RunConfig, summary: pd.DataFrame, study_area: StudyArea,
                      evidence: Evidence | None) -> tuple[dict[str, Any], pd.Series | None]:
    """Keyword arguments of :func:`assign_products`: ``[assign]`` as options, and the data.

    ``min_suitable_share`` becomes the ``eligible`` table (from the summary),
    narrowed to each kecamatan's *unggulan* commodities by ``require_base``
    (returned: the development candidates, None without the rule), and a
    contiguity bonus brings the neighbour pairs of the study area.
    """
    a = config.assign
    share = wide_table(summary, "suitable_ha") / wide_table(summary, "evaluated_ha")
    eligible = share.fillna(0.0) >= a.min_suitable_share
    development = None
    if a.require_base and evidence is not None:
        keep: dict[Any, Any] = dict(a.must_keep)
        eligible, development = restrict_to_base(eligible, evidence.roles, keep=keep)
        if development.any():
            log.info("No base (LQ ≥ 1 and production) among the eligible commodities of %d "
                     "kecamatan: their products are development candidates (%s)",
                     int(development.sum()), ", ".join(map(str, development[development].index)))
    elif a.require_base:
        log.info("[assign] require_base: no production table, so no base to require")
    options = AssignOptions(
        per_kecamatan=a.per_kecamatan, max_per_product=a.max_per_product,
        max_share=a.max_share, min_distinct=a.min_distinct,
        must_keep=dict(a.must_keep) or None,
        forbidden={k: list(v) for k, v in a.forbidden.items()} or None,
        contiguity_bonus=a.contiguity_bonus, time_limit=a.time_limit,
        node_limit=a.node_limit)
    arguments: dict[str, Any] = {"options": options, "eligible": eligible}
    if a.contiguity_bonus > 0:
        arguments["adjacency"] = adjacency_from_polygons(study_area.districts,
                                                         study_area.id_column)
    return arguments, development


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


def write_decision(decision: Decision, outdir: str | Path, *, overwrite: bool = False,
                   on_written: Callable[[int, int], None] | None = None) -> dict[str, Path]:
    """Write the decision tables as CSV (UTF-8) into ``outdir``; return their paths.

    ``kecamatan_products.csv`` (one row per kecamatan), ``suitability_by_kecamatan.csv``
    (kecamatan × commodity hectares, SI, limits), ``scores.csv`` (every criterion,
    raw and normalised, and the total), ``cooperatives.csv``, ``regions.csv``,
    ``robustness.csv`` (product probabilities; only with draws),
    ``potential_production.csv`` (kecamatan × commodity potential production,
    value, yield source and realised share; docs/production.md) and
    ``unmatched_rows.csv`` (only when some table rows matched no kecamatan).
    Each file is written under a temporary name and renamed when complete, with
    hectares to 2 decimals, indices to 4 and other quantities to 6 significant
    digits, lists joined by ``"; "``
    (:func:`aez.io.csv_table.write_csv`). ``on_written(done, total)`` is called
    after each file.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    frames = {"kecamatan_products.csv": decision.kecamatan,
              "suitability_by_kecamatan.csv": decision.summary.set_index("kecamatan_id"),
              "scores.csv": long_scores(decision.scores, decision.evidence),
              "cooperatives.csv": decision.cooperatives.set_index("kecamatan")
              if len(decision.cooperatives) else decision.cooperatives,
              "regions.csv": decision.regions}
    if decision.robustness is not None:
        frames["robustness.csv"] = decision.robustness.probability.join(
            decision.robustness.summary)
    if decision.potential is not None:
        frames["potential_production.csv"] = decision.potential.set_index(
            ["kecamatan_id", "commodity"])
    if len(decision.unmatched):
        frames["unmatched_rows.csv"] = decision.unmatched.drop(columns="geometry",
                                                               errors="ignore")
    written = {}
    for name, frame in frames.items():
        written[name] = write_csv(frame, outdir / name, overwrite=overwrite)
        if on_written is not None:
            on_written(len(written), len(frames))
    return written


def long_scores(scores: Scores, evidence: Evidence | None = None) -> pd.DataFrame:
    """One row per kecamatan × commodity: raw and normalised criteria and the total.

    With ``evidence``, also the role, Klassen quadrant, production, its share of
    the kabupaten's, growth and whether it fell every year.
    """
    parts = {}
    for name in scores.components:
        parts[f"{name}_raw"] = scores.raw[name].stack(future_stack=True)
        parts[f"{name}_score"] = scores.components[name].stack()
    parts["total"] = scores.total.stack()
    table = pd.DataFrame(parts)
    table.index.names = ["kecamatan_id", "commodity"]
    if evidence is not None:
        table = table.join(evidence.long())
    return table
