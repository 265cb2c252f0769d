"""The report's view: every string the HTML template shows, formatted in one language.

:func:`build_view` turns a :class:`~aez.render.report.context.ReportContext` into plain
data (lists, dicts, strings) for ``templates/report.html.j2``: numbers in the
language's style, crop and quality names, binding constraints translated,
figures embedded as PNG ``data:`` URIs sized for the screen and numbered in
order of appearance, and the interactive kecamatan map with a panel per
kecamatan (its score components, alternatives, constraints and robustness).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from aez.assign.score import Normalisation
from aez.characteristics import QUALITIES
from aez.economics import KLASSEN_LABELS
from aez.grid import Grid
from aez.render.palette import (
    CLASS_COLOURS,
    QUALITY_COLOURS,
    STABILITY_COLOURS,
    Language,
    class_label,
    css_background,
    product_styles,
    quality_label,
)
from aez.render.report.context import ReportContext
from aez.render.report.figures import CROP_MAP_COLOURS, CROP_MAP_WIDTH, Figures
from aez.render.report.interactive import kecamatan_map
from aez.render.report.potential import potential_view
from aez.words import REFERENCES, TEXT, label_name, role_name, unit_label

__all__ = ["CLIMATE_LOSS_SHARE", "build_view"]

#: A kecamatan is named in the limitations when its product loses more than this share of
#: its suitable land under a climate scenario.
CLIMATE_LOSS_SHARE = 0.5


def build_view(ctx: ReportContext, lang: Language, *, inputs: pd.DataFrame,
               tables: Mapping[str, Any], base: Path | None = None,
               on_figure: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Build the template's data for ``ctx`` in ``lang``: plain lists, dicts and strings.

    Parameters
    ----------
    ctx : ReportContext
        What the report shows.
    lang : {"id", "en"}
        Language of every string and of the numbers.
    inputs : DataFrame
        The input layers, columns ``name, file, kind, units, role`` and
        optionally ``derived`` (see :func:`~aez.render.report.context.input_layers`).
    tables : mapping of str to path
        Table role → file.
    base : Path, optional
        Folder of the report, from which figures link to their full files.
    on_figure : callable, optional
        ``on_figure(n)`` after the n-th figure is embedded.

    Returns
    -------
    dict
        The keyword arguments of ``templates/report.html.j2``.

    Raises
    ------
    DataSourceError
        If a figure file is missing or not a PNG.
    """
    t = TEXT[lang]
    names = {c.id: (c.name_id if lang == "id" else c.name_en) for c in ctx.crops}
    figures = Figures(ctx.figures, t, base, on_figure)
    sections = [("area", t["section.area"]), ("method", t["section.method"]),
                ("assignment", t["section.assignment"]),
                ("commodities", t["section.commodities"]),
                ("limitations", t["section.limitations"])]
    return {
        "lang": lang, "t": t, "region": ctx.region, "date": _date(ctx.date, t),
        "version": ctx.aez_version, "config_hash": ctx.config_hash or ctx.config.hash,
        "synthetic": ctx.synthetic, "toc": sections,
        "footer": t["footer"].format(version=ctx.aez_version),
        "area": _area(ctx, t, lang, figures, inputs, tables),
        "method": _method(ctx, t, lang),
        "assignment": _assignment(ctx, t, lang, names, figures),
        "commodities": _commodities(ctx, t, lang, names, figures),
        "potential": potential_view(ctx.decision.potential, ctx.crops, t,
                                    lambda value, decimals: _fmt(value, lang, decimals), names,
                                    figures.get("value", "fig.value")),
        "limitations": _limitations(ctx, t, lang, names, tables),
        "provenance": _provenance(ctx, t, lang),
    }


