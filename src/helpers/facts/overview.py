"""Overviews of a data package: the seed and its splice, the tables, every quote checked, every inferred date."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import paths
from .load import load_all, source_kinds
from .read import datapackage, read_raw, resource
from .reads import internal
from .sources import ARTICLE_KINDS, source_texts
from .text import find_splice, glued_words, read_seed


def tables_with(tables, columns: set[str]) -> list[str]:
    """The tables whose schema has these columns, in datapackage order. Decided from the schema, so that asking does
    not count as reading a table (the build checks what a notebook reads against what it declares)."""
    with internal():
        dp = datapackage(paths.project_root())
    has = {r["name"] for r in dp["resources"] if columns <= {f["name"] for f in r["schema"]["fields"]}}
    return [n for n in tables if n in has]


def fact_tables(tables) -> list[str]:
    """Every table with a source_id and a quote, in datapackage order."""
    return [n for n in tables_with(tables, {"source_id", "quote"}) if n != "sources"]


def _seed_row(tables: dict[str, pd.DataFrame], seed_id: str | None = None) -> pd.Series:
    """The seed file ``seed_id``, or, when not given, the one seed with a splice marker (a collection may hold other
    articles that are not spliced)."""
    src = tables["sources"]
    seeds = src[src["kind"] == "seed_file"]
    if seed_id is not None:
        seeds = seeds[seeds["id"] == seed_id]
        if seeds.empty:
            raise ValueError(f"no seed_file {seed_id!r} in data/sources.csv")
        return seeds.iloc[0]
    spliced = seeds[seeds["splice_marker"].notna()]
    if len(spliced) != 1:
        raise ValueError(f"{len(spliced)} seed files in data/sources.csv have a splice_marker "
                         f"({', '.join(spliced['id']) or 'none'}): name the one to show (seed_id=...)")  # fmt: skip
    return spliced.iloc[0]


def splice_overview(tables: dict[str, pd.DataFrame] | None = None, seed_id: str | None = None) -> dict:
    """Find the splice by code and compare it with the marker recorded in sources.csv (for ``seed_id``, or the one
    spliced seed)."""
    tables = tables or load_all()
    seed = _seed_row(tables, seed_id)
    text = read_seed(seed["path"])
    found = glued_words(text)
    splice = find_splice(text, seed["splice_marker"])
    before, after = splice.parts(text)
    parts = tables["sources"][tables["sources"]["parent_id"] == seed["id"]]
    part_ids = dict(zip(parts["part"].astype(str), parts["id"], strict=True))
    return {
        "glued_words_found": found,
        "recorded_marker": seed["splice_marker"],
        "agree": found == [splice.marker],
        "cut_offset": splice.cut,
        "context": splice.context(text, 70),
        "parts": pd.DataFrame(
            {
                "part": ["before the splice", "after the splice"],
                "source_id": [part_ids.get("before_splice", ""), part_ids.get("after_splice", "")],
                "characters": [len(before), len(after)],
                "opens with": [before.strip().splitlines()[0][:70], " ".join(after[:70].split())],
            }
        ),
    }


def sources_view(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    tables = tables or load_all()
    s = tables["sources"]
    return s[["id", "kind", "publisher", "date", "date_end", "date_basis", "url"]].astype("string").fillna("")


def table_summary(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Rows per table, how many dates are stated or inferred, how many quotes were checked against the seed."""
    tables = tables or load_all()
    kinds = source_kinds(tables)
    rows = []
    for name in fact_tables(tables):
        t = tables[name]
        from_article = t["source_id"].map(kinds).isin(ARTICLE_KINDS)
        rows.append(
            {
                "table": name,
                "rows": len(t),
                "dates stated": int((t["date_basis"] == "stated").sum()) if "date_basis" in t else 0,
                "dates inferred": int((t["date_basis"] == "inferred").sum()) if "date_basis" in t else 0,
                "quotes from the article": int(from_article.sum()),
                "quotes from outside sources (cited passages)": int((~from_article).sum()),
            }
        )
    return pd.DataFrame(rows)


def verify_quotes(tables=None) -> pd.DataFrame:
    """Every quote of every fact table, and whether it occurs in its source's text.

    The same texts and the same normalisation as validation (``sources.source_texts``): the seed file, the story's
    own part of it, or the passages cited from an outside page. A reference dataset has no text (``None``).
    """
    tables = tables or load_all()
    root = paths.project_root()
    with internal():
        dp = datapackage(root)
        raw, _ = read_raw(root, resource(dp, "sources"))
        cited, _ = read_raw(root, resource(dp, "passages"))
        texts = source_texts(root, raw, cited)
    kinds = source_kinds(tables)
    rows = []
    for name in fact_tables(tables):
        for r in tables[name].itertuples():
            if r.source_id is pd.NA or r.quote is pd.NA:
                continue
            rows.append(
                {
                    "table": name,
                    "id": r.id,
                    "source_id": r.source_id,
                    "source kind": kinds.get(r.source_id),
                    "found in the source's text": texts.quote_found(r.quote, r.source_id, kinds.get(r.source_id)),
                    "quote": r.quote,
                }
            )
    return pd.DataFrame(rows)


def relative_dates(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every inferred date, in every table, with the resolved period and the reasoning."""
    tables = tables or load_all()
    rows = []
    for name in tables_with(tables, {"date_basis"}):
        t = tables[name]
        inferred = t[t["date_basis"] == "inferred"]
        for r in inferred.itertuples():
            rows.append(
                {
                    "table": name,
                    "id": r.id,
                    "written as": r.date + (f" .. {r.date_end}" if pd.notna(r.date_end) else ""),
                    "precision": int(r.time_precision),
                    "from": r.start.date(),
                    "to": r.end.date(),
                    "reasoning": r.date_reasoning,
                }
            )
    return pd.DataFrame(rows)


def years_when(month: int, day: int, weekday: str, first: int = 2010, last: int = 2030) -> list[int]:
    """Years in [first, last] when month/day falls on ``weekday`` ('Friday'): how 'Friday February 14' narrows the year."""
    return [y for y in range(first, last + 1) if dt.date(y, month, day).strftime("%A") == weekday]
