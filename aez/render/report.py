"""The self-contained HTML report of a run, in Indonesian or English.

:func:`write_report` writes one HTML file a planner can attach to a planning
document (RPJMD, an RTRW annex, a cooperative's development plan). It has no
external assets at all: the CSS is inline, the figures are PNG ``data:``
URIs, there is no script and no web font, so it opens offline and prints
cleanly (each section starts a new page). Its five sections are the study
area and inputs, the method, the product per kecamatan (with alternatives,
binding constraints, robustness and candidate cooperatives), a suitability
summary per commodity, and the limitations with the run's provenance.

Every word comes from :data:`aez.render.report_text.TEXT` in the chosen
language; numbers follow it too (Indonesian ``1.234,5``, English
``1,234.5``). The same :class:`ReportContext` always gives the same bytes:
nothing in the report depends on the clock except ``context.date``.

:func:`report_pdf` prints a report to PDF with headless Chromium, when it is
installed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import pandas as pd

from aez.config import RunConfig
from aez.crops.schema import CropRequirements
from aez.derive.methods import METHODS
from aez.errors import ConfigError, DataSourceError
from aez.grid import Grid
from aez.harmonize.spec import DerivedSpec
from aez.io import atomic_output, check_output_path
from aez.io._paths import partial_name
from aez.render._report_view import THUMBNAIL_WIDTH, build_view
from aez.render.palette import Language
from aez.render.report_text import TEXT

if TYPE_CHECKING:  # the pipeline imports this module, never the other way round
    from aez.pipeline.decide import Decision

__all__ = ["FIGURE_KEYS", "THUMBNAIL_WIDTH", "ReportContext", "input_layers", "render_report",
           "report_pdf", "write_report"]

#: Figure keys a context may give (``<crop>`` is a crop id of the context).
FIGURE_KEYS: tuple[str, ...] = ("overview", "products", "robustness", "suitability/<crop>",
                                "limits/<crop>")
_TABLE_KEYS = ("production", "households", "sentra", "cooperatives", "crosswalk")


@dataclass(frozen=True, eq=False)
class ReportContext:
    """Everything the report shows (see :func:`write_report`).

    Attributes
    ----------
    region : str
        Name of the study region (kabupaten, province …), shown in the header.
    date : datetime.date or str
        Date of the run (ISO ``YYYY-MM-DD`` when text); the only date shown.
    aez_version : str
        ``aez.__version__`` of the run.
    grid : Grid
        The analysis grid.
    config : RunConfig
        The run's config: its ``[evaluate]``, ``[constraints]``, ``[score]``,
        ``[assign]`` and ``[robustness]`` sections are described.
    decision : Decision
        The decision stage's result (:func:`aez.pipeline.decide`).
    crops : sequence of CropRequirements
        The evaluated crop tables (names, groups, sources); every commodity of
        the decision must be among them.
    config_hash : str, optional
        Default: ``config.hash``.
    inputs : DataFrame, optional
        One row per input layer with columns ``name, file, kind, units, role``
        and optionally ``derived`` (bool). Default: :func:`input_layers`.
    tables_used : mapping of str to path, optional
        Table role (``production``, ``households``, ``sentra``,
        ``cooperatives``, ``crosswalk`` or another name) → file. Default: the
        ``[tables]`` files of the config, relative to its folder.
    figures : mapping of str to Path
        PNG figures by key (:data:`FIGURE_KEYS`); missing keys are left out.
    timings : mapping of str to float
        Seconds per stage, in the order to show.
    synthetic : bool
        The data are synthetic (``aez demo``): the report says so up front.
    """

    region: str
    date: dt.date | str
    aez_version: str
    grid: Grid
    config: RunConfig
    decision: Decision
    crops: Sequence[CropRequirements]
    config_hash: str | None = None
    inputs: pd.DataFrame | None = None
    tables_used: Mapping[str, str | Path] | None = None
    figures: Mapping[str, Path] = field(default_factory=dict)
    timings: Mapping[str, float] = field(default_factory=dict)
    synthetic: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.date, str):
            try:
                object.__setattr__(self, "date", dt.date.fromisoformat(self.date))
            except ValueError:
                raise ConfigError(f"Report date {self.date!r} is not an ISO date; give "
                                  "YYYY-MM-DD or a datetime.date.") from None
        ids = [c.id for c in self.crops]
        missing = sorted(set(self.decision.summary["commodity"]) - set(ids))
        if missing:
            raise ConfigError(f"The decision rates commodities {missing} that are not among the "
                              f"report's crops {ids}; pass every evaluated crop table.")
        allowed = {"overview", "products", "robustness"} | {
            f"{kind}/{c}" for kind in ("suitability", "limits") for c in ids}
        unknown = sorted(set(self.figures) - allowed)
        if unknown:
            raise ConfigError(f"Unknown report figures {unknown}; expected keys of the form "
                              f"{', '.join(FIGURE_KEYS)} with <crop> one of {ids}.")
        if self.inputs is not None:
            need = {"name", "file", "kind", "units", "role"} - set(self.inputs.columns)
            if need:
                raise ConfigError(f"The report's inputs table lacks columns {sorted(need)}; it "
                                  "needs name, file, kind, units and role (see input_layers).")


def input_layers(config: RunConfig) -> pd.DataFrame:
    """The config's layers as a table: ``name, file, kind, units, role, derived``.

    Files are relative to the config's folder; a derived layer's ``file`` is
    its method and inputs, e.g. ``slope(dem)``.
    """
    base = config.source.parent.resolve() if config.source is not None else None
    rows = []
    for name, spec in config.layers.items():
        if isinstance(spec, DerivedSpec):
            method = METHODS[spec.method]
            rows.append({"name": name, "file": f"{spec.method}({', '.join(spec.inputs.values())})",
                         "kind": method.kind, "units": method.units(spec.options),
                         "role": spec.role or name, "derived": True})
        else:
            rows.append({"name": name, "file": _relative(spec.path, base), "kind": spec.kind,
                         "units": spec.units, "role": spec.role or name, "derived": False})
    return pd.DataFrame(rows, columns=["name", "file", "kind", "units", "role", "derived"])


def render_report(context: ReportContext, *, lang: Language = "id") -> str:
    """The report as an HTML string (what :func:`write_report` writes)."""
    if lang not in TEXT:
        raise ConfigError(f"Report language {lang!r} is not available; use one of {sorted(TEXT)}.")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    inputs = context.inputs if context.inputs is not None else input_layers(context.config)
    tables = (context.tables_used if context.tables_used is not None
              else _config_tables(context.config))
    view = build_view(context, lang, inputs=inputs, tables=tables)
    return env.get_template("report.html.j2").render(**view)


def write_report(path: str | Path, context: ReportContext, *, lang: Language = "id",
                 overwrite: bool = False) -> Path:
    """Write the self-contained HTML report of a run.

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
    html = render_report(context, lang=lang)
    path = Path(path)
    with atomic_output(path, overwrite=overwrite) as tmp:
        tmp.write_bytes(html.encode("utf-8"))
    return path


