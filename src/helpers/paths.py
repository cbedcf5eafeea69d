"""Find the project root and its folders, wherever the caller runs from.

nbclient runs a notebook in its own folder, a test in another: every path is
built from the root, never from the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

# Every environment variable the package reads, named once.
ROOT_ENV = "HELPERS_PROJECT_ROOT"  # the project root (tests point it at a scratch copy; the build at the project)
FIGURES_ENV = "HELPERS_FIGURES_DIR"  # where export() writes (the build's staging folder)
READ_LOG_ENV = "HELPERS_READ_LOG"  # where a notebook's table reads are logged (set by the build)
VALIDATED_ENV = "HELPERS_VALIDATED"  # the content hash of data/ and seeds/ the build has just validated in full


def env(name: str) -> str | None:
    """The value of one of the variables above, or None when unset or empty."""
    return os.environ.get(name) or None


def project_root() -> Path:
    """The folder holding ``data/datapackage.json``.

    ``$HELPERS_PROJECT_ROOT`` wins (tests point it at a scratch copy); otherwise
    the folders above this file are searched (the package is installed editable
    from ``src/``), then those above the current directory.
    """
    given = env(ROOT_ENV)
    if given:
        root = Path(given).resolve()
        if not (root / "data" / "datapackage.json").is_file():
            raise FileNotFoundError(f"{ROOT_ENV}={given} has no data/datapackage.json")
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


def reports_dir(root: Path | None = None) -> Path:
    """What the build publishes: ``reports/`` of the project (``root``, or the one this process works in)."""
    return (root or project_root()) / "reports"


def published_figures(root: Path | None = None) -> Path:
    """The published figures, ``reports/figures`` (not the build's staging folder: see ``figures_dir``)."""
    return reports_dir(root) / "figures"


def published_notebooks(root: Path | None = None) -> Path:
    """The executed notebooks and their HTML pages, ``reports/notebooks``."""
    return reports_dir(root) / "notebooks"


def figures_dir() -> Path:
    """Where figures are written: reports/figures, or the build's staging folder ($HELPERS_FIGURES_DIR)."""
    staged = env(FIGURES_ENV)
    return Path(staged) if staged else published_figures()
