"""The words of the HTML report, in Indonesian (``"id"``) and English (``"en"``).

One flat dictionary per language with the same keys (a test checks this).
Placeholders in braces are filled with :meth:`str.format`; the values are
plain text, which the template escapes. Land-quality and class names come from
:mod:`aez.render.palette`, crop names from the crop tables.

>>> TEXT["id"]["section.assignment"], TEXT["en"]["section.assignment"]
('Penetapan produk per kecamatan', 'Product per kecamatan')
>>> set(TEXT["id"]) == set(TEXT["en"])
True
"""

from __future__ import annotations

__all__ = ["REFERENCES", "TEXT"]

_ID: dict[str, str] = {
    # header and table of contents
    "title": "Perwilayahan Komoditas Unggulan",
    "subtitle": "Zonasi agro-ekologi (AEZ) dan satu kecamatan satu produk",
    "header.date": "Tanggal",
    "header.version": "Versi aez",
    "header.config": "Hash konfigurasi",
    "synthetic.banner": "Data wilayah ini sintetis (contoh). Hasilnya menunjukkan cara kerja "
                        "metode, bukan rekomendasi untuk wilayah nyata.",
    "toc": "Daftar isi",
    "section.area": "Wilayah studi dan data masukan",
    "section.method": "Metode",
    "section.assignment": "Penetapan produk per kecamatan",
    "section.commodities": "Ringkasan kesesuaian per komoditas",
    "section.limitations": "Keterbatasan dan asal-usul",
    # section 1
    "area.grid": "Grid analisis",
    "area.region": "Wilayah",
    "area.crs": "Sistem koordinat (CRS)",
    "area.resolution": "Resolusi",
    "area.size": "Ukuran grid",
    "area.size_value": "{width} × {height} sel ({cells} sel)",
    "area.extent": "Luas cakupan grid",
    "area.study": "Luas wilayah studi (kecamatan)",
    "area.kecamatan": "Jumlah kecamatan",
    "area.crops": "Jumlah komoditas dinilai",
    "area.inputs": "Lapisan data masukan",
    "area.inputs_note": "Lapisan turunan dihitung dari lapisan lain (metode dan masukannya "
                        "ditulis di kolom berkas).",
    "area.tables": "Tabel yang dipakai",
    "area.no_tables": "Tidak ada tabel statistik; skor hanya memakai kriteria dari peta.",
    "col.layer": "Lapisan",
    "col.file": "Berkas",
    "col.kind": "Jenis",
    "col.units": "Satuan",
    "col.role": "Peran",
    "col.table": "Tabel",
    "kind.continuous": "kontinu",
    "kind.categorical": "kategorikal",
    "kind.derived": "turunan: {how}",
    "table.production": "Produksi per kecamatan dan tahun",
    "table.households": "Rumah tangga usaha pertanian",
    "table.sentra": "Sentra usaha",
    "table.cooperatives": "Koperasi (titik)",
    "table.crosswalk": "Padanan kode BPS–Kemendagri",
    "fig.overview": "Gambar {n}. Ikhtisar wilayah studi dan data masukan utamanya.",
    # section 2
    "method.matching": "Pencocokan kesesuaian lahan (AEZ)",
    "method.matching.p1": "Kesesuaian lahan dinilai dengan kerangka FAO (1976) dalam bentuk yang "
                          "dipakai BBSDLP (Djaenudin dkk. 2011). Setiap karakteristik lahan (suhu, "
                          "curah hujan, drainase, tekstur, kedalaman efektif, gambut, KTK, "
                          "kejenuhan basa, pH, C-organik, salinitas, lereng, bahaya erosi, "
                          "genangan, batuan) dicocokkan dengan batas kelas S1, S2, S3 dan N pada "
                          "tabel persyaratan tumbuh setiap komoditas (Djaenudin dkk. 2011; "
                          "Sys dkk. 1993).",
    "method.matching.p2": "Karakteristik dikelompokkan menjadi kualitas lahan. Kualitas lahan "
                          "mengambil kelas terburuk dari karakteristiknya, dan lahan mengambil "
                          "kelas terburuk dari kualitasnya (hukum minimum). Subkelas menyebut "
                          "kualitas pembatasnya, misalnya S3-nr,eh: sesuai marginal dengan "
                          "pembatas retensi hara dan bahaya erosi.",
    "method.matching.p3": "Data masukan yang kosong tidak pernah dianggap sesuai: lahan itu "
                          "diberi kelas \u201ctidak diketahui\u201d dan tidak ikut dihitung.",
    "method.classes": "Kelas kesesuaian",
    "method.qualities": "Kualitas lahan",
    "method.index": "Indeks kesesuaian kontinu (0–1) dibentuk linear sepotong-sepotong melintasi "
                    "batas kelas: S1 0,75–1; S2 0,50–0,75; S3 0,25–0,50; N 0–0,25. Agregasi "
                    "indeks karakteristik: {rule}.",
    "aggregate.minimum": "minimum (indeks karakteristik terendah, sejalan dengan kelas)",
    "aggregate.geometric_mean": "rata-rata geometrik berbobot",
    "aggregate.square_root": "akar kuadrat (Khiddir 1986): I = R_min · √(∏ rating lain)",
    "method.exclusions": "Lahan yang dikecualikan sebelum penilaian (kelas X):",
    "method.no_exclusions": "Tidak ada lahan yang dikecualikan sebelum penilaian.",
    "exclusion.above": "{layer} > {value}",
    "exclusion.below": "{layer} < {value}",
    "exclusion.classes": "{layer}: {classes}",
    "method.si": "Indeks kesesuaian kecamatan (SI)",
    "method.si.p": "Untuk setiap kecamatan dan komoditas, SI = 90·S1 + 70·S2 + 50·S3, dengan "
                   "S1–S3 pangsa (0–1) lahan yang dinilai (S1 + S2 + S3 + N). Bobot kelas adalah "
                   "nilai tengah pita hasil FAO, sama dengan bobot VS, S dan MS pada GAEZ v4. SI "
                   "berkisar 0 (tanpa lahan sesuai) sampai 90 (seluruhnya S1).",
    "method.si.measure_ha": "Kriteria kesesuaian dalam skor memakai luas lahan sesuai (ha S1–S3), "
                            "bukan SI.",
    "method.lq": "Keunggulan komparatif (LQ)",
    "method.lq.p": "x_ij adalah {measure} komoditas j di kecamatan i pada tahun {year} (kolom "
                   "{column}); B adalah keranjang komoditas j: {basket}; R_j adalah {measure} "
                   "komoditas j di wilayah acuan: {reference}. LQ ≥ 1 berarti kecamatan lebih "
                   "terspesialisasi pada komoditas itu daripada wilayah acuan (Isard 1960).",
    "method.lq.words": "Dengan kata lain: pangsa komoditas dalam keranjangnya di kecamatan, "
                       "dibagi pangsanya dalam keranjang yang sama di wilayah acuan.",
    "basket.group": "semua komoditas dalam kelompok (tabel BPS) komoditas j pada tabel produksi, "
                    "bukan hanya yang dinilai ({groups})",
    "basket.single": "semua {n} komoditas tabel produksi, yang tidak memiliki kolom kelompok "
                     "(satu keranjang)",
    "basket.evaluated": "hanya {n} komoditas yang dinilai",
    "basket.all": "semua {n} komoditas tabel produksi",
    "basket.members": "{group}: {n} komoditas",
    "basket.mixed": "Keranjang ini mencampur kelompok tabel produksi ({groups}) dengan "
                    "menjumlahkan {measure}-nya: pilihan yang disengaja ([score.lq] basket = "
                    "\u201c{basket}\u201d).",
    "measure.production": "produksi",
    "measure.value": "nilai produksi",
    "measure.area": "luas panen",
    "reference.study_area": "jumlah {n} kecamatan wilayah studi ({region})",
    "reference.table": "{name}, angka totalnya sendiri (tabel {file})",
    "method.roles": "Peran komoditas dan penanda",
    "method.roles.p": "Setiap pasangan kecamatan × komoditas mendapat peran dari datanya: "
                      "unggulan (basis yang sudah ada: LQ ≥ 1 dan produksi > 0 pada {year}; "
                      "dengan kuadran Klassen {first}–{year} bila pertumbuhannya diketahui), "
                      "potensial (ada lahan sesuai tetapi belum ada basis), atau bukan keduanya.",
    "method.roles.base": "Produk setiap kecamatan dipilih di antara komoditas unggulannya "
                         "([assign] require_base). Kecamatan tanpa komoditas unggulan mendapat "
                         "produk potensial terbaiknya, ditandai sebagai kandidat pengembangan, "
                         "bukan produk unggulan.",
    "method.roles.free": "Produk dipilih di antara semua komoditas yang layak ([assign] "
                         "require_base = false); produk yang bukan unggulan ditandai sebagai "
                         "kandidat pengembangan.",
    "method.roles.none": "Tanpa tabel produksi, peran dan penanda produksi tidak dapat "
                         "ditentukan.",
    "method.flags": "Produk terpilih ditandai bila:",
    "flagdef.development": "bukan komoditas unggulan kecamatan itu (kandidat pengembangan);",
    "flagdef.no_production": "tidak ada produksi (0 atau tidak dilaporkan) pada tahun terakhir;",
    "flagdef.falling": "produksinya turun setiap tahun;",
    "flagdef.low_suitable_land": "lahan sesuainya di bawah pangsa minimum [assign] "
                                 "min_suitable_share, atau nol;",
    "flagdef.no_alternative": "hanya produk itu yang diizinkan di kecamatan itu: tidak ada "
                              "pilihan yang dibuat.",
    "flagdef.no_alternative_robust": "hanya produk itu yang diizinkan di kecamatan itu: tidak "
                                     "ada pilihan yang dibuat, sehingga uji ketahanan tidak "
                                     "berarti (ditulis \u201ctanpa alternatif\u201d, bukan "
                                     "\u201cstabil\u201d).",
    "method.score": "Kriteria skor dan bobotnya",
    "method.score.p": "Setiap kriteria dinormalisasi ke 0–1 (1 terbaik; waktu tempuh dibalik) "
                      "dengan cara yang tertulis di tabel, lalu dijumlahkan dengan bobot: skor = "
                      "Σ bobot × komponen. Skor bersifat relatif terhadap kecamatan dan komoditas "
                      "yang dinilai bersama.",
    "col.normalisation": "Normalisasi",
    "norm.minmax": "min–maks {within}",
    "norm.rank": "peringkat persentil {within}",
    "norm.bounds": "{method} pada skala tetap {low}–{high}",
    "norm.log": "logaritmik, simetris di sekitar 1: 1 → 0,5; ≥ {cap} → 1; ≤ 1/{cap} → 0 "
                "({within})",
    "norm.log_free": "logaritmik, simetris di sekitar 1, skala dari nilai terjauh ({within})",
    "norm.capped": "min–maks setelah dipotong pada {cap} ({within})",
    "norm.capped_quantile": "min–maks setelah dipotong pada kuantil {q} ({within})",
    "within.all": "atas semua pasangan",
    "within.commodity": "per komoditas",
    "within.kabupaten": "per kabupaten",
    "method.weights_config": "Bobot dari bagian [score] konfigurasi, dinormalisasi sehingga "
                             "jumlahnya 1.",
    "method.weights_ahp": "Bobot dari perbandingan berpasangan AHP (Saaty 1980); rasio konsistensi "
                          "CR = {cr} (diterima bila ≤ 0,10).",
    "method.weights_dropped": "Kriteria tanpa data masukan, tidak dipakai: {names}.",
    "col.criterion": "Kriteria",
    "col.description": "Keterangan",
    "col.direction": "Arah",
    "col.weight": "Bobot",
    "direction.max": "makin besar makin baik",
    "direction.min": "makin kecil makin baik",
    "criterion.suitability": "Kesesuaian lahan",
    "criterion.suitability.desc": "SI kecamatan (atau ha lahan S1–S3) dari peta kesesuaian",
    "criterion.lq": "Location quotient (LQ)",
    "criterion.lq.desc": "Spesialisasi produksi tahun terakhir",
    "criterion.growth": "Pertumbuhan produksi",
    "criterion.growth.desc": "Laju pertumbuhan tahunan majemuk produksi",
    "criterion.market_access": "Akses pasar",
    "criterion.market_access.desc": "Rata-rata waktu tempuh ke pasar di lahan sesuai (menit)",
    "criterion.labour": "Tenaga kerja",
    "criterion.labour.desc": "Rumah tangga usaha pertanian di kecamatan",
    "criterion.cooperatives": "Koperasi",
    "criterion.cooperatives.desc": "Koperasi di kecamatan yang bergerak di komoditas itu",
    "criterion.sentra": "Sentra",
    "criterion.sentra.desc": "Sentra pada bidang usaha komoditas itu",
    "method.assign": "Penetapan produk (MILP) dan kendalanya",
    "method.assign.p": "Produk ditetapkan dengan program bilangan bulat campuran (MILP, solver "
                       "HiGHS) yang memaksimalkan jumlah skor seluruh kecamatan di bawah kendala "
                       "berikut. Status solver: {status}; selisih optimalitas (gap): {gap}.",
    "method.solves": "Setiap kabupaten diselesaikan sebagai program tersendiri. Status "
                     "\u201coptimal\u201d berarti optimum terbukti (untuk skor yang dibulatkan); "
                     "status lain berarti solver berhenti pada batas kerjanya dan gap menyatakan "
                     "berapa skor yang mungkin masih hilang.",
    "col.region": "Kabupaten/kota",
    "col.kecamatan_n": "Kecamatan",
    "col.none": "Tanpa produk",
    "col.pairs": "Pasangan bertetangga",
    "col.status": "Status",
    "col.gap": "Gap (skor)",
    "col.note": "Catatan",
    "method.tiers": "Bintang 1–5 diberikan menurut kuantil skor produk terpilih di antara semua "
                    "kecamatan; bintang bersifat relatif, bukan mutu mutlak. Kelompok OTOP "
                    "mengikuti kategori One Tambon One Product (pangan, minuman, sandang, "
                    "kerajinan, hiasan, herbal).",
    "col.setting": "Pengaturan",
    "col.value": "Nilai",
    "setting.per_kecamatan": "Produk per kecamatan",
    "setting.max_per_product": "Kecamatan maksimum per produk",
    "setting.max_share": "Pangsa maksimum kecamatan per produk",
    "setting.min_distinct": "Jumlah minimum produk berbeda",
    "setting.must_keep": "Produk yang wajib dipertahankan",
    "setting.forbidden": "Produk yang dilarang",
    "setting.min_suitable_share": "Pangsa minimum lahan sesuai (S1–S3) agar layak",
    "setting.require_base": "Produk unggulan harus memiliki basis (LQ ≥ 1 dan produksi)",
    "setting.yes": "ya",
    "setting.no": "tidak",
    "setting.contiguity_bonus": "Bonus kecamatan bertetangga dengan produk sama",
    "setting.time_limit": "Batas waktu per penyelesaian (detik)",
    "setting.unset": "tidak dibatasi",
    "setting.none": "tidak ada",
    "method.robustness": "Uji ketahanan terhadap bobot",
    "method.robustness.p": "Monte Carlo: {draws} undian bobot dari sebaran Dirichlet dengan "
                           "rerata bobot di atas dan konsentrasi {concentration}, seed {seed}. "
                           "Probabilitas adalah bagian undian yang mempertahankan produk "
                           "terpilih: stabil bila ≥ 80%, sedang bila ≥ 50%, selain itu tidak "
                           "stabil.",
    "method.robustness.off": "Uji ketahanan tidak dijalankan ([robustness] draws = 0).",
    "method.references": "Pustaka",
    # section 3
    "assign.table": "Produk terpilih per kecamatan",
    "assign.table_note": "Skor 0–1 (1 terbaik). Bukti: produksi produk pada tahun terakhir, laju "
                         "pertumbuhan tahunannya, pangsanya dalam produksi kabupaten, dan luas "
                         "lahan sesuai (pangsanya dari lahan yang dinilai). Alternatif: produk "
                         "lain yang layak dengan skornya. Kendala pengikat: kendala yang "
                         "mengubah pilihan kecamatan itu.",
    "col.evidence": "Bukti",
    "col.flags": "Penanda",
    "evidence.production": "{tons} t ({year})",
    "evidence.growth": "{rate}/thn",
    "evidence.falling": "turun setiap tahun",
    "evidence.share": "{share} dari kabupaten",
    "evidence.land": "{ha} ha lahan sesuai ({share})",
    "role.unggulan": "unggulan",
    "role.potensial": "potensial",
    "role.none": "bukan keduanya",
    "flag.development": "kandidat pengembangan: belum ada basis produksi",
    "flag.no_production": "tidak ada produksi pada {year}",
    "flag.falling": "produksi turun setiap tahun ({rate}/thn)",
    "flag.low_suitable_land": "lahan sesuai {ha} ha ({share}), di bawah minimum {minimum}",
    "flag.no_suitable_land": "tidak ada lahan sesuai",
    "flag.no_alternative": "tanpa alternatif: satu-satunya produk yang diizinkan",
    "col.kecamatan": "Kecamatan",
    "col.code": "Kode",
    "col.product": "Produk",
    "col.otop": "Kelompok OTOP",
    "col.tier": "Potensi",
    "col.score": "Skor",
    "col.alternatives": "Alternatif",
    "col.binding": "Kendala pengikat",
    "col.probability": "Probabilitas",
    "col.stability": "Stabilitas",
    "col.climate": "Iklim",
    "climate.kept": "bertahan di {kept} dari {n} skenario",
    "climate.worst": "perubahan lahan sesuai {change} (skenario terburuk)",
    "tier.title": "{n} dari 5 bintang",
    "stability.stable": "stabil",
    "stability.moderate": "sedang",
    "stability.unstable": "tidak stabil",
    "stability.no_alternative": "tanpa alternatif",
    "otop.food": "Makanan",
    "otop.beverages": "Minuman",
    "otop.textiles": "Sandang",
    "otop.crafts": "Kerajinan",
    "otop.ornaments": "Cendera mata dan hiasan",
    "otop.herbal": "Herbal dan rempah",
    "binding.cap_full": "{group}: {products} sudah penuh",
    "binding.must_keep": "wajib dipertahankan: {products}",
    "binding.instead": "{head}; tanpa kendala ini: {instead}",
    "group.max_per_product": "batas kecamatan per produk",
    "group.max_share": "batas pangsa per produk",
    "group.min_distinct": "jumlah minimum produk berbeda",
    "group.must_keep": "produk wajib",
    "group.forbidden": "produk terlarang",
    "group.eligible": "syarat kelas biofisik minimum",
    "group.eligible_base": "syarat kelayakan (lahan sesuai minimum dan basis produksi)",
    "group.contiguity": "bonus kecamatan bertetangga",
    "fig.products": "Gambar {n}. Produk unggulan terpilih per kecamatan.",
    "fig.robustness": "Gambar {n}. Stabilitas pilihan produk terhadap perubahan bobot.",
    "assign.cooperatives": "Koperasi calon pelaksana",
    "assign.cooperatives_note": "Tiga koperasi teratas di setiap kecamatan untuk produknya, dengan "
                                "poin dari 100 (bidang usaha 50, anggota 15, aset 15, jarak ke "
                                "lahan sesuai 20).",
    "assign.no_cooperatives": "Tidak ada tabel koperasi; pemeringkatan koperasi tidak dijalankan.",
    "col.rank": "Peringkat",
    "col.cooperative": "Koperasi",
    "col.line": "Kecocokan usaha",
    "col.members": "Anggota",
    "col.points": "Poin",
    "line.product": "produk",
    "line.group": "kelompok",
    "line.none": "tidak ada",
    "coop.no_cooperative": "Tidak ada koperasi di kecamatan ini.",
    "coop.no_matching_cooperative": "Tidak ada koperasi dengan bidang usaha yang cocok.",
    "coop.no_product": "Kecamatan ini tidak mendapat produk.",
    # section 4
    "crops.table": "Luas kelas kesesuaian di seluruh wilayah studi",
    "crops.table_note": "Hektar per kelas atas seluruh kecamatan. Persentase (kolom Sesuai, "
                        "batang kelas), SI dan pembatas utama dihitung atas lahan yang dinilai "
                        "(S1–N), seperti pada legenda peta; lahan yang dikecualikan (X) "
                        "dilaporkan terpisah dalam hektar. Pembatas utama: pangsa lahan yang "
                        "dinilai yang kelasnya ditentukan oleh kualitas itu. Diurutkan menurut "
                        "SI.",
    "col.crop": "Komoditas",
    "col.group": "Kelompok",
    "col.bar": "Sebaran kelas",
    "col.s1": "S1 (ha)",
    "col.s2": "S2 (ha)",
    "col.s3": "S3 (ha)",
    "col.n": "N (ha)",
    "col.excluded": "X (ha)",
    "col.suitable_share": "Sesuai (% lahan dinilai)",
    "col.si": "SI",
    "col.limits": "Pembatas utama",
    "crops.maps": "Peta per komoditas",
    "fig.suitability": "Kelas kesesuaian – {crop}",
    "fig.limits": "Faktor pembatas – {crop}",
    "fig.crop_maps": "Gambar {n}. Peta kesesuaian dan faktor pembatas per komoditas.",
    "crops.sources": "Sumber tabel persyaratan tumbuh",
    # potential production (subsection of section 4)
    "potential.title": "Potensi produksi",
    "potential.intro": "Potensi produksi (ton/tahun) = Σ luas lahan tersedia per kelas × hasil "
                       "relatif kelas × produktivitas acuan. Lahan yang dikecualikan (status "
                       "lahan, hutan lindung, air, permukiman) tidak dihitung. Hasil relatif: "
                       "{fractions} ({fractions_source}). Di mana BPS memberi produksi dan luas "
                       "panen suatu komoditas di kecamatan, produktivitas yang tersirat "
                       "(produksi / luas panen) menggantikan produktivitas acuan nasional.",
    "potential.no_yield": "Komoditas tanpa produktivitas acuan terbitan tidak memiliki taksiran "
                          "(bukan nol): {crops}.",
    "potential.prices": "Nilai = potensi produksi × harga produsen (Rp/kg) tahun terakhir tabel "
                        "harga.",
    "potential.no_prices": "Tanpa tabel harga ([tables] prices), nilai tidak ditaksir.",
    "potential.col.yield": "Produktivitas (t/ha)",
    "potential.col.source": "Sumber produktivitas",
    "potential.col.potential": "Potensi (ton/tahun)",
    "potential.col.value": "Nilai (miliar Rp/tahun)",
    "potential.col.realised": "Produksi BPS (ton)",
    "potential.col.share": "Realisasi / potensi",
    "potential.source.reference": "acuan: {key}",
    "potential.source.local": "lokal BPS di {n} kec.",
    "potential.source.none": "tanpa taksiran",
    "fig.value": "Gambar {n}. Potensi nilai (atau produksi) komoditas terpilih per kecamatan.",
    "crops.used_by": "dipakai oleh: {crops}",
    "group.food": "pangan",
    "group.horticulture": "hortikultura",
    "group.estate": "perkebunan",
    "group.beverage": "minuman",
    "group.herbal_spice": "herbal dan rempah",
    "group.fibre": "serat",
    "group.other": "lainnya",
    # section 5
    "limits.title": "Keterbatasan",
    "limits.synthetic": "Data wilayah ini sintetis, dibuat oleh program untuk contoh. Angka dan "
                        "peta dalam laporan ini tidak menggambarkan wilayah nyata.",
    "limits.resolution": "Analisis dikerjakan pada grid {res}; unsur yang lebih kecil dari satu "
                         "sel (±{cell_ha} ha) tidak terlihat, dan peta tanah serta iklim sering "
                         "lebih kasar daripada grid, sehingga batas kelas bersifat perkiraan.",
    "limits.biophysical": "Kesesuaian lahan bersifat biofisik pada tingkat pengelolaan yang "
                          "diasumsikan tabel persyaratan tumbuh; harga, modal, tenaga kerja "
                          "musiman dan penguasaan lahan tidak diperhitungkan selain lewat kriteria "
                          "dan kendala yang disebut di atas.",
    "limits.relative": "Skor, bintang dan peringkat bersifat relatif terhadap kecamatan dan "
                       "komoditas yang dinilai bersama; menambah atau menghapus komoditas, atau "
                       "mengubah bobot, dapat mengubahnya.",
    "limits.milp": "Penetapan produk optimal secara tepat hanya untuk bobot dan kendala yang "
                   "diberikan. Uji ketahanan menunjukkan seberapa jauh pilihan bergantung pada "
                   "bobot.",
    "limits.milp_status": "Solver berhenti dengan status \u201c{status}\u201d dan gap {gap}: "
                          "penetapan mungkin bukan yang terbaik.",
    "limits.tables": "Tabel statistik (BPS, koperasi, sentra) dapat memuat kesalahan, data yang "
                     "tertinggal atau kode yang tidak cocok; {rows} baris tabel tidak cocok "
                     "dengan kecamatan mana pun.",
    "limits.unknown": "Hingga {ha} ha lahan (untuk {crop}) tidak dapat dinilai karena data "
                      "masukan kosong.",
    "limits.climate_none": "Pada {n} skenario iklim yang dinilai, tidak ada kecamatan yang "
                           "produknya kehilangan lebih dari separuh lahannya yang sesuai.",
    "limits.climate_loss": "Di bawah skenario iklim {scenario}, {product} di Kecamatan "
                           "{kecamatan} kehilangan {ha} ha ({share}) dari {today} ha lahannya "
                           "yang sesuai (S1–S3).",
    "limits.crop_tables": "Tabel persyaratan tumbuh berasal dari pustaka; varietas lokal dan "
                          "praktik budidaya setempat dapat berbeda.",
    "limits.lq_volume": "LQ dari produksi yang kecil mudah berubah: beberapa ton saja dapat "
                        "memberi LQ tinggi. Kolom bukti menunjukkan volume dan pangsa di balik "
                        "setiap produk; produk dengan pangsa kecil perlu diperiksa.",
    "limits.verify": "Hasil perlu diperiksa di lapangan dan dibahas dengan pemangku kepentingan "
                     "(Bappeda, dinas teknis, koperasi, petani) sebelum dipakai dalam dokumen "
                     "perencanaan.",
    "provenance.title": "Asal-usul",
    "provenance.version": "Versi aez",
    "provenance.config": "Hash konfigurasi",
    "provenance.config_file": "Berkas konfigurasi",
    "provenance.date": "Tanggal",
    "provenance.timings": "Waktu proses",
    "col.stage": "Tahap",
    "col.seconds": "Detik",
    "timings.total": "Jumlah",
    "footer": "Dibuat dengan aez {version}, perangkat lunak sumber terbuka untuk perwilayahan "
              "komoditas.",
    "missing": "–",
    "month.1": "Januari", "month.2": "Februari", "month.3": "Maret", "month.4": "April",
    "month.5": "Mei", "month.6": "Juni", "month.7": "Juli", "month.8": "Agustus",
    "month.9": "September", "month.10": "Oktober", "month.11": "November",
    "month.12": "Desember",
}

