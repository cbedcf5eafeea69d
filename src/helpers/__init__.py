"""A kit for notebook collections that turn an article into checked data, charts and maps.

The package holds no story: fact loading and validation (``facts``), house style and evidence-aware drawing
primitives (``style``, ``marks``), provenance of marks and source lines (``provenance``), finishing, the figure
check and export (``finish``, ``figcheck``, ``export``), maps and geometry checks (``geo``), and the build
(``builder``). Each notebook composes
its own figures from these parts.

Names are imported lazily so that ``python -m helpers build`` can decide that nothing changed without paying
for pandas, pandera and matplotlib.
"""

from importlib import import_module

from .paths import data_dir, figures_dir, project_root, reports_dir, seeds_dir

_LAZY = {
    "DataError": "facts",
    "Problem": "facts",
    "load_all": "facts",
    "load_table": "facts",
    "source_kinds": "facts",
    "validate": "facts",
    "stories": "facts.stories",
    "evidence_of": "facts.stories",
}

__all__ = ["data_dir", "figures_dir", "project_root", "reports_dir", "seeds_dir", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
