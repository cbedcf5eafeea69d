"""Provenance travels with the figure.

Every mark drawn from a data row carries the row's id into the SVG (matplotlib ``gid``: ``<row_id>.<evidence>``)
and a link to its source (``set_url``): the outside page, or the seed file in the project. A reader of the SVG can
go from a bar to the row in ``data/`` and from there to its verbatim quote. The ``Source:`` line of a figure is
built from the sources of the rows actually plotted.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.collections import Collection

ARTICLE = ("seed_file", "article_part")


FLAGGED = ("contradicted", "misleading", "mistranslated")  # shown on the mark itself, not only in the ledger


class ProvenanceError(ValueError):
    pass


def gid(row_id: str, evidence: str) -> str:
    """The SVG id of a mark: the data row's id and how its value is known."""
    return f"{row_id}.{evidence}"


def source_url(tables, source_id: str) -> str:
    """Where a source can be read: an outside page's URL, or the seed file's path in the project."""
    src = tables["sources"].set_index("id")
    if source_id not in src.index:
        raise ProvenanceError(f"unknown source {source_id!r} (not in data/sources.csv)")
    s = src.loc[source_id]
    if s["kind"] == "article_part":
        s = src.loc[s["parent_id"]]
    if s["kind"] == "seed_file":
        return str(s["path"])
    return str(s["url"]) if pd.notna(s["url"]) else ""


def plotted_row(table: str, row, **values) -> dict:
    """One row of a figure's CSV: which table and row it was drawn from, its source, and the plotted values."""
    return {"table": table, "row_id": row["id"], "source_id": row["source_id"], **values}


def tag(artist: Artist, row_id: str, evidence: str, url: str | None = None) -> Artist:
    """Put a row's id (and how it is known) and its source link on a drawn mark."""
    artist.set_gid(gid(row_id, evidence))
    if url:
        if isinstance(artist, Collection):
            artist.set_urls([url] * max(1, len(artist.get_offsets())))
        else:
            artist.set_url(url)
    return artist


def source_line(tables, data: pd.DataFrame, extra: str = "", also: Iterable[str] = (), max_listed: int = 4) -> str:
    """'Source: ...' built from the sources of the rows actually plotted (``data["source_id"]``): the article's parts
    first (with their inferred dates), then outside reporting (publisher, date, URL), then reference data.

    ``also`` names further source ids the figure's texts rely on (a note citing an outside report). More than
    ``max_listed`` outside reports are named by publisher only, once each; their dates and URLs are in the figure's
    CSV (``source_id``) and data/sources.csv.
    """
    src = tables["sources"].set_index("id")
    ids = list(dict.fromkeys([*data["source_id"].dropna().astype(str), *also]))
    unknown = [i for i in ids if i not in src.index]
    if unknown:
        raise ProvenanceError(f"plotted rows cite unknown source(s) {unknown} (not in data/sources.csv)")
    article, outside, datasets, publishers = [], [], [], []
    for i in ids:
        s = src.loc[i]
        if s["kind"] == "article_part":
            when = s["date"] + (f" to {s['date_end']}" if pd.notna(s["date_end"]) else "")
            how = " by inference" if s["date_basis"] == "inferred" else ""
            label = s["story_label"] if pd.notna(s["story_label"]) else s["story"]
            article.append(f"the article's {label} ({s['path']}, dated {when}{how})")
        elif s["kind"] == "seed_file":
            article.append(f"the article ({s['path']})")
        elif s["kind"] == "dataset":
            datasets.append(f"{s['publisher']} ({s['url']})")
        else:
            when = s["date"] if pd.notna(s["date"]) else "undated"
            outside.append(f"{s['publisher']}, {when} ({s['url']})")
            publishers.append(str(s["publisher"]).split(" (")[0])
    parts = ["; ".join(article)] if article else []
    if len(outside) > max_listed:
        names = sorted(set(publishers), key=str.casefold)
        parts.append(f"outside reporting ({len(outside)} reports; dates and URLs in the figure's CSV and data/sources.csv): "
                     + ", ".join(names))  # fmt: skip
    elif outside:
        parts.append("outside reporting: " + "; ".join(outside))
    if datasets:
        parts.append("reference data: " + "; ".join(datasets))
    line = "Source: " + "; ".join(parts) + "."
    return line + (f" {extra}" if extra else "")


def verdicts(tables, quotes: pd.Series, types: Iterable[str] | None = None) -> pd.Series:
    """The claims ledger's verdict for each quote: the worst verdict among the claims whose words overlap it (one
    contains the other, after the quote normalisation), or <NA> when the ledger has no such claim.

    ``types`` keeps only claims of those ``claim_type`` s: a date on a timeline answers to the ledger's date and
    actor claims, not to how the article characterised the event."""
    from .facts.text import normalise

    ledger = tables["claims"]
    if types is not None:
        ledger = ledger[ledger["claim_type"].isin(list(types))]
    claims = [(normalise(str(q)), str(v)) for q, v in zip(ledger["quote"], ledger["verdict"], strict=True)]
    from . import verdicts as scale  # the ledger's verdicts worst first: a mark gets the worst that applies

    rank = {v: i for i, v in enumerate(scale.severity())}

    def worst(quote) -> object:
        if pd.isna(quote):
            return pd.NA
        q = normalise(str(quote))
        found = [v for c, v in claims if c in q or q in c]
        return min(found, key=lambda v: rank.get(v, len(rank))) if found else pd.NA

    return pd.Series([worst(q) for q in quotes], index=quotes.index, dtype="string")


def flag(label: str, verdict) -> str:
    """A label with the ledger's verdict appended when the record contradicts or misrepresents it."""
    return f"{label} ✗ {verdict}" if isinstance(verdict, str) and verdict in FLAGGED else label