_EN: dict[str, str] = {
    "title": "Leading-Commodity Zoning",
    "subtitle": "Agro-ecological zoning (AEZ) and one product per kecamatan",
    "header.date": "Date",
    "header.version": "aez version",
    "header.config": "Config hash",
    "synthetic.banner": "The data of this region are synthetic (a demonstration). The results "
                        "show how the method works; they are not advice for a real region.",
    "toc": "Contents",
    "section.area": "Study area and inputs",
    "section.method": "Method",
    "section.assignment": "Product per kecamatan",
    "section.commodities": "Suitability per commodity",
    "section.limitations": "Limitations and provenance",
    "area.grid": "Analysis grid",
    "area.region": "Region",
    "area.crs": "Coordinate reference system (CRS)",
    "area.resolution": "Resolution",
    "area.size": "Grid size",
    "area.size_value": "{width} × {height} cells ({cells} cells)",
    "area.extent": "Area of the grid extent",
    "area.study": "Area of the study area (kecamatan)",
    "area.kecamatan": "Number of kecamatan",
    "area.crops": "Commodities evaluated",
    "area.inputs": "Input layers",
    "area.inputs_note": "Derived layers are computed from other layers (their method and inputs "
                        "are in the file column).",
    "area.tables": "Tables used",
    "area.no_tables": "No statistical tables; the score uses the map criteria only.",
    "col.layer": "Layer",
    "col.file": "File",
    "col.kind": "Kind",
    "col.units": "Units",
    "col.role": "Role",
    "col.table": "Table",
    "kind.continuous": "continuous",
    "kind.categorical": "categorical",
    "kind.derived": "derived: {how}",
    "table.production": "Production per kecamatan and year",
    "table.households": "Farm households",
    "table.sentra": "Business clusters (sentra)",
    "table.cooperatives": "Cooperatives (points)",
    "table.crosswalk": "BPS–Kemendagri code crosswalk",
    "fig.overview": "Figure {n}. Overview of the study area and its main inputs.",
    "method.matching": "Land suitability matching (AEZ)",
    "method.matching.p1": "Land suitability follows the FAO (1976) framework in the form used by "
                          "BBSDLP (Djaenudin et al. 2011). Every land characteristic (temperature, "
                          "rainfall, drainage, texture, effective depth, peat, CEC, base "
                          "saturation, pH, organic carbon, salinity, slope, erosion hazard, "
                          "flooding, stones) is matched against the S1, S2, S3 and N limits of "
                          "each commodity's requirement table (Djaenudin et al. 2011; Sys et al. "
                          "1993).",
    "method.matching.p2": "Characteristics are grouped into land qualities. A quality takes the "
                          "worst class of its characteristics, and the land takes the worst class "
                          "of its qualities (law of the minimum). The subclass names the limiting "
                          "qualities, e.g. S3-nr,eh: marginally suitable, limited by nutrient "
                          "retention and erosion hazard.",
    "method.matching.p3": "A missing input value is never read as suitable: such land is rated "
                          "\u201cunknown\u201d and left out of the counts.",
    "method.classes": "Suitability classes",
    "method.qualities": "Land qualities",
    "method.index": "A continuous suitability index (0–1) runs piecewise-linearly across the "
                    "class limits: S1 0.75–1; S2 0.50–0.75; S3 0.25–0.50; N 0–0.25. The "
                    "characteristic indices are combined by: {rule}.",
    "aggregate.minimum": "minimum (the lowest characteristic index, consistent with the classes)",
    "aggregate.geometric_mean": "weighted geometric mean",
    "aggregate.square_root": "square root (Khiddir 1986): I = R_min · √(∏ other ratings)",
    "method.exclusions": "Land excluded before evaluation (class X):",
    "method.no_exclusions": "No land is excluded before evaluation.",
    "exclusion.above": "{layer} > {value}",
    "exclusion.below": "{layer} < {value}",
    "exclusion.classes": "{layer}: {classes}",
    "method.si": "Kecamatan suitability index (SI)",
    "method.si.p": "For each kecamatan and commodity, SI = 90·S1 + 70·S2 + 50·S3, where S1–S3 "
                   "are the shares (0–1) of the evaluated land (S1 + S2 + S3 + N). The class "
                   "weights are the middles of the FAO yield bands, the weights of VS, S and MS "
                   "in GAEZ v4. SI runs from 0 (no suitable land) to 90 (all of it S1).",
    "method.si.measure_ha": "The suitability criterion of the score uses the suitable area "
                            "(ha of S1–S3), not SI.",
    "method.lq": "Comparative advantage (LQ)",
    "method.lq.p": "x_ij is the {measure} of commodity j in kecamatan i in {year} (column "
                   "{column}); B is the basket of j: {basket}; R_j is the {measure} of j in the "
                   "reference region: {reference}. LQ ≥ 1 means the kecamatan is more "
                   "specialised in the commodity than the reference region (Isard 1960).",
    "method.lq.words": "In words: the commodity's share of its basket in the kecamatan, divided "
                       "by its share of the same basket in the reference region.",
    "basket.group": "every commodity of j's group (BPS table) in the production table, not only "
                    "the evaluated ones ({groups})",
    "basket.single": "all {n} commodities of the production table, which has no group column "
                     "(one basket)",
    "basket.evaluated": "only the {n} evaluated commodities",
    "basket.all": "all {n} commodities of the production table",
    "basket.members": "{group}: {n} commodities",
    "basket.mixed": "This basket mixes the production table's groups ({groups}) by adding "
                    "their {measure}: a deliberate choice ([score.lq] basket = "
                    "\u201c{basket}\u201d).",
    "measure.production": "production",
    "measure.value": "value of production",
    "measure.area": "harvested area",
    "reference.study_area": "the sum of the {n} kecamatan of the study area ({region})",
    "reference.table": "{name}, its own totals (table {file})",
    "method.roles": "Commodity roles and flags",
    "method.roles.p": "Every kecamatan × commodity gets a role from its evidence: unggulan (an "
                      "existing base: LQ ≥ 1 and production > 0 in {year}; with its Klassen "
                      "quadrant over {first}–{year} where growth is known), potensial (suitable "
                      "land but no base yet) or neither.",
    "method.roles.base": "Each kecamatan's product is chosen among its unggulan commodities "
                         "([assign] require_base). A kecamatan without one gets its best "
                         "potential product, flagged as a development candidate, not a leading "
                         "product.",
    "method.roles.free": "The product is chosen among all eligible commodities ([assign] "
                         "require_base = false); a product that is not an unggulan is flagged as "
                         "a development candidate.",
    "method.roles.none": "Without a production table, roles and production flags cannot be "
                         "set.",
    "method.flags": "A chosen product is flagged when:",
    "flagdef.development": "it is not an unggulan of its kecamatan (a development candidate);",
    "flagdef.no_production": "it had no production (0 or not reported) in the latest year;",
    "flagdef.falling": "its production fell in every year;",
    "flagdef.low_suitable_land": "its suitable land is below the minimum share [assign] "
                                 "min_suitable_share, or none;",
    "flagdef.no_alternative": "it was the only product allowed in its kecamatan: no choice was "
                              "made.",
    "flagdef.no_alternative_robust": "it was the only product allowed in its kecamatan: no "
                                     "choice was made, so the robustness test says nothing "
                                     "(shown as \u201cno alternative\u201d, never "
                                     "\u201cstable\u201d).",
    "method.score": "Score criteria and their weights",
    "method.score.p": "Each criterion is normalised to 0–1 (1 best; travel time reversed) as the "
                      "table says, and the criteria are added with weights: score = Σ weight × "
                      "component. Scores are relative to the kecamatan and commodities rated "
                      "together.",
    "col.normalisation": "Normalisation",
    "norm.minmax": "min–max {within}",
    "norm.rank": "percentile rank {within}",
    "norm.bounds": "{method} on the fixed scale {low}–{high}",
    "norm.log": "log, symmetric around 1: 1 → 0.5; ≥ {cap} → 1; ≤ 1/{cap} → 0 ({within})",
    "norm.log_free": "log, symmetric around 1, scaled by the farthest value ({within})",
    "norm.capped": "min–max after capping at {cap} ({within})",
    "norm.capped_quantile": "min–max after capping at the {q} quantile ({within})",
    "within.all": "over all pairs",
    "within.commodity": "per commodity",
    "within.kabupaten": "per kabupaten",
    "method.weights_config": "Weights from the [score] section of the config, normalised to sum "
                             "to 1.",
    "method.weights_ahp": "Weights from AHP pairwise comparisons (Saaty 1980); consistency ratio "
                          "CR = {cr} (accepted when ≤ 0.10).",
    "method.weights_dropped": "Criteria without input data, left out: {names}.",
    "col.criterion": "Criterion",
    "col.description": "Description",
    "col.direction": "Direction",
    "col.weight": "Weight",
    "direction.max": "more is better",
    "direction.min": "less is better",
    "criterion.suitability": "Land suitability",
    "criterion.suitability.desc": "Kecamatan SI (or ha of S1–S3 land) from the suitability maps",
    "criterion.lq": "Location quotient (LQ)",
    "criterion.lq.desc": "Specialisation of production in the latest year",
    "criterion.growth": "Production growth",
    "criterion.growth.desc": "Compound annual growth rate of production",
    "criterion.market_access": "Market access",
    "criterion.market_access.desc": "Mean travel time to markets over suitable land (minutes)",
    "criterion.labour": "Labour",
    "criterion.labour.desc": "Farm households in the kecamatan",
    "criterion.cooperatives": "Cooperatives",
    "criterion.cooperatives.desc": "Cooperatives in the kecamatan trading the commodity",
    "criterion.sentra": "Clusters (sentra)",
    "criterion.sentra.desc": "Sentra in the commodity's business field",
    "method.assign": "Product assignment (MILP) and its constraints",
    "method.assign.p": "Products are assigned by a mixed-integer programme (MILP, HiGHS solver) "
                       "that maximises the total score over all kecamatan under the constraints "
                       "below. Solver status: {status}; optimality gap: {gap}.",
    "method.solves": "Each kabupaten is solved as its own programme. Status "
                     "\u201coptimal\u201d means the optimum is proven (for the rounded scores); "
                     "any other status means the solver stopped at its work limit, and the gap "
                     "says how much score the solution may still miss.",
    "col.region": "Kabupaten/kota",
    "col.kecamatan_n": "Kecamatan",
    "col.none": "Without a product",
    "col.pairs": "Neighbour pairs",
    "col.status": "Status",
    "col.gap": "Gap (score)",
    "col.note": "Note",
    "method.tiers": "Stars 1–5 follow the quantile of the chosen product's score among all "
                    "kecamatan; they are relative, not an absolute quality. OTOP groups follow "
                    "the One Tambon One Product categories (food, beverages, textiles, crafts, "
                    "ornaments, herbal).",
    "col.setting": "Setting",
    "col.value": "Value",
    "setting.per_kecamatan": "Products per kecamatan",
    "setting.max_per_product": "Maximum kecamatan per product",
    "setting.max_share": "Maximum share of kecamatan per product",
    "setting.min_distinct": "Minimum number of distinct products",
    "setting.must_keep": "Products that must be kept",
    "setting.forbidden": "Forbidden products",
    "setting.min_suitable_share": "Minimum share of suitable land (S1–S3) to be eligible",
    "setting.require_base": "A leading product needs a base (LQ ≥ 1 and production)",
    "setting.yes": "yes",
    "setting.no": "no",
    "setting.contiguity_bonus": "Bonus for neighbouring kecamatan sharing a product",
    "setting.time_limit": "Time limit per solve (seconds)",
    "setting.unset": "no limit",
    "setting.none": "none",
    "method.robustness": "Robustness to the weights",
    "method.robustness.p": "Monte Carlo: {draws} draws of the weights from a Dirichlet "
                           "distribution centred on the weights above with concentration "
                           "{concentration}, seed {seed}. The probability is the share of draws "
                           "that keep the chosen product: stable when ≥ 80%, moderate when "
                           "≥ 50%, otherwise unstable.",
    "method.robustness.off": "Robustness was not assessed ([robustness] draws = 0).",
    "method.references": "References",
    "assign.table": "Chosen product per kecamatan",
    "assign.table_note": "Score 0–1 (1 best). Evidence: the product's production in the latest "
                         "year, its annual growth rate, its share of the kabupaten's production, "
                         "and the suitable land (its share of the evaluated land). Alternatives: "
                         "other eligible products with their scores. Binding constraints: the "
                         "constraints that changed the kecamatan's choice.",
    "col.evidence": "Evidence",
    "col.flags": "Flags",
    "evidence.production": "{tons} t ({year})",
    "evidence.growth": "{rate}/yr",
    "evidence.falling": "fell every year",
    "evidence.share": "{share} of the kabupaten",
    "evidence.land": "{ha} ha suitable land ({share})",
    "role.unggulan": "unggulan (leading)",
    "role.potensial": "potensial (potential)",
    "role.none": "neither",
    "flag.development": "development candidate: no existing base",
    "flag.no_production": "no production in {year}",
    "flag.falling": "production fell every year ({rate}/yr)",
    "flag.low_suitable_land": "suitable land {ha} ha ({share}), below the minimum {minimum}",
    "flag.no_suitable_land": "no suitable land",
    "flag.no_alternative": "no alternative: the only product allowed",
    "col.kecamatan": "Kecamatan",
    "col.code": "Code",
    "col.product": "Product",
    "col.otop": "OTOP group",
    "col.tier": "Potential",
    "col.score": "Score",
    "col.alternatives": "Alternatives",
    "col.binding": "Binding constraints",
    "col.probability": "Probability",
    "col.stability": "Stability",
    "col.climate": "Climate",
    "climate.kept": "kept in {kept} of {n} scenarios",
    "climate.worst": "change in suitable land {change} (worst scenario)",
    "tier.title": "{n} of 5 stars",
    "stability.stable": "stable",
    "stability.moderate": "moderate",
    "stability.unstable": "unstable",
    "stability.no_alternative": "no alternative",
    "otop.food": "Food",
    "otop.beverages": "Beverages",
    "otop.textiles": "Textiles",
    "otop.crafts": "Crafts",
    "otop.ornaments": "Souvenirs and ornaments",
    "otop.herbal": "Herbal and spice",
    "binding.cap_full": "{group}: {products} full",
    "binding.must_keep": "must keep: {products}",
    "binding.instead": "{head}; without it: {instead}",
    "group.max_per_product": "cap of kecamatan per product",
    "group.max_share": "share cap per product",
    "group.min_distinct": "minimum number of distinct products",
    "group.must_keep": "must-keep products",
    "group.forbidden": "forbidden products",
    "group.eligible": "minimum biophysical class",
    "group.eligible_base": "eligibility (minimum suitable land and an existing base)",
    "group.contiguity": "neighbour bonus",
    "fig.products": "Figure {n}. Leading product chosen for each kecamatan.",
    "fig.robustness": "Figure {n}. Stability of the product choice under changed weights.",
    "assign.cooperatives": "Candidate cooperatives",
    "assign.cooperatives_note": "The top three cooperatives of each kecamatan for its product, "
                                "with points out of 100 (business line 50, members 15, assets "
                                "15, distance to suitable land 20).",
    "assign.no_cooperatives": "No cooperatives table; cooperatives were not ranked.",
    "col.rank": "Rank",
    "col.cooperative": "Cooperative",
    "col.line": "Business line match",
    "col.members": "Members",
    "col.points": "Points",
    "line.product": "product",
    "line.group": "group",
    "line.none": "none",
    "coop.no_cooperative": "No cooperative in this kecamatan.",
    "coop.no_matching_cooperative": "No cooperative with a matching business line.",
    "coop.no_product": "This kecamatan has no product.",
    "crops.table": "Suitability classes over the whole study area",
    "crops.table_note": "Hectares per class over all kecamatan. Shares (the Suitable column, "
                        "the class bar), SI and main limits are of the evaluated land (S1–N), "
                        "as in the map legends; excluded land (X) is reported apart, in "
                        "hectares. Main limits: share of the evaluated land whose class is set "
                        "by that quality. Sorted by SI.",
    "col.crop": "Commodity",
    "col.group": "Group",
    "col.bar": "Class shares",
    "col.s1": "S1 (ha)",
    "col.s2": "S2 (ha)",
    "col.s3": "S3 (ha)",
    "col.n": "N (ha)",
    "col.excluded": "X (ha)",
    "col.suitable_share": "Suitable (% of evaluated land)",
    "col.si": "SI",
    "col.limits": "Main limits",
    "crops.maps": "Maps per commodity",
    "fig.suitability": "Suitability class – {crop}",
    "fig.limits": "Limiting factors – {crop}",
    "fig.crop_maps": "Figure {n}. Suitability and limiting-factor maps per commodity.",
    "crops.sources": "Sources of the crop requirement tables",
    # potential production (subsection of section 4)
    "potential.title": "Potential production",
    "potential.intro": "Potential production (t/yr) = Σ available land per class × relative "
                       "yield of the class × reference yield. Excluded land (land status, "
                       "protected forest, water, settlements) does not count. Relative yields: "
                       "{fractions} ({fractions_source}). Where BPS gives the production and "
                       "harvested area of a commodity in a kecamatan, the productivity they "
                       "imply (production / harvested area) replaces the national reference "
                       "yield.",
    "potential.no_yield": "Commodities without a published reference yield have no estimate "
                          "(not zero): {crops}.",
    "potential.prices": "Value = potential production × producer price (Rp/kg) of the latest "
                        "year of the price table.",
    "potential.no_prices": "Without a price table ([tables] prices), value is not estimated.",
    "potential.col.yield": "Yield (t/ha)",
    "potential.col.source": "Yield source",
    "potential.col.potential": "Potential (t/yr)",
    "potential.col.value": "Value (billion Rp/yr)",
    "potential.col.realised": "BPS production (t)",
    "potential.col.share": "Realised / potential",
    "potential.source.reference": "reference: {key}",
    "potential.source.local": "BPS local in {n} kec.",
    "potential.source.none": "no estimate",
    "fig.value": "Figure {n}. Potential value (or production) of the chosen commodity per "
                 "kecamatan.",
    "crops.used_by": "used by: {crops}",
    "group.food": "food",
    "group.horticulture": "horticulture",
    "group.estate": "estate",
    "group.beverage": "beverage",
    "group.herbal_spice": "herbal and spice",
    "group.fibre": "fibre",
    "group.other": "other",
    "limits.title": "Limitations",
    "limits.synthetic": "The data of this region are synthetic, generated for demonstration. The "
                        "figures and maps in this report do not describe a real region.",
    "limits.resolution": "The analysis runs on a {res} grid; features smaller than a cell "
                         "(about {cell_ha} ha) are not seen, and soil and climate maps are often "
                         "coarser than the grid, so class boundaries are approximate.",
    "limits.biophysical": "Land suitability is biophysical, at the management level the "
                          "requirement tables assume; prices, capital, seasonal labour and land "
                          "tenure count only through the criteria and constraints named above.",
    "limits.relative": "Scores, stars and ranks are relative to the kecamatan and commodities "
                       "rated together; adding or removing commodities, or changing the weights, "
                       "can change them.",
    "limits.milp": "The assignment is exactly optimal only for the weights and constraints "
                   "given. The robustness test shows how far the choice depends on the weights.",
    "limits.milp_status": "The solver stopped with status \u201c{status}\u201d and gap {gap}: "
                          "the assignment may not be the best one.",
    "limits.tables": "Statistical tables (BPS, cooperatives, sentra) may contain errors, stale "
                     "data or unmatched codes; {rows} table rows matched no kecamatan.",
    "limits.unknown": "Up to {ha} ha of land (for {crop}) could not be rated because of missing "
                      "input data.",
    "limits.climate_none": "Under the {n} climate scenarios evaluated, no kecamatan's product "
                           "loses more than half of its suitable land.",
    "limits.climate_loss": "Under the climate scenario {scenario}, {product} in kecamatan "
                           "{kecamatan} loses {ha} ha ({share}) of its {today} ha of suitable "
                           "(S1–S3) land.",
    "limits.crop_tables": "Crop requirement tables come from the literature; local varieties and "
                          "practices may differ.",
    "limits.lq_volume": "An LQ of a small volume is fragile: a few tons can make a high LQ. The "
                        "evidence column shows the volume and share behind every product; "
                        "products with a small share deserve a check.",
    "limits.verify": "Check the results in the field and discuss them with stakeholders "
                     "(Bappeda, technical agencies, cooperatives, farmers) before using them in "
                     "a planning document.",
    "provenance.title": "Provenance",
    "provenance.version": "aez version",
    "provenance.config": "Config hash",
    "provenance.config_file": "Config file",
    "provenance.date": "Date",
    "provenance.timings": "Run time",
    "col.stage": "Stage",
    "col.seconds": "Seconds",
    "timings.total": "Total",
    "footer": "Made with aez {version}, open-source software for commodity zoning.",
    "missing": "–",
    "month.1": "January", "month.2": "February", "month.3": "March", "month.4": "April",
    "month.5": "May", "month.6": "June", "month.7": "July", "month.8": "August",
    "month.9": "September", "month.10": "October", "month.11": "November",
    "month.12": "December",
}

