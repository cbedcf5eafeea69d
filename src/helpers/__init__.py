"""Helpers for the notebooks: paths, the seed text, the validated fact tables."""

from .paths import data_dir, figures_dir, project_root, reports_dir, seeds_dir
from .tables import DataError, Problem, load_all, load_table, validate

__all__ = [
    "DataError", "Problem", "data_dir", "figures_dir", "load_all", "load_table",
    "project_root", "reports_dir", "seeds_dir", "validate",
]
