"""What notebook 01 shows: the two stories, the splice, and how every value is sourced."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .tables import load_all
from .text import find_splice, glued_words, normalise, read_seed

FACT_TABLES = ("places", "events", "troops", "casualties", "claims")


def _seed_row(tables: dict[str, pd.DataFrame]) -> pd.Series:
    src = tables["sources"]
    seeds = src[src["kind"] == "seed_file"]
    if len(seeds) != 1:
        raise ValueError(f"expected one seed_file in data/sources.csv, found {len(seeds)}")
    return seeds.iloc[0]


def splice_overview(tables: dict[str, pd.DataFrame] | None = None) -> dict:
    """Find the splice by code and compare it with the marker recorded in sources.csv."""
    tables = tables or load_all()
    seed = _seed_row(tables)
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


def setup_display() -> None:
    """Pandas display options that let a reader see whole quotes and reasoning."""
    pd.set_option("display.max_colwidth", 160)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 100)


def sources_view(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    tables = tables or load_all()
    s = tables["sources"]
    return s[["id", "kind", "publisher", "date", "date_end", "date_basis", "url"]].astype("string").fillna("")


def table_summary(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Rows per table, how many dates are stated or inferred, how many quotes were checked against the seed."""
    tables = tables or load_all()
    kinds = tables["sources"].set_index("id")["kind"].astype(str)
    rows = []
    for name in FACT_TABLES:
        t = tables[name]
        from_article = t["source_id"].map(kinds).isin(["seed_file", "article_part"])
        rows.append(
            {
                "table": name,
                "rows": len(t),
                "dates stated": int((t["date_basis"] == "stated").sum()) if "date_basis" in t else 0,
                "dates inferred": int((t["date_basis"] == "inferred").sum()) if "date_basis" in t else 0,
                "quotes from the article (verified in the seed)": int(from_article.sum()),
                "quotes from outside sources (checked by hand)": int((~from_article).sum()),
            }
        )
    return pd.DataFrame(rows)


def verify_quotes(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every quote of every fact table, with whether it was found in the seed text (article sources only)."""
    tables = tables or load_all()
    seed = _seed_row(tables)
    text = normalise(read_seed(seed["path"]))
    kinds = tables["sources"].set_index("id")["kind"].astype(str)
    rows = []
    for name in FACT_TABLES:
        for r in tables[name].itertuples():
            article = kinds.get(r.source_id) in ("seed_file", "article_part")
            rows.append(
                {
                    "table": name,
                    "id": r.id,
                    "source_id": r.source_id,
                    "in the seed text": (normalise(r.quote) in text) if article else None,
                    "quote": r.quote,
                }
            )
    return pd.DataFrame(rows)


def relative_dates(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every inferred date, in every table, with the resolved period and the reasoning."""
    tables = tables or load_all()
    rows = []
    for name in ("sources", "events", "troops", "casualties"):
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