def _area(ctx: ReportContext, t: dict[str, str], lang: Language, figures: Figures,
          inputs: pd.DataFrame, tables: Mapping[str, Any]) -> dict[str, Any]:
    grid = ctx.grid
    cells = grid.width * grid.height
    extent_ha = float(np.broadcast_to(grid.cell_area(), grid.shape).sum()) / 1e4
    summary = ctx.decision.summary
    first = summary[summary["commodity"] == summary["commodity"].iloc[0]]
    facts = [
        (t["area.region"], ctx.region),
        (t["area.crs"], _crs_name(grid)),
        (t["area.resolution"], _resolution(grid, lang)),
        (t["area.size"], t["area.size_value"].format(width=_fmt(grid.width, lang),
                                                     height=_fmt(grid.height, lang),
                                                     cells=_fmt(cells, lang))),
        (t["area.extent"], f"{_fmt(extent_ha, lang)} ha"),
        (t["area.study"], f"{_fmt(float(first['total_ha'].sum()), lang)} ha"),
        (t["area.kecamatan"], _fmt(len(ctx.decision.kecamatan), lang)),
        (t["area.crops"], _fmt(len(ctx.crops), lang)),
    ]
    layers = []
    for row in inputs.to_dict("records"):
        kind = t.get(f"kind.{row['kind']}", str(row["kind"]))
        derived = bool(row.get("derived", False))
        layers.append({"name": str(row["name"]), "kind": kind,
                       "units": unit_label(str(row["units"] or ""), lang),
                       "role": role_name(str(row["role"]), lang) if row["role"] else "",
                       "derived": derived,
                       "file": t["kind.derived"].format(how=row["file"]) if derived
                       else str(row["file"])})
    return {"facts": facts, "layers": layers,
            "tables": [(t.get(f"table.{k}", k), str(v)) for k, v in tables.items()],
            "overview": figures.get("overview", "fig.overview")}


def _method(ctx: ReportContext, t: dict[str, str], lang: Language) -> dict[str, Any]:
    cfg = ctx.config
    scores = ctx.decision.scores
    exclusions = []
    for c in cfg.constraints.values():
        role = getattr(cfg.layers.get(c.layer), "role", None) or c.layer
        layer = role_name(role, lang)
        if c.classes is not None:
            text = t["exclusion.classes"].format(
                layer=layer, classes=", ".join(label_name(role, k, lang) for k in c.classes))
        elif c.above is not None:
            text = t["exclusion.above"].format(layer=layer, value=_number(c.above, lang))
        else:
            text = t["exclusion.below"].format(layer=layer, value=_number(c.below, lang))
        exclusions.append((c.name, text))
    criteria = [{"name": k, "label": t.get(f"criterion.{k}", k),
                 "description": t.get(f"criterion.{k}.desc", ""),
                 "direction": t[f"direction.{scores.directions.get(k, 'max')}"],
                 "normalisation": _normalisation(scores.normalisation.get(k, Normalisation()),
                                                 t, lang, _bounds(cfg, k)),
                 "weight": _fmt(w, lang, 3)} for k, w in scores.weights.items()]
    if scores.consistency_ratio is not None:
        weights_note = t["method.weights_ahp"].format(cr=_fmt(scores.consistency_ratio, lang, 3))
    else:
        weights_note = t["method.weights_config"]
    dropped = [t.get(f"criterion.{k}", k) for k in cfg.score.weights
               if k not in scores.weights and cfg.score.ahp is None]
    a = ctx.decision.assignment
    r = cfg.robustness
    robustness = (t["method.robustness.p"].format(draws=_fmt(r.draws, lang),
                                                  concentration=_number(r.concentration, lang),
                                                  seed=r.seed)
                  if ctx.decision.robustness is not None else t["method.robustness.off"])
    return {
        "classes": [(class_label(code, lang), CLASS_COLOURS[code]) for code in range(1, 7)],
        "qualities": [(quality_label(q, lang), QUALITY_COLOURS[q]) for q in QUALITIES],
        "index": t["method.index"].format(rule=t[f"aggregate.{cfg.evaluate.aggregate}"]),
        "exclusions": exclusions,
        "si_by_area": cfg.score.suitability != "si",
        "lq": "lq" in scores.weights,
        "basket": _basket(ctx, t, lang),
        "roles": _roles(ctx, t),
        "criteria": criteria, "weights_note": weights_note,
        "dropped": t["method.weights_dropped"].format(names=", ".join(dropped)) if dropped else "",
        "assign": t["method.assign.p"].format(status=a.status, gap=_fmt(a.gap, lang, 4)),
        "settings": _settings(ctx, t, lang),
        "solves": _solves(ctx, lang),
        "robustness": robustness,
        "references": REFERENCES,
    }


