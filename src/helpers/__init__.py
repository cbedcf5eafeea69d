"""Helpers for the notebooks: paths, the seed text, the validated fact tables, charts and maps.

Names are imported lazily so that ``python -m helpers build`` can decide that
nothing changed without paying for pandas, pandera and matplotlib.
"""

from importlib import import_module

from .paths import data_dir, figures_dir, project_root, reports_dir, seeds_dir

_LAZY = {
    "DataError": "tables",
    "Problem": "tables",
    "load_all": "tables",
    "load_table": "tables",
    "validate": "tables",
}

__all__ = ["data_dir", "figures_dir", "project_root", "reports_dir", "seeds_dir", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
