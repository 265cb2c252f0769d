"""``aez validate``: check a run config and everything it names, without computing.

The checks are those of :func:`aez.pipeline.checks.check_run`, which
:func:`aez.pipeline.run` makes first: the config's syntax, types and values;
every layer opens, has a CRS, covers the study area and holds plausible values
(one streaming pass over every layer); every crop table loads and matches the
layers; the constraints name declared layers; the ``[tables]`` read (numbers as
BPS writes them) and their codes join the kecamatan; the ``[score]`` weights
name criteria the run has inputs for (and AHP comparisons are consistent);
``[regions]`` covers every kecamatan. The first problem raises its
:class:`~aez.errors.AEZError`; warnings are collected in the report.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from aez.config import RunConfig
from aez.errors import AEZWarning
from aez.executor import gdal_cache
from aez.pipeline.checks import check_run

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

    It makes exactly the checks :func:`aez.pipeline.run` makes before computing
    (:func:`aez.pipeline.checks.check_run`), so a config that validates does
    not fail a run on its inputs.

    Returns
    -------
    ValidationReport
        Facts (grid, layers, crops, values, criteria, output folder) and warnings.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AEZWarning)
        with gdal_cache():  # the value scan in bounded memory (the default bound)
            checked = check_run(config)
        report = ValidationReport(checked.config, list(checked.facts))
        outdir = checked.config.output.dir
        held = outdir.is_dir() and any(outdir.iterdir())
        report.facts.append(f"output: {outdir}" + (" (holds files: a run needs overwrite=True)"
                                                   if held else ""))
    report.warnings.extend(str(w.message) for w in caught if issubclass(w.category, AEZWarning))
    return report