def _solves(ctx: ReportContext, lang: Language) -> list[dict[str, str]]:
    """One row per solved region: kecamatan, without a product, pairs, status, gap, note."""
    solves = ctx.decision.solves
    if solves is None or solves.empty:
        return []
    rows = []
    for region, row in solves.iterrows():
        note = row.get("note", "")
        rows.append({"region": str(region), "kecamatan": _fmt(row["n_kecamatan"], lang),
                     "none": _fmt(row["n_none"], lang),
                     "pairs": _fmt(row["neighbour_pairs"], lang), "status": str(row["status"]),
                     "gap": _fmt(row["gap"], lang, 4),
                     "note": "" if not isinstance(note, str) else note})
    return rows


def _settings(ctx: ReportContext, t: dict[str, str], lang: Language) -> list[tuple[str, str]]:
    a = ctx.config.assign

    def opt(value: Any, unit: str = "") -> str:
        return t["setting.unset"] if value is None else f"{_number(value, lang)}{unit}"

    def cells(mapping: Mapping[str, Any]) -> str:
        if not mapping:
            return t["setting.none"]
        return "; ".join(f"{k}: {', '.join(v) if isinstance(v, tuple | list) else v}"
                         for k, v in mapping.items())

    return [(t["setting.per_kecamatan"], _number(a.per_kecamatan, lang)),
            (t["setting.max_per_product"], opt(a.max_per_product)),
            (t["setting.max_share"], t["setting.unset"] if a.max_share is None
             else _pct(a.max_share, lang)),
            (t["setting.min_distinct"], opt(a.min_distinct)),
            (t["setting.must_keep"], cells(a.must_keep)),
            (t["setting.forbidden"], cells(a.forbidden)),
            (t["setting.min_suitable_share"], _pct(a.min_suitable_share, lang)),
            (t["setting.require_base"], t["setting.yes" if a.require_base else "setting.no"]),
            (t["setting.contiguity_bonus"], _number(a.contiguity_bonus, lang)),
            (t["setting.time_limit"], opt(a.time_limit))]


def _bounds(config: Any, criterion: str) -> tuple[float, float] | None:
    section = config.score.normalise.get(criterion)
    return None if section is None else section.bounds


def _normalisation(spec: Normalisation, t: dict[str, str], lang: Language,
                   bounds: tuple[float, float] | None = None) -> str:
    """Describe how a criterion is scaled, in words."""
    if bounds is not None:
        return t["norm.bounds"].format(method=t["norm.minmax"].format(within="").strip(),
                                       low=_number(bounds[0], lang),
                                       high=_number(bounds[1], lang))
    within = t[f"within.{spec.within}"]
    if spec.method == "log":
        if spec.cap is None:
            return t["norm.log_free"].format(within=within)
        return t["norm.log"].format(cap=_number(spec.cap, lang), within=within)
    if spec.method == "capped":
        if spec.cap is not None:
            return t["norm.capped"].format(cap=_number(spec.cap, lang), within=within)
        return t["norm.capped_quantile"].format(q=_number(spec.quantile, lang), within=within)
    return t[f"norm.{spec.method}"].format(within=within)


def _basket(ctx: ReportContext, t: dict[str, str], lang: Language) -> dict[str, str] | None:
    """Describe the LQ in words: measure, year, basket and reference."""
    evidence = ctx.decision.evidence
    if evidence is None:
        return None
    b = evidence.basket
    measure = t[f"measure.{b.measure}"]
    members = [c for cs in b.groups.values() for c in cs]
    listed = "; ".join(t["basket.members"].format(group=g, n=_fmt(len(cs), lang))
                       for g, cs in b.groups.items())
    if b.basket == "group" and b.grouped:
        basket = t["basket.group"].format(groups=listed)
    elif b.basket == "group":
        basket = t["basket.single"].format(n=_fmt(len(members), lang))
    else:
        basket = t[f"basket.{b.basket}"].format(n=_fmt(len(members), lang))
    if b.reference == "study_area":
        reference = t["reference.study_area"].format(n=_fmt(len(ctx.decision.kecamatan), lang),
                                                     region=ctx.region)
    else:
        file = ctx.config.score.lq.reference
        reference = t["reference.table"].format(name=b.reference,
                                                file=file.name if file else "")
    mixed = (t["basket.mixed"].format(groups=", ".join(b.mixed_groups), measure=measure,
                                      basket=b.basket) if b.mixed_groups else "")
    return {"p": t["method.lq.p"].format(measure=measure, year=b.year, column=b.column,
                                         basket=basket, reference=reference),
            "mixed": mixed}


