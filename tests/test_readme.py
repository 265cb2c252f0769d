"""The README's commands and code run as written, and CI runs the same two set-up commands.

Every ``bash`` block, every ``python`` block, every ``toml`` block and every command of the
command-line table is checked here. Three substitutions keep the runs short, each stated
where it is made:

* ``aez demo`` writes the small demo (``--size small``, 20 × 15 km) and its config evaluates
  five commodities with ten robustness draws: the same stages and outputs as the full job;
* the install steps (``python3 -m venv``, ``pip install``) and the test command itself are
  not run here (CI runs them, literally: see the first tests); the ``aez`` steps run with
  the ``aez`` of the environment running the tests;
* ``province/config.toml`` of the dask block is a fresh copy of the small demo, and the
  cluster address ``tcp://…`` is that of a ``distributed.LocalCluster`` started here.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The commodities and draws of the fast variant (see the module docstring).
FAST_CROPS = '["padi_sawah", "jagung", "pisang", "kelapa_sawit", "kopi_robusta"]'


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def setup_commands() -> list[str]:
    first_block = re.search(r"```bash\n(.*?)```", README, flags=re.S)
    assert first_block, "the README must open with a bash block of set-up commands"
    assert README.index(first_block.group(0)) < README.index("\n## "), "commands come first"
    return [line for line in first_block.group(1).splitlines() if line.strip()]


def steps(line: str) -> list[str]:
    """The commands of one line of a bash block (comment dropped, split at ``&&``)."""
    return [s.strip() for s in line.split("#", 1)[0].split("&&") if s.strip()]


def test_readme_starts_with_exactly_two_commands():
    install, tests = setup_commands()
    # 1: a fresh environment with only what running needs, then the demo and the main job.
    assert steps(install) == ["python3 -m venv .venv", ".venv/bin/pip install -e .",
                              ".venv/bin/aez demo demo-region",
                              ".venv/bin/aez run demo-region/config.toml"]
    # 2: the dev extra (and dask, whose executor the tests exercise), then the tests.
    assert steps(tests) == ['.venv/bin/pip install -e ".[dev,dask]"',
                            ".venv/bin/python -m pytest"]


def test_readme_states_measured_times_on_this_machine():
    intro = README[:README.index("\n## ")]
    assert "measured" in intro and "2 cores" in intro
    assert re.search(r"\d+ min", intro), "the set-up commands say how long they take"


def test_runtime_dependencies_exclude_the_extras():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = " ".join(project["dependencies"]).lower()
    for extra in ("dask", "distributed", "xarray", "pytest"):
        assert extra not in runtime, f"{extra} is an extra, not a runtime dependency"


def test_ci_runs_both_readme_commands_as_written():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install, tests = setup_commands()
    assert tests in ci.splitlines(), f"CI must run the README's test command {tests!r}"
    # The first command runs in a throw-away folder, so it installs the checkout by path.
    assert install.replace("pip install -e .", 'pip install -e "$repo"') in ci
    assert "export AEZ_REQUIRE_ORACLES=1" in ci
    assert "gdal-bin chromium" in ci


def test_command_table_options_exist():
    """Each command of the README's table has the subcommand and options it shows."""
    from click.testing import CliRunner

    from aez.cli import cli

    section = README.split("\n## Command line\n", 1)[1].split("\n## ", 1)[0]
    commands = [c for row in section.splitlines() if row.startswith("| `aez ")
                for c in re.findall(r"`(aez [^`]+)`", row.split(" | ")[0])]
    assert len(commands) >= 10
    runner = CliRunner()
    for command in commands:
        words = command.replace("\\|", "|").split()[1:]
        path = []
        for word in words:
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            path.append(word)
        result = runner.invoke(cli, [*path, "--help"], obj={})
        assert result.exit_code == 0, f"{command}: {result.output}"
        for option in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", command):
            assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", result.output), \
                f"README shows {command!r} but `aez {' '.join(path)}` has no {option}"


def _fast(config: Path) -> None:
    """The fast variant: five commodities, ten robustness draws (module docstring)."""
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"crops = \[[^\]]*\]", f"crops = {FAST_CROPS}", text)
    config.write_text(re.sub(r"draws = \d+", "draws = 10", text), encoding="utf-8")


