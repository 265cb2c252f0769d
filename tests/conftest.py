"""Shared fixtures: the tiny synthetic region, copies of it to break, and a CLI runner.

A few tests need something outside the repository: ``gdaldem`` (Debian gdal-bin),
``exactextract``, headless Chromium, root (a tmpfs mount) or the large references in
``$AEZ_SHARED_DATA``. Without it they skip, and ``-ra`` lists each skip with its reason.
With ``AEZ_REQUIRE_ORACLES=1`` (set by ``.ci/run``) every skip is a failure instead, so
nothing is left untested in CI without anyone noticing.

The tiny region (:func:`aez.testing.write_tiny_region`) is written once per session at
20 m, which gives a 1200 × 1500 analysis grid over 30 × 24 km in EPSG:32750. Tests
that only read it share it; tests that change files get their own copy
(:func:`region_copy`), so the shared folder never changes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from aez.testing import write_tiny_region

#: Analysis resolution of the shared tiny region (m): a 1200 × 1500 grid.
TINY_RESOLUTION = 20

#: Set to 1 to turn every skip into a failure (CI: every oracle must be present).
REQUIRE_ORACLES = "AEZ_REQUIRE_ORACLES"


def _required(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Under ``AEZ_REQUIRE_ORACLES=1``, make a skipped ``report`` a failure naming the reason."""
    if os.environ.get(REQUIRE_ORACLES) != "1" or not report.skipped \
            or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (f"{reason}\n{REQUIRE_ORACLES}=1 turns this skip into a failure: "
                       "install what it names, or unset the variable outside CI.")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    _required(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    outcome = yield
    _required(outcome.get_result())


def folder_state(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) → sha256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    """Temporary files an aez writer would leave behind after a failure."""
    return sorted(
        p.name for p in folder.rglob("*") if ".partial-" in p.name or ".scratch-" in p.name
    )


@pytest.fixture(scope="session")
def tiny_region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Config path of the shared tiny region (read-only: copy it before changing anything)."""
    folder = tmp_path_factory.mktemp("tiny-region")
    return write_tiny_region(folder, resolution=TINY_RESOLUTION)


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Config path of a small demo region, seed 42 (read-only: copy it to change anything)."""
    from aez.demo import write_demo_region

    return write_demo_region(tmp_path_factory.mktemp("small-demo"), size="small")


@pytest.fixture(scope="session")
def pdrb():
    """BPS PDRB of every kab/kota (the real table, ``layers/economy/``)."""
    from aez.io.bps import read_pdrb
    from aez.testing import real_layer

    return read_pdrb(real_layer("economy/pdrb_adhk2010_kabkota_17sektor_2013_2020_long.csv.gz"))


@pytest.fixture(scope="session")
def tiny_stack(tiny_region: Path):
    """The tiny region's layer stack, opened once for the session."""
    from aez.config import load_config
    from aez.harmonize import LayerStack

    return LayerStack.from_config(load_config(tiny_region))


@pytest.fixture
def region_copy(tiny_region: Path, tmp_path: Path) -> Callable[..., Path]:
    """Copy the tiny region into a fresh folder; return the copy's config path.

    ``region_copy(edit=fn)`` also rewrites the config text with ``fn(text) -> text``.
    """

    def make(*, edit: Callable[[str], str] | None = None, name: str = "region") -> Path:
        target = tmp_path / name
        shutil.copytree(tiny_region.parent, target)
        config = target / tiny_region.name
        if edit is not None:
            text = config.read_text(encoding="utf-8")
            changed = edit(text)
            assert changed != text, "the edit did not change the config"
            config.write_text(changed, encoding="utf-8")
        return config

    return make


@pytest.fixture
def snapshot() -> Callable[[Path], dict[str, str]]:
    """:func:`folder_state`, as a fixture."""
    return folder_state


@pytest.fixture
def temp_leftovers() -> Callable[[Path], list[str]]:
    """:func:`leftovers`, as a fixture."""
    return leftovers


@pytest.fixture
def run_cli() -> Iterator[Callable[..., Result]]:
    """Invoke the ``aez`` CLI in-process; undo its logging set-up afterwards.

    The CLI installs handlers on the ``aez`` and ``py.warnings`` loggers that write to
    the runner's (then closed) stderr, and captures warnings into logging; both are
    reset so later tests see the usual warnings machinery.
    """
    from aez.cli import cli

    runner = CliRunner()
    saved = {
        name: (logging.getLogger(name).handlers[:], logging.getLogger(name).level,
               logging.getLogger(name).propagate)
        for name in ("aez", "py.warnings")
    }

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, [str(a) for a in args], obj={}, catch_exceptions=False)

    yield invoke
    logging.captureWarnings(False)
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate
