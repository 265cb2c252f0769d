"""Scores, one-product-per-kecamatan assignment, robustness and cooperative selection.

- :func:`score_table` normalises and weights the criteria of every
  kecamatan × commodity pair into :class:`Scores` (``docs/scoring.md``);
  :func:`cooperative_counts`, :func:`sentra_counts` and :func:`growth_rate`
  build the criteria that come from tables;
- :func:`assign_products` solves the assignment as a MILP (HiGHS) under
  portfolio constraints (:class:`AssignOptions`) and explains each choice
  (``docs/assignment.md``);
- :func:`assess_robustness` re-solves it under perturbed weights;
- :func:`rank_cooperatives` ranks each kecamatan's cooperatives for its product
  (:class:`CooperativeOptions`);
- :func:`rollup`, :func:`otop_groups` and :func:`potential_tiers` summarise the result.
"""

from aez.assign.cooperatives import rank_cooperatives
from aez.assign.criteria import cooperative_counts, growth_rate, sentra_counts
from aez.assign.milp import Assignment, adjacency_from_polygons, assign_products
from aez.assign.options import AssignOptions, CooperativeOptions
from aez.assign.robustness import Robustness, assess_robustness
from aez.assign.rollup import kabupaten_of, otop_groups, potential_tiers, rollup, rollup_products
from aez.assign.score import CRITERIA, Scores, score_table

__all__ = [
    "CRITERIA",
    "AssignOptions",
    "Assignment",
    "CooperativeOptions",
    "Robustness",
    "Scores",
    "adjacency_from_polygons",
    "assess_robustness",
    "assign_products",
    "cooperative_counts",
    "growth_rate",
    "kabupaten_of",
    "otop_groups",
    "potential_tiers",
    "rank_cooperatives",
    "rollup",
    "rollup_products",
    "score_table",
    "sentra_counts",
]
