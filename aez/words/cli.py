"""The words of the command line's printed tables (``aez crops show``), in Indonesian and English.

Keys start with ``cli.``. The command line's messages (progress, summaries,
errors) are English only; the tables it prints from the crop requirement
data follow ``--lang`` like the maps and the report.

>>> TEXT["id"]["cli.units"], TEXT["en"]["cli.units"]
('satuan', 'units')
"""

from __future__ import annotations

__all__ = ["TEXT"]

_ID: dict[str, str] = {
    "cli.quality": "kualitas / karakteristik",
    "cli.units": "satuan",
    "cli.improvement": "perbaikan",
    "cli.source": "sumber",
    "cli.sources": "Sumber",
    "cli.group": "kelompok",
    "cli.table": "tabel",
    "cli.builtin": "bawaan",
    "cli.any": "semua",
    "cli.below": "sisi rendah",
    "cli.above": "sisi tinggi",
    "cli.yield": "Produktivitas acuan",
    "cli.no_yield": "belum ada angka terbitan: tanpa taksiran nilai",
    "cli.product": "produk",
    "cli.fractions": "Hasil relatif per kelas",
    "cli.default": "bawaan pustaka",
}

_EN: dict[str, str] = {
    "cli.quality": "quality / characteristic",
    "cli.units": "units",
    "cli.improvement": "improvement",
    "cli.source": "source",
    "cli.sources": "Sources",
    "cli.group": "group",
    "cli.table": "table",
    "cli.builtin": "built-in",
    "cli.any": "any",
    "cli.below": "low side",
    "cli.above": "high side",
    "cli.yield": "Reference yield",
    "cli.no_yield": "none published here: no value estimate",
    "cli.product": "product",
    "cli.fractions": "Relative yield by class",
    "cli.default": "library default",
}

#: Command-line table words by language: ``TEXT[lang][key]``.
TEXT: dict[str, dict[str, str]] = {"id": _ID, "en": _EN}
