"""The real inputs under ``layers/``: documented, small, rebuilt from their sources, required.

Every data file under ``layers/`` is named in ``layers/PROVENANCE.md`` and the whole stays
small. Where the full reference folder (``$AEZ_SHARED_DATA``) is present, ``layers/build.py``
run on it gives the committed bytes: that test is the only one here that needs the large
references, so it skips without them and fails in CI (``AEZ_REQUIRE_ORACLES=1``), as the
conftest hook checked below makes every skip do.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aez.errors import DataSourceError
from aez.testing import LAYERS, SHARED_DATA, real_layer

ROOT = Path(__file__).resolve().parents[1]
#: Files of layers/ that are not data (besides the scripts that build it).
NOT_DATA = {"README.md", "PROVENANCE.md", "characteristics.md", "demo.toml"}


def data_files() -> list[Path]:
    return sorted(p for p in LAYERS.rglob("*") if p.is_file() and p.name not in NOT_DATA
                  and p.suffix != ".py" and "__pycache__" not in p.parts
                  and not p.name.startswith("."))


def test_every_data_file_is_documented_and_the_whole_is_small():
    provenance = (LAYERS / "PROVENANCE.md").read_text(encoding="utf-8")
    files = data_files()
    assert len(files) >= 15
    for path in files:
        relative = path.relative_to(LAYERS).as_posix()
        named = relative in provenance or (path.parent.relative_to(LAYERS).as_posix() + "/"
                                           in provenance)
        assert named, f"{relative} is not described in layers/PROVENANCE.md"
    total = sum(p.stat().st_size for p in files)
    assert total < 3_000_000, f"layers/ holds {total:,} bytes of data"


def test_real_layer_finds_files_and_names_a_missing_one(tmp_path):
    path = real_layer("boundaries/kec_sikka_bps5310_kemendagri5307.geojson")
    assert path == LAYERS / "boundaries" / "kec_sikka_bps5310_kemendagri5307.geojson"
    with pytest.raises(DataSourceError, match=r"'boundaries/none\.geojson' is not in .*build\.py"):
        real_layer("boundaries/none.geojson")
    with pytest.raises(DataSourceError, match=str(tmp_path)):
        real_layer("boundaries/kec_kutai_timur_6408.geojson", folder=tmp_path)


def _build_module():
    spec = importlib.util.spec_from_file_location("layers_build", LAYERS / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_reproduces_the_committed_extracts(tmp_path):
    if not (SHARED_DATA / "README.md").is_file():
        pytest.skip(f"large reference folder not found at {SHARED_DATA} (set AEZ_SHARED_DATA)")
    written = _build_module().build(SHARED_DATA, tmp_path)
    assert len(written) == len(set(written)) >= 15
    for path in written:
        relative = path.relative_to(tmp_path)
        assert path.read_bytes() == (LAYERS / relative).read_bytes(), relative
    assert {p.relative_to(tmp_path) for p in written} == {
        p.relative_to(LAYERS) for p in data_files() if not p.is_relative_to(LAYERS / "indonesia")}


SKIPPING = '''
import pytest

def test_needs_an_oracle():
    pytest.skip("oracle X missing")

def test_passes():
    pass
'''


@pytest.mark.parametrize("required", [False, True])
def test_a_skip_fails_when_oracles_are_required(tmp_path, required):
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_oracle.py").write_text(SKIPPING, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "AEZ_REQUIRE_ORACLES"}
    if required:
        env["AEZ_REQUIRE_ORACLES"] = "1"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
                           "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, check=False,
                          timeout=300)
    if required:
        assert proc.returncode == 1, proc.stdout
        assert "1 failed, 1 passed" in proc.stdout
        assert "oracle X missing" in proc.stdout and "AEZ_REQUIRE_ORACLES=1" in proc.stdout
    else:
        assert proc.returncode == 0, proc.stdout
        assert "1 passed, 1 skipped" in proc.stdout and "oracle X missing" in proc.stdout
