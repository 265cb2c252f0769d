"""Printing a written report to PDF with headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from aez.errors import DataSourceError
from aez.io.atomic import check_output_path, partial_name

__all__ = ["report_pdf"]


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

    Returns
    -------
    Path
        ``pdf_path``.

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
