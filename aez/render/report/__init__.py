"""The self-contained HTML report of a run, in Indonesian or English.

:func:`write_report` writes one HTML file a planner can attach to a planning
document (RPJMD, an RTRW annex, a cooperative's development plan). It has no
external assets at all: the CSS and a small script are inline, the figures
are PNG ``data:`` URIs sized for the screen (each links to its full file in
``maps/``), there is no web font, so it opens offline, makes no request and
prints cleanly on A4 (each section starts a new page). Its five sections are
the study area and inputs, the method, the product per kecamatan (an
interactive map: clicking a kecamatan, or Enter on it, opens its panel with
the product, score components, alternatives, binding constraints, robustness
and suitable land; then the table and candidate cooperatives), a suitability
summary per commodity (one large map at a time, picked from a list), and the
limitations with the run's provenance. In print, the static maps replace the
interactive parts.

Every word comes from :data:`aez.words.TEXT` in the chosen
language; numbers follow it too (Indonesian ``1.234,5``, English
``1,234.5``). The same :class:`ReportContext` always gives the same bytes:
nothing in the report depends on the clock except ``context.date``.

:func:`report_pdf` prints a report to PDF with headless Chromium, when it is
installed.

The modules; each imports only modules listed above it:

- :mod:`~aez.render.report.context`: :class:`ReportContext`, what a report shows;
- :mod:`~aez.render.report.svgmap`: kecamatan polygons as compact SVG paths;
- :mod:`~aez.render.report.interactive`: the interactive map's shapes, fills and legend;
- :mod:`~aez.render.report.figures`: PNG figures sized for the screen and linked;
- :mod:`~aez.render.report.view`: the context as the template's data, in one language;
- :mod:`~aez.render.report.html`: the template rendered and written as one HTML file;
- :mod:`~aez.render.report.pdf`: a written report printed to PDF.
"""

from aez.render.report.context import FIGURE_KEYS, ReportContext, input_layers
from aez.render.report.figures import SCREEN_WIDTH
from aez.render.report.html import render_report, write_report
from aez.render.report.pdf import report_pdf

__all__ = ["FIGURE_KEYS", "SCREEN_WIDTH", "ReportContext", "input_layers", "render_report",
           "report_pdf", "write_report"]
