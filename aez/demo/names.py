"""Indonesian-sounding place and organisation names for the synthetic region.

Names are two words: a generic term that fits the place (``Tanjung`` on the
coast, ``Sungai``/``Muara`` on rivers, ``Bukit`` in the hills, ``Danau`` for a
lake) and a common descriptive root (``Jaya``, ``Makmur``, ``Pinang``). They
are invented, though some will coincide with real places, as such common
names do; every output that carries them says that the region is synthetic.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["NameMaker"]

PREFIXES: dict[str, tuple[str, ...]] = {
    "coast": ("Tanjung", "Teluk", "Kuala", "Pantai", "Muara", "Tanjung"),
    "river": ("Sungai", "Muara", "Batang", "Anjir", "Handil", "Simpang"),
    "hill": ("Bukit", "Batu", "Gunung", "Padang", "Karang", "Lembah"),
    "plain": ("Tanah", "Kampung", "Pasar", "Simpang", "Padang", "Rantau"),
    "swamp": ("Rawa", "Danau", "Lubuk", "Paya", "Sungai", "Tanjung"),
    "kabupaten": ("Tanah", "Tanjung", "Muara", "Kota"),
}

ROOTS: tuple[str, ...] = (
    "Raya", "Baru", "Jaya", "Makmur", "Indah", "Sari", "Lestari", "Permai", "Harapan",
    "Mulia", "Sejahtera", "Mandiri", "Asri", "Damai", "Tengah", "Hulu", "Hilir", "Panjang",
    "Besar", "Kecil", "Putih", "Hitam", "Merah", "Kuning", "Hijau", "Pinang", "Durian",
    "Kelapa", "Rambutan", "Asam", "Jambu", "Kemuning", "Cempaka", "Melati", "Kenanga",
    "Meranti", "Ulin", "Rotan", "Bambu", "Nibung", "Nipah", "Bakau", "Rumbia", "Pandan",
    "Intan", "Emas", "Tembaga", "Laut", "Tinggi", "Rimba", "Sentosa", "Bahagia", "Bersinar",
    "Karya", "Tunggal", "Rejo", "Agung", "Kencana", "Pelangi", "Berlian", "Cemara",
    "Kapuas", "Batola", "Lima", "Tujuh", "Sembilan", "Dua", "Tiga", "Empat",
)

COOPERATIVE_WORDS: tuple[str, ...] = (
    "Sumber Rejeki", "Maju Bersama", "Tani Makmur", "Harapan Jaya", "Karya Mandiri",
    "Mitra Usaha", "Sejahtera", "Bina Tani", "Usaha Bersama", "Mekar Sari", "Sinar Tani",
    "Tunas Harapan", "Makmur Abadi", "Berkah", "Gotong Royong", "Rukun Tani", "Sido Makmur",
    "Sri Rejeki", "Karya Tani", "Setia Kawan",
)


#: Draws of a name before a number is appended to make it unique.
_TRIES = 1000


class NameMaker:
    """Draws unique names from a seeded generator.

    >>> import numpy as np
    >>> maker = NameMaker(np.random.default_rng(0))
    >>> a, b = maker.place("coast"), maker.place("coast")
    >>> a != b and a.split()[0] in PREFIXES["coast"]
    True
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._used: set[str] = set()
        self._exhausted: set[tuple[tuple[str, ...], ...]] = set()

    def _draw(self, pools: tuple[tuple[str, ...], ...]) -> str:
        # ``integers`` draws exactly what ``choice`` of the pool would, only faster; a pool
        # of one word draws nothing.
        return " ".join(pool[int(self._rng.integers(len(pool)))] if len(pool) > 1 else pool[0]
                        for pool in pools)

    def _all_used(self, pools: tuple[tuple[str, ...], ...]) -> bool:
        if pools not in self._exhausted:
            if not all(" ".join(words) in self._used for words in itertools.product(*pools)):
                return False
            self._exhausted.add(pools)
        return True

    def _unique(self, *pools: tuple[str, ...]) -> str:
        """Draw a name, one word per pool, not given before; numbered once all are taken."""
        if self._all_used(pools):
            # Every draw would repeat a name: make the same draws, all at once if possible.
            varying = [pool for pool in pools if len(pool) > 1]
            if len(varying) == 1:
                self._rng.integers(len(varying[0]), size=_TRIES)
            else:
                for _ in range(_TRIES):
                    self._draw(pools)
        else:
            for _ in range(_TRIES):
                name = self._draw(pools)
                if name not in self._used:
                    self._used.add(name)
                    return name
        base = self._draw(pools)
        i = 2
        while f"{base} {i}" in self._used:
            i += 1
        self._used.add(f"{base} {i}")
        return f"{base} {i}"

    def root(self) -> str:
        """One descriptive root (may repeat)."""
        return self._draw((ROOTS,))

    def place(self, kind: str) -> str:
        """Return a unique two-word place name for a setting in :data:`PREFIXES`."""
        return self._unique(PREFIXES[kind], ROOTS)

    def named(self, generic: str) -> str:
        """Return a unique name with a fixed generic term (``"Danau"`` → ``"Danau Rotan"``)."""
        return self._unique((generic,), ROOTS)

    def cooperative(self, prefix: str) -> str:
        """Return a unique cooperative name such as ``"KUD Sumber Rejeki"``."""
        return self._unique((prefix,), COOPERATIVE_WORDS)
