"""The canonical vocabulary of land evaluation: qualities, characteristics, classes, units.

Every crop table, land-unit column and layer ``role`` uses these ids. They
follow the land qualities and characteristics of the Indonesian technical
guide (Djaenudin et al. 2011, *Petunjuk Teknis Evaluasi Lahan untuk Komoditas
Pertanian*, BBSDLP), which in turn follows FAO (1976).

===========  ==========================================  ==========================
quality      meaning (BBSDLP)                            characteristics
===========  ==========================================  ==========================
``tc``       temperature (temperatur)                    temperature
``wa``       water availability (ketersediaan air)       rainfall, dry_months,
                                                         humidity
``oa``       oxygen availability (ketersediaan oksigen)  drainage
``rc``       rooting conditions (media perakaran)        texture, coarse_fragments,
                                                         soil_depth, peat_depth,
                                                         peat_maturity
``nr``       nutrient retention (retensi hara)           cec_clay, base_saturation,
                                                         ph_h2o, c_organic
``na``       nutrient availability (hara tersedia)       n_total, p2o5, k2o
``xc``       toxicity (toksisitas)                       salinity
``xn``       sodicity (sodisitas)                        alkalinity
``xs``       sulfidic hazard (bahaya sulfidik)           sulfidic_depth
``eh``       erosion hazard (bahaya erosi)               slope, erosion
``fh``       flood hazard (bahaya banjir)                flooding
``lp``       land preparation (penyiapan lahan)          surface_stones,
                                                         rock_outcrop
===========  ==========================================  ==========================
"""

from __future__ import annotations

from dataclasses import dataclass

from aez.errors import ConfigError

__all__ = [
    "APPLIES_WHERE_POSITIVE",
    "CHARACTERISTICS",
    "DIRECTIONS",
    "LABEL_NAMES_ID",
    "PLAUSIBLE",
    "QUALITIES",
    "QUALITY_NAMES",
    "ROLE_RANGES",
    "Characteristic",
    "Plausible",
    "canonical_units",
    "characteristic",
    "plausible_range",
]

#: Land-quality codes, in the order they appear in a subclass (``S3-nr,eh``).
QUALITIES: tuple[str, ...] = (
    "tc", "wa", "oa", "rc", "nr", "na", "xc", "xn", "xs", "eh", "fh", "lp",
)

#: English and Indonesian names of the land qualities.
QUALITY_NAMES: dict[str, tuple[str, str]] = {
    "tc": ("temperature", "temperatur"),
    "wa": ("water availability", "ketersediaan air"),
    "oa": ("oxygen availability", "ketersediaan oksigen"),
    "rc": ("rooting conditions", "media perakaran"),
    "nr": ("nutrient retention", "retensi hara"),
    "na": ("nutrient availability", "hara tersedia"),
    "xc": ("toxicity (salinity)", "toksisitas (salinitas)"),
    "xn": ("sodicity", "sodisitas"),
    "xs": ("sulfidic hazard", "bahaya sulfidik"),
    "eh": ("erosion hazard", "bahaya erosi"),
    "fh": ("flood hazard", "bahaya banjir"),
    "lp": ("land preparation", "penyiapan lahan"),
}


@dataclass(frozen=True)
class Characteristic:
    """One land characteristic of the canonical vocabulary.

    Attributes
    ----------
    id : str
        Canonical id (``"ph_h2o"``).
    quality : str
        Land-quality code it belongs to (``"nr"``).
    units : str
        Canonical units (see :func:`canonical_units`); ``""`` for unitless
        values such as pH, and for categorical characteristics.
    classes : tuple of str, optional
        For categorical characteristics, the allowed class labels, from the
        most to the least favourable end of the usual scale (drainage from
        excessive to very poor is *not* a suitability order; crop tables say
        which classes fall in which band).
    name_en, name_id : str
        English and Indonesian (BBSDLP) names.
    """

    id: str
    quality: str
    units: str
    name_en: str
    name_id: str
    classes: tuple[str, ...] | None = None

    @property
    def categorical(self) -> bool:
        """True when the characteristic takes class labels rather than numbers."""
        return self.classes is not None

    @property
    def direction(self) -> str | None:
        """``"higher"`` or ``"lower"`` (is better), ``"optimum"``; None when categorical."""
        return DIRECTIONS.get(self.id)

    @property
    def plausible(self) -> Plausible | None:
        """The range of values that can occur, in the canonical units (None: categorical)."""
        return PLAUSIBLE.get(self.id)


