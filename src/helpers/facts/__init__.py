"""The fact tables: reading, schema and rules, validation, typed loading, the texts quotes are checked against, the
story registry, the verdict scale and the agreement between readings.

A notebook imports it as ``from helpers import facts`` and calls ``facts.load_all()``, ``facts.stories(tables)``,
``facts.verdicts.label(...)``.
"""

from . import agreement, overview, verdicts
from .load import Tables, load_all, load_table, source_kinds
from .problems import DataError, Problem
from .read import datapackage
from .registry import evidence_of, stories
from .schema import validate

__all__ = ["DataError", "Problem", "Tables", "agreement", "datapackage", "evidence_of", "load_all", "load_table", "overview",
           "source_kinds", "stories", "validate", "verdicts"]  # fmt: skip