# -- the interactive map and the map selector ---------------------------------------------------

_ID_EXPLORE: dict[str, str] = {
    "explore.heading": "Peta interaktif produk unggulan",
    "explore.hint": "Klik sebuah kecamatan pada peta (atau capai dengan Tab lalu tekan Enter) "
                    "untuk melihat mengapa kecamatan itu mendapat produknya; Esc menutup "
                    "panelnya.",
    "explore.nojs": "Tabel di bawah memuat rincian setiap kecamatan.",
    "explore.map_label": "Peta kecamatan menurut produk unggulan",
    "explore.title": "{name}: {product}",
    "explore.no_product": "Tidak ada komoditas layak",
    "explore.development": "Calon pengembangan (arsir miring)",
    "explore.kecamatan_count": "{n} kecamatan",
    "explore.legend": "Legenda",
    "explore.components": "Komponen skor",
    "explore.col.value": "Nilai (0–1)",
    "explore.col.part": "Sumbangan",
    "explore.robustness": "Ketahanan terhadap bobot",
    "explore.climate": "Produknya bertahan pada {kept} dari {n} skenario iklim.",
    "explore.climate_title": "Stabilitas iklim",
    "explore.close": "Tutup",
    "explore.full_map": "peta resolusi penuh",
    "explore.pick": "Peta yang ditampilkan",
    "explore.pick_note": "Satu peta besar sekaligus; setiap peta menautkan ke berkasnya dalam "
                         "resolusi penuh di folder maps/.",
    "explore.kind.suitability": "Kelas kesesuaian",
    "explore.kind.limits": "Faktor pembatas",
}

