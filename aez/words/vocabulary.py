"""Names of the vocabulary in Indonesian and English: classes, qualities, layers, labels, units.

Keys:

- ``class.<code>``: suitability class codes 1–6 as written in ``<crop>_class.tif``
  (BBSDLP wording);
- ``quality.<code>``: land qualities (from :data:`aez.characteristics.QUALITY_NAMES`);
- ``role.<role>``: what a layer holds (each characteristic's name, and the other
  roles a run knows: elevation, land status, rivers …);
- ``label.<role>.<label>``: categorical class labels (drainage, texture, land status …);
- ``unit.<units>``: canonical units as a person reads them.

>>> TEXT["id"]["unit.mm/yr"], TEXT["en"]["unit.mm/yr"]
('mm/tahun', 'mm/yr')
>>> TEXT["en"]["label.land_status.hutan_lindung"]
'protection forest'
"""

from __future__ import annotations

from aez.characteristics import CHARACTERISTICS, LABEL_NAMES_ID, QUALITY_NAMES

__all__ = ["TEXT"]

#: Suitability class code → (Indonesian, English), in the BBSDLP wording.
_CLASSES: dict[int, tuple[str, str]] = {
    1: ("S1 – sangat sesuai", "S1 – highly suitable"),
    2: ("S2 – cukup sesuai", "S2 – moderately suitable"),
    3: ("S3 – sesuai marginal", "S3 – marginally suitable"),
    4: ("N – tidak sesuai", "N – not suitable"),
    5: ("X – dikecualikan", "X – excluded"),
    6: ("tidak diketahui (data kosong)", "unknown (input missing)"),
}

#: Layer roles that are not land characteristics → (Indonesian, English).
_ROLES: dict[str, tuple[str, str]] = {
    "elevation": ("ketinggian", "elevation"),
    "land_status": ("status lahan", "land status"),
    "land_units": ("satuan lahan (SPT)", "land units (soil map)"),
    "rivers": ("sungai", "rivers"),
    "lakes": ("danau", "lakes"),
    "markets": ("pasar", "markets"),
    "port": ("pelabuhan", "port"),
    "roads": ("jalan", "roads"),
    "travel_time": ("waktu tempuh ke pasar", "travel time to markets"),
    "aspect": ("arah lereng", "aspect"),
    "landform": ("bentuk lahan", "landform"),
}

#: Land status (Kemendagri / KLHK forest-area status) → (Indonesian, English).
_LAND_STATUS: dict[str, tuple[str, str]] = {
    "hutan_lindung": ("hutan lindung", "protection forest"),
    "hutan_konservasi": ("hutan konservasi", "conservation forest"),
    "hutan_produksi": ("hutan produksi", "production forest"),
    "perkebunan": ("perkebunan (HGU)", "estate plantation (HGU)"),
    "apl": ("areal penggunaan lain (APL)", "other-use land (APL)"),
    "permukiman": ("permukiman", "settlement"),
    "badan_air": ("badan air", "water body"),
}

#: Canonical units → (Indonesian, English) as printed next to a value.
_UNITS: dict[str, tuple[str, str]] = {
    "mm/yr": ("mm/tahun", "mm/yr"),
    "months": ("bulan", "months"),
    "min": ("menit", "min"),
    "degrees": ("derajat", "degrees"),
    "°C": ("°C", "°C"), "%": ("%", "%"), "cm": ("cm", "cm"), "m": ("m", "m"),
    "cmol/kg": ("cmol/kg", "cmol/kg"), "mg/100g": ("mg/100g", "mg/100g"),
    "dS/m": ("dS/m", "dS/m"), "t/ha/yr": ("t/ha/tahun", "t/ha/yr"),
}


def _both() -> tuple[dict[str, str], dict[str, str]]:
    ind: dict[str, str] = {}
    eng: dict[str, str] = {}

    def put(key: str, indonesian: str, english: str) -> None:
        ind[key], eng[key] = indonesian, english

    for code, (indonesian, english) in _CLASSES.items():
        put(f"class.{code}", indonesian, english)
    for quality, (english, indonesian) in QUALITY_NAMES.items():
        put(f"quality.{quality}", indonesian, english)
    for char in CHARACTERISTICS.values():
        put(f"role.{char.id}", char.name_id, char.name_en)
        for label in char.classes or ():
            put(f"label.{char.id}.{label}", LABEL_NAMES_ID[char.id][label],
                label.replace("_", " "))
    for role, (indonesian, english) in _ROLES.items():
        put(f"role.{role}", indonesian, english)
    for label, (indonesian, english) in _LAND_STATUS.items():
        put(f"label.land_status.{label}", indonesian, english)
    for units, (indonesian, english) in _UNITS.items():
        put(f"unit.{units}", indonesian, english)
    return ind, eng


_ID, _EN = _both()

#: Vocabulary names by language: ``TEXT[lang][key]``.
TEXT: dict[str, dict[str, str]] = {"id": _ID, "en": _EN}