def _roles(ctx: ReportContext, t: dict[str, str]) -> dict[str, Any]:
    """Describe the roles: their definitions, the base rule and the flags."""
    evidence = ctx.decision.evidence
    last = "no_alternative_robust" if ctx.decision.robustness is not None else "no_alternative"
    flags = [t[f"flagdef.{f}"] for f in ("development", "no_production", "falling",
                                         "low_suitable_land", last)]
    if evidence is None:
        return {"p": t["method.roles.none"], "rule": "", "flags": flags[3:]}
    rule = t["method.roles.base" if ctx.config.assign.require_base else "method.roles.free"]
    return {"p": t["method.roles.p"].format(year=evidence.basket.year,
                                            first=evidence.basket.first_year),
            "rule": rule, "flags": flags}


def _evidence(row: pd.Series, t: dict[str, str], lang: Language) -> list[str]:
    """Production (latest year, trend, share of the kabupaten) and suitable land of a product."""
    lines = []
    if "production" in row.index:
        parts = [t["evidence.production"].format(tons=_fmt(row["production"], lang, 1),
                                                 year=row["production_year"])]
        if pd.notna(row["growth"]):
            parts.append(t["evidence.growth"].format(rate=_signed_pct(row["growth"], lang)))
        if bool(row["falling"]):
            parts.append(t["evidence.falling"])
        if pd.notna(row["production_share"]):
            parts.append(t["evidence.share"].format(share=_small_pct(row["production_share"],
                                                                     lang)))
        lines.append("; ".join(parts))
    lines.append(t["evidence.land"].format(ha=_fmt(row["suitable_ha"], lang),
                                           share=_pct(row["suitable_share"], lang)))
    return lines


def _flags(row: pd.Series, t: dict[str, str], lang: Language, minimum: float) -> list[str]:
    """Each flag of a product with its numbers."""
    out = []
    for flag in row.get("flags", ()) or ():
        if flag == "no_production":
            out.append(t["flag.no_production"].format(year=row["production_year"]))
        elif flag == "falling":
            out.append(t["flag.falling"].format(rate=_signed_pct(row["growth"], lang)))
        elif flag == "low_suitable_land":
            out.append(t["flag.no_suitable_land"] if not row["suitable_ha"] > 0
                       else t["flag.low_suitable_land"].format(
                           ha=_fmt(row["suitable_ha"], lang),
                           share=_pct(row["suitable_share"], lang),
                           minimum=_pct(minimum, lang)))
        else:
            out.append(t.get(f"flag.{flag}", str(flag)))
    return out


def _assignment(ctx: ReportContext, t: dict[str, str], lang: Language, names: dict[str, str],
                figures: Figures) -> dict[str, Any]:
    table = ctx.decision.kecamatan
    styles = product_styles(p for ps in table["products"] for p in ps)
    colours = {p: css_background(*style) for p, style in styles.items()}
    robust = "probability" in table.columns
    climate = "climate_kept" in table.columns
    if ctx.config.assign.require_base and ctx.decision.evidence is not None:
        t = {**t, "group.eligible": t["group.eligible_base"]}
    klassen = {label_id: (label_id if lang == "id" else label_en)
               for label_id, label_en in KLASSEN_LABELS.values()}
    rows = []
    for kid, row in table.iterrows():
        alternatives = [(names.get(row[f"alternative_{i}"], row[f"alternative_{i}"]),
                         _fmt(row[f"alternative_{i}_score"], lang, 3))
                        for i in (1, 2, 3) if isinstance(row.get(f"alternative_{i}"), str)]
        tier = int(row["tier"]) if pd.notna(row["tier"]) else 0
        rows.append({
            "id": str(kid), "name": str(row.get("kecamatan", kid)),
            "products": [(names.get(p, p), colours[p]) for p in row["products"]],
            "otop": t.get(f"otop.{row['otop_group']}", str(row["otop_group"])),
            "tier": tier, "tier_title": t["tier.title"].format(n=tier),
            "score": _fmt(row["score"], lang, 3), "alternatives": alternatives,
            "binding": [_binding(b, t, names) for b in row["binding"]],
            "role": t[f"role.{row['role']}"] if isinstance(row.get("role"), str) else "",
            "klassen": klassen.get(row.get("klassen"), "") if isinstance(row.get("klassen"),
                                                                         str) else "",
            "evidence": _evidence(row, t, lang),
            "flags": _flags(row, t, lang, ctx.config.assign.min_suitable_share),
            "probability": _pct(row["probability"], lang) if robust else "",
            "stability": t.get(f"stability.{row['stability']}", "") if robust else "",
            "stability_colour": STABILITY_COLOURS.get(row["stability"], "#ffffff")
            if robust else "",
            "components": _components(ctx, str(kid), row["products"], t, lang),
            "climate": _climate(row, t, lang),
            "climate_column": _climate_column(row, t, lang) if climate else [],
        })
    products_fig = figures.get("products", "fig.products")
    interactive = None
    if ctx.districts is not None:  # on screen, the map under the static map's number
        number = products_fig["number"] if products_fig else figures.next_number()
        interactive = _kecamatan_map(ctx, ctx.districts, t, names, number)
    return {"rows": rows, "robust": robust, "climate": climate, "map": interactive,
            "products_fig": products_fig,
            "robustness_fig": figures.get("robustness", "fig.robustness"),
            "cooperatives": _cooperatives(ctx, t, lang, names)}


