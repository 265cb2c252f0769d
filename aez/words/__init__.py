"""Every word aez shows a person, in Indonesian (``"id"``) and English (``"en"``).

One catalogue for the maps, their legends, the QGIS styles, the HTML report
and the command line's summaries: ``TEXT[lang][key]``. Both languages have
the same keys (a test checks this); placeholders in braces are filled with
:meth:`str.format`. Indonesian is the default language everywhere
(:data:`DEFAULT_LANGUAGE`).

The blocks, by key prefix: the report's words (:mod:`aez.words.report`), the
maps' and styles' words (``map.``, ``overview.``, ``style.``;
:mod:`aez.words.maps`) and the vocabulary (``class.``, ``quality.``,
``role.``, ``label.``, ``unit.``; :mod:`aez.words.vocabulary`) and the tables the
command line prints (``cli.``; :mod:`aez.words.cli`).

Messages of the command line and of errors are English only: they are read
by the analyst who runs aez, while the outputs are read by planners.

A new word goes into its block in both languages, under the same key; a string
written into an output without passing through the catalogue is a slip that
``tests/test_language.py`` finds when it is a word of the other language.

>>> TEXT["id"]["section.assignment"], TEXT["en"]["section.assignment"]
('Penetapan produk per kecamatan', 'Product per kecamatan')
>>> word("map.suitability", "en", "Maize")
'Land suitability: Maize'
>>> unit_label("months", "id"), label_name("land_status", "apl", "en")
('bulan', 'other-use land (APL)')
"""

from __future__ import annotations

from typing import Literal

from aez.words import cli, maps, report, vocabulary

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "REFERENCES", "TEXT", "Language", "label_name",
           "role_name", "unit_label", "word"]

Language = Literal["id", "en"]
#: The languages of the outputs, the default first.
LANGUAGES: tuple[Language, ...] = ("id", "en")
#: The language of ``aez run``, ``aez crops show`` and every function with a ``lang``.
DEFAULT_LANGUAGE: Language = "id"

REFERENCES = report.REFERENCES

#: Every word by language: ``TEXT[lang][key]``.
TEXT: dict[str, dict[str, str]] = {
    lang: {**report.TEXT[lang], **maps.TEXT[lang], **vocabulary.TEXT[lang], **cli.TEXT[lang]}
    for lang in LANGUAGES
}


def word(key: str, lang: Language, *args: object, **kwargs: object) -> str:
    """Return the catalogue's text for ``key`` in ``lang``, with its placeholders filled."""
    return TEXT[lang][key].format(*args, **kwargs)


def unit_label(units: str, lang: Language) -> str:
    """Return units as printed in ``lang`` (``"mm/yr"`` → ``"mm/tahun"``); others as given."""
    return TEXT[lang].get(f"unit.{units}", units)


def role_name(role: str, lang: Language) -> str:
    """Return the name of what a layer holds (its role) in ``lang``; an unknown role spaced out."""
    return TEXT[lang].get(f"role.{role}", role.replace("_", " "))


def label_name(role: str, label: str, lang: Language) -> str:
    """Return the name of a layer role's class label in ``lang``; unknown ones spaced out."""
    return TEXT[lang].get(f"label.{role}.{label}", label.replace("_", " "))
