"""The words of the maps, their legends and the QGIS styles, in Indonesian and English.

Keys start with ``map.`` (atlas pages), ``overview.`` (the panels of the
overview map), ``preview.`` (the demo region's preview) or ``style.`` (QGIS
style labels). Placeholders ``{}`` are
filled with :meth:`str.format`.

>>> TEXT["id"]["map.north"], TEXT["en"]["map.north"]
('U', 'N')
"""

from __future__ import annotations

__all__ = ["TEXT"]

_ID: dict[str, str] = {
    "map.suitability": "Kesesuaian lahan: {}",
    "map.limits": "Faktor pembatas utama: {}",
    "map.products": "Komoditas unggulan per kecamatan",
    "map.robustness": "Kestabilan pilihan komoditas",
    "map.overview": "Gambaran data masukan",
    "map.legend": "Legenda",
    "map.classes": "Kelas kesesuaian",
    "map.factors": "Kualitas pembatas (lahan S2–N)",
    "map.other": "Lahan lainnya",
    "map.no_limit": "S1 – tanpa pembatas",
    "map.commodity": "Komoditas",
    "map.probability": "Peluang komoditas tetap terpilih",
    "map.stability": "Kestabilan",
    "map.stable": "stabil",
    "map.moderate": "sedang",
    "map.unstable": "tidak stabil",
    "map.no_alternative": "tanpa alternatif",
    "map.development": "Kandidat pengembangan (belum ada basis)",
    "map.boundary": "Batas kecamatan",
    "map.outline": "Batas kabupaten",
    "map.crs": "Sistem koordinat: {}",
    "map.source": "Sumber: {}",
    "map.date": "Tanggal: {}",
    "map.north": "U",
    "map.area_note": "Luas (ha) dan persentase dari lahan yang dinilai (S1–N). Lahan yang "
                     "dikecualikan (X) dan lahan tanpa data tidak termasuk dalam persentase.",
    "map.limit_note": "Bila beberapa kualitas menentukan kelas sel, ditampilkan kualitas yang "
                      "paling luas membatasi lahan di kecamatannya. Persentase dari lahan S2–N "
                      "pada peta.",
    "map.robust_note": "Persentase simulasi Monte Carlo perubahan bobot skor yang tetap memberi "
                       "kecamatan komoditas yang sama.",
    "map.climate": "Skenario iklim",
    "map.climate_lost": "Komoditas tidak bertahan di semua skenario",
    "map.climate_note": "k/n setelah persentase: kecamatan tetap mendapat komoditasnya pada k "
                        "dari n skenario iklim bila penetapan diulang dengan kesesuaian lahan "
                        "tiap skenario.",
    "map.location": "Lokasi: {}",
    "map.location_none": "Lokasi (di luar provinsi Indonesia)",
    "map.location_synthetic": "Wilayah demo sintetis, ditampilkan pada koordinatnya di {}",
    "map.land": "Daratan di luar wilayah kajian",
    "map.sea": "Laut (dan daratan di luar Indonesia)",
    "map.kec": "{} kec.",
    "map.no_product": "Tidak ada komoditas layak",
    "map.names": "Kecamatan",
    "map.overview_note": "Setiap panel dibaca dari berkas masukannya, diperkecil seukuran panel.",
    "map.source_synthetic": "data: sintetis (aez demo)",
    "map.source_report": "data: lihat laporan",
    "map.source_data": "data: {}",
    "map.value.title": "Potensi nilai komoditas terpilih",
    "map.value.title_t": "Potensi produksi komoditas terpilih",
    "map.value.value": "Potensi nilai produksi (miliar Rp/tahun)",
    "map.value.production": "Potensi produksi (ton/tahun)",
    "map.value.none": "Tanpa taksiran",
    "map.value.note": "Lahan sesuai yang tersedia × hasil relatif kelasnya × produktivitas "
                      "acuan (atau produktivitas lokal BPS) komoditas terpilih; × harga "
                      "produsen untuk nilai.",
    "style.no_limitation": "tanpa pembatas",
    "overview.elevation": "Ketinggian",
    "overview.rainfall": "Curah hujan",
    "overview.land_status": "Status lahan",
    "overview.drainage": "Drainase tanah",
    "overview.ph_h2o": "pH tanah (H₂O)",
    "overview.soil_depth": "Kedalaman tanah",
    "preview.title": "{where} — wilayah contoh sintetis{seed}",
    "preview.demo_region": "Wilayah contoh",
    "preview.road.arteri": "Jalan arteri",
    "preview.road.kolektor": "Jalan kolektor",
    "preview.road.lokal": "Jalan lokal",
    "preview.road.jalan_desa": "Jalan desa",
    "preview.river": "Sungai",
    "preview.lake": "Danau",
    "preview.protected": "Hutan lindung dan konservasi",
    "preview.market.pasar_induk": "Pasar induk",
    "preview.market.pasar_kecamatan": "Pasar kecamatan",
    "preview.market.pengumpul": "Pedagang pengumpul",
    "preview.port": "Pelabuhan",
    "preview.capital": "Ibu kota kabupaten",
    "preview.elevation": "Ketinggian (m)",
    "preview.synthetic": "Data sintetis dari `aez demo`;\nbukan tempat nyata.",
}

