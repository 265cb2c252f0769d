"""Writing the report: its view rendered through the Jinja2 template into one HTML file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aez.errors import ConfigError
from aez.io.atomic import atomic_output
from aez.render.report.context import ReportContext, config_tables, input_layers
from aez.render.report.view import build_view
from aez.words import TEXT, Language

__all__ = ["TEMPLATES", "render_report", "write_report"]

#: Folder of the report's Jinja2 template (``aez/render/templates``, package data).
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def render_report(context: ReportContext, *, lang: Language = "id",
                  base: str | Path | None = None,
                  on_figure: Callable[[int], None] | None = None) -> str:
    """Render the report as an HTML string (what :func:`write_report` writes).

    Parameters
    ----------
    context : ReportContext
        What to report.
    lang : {"id", "en"}
        Language of every heading, label and sentence (and of the numbers).
    base : path, optional
        Folder the report will be in: each figure then links to its
        full-resolution file by a relative path. None: no links.
    on_figure : callable, optional
        ``on_figure(n)`` after the n-th figure is embedded (progress bars).

    Returns
    -------
    str
        The whole HTML document.

    Raises
    ------
    ConfigError
        For an unknown language.
    DataSourceError
        If a figure file is missing or not a PNG.
    """
    if lang not in TEXT:
        raise ConfigError(f"Report language {lang!r} is not available; use one of {sorted(TEXT)}.")
    import jinja2  # loaded when a report is first rendered

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    inputs = context.inputs if context.inputs is not None else input_layers(context.config)
    tables = (context.tables_used if context.tables_used is not None
              else config_tables(context.config))
    view = build_view(context, lang, inputs=inputs, tables=tables,
                      base=Path(base) if base is not None else None, on_figure=on_figure)
    return env.get_template("report.html.j2").render(**view)


def write_report(path: str | Path, context: ReportContext, *, lang: Language = "id",
                 overwrite: bool = False, on_figure: Callable[[int], None] | None = None) -> Path:
    """Write the self-contained HTML report of a run.

    Every figure is embedded, sized for the screen, and links to its
    full-resolution file relative to ``path`` (``maps/…`` in a run's folder).

    Parameters
    ----------
    path : path
        The HTML file to write (UTF-8), under a temporary name renamed when
        complete.
    context : ReportContext
        What to report.
    lang : {"id", "en"}
        Language of every heading, label and sentence (and of the numbers).
    overwrite : bool
        Replace an existing file.
    on_figure : callable, optional
        As in :func:`render_report`.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is False.
    ConfigError
        For an unknown language.
    DataSourceError
        If a figure file is missing or not a PNG.
    """
    path = Path(path)
    html = render_report(context, lang=lang, base=path.parent, on_figure=on_figure)
    with atomic_output(path, overwrite=overwrite) as tmp:
        tmp.write_bytes(html.encode("utf-8"))
    return path
