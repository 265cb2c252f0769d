"""The commodity library as a whole: every shipped table is plausible, the library is complete,
the demo region rates every commodity with some spread, and the pages that describe the library
(``docs/crops.md``, ``layers/characteristics.md``) list what is really shipped.

The plausibility checks are first tried on small hand-made tables, each one edit away from a
table that passes, so that each failure is that edit's.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import aez
from aez.characteristics import CHARACTERISTICS
from aez.crops import (
    CropRequirements,
    NumericRule,
    Source,
    crop_ids,
    load_crop,
    load_crops,
    parse_crop,
    plausibility_problems,
)
from aez.demo.manifest import layer_entries
from aez.errors import ConfigError
from aez.pipeline import StageOptions, evaluate_stack

ROOT = Path(__file__).resolve().parents[1]
INF = "inf"


def base() -> dict[str, Any]:
    """A small table that passes every check."""
    return {
        "id": "uji", "name_id": "Tanaman uji", "name_en": "Test crop",
        "scientific_name": "Planta testis", "group": "food",
        "sources": [{"key": "buku", "citation": "A published book (2011)."}],
        "characteristics": {
            "temperature": {"units": "°C", "S1": [22, 28], "S2": [[18, 22], [28, 32]],
                            "S3": [[15, 18], [32, 35]], "N": [["-inf", 15], [35, INF]],
                            "source": "buku"},
            "soil_depth": {"units": "cm", "S1": [75, INF], "S2": [50, 75], "S3": [25, 50],
                           "N": [0, 25], "source": "buku"},
            "ph_h2o": {"units": "", "S1": [5.5, 7.0], "S2": [[5.0, 5.5], [7.0, 7.5]],
                       "S3": [[0, 5.0], [7.5, 14]], "improvement": 1, "improves": "below",
                       "source": "buku"},
            "drainage": {"S1": ["well", "moderately_well"], "S2": ["somewhat_poor"],
                         "S3": ["poor", "somewhat_excessive"], "N": ["very_poor", "excessive"],
                         "improvement": 1, "improves": ["somewhat_poor", "poor", "very_poor"],
                         "source": "buku"},
            "slope": {"units": "%", "S1": [0, 8], "S2": [8, 15], "S3": [15, 25], "N": [25, INF],
                      "improvement": 1, "source": "buku"},
        },
    }


def crop_with(char_id: str, **changes: Any):
    doc = base()
    doc["characteristics"][char_id].update(changes)
    return parse_crop(doc)


# -- plausibility_problems on hand-made tables ----------------------------------------------


def test_the_base_table_is_plausible() -> None:
    assert plausibility_problems(parse_crop(base())) == []


@pytest.mark.parametrize(("char_id", "changes", "message"), [
    # 45 °C and 8 °C are edges outside 10–40 °C.
    ("temperature", {"S3": [[8, 18], [32, 45]], "N": [["-inf", 8], [45, INF]]},
     "temperature: edges 8, 45 lie outside 10–40 °C"),
    # pH 2.5 and 9.5 are thresholds outside 3–9; 0 and 14 (the domain ends) never are.
    ("ph_h2o", {"S3": [[2.5, 5.0], [7.5, 9.5]], "N": [[0, 2.5], [9.5, 14]]},
     "ph_h2o: edges 2.5, 9.5 lie outside 3–9"),
    ("ph_h2o", {"improves": "both"}, "liming only helps acid soil"),
    ("temperature", {"improvement": 1}, "no usual improvement changes mean annual temperature"),
    ("soil_depth", {"improvement": 1}, "no usual improvement changes effective soil depth"),
    ("drainage", {"improves": ["poor", "excessive"]},
     "drainage: improvement = 1 helps excessive, but drains only help wet soil"),
])
def test_each_implausible_edit_is_reported(char_id: str, changes: dict, message: str) -> None:
    problems = plausibility_problems(crop_with(char_id, **changes))
    assert len(problems) == 1, problems
    assert re.search(message, problems[0]), problems[0]


@pytest.mark.parametrize(("char_id", "changes", "message"), [
    # Shallow soil rated S1 and deep soil S3: read the wrong way round.
    ("soil_depth", {"S1": [0, 25], "S2": [25, 50], "S3": [50, 75], "N": [75, INF]},
     r"soil_depth\]: classes run S1 → S2 → S3 → N from low to high values, but for soil_depth "
     r"higher values are always better .* give S1 the band at the high end"),
    ("slope", {"S1": [25, INF], "S2": [15, 25], "S3": [8, 15], "N": [0, 8]},
     r"classes run N → S3 → S2 → S1 .* for slope lower values are always better"),
])
def test_bands_against_the_direction_are_refused(char_id: str, changes: dict,
                                                 message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        crop_with(char_id, **changes)


def test_bands_that_are_not_nested_are_reported() -> None:
    # The schema refuses such a table; a rule built in code can still have it. Temperature
    # classes from low to high: N, S3, S1, S3, S2, N: the S1–S2 land is split by an S3 band.
    crop = parse_crop(base())
    rule = crop.rules["temperature"]
    assert isinstance(rule, NumericRule)
    split = dataclasses.replace(rule, classes=(4, 3, 1, 3, 2, 4))
    problems = plausibility_problems(dataclasses.replace(crop, rules={**crop.rules,
                                                                     "temperature": split}))
    assert problems == ["temperature: the S1–S2 bands are not one range (classes from low to "
                        "high values: N → S3 → S1 → S3 → S2 → N)."]


def test_bad_units_and_metadata_are_reported() -> None:
    crop = parse_crop(base())
    slope = dataclasses.replace(crop.rules["slope"], units="furlongs")
    ph = dataclasses.replace(crop.rules["ph_h2o"], source="elsewhere")
    bad = dataclasses.replace(crop, scientific_name=" ", group="snacks",
                              sources=(Source("buku", ""),),
                              rules={**crop.rules, "slope": slope, "ph_h2o": ph})
    problems = plausibility_problems(bad)
    assert "`scientific_name` is empty." in problems
    assert any(p.startswith("group 'snacks' is not one of food") for p in problems)
    assert "source 'buku' has an empty citation." in problems
    assert "slope: units 'furlongs'; expected '%'." in problems
    assert any(p.startswith("ph_h2o: source 'elsewhere' is not among") for p in problems)
    assert len(problems) == 5, problems
    assert plausibility_problems(dataclasses.replace(crop, sources=())) == [
        "no sources: cite at least one published table.",
        *(f"{c}: source 'buku' is not among the table's sources []." for c in crop.rules)]


# -- the shipped library -------------------------------------------------------------------------


@pytest.mark.parametrize("crop_id", crop_ids())
def test_every_shipped_table_loads_and_is_plausible(crop_id: str) -> None:
    crop = load_crop(crop_id)
    assert plausibility_problems(crop) == []


def test_library_has_at_least_25_crops() -> None:
    assert len(crop_ids()) >= 25, crop_ids()


def test_demo_rates_every_crop_with_some_spread(small_demo: Path, tmp_path: Path) -> None:
    config = aez.load_config(small_demo)
    assert sorted(config.evaluate.crops) == crop_ids()  # the demo evaluates every commodity
    stack = aez.LayerStack.from_config(config)
    crops = load_crops(crop_ids())
    with warnings.catch_warnings():
        warnings.simplefilter("error", aez.AEZWarning)  # no characteristic lacks a layer
        totals = evaluate_stack(
            stack, crops, tmp_path, constraints=list(config.constraints.values()),
            options=StageOptions(executor="threads"))
    failures = []
    for crop_id, t in totals.items():
        assert t.skipped == (), (crop_id, t.skipped)
        cells = t.cells.sum(axis=0)[1:5]  # S1, S2, S3, N over evaluated land
        shares = cells / cells.sum()
        text = ", ".join(f"{c} {s:.1%}" for c, s in zip(("S1", "S2", "S3", "N"), shares,
                                                       strict=True))
        if cells.sum() == 0 or np.isclose(shares[3], 1.0) or np.isclose(shares[0], 1.0):
            failures.append(f"{crop_id}: {text}")
    assert not failures, "all N or all S1 over the demo's evaluated land: " + "; ".join(failures)


# -- the pages that describe the library ---------------------------------------------------------


def doc_crop_ids(text: str) -> list[str]:
    """Ids in the first column of the library table of docs/crops.md."""
    section = text.split("## The library", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)


def sources_most_cited_first(crop: CropRequirements) -> list[str]:
    """The table's source keys by the number of its characteristics citing each, most first;
    keys cited equally often in alphabetical order (the order docs/crops.md promises)."""
    cited = Counter(rule.source for rule in crop.rules.values())
    return sorted((s.key for s in crop.sources), key=lambda key: (-cited[key], key))


def test_sources_most_cited_first_counts_citations_and_breaks_ties_by_key() -> None:
    doc = base()
    doc["sources"] = [{"key": k, "citation": f"Book {k} (2011)."} for k in ("zeta", "alfa", "mu")]
    rules = doc["characteristics"]  # five rules: zeta cites 3; alfa and mu 1 each; none cites 0
    for char_id, key in zip(rules, ("zeta", "mu", "zeta", "alfa", "zeta"), strict=True):
        rules[char_id]["source"] = key
    assert sources_most_cited_first(parse_crop(doc)) == ["zeta", "alfa", "mu"]
    doc["sources"].append({"key": "beta", "citation": "Listed, cited by no rule (2011)."})
    assert sources_most_cited_first(parse_crop(doc)) == ["zeta", "alfa", "mu", "beta"]


def test_docs_list_every_shipped_crop_once_with_its_sources_most_cited_first() -> None:
    text = (ROOT / "docs" / "crops.md").read_text(encoding="utf-8")
    ids = doc_crop_ids(text)
    assert len(ids) == len(set(ids)), sorted(i for i in set(ids) if ids.count(i) > 1)
    assert sorted(ids) == crop_ids()
    stale = []
    for crop_id in ids:  # names, group and sources (in order) are exactly the table's own
        crop = load_crop(crop_id)
        expected = (f"| `{crop_id}` | {crop.name_id} | {crop.name_en} | {crop.group} | "
                    + ", ".join(f"`{k}`" for k in sources_most_cited_first(crop)) + " |")
        row = re.search(rf"^\| `{crop_id}` \|.*$", text, flags=re.M).group(0)
        if row.strip() != expected:
            stale.append(f"  {row.strip()}\n→ {expected}")
    assert not stale, ("docs/crops.md, section 'The library': replace each row by the one "
                       "after it:\n" + "\n".join(stale))


def worked_example() -> str:
    text = (ROOT / "docs" / "crops.md").read_text(encoding="utf-8")
    section = text.split("## Adding or overriding a commodity", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```toml\n(.*?)```", section, flags=re.S)
    tables = [b for b in blocks if b.startswith("id = ")]
    assert len(tables) == 1, "the section shows one crop table"
    return tables[0]


def test_docs_worked_example_loads_as_a_user_table(tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    example = worked_example()
    (tmp_path / "jagung_lokal.toml").write_text(example, encoding="utf-8")
    crop = load_crop("jagung_lokal", crop_dirs=[tmp_path])
    assert plausibility_problems(crop) == []
    # The example copies its bands from the built-in maize table (Djaenudin et al. 2011).
    maize = load_crop("jagung")
    for char_id, rule in crop.rules.items():
        theirs = maize.rules[char_id]
        if isinstance(rule, NumericRule):
            assert (rule.edges, rule.classes) == (theirs.edges, theirs.classes), char_id
        else:
            assert dict(rule.classes) == dict(theirs.classes), char_id
    # Saved under a built-in id, the same table replaces the built-in one, and says so.
    (tmp_path / "override").mkdir()
    (tmp_path / "override" / "jagung.toml").write_text(
        example.replace('id = "jagung_lokal"', 'id = "jagung"'), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="aez.crops"):
        replaced = load_crop("jagung", crop_dirs=[tmp_path / "override"])
    assert replaced.path == tmp_path / "override" / "jagung.toml"
    assert any("overrides" in r.getMessage() for r in caplog.records)


def test_every_characteristic_a_crop_uses_has_a_demo_layer() -> None:
    provided = {entry.get("role") for entry in layer_entries().values()}
    used = {c for crop in load_crops(crop_ids()) for c in crop.rules}
    assert used <= provided, sorted(used - provided)


def used_by_cell(char_id: str, crops: list[CropRequirements]) -> str:
    """The "used by" cell of layers/characteristics.md: "all" when every shipped table rates
    the characteristic, "-" when none does, else exactly the ids that do, alphabetically."""
    users = sorted(c.id for c in crops if char_id in c.rules)
    if users == sorted(c.id for c in crops):
        return "all"
    return ", ".join(users) if users else "-"


def test_used_by_cell_names_exactly_the_crops_that_rate_it() -> None:
    a = parse_crop(base())
    b = parse_crop({**base(), "id": "lain",
                    "characteristics": {k: v for k, v in base()["characteristics"].items()
                                        if k != "slope"}})
    assert used_by_cell("temperature", [b, a]) == "all"
    assert used_by_cell("slope", [b, a]) == "uji"
    assert used_by_cell("rainfall", [b, a]) == "-"


def test_characteristics_page_lists_every_characteristic_with_its_demo_layer() -> None:
    text = (ROOT / "layers" / "characteristics.md").read_text(encoding="utf-8")
    found = re.findall(r"^\| `([a-z0-9_]+)` \|", text, flags=re.M)
    assert len(found) == len(set(found)), sorted(c for c in set(found) if found.count(c) > 1)
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z0-9_]+)` \|.*$", text,
                                                        flags=re.M)}
    assert sorted(rows) == sorted(CHARACTERISTICS)
    layer_of = {entry["role"]: name for name, entry in layer_entries().items()
                if entry.get("role") in CHARACTERISTICS}
    crops = load_crops(crop_ids())
    stale = []
    for char_id, row in rows.items():
        cells = [c.strip() for c in row.strip("|").split("|")]
        char = CHARACTERISTICS[char_id]
        assert cells[1] == f"`{char.quality}`", row
        assert cells[2] == (char.units or "-"), row
        assert cells[3] == (f"`{layer_of[char_id]}`" if char_id in layer_of else "-"), row
        assert cells[5] == f"{char.name_en} / {char.name_id}", row
        # "Used by" names exactly the shipped tables that rate it, in the page's fixed form.
        if cells[4] != used_by_cell(char_id, crops):
            expected = "| " + " | ".join([*cells[:4], used_by_cell(char_id, crops),
                                          *cells[5:]]) + " |"
            stale.append(f"  {row.strip()}\n→ {expected}")
    assert not stale, ("layers/characteristics.md: replace each row by the one after it:\n"
                       + "\n".join(stale))


def test_readme_counts_the_built_in_commodities() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    counts = re.findall(r"(\d+) built-in commodities", readme)
    assert counts == [str(len(crop_ids()))], (
        f"README.md says {counts} built-in commodities; the library has {len(crop_ids())}")
