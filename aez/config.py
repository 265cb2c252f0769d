"""Run configuration: a TOML file loaded into frozen, validated dataclasses.

A config has these tables (only ``[grid]`` and ``[layers.*]`` are required)::

    [grid]
    crs = "auto"            # EPSG code, or "auto": the UTM zone of the study area
    resolution = 50         # cell size in CRS units (m)

    [study_area]
    path = "kecamatan.gpkg"
    id_column = "kode_kemendagri"
    name_column = "nama"

    [run]
    executor = "threads"    # serial | threads | dask
    tile_size = 512
    min_coverage = 0.99

    [output]
    dir = "aez-out"
    region = "Kab. Sikka"   # the name on maps and in the report

    [evaluate]
    crops = ["padi_sawah", "jagung"]
    aggregate = "minimum"

    [constraints.deep_peat]     # land excluded before evaluation
    layer = "peat_depth"
    above = 300

    [layers.dem]
    path = "dem.tif"
    units = "m"

    [tables]                    # the decision stage's non-grid inputs
    production = "produksi.csv" # long: code, commodity, year, production (, group)
    crosswalk = "kecamatan_crosswalk.csv"
    prices = "harga.csv"        # commodity, year, price_rp_per_kg (docs/production.md)

    [potential]                 # potential production (docs/production.md)
    fractions = { S1 = 0.875, S2 = 0.625, S3 = 0.375, N = 0.0 }
    local_yield = true          # BPS production / area replaces the reference yield

    [score.weights]             # criteria of the one-product-per-kecamatan score
    suitability = 0.4
    lq = 0.3
    market_access = 0.3

    [score.normalise]           # per criterion; the rest keep their defaults
    lq = { method = "log", cap = 4 }

    [score.lq]                  # the location quotient's basket and measure
    basket = "group"            # group | evaluated | all
    measure = "production"      # production | value | area

    [assign]
    max_share = 0.3
    min_distinct = 3
    require_base = true         # a leading product needs LQ ≥ 1 and production > 0

    [robustness]
    draws = 200

    [regions]                   # kecamatan id → development region (wilbang)
    "63.90.01" = "Pesisir"

    [scenarios.plus2c]          # climate scenario (docs/scenarios.md)
    temperature_delta = 2.0     # °C
    rainfall_change = -0.1      # fraction of rainfall (annual and monthly)
    layers = { dry_months = "dry_months_2050.tif" }

Unknown keys are refused with their key path; relative paths are resolved
against the config file's folder. New sections are added by giving
:class:`RunConfig` a new dataclass field.

>>> cfg = loads_config('''
... [grid]
... crs = "EPSG:32750"
... resolution = 50
... bounds = [500000, 9000000, 510000, 9010000]
... [layers.dem]
... path = "dem.tif"
... units = "m"
... ''', base="/data")
>>> cfg.grid.resolution, str(cfg.layers["dem"].path)
(50.0, '/data/dem.tif')
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import tomli_w

from aez.errors import ConfigError, DataSourceError
from aez.evaluate.constraints import Constraint
from aez.evaluate.scenarios import Scenario
from aez.executor import DEFAULT_GDAL_CACHE_MB
from aez.harmonize.spec import DerivedSpec, LayerSpec

__all__ = [
    "DEFAULT_WEIGHTS",
    "AHPConfig",
    "AssignConfig",
    "GridConfig",
    "LQConfig",
    "NormaliseConfig",
    "OutputConfig",
    "PotentialConfig",
    "RobustnessConfig",
    "RunConfig",
    "RunSettings",
    "ScoreConfig",
    "StudyAreaConfig",
    "TablesConfig",
    "load_config",
    "loads_config",
]


@dataclass(frozen=True)
class GridConfig:
    """``[grid]``: the analysis grid.

    Attributes
    ----------
    crs : str
        EPSG code or WKT; ``"auto"`` picks the UTM zone of the study area.
    resolution : float
        Cell size in CRS units (metres for UTM).
    bounds : (left, bottom, right, top), optional
        Extent in the grid CRS; default: the study area's bounds, snapped.
    reference : Path, optional
        Use this raster's grid exactly (overrides the other keys).
    """

    crs: str = "auto"
    resolution: float = 100.0
    bounds: tuple[float, float, float, float] | None = None
    reference: Path | None = None


@dataclass(frozen=True)
class StudyAreaConfig:
    """``[study_area]``: district (kecamatan) polygons."""

    path: Path
    id_column: str
    name_column: str | None = None
    layer: str | None = None


@dataclass(frozen=True)
class RunSettings:
    """``[run]``: how the tiles are computed."""

    executor: Literal["serial", "threads", "dask"] = "serial"
    workers: int | None = None
    scheduler: str | None = None
    tile_size: int = 512
    min_coverage: float = 0.99
    gdal_cache_mb: int = DEFAULT_GDAL_CACHE_MB

    def __post_init__(self) -> None:
        if self.tile_size < 16:
            raise ConfigError(f"[run] tile_size = {self.tile_size}; use at least 16 cells.")
        if not 0 <= self.min_coverage <= 1:
            raise ConfigError(f"[run] min_coverage = {self.min_coverage}; expected 0 … 1.")
        if self.gdal_cache_mb < 1:
            raise ConfigError(f"[run] gdal_cache_mb = {self.gdal_cache_mb}; expected ≥ 1 (MiB).")
        if self.workers is not None and self.workers < 1:
            raise ConfigError(f"[run] workers = {self.workers}; expected at least 1.")


@dataclass(frozen=True)
class OutputConfig:
    """``[output]``: where results go, and how maps and report name the region.

    ``region`` is the name shown in titles (e.g. "Kab. Sikka"; default: the
    kabupaten code of the kecamatan); ``synthetic = true`` marks the data as
    generated (e.g. by ``aez demo``), which the maps and report say;
    ``data_source`` is the data credit printed on every map (e.g. "BPS 2023,
    OpenStreetMap; soils synthetic"). ``maps`` chooses the atlas maps drawn:
    ``"all"``, ``"summary"`` (overview, products and robustness only, without
    the two maps per commodity; for a province run) or ``"none"``.
    """

    dir: Path = Path("aez-out")
    region: str = ""
    synthetic: bool = False
    data_source: str = ""
    maps: Literal["all", "summary", "none"] = "all"


@dataclass(frozen=True)
class EvaluationConfig:
    """``[evaluate]``: the crops to evaluate and how.

    ``crops`` are ids of built-in tables or of tables in ``crop_dirs`` (a user
    table with a built-in id overrides it), or paths of ``.toml`` tables.
    ``aggregate`` combines characteristic indices (see :mod:`aez.evaluate.matching`).
    ``ecocrop`` is an ECOCROP-layout CSV for crops listed as ``"ecocrop:<name>"``.
    """

    crops: tuple[str, ...] = ()
    crop_dirs: tuple[Path, ...] = ()
    aggregate: Literal["minimum", "geometric_mean", "square_root"] = "minimum"
    ecocrop: Path | None = None


#: Default criterion weights of the product score (sum 1).
DEFAULT_WEIGHTS: dict[str, float] = {
    "suitability": 0.35, "lq": 0.20, "growth": 0.10, "market_access": 0.15,
    "labour": 0.10, "cooperatives": 0.05, "sentra": 0.05,
}


@dataclass(frozen=True)
class TablesConfig:
    """``[tables]``: the non-grid inputs of the decision stage.

    Tables are keyed by ``code_column`` (BPS codes in BPS exports); when that is
    not the study area's id system, ``crosswalk`` (columns for both systems)
    translates them, and rows that do not match are reported.
    ``production`` is a long table (code, commodity, year, value), as CSV or a
    BPS-style xlsx; ``households`` has one row per kecamatan; ``sentra`` one row per
    kecamatan × business field; ``cooperatives`` is a point layer whose
    ``usaha`` column lists commodity ids separated by ``;``.

    The production table may hold more commodities than are evaluated: the
    location quotient's basket (``[score.lq]``) needs them all. Its columns:
    ``production_value`` (production, one mass unit, e.g. tons),
    ``production_group`` (the group or BPS table of each row, e.g. ``5.1.13``
    for fruit; without the column every row is in one group), and, for the
    other LQ measures, ``production_rupiah`` (value of production) and
    ``production_area`` (harvested area).

    ``prices`` is a table of producer prices (columns ``commodity``, ``year``
    and ``prices_column``, in Rp/kg of the product the crop table weighs; an
    optional ``unit`` column must say Rp/kg), from BPS producer price
    statistics or the user. With it the ``value`` criterion is the potential
    gross value (Rp/yr), otherwise the potential production (t/yr).
    """

    production: Path | None = None
    production_value: str = "production_ton"
    production_group: str = "group"
    production_area: str = "area_ha"
    production_rupiah: str = "value_rp"
    households: Path | None = None
    households_column: str = "rumah_tangga_usaha_pertanian"
    sentra: Path | None = None
    cooperatives: Path | None = None
    crosswalk: Path | None = None
    code_column: str = "kode_bps"
    prices: Path | None = None
    prices_column: str = "price_rp_per_kg"


@dataclass(frozen=True)
class PotentialConfig:
    """``[potential]``: how potential production is computed (``docs/production.md``).

    ``fractions`` overrides the relative yield of each class S1, S2, S3, N for
    every crop (default: each crop table's, else
    :data:`aez.crops.yields.DEFAULT_FRACTIONS`); ``local_yield`` uses the
    productivity BPS production and harvested area imply for a kecamatan
    (``[tables] production_area``) instead of the crop table's reference yield.
    """

    fractions: Mapping[str, float] | None = None
    local_yield: bool = True

    def __post_init__(self) -> None:
        if self.fractions is not None:
            from aez.crops.yields import check_fractions

            check_fractions(dict(self.fractions), "[potential]")


@dataclass(frozen=True)
class AHPConfig:
    """``[score.ahp]``: Saaty pairwise comparisons of the criteria.

    ``matrix[i][j]`` says how much more important ``criteria[i]`` is than
    ``criteria[j]`` (1–9, reciprocals below the diagonal). Judgements whose
    consistency ratio exceeds 0.1 are refused.
    """

    criteria: tuple[str, ...]
    matrix: tuple[tuple[float, ...], ...]

    def __post_init__(self) -> None:
        n = len(self.criteria)
        _known_criteria(self.criteria, "[score.ahp] criteria")
        if len(set(self.criteria)) != n:
            raise ConfigError(f"[score.ahp] criteria = {list(self.criteria)} repeats a name; "
                              "list each criterion once.")
        rows = [len(row) for row in self.matrix]
        if len(self.matrix) != n or any(r != n for r in rows):
            raise ConfigError(f"[score.ahp] matrix is {len(self.matrix)} rows of {rows} values "
                              f"for {n} criteria; give a square {n} × {n} matrix (one row and "
                              "one column per entry of [score.ahp] criteria).")
        for i, row in enumerate(self.matrix):
            for j, value in enumerate(row):
                if not math.isfinite(value) or value <= 0:
                    raise ConfigError(f"[score.ahp] matrix[{i}][{j}] = {value!r}; comparisons "
                                      "are positive numbers (1–9 or their reciprocals).")


@dataclass(frozen=True)
class NormaliseConfig:
    """``[score.normalise.<criterion>]``: how one criterion is scaled to 0–1.

    ``method`` is ``minmax``, ``rank`` (percentile), ``log`` (for ratios such as
    LQ: symmetric around 1, ``cap`` scores 1) or ``capped`` (min–max after
    clipping at ``cap`` or at the ``quantile`` of the values); ``within`` is
    ``all`` (one scale for every pair), ``commodity`` or ``kabupaten``.
    ``bounds = [low, high]`` fixes the scale of a ``minmax`` or ``capped``
    criterion (e.g. ``[0, 90]`` for SI). See
    :class:`aez.assign.score.Normalisation` and ``docs/scoring.md``.
    """

    name: str
    method: Literal["minmax", "rank", "log", "capped"] = "minmax"
    within: Literal["all", "commodity", "kabupaten"] = "all"
    cap: float | None = None
    quantile: float | None = None
    bounds: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        from aez.assign.score import CRITERIA

        if self.name not in CRITERIA:
            raise ConfigError(f"[score.normalise] names {self.name!r}, which is not a criterion "
                              f"({', '.join(CRITERIA)}).")
        self.spec()  # checks the combination
        if self.bounds is not None:
            low, high = self.bounds
            if self.method not in ("minmax", "capped") or not low < high:
                raise ConfigError(f"[score.normalise.{self.name}] bounds = {list(self.bounds)}: "
                                  "bounds fix the scale of 'minmax' or 'capped' and need "
                                  "low < high.")

    def spec(self) -> Any:
        """Return the :class:`aez.assign.score.Normalisation` this section describes."""
        from aez.assign.score import Normalisation

        try:
            return Normalisation(self.method, self.within, self.cap, self.quantile)
        except ConfigError as err:
            raise ConfigError(f"[score.normalise.{self.name}]: {err}") from None


@dataclass(frozen=True)
class LQConfig:
    """``[score.lq]``: the location quotient's basket, measure and reference.

    ``basket`` is the set of commodities whose total a kecamatan's share is taken
    of: ``"group"`` (every commodity of the commodity's group in the production
    table, e.g. all fruit of BPS table 5.1.13; the default), ``"evaluated"``
    (only the evaluated commodities, mixing groups) or ``"all"`` (every
    commodity of the table, mixing groups). ``measure`` is ``"production"``
    (``[tables] production_value``), ``"value"`` (``production_rupiah``) or
    ``"area"`` (``production_area``). ``reference`` is a table of the
    reference region's totals (columns commodity, year and the measure's
    column, e.g. the province's own row); without it the reference is the sum
    of the study area's kecamatan. ``reference_name`` names it in the report.
    """

    basket: Literal["group", "evaluated", "all"] = "group"
    measure: Literal["production", "value", "area"] = "production"
    reference: Path | None = None
    reference_name: str = ""


@dataclass(frozen=True)
class ScoreConfig:
    """``[score]``: criterion weights (normalised to sum 1) and the suitability measure.

    ``suitability`` is ``"si"`` (the suitability index of the class shares) or
    ``"suitable_ha"`` (hectares of S1–S3). Criteria with zero weight are ignored.
    With ``[score.ahp]`` the weights come from the AHP comparisons instead.
    ``[score.normalise]`` sets the normalisation of some criteria (the others
    keep :data:`aez.assign.score.DEFAULT_NORMALISATION`); ``[score.lq]`` the
    location quotient's basket.
    """

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    suitability: Literal["si", "suitable_ha"] = "si"
    ahp: AHPConfig | None = None
    normalise: Mapping[str, NormaliseConfig] = field(default_factory=dict)
    lq: LQConfig = field(default_factory=LQConfig)

    def __post_init__(self) -> None:
        _known_criteria(self.weights, "[score.weights]")
        for name, value in self.weights.items():
            if not math.isfinite(value) or value < 0:
                raise ConfigError(f"[score.weights] {name} = {value!r}; a weight is a number "
                                  "≥ 0 (0 leaves the criterion out).")
        if self.weights and not any(v > 0 for v in self.weights.values()):
            raise ConfigError(f"[score.weights] are all 0 ({dict(self.weights)}); give at "
                              "least one criterion a positive weight.")


@dataclass(frozen=True)
class AssignConfig:
    """``[assign]``: the one-product-per-kecamatan programme (see ``docs/assignment.md``).

    ``min_suitable_share`` makes a product eligible in a kecamatan only when at
    least that share of its evaluated land is S1–S3 (never assign onto mostly N
    land). ``require_base`` (default true) gives a kecamatan a leading product
    only among the commodities it already has a base in (*unggulan*: LQ ≥ 1 and
    production in the latest year); a kecamatan without any base gets its best
    *potensial* product (suitable land, no base), flagged as a development candidate.
    ``contiguity_bonus`` rewards neighbouring kecamatan sharing a product;
    it makes the programme harder, and ``node_limit`` (branch-and-bound nodes
    per solve, deterministic) or ``time_limit`` (seconds, machine-dependent)
    then bounds each solve, reporting the remaining gap. ``scope`` says where
    the constraints apply: within each ``"kabupaten"`` (the default; each is
    solved on its own) or across the whole ``"study_area"``.
    """

    per_kecamatan: int = 1
    max_per_product: int | None = None
    max_share: float | None = None
    min_distinct: int | None = None
    must_keep: Mapping[str, str] = field(default_factory=dict)
    forbidden: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    min_suitable_share: float = 0.1
    require_base: bool = True
    contiguity_bonus: float = 0.0
    time_limit: float | None = None
    node_limit: int | None = None
    scope: Literal["kabupaten", "study_area"] = "kabupaten"

    def __post_init__(self) -> None:
        if self.per_kecamatan < 1:
            raise ConfigError(f"[assign] per_kecamatan = {self.per_kecamatan}; expected ≥ 1.")
        for key in ("max_per_product", "min_distinct"):
            value = getattr(self, key)
            if value is not None and value < 1:
                raise ConfigError(f"[assign] {key} = {value}; expected ≥ 1 (or leave it out).")
        if self.max_share is not None and not 0 < self.max_share <= 1:
            raise ConfigError(f"[assign] max_share = {self.max_share}; expected a share in "
                              "(0, 1], e.g. 0.25.")
        if not 0 <= self.min_suitable_share <= 1:
            raise ConfigError(f"[assign] min_suitable_share = {self.min_suitable_share}; "
                              "expected a share in [0, 1], e.g. 0.1.")
        if not math.isfinite(self.contiguity_bonus) or self.contiguity_bonus < 0:
            raise ConfigError(f"[assign] contiguity_bonus = {self.contiguity_bonus}; expected "
                              "a number ≥ 0 (0: no bonus).")
        if self.time_limit is not None and not self.time_limit > 0:
            raise ConfigError(f"[assign] time_limit = {self.time_limit}; expected seconds > 0.")


@dataclass(frozen=True)
class RobustnessConfig:
    """``[robustness]``: Monte Carlo over the score weights (0 draws: skipped)."""

    draws: int = 200
    seed: int = 0
    concentration: float = 50.0

    def __post_init__(self) -> None:
        if self.draws < 0:
            raise ConfigError(f"[robustness] draws = {self.draws}; give 0 (no robustness test) "
                              "or a positive number of draws, e.g. 200.")
        if not math.isfinite(self.concentration) or self.concentration <= 0:
            raise ConfigError(f"[robustness] concentration = {self.concentration!r}; expected "
                              "a positive number (e.g. 50: larger keeps draws nearer the "
                              "weights).")


@dataclass(frozen=True)
class RunConfig:
    """A whole run configuration (see the module docstring for the layout)."""

    grid: GridConfig
    layers: Mapping[str, LayerSpec | DerivedSpec]
    study_area: StudyAreaConfig | None = None
    run: RunSettings = field(default_factory=RunSettings)
    output: OutputConfig = field(default_factory=OutputConfig)
    evaluate: EvaluationConfig = field(default_factory=EvaluationConfig)
    constraints: Mapping[str, Constraint] = field(default_factory=dict)
    tables: TablesConfig = field(default_factory=TablesConfig)
    potential: PotentialConfig = field(default_factory=PotentialConfig)
    score: ScoreConfig = field(default_factory=ScoreConfig)
    assign: AssignConfig = field(default_factory=AssignConfig)
    robustness: RobustnessConfig = field(default_factory=RobustnessConfig)
    regions: Mapping[str, str] = field(default_factory=dict)
    scenarios: Mapping[str, Scenario] = field(default_factory=dict)
    source: Path | None = None

    @property
    def input_paths(self) -> list[Path]:
        """Every file the run reads, including the config itself."""
        paths = [spec.path for spec in self.layers.values() if isinstance(spec, LayerSpec)]
        if self.study_area is not None:
            paths.append(self.study_area.path)
        if self.grid.reference is not None:
            paths.append(self.grid.reference)
        tables = self.tables
        paths += [p for p in (tables.production, tables.households, tables.sentra,
                              tables.cooperatives, tables.crosswalk, tables.prices,
                              self.score.lq.reference) if p is not None]
        if self.evaluate.ecocrop is not None:
            paths.append(self.evaluate.ecocrop)
        paths += [p for s in self.scenarios.values() for p in s.layers.values()]
        if self.source is not None:
            paths.append(self.source)
        return paths

    def to_dict(self, *, relative: bool = True) -> dict[str, Any]:
        """Return the resolved config as plain data (paths relative to the config's folder)."""
        base = self.source.parent if (relative and self.source is not None) else None
        data = _plain(self, base)
        data.pop("source", None)
        return data

    def to_toml(self) -> str:
        """Return the resolved config as TOML text, loadable again with :func:`loads_config`.

        Defaults are filled in and paths are absolute, so the text describes the
        run completely, wherever it is read from.
        """
        data = _without_none(self.to_dict(relative=False))
        layers = data["layers"]
        for name, spec in self.layers.items():
            table = layers[name]
            table.pop("name", None)
            if isinstance(spec, DerivedSpec):
                inputs = table.pop("inputs")
                table.update(table.pop("options", {}))
                only = next(iter(inputs.values())) if len(inputs) == 1 else None
                table["from"] = only if only is not None else inputs
        for table in [*data.get("constraints", {}).values(),
                      *data.get("score", {}).get("normalise", {}).values(),
                      *data.get("scenarios", {}).values()]:
            table.pop("name", None)
        return tomli_w.dumps(data)

    @property
    def hash(self) -> str:
        """SHA-256 (first 16 hex digits) of what the config computes, independent of its folder.

        ``[run]`` (executor, tile size, workers …) and the output folder are left
        out: they never change the results, which are the same bytes whatever
        they are.
        """
        data = self.to_dict()
        data.pop("run", None)
        data["output"].pop("dir", None)
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _known_criteria(names: Any, where: str) -> None:
    """Refuse criterion names that no score knows (a misspelt name would be dropped)."""
    from aez.assign.score import CRITERIA

    for name in names:
        if name not in CRITERIA:
            close = difflib.get_close_matches(str(name), CRITERIA, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"{where} names the criterion {name!r}, which does not exist.{hint} "
                              f"Criteria: {', '.join(CRITERIA)}.")


# -- loading ----------------------------------------------------------------------------------


def load_config(path: str | Path) -> RunConfig:
    """Read and validate a TOML run config.

    Raises
    ------
    ConfigError
        For malformed TOML, unknown keys (named with their key path), wrong
        types, or an output folder that is also an input.
    DataSourceError
        If the file does not exist.
    """
    path = Path(path)
    if not path.is_file():
        raise DataSourceError(f"Config file {path} does not exist.")
    return loads_config(path.read_text(encoding="utf-8"), base=path.parent, source=path)


def loads_config(text: str, *, base: str | Path = ".", source: Path | None = None) -> RunConfig:
    """Parse a TOML run config from a string; relative paths resolve against ``base``."""
    where = str(source) if source else "config"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where} is not valid TOML: {exc}. Fix the syntax there.") from exc
    base = Path(base).resolve()
    raw_layers = data.pop("layers", None)
    if not raw_layers:
        raise ConfigError(f"{where} declares no layers; add at least one [layers.NAME] table.")
    if not isinstance(raw_layers, dict):
        raise ConfigError(f"{where}: `layers` must be a table of [layers.NAME] tables.")
    layers = {name: _layer(name, spec, base, where) for name, spec in raw_layers.items()}
    if "source" in data:
        raise ConfigError(f"{where}: unknown key 'source'.")
    config = replace(_build(RunConfig, {**data, "layers": layers}, "", base, where), source=source)
    _check_outputs(config)
    return config


def _layer(name: str, value: Any, base: Path, where: str) -> LayerSpec | DerivedSpec:
    """Parse a file layer, or a derived one when the table has ``from`` or ``method``."""
    table = _table(value, f"layers.{name}", where)
    if "from" in table or "method" in table:
        return DerivedSpec.from_table(name, table, where=where)
    return _build(LayerSpec, {"name": name, **table}, f"layers.{name}", base, where)


def _check_outputs(config: RunConfig) -> None:
    out = config.output.dir.resolve()
    for path in config.input_paths:
        if path.resolve() == out:
            raise ConfigError(
                f"[output] dir = {config.output.dir} is also an input ({path}); aez never "
                "overwrites its inputs. Choose another output folder."
            )


def _table(value: Any, key: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: [{key}] must be a table, got {value!r}.")
    return value


def _build(cls: type, data: dict[str, Any], key: str, base: Path, where: str) -> Any:
    """Instantiate a config dataclass from a TOML table, checking keys and types."""
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        path = f"{key}.{name}" if key else name
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            valid = ", ".join(k for k in known if k not in ("name", "source"))
            raise ConfigError(
                f"{where}: unknown key {path!r}.{hint} Valid keys here: {valid}."
            )
        kwargs[name] = _coerce(value, hints[name], path, base, where)
    for name, f in known.items():
        if name not in kwargs and f.default is MISSING and f.default_factory is MISSING:
            raise ConfigError(f"{where}: [{key or 'config'}] needs the key {name!r}.")
    try:
        return cls(**kwargs)
    except ConfigError as exc:
        if where in str(exc):
            raise
        raise type(exc)(f"{where}: {exc}") from exc


def _coerce(value: Any, hint: Any, path: str, base: Path, where: str) -> Any:
    """Check one value against a type hint, converting TOML types where natural."""
    origin = get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in get_args(hint) if a is not type(None)]
        if value is None:
            return None
        errors = []
        for option in options:
            try:
                return _coerce(value, option, path, base, where)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0])
    if origin is Literal:
        choices = get_args(hint)
        if value not in choices:
            raise ConfigError(
                f"{where}: {path} = {value!r}; expected one of {', '.join(map(repr, choices))}."
            )
        return value
    if isinstance(hint, type) and is_dataclass(hint):
        if isinstance(value, hint):
            return value
        return _build(hint, _table(value, path, where), path, base, where)  # type: ignore[arg-type]
    if hint is Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}: {path} = {value!r}; expected a file path (text).")
        return (base / Path(value).expanduser()).resolve()
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: {path} = {value!r}; expected true or false.")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: {path} = {value!r}; expected a whole number.")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: {path} = {value!r}; expected a number.")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {path} = {value!r}; expected text in quotes.")
        return value
    if origin is tuple and get_args(hint)[-1] is Ellipsis:
        if not isinstance(value, list):
            raise ConfigError(f"{where}: {path} = {value!r}; expected a list.")
        return tuple(_coerce(v, get_args(hint)[0], path, base, where) for v in value)
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, list) or len(value) != len(args):
            raise ConfigError(f"{where}: {path} = {value!r}; expected a list of {len(args)} items.")
        return tuple(_coerce(v, a, path, base, where) for v, a in zip(value, args, strict=True))
    if origin in (Mapping, dict) or hint is Mapping:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: {path} must be a table, got {value!r}.")
        item = get_args(hint)[1] if len(get_args(hint)) == 2 else None
        if isinstance(item, type) and is_dataclass(item):
            if all(isinstance(v, item) for v in value.values()):
                return value
            return {k: _build(item, {"name": k, **_table(v, f"{path}.{k}", where)},
                              f"{path}.{k}", base, where)  # [constraints.NAME]
                    for k, v in value.items()}
        if item is None or item is Any:
            return value
        return {k: _coerce(v, item, f"{path}.{k}", base, where) for k, v in value.items()}
    return value


def _plain(value: Any, base: Path | None) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name), base) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v, base) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v, base) for v in value]
    if isinstance(value, Path):
        if base is not None:
            try:
                return value.relative_to(base.resolve()).as_posix()
            except ValueError:
                return value.as_posix()
        return value.as_posix()
    return value


def _without_none(value: Any) -> Any:
    """Plain data without None values (TOML has no null)."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value
