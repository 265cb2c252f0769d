"""Settings of the assignment and the cooperative ranking, as frozen dataclasses.

:class:`AssignOptions` holds the planner's rules of
:func:`aez.assign.milp.assign_products` (and of the robustness draws, which
keep them fixed); :class:`CooperativeOptions` the column names and point
scheme of :func:`aez.assign.cooperatives.rank_cooperatives`. Data (scores,
eligibility tables, neighbour pairs, cooperatives, suitable land) stays an
argument of those functions. ``None`` for the options means the defaults
below. Values are checked when the functions use them, against the data.

The run config's ``[assign]`` section (:class:`aez.config.AssignConfig`) is
turned into :class:`AssignOptions` by the decision stage
(:mod:`aez.pipeline.decide`): its ``min_suitable_share`` becomes the
``eligible`` table rather than an option.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import pandas as pd

from aez.assign.criteria import SENTRA_FIELDS_BY_GROUP

__all__ = ["ASSET_RANGE", "DEFAULT_POINTS", "DISTANCE_SCALE", "AssignOptions", "Cells",
           "CooperativeOptions"]

#: must_keep / forbidden: a mapping kecamatan → product(s), or a boolean frame. Keys are
#: ids of any hashable type; ``Any`` because Mapping is invariant in its key type.
Cells: TypeAlias = "Mapping[Any, Any] | pd.DataFrame"

#: Points of each part of the cooperative score (sum 100).
DEFAULT_POINTS: dict[str, float] = {
    "business_line": 50.0, "members": 15.0, "assets": 15.0, "distance": 20.0,
}
#: Assets (Rupiah) scoring 0 and 1 on the log scale: Rp 10 juta and Rp 10 miliar.
ASSET_RANGE: tuple[float, float] = (1e7, 1e10)
#: Distance (m) to suitable land at which the distance part reaches 0.
DISTANCE_SCALE = 10_000.0


@dataclass(frozen=True)
class AssignOptions:
    """The planner's rules for :func:`aez.assign.milp.assign_products`.

    Attributes
    ----------
    per_kecamatan : int
        Products per kecamatan (exactly this many).
    max_per_product : int or mapping product → int, optional
        At most this many kecamatan per product (a mapping caps only its keys).
    max_share : float, optional
        At most ``floor(max_share · n)`` kecamatan per product, 0 < max_share ≤ 1.
    min_distinct : int, optional
        At least this many different products across the kabupaten.
    must_keep : mapping kecamatan → product or list of products, optional
        Products a kecamatan must get (e.g. an existing sentra).
    forbidden : mapping kecamatan → product(s), or boolean DataFrame, optional
        Products a kecamatan may not get (True = forbidden).
    min_class : {"S1", "S2", "S3", "N"}, optional
        With the ``suitability_class`` table: a product is eligible where its
        class is this one or better.
    contiguity_bonus : float
        Score units added per neighbouring pair per product they share (a
        *kawasan*); needs ``adjacency``.
    time_limit : float, optional
        Seconds per HiGHS run (see :func:`aez.assign.milp.assign_products`).
        Wall time depends on the machine's load: prefer ``node_limit``.
    node_limit : int, optional
        Branch-and-bound nodes per HiGHS run: a deterministic work limit (the
        same result on any machine load); a run it stops reports its gap.

    Examples
    --------
    >>> from dataclasses import replace
    >>> options = AssignOptions(max_share=0.3, min_distinct=3)
    >>> options.per_kecamatan, replace(options, max_share=None).min_distinct
    (1, 3)
    """

    per_kecamatan: int = 1
    max_per_product: int | Mapping[Any, int] | None = None
    max_share: float | None = None
    min_distinct: int | None = None
    must_keep: Mapping[Any, Any] | None = None
    forbidden: Cells | None = None
    min_class: str | None = None
    contiguity_bonus: float = 0.0
    time_limit: float | None = None
    node_limit: int | None = None


@dataclass(frozen=True)
class CooperativeOptions:
    """Columns and points of :func:`aez.assign.cooperatives.rank_cooperatives`.

    Attributes
    ----------
    kecamatan_column : str
        Column of the cooperative's kecamatan id (same code system as the assignment).
    name_column, usaha_column, members_column, assets_column : str
        Columns of the name, the business lines (``;``-separated), the number
        of members and the assets (Rupiah).
    weights : mapping of str → float
        Points of ``business_line``, ``members``, ``assets`` and ``distance``
        (default :data:`DEFAULT_POINTS`, sum 100).
    groups : mapping of str → str, optional
        Product groups of commodities without a crop table.
    field_of : mapping of str → sequence of str
        Product group → sentra fields that count as a group match (default
        :data:`aez.assign.criteria.SENTRA_FIELDS_BY_GROUP`).
    asset_range : (float, float)
        Assets (Rp) scoring 0 and 1 on the log scale (default :data:`ASSET_RANGE`).
    distance_scale : float
        Distance (m) at which the distance part reaches 0 (default :data:`DISTANCE_SCALE`).
    require_line : bool
        Rank only cooperatives whose business line names the product or its group.

    Examples
    --------
    >>> CooperativeOptions(kecamatan_column="kecamatan_id").weights["business_line"]
    50.0
    """

    kecamatan_column: str = "kode_kemendagri"
    name_column: str = "nama"
    usaha_column: str = "usaha"
    members_column: str = "anggota"
    assets_column: str = "aset_rupiah"
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_POINTS))
    groups: Mapping[str, str] | None = None
    field_of: Mapping[str, Sequence[str]] = field(
        default_factory=lambda: dict(SENTRA_FIELDS_BY_GROUP))
    asset_range: tuple[float, float] = ASSET_RANGE
    distance_scale: float = DISTANCE_SCALE
    require_line: bool = False