def _aez(step: str, cwd: Path, *, replace: dict[str, str] | None = None) -> str:
    """Run one ``aez`` step of the README with the environment's ``aez``; fail on error."""
    args = shlex.split(step)
    assert Path(args[0]).name == "aez", step
    for old, new in (replace or {}).items():
        args = [a.replace(old, new) for a in args]
    exe = Path(sys.executable).with_name("aez")
    proc = subprocess.run([str(exe), *args[1:]], cwd=cwd, capture_output=True, text=True,
                          timeout=1800, check=False)
    assert proc.returncode == 0, f"README command {step!r} failed:\n{proc.stdout[-2000:]}\n" \
                                 f"{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.mark.slow
def test_readme_bash_blocks_run(tmp_path):
    import rasterio

    not_run = {"python3 -m venv .venv", ".venv/bin/pip install -e .",
               '.venv/bin/pip install -e ".[dev,dask]"', ".venv/bin/python -m pytest"}
    shown = [s for block in blocks("bash") for line in block.splitlines() for s in steps(line)]
    assert all(s in not_run or shlex.split(s)[0].endswith("aez") for s in shown), shown

    # The set-up block: the demo (small, see the docstring), then the main job.
    install, _ = setup_commands()
    region = tmp_path / "demo-region"
    for step in steps(install):
        if step in not_run:
            continue
        if " demo " in f" {step} ":
            _aez(f"{step} --size small", tmp_path)
            _fast(region / "config.toml")
        else:
            _aez(step, tmp_path)
    out = region / "aez-out"
    assert (out / "report.html").is_file() and (out / "districts.gpkg").is_file()
    # The provenance the README promises: tags in every raster, the config hash in the manifest.
    from aez.config import load_config

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config_hash"] == load_config(region / "config.toml").hash
    rasters = sorted((out / "rasters").glob("*.tif"))
    assert len(rasters) >= 5 * 4  # class, subclass, potential, index (and scenario changes)
    for raster in rasters:
        with rasterio.open(raster) as src:
            tags = src.tags()
        assert {"AEZ_VERSION", "AEZ_LAYER", "AEZ_KIND", "AEZ_CROP"} <= set(tags), raster.name
        if tags["AEZ_KIND"] == "continuous":  # class codes have no units
            assert tags["AEZ_UNITS"], raster.name

    # The commands of the tour, on the same region.
    tour = README.split("\n## A five-minute tour\n", 1)[1].split("\n## ", 1)[0]
    for step in sorted(set(re.findall(r"`(aez (?:validate|info) demo-region/config\.toml)`",
                                      tour))):
        _aez(step, tmp_path)

    # The other bash blocks (the dask executor): a fresh copy of the demo each, a local cluster.
    others = [s for block in blocks("bash")[1:] for line in block.splitlines()
              for s in steps(line)]
    assert others, "the README shows the dask commands"
    from distributed import LocalCluster

    shutil.rmtree(out)
    with LocalCluster(n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:
        for i, step in enumerate(others):
            folder = tmp_path / f"run-{i}"
            shutil.copytree(region, folder / "province")
            replace = {}
            address = re.search(r"tcp://\S+", step)
            if address:
                replace[address.group(0)] = cluster.scheduler_address
            _aez(step, folder, replace=replace)
            assert (folder / "province" / "aez-out" / "report.html").is_file(), step


def test_readme_python_blocks_run(small_demo, tmp_path, monkeypatch):
    """The API tour runs on the small demo (five of its crops, ten draws, to stay quick)."""
    code_blocks = blocks("python")
    assert code_blocks
    region = tmp_path / "demo-small"
    shutil.copytree(small_demo.parent, region)
    _fast(region / "config.toml")
    monkeypatch.chdir(tmp_path)
    for code in code_blocks:
        exec(compile(code, "README.md", "exec"), {})
    assert (region / "aez-out" / "report.html").is_file()
    assert (region / "out" / "jagung_class.tif").is_file()


def test_readme_config_blocks_load():
    """Every TOML block of the README is a valid run config (completed with a grid and a layer)."""
    from aez.config import loads_config

    toml_blocks = blocks("toml")
    assert len(toml_blocks) >= 2
    minimal = ('[grid]\ncrs = "EPSG:32750"\nresolution = 50\n'
               'bounds = [500000, 9000000, 510000, 9010000]\n')
    layer = '\n[layers.dem]\npath = "dem.tif"\nunits = "m"\n'
    for block in toml_blocks:
        text = block if "[grid]" in block else minimal + block
        config = loads_config(text if "[layers." in text else text + layer, base="/data")
        assert config.layers
    decision = loads_config(minimal + toml_blocks[-1] + layer, base="/data")
    assert decision.assign.max_share == 0.25
    assert decision.assign.forbidden == {"63.90.02": ("kelapa_sawit",)}
    assert sum(decision.score.weights.values()) == 1.0
