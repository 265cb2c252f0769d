"""``aez crops list`` and ``aez crops show ID``: the commodity requirement tables.

``list`` prints one row per available crop (built-in tables and those in
``--crop-dir`` folders, where a table with a built-in id replaces it), in the
order of the product groups and then by id. ``show`` prints one table's bands
grouped by land quality, in Indonesian (the default, as ``aez run``) or English
(``--lang en``), and its sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from aez.cli._app import cli
from aez.crops import NumericRule, Rule
from aez.words import DEFAULT_LANGUAGE, LANGUAGES, Language, label_name, unit_label, word

_CROP_DIR = click.option(
    "--crop-dir", "crop_dirs", multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of user crop tables (same id overrides a built-in one); repeatable.")

@cli.group("crops")
def crops() -> None:
    """List and show the commodity requirement tables."""


@crops.command("list")
@_CROP_DIR
def list_crops(crop_dirs: tuple[Path, ...]) -> None:
    """One row per crop: id, names, group, characteristics, sources, table."""
    from aez.crops import BUILTIN_DIR, crop_ids, load_crop
    from aez.crops.schema import PRODUCT_GROUPS

    loaded = [load_crop(i, crop_dirs=crop_dirs) for i in crop_ids(crop_dirs)]
    loaded.sort(key=lambda c: (PRODUCT_GROUPS.index(c.group), c.id))
    rows = [("id", "name (Indonesian / English)", "group", "characteristics", "sources",
             "table")]
    for crop in loaded:
        builtin = crop.path is not None and crop.path.parent == BUILTIN_DIR
        rows.append((crop.id, f"{crop.name_id} / {crop.name_en}", crop.group,
                     str(len(crop.rules)), ", ".join(s.key for s in crop.sources),
                     "built-in" if builtin else str(crop.path)))
    _echo_table(rows, right={3})
    click.echo(f"\n{len(loaded)} crop tables; `aez crops show ID` prints one.")


@crops.command("show")
@click.argument("crop_id")
@click.option("--lang", type=click.Choice(LANGUAGES), default=DEFAULT_LANGUAGE,
              show_default=True, help="Language of the names and class labels (as `aez run`).")
@_CROP_DIR
def show_crop(crop_id: str, lang: Language, crop_dirs: tuple[Path, ...]) -> None:
    """Print the bands of CROP_ID by land quality, and its sources."""
    from aez.crops import BUILTIN_DIR, CLASS_NAMES, load_crop

    words = {key: word(f"cli.{key}", lang) for key in (
        "quality", "units", "improvement", "source", "sources", "group", "table", "builtin")}
    crop = load_crop(crop_id, crop_dirs=crop_dirs)
    builtin = crop.path is not None and crop.path.parent == BUILTIN_DIR
    click.echo(f"{crop.id}: {crop.name_id} / {crop.name_en} ({crop.scientific_name}), "
               f"{words['group']} {word(f'group.{crop.group}', lang)}")
    click.echo(f"{words['table']}: {words['builtin'] if builtin else crop.path}\n")
    rows = [(words["quality"], words["units"], *CLASS_NAMES, words["improvement"],
             words["source"])]
    for quality in crop.qualities:
        rows.append((f"{quality} {word(f'quality.{quality}', lang)}",))
        for char_id, rule in crop.rules.items():
            if rule.quality != quality:
                continue
            units = unit_label(rule.units, lang)
            bands = [_bands(rule, code, lang) for code in range(1, len(CLASS_NAMES) + 1)]
            rows.append((f"  {word(f'role.{char_id}', lang)}", units or "-",
                         *bands, _improvement(rule, lang), rule.source))
    _echo_table(rows)
    _echo_yield(crop, lang)
    click.echo(f"\n{words['sources']}:")
    for source in crop.sources:
        click.echo(f"  {source.key}: {source.citation}")


def _echo_yield(crop: object, lang: Language) -> None:
    """Print the reference yield, its product and source, and the class fractions with theirs."""
    from aez.crops.yields import DEFAULT_FRACTIONS, FRACTIONS_CITATION

    words = {key: word(f"cli.{key}", lang) for key in (
        "yield", "no_yield", "product", "source", "fractions", "default")}
    spec = getattr(crop, "reference_yield", None)
    click.echo("")
    if spec is None or spec.reference is None:
        click.echo(f"{words['yield']}: {words['no_yield']}")
    else:
        unit = unit_label("t/ha/yr", lang)
        click.echo(f"{words['yield']}: {_number(spec.reference, lang)} {unit}, "
                   f"{words['product']} {spec.product} ({words['source']} {spec.source})")
        if spec.note:
            click.echo(f"  {' '.join(spec.note.split())}")
    fractions = spec.fractions if spec is not None else DEFAULT_FRACTIONS
    text = ", ".join(f"{name} {_number(value, lang)}" for name, value in fractions.items())
    cited = spec.fractions_source if spec is not None and spec.fractions_source else ""
    click.echo(f"{words['fractions']}: {text} ({words['source']} "
               f"{cited or words['default']})")
    if not cited:
        click.echo(f"  {FRACTIONS_CITATION}")


def _number(value: float, lang: Language) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "id" else text


def _bands(rule: Rule, code: int, lang: Language) -> str:
    """Describe the values of ``rule`` rated class ``code`` as readable intervals or labels."""
    if not isinstance(rule, NumericRule):
        labels = [label_name(rule.characteristic, label, lang)
                  for label, c in rule.classes.items() if c == code]
        return ", ".join(labels) or "-"
    last = len(rule.classes) - 1
    parts = []
    for i, c in enumerate(rule.classes):
        if c != code:
            continue
        low = _number(rule.edges[i - 1], lang) if i > 0 else None
        high = _number(rule.edges[i], lang) if i < last else None
        if low is None and high is None:
            parts.append(word("cli.any", lang))
        elif low is None:
            parts.append(f"< {high}")
        elif high is None:
            parts.append(f"> {low}")
        else:
            parts.append(f"{low}–{high}")
    return ("; " if lang == "id" else ", ").join(parts) or "-"


def _improvement(rule: Rule, lang: Language) -> str:
    """Classes gained by improvement, and where it works when not everywhere."""
    if not rule.improvement:
        return "-"
    gain = f"+{rule.improvement}"
    if isinstance(rule, NumericRule):
        return gain if rule.improves == "both" else f"{gain} ({word(f'cli.{rule.improves}', lang)})"
    if set(rule.improves) == set(rule.classes):
        return gain
    return f"{gain}: " + ", ".join(label_name(rule.characteristic, label, lang)
                                  for label in rule.improves)


def _echo_table(rows: Sequence[tuple[str, ...]], *, right: set[int] | None = None) -> None:
    """Print rows as aligned columns; a one-cell row is a section heading."""
    full = [r for r in rows if len(r) > 1]
    widths = [max(len(r[i]) for r in full) for i in range(len(full[0]))]
    for n, row in enumerate(rows):
        if len(row) == 1:
            click.echo(row[0])
            continue
        cells = [v.rjust(w) if right and i in right else v.ljust(w)
                 for i, (v, w) in enumerate(zip(row, widths, strict=True))]
        click.echo("  ".join(cells).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))

