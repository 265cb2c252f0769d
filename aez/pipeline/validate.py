"""``aez validate``: check a run config and everything it names, without computing.

Every check that :func:`aez.pipeline.run` would fail on early is made here,
reading only file headers and the small tables: the config's syntax and
types; every layer opens, has a CRS and covers the study area; every crop
table loads and has inputs for at least one characteristic; the constraints
name declared layers; the ``[tables]`` read and their codes join the
kecamatan; the ``[score]`` weights name criteria the run has inputs for (and
AHP comparisons are consistent); ``[regions]`` covers every kecamatan. The
first problem raises its :class:`~aez.errors.AEZError`; warnings are
collected in the report.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from aez.config import RunConfig, load_config
from aez.crops import load_crops
from aez.errors import AEZWarning, ConfigError
from aez.evaluate.mcda import ahp_weights
from aez.harmonize import LayerStack
from aez.pipeline.decide import ACCESS_LAYER, read_decision_tables, score_weights
from aez.pipeline.suitability import compile_crops

__all__ = ["ValidationReport", "validate"]


@dataclass(frozen=True)
class ValidationReport:
    """What :func:`validate` found: facts about the run, and warnings."""

    config: RunConfig
    facts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable lines: facts, then warnings prefixed ``warning:``."""
        return self.facts + [f"warning: {w}" for w in self.warnings]


def validate(config: RunConfig | str | Path) -> ValidationReport:
    """Check ``config`` without computing; raise the first :class:`~aez.errors.AEZError`.

    Returns
    -------
    ValidationReport
        Facts (grid, layers, crops, criteria, output folder) and warnings.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AEZWarning)
        if not isinstance(config, RunConfig):
            config = load_config(config)
        report = ValidationReport(config)
        facts = report.facts
        stack = LayerStack.from_config(config)
        grid = stack.grid
        facts.append(f"grid: {grid.width} × {grid.height} cells of {grid.res[0]:g} "
                     f"{'°' if grid.is_geographic else 'm'} in {grid.crs}")
        coverage = stack.check_coverage()
        shares = [share for share in coverage.values() if share is not None]
        facts.append(f"layers: {len(stack.specs)} from files, {len(stack.derived)} derived; "
                     f"lowest coverage of the study area {min(shares, default=1.0):.1%}")
        crops = load_crops(config.evaluate.crops, crop_dirs=config.evaluate.crop_dirs,
                           ecocrop=config.evaluate.ecocrop)
        if not crops:
            raise ConfigError("[evaluate] crops is empty; list the commodities to evaluate "
                              "(`aez crops list` shows the built-in ones).")
        compile_crops(stack, crops, aggregate=config.evaluate.aggregate,
                      constraints=list(config.constraints.values()))
        facts.append(f"commodities: {len(crops)} ({', '.join(c.id for c in crops)})")
        study_area = stack.study_area
        if study_area is None:
            raise ConfigError("The run needs kecamatan polygons: add a [study_area] table with "
                              "path, id_column and name_column.")
        ids = set(study_area.districts[study_area.id_column].astype(str))
        facts.append(f"kecamatan: {len(ids)}")
        tables = read_decision_tables(config.tables, study_area)
        if len(tables.unmatched):
            report.warnings.append(f"{len(tables.unmatched)} table rows match no kecamatan "
                                   "through the crosswalk (they are left out).")
        criteria = ["suitability"]
        if ACCESS_LAYER in stack.names:
            criteria.append("market_access")
        if tables.production is not None:
            criteria.append("lq")
            if tables.production["year"].nunique() > 1:
                criteria.append("growth")
        for name, table in (("labour", tables.households),
                            ("cooperatives", tables.cooperatives), ("sentra", tables.sentra)):
            if table is not None:
                criteria.append(name)
        weights = score_weights(config, dict.fromkeys(criteria))
        if config.score.ahp is not None:
            result = ahp_weights(weights.to_numpy(), labels=list(weights.index))
            facts.append(f"AHP weights: consistency ratio {result.consistency_ratio:.3f}")
        else:
            facts.append("score weights: " + ", ".join(f"{k} {v:g}" for k, v in weights.items()))
        if config.regions:
            missing = sorted(ids - set(config.regions))
            if missing:
                raise ConfigError(f"[regions] gives no region for kecamatan {missing[:5]}; "
                                  "give every kecamatan of the study area a region, or drop "
                                  "[regions].")
        outdir = config.output.dir
        held = outdir.is_dir() and any(outdir.iterdir())
        facts.append(f"output: {outdir}" + (" (holds files: `aez run` needs --overwrite)"
                                            if held else ""))
    report.warnings.extend(str(w.message) for w in caught if issubclass(w.category, AEZWarning))
    return report