def _components(ctx: ReportContext, kid: str, products: Any, t: dict[str, str],
                lang: Language) -> list[dict[str, str]]:
    """Each criterion of the kecamatan's (first) product: normalised value, weight, share."""
    scores = ctx.decision.scores
    if not len(products):
        return []
    product = products[0]
    out = []
    for k, weight in scores.weights.items():
        table = scores.components[k]
        if kid not in table.index or product not in table.columns:
            return []
        value = float(table.loc[kid, product])
        out.append({"label": t.get(f"criterion.{k}", k), "value": _fmt(value, lang, 3),
                    "weight": _fmt(weight, lang, 3), "part": _fmt(weight * value, lang, 3)})
    return out


def _climate(row: pd.Series, t: dict[str, str], lang: Language) -> str:
    """How many climate scenarios keep the kecamatan's product, or "" without scenarios."""
    if "climate_kept" not in row.index or not row["climate_scenarios"]:
        return ""
    return t["explore.climate"].format(kept=_fmt(row["climate_kept"], lang),
                                       n=_fmt(row["climate_scenarios"], lang))


def _kecamatan_map(ctx: ReportContext, districts: gpd.GeoDataFrame, t: dict[str, str],
                   names: dict[str, str], number: int) -> dict[str, Any]:
    """Return the interactive map of the products (figure ``number``) over ``districts``.

    It shows on screen what the static product map shows in print, under the same number.
    """
    table = ctx.decision.kecamatan
    products = {str(k): (ps[0] if len(ps) else None) for k, ps in table["products"].items()}
    developing = ({str(k): isinstance(r, str) and r != "unggulan"
                   for k, r in table["role"].items()} if "role" in table.columns else {})
    labels = ({str(k): str(v) for k, v in table["kecamatan"].items()}
              if "kecamatan" in table.columns else None)
    found = kecamatan_map(districts, products, developing, names=names, words=t,
                          labels=labels)
    titles = {str(k): t["explore.title"].format(
        name=row.get("kecamatan", k),
        product=", ".join(names.get(p, p) for p in row["products"]) or t["explore.no_product"])
        for k, row in table.iterrows()}
    for shape in found["shapes"]:
        shape["title"] = titles[shape["id"]]
    found["caption"] = t["fig.products"].format(n=number)
    return found


def _climate_column(row: pd.Series, t: dict[str, str], lang: Language) -> list[str]:
    """Climate stability of a kecamatan's product: kept in k of n scenarios, worst land change."""
    lines = [t["climate.kept"].format(kept=_fmt(row["climate_kept"], lang),
                                      n=_fmt(row["climate_scenarios"], lang))]
    if pd.notna(row.get("climate_worst_change")):
        lines.append(t["climate.worst"].format(change=_signed_pct(row["climate_worst_change"],
                                                                  lang)))
    return lines


