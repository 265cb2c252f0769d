"""Every word aez shows a person, in Indonesian (``"id"``) and English (``"en"``).

One catalogue for the maps, their legends, the QGIS styles, the HTML report
and the command line: ``TEXT[lang][key]``. Both languages have the same keys
(a test checks this); placeholders in braces are filled with
:meth:`str.format`.

>>> TEXT["id"]["section.assignment"], TEXT["en"]["section.assignment"]
('Penetapan produk per kecamatan', 'Product per kecamatan')
"""

from __future__ import annotations

from aez.words.report import REFERENCES, TEXT

__all__ = ["REFERENCES", "TEXT"]