def report_pdf(html_path: str | Path, pdf_path: str | Path, *, overwrite: bool = False,
               chromium: str | Path | None = None, timeout: float = 120.0) -> Path:
    """Print a report to PDF (A4, the report's print styles) with headless Chromium.

    Parameters
    ----------
    html_path : path
        The report written by :func:`write_report`.
    pdf_path : path
        The PDF to write, under a temporary name renamed when complete.
    overwrite : bool
        Replace an existing PDF.
    chromium : path, optional
        The browser executable (default: ``chromium`` or ``chromium-browser``
        on the PATH).
    timeout : float
        Seconds to wait for the browser.

    Raises
    ------
    DataSourceError
        If no Chromium is found, or it fails or writes no PDF.
    """
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise DataSourceError(f"Report {html_path} does not exist; write it first.")
    browser = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise DataSourceError("Printing the report to PDF needs Chromium, which is not on the "
                              "PATH. Install it (Debian: apt-get install chromium) or pass "
                              "chromium=.")
    pdf_path = check_output_path(pdf_path, overwrite=overwrite)
    tmp = partial_name(pdf_path).resolve()
    profile = partial_name(pdf_path.with_suffix(".profile")).resolve()
    args = [str(browser), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-dev-shm-usage",
            f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={tmp}",
            html_path.as_uri()]
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
        if done.returncode != 0 or not tmp.is_file() or tmp.read_bytes()[:5] != b"%PDF-":
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise DataSourceError(f"Chromium ({browser}) did not print {html_path} to PDF "
                                  f"(exit code {done.returncode}): {' / '.join(tail)}")
        tmp.replace(pdf_path)
    except subprocess.TimeoutExpired:
        raise DataSourceError(f"Chromium took more than {timeout:g} s to print {html_path}; "
                              "raise timeout=.") from None
    finally:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(profile, ignore_errors=True)
    return pdf_path


def _relative(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return path.resolve().relative_to(base).as_posix()
        except ValueError:
            pass
    return path.name


def _config_tables(config: RunConfig) -> dict[str, str]:
    base = config.source.parent.resolve() if config.source is not None else None
    return {k: _relative(getattr(config.tables, k), base) for k in _TABLE_KEYS
            if getattr(config.tables, k) is not None}