def _climate_losses(ctx: ReportContext, t: dict[str, str], lang: Language,
                    names: dict[str, str]) -> list[str]:
    """Each kecamatan whose product loses more than half of its suitable land under a scenario.

    The hectares lost are today's suitable hectares of the product times the
    scenario's relative change (``suitable_change_<scenario>``).
    """
    table = ctx.decision.kecamatan
    items = []
    for scenario in ctx.decision.scenarios:
        column = f"suitable_change_{scenario}"
        if column not in table.columns:
            continue
        for kid, row in table.iterrows():
            change = row[column]
            if not (pd.notna(change) and change < -CLIMATE_LOSS_SHARE):
                continue
            today = float(row["suitable_ha"])
            items.append(t["limits.climate_loss"].format(
                scenario=scenario, product=names.get(row["product"], row["product"]),
                kecamatan=str(row.get("kecamatan", kid)), ha=_fmt(-change * today, lang),
                share=_pct(-change, lang), today=_fmt(today, lang)))
    if ctx.decision.scenarios and not items:
        items.append(t["limits.climate_none"].format(n=_fmt(len(ctx.decision.scenarios), lang)))
    return items


def _cooperatives(ctx: ReportContext, t: dict[str, str], lang: Language,
                  names: dict[str, str]) -> list[dict[str, Any]] | None:
    coops = ctx.decision.cooperatives
    if not len(coops):
        return None
    kec = ctx.decision.kecamatan
    groups = []
    for kid in kec.index:  # kecamatan order of the assignment table
        mine = coops[coops["kecamatan"].astype(str) == str(kid)]
        ranked = mine[mine["status"] == "ranked"].sort_values(["product", "rank"])
        ranked = ranked[ranked["rank"] <= 3]
        entries = [{"rank": _fmt(r["rank"], lang), "name": str(r["cooperative"]),
                    "product": names.get(r["product"], r["product"]),
                    "line": t.get(f"line.{r['line_match']}", str(r["line_match"])),
                    "members": _fmt(r["members"], lang), "points": _fmt(r["points"], lang, 1)}
                   for _, r in ranked.iterrows()]
        notes = [t.get(f"coop.{s}", s) for s in mine.loc[mine["status"] != "ranked", "status"]]
        name = kec.loc[kid, "kecamatan"] if "kecamatan" in kec.columns else kid
        groups.append({"id": str(kid), "name": str(name), "entries": entries,
                       "notes": notes if notes or entries else [t["coop.no_cooperative"]]})
    return groups


def _commodities(ctx: ReportContext, t: dict[str, str], lang: Language, names: dict[str, str],
                 figures: Figures) -> dict[str, Any]:
    totals = _study_totals(ctx.decision.summary)
    group = {c.id: t.get(f"group.{c.group}", c.group) for c in ctx.crops}
    rows = []
    for crop, s in totals.iterrows():
        evaluated = s["evaluated_ha"]
        shares = [(s[f"{k}_ha"] / evaluated if evaluated > 0 else 0.0) for k in
                  ("S1", "S2", "S3", "N")]
        limits = sorted(((s[f"limited_{q}"], q) for q in QUALITIES
                         if pd.notna(s[f"limited_{q}"]) and s[f"limited_{q}"] >= 0.005),
                        key=lambda v: (-v[0], QUALITIES.index(v[1])))[:3]
        rows.append({
            "id": crop, "name": names[crop], "group": group[crop],
            "ha": [_fmt(s[f"{k}_ha"], lang) for k in ("S1", "S2", "S3", "N", "excluded")],
            "bar": [(f"{100 * v:.2f}", CLASS_COLOURS[code], class_label(code, lang))
                    for code, v in zip((1, 2, 3, 4), shares, strict=True) if v > 0],
            "suitable": _pct(s["suitable_ha"] / evaluated, lang) if evaluated > 0
            else t["missing"],
            "si": _fmt(s["SI"], lang, 1),
            "limits": [(quality_label(q, lang), _pct(v, lang), QUALITY_COLOURS[q])
                       for v, q in limits],
        })
    cards = []
    figures.prepare((f"{kind}/{row['id']}" for row in rows for kind in ("suitability", "limits")),
                    width=CROP_MAP_WIDTH, colours=CROP_MAP_COLOURS)
    for row in rows:
        crop = row["id"]
        maps = []
        for kind in ("suitability", "limits"):
            f = figures.get(f"{kind}/{crop}", f"fig.{kind}", numbered=False,
                            width=CROP_MAP_WIDTH, colours=CROP_MAP_COLOURS, crop=row["name"])
            if f is not None:
                maps.append(f | {"key": f"{kind}/{crop}", "kind": t[f"explore.kind.{kind}"]})
        if maps:
            cards.append({"id": crop, "name": row["name"], "maps": maps})
    sources: dict[str, list[str]] = {}
    for c in ctx.crops:
        for source in c.sources:
            sources.setdefault(source.citation, []).append(names[c.id])
    return {"rows": rows, "cards": cards,
            "cards_caption": t["fig.crop_maps"].format(n=figures.next_number()) if cards else "",
            "sources": [(citation, t["crops.used_by"].format(crops=", ".join(crops)))
                        for citation, crops in sorted(sources.items())]}


