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


def test_readme_python_example_runs(tmp_path, monkeypatch):
    from aez.testing import write_tiny_region

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme, flags=re.S).group(1)
    write_tiny_region(tmp_path / "tiny-region")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "dem_on_grid.tif").is_file()
