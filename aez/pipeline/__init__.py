"""Stages that read inputs, run the compute modules tile by tile, and write outputs.

:mod:`aez.pipeline` is the only place that orders stages and touches files on
their behalf; the compute modules (:mod:`aez.derive`, :mod:`aez.evaluate`, …)
stay pure.
"""

from aez.pipeline.class_areas import zonal_class_areas
from aez.pipeline.decide import Decision, decide, read_decision_tables, write_decision
from aez.pipeline.run import STAGES, RunResult, run
from aez.pipeline.suitability import (
    INDEX_SCALE,
    VALUE_SCALE,
    StageOptions,
    SuitabilityTotals,
    evaluate_stack,
)
from aez.pipeline.validate import ValidationReport, validate

__all__ = ["INDEX_SCALE", "STAGES", "VALUE_SCALE", "Decision", "RunResult", "StageOptions",
           "SuitabilityTotals",
           "ValidationReport", "decide", "evaluate_stack", "read_decision_tables", "run",
           "validate", "write_decision", "zonal_class_areas"]