def _c(id_: str, quality: str, units: str, name_en: str, name_id: str,
       classes: tuple[str, ...] | None = None) -> Characteristic:
    return Characteristic(id_, quality, units, name_en, name_id, classes)


#: Every characteristic, by id, in quality order.
CHARACTERISTICS: dict[str, Characteristic] = {c.id: c for c in (
    _c("temperature", "tc", "°C", "mean annual temperature", "temperatur rerata tahunan"),
    _c("rainfall", "wa", "mm/yr", "annual rainfall", "curah hujan tahunan"),
    _c("dry_months", "wa", "months", "dry months", "lama masa kering"),
    _c("humidity", "wa", "%", "relative humidity", "kelembaban udara"),
    _c("drainage", "oa", "", "soil drainage class", "drainase tanah",
       ("excessive", "somewhat_excessive", "well", "moderately_well", "somewhat_poor", "poor",
        "very_poor")),
    _c("texture", "rc", "", "soil texture class", "tekstur tanah",
       ("very_fine", "fine", "moderately_fine", "medium", "moderately_coarse", "coarse")),
    _c("coarse_fragments", "rc", "%", "coarse fragments", "bahan kasar"),
    _c("soil_depth", "rc", "cm", "effective soil depth", "kedalaman tanah efektif"),
    _c("peat_depth", "rc", "cm", "peat depth", "ketebalan gambut"),
    _c("peat_maturity", "rc", "", "peat maturity", "kematangan gambut",
       ("sapric", "hemic", "fibric")),
    _c("cec_clay", "nr", "cmol/kg", "cation exchange capacity of the clay", "KTK liat"),
    _c("base_saturation", "nr", "%", "base saturation", "kejenuhan basa"),
    _c("ph_h2o", "nr", "", "soil pH (H2O)", "pH H2O"),
    _c("c_organic", "nr", "%", "organic carbon", "C-organik"),
    _c("n_total", "na", "%", "total nitrogen", "N total"),
    _c("p2o5", "na", "mg/100g", "available P2O5", "P2O5"),
    _c("k2o", "na", "mg/100g", "available K2O", "K2O"),
    _c("salinity", "xc", "dS/m", "salinity (ECe)", "salinitas"),
    _c("alkalinity", "xn", "%", "exchangeable sodium percentage", "alkalinitas (ESP)"),
    _c("sulfidic_depth", "xs", "cm", "depth of sulfidic material", "kedalaman sulfidik"),
    _c("slope", "eh", "%", "slope", "lereng"),
    _c("erosion", "eh", "", "erosion hazard class", "bahaya erosi",
       ("very_light", "light", "moderate", "severe", "very_severe")),
    _c("flooding", "fh", "", "flooding class", "genangan", ("F0", "F1", "F2", "F3", "F4")),
    _c("surface_stones", "lp", "%", "surface stones", "batuan di permukaan"),
    _c("rock_outcrop", "lp", "%", "rock outcrop", "singkapan batuan"),
)}

#: Indonesian (BBSDLP) names of the categorical class labels, by characteristic. Flooding
#: classes F0–F4 are written the same way in both languages.
LABEL_NAMES_ID: dict[str, dict[str, str]] = {
    "drainage": {
        "excessive": "cepat", "somewhat_excessive": "agak cepat", "well": "baik",
        "moderately_well": "sedang", "somewhat_poor": "agak terhambat", "poor": "terhambat",
        "very_poor": "sangat terhambat",
    },
    "texture": {
        "very_fine": "sangat halus", "fine": "halus", "moderately_fine": "agak halus",
        "medium": "sedang", "moderately_coarse": "agak kasar", "coarse": "kasar",
    },
    "peat_maturity": {"sapric": "saprik", "hemic": "hemik", "fibric": "fibrik"},
    "erosion": {
        "very_light": "sangat ringan", "light": "ringan", "moderate": "sedang",
        "severe": "berat", "very_severe": "sangat berat",
    },
    "flooding": {"F0": "F0", "F1": "F1", "F2": "F2", "F3": "F3", "F4": "F4"},
}