_EN_EXPLORE: dict[str, str] = {
    "explore.heading": "Interactive map of the leading products",
    "explore.hint": "Click a kecamatan on the map (or reach it with Tab and press Enter) to see "
                    "why it got its product; Escape closes its panel.",
    "explore.nojs": "The table below details every kecamatan.",
    "explore.map_label": "Map of the kecamatan by leading product",
    "explore.title": "{name}: {product}",
    "explore.no_product": "No eligible commodity",
    "explore.development": "Development candidate (diagonal hatching)",
    "explore.kecamatan_count": "{n} kecamatan",
    "explore.legend": "Legend",
    "explore.components": "Score components",
    "explore.col.value": "Value (0–1)",
    "explore.col.part": "Contribution",
    "explore.robustness": "Robustness to the weights",
    "explore.climate": "It keeps its product in {kept} of {n} climate scenarios.",
    "explore.climate_title": "Climate stability",
    "explore.close": "Close",
    "explore.full_map": "full-resolution map",
    "explore.pick": "Map shown",
    "explore.pick_note": "One large map at a time; each map links to its full-resolution file "
                         "in the maps/ folder.",
    "explore.kind.suitability": "Suitability class",
    "explore.kind.limits": "Limiting factors",
}

#: Report text by language: ``TEXT[lang][key]``.
TEXT: dict[str, dict[str, str]] = {"id": {**_ID, **_ID_EXPLORE}, "en": {**_EN, **_EN_EXPLORE}}

#: The method's references (cited the same way in both languages).
REFERENCES: tuple[str, ...] = (
    "Djaenudin, D., Marwan, H., Subagjo, H., Hidayat, A. (2011). Petunjuk Teknis Evaluasi Lahan "
    "untuk Komoditas Pertanian. Bogor: Balai Besar Penelitian dan Pengembangan Sumberdaya Lahan "
    "Pertanian (BBSDLP).",
    "FAO (1976). A Framework for Land Evaluation. FAO Soils Bulletin 32. Rome: FAO.",
    "Fischer, G., Nachtergaele, F. O., van Velthuizen, H. T., et al. (2021). Global "
    "Agro-Ecological Zones v4 (GAEZ v4) – Model Documentation. Rome: FAO; Laxenburg: IIASA.",
    "Isard, W. (1960). Methods of Regional Analysis: An Introduction to Regional Science. "
    "Cambridge, MA: MIT Press.",
    "Saaty, T. L. (1980). The Analytic Hierarchy Process. New York: McGraw-Hill.",
    "Sys, C., Van Ranst, E., Debaveye, J., Beernaert, F. (1993). Land Evaluation, Part III: Crop "
    "Requirements. Agricultural Publications 7. Brussels: General Administration for Development "
    "Cooperation.",
)
