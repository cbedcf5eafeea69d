"""The stories of a collection and how a row is known: read from the tables, no drawing in here (the colours a
figure gives them are the house style's, ``helpers.figures.theme``)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .read import datapackage


def stories(tables) -> dict[str, dict]:
    """The stories of the collection, from the article parts in the sources table, in file order:
    ``{story: {"label": ..., "source_id": ...}}``, plus the code the data package gives rows that concern every
    story (``x-all-stories``), last, with no source of its own."""
    src = tables["sources"]
    parts = src[src["kind"] == "article_part"]
    out = {}
    for _, r in parts.iterrows():
        out[str(r["story"])] = {
            "label": str(r["story_label"]) if pd.notna(r["story_label"]) else str(r["story"]),
            "source_id": str(r["id"]),
        }
    shared = datapackage().get("x-all-stories")
    if shared:
        out[shared] = {"label": "all stories", "source_id": None}
    return out


def evidence_of(row: Mapping, source_kinds: Mapping[str, str]) -> str:
    """How a row is known: outside source, planned, reported, inferred date, or stated.

    Reads the columns a row has: ``source_id``; ``event_status`` or ``claim_status`` (planned, reported);
    ``date_basis`` (inferred).
    """
    if source_kinds.get(row["source_id"]) == "outside":
        return "outside"
    status = str(row.get("event_status", row.get("claim_status", "")))
    if status in ("planned", "reported"):
        return status
    if str(row.get("date_basis", "")) == "inferred":
        return "inferred"
    return "stated"
