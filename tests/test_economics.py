"""Comparative advantage: LQ, DLQ, shift-share, Klassen, total checks and crosswalk joins.

Small tables with answers worked by hand, invariants on generated tables (hypothesis),
and real BPS tables (extracts under ``layers/``, see ``layers/PROVENANCE.md``):
the Sikka horticulture table by kecamatan and the kab/kota PDRB of East Kalimantan.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from aez.economics import (
    NegativeValueError,
    TotalRowWarning,
    UnmatchedCodeWarning,
    check_district_totals,
    check_sector_totals,
    dynamic_location_quotient,
    grouped_location_quotient,
    join_crosswalk,
    klassen_typology,
    location_quotient,
    shift_share,
    tables_by_year,
)
from aez.errors import AEZError, ConfigError
from aez.testing import real_layer

SIKKA = real_layer("production/bps_simdasi_sikka_hortikultura_per_kecamatan_2020_2023_long.csv.gz")
PUBLISHED = real_layer("reference/published_lq_values.csv")
KECAMATAN_CODES = real_layer("admin_codes/bps_kemendagri_kecamatan.csv.gz")

MINING = "Pertambangan dan Penggalian"


def table(rows: dict[str, list[float]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns, dtype=float)


# ---------------------------------------------------------------- static LQ, by hand

#        padi  jagung  kedelai   row total
#   A     50     30      20        100
#   B     10     60      30        100
#   C     40     10       0         50
#   sum  100    100      50        250  → reference shares 0.4, 0.4, 0.2
SMALL = table({"A": [50, 30, 20], "B": [10, 60, 30], "C": [40, 10, 0]},
              ["padi", "jagung", "kedelai"])


def test_lq_against_the_table_itself_by_hand():
    lq = location_quotient(SMALL)
    expected = table({"A": [0.5 / 0.4, 0.3 / 0.4, 0.2 / 0.2],     # 1.25, 0.75, 1.0
                      "B": [0.1 / 0.4, 0.6 / 0.4, 0.3 / 0.2],     # 0.25, 1.5, 1.5
                      "C": [0.8 / 0.4, 0.2 / 0.4, 0.0 / 0.2]},    # 2.0, 0.5, 0.0
                     ["padi", "jagung", "kedelai"])
    pd.testing.assert_frame_equal(lq, expected, rtol=1e-12)


def test_lq_against_a_reference_region_by_hand():
    # Province: padi 500, jagung 300, kedelai 200 (Σ 1000) → shares 0.5, 0.3, 0.2.
    province = pd.Series({"kedelai": 200.0, "padi": 500.0, "jagung": 300.0})
    lq = location_quotient(SMALL, reference=province)
    assert lq.loc["A"].tolist() == pytest.approx([0.5 / 0.5, 0.3 / 0.3, 0.2 / 0.2])
    assert lq.loc["B"].tolist() == pytest.approx([0.1 / 0.5, 0.6 / 0.3, 0.3 / 0.2])
    assert lq.loc["C"].tolist() == pytest.approx([0.8 / 0.5, 0.2 / 0.3, 0.0])


def test_lq_keeps_shape_labels_and_input():
    before = SMALL.copy()
    lq = location_quotient(SMALL)
    assert lq.shape == SMALL.shape
    assert list(lq.index) == list(SMALL.index) and list(lq.columns) == list(SMALL.columns)
    pd.testing.assert_frame_equal(SMALL, before)


def test_lq_zero_row_and_zero_column_are_nan_and_change_nothing_else():
    wider = SMALL.assign(sorgum=0.0)
    wider.loc["D"] = 0.0
    lq = location_quotient(wider)
    assert lq.loc["D"].isna().all()
    assert lq["sorgum"].isna().all()
    pd.testing.assert_frame_equal(lq.loc[["A", "B", "C"], ["padi", "jagung", "kedelai"]],
                                  location_quotient(SMALL))


def test_lq_nan_cell_is_nan_and_counts_as_zero_in_the_sums():
    gappy = SMALL.copy()
    gappy.loc["A", "jagung"] = np.nan
    lq = location_quotient(gappy)
    assert np.isnan(lq.loc["A", "jagung"])
    # A's total is 50 + 20 = 70; column sums 100, 70, 50 (Σ 220):
    # LQ(A, padi) = (50/70) / (100/220) = 11000 / 7000.
    assert lq.loc["A", "padi"] == pytest.approx(11000 / 7000)
    # LQ(B, jagung) = (60/100) / (70/220) = 13200 / 7000.
    assert lq.loc["B", "jagung"] == pytest.approx(13200 / 7000)


def test_lq_accepts_nullable_integer_columns():
    nullable = SMALL.astype("Int64")
    nullable.loc["A", "jagung"] = pd.NA
    gappy = SMALL.copy()
    gappy.loc["A", "jagung"] = np.nan
    pd.testing.assert_frame_equal(location_quotient(nullable), location_quotient(gappy))


def test_lq_negative_value_raises_a_specific_error():
    bad = SMALL.copy()
    bad.loc["B", "kedelai"] = -5.0
    with pytest.raises(NegativeValueError, match=r"-5 at \('B', 'kedelai'\)"):
        location_quotient(bad)
    with pytest.raises(NegativeValueError, match="'jagung'"):
        location_quotient(SMALL, reference=pd.Series({"padi": 1.0, "jagung": -1.0,
                                                      "kedelai": 1.0}))
    assert issubclass(NegativeValueError, ConfigError | AEZError)


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.assign(padi=np.inf), "infinite"),
    (lambda t: t.assign(nama=["a", "b", "c"]), "not numeric"),
    (lambda t: t.iloc[:, :0], "empty"),
    (lambda t: t * 0, "no sector has a positive value"),
    (lambda t: pd.concat([t, t.iloc[:1]]), "duplicated district"),
])
def test_lq_bad_tables_raise_config_errors(mutate, message):
    with pytest.raises(ConfigError, match=message):
        location_quotient(mutate(SMALL))


@pytest.mark.parametrize("reference, message", [
    (pd.Series({"padi": 1.0, "jagung": 1.0}), "no value for sector 'kedelai'"),
    (pd.Series({"padi": 1.0, "jagung": 1.0, "kedelai": 1.0, "tebu": 1.0}), "'tebu'"),
    (pd.Series({"padi": 1.0, "jagung": 1.0, "kedelai": 0.0}), "reference total of that sector"),
    ([1.0, 1.0, 1.0], "must be a pandas Series"),
])
def test_lq_bad_references_raise_config_errors(reference, message):
    with pytest.raises(ConfigError, match=message):
        location_quotient(SMALL, reference=reference)


def test_lq_warns_when_a_total_row_is_left_in():
    with_total = pd.concat([SMALL, SMALL.sum().to_frame("Kabupaten").T])
    with pytest.warns(TotalRowWarning, match="'Kabupaten'"):
        location_quotient(with_total)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        location_quotient(SMALL)


positive_tables = st.integers(2, 6).flatmap(lambda n: st.integers(2, 6).flatmap(
    lambda m: arrays(np.float64, (n, m), elements=st.floats(0.5, 1e6))))


@settings(max_examples=60, deadline=None)
@given(positive_tables)
def test_lq_weighted_means_are_one(values):
    """Σ_j LQ_ij · S_j = 1 for each district, and Σ_i LQ_ij · X_i / X = 1 for each sector."""
    frame = pd.DataFrame(values, index=[f"d{i}" for i in range(values.shape[0])],
                         columns=[f"s{j}" for j in range(values.shape[1])])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TotalRowWarning)
        lq = location_quotient(frame).to_numpy()
    ref_share = values.sum(axis=0) / values.sum()
    weight = values.sum(axis=1) / values.sum()
    np.testing.assert_allclose(lq @ ref_share, 1.0, rtol=1e-9)
    np.testing.assert_allclose(weight @ lq, 1.0, rtol=1e-9)


def test_grouped_lq_takes_each_basket_on_its_own_by_hand():
    # Fruit (pisang, mangga) and vegetables (kubis) in two baskets. Fruit: A 30 + 10, B 10 +
    # 30, kabupaten 40 + 40: A's banana share ¾ over ½ → 1.5. Over one mixed basket A's banana
    # would be 30/41 over 40/171 instead: the vegetable tons change every fruit LQ.
    x = table({"A": [30, 10, 1], "B": [10, 30, 90]}, ["pisang", "mangga", "kubis"])
    groups = {"pisang": "5.1.13", "mangga": "5.1.13", "kubis": "5.1.2"}
    lq = grouped_location_quotient(x, groups)
    assert lq.loc["A", "pisang"] == 1.5 and lq.loc["B", "mangga"] == 1.5
    assert lq["kubis"].tolist() == [1.0, 1.0]  # alone in its basket
    mixed = grouped_location_quotient(x)
    assert mixed.loc["A", "pisang"] == pytest.approx((30 / 41) / (40 / 171))
    assert mixed.equals(location_quotient(x))
    # each basket's weighted mean is 1, as for the plain LQ
    fruit = x[["pisang", "mangga"]]
    np.testing.assert_allclose(lq[["pisang", "mangga"]].to_numpy() @ (fruit.sum() / 80), 1.0)
    # a district with nothing in a basket has no LQ there; a reference by sector works per basket
    empty = grouped_location_quotient(x.assign(kubis=[0.0, 90.0]), groups)
    assert np.isnan(empty.loc["A", "kubis"]) and empty.loc["B", "kubis"] == 1.0
    reference = pd.Series({"pisang": 100.0, "mangga": 300.0, "kubis": 50.0})
    against = grouped_location_quotient(x, groups, reference=reference)
    assert against.loc["A", "pisang"] == pytest.approx(0.75 / 0.25)
    with pytest.raises(ConfigError, match="no group"):
        grouped_location_quotient(x, {"pisang": "5.1.13"})


# ---------------------------------------------------------------- dynamic LQ, by hand

def test_dlq_mean_growth_by_hand():
    # A: padi 100 → 120 → 150 (rates 0.20, 0.25; mean 0.225), jagung 100 → 80 → 50
    # (rates −0.20, −0.375; mean −0.2875); A's total stays 200 (g_j = 0).
    # Reference: 1000 of each sector every year (G_i = G = 0); t = 2022 − 2020 = 2.
    panel = {2020: table({"A": [100, 100]}, ["padi", "jagung"]),
             2021: table({"A": [120, 80]}, ["padi", "jagung"]),
             2022: table({"A": [150, 50]}, ["padi", "jagung"])}
    ref = pd.DataFrame({"padi": [1000.0] * 3, "jagung": [1000.0] * 3}, index=[2020, 2021, 2022])
    dlq = dynamic_location_quotient(panel, reference=ref)
    assert dlq.loc["A", "padi"] == pytest.approx(1.225 ** 2)       # 1.500625
    assert dlq.loc["A", "jagung"] == pytest.approx(0.7125 ** 2)    # 0.50765625


def test_dlq_reference_growth_by_hand():
    # One step (t = 1). District: padi 100 → 150 (g = 0.5), total 200 → 250 (g_j = 0.25).
    # Reference: padi 1000 → 1300 (G_i = 0.3), total 2000 → 2200 (G = 0.1).
    # DLQ = (1.5 / 1.25) / (1.3 / 1.1) = 1.2 / 1.181818… = 1.0153846…
    panel = {2020: table({"A": [100, 100]}, ["padi", "jagung"]),
             2021: table({"A": [150, 100]}, ["padi", "jagung"])}
    ref = {2020: pd.Series({"padi": 1000.0, "jagung": 1000.0}),
           2021: pd.Series({"padi": 1300.0, "jagung": 900.0})}
    dlq = dynamic_location_quotient(panel, reference=ref)
    assert dlq.loc["A", "padi"] == pytest.approx((1.5 / 1.25) / (1.3 / 1.1))
    # jagung: district g = 0, reference G_i = −0.1 → (1 / 1.25) / (0.9 / 1.1).
    assert dlq.loc["A", "jagung"] == pytest.approx((1 / 1.25) / (0.9 / 1.1))


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5), st.integers(2, 5), st.integers(1, 6), st.data())
def test_dlq_with_compound_growth_is_the_ratio_of_end_lqs(n, m, span, data):
    shape = (n, m)
    first = data.draw(arrays(np.float64, shape, elements=st.floats(1.0, 1e5)))
    last = data.draw(arrays(np.float64, shape, elements=st.floats(1.0, 1e5)))
    middle = data.draw(arrays(np.float64, shape, elements=st.floats(1.0, 1e5)))
    names = dict(index=[f"d{i}" for i in range(n)], columns=[f"s{j}" for j in range(m)])
    panel = {2000: pd.DataFrame(first, **names), 2000 + span: pd.DataFrame(last, **names)}
    if span > 1:
        panel[2001] = pd.DataFrame(middle, **names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TotalRowWarning)
        dlq = dynamic_location_quotient(panel, growth="compound")
        ratio = location_quotient(panel[2000 + span]) / location_quotient(panel[2000])
    np.testing.assert_allclose(dlq.to_numpy(), ratio.to_numpy(), rtol=1e-8)


def test_dlq_undefined_growth_and_bad_panels():
    panel = {2020: table({"A": [0, 100], "B": [50, 50]}, ["padi", "jagung"]),
             2021: table({"A": [10, 100], "B": [60, 50]}, ["padi", "jagung"])}
    dlq = dynamic_location_quotient(panel)
    assert np.isnan(dlq.loc["A", "padi"]) and np.isfinite(dlq.loc["B", "padi"])
    with pytest.raises(ConfigError, match="at least two"):
        dynamic_location_quotient({2020: panel[2020]})
    with pytest.raises(ConfigError, match="consecutive"):
        dynamic_location_quotient({2020: panel[2020], 2022: panel[2021]})
    dynamic_location_quotient({2020: panel[2020], 2022: panel[2021]}, growth="compound")
    with pytest.raises(ConfigError, match="Unknown growth"):
        dynamic_location_quotient(panel, growth="median")
    with pytest.raises(ConfigError, match="districts differ"):
        dynamic_location_quotient({2020: panel[2020], 2021: panel[2021].rename({"B": "C"})})
    with pytest.raises(ConfigError, match="keyed by year"):
        dynamic_location_quotient({"2020": panel[2020], "2021": panel[2021]})
    with pytest.raises(ConfigError, match="no sector totals for 2021"):
        dynamic_location_quotient(panel, reference={2020: pd.Series({"padi": 1.0,
                                                                     "jagung": 1.0})})


# ---------------------------------------------------------------- shift-share, by hand

def test_shift_share_components_by_hand():
    # Default reference = column sums: padi 400 → 480 (G_padi = 0.2), jagung 600 → 700
    # (G_jagung = 1/6), total 1000 → 1180 (G = 0.18).
    panel = {2019: table({"A": [100, 200], "B": [300, 400]}, ["padi", "jagung"]),
             2023: table({"A": [150, 200], "B": [330, 500]}, ["padi", "jagung"])}
    parts = shift_share(panel)
    expected = {  # national share, industry mix, competitive
        ("A", "padi"): (100 * 0.18, 100 * (0.2 - 0.18), 50 - 100 * 0.2),           # 18, 2, 30
        ("A", "jagung"): (200 * 0.18, 200 * (1 / 6 - 0.18), 0 - 200 / 6),      # 36, −2.67, −33.3
        ("B", "padi"): (300 * 0.18, 300 * (0.2 - 0.18), 30 - 300 * 0.2),           # 54, 6, −30
        ("B", "jagung"): (400 * 0.18, 400 * (1 / 6 - 0.18), 100 - 400 / 6),    # 72, −5.33, 33.3
    }
    for key, (ns, im, cs) in expected.items():
        row = parts.loc[key]
        assert (row["national_share"], row["industry_mix"], row["competitive"]) == \
            pytest.approx((ns, im, cs)), key
    assert parts.loc[("B", "jagung"), "change"] == 100.0
    assert parts["reference_growth"].tolist() == pytest.approx([0.18] * 4)
    # With the districts' own region as reference, competitive shifts cancel per sector.
    assert parts.groupby(level="sector")["competitive"].sum().abs().max() < 1e-9


def test_shift_share_identity_is_exact_on_dyadic_figures():
    # Reference: padi 1000 → 1250 (0.25), jagung 1000 → 1500 (0.5), total 2000 → 2750 (0.375).
    # A padi 64 → 96: NS = 24, IM = 64 · (0.25 − 0.375) = −8, CS = 32 − 16 = 16.
    panel = {2010: table({"A": [64, 32]}, ["padi", "jagung"]),
             2020: table({"A": [96, 40]}, ["padi", "jagung"])}
    ref = pd.DataFrame({"padi": [1000.0, 1250.0], "jagung": [1000.0, 1500.0]},
                       index=[2010, 2020])
    parts = shift_share(panel, reference=ref)
    assert parts.loc[("A", "padi"), ["national_share", "industry_mix", "competitive"]].tolist() \
        == [24.0, -8.0, 16.0]
    total = parts["national_share"] + parts["industry_mix"] + parts["competitive"]
    assert (total == parts["change"]).all()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_shift_share_components_sum_to_the_change(n, m, data):
    values = st.floats(0.0, 1e7)
    names = dict(index=[f"d{i}" for i in range(n)], columns=[f"s{j}" for j in range(m)])
    start = pd.DataFrame(data.draw(arrays(np.float64, (n, m), elements=values)), **names)
    end = pd.DataFrame(data.draw(arrays(np.float64, (n, m), elements=values)), **names)
    ref = pd.DataFrame(data.draw(arrays(np.float64, (2, m), elements=st.floats(1.0, 1e8))),
                       index=[2015, 2020], columns=names["columns"])
    parts = shift_share({2015: start, 2020: end}, reference=ref)
    components = parts[["national_share", "industry_mix", "competitive", "change"]]
    total = parts["national_share"] + parts["industry_mix"] + parts["competitive"]
    scale = np.maximum(1.0, components.abs().max(axis=1))
    assert ((total - parts["change"]).abs() <= 1e-12 * scale).all()


def test_shift_share_new_sector_and_errors():
    panel = {2019: table({"A": [0, 100], "B": [50, 50]}, ["padi", "jagung"]),
             2020: table({"A": [10, 100], "B": [50, 50]}, ["padi", "jagung"])}
    row = shift_share(panel).loc[("A", "padi")]
    # A sector new to the district: no own growth rate, but the components still add up.
    assert np.isnan(row["sector_growth"])
    assert (row["national_share"], row["industry_mix"], row["competitive"]) == (0.0, 0.0, 10.0)
    # No padi anywhere in the base year: the reference sector growth is undefined.
    only_a = {year: t.loc[["A"]] for year, t in panel.items()}
    assert np.isnan(shift_share(only_a).loc[("A", "padi"), "industry_mix"])
    with pytest.raises(ConfigError, match="not in the tables"):
        shift_share(panel, start=2018)
    with pytest.raises(ConfigError, match="must come before"):
        shift_share(panel, start=2020, end=2019)


# ---------------------------------------------------------------- Klassen, by hand

def test_klassen_quadrants_by_hand():
    # Reference: both sectors 1000 → 1100 (G = 0.1), shares 0.5 each year.
    # A padi: g 0.5 ≥ 0.1, shares 0.6 and 90/138 = 0.65 ≥ 0.5 → 1 prima.
    # A jagung: g 0.2 ≥ 0.1, shares 0.4 and 0.35 < 0.5 → 3 berkembang.
    # B padi: g 0 < 0.1, shares 0.2 and 0.19 → 4 relatif tertinggal.
    # B jagung: g 0.05 < 0.1, shares 0.8 and 0.81 → 2 maju tapi tertekan.
    panel = {2020: table({"A": [60, 40], "B": [20, 80]}, ["padi", "jagung"]),
             2021: table({"A": [90, 48], "B": [20, 84]}, ["padi", "jagung"])}
    ref = pd.DataFrame({"padi": [1000.0, 1100.0], "jagung": [1000.0, 1100.0]},
                       index=[2020, 2021])
    result = klassen_typology(panel, reference=ref)
    assert result["quadrant"].tolist() == [1, 3, 4, 2]
    assert result["label_en"].tolist() == ["prime (advanced, fast-growing)",
                                           "developing (potential)", "relatively lagging",
                                           "advanced but depressed"]
    assert result.loc[("A", "padi"), "share"] == pytest.approx((0.6 + 90 / 138) / 2)
    assert result.loc[("A", "padi"), "lq"] == pytest.approx((0.6 + 90 / 138) / 2 / 0.5)


def test_klassen_ties_go_up_and_undefined_growth_has_no_quadrant():
    # Every district grows exactly like the reference with the reference's shares: ties.
    panel = {2020: table({"A": [10, 10], "B": [0, 20]}, ["padi", "jagung"]),
             2021: table({"A": [20, 20], "B": [0, 40]}, ["padi", "jagung"])}
    # Reference = column sums: padi 10 → 20, jagung 30 → 60 (G = 1 for both: ties).
    # A padi: share 0.5 ≥ 0.25 → prima; A jagung: 0.5 < 0.75 → berkembang;
    # B jagung: share 1 ≥ 0.75 → prima; B padi: growth from 0 undefined → no quadrant.
    result = klassen_typology(panel)
    assert result.loc[("A", "padi"), "quadrant"] == 1
    assert result.loc[("A", "jagung"), "quadrant"] == 3
    assert result.loc[("B", "jagung"), "quadrant"] == 1
    assert pd.isna(result.loc[("B", "padi"), "quadrant"])
    assert pd.isna(result.loc[("B", "padi"), "label_id"])
    tie = {2020: table({"A": [10, 10], "B": [10, 10]}, ["padi", "jagung"]),
           2021: table({"A": [20, 20], "B": [20, 20]}, ["padi", "jagung"])}
    assert klassen_typology(tie)["quadrant"].tolist() == [1, 1, 1, 1]


# ---------------------------------------------------------------- totals and crosswalk

def test_sector_totals_find_decimal_shifts_by_hand():
    sectors = pd.DataFrame({"tambang": [186.33, 18633.0, 186.33, 186.33, 0.0, np.nan],
                            "industri": [100.0, 100.0, 10000.0, 100.0, 0.0, 5.0],
                            "tani": [54.95, 54.95, 5495.0, 54.95, 0.0, 5.0]},
                           index=["ok", "one", "two", "total", "empty", "gap"])
    stated = pd.Series({"ok": 341.28, "one": 341.28, "two": 341.28, "total": 3412.8,
                        "empty": 0.0, "gap": 10.0})
    report = check_sector_totals(sectors, stated)
    assert report["status"].tolist() == ["ok", "mismatch", "mismatch", "mismatch", "empty",
                                         "incomplete"]
    assert report["consistent"].tolist() == [True, False, False, False, False, False]
    # 186.33 + 100 + 54.95 = 341.28; 18633 is 100 × 186.33: sum − total = 18446.67.
    assert report.loc["one", "difference"] == pytest.approx(18446.67)
    assert report.loc["one", "suspect_sectors"] == ("tambang",)
    assert report.loc["one", "suspect_factors"] == (0.01,)
    assert report.loc["two", "suspect_sectors"] == ("industri", "tani")
    assert report.loc["two", "suspect_factors"] == (0.01, 0.01)
    # The stated total itself carries the shift: 3412.8 × 0.1 = 341.28.
    assert report.loc["total", "total_factor"] == pytest.approx(0.1)
    assert np.isnan(report.loc["one", "total_factor"])
    # A gap within tolerance passes; atol=0 makes it fail.
    near = check_sector_totals(sectors.loc[["ok"]], pd.Series({"ok": 341.0}))
    assert near["status"].tolist() == ["ok"]
    assert check_sector_totals(sectors.loc[["ok"]], pd.Series({"ok": 341.0}),
                               atol=0)["status"].tolist() == ["mismatch"]


def test_district_totals_by_hand():
    districts = table({"Paga": [2764, 89], "Mego": [121, 0]}, ["pisang", "alpukat"])
    report = check_district_totals(districts, pd.Series({"pisang": 2886.0, "alpukat": 100.0}))
    assert report["difference"].tolist() == [-1.0, -11.0]        # 2885 − 2886, 89 − 100
    assert report["consistent"].tolist() == [True, False]        # tolerance 0.5 × 2 rows


def test_crosswalk_join_reports_unmatched_rows():
    production = pd.DataFrame({"kode_bps": [6390040, 6390060, 6390999, None],
                               "ton": [748.1, 227.0, 1.0, 976.1]})
    walk = pd.DataFrame({"kode_kemendagri": ["63.90.01", "63.90.02", "63.90.03"],
                         "kode_bps": ["6390040", "6390060", "6390020"]})
    with pytest.warns(UnmatchedCodeWarning, match="2 of 4 rows"):
        result = join_crosswalk(production, walk, on="kode_bps", source="kode_bps",
                                target="kode_kemendagri")
    assert result.joined["kode_kemendagri"].tolist() == ["63.90.01", "63.90.02", None, None]
    assert result.unmatched["ton"].tolist() == [1.0, 976.1]
    assert result.absent["kode_bps"].tolist() == ["6390020"]
    # Back the other way, from dotted Kemendagri codes written without dots.
    back = pd.DataFrame({"kemendagri": ["639001", "639002", "639003"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = join_crosswalk(back, walk, on="kemendagri", source="kode_kemendagri",
                                target="kode_bps")
    assert result.joined["kode_bps"].tolist() == ["6390040", "6390060", "6390020"]
    assert result.unmatched.empty


def test_crosswalk_refuses_ambiguous_maps_and_clobbering():
    walk = pd.DataFrame({"bps": ["5310010", "5310010"], "dagri": ["530701", "531001"]})
    frame = pd.DataFrame({"bps": [5310010], "dagri": ["x"]})
    with pytest.raises(ConfigError, match="more than one"):
        join_crosswalk(frame.drop(columns="dagri"), walk, on="bps", source="bps",
                       target="dagri")
    with pytest.raises(ConfigError, match="already has a column 'dagri'"):
        join_crosswalk(frame, walk.iloc[:1], on="bps", source="bps", target="dagri")
    with pytest.raises(ConfigError, match="no column 'kode'"):
        join_crosswalk(frame, walk, on="kode", source="bps", target="dagri")


def test_tables_by_year_fills_every_year_and_refuses_duplicates():
    long = pd.DataFrame({"tahun": [2020, 2020, 2021], "kec": ["A", "B", "A"],
                         "komoditas": ["padi", "padi", "jagung"], "ton": [1.0, 2.0, 3.0]})
    panel = tables_by_year(long, year="tahun", district="kec", sector="komoditas", value="ton")
    assert list(panel[2021].index) == ["A", "B"]
    assert list(panel[2021].columns) == ["jagung", "padi"]
    assert np.isnan(panel[2021].loc["B", "padi"]) and panel[2021].loc["A", "jagung"] == 3.0
    with pytest.raises(ConfigError, match="more than one row"):
        tables_by_year(pd.concat([long, long.iloc[:1]]), year="tahun", district="kec",
                       sector="komoditas", value="ton")
    with pytest.raises(ConfigError, match="not numeric"):
        tables_by_year(long.assign(ton=["1", "2", "3"]), year="tahun", district="kec",
                       sector="komoditas", value="ton")


# ---------------------------------------------------------------- real data

@pytest.fixture(scope="module")
def sikka_fruit_2023() -> pd.DataFrame:
    """Sikka, table 5.1.13 (fruit production, quintals), 2023, kecamatan × commodity."""
    long = pd.read_csv(SIKKA)
    part = long[(long["tabel"] == "5.1.13") & (long["tahun"] == 2023)]
    assert set(part["satuan"]) == {"kw/ qui "}
    wide = tables_by_year(part, year="tahun", district="kecamatan", sector="komoditas",
                          value="nilai")[2023]
    return wide


# Row totals of the 21 kecamatan in table 5.1.13 (2023), summing each printed row:
#   Paga 89+40+435+504+481+387+481+2764 = 5181; Mego 66+57+121 = 244;
#   Tana Wawo 82+23+5+123+119+79+46+67+568 = 1112;
#   Lela 254+6+20+35+95+13+1449+52+108+331+4052+103+40+19+8+65 = 6650;
#   Bola 2120+3770+819+1394+696+721+1410+782+884 = 12596; Doreng 92+266+260 = 618;
#   Mapitara 1849+552+760+1040+442+263+1402+798 = 7106;
#   Talibura 170+13+332+328+580+585+16591+80+20+42 = 18741;
#   Waigete 48+66+57+97+167+55+507+306+495+1398+1595+274+10+44+134+27+5+3 = 5288;
#   Waiblama 36+15+119+340+10+1133+1375+1279+1193+2255+5+1+3+74+42+3 = 7883;
#   Kewapante 30+531+558+174+863+827 = 2983; Hewokloang 65+43+17+24+12+30+4+5+8 = 208;
#   Kangae 251+50+48+49+33+482+275+717+734+1732+62+91+78+51 = 4653;
#   Palue 64+48+278+91+147+59+171+367+9+7+1+1 = 1243;
#   Koting 1522+505+1476+295+478+815+1178+21+763 = 7053;
#   Nelle 53+5+19+44+6+292+431+76+642+584+19+2+95+37+2 = 2307;
#   Nita 3756+54+90+223+525+177+1434+920+1876+4300+10872+200+420+220 = 25067;
#   Magepanda 140+195+223+420+719+243+301+717+93+89+84+87 = 3311;
#   Alok 397+106+21+300+648+906+5086+247+2070+783+44+54 = 10662;
#   Alok Barat 70+31+119+122+537+213+18+3431+2220+195+24+7+19 = 7006;
#   Alok Timur 109+17+875+23+20+112+1700+26+5+23+46 = 2956.
# All kecamatan: 5181+244+1112+6650+12596+618+7106+18741+5288+7883+2983+208+4653+1243
#   +7053+2307+25067+3311+10662+7006+2956 = 132868 quintals.
# Column sums over the kecamatan:
#   Pisang 2764+121+568+4052+1410+260+1402+16591+1595+2255+827+30+1732+367+1178+584
#          +10872+717+5086+2220+1700 = 56331 (BPS's total row prints 56329);
#   Pepaya 481+57+67+331+721+263+585+1398+1193+863+12+734+171+815+642+4300+301+906+3431
#          +112 = 17383 (BPS 17382);
#   Durian 20+3770+266+552+57+43+50+90+17 = 4865;  Sawo 19+44+3+2+89+247 = 404.
SIKKA_HAND = {
    ("Talibura", "Pisang/ Banana"): (16591 / 18741) / (56331 / 132868),    # ≈ 2.088
    ("Nita", "Pepaya/ Papaya"): (4300 / 25067) / (17383 / 132868),         # ≈ 1.311
    ("Bola", "Durian/ Durian"): (3770 / 12596) / (4865 / 132868),          # ≈ 8.174
    ("Alok", "Sawo/ Sapodilla/Sawo"): (247 / 10662) / (404 / 132868),      # ≈ 7.619
}


def test_lq_on_the_sikka_horticulture_table_matches_hand_computation(sikka_fruit_2023):
    districts = sikka_fruit_2023.drop(index="Sikka (TOTAL KABUPATEN)")
    assert len(districts) == 21
    lq = location_quotient(districts)
    for (kecamatan, commodity), expected in SIKKA_HAND.items():
        assert lq.loc[kecamatan, commodity] == pytest.approx(expected, rel=1e-12)
    # Against BPS's own kabupaten row (Σ of its 25 figures: 11196+548+4865+1426+2381+1669
    # +13365+7485+6755+17382+56329+2467+2240+404+2997+1161+64+45+79 = 132858):
    bps_total = sikka_fruit_2023.loc["Sikka (TOTAL KABUPATEN)"]
    lq_bps = location_quotient(districts, reference=bps_total)
    assert lq_bps.loc["Talibura", "Pisang/ Banana"] == pytest.approx(
        (16591 / 18741) / (56329 / 132858), rel=1e-12)
    # Left in, the total row is noticed.
    with pytest.warns(TotalRowWarning, match="TOTAL KABUPATEN"):
        location_quotient(sikka_fruit_2023)


def test_sikka_kecamatan_add_up_to_the_bps_total_row(sikka_fruit_2023):
    districts = sikka_fruit_2023.drop(index="Sikka (TOTAL KABUPATEN)")
    report = check_district_totals(districts, sikka_fruit_2023.loc["Sikka (TOTAL KABUPATEN)"])
    assert report["consistent"].all()
    assert report["difference"].abs().max() <= 3          # BPS rounding (data README)
    assert report.loc["Pisang/ Banana", "difference"] == 56331 - 56329


def test_sikka_codes_join_to_kemendagri_through_the_bps_crosswalk():
    long = pd.read_csv(SIKKA, dtype={"kode_bps_kec": str, "kode_kemendagri_kec": str})
    part = long[(long["tabel"] == "5.1.13") & (long["tahun"] == 2023)]
    walk = pd.read_csv(KECAMATAN_CODES, dtype=str)
    with pytest.warns(UnmatchedCodeWarning):
        result = join_crosswalk(part, walk, on="kode_bps_kec", source="kode_bps",
                                target="kode_dagri")
    # The only rows without a partner are BPS's total row (it has no kecamatan code).
    assert set(result.unmatched["kecamatan"]) == {"Sikka (TOTAL KABUPATEN)"}
    matched = result.joined.dropna(subset=["kode_dagri"])
    assert len(matched) == 21 * 25
    # The file's own Kemendagri column (53.07.xx) is an independent check of every match.
    assert (matched["kode_dagri"] == matched["kode_kemendagri_kec"].str.replace(".", "")).all()
    assert len(result.absent) == len(walk) - 21


@pytest.mark.parametrize("year, expected, hand", [
    # (mining / total) Kutai Timur over the same for Kalimantan Timur, stated totals:
    (2013, 1.60, (68335.99 / 80730.97) / (232661.0 / 438532.91)),    # 0.84646 / 0.53055
    (2020, 1.76, (76689.46 / 92585.57) / (222909.0 / 472393.33)),    # 0.82831 / 0.47187
])
def test_kutai_timur_mining_lq_against_kalimantan_timur(pdrb, year, expected, hand):
    districts = pdrb.year(year, regions=[6404])                       # BPS 6404: Kutai Timur
    lq = location_quotient(districts, reference=pdrb.year(year).loc[6400])
    assert lq.loc[6404, MINING] == pytest.approx(expected, abs=0.02)
    # Sector sums and stated totals agree within rounding, hence the small tolerance.
    assert lq.loc[6404, MINING] == pytest.approx(hand, rel=1e-4)


def test_shift_share_on_kalimantan_timur_kabupaten(pdrb):
    kabupaten = [6401, 6402, 6403, 6404, 6405, 6409, 6411, 6471, 6472, 6474]
    panel = {year: pdrb.year(year, regions=kabupaten) for year in (2013, 2020)}
    province = pd.DataFrame({year: pdrb.year(year).loc[6400] for year in (2013, 2020)}).T
    parts = shift_share(panel, reference=province)
    total = parts["national_share"] + parts["industry_mix"] + parts["competitive"]
    assert np.allclose(total, parts["change"], rtol=0, atol=1e-9 * parts["end"].abs().max())
    # Kutai Timur mining, 68335.99 → 76689.46; province mining 232661 → 222909
    # (G_j = −0.041915), province total 438532.91 → 472393.33 (G = 0.077212; the sectors
    # sum to the stated totals within 0.1).
    row = parts.loc[(6404, MINING)]
    g = 472393.33 / 438532.91 - 1
    g_mining = 222909.0 / 232661.0 - 1
    assert row["national_share"] == pytest.approx(68335.99 * g, rel=1e-4)
    assert row["industry_mix"] == pytest.approx(68335.99 * (g_mining - g), rel=1e-4)
    assert row["competitive"] == pytest.approx(8353.47 - 68335.99 * g_mining, rel=1e-6)


def test_kutai_timur_mining_is_prima_against_kalimantan_timur(pdrb):
    # Compound growth 2013 → 2020 (t = 7): Kutai Timur mining (76689.46 / 68335.99)^(1/7) − 1
    # = +1.66 %/yr, Kalimantan Timur mining (222909 / 232661)^(1/7) − 1 = −0.61 %/yr.
    # Shares: Kutai Timur mining ≥ 0.828 every year, the province's ≤ 0.531 → quadrant 1.
    years = range(2013, 2021)
    panel = {y: pdrb.year(y, regions=[6404]) for y in years}
    province = pd.DataFrame({y: pdrb.year(y).loc[6400] for y in years}).T
    result = klassen_typology(panel, reference=province, growth="compound")
    row = result.loc[(6404, MINING)]
    assert row["growth"] == pytest.approx((76689.46 / 68335.99) ** (1 / 7) - 1, rel=1e-9)
    assert row["reference_growth"] == pytest.approx((222909 / 232661) ** (1 / 7) - 1,
                                                    rel=1e-9)
    assert row["quadrant"] == 1 and row["label_id"] == "prima"


def test_published_values_agree_with_the_lq_definition(pdrb):
    """Sanity against reference/published_lq_values.csv where the data allow it."""
    published = pd.read_csv(PUBLISHED, dtype=str)
    # 1. Kutai Timur mining share of GRDP (IJMRE study: 0.8337, mean 2013–2022); the file's
    #    note gives the shares of this PDRB table for 2013, 2016 and 2020.
    kutim = published.loc[published["study_id"] == "KUTIM_PDRB"].iloc[0]
    shares = {y: pdrb.year(y).loc[6404, MINING] / pdrb.year(y).loc[6404].sum()
              for y in range(2013, 2021)}
    found = re.findall(r"(0\.\d{4}) \((\d{4})\)", kutim["notes"])
    assert len(found) == 3
    for share, year in found:
        assert shares[int(year)] == pytest.approx(float(share), abs=5e-5)
    assert np.mean(list(shares.values())) == pytest.approx(float(kutim["lq_value"].split()[0]),
                                                           abs=0.02)
    # 2. An LQ row is a set of ratios whose reference-weighted mean is 1 (see
    #    test_lq_weighted_means_are_one), so no kecamatan can be above 1 (or below 1) in
    #    every commodity. The published kecamatan tables of Kotawaringin Timur obey this.
    kotim = published.loc[published["study_id"] == "KOTIM2006"].dropna(subset=["lq_value"])
    for kecamatan, rows in kotim.groupby("kecamatan_or_scope"):
        values = rows["lq_value"].astype(float)
        assert (values > 0).all()
        assert values.min() < 1 < values.max(), kecamatan