def _study_totals(summary: pd.DataFrame) -> pd.DataFrame:
    """Per commodity over the study area: hectares, SI and limiting shares, best SI first.

    Limiting shares are the kecamatan shares weighted by their evaluated hectares.
    """
    ha = [c for c in summary.columns if c.endswith("_ha")]
    totals = summary.groupby("commodity", sort=False)[ha].sum()
    evaluated = totals["evaluated_ha"].where(totals["evaluated_ha"] > 0)
    totals["SI"] = (90 * totals["S1_ha"] + 70 * totals["S2_ha"] + 50 * totals["S3_ha"]) / evaluated
    for q in QUALITIES:
        column = f"limited_{q}"
        weighted = (summary[column] * summary["evaluated_ha"]).groupby(summary["commodity"],
                                                                      sort=False).sum(min_count=1)
        totals[column] = weighted / evaluated
    order = sorted(totals.index, key=lambda c: (-np.nan_to_num(totals.loc[c, "SI"], nan=-1), c))
    return totals.loc[order]


def _limitations(ctx: ReportContext, t: dict[str, str], lang: Language, names: dict[str, str],
                 tables: Mapping[str, Any]) -> list[str]:
    cell_ha = float(np.mean(ctx.grid.cell_area())) / 1e4
    items = [t["limits.synthetic"]] if ctx.synthetic else []
    items += [t["limits.resolution"].format(res=_resolution(ctx.grid, lang),
                                            cell_ha=_number(round(cell_ha, 4), lang)),
              t["limits.biophysical"], t["limits.relative"], t["limits.milp"]]
    if ctx.decision.evidence is not None:
        items.append(t["limits.lq_volume"])
    a = ctx.decision.assignment
    if a.status != "optimal" or a.gap > 0:
        items.append(t["limits.milp_status"].format(status=a.status, gap=_fmt(a.gap, lang, 4)))
    if tables:
        items.append(t["limits.tables"].format(rows=_fmt(len(ctx.decision.unmatched), lang)))
    unknown = ctx.decision.summary.groupby("commodity", sort=False)["unknown_ha"].sum()
    if len(unknown) and unknown.max() > 0:
        worst = sorted(unknown.index, key=lambda c: (-unknown[c], c))[0]
        items.append(t["limits.unknown"].format(ha=_fmt(unknown[worst], lang),
                                                crop=names[worst]))
    items += _climate_losses(ctx, t, lang, names)
    return [*items, t["limits.crop_tables"], t["limits.verify"]]


def _provenance(ctx: ReportContext, t: dict[str, str], lang: Language) -> dict[str, Any]:
    facts = [(t["provenance.version"], ctx.aez_version),
             (t["provenance.config"], ctx.config_hash or ctx.config.hash),
             (t["provenance.date"], _date(ctx.date, t))]
    if ctx.config.source is not None:
        facts.insert(2, (t["provenance.config_file"], ctx.config.source.name))
    timings = [(stage, _fmt(seconds, lang, 1)) for stage, seconds in ctx.timings.items()]
    total = _fmt(sum(ctx.timings.values()), lang, 1) if ctx.timings else ""
    return {"facts": facts, "timings": timings, "total": total}


# -- binding constraints in the report's language ----------------------------------------------