#: Characteristics that only apply where another one is positive: peat maturity means
#: nothing on mineral soil (peat depth 0), so it neither limits nor is missing there.
APPLIES_WHERE_POSITIVE: dict[str, str] = {"peat_maturity": "peat_depth"}

#: Spellings accepted for each canonical unit (case-insensitive, spaces ignored).
_UNIT_ALIASES: dict[str, tuple[str, ...]] = {
    "°C": ("°c", "degc", "deg_c", "celsius", "c"),
    "mm/yr": ("mm/yr", "mm/year", "mm/tahun", "mm/th", "mm/a"),
    "months": ("months", "month", "bulan", "bln"),
    "%": ("%", "percent", "pct", "persen"),
    "cm": ("cm",),
    "m": ("m", "metre", "meter", "metres", "meters"),
    "cmol/kg": ("cmol/kg", "cmol(+)/kg", "cmolc/kg", "me/100g", "meq/100g"),
    "mg/100g": ("mg/100g", "mg/100 g"),
    "dS/m": ("ds/m", "mmhos/cm", "ms/cm"),
    "degrees": ("degrees", "degree", "deg", "°"),
    "min": ("min", "minutes", "minute", "menit"),
    "": ("", "-", "1", "unitless", "class", "ph"),
}
_UNIT_LOOKUP = {alias: unit for unit, aliases in _UNIT_ALIASES.items() for alias in aliases}


def canonical_units(units: str) -> str:
    """Return the canonical spelling of a unit string.

    Raises :class:`~aez.errors.ConfigError` for units aez does not know.

    >>> canonical_units("cmol(+)/kg"), canonical_units("Percent"), canonical_units("mm/year")
    ('cmol/kg', '%', 'mm/yr')
    """
    key = units.strip().lower().replace(" ", "")
    try:
        return _UNIT_LOOKUP[key]
    except KeyError:
        known = ", ".join(repr(u) for u in _UNIT_ALIASES if u)
        raise ConfigError(
            f"Unknown units {units!r}. Use one of {known} (or '' for unitless values)."
        ) from None


