"""Typed loading: every table validated, then typed (dates with ``start`` and ``end``, a date column of its own
precision, such as a plan's ``deadline``, with ``deadline_start`` and ``deadline_end``, counts as Int64, coded values as
categoricals), handed out through ``Tables``, which records which tables a notebook reads.

Reads done here on the package's own behalf (validation reads every table, as they refer to each other) are
marked internal (``reads``), so the build's read log holds only what the notebook itself asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import paths
from .dates import period_of
from .problems import DataError
from .read import RawTable, datapackage, read_raw, resource
from .reads import internal, note_read
from .schema import validate


def _period(date: str, end: str | None, precision: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day a written date can mean, given its precision (validated: written as its precision says);
    a span (precision 2) runs from ``date`` to ``end``."""
    if precision == 2:
        return pd.Timestamp(date), pd.Timestamp(end)
    return period_of(date)


def _typed(t: RawTable, res: dict) -> pd.DataFrame:
    df = t.frame.copy()
    for f in res["schema"]["fields"]:
        col, kind = f["name"], f.get("type", "string")
        enum = f.get("constraints", {}).get("enum")
        if kind == "integer":
            df[col] = pd.array([None if v is None else int(v) for v in df[col]], dtype="Int64")
        elif kind == "number":
            df[col] = pd.array([None if v is None else float(v) for v in df[col]], dtype="Float64")
        else:
            df[col] = df[col].astype("string")
        if f.get("categorical"):
            cats = enum if enum is not None else sorted(df[col].dropna().unique())
            df[col] = pd.Categorical(
                df[col].astype(object).where(df[col].notna(), None), categories=cats, ordered=kind == "integer"
            )
    for f in res["schema"]["fields"]:
        if f.get("x-period"):  # a date written at its own precision: the first and last day it can mean
            bounds = [period_of(v) or (pd.NaT, pd.NaT) for v in df[f["name"]].astype(object)]
            _add_bounds(df, bounds, f"{f['name']}_start", f"{f['name']}_end")
    if "date" in df.columns and "time_precision" in df.columns:
        periods = [
            _period(d, e, int(p)) if d is not pd.NA and d is not None else (pd.NaT, pd.NaT)
            for d, e, p in zip(
                df["date"],
                df["date_end"].astype(object).where(df["date_end"].notna(), None),
                df["time_precision"].astype(object).fillna(0),
                strict=True,
            )
        ]
        _add_bounds(df, periods, "start", "end")
    df.attrs["source_file"] = t.file
    return df


def _add_bounds(df: pd.DataFrame, bounds: list[tuple], start: str, end: str) -> None:
    """Each row's first and last day (a pair per row, NaT where there is none) as two datetime columns."""
    df[start] = pd.to_datetime(pd.Series([a for a, _ in bounds], index=df.index))
    df[end] = pd.to_datetime(pd.Series([b for _, b in bounds], index=df.index))


def fingerprint(root: Path) -> str:
    """A content hash of data/ and seeds/ (small files): the cache key of the validated tables."""
    h = hashlib.sha256()
    for folder in ("data", "seeds"):
        for p in sorted((root / folder).rglob("*")):
            if p.is_file():
                h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


@lru_cache(maxsize=4)
def _load_all_cached(root: Path, content: str) -> dict[str, pd.DataFrame]:
    # The build validates everything once before any notebook runs and passes the content hash it validated; a kernel
    # whose data/ and seeds/ still hash the same need not repeat it. Anywhere else (JupyterLab, a test) it runs in full.
    if paths.env(paths.VALIDATED_ENV) != content:
        problems = validate(root)
        if problems:
            raise DataError(problems)
    out = {}
    for res in datapackage(root)["resources"]:
        t, _ = read_raw(root, res)
        out[res["name"]] = _typed(t, res)
    return out


class Tables(Mapping):
    """The tables by name. Reading one (``tables["troops"]``, ``.get``, ``dict(tables)``) is recorded for the build."""

    def __init__(self, frames: dict[str, pd.DataFrame]):
        self._frames = frames

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            raise KeyError(f"no table {name!r} in data/datapackage.json; tables: {', '.join(self._frames)}")
        note_read(name)
        return self._frames[name].copy()

    def __iter__(self):
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __repr__(self) -> str:
        return f"Tables({', '.join(self._frames)})"


def load_all(root: Path | None = None) -> Tables:
    """Every table, validated (all tables at once, since they refer to each other) and typed.

    Raises DataError listing every problem. Results are cached until the content of data/ or seeds/ changes.
    """
    root = (root or paths.project_root()).resolve()
    with internal():
        frames = _load_all_cached(root, fingerprint(root))
    return Tables(frames)


def load_table(name: str, root: Path | None = None) -> pd.DataFrame:
    """One table, validated and typed: dates as the written form plus ``start`` and ``end``
    timestamps, counts as Int64, coded values as categoricals."""
    root = (root or paths.project_root()).resolve()
    with internal():
        resource(datapackage(root), name)  # a clear KeyError for an unknown table
    return load_all(root)[name]


def source_kinds(tables: Mapping) -> dict[str, str]:
    """Source id -> kind (seed_file, article_part, outside, dataset): the one lookup every notebook and check uses."""
    s = tables["sources"]
    return dict(zip(s["id"], s["kind"].astype(str), strict=True))
