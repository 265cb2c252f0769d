"""The README's two set-up commands stay true, and CI runs the same test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", readme, flags=re.S)
    assert first_block, "the README must open with a bash block of set-up commands"
    assert readme.index(first_block.group(0)) < readme.index("\n## "), "commands come first"
    return [line for line in first_block.group(1).splitlines() if line.strip()]


def test_readme_starts_with_exactly_two_commands():
    install, tests = setup_commands()
    assert "pip install" in install and "aez " in install
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command_and_main_job():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    install, tests = setup_commands()
    assert tests in ci, f"CI must run the README's test command {tests!r}"
    text = "\n".join(ci)
    # The same install, and every step of the main job (CI writes into a temporary folder).
    assert '-e ".[dev,dask]"' in install and '-e ".[dev,dask]"' in text
    for step in install.split(" && ")[2:]:
        command = " ".join(step.split()[:2])  # program and script/subcommand
        assert command in text, f"CI does not run the README step {step!r}"


def test_readme_python_example_runs(small_demo, tmp_path, monkeypatch):
    """The API tour runs on the small demo (five of its crops, ten draws, to stay quick)."""
    import shutil

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme, flags=re.S).group(1)
    region = tmp_path / "demo-small"
    shutil.copytree(small_demo.parent, region)
    config = region / "config.toml"
    text = config.read_text(encoding="utf-8")
    crops = '["padi_sawah", "jagung", "pisang", "kelapa_sawit", "kopi_robusta"]'
    text = re.sub(r"crops = \[[^\]]*\]", f"crops = {crops}", text)
    config.write_text(re.sub(r"draws = \d+", "draws = 10", text), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert (region / "aez-out" / "report.html").is_file()
    assert (region / "out" / "jagung_class.tif").is_file()


def test_readme_config_blocks_load():
    """Every TOML block of the README is a valid run config (completed with a grid and a layer)."""
    from aez.config import loads_config

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, flags=re.S)
    assert len(blocks) >= 2
    minimal = ('[grid]\ncrs = "EPSG:32750"\nresolution = 50\n'
               'bounds = [500000, 9000000, 510000, 9010000]\n')
    layer = '\n[layers.dem]\npath = "dem.tif"\nunits = "m"\n'
    for block in blocks:
        text = block if "[grid]" in block else minimal + block
        config = loads_config(text if "[layers." in text else text + layer, base="/data")
        assert config.layers
    decision = loads_config(minimal + blocks[-1] + layer, base="/data")
    assert decision.assign.max_share == 0.25
    assert decision.assign.forbidden == {"63.90.02": ("kelapa_sawit",)}
    assert sum(decision.score.weights.values()) == 1.0