def characteristic(id_: str) -> Characteristic:
    """Look up a characteristic by id; unknown ids raise with the closest matches.

    >>> characteristic("ph_h2o").quality
    'nr'
    """
    try:
        return CHARACTERISTICS[id_]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(id_, CHARACTERISTICS, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ConfigError(
            f"Unknown land characteristic {id_!r}.{hint} Known: {', '.join(CHARACTERISTICS)}."
        ) from None


@dataclass(frozen=True)
class Plausible:
    """The range of values a layer can really hold, in canonical units, with its source.

    A value outside ``[low, high]`` is an error in the data (wrong units, a corrupt
    block, a nodata value not declared), not a place the crop tables should rate.
    """

    low: float
    high: float
    units: str
    source: str

    def describe(self) -> str:
        """Return the range in words, e.g. ``'0 … 14'`` or ``'≥ 0 %'``."""
        unit = f" {self.units}" if self.units else ""
        if self.high == float("inf"):
            return f"≥ {self.low:g}{unit}"
        return f"{self.low:g} … {self.high:g}{unit}"


_INF = float("inf")
_SHARE = "a share of the whole: 0–100 % by definition"
_DEPTH = "a depth below the surface cannot be negative"

#: Plausible range of every numeric characteristic (canonical units) and where it comes from.
PLAUSIBLE: dict[str, Plausible] = {
    "temperature": Plausible(-10.0, 45.0, "°C", "annual mean air temperature: the coldest "
                             "inhabited and the hottest stations on Earth lie within it (WMO "
                             "normals); Indonesia spans about 0 °C (Puncak Jaya) to 29 °C"),
    "rainfall": Plausible(0.0, 13_000.0, "mm/yr", "the wettest stations on Earth receive "
                          "about 11 900 mm/yr (Mawsynram, WMO record)"),
    "dry_months": Plausible(0.0, 12.0, "months", "months of a year"),
    "humidity": Plausible(0.0, 100.0, "%", "relative humidity is 0–100 % by definition"),
    "coarse_fragments": Plausible(0.0, 100.0, "%", _SHARE),
    "soil_depth": Plausible(0.0, 2_000.0, "cm", _DEPTH + "; soil surveys record at most a "
                            "few metres (BBSDLP: > 100 cm is deep)"),
    "peat_depth": Plausible(0.0, 2_500.0, "cm", _DEPTH + "; the deepest Indonesian peat "
                            "domes are about 20 m (Page et al. 2011)"),
    "cec_clay": Plausible(0.0, 500.0, "cmol/kg", "a CEC cannot be negative; pure smectite "
                          "clay holds about 150 cmol/kg (Sys et al. 1991)"),
    "base_saturation": Plausible(0.0, 100.0, "%", _SHARE),
    "ph_h2o": Plausible(0.0, 14.0, "", "the pH scale of water solutions"),
    "c_organic": Plausible(0.0, 60.0, "%", "pure organic matter holds about 58 % carbon"),
    "n_total": Plausible(0.0, 10.0, "%", "a mass share; peat holds at most a few %"),
    "p2o5": Plausible(0.0, 10_000.0, "mg/100g", "a mass; 10 000 mg/100g would be 10 % P2O5"),
    "k2o": Plausible(0.0, 10_000.0, "mg/100g", "a mass; 10 000 mg/100g would be 10 % K2O"),
    "salinity": Plausible(0.0, 250.0, "dS/m", "an electrical conductivity; sea water is about "
                          "55 dS/m and brines rarely exceed 200 dS/m"),
    "alkalinity": Plausible(0.0, 100.0, "%", _SHARE),
    "sulfidic_depth": Plausible(0.0, _INF, "cm", _DEPTH),
    "slope": Plausible(0.0, _INF, "%", "a slope in % (rise over run) cannot be negative"),
    "surface_stones": Plausible(0.0, 100.0, "%", _SHARE),
    "rock_outcrop": Plausible(0.0, 100.0, "%", _SHARE),
}

#: Plausible ranges of layer roles that are not characteristics.
ROLE_RANGES: dict[str, Plausible] = {
    "elevation": Plausible(-450.0, 9_000.0, "m", "the lowest land (Dead Sea, −430 m) and the "
                           "highest summit (8 849 m); Indonesia spans 0–4 884 m"),
    "travel_time": Plausible(0.0, _INF, "min", "a time cannot be negative"),
    "population": Plausible(0.0, _INF, "", "a count cannot be negative"),
    "farm_households": Plausible(0.0, _INF, "", "a count cannot be negative"),
}

#: Which side of each numeric characteristic is better for every crop: "higher", "lower",
#: or "optimum" (a band in between, which differs by crop). Crop tables whose bands run
#: against "higher" or "lower" are refused (:func:`aez.crops.load_crop`).
DIRECTIONS: dict[str, str] = {
    "temperature": "optimum", "rainfall": "optimum", "dry_months": "optimum",
    "humidity": "optimum", "coarse_fragments": "lower", "soil_depth": "higher",
    "peat_depth": "lower", "cec_clay": "higher", "base_saturation": "optimum",
    "ph_h2o": "optimum", "c_organic": "optimum", "n_total": "higher", "p2o5": "higher",
    "k2o": "higher", "salinity": "lower", "alkalinity": "lower", "sulfidic_depth": "higher",
    "slope": "lower", "surface_stones": "lower", "rock_outcrop": "lower",
}


def plausible_range(role: str) -> Plausible | None:
    """Return the plausible range of a characteristic or layer role (None if unknown).

    >>> plausible_range("ph_h2o").describe(), plausible_range("rainfall").describe()
    ('0 … 14', '0 … 13000 mm/yr')
    """
    return PLAUSIBLE.get(role) or ROLE_RANGES.get(role)
