"""The fact tables: reading, schema and rules, validation, typed loading, and the texts quotes are checked against."""

from .load import Tables, load_all, load_table, source_kinds
from .problems import DataError, Problem
from .schema import validate

__all__ = ["DataError", "Problem", "Tables", "load_all", "load_table", "source_kinds", "validate"]
