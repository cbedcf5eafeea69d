"""Find the project root and its folders, wherever the caller runs from.

nbclient runs a notebook in its own folder, a test in another: every path is
built from the root, never from the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "HELPERS_PROJECT_ROOT"


def project_root() -> Path:
    """The folder holding ``data/datapackage.json``.

    ``$HELPERS_PROJECT_ROOT`` wins (tests point it at a scratch copy); otherwise
    the folders above this file are searched (the package is installed editable
    from ``src/``), then those above the current directory.
    """
    env = os.environ.get(ROOT_ENV)
    if env:
        root = Path(env).resolve()
        if not (root / "data" / "datapackage.json").is_file():
            raise FileNotFoundError(f"{ROOT_ENV}={env} has no data/datapackage.json")
        return root
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for folder in (start, *start.parents):
            if (folder / "data" / "datapackage.json").is_file():
                return folder
    raise FileNotFoundError("no project root (a folder with data/datapackage.json) above " + str(Path.cwd()))


def data_dir() -> Path:
    return project_root() / "data"


def seeds_dir() -> Path:
    return project_root() / "seeds"


def reports_dir() -> Path:
    return project_root() / "reports"


def figures_dir() -> Path:
    """Where figures are written: reports/figures, or the build's staging folder ($HELPERS_FIGURES_DIR)."""
    staged = os.environ.get("HELPERS_FIGURES_DIR")
    return Path(staged) if staged else reports_dir() / "figures"