#: Constraint-group phrases of :mod:`aez.assign.milp` → group key of the report text.
_GROUP_OF_PHRASE = {
    "max_per_product": "max_per_product", "max_share": "max_share",
    "min_distinct": "min_distinct", "must_keep": "must_keep", "forbidden": "forbidden",
    "minimum biophysical class (eligible)": "eligible", "contiguity bonus": "contiguity",
}
_INSTEAD = re.compile(r"^(?P<head>.+?)[;:] without it (?P<instead>.+)$")
_CAP_FULL = re.compile(r"^(?P<group>max_share|max_per_product): (?P<full>.+) full$")
_MUST_KEEP = re.compile(r"^must_keep fixes (?P<products>.+)$")
_COUNT = re.compile(r"^(?P<product>\S+) (?P<count>\(\d+/\d+\))$")


def _binding(phrase: str, t: dict[str, str], names: dict[str, str]) -> str:
    """Translate a binding-constraint note of the assignment into the report's language.

    Phrases of an unknown form are shown as they are.
    """
    match = _INSTEAD.match(phrase)
    if match is None:
        return phrase
    head, instead = match["head"], match["instead"]
    products = " + ".join(names.get(p, p) for p in instead.split(" + "))
    if full := _CAP_FULL.match(head):
        listed = []
        for item in full["full"].split(", "):
            count = _COUNT.match(item)
            listed.append(f"{names.get(count['product'], count['product'])} {count['count']}"
                          if count else item)
        head = t["binding.cap_full"].format(group=t[f"group.{full['group']}"],
                                            products=", ".join(listed))
    elif keep := _MUST_KEEP.match(head):
        head = t["binding.must_keep"].format(
            products=", ".join(names.get(p, p) for p in keep["products"].split(", ")))
    elif head in _GROUP_OF_PHRASE:
        head = t[f"group.{_GROUP_OF_PHRASE[head]}"]
    else:
        return phrase
    return t["binding.instead"].format(head=head, instead=products)


# -- formatting --------------------------------------------------------------------------------


def _fmt(value: Any, lang: Language, decimals: int = 0) -> str:
    """Format a number with thousands separators in the language's style; NaN → "–".

    >>> _fmt(1234.5, "id", 1), _fmt(1234.5, "en", 1), _fmt(float("nan"), "en"), _fmt(pd.NA, "id")
    ('1.234,5', '1,234.5', '–', '–')
    """
    if value is None or pd.isna(value) or not math.isfinite(float(value)):
        return TEXT[lang]["missing"]
    text = f"{float(value):,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def _number(value: Any, lang: Language) -> str:
    """Format a setting as written, in the language's decimal style: 300 → "300", 0.1 → "0,1"."""
    number = float(value)
    digits = f"{number:.6f}".rstrip("0").split(".")[1]
    return _fmt(number, lang, len(digits))


def _small_pct(share: float, lang: Language) -> str:
    """Format a share with the decimals a small one needs: 0.0004 → "0,04%", 0.23 → "23%"."""
    decimals = 2 if share < 0.01 else 1 if share < 0.1 else 0
    return f"{_fmt(100 * share, lang, decimals)}%"


def _signed_pct(rate: Any, lang: Language) -> str:
    """Format a rate (0–1) as a signed whole percentage: -0.25 → "−25%"."""
    text = _pct(rate, lang)
    if text == TEXT[lang]["missing"]:
        return text
    return ("+" + text) if float(rate) >= 0.005 else text.replace("-", "−")


def _pct(share: Any, lang: Language) -> str:
    """Format a share (0–1) as a whole percentage: 0.9 → "90%"."""
    if share is None or pd.isna(share) or not math.isfinite(float(share)):
        return TEXT[lang]["missing"]
    return f"{_fmt(100 * float(share), lang)}%"


def _date(day: Any, t: dict[str, str]) -> str:
    return f"{day.day} {t[f'month.{day.month}']} {day.year}"


def _crs_name(grid: Grid) -> str:
    crs = pyproj.CRS.from_user_input(grid.crs)
    epsg = crs.to_epsg()
    return f"{crs.name} (EPSG:{epsg})" if epsg else crs.name


def _resolution(grid: Grid, lang: Language) -> str:
    x, y = grid.res
    unit = "°" if grid.is_geographic else " m"
    if x == y:
        return f"{_number(x, lang)}{unit}"
    return f"{_number(x, lang)} × {_number(y, lang)}{unit}"
