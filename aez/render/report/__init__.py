"""The self-contained HTML report of a run, in Indonesian or English.

:func:`write_report` writes one HTML file a planner can attach to a planning
document (RPJMD, an RTRW annex, a cooperative's development plan). It has no
external assets at all: the CSS is inline, the figures are PNG ``data:``
URIs, there is no script and no web font, so it opens offline and prints
cleanly (each section starts a new page). Its five sections are the study
area and inputs, the method, the product per kecamatan (with alternatives,
binding constraints, robustness and candidate cooperatives), a suitability
summary per commodity, and the limitations with the run's provenance.

Every word comes from :data:`aez.render.report.words.TEXT` in the chosen
language; numbers follow it too (Indonesian ``1.234,5``, English
``1,234.5``). The same :class:`ReportContext` always gives the same bytes:
nothing in the report depends on the clock except ``context.date``.

:func:`report_pdf` prints a report to PDF with headless Chromium, when it is
installed.

The modules; each imports only modules listed above it:

- :mod:`~aez.render.report.words`: every word of the report, per language;
- :mod:`~aez.render.report.context`: :class:`ReportContext`, what a report shows;
- :mod:`~aez.render.report.view`: the context as the template's data, in one language;
- :mod:`~aez.render.report.html`: the template rendered and written as one HTML file;
- :mod:`~aez.render.report.pdf`: a written report printed to PDF.
"""

from aez.render.report.context import FIGURE_KEYS, ReportContext, input_layers
from aez.render.report.html import render_report, write_report
from aez.render.report.pdf import report_pdf
from aez.render.report.view import THUMBNAIL_WIDTH

__all__ = ["FIGURE_KEYS", "THUMBNAIL_WIDTH", "ReportContext", "input_layers", "render_report",
           "report_pdf", "write_report"]
