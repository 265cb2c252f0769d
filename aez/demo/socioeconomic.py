"""Socio-economic tables of the demo region: people, farm production and sentra.

**Population** of a kecamatan grows with its habitable land and its
settlements, most in the capital's kecamatan; about 28–45 % of households
farm (*rumah tangga usaha pertanian*).

**Production** (BPS style, 2019–2023) follows a simple suitability proxy
computed from the generated layers, not the aez land evaluation: for each
crop a product of trapezoid memberships for the Braak temperature
(T = 26.3 − 0.6 h/100 m, Braak 1928), rainfall, slope, drainage, peat depth
and salinity, averaged over the kecamatan's farmland (APL and plantation
land). The harvested area is farmland × the crop's usual share ×
suitability^1.5 × a lognormal "history" factor (σ = 0.7), so comparative
advantage (LQ) and suitability agree only loosely, as in real data; crops
with a proxy below 0.15, and minor crops at random, are absent (zero).
Yields grow with suitability; areas drift by a per-kecamatan trend and
yearly noise.

**Sentra** (business clusters) per kecamatan in the six fields of the
Ministry of Cooperatives and SMEs are Poisson counts driven by farm
households, coast and population.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from aez.demo.fields import rng_for

__all__ = ["COMMODITIES", "SENTRA_FIELDS", "YEARS", "Crop", "make_prices", "make_socioeconomics"]

YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023)

#: The six business fields (*bidang usaha*) of sentra.
SENTRA_FIELDS: tuple[str, ...] = (
    "Pertanian dan Perkebunan", "Perikanan", "Peternakan", "Makan dan Minum", "Sandang",
    "Industri dan Kerajinan",
)


@dataclass(frozen=True)
class Crop:
    """Proxy requirements and typical figures of one commodity.

    Temperatures in °C (optimal range, then absolute limits), rainfall in
    mm/yr (same), slope limit in % (suitability 1 below half of it, 0 above
    it), drainage classes it tolerates (codes 1 excessive … 7 very poor), peat
    depth limit (cm), salinity limit (dS/m), share of farmland, yield (t/ha).
    """

    name: str
    temp: tuple[float, float, float, float]
    rain: tuple[float, float, float, float]
    slope: float
    drainage: tuple[int, ...]
    peat: float
    salinity: float
    share: float
    yield_t: float


_UPLAND = (2, 3, 4, 5)
_WETLAND = (4, 5, 6)
_WIDE = (2, 3, 4, 5, 6)
_C = Crop
#: The commodities, with their BPS-style display names.
COMMODITIES: dict[str, Crop] = {c.name: c for c in (
    _C("padi_sawah", (22, 32, 16, 36), (1500, 3500, 1000, 5000), 8, _WETLAND, 100, 4, 0.30, 4.8),
    _C("padi_gogo", (22, 32, 16, 36), (1200, 3000, 800, 4500), 20, _UPLAND, 50, 3, 0.05, 2.8),
    _C("jagung", (20, 30, 14, 35), (900, 2500, 500, 4000), 20, _UPLAND, 50, 4, 0.08, 5.0),
    _C("kedelai", (22, 30, 16, 34), (1000, 2500, 600, 3500), 15, _UPLAND, 50, 3, 0.02, 1.4),
    _C("kacang_tanah", (22, 30, 16, 34), (1000, 2500, 600, 3500), 15, _UPLAND, 50, 3, 0.02,
       1.3),
    _C("ubi_kayu", (22, 32, 16, 36), (1000, 3000, 700, 4500), 25, _UPLAND, 100, 3, 0.04, 20.0),
    _C("ubi_jalar", (20, 30, 14, 34), (1000, 3000, 700, 4500), 25, _UPLAND, 50, 3, 0.02, 12.0),
    _C("sorgum", (22, 32, 16, 38), (600, 2000, 400, 3500), 20, _UPLAND, 0, 6, 0.005, 3.0),
    _C("cabai", (18, 28, 14, 34), (1000, 2500, 600, 3500), 20, _UPLAND, 50, 3, 0.01, 8.0),
    _C("bawang_merah", (22, 30, 16, 34), (700, 2000, 400, 3000), 10, _UPLAND, 0, 3, 0.005, 9.0),
    _C("tomat", (16, 26, 12, 32), (1000, 2500, 600, 3500), 20, _UPLAND, 50, 3, 0.005, 15.0),
    _C("kubis", (14, 22, 10, 28), (1200, 3000, 800, 4000), 25, _UPLAND, 0, 2, 0.005, 20.0),
    _C("pisang", (22, 30, 16, 35), (1500, 3500, 1000, 5000), 30, _WIDE, 100, 3, 0.03, 15.0),
    _C("durian", (22, 30, 18, 35), (2000, 3500, 1400, 5000), 30, _UPLAND, 50, 2, 0.01, 8.0),
    _C("mangga", (22, 32, 18, 36), (1000, 2000, 700, 3500), 25, _UPLAND, 0, 3, 0.01, 10.0),
    _C("jeruk", (20, 30, 14, 34), (1200, 2500, 800, 4000), 25, _UPLAND, 100, 3, 0.01, 12.0),
    _C("nanas", (22, 32, 18, 36), (1200, 3000, 800, 4500), 20, _WIDE, 300, 3, 0.01, 25.0),
    _C("alpukat", (18, 28, 12, 32), (1500, 3000, 1000, 4000), 30, _UPLAND, 0, 2, 0.005, 8.0),
    _C("kelapa_sawit", (24, 30, 20, 34), (1800, 3500, 1250, 5000), 25, _WIDE, 300, 4, 0.15,
       3.5),
    _C("karet", (24, 30, 20, 34), (1800, 3500, 1500, 5000), 30, _WIDE, 300, 3, 0.10, 1.0),
    _C("kakao", (24, 30, 20, 34), (1800, 3500, 1500, 4500), 30, _UPLAND, 100, 3, 0.02, 0.6),
    _C("kopi_robusta", (20, 28, 16, 32), (1800, 3000, 1300, 4500), 30, _UPLAND, 0, 2, 0.02,
       0.7),
    _C("kopi_arabika", (16, 22, 13, 26), (1500, 3000, 1200, 4000), 35, _UPLAND, 0, 2, 0.01,
       0.8),
    _C("kelapa", (24, 32, 20, 36), (1300, 3000, 1000, 4500), 20, _WIDE, 100, 8, 0.06, 1.1),
    _C("lada", (22, 30, 18, 34), (2000, 3500, 1500, 4500), 25, _UPLAND, 0, 2, 0.01, 0.8),
    _C("cengkeh", (20, 30, 16, 34), (1800, 3500, 1200, 4500), 30, _UPLAND, 0, 2, 0.01, 0.3),
    _C("tebu", (24, 32, 20, 36), (1200, 2500, 800, 4000), 10, _UPLAND, 0, 4, 0.01, 60.0),
    _C("jambu_mete", (24, 32, 20, 36), (800, 2000, 500, 3000), 30, _UPLAND, 0, 3, 0.01, 0.4),
    _C("jahe", (20, 28, 16, 32), (2000, 3500, 1500, 4500), 25, _UPLAND, 0, 2, 0.005, 15.0),
    _C("kunyit", (20, 30, 16, 34), (1500, 3500, 1000, 4500), 25, _UPLAND, 0, 2, 0.005, 15.0),
)}

#: BPS-style display names of the commodities.
DISPLAY_NAMES: dict[str, str] = {name: name.replace("_", " ").title() for name in COMMODITIES}
DISPLAY_NAMES |= {"padi_sawah": "Padi Sawah", "padi_gogo": "Padi Ladang",
                  "kelapa_sawit": "Kelapa Sawit", "kopi_robusta": "Kopi Robusta",
                  "kopi_arabika": "Kopi Arabika", "jambu_mete": "Jambu Mete",
                  "bawang_merah": "Bawang Merah", "kacang_tanah": "Kacang Tanah"}


def _trapezoid(x: np.ndarray, band: tuple[float, float, float, float]) -> np.ndarray:
    lo, hi, lo_lim, hi_lim = band
    up = np.clip((x - lo_lim) / max(lo - lo_lim, 1e-9), 0.0, 1.0)
    down = np.clip((hi_lim - x) / max(hi_lim - hi, 1e-9), 0.0, 1.0)
    return np.minimum(up, down)


def suitability_proxy(crop: Crop, *, elevation: np.ndarray, rainfall: np.ndarray,
                      slope: np.ndarray, drainage: np.ndarray, peat_depth: np.ndarray,
                      salinity: np.ndarray) -> np.ndarray:
    """Compute a 0 … 1 suitability proxy per cell (see the module docstring).

    >>> crop = COMMODITIES["padi_sawah"]
    >>> one = np.array([1.0])
    >>> float(suitability_proxy(crop, elevation=10 * one, rainfall=2500 * one, slope=2 * one,
    ...       drainage=5 * one, peat_depth=0 * one, salinity=0.5 * one)[0])
    1.0
    """
    temperature = 26.3 - 0.6 * elevation / 100.0
    s = _trapezoid(temperature, crop.temp) * _trapezoid(rainfall, crop.rain)
    s = s * np.clip(2.0 - 2.0 * slope / crop.slope, 0.0, 1.0)
    s = s * np.where(np.isin(drainage, crop.drainage), 1.0, 0.25)
    s = s * np.where(peat_depth > crop.peat, 0.1, 1.0)
    return s * np.clip(2.0 - salinity / crop.salinity, 0.0, 1.0)


def make_socioeconomics(*, seed: int, districts: pd.DataFrame, farmland_ha: np.ndarray,
                        habitable: np.ndarray, settlement_ha: np.ndarray, coast_km: np.ndarray,
                        suitability: dict[str, np.ndarray], capital: int
                        ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Make the population, production and sentra tables.

    Parameters
    ----------
    districts : DataFrame
        ``kode_kemendagri``, ``kode_bps``, ``nama`` per kecamatan.
    farmland_ha, habitable, settlement_ha, coast_km : ndarray (n,)
        Per kecamatan: farmland (ha), mean habitability (0 … 1), settled area
        (ha), and distance of its town from the coast (km).
    suitability : dict of ndarray (n,)
        Mean suitability proxy of each commodity per kecamatan.
    capital : int
        Row of the capital's kecamatan.

    Returns
    -------
    population, production, sentra : DataFrame
    """
    rng = rng_for(seed, "socioeconomics")
    n = len(districts)
    density = 60.0 + 400.0 * habitable
    people = density * (farmland_ha + settlement_ha) / 100.0 * rng.lognormal(0, 0.25, n)
    people[capital] *= 2.5
    people = np.round(people, -1).astype(np.int64) + 1500
    households = np.round(people / rng.uniform(3.4, 3.9, n)).astype(np.int64)
    farming = np.round(households * np.clip(rng.normal(0.38, 0.06, n), 0.2, 0.55))
    farming[capital] = np.round(households[capital] * 0.15)
    base = districts[["kode_bps", "kode_kemendagri", "nama"]].rename(columns={"nama": "kecamatan"})
    population = base.assign(
        penduduk=people, rumah_tangga=households,
        rumah_tangga_usaha_pertanian=farming.astype(np.int64),
    )

    codes, kecamatan = base["kode_bps"].tolist(), base["kecamatan"].tolist()
    rows: list[tuple] = []
    for name, crop in COMMODITIES.items():
        s = np.asarray(suitability[name], dtype=np.float64)
        history = rng.lognormal(0.0, 0.7, n)
        absent = (s < 0.15) | (rng.random(n) < (0.35 if crop.share < 0.02 else 0.08))
        area0 = farmland_ha * crop.share * s**1.5 * history
        area0 = np.where(absent, 0.0, area0)
        trend = rng.normal(0.02, 0.04, n)
        for k, year in enumerate(YEARS):
            area = area0 * (1 + trend) ** k * rng.lognormal(0, 0.06, n)
            yields = crop.yield_t * (0.6 + 0.4 * s) * rng.lognormal(0, 0.08, n)
            area_ha = np.round(area)
            production = np.where(area_ha > 0, np.round(area_ha * yields, 1), 0.0)
            rows.extend(zip(codes, kecamatan, [name] * n, [year] * n,
                            production.tolist(), area_ha.astype(np.int64).tolist(),
                            strict=True))
    production = pd.DataFrame(rows, columns=["kode_bps", "kecamatan", "commodity", "year",
                                             "production_ton", "area_ha"])

    drivers = {
        "Pertanian dan Perkebunan": farming / 700.0,
        "Perikanan": 1.5 * np.exp(-coast_km / 5.0) + 0.3,
        "Peternakan": farming / 1500.0,
        "Makan dan Minum": people / 6000.0,
        "Sandang": people / 20000.0,
        "Industri dan Kerajinan": people / 10000.0,
    }
    sentra = pd.DataFrame([
        (codes[i], kecamatan[i], field, int(rng.poisson(drivers[field][i])))
        for i in range(n) for field in SENTRA_FIELDS
    ], columns=["kode_bps", "kecamatan", "bidang_usaha", "jumlah_sentra"])
    return population, production, sentra


def make_prices(*, seed: int) -> pd.DataFrame:
    """Make a SYNTHETIC producer price table (Rp/kg) for the demo's commodities.

    The prices are random draws (log-uniform between 2,000 and 80,000 Rp/kg in
    the latest year of :data:`YEARS`), labelled as synthetic on every row: they
    exercise ``[tables] prices`` and the value outputs, and say nothing about
    real prices.

    >>> table = make_prices(seed=1)
    >>> list(table.columns), table["unit"].unique().tolist()
    (['commodity', 'year', 'price_rp_per_kg', 'unit', 'note'], ['Rp/kg'])
    """
    rng = rng_for(seed, "prices")
    names = list(COMMODITIES)
    draws = np.exp(rng.uniform(np.log(2_000.0), np.log(80_000.0), len(names)))
    return pd.DataFrame({"commodity": names, "year": YEARS[-1],
                         "price_rp_per_kg": np.round(draws, -2), "unit": "Rp/kg",
                         "note": "SYNTHETIC demo price, not real data"})