_EN: dict[str, str] = {
    "map.suitability": "Land suitability: {}",
    "map.limits": "Main limiting factor: {}",
    "map.products": "Leading commodity per kecamatan",
    "map.robustness": "Robustness of the chosen commodity",
    "map.overview": "Overview of the input data",
    "map.legend": "Legend",
    "map.classes": "Suitability class",
    "map.factors": "Limiting quality (S2–N land)",
    "map.other": "Other land",
    "map.no_limit": "S1 – no limitation",
    "map.commodity": "Commodity",
    "map.probability": "Probability the commodity is kept",
    "map.stability": "Stability",
    "map.stable": "stable",
    "map.moderate": "moderate",
    "map.unstable": "unstable",
    "map.no_alternative": "no alternative",
    "map.development": "Development candidate (no base yet)",
    "map.boundary": "Kecamatan boundary",
    "map.outline": "Kabupaten boundary",
    "map.crs": "Coordinate system: {}",
    "map.source": "Source: {}",
    "map.date": "Date: {}",
    "map.north": "N",
    "map.area_note": "Area (ha) and share of the evaluated land (S1–N). Excluded land (X) and "
                     "land without data are left out of the shares.",
    "map.limit_note": "Where several qualities set a cell's class, the one limiting the most "
                      "land in its kecamatan is shown. Shares are of the S2–N land on the map.",
    "map.robust_note": "Share of Monte Carlo perturbations of the score weights under which the "
                       "kecamatan keeps its commodity.",
    "map.climate": "Climate scenarios",
    "map.climate_lost": "Commodity not kept in every scenario",
    "map.climate_note": "k/n after the percentage: the kecamatan keeps its commodity in k of "
                        "the n climate scenarios when the assignment is solved again with each "
                        "scenario's suitability.",
    "map.location": "Location: {}",
    "map.location_none": "Location (outside the provinces of Indonesia)",
    "map.location_synthetic": "Synthetic demo region, shown at its coordinates in {}",
    "map.land": "Land outside the study area",
    "map.sea": "Sea (and land beyond Indonesia)",
    "map.kec": "{} kec.",
    "map.no_product": "No eligible commodity",
    "map.names": "Kecamatan",
    "map.overview_note": "Each panel is read from its input file, reduced to the panel's size.",
    "map.source_synthetic": "data: synthetic (aez demo)",
    "map.source_report": "data: see report",
    "map.source_data": "data: {}",
    "map.value.title": "Potential value of the chosen commodity",
    "map.value.title_t": "Potential production of the chosen commodity",
    "map.value.value": "Potential gross value (billion Rp/yr)",
    "map.value.production": "Potential production (t/yr)",
    "map.value.none": "No estimate",
    "map.value.note": "Available suitable land × relative yield of its class × reference yield "
                      "(or the BPS local yield), of the chosen commodity; × producer price for "
                      "value.",
    "style.no_limitation": "no limitation",
    "overview.elevation": "Elevation",
    "overview.rainfall": "Rainfall",
    "overview.land_status": "Land status",
    "overview.drainage": "Soil drainage",
    "overview.ph_h2o": "Soil pH (H₂O)",
    "overview.soil_depth": "Soil depth",
    "preview.title": "{where} — synthetic demo region{seed}",
    "preview.demo_region": "Demo region",
    "preview.road.arteri": "Arterial road",
    "preview.road.kolektor": "Collector road",
    "preview.road.lokal": "Local road",
    "preview.road.jalan_desa": "Village road",
    "preview.river": "River",
    "preview.lake": "Lake",
    "preview.protected": "Protected forest",
    "preview.market.pasar_induk": "Main market (pasar induk)",
    "preview.market.pasar_kecamatan": "Kecamatan market",
    "preview.market.pengumpul": "Collecting trader",
    "preview.port": "Port",
    "preview.capital": "Kabupaten capital",
    "preview.elevation": "Elevation (m)",
    "preview.synthetic": "Synthetic data generated by `aez demo`;\nnot a real place.",
}

#: Map words by language: ``TEXT[lang][key]``.
TEXT: dict[str, dict[str, str]] = {"id": _ID, "en": _EN}
