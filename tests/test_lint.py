"""The code is ruff clean: the kit, the tests and the notebooks' cells (ruff reads notebooks), linted and formatted as
pyproject.toml sets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_kit_the_tests_and_the_notebooks_are_ruff_clean():
    done = _ruff("check", "--no-cache", "--output-format", "concise", "src", "tests", "notebooks")
    assert done.returncode == 0, done.stdout + done.stderr
    done = _ruff("format", "--no-cache", "--check", "src", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_lint_check_finds_a_long_line_in_a_notebook_cell(tmp_path):
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    source = (ROOT / "notebooks" / "03_casualties.ipynb").read_text(encoding="utf-8")
    long_line = "x = 1  # " + "a comment long enough to pass the line limit " * 4
    broken = source.replace('"import pandas as pd\\n",', f'"import pandas as pd\\n",\n    "{long_line}\\n",', 1)
    assert broken != source
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "03_casualties.ipynb").write_text(broken, encoding="utf-8")
    done = _ruff("check", "--no-cache", "--output-format", "concise", "notebooks", cwd=tmp_path)
    assert done.returncode == 1 and "E501" in done.stdout, done.stdout + done.stderr
