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
    """One row of a figure's CSV: which table and row it was drawn from, its source, its verbatim quote (the words a
    mark shows on hover in the SVG) and the plotted values."""
    quote = row.get("quote") if hasattr(row, "get") else None
    return {"table": table, "row_id": row["id"], "source_id": row["source_id"], "quote": quote, **values}


def derived_row(rows, how: str, derivation: str, **values) -> dict:
    """One row of a figure's CSV for a value we computed from table rows, which no source states (the 2023 level: the
    2021 level minus the planned cut). Its ``row_id`` names the rows and how they were combined ('tr_a - tr_b'); its
    source is the first row's; it quotes nobody; ``derivation`` says in words how it was computed (the hover text of
    its marks); ``evidence`` is 'derived'."""
    if how not in ("-", "+") or len(rows) < 2:
        raise ProvenanceError(f"a derived row combines two or more table rows with '-' or '+', not {len(rows)} with {how!r}")
    if not derivation.strip():
        raise ProvenanceError("a derived row says how it was derived (derivation)")
    row_id = f" {how} ".join(str(r["id"]) for r in rows)
    return {"table": "derived", "row_id": row_id, "source_id": rows[0]["source_id"], "quote": None,
            "derivation": derivation, **values, "evidence": "derived"}  # fmt: skip


def tag(artist: Artist, row_id: str, evidence: str, url: str | None = None) -> Artist:
    """Put a row's id (and how it is known) and its source link on a drawn mark."""
    artist.set_gid(gid(row_id, evidence))
    if url:
        if isinstance(artist, Collection):
            artist.set_urls([url] * max(1, len(artist.get_offsets())))
        else:
            artist.set_url(url)
    return artist


def publisher_name(source) -> str:
    """A source's publisher as a source line prints it: 'Burkina Info (republishing Faso7)' -> 'Burkina Info'."""
    return str(source["publisher"]).split(" (")[0]


def reporter(source) -> str:
    """Who reported what a source carries: its origin (the agency or outlet whose report it is, as the page credits it),
    else its publisher."""
    origin = source.get("origin")
    return str(origin) if isinstance(origin, str) and origin.strip() else publisher_name(source)


NAMED = 8  # reporters a source line names; the rest are counted (the figure's CSV names every row's source)


def reporters(sources: Iterable) -> str:
    """The reporting organisations behind these outside sources, most cited first, each with the sites its reports were
    read on where those differ ('AFP (read on abamako.com, Yahoo Actualités)'); past ``NAMED``, the rest are counted."""
    sites: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    for s in sources:
        who, site = reporter(s), publisher_name(s)
        count[who] = count.get(who, 0) + 1
        sites.setdefault(who, set())
        if site.casefold() != who.casefold():
            sites[who].add(site)
    order = sorted(count, key=lambda w: (-count[w], w.casefold()))

    def credit(who: str) -> str:
        read = sorted(sites[who], key=str.casefold)
        if not read:
            return who
        shown = ", ".join(read[:2]) + (f" and {len(read) - 2} more" if len(read) > 2 else "")
        return f"{who} (read on {shown})"

    named = [credit(w) for w in order[:NAMED]]
    rest = len(order) - NAMED
    return ", ".join(named) + (f", and {rest} other outlet{'s' if rest > 1 else ''}" if rest > 0 else "")


def _span(start: str, end: str | None = None) -> str:
    """'26 September 2021', '12–13 February 2020'."""
    a = pd.Timestamp(start)
    b = pd.Timestamp(end) if end else a
    if a == b:
        return f"{a:%-d %B %Y}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a:%-d}–{b:%-d %B %Y}"
    return f"{a:%-d %B %Y} to {b:%-d %B %Y}"


def _article_parts(tables, source_id: str) -> tuple[str, str, str | None]:
    """(seed id, the article as a report cites it, the story with its date or None) for an article's source row."""
    src = tables["sources"].set_index("id")
    s = src.loc[source_id]
    seed_id = s["parent_id"] if s["kind"] == "article_part" else source_id
    seed = src.loc[seed_id]
    publisher = str(seed["publisher"])
    site = "publisher not named" if publisher.startswith("not stated") else publisher
    by = f"by {seed['author']}, " if pd.notna(seed["author"]) and not str(seed["author"]).startswith("not stated") else ""
    story = None
    if s["kind"] == "article_part":
        label = s["story_label"] if pd.notna(s["story_label"]) else s["story"]
        story = f"{str(label).split(' (')[0]}, {_span(s['date'], s['date_end'] if pd.notna(s['date_end']) else None)}"
    return str(seed_id), f"the article “{seed['title']}” ({by}{site})", story


def articles_of(tables, source_ids: Iterable[str]) -> list[str]:
    """The seed files (articles) behind these sources, in first-seen order: an outside source has none."""
    kinds = tables["sources"].set_index("id")["kind"]
    ids = [i for i in dict.fromkeys(source_ids) if isinstance(i, str) and kinds.get(i) in ARTICLE]
    return list(dict.fromkeys(_article_parts(tables, i)[0] for i in ids))


def whose(tables, source_ids: Iterable[str]) -> str:
    """How a figure's text names what its rows come from: "the article's" for one article, "the 2 articles'" for
    more (a collection may hold several), so a title speaks of the article its figure is about."""
    n = len(articles_of(tables, source_ids))
    return "the article's" if n <= 1 else f"the {n} articles'"


def source_line(tables, data: pd.DataFrame, extra: str = "", also: Iterable[str] = ()) -> str:
    """'Source: ...' as a report prints it, built from the sources of the rows actually plotted (``data["source_id"]``):
    the article (headline, byline, and the story with its date), then outside reporting and reference data by
    publisher, each named once. URLs, file paths, dates of each report and how a date was inferred are in the figure's
    CSV (``source_id``) and data/sources.csv.

    ``also`` names further source ids the figure's texts rely on (a note citing an outside report).
    """
    src = tables["sources"].set_index("id")
    ids = list(dict.fromkeys([*data["source_id"].dropna().astype(str), *also]))
    unknown = [i for i in ids if i not in src.index]
    if unknown:
        raise ProvenanceError(f"plotted rows cite unknown source(s) {unknown} (not in data/sources.csv)")
    articles: dict[str, tuple[str, list[str]]] = {}  # seed id -> its credit and the stories of it plotted
    outside, datasets = [], []
    for i in ids:
        s = src.loc[i]
        if s["kind"] in ARTICLE:
            seed, credit, story = _article_parts(tables, i)
            stories_ = articles.setdefault(seed, (credit, []))[1]
            if story and story not in stories_:
                stories_.append(story)
        elif s["kind"] == "dataset":
            datasets.append(publisher_name(s))
        else:
            outside.append(s)
    parts = [credit + (f", its {' and '.join(stories_)}" if stories_ else "") for credit, stories_ in articles.values()]
    if outside:
        parts.append("outside reporting by " + reporters(outside))
    if datasets:
        parts.append("reference data: " + ", ".join(dict.fromkeys(datasets)))
    line = "Source: " + "; ".join(parts) + "."
    return line + (f" {extra}" if extra else "")


def _words(row: pd.Series) -> str:
    """A plotted row's own words: its verbatim quote where it has one, else its label."""
    for col in ("quote", "derivation", "label", "line", "name", "series", "plan", "verdict"):
        v = row.get(col)
        if v is not None and not (isinstance(v, float) and pd.isna(v)) and v is not pd.NA and str(v).strip():
            return f"“{v}”" if col == "quote" else str(v)
    return ""


def _publisher(sources: pd.DataFrame | None, source_id) -> str:
    if sources is None or not isinstance(source_id, str) or source_id not in sources.index:
        return str(source_id) if isinstance(source_id, str) else ""
    s = sources.loc[source_id]
    if s["kind"] == "article_part":
        return f"the article, {s['story_label'] if pd.notna(s['story_label']) else s['story']}"
    if s["kind"] == "seed_file":
        return "the article"
    when = f", {s['date']}" if pd.notna(s.get("date")) else ""
    return f"{publisher_name(s)}{when}"


def mark_titles(data: pd.DataFrame, sources: pd.DataFrame | None) -> dict[str, str]:
    """For each plotted row (``row_id``, or ``id`` in a map's CSV): the hover text of its marks in the SVG, the row's
    words and its source (publisher and date; the URL is the mark's link). A row with outside evidence
    (``evidence_source_id``, and ``evidence_quote``) also titles the marks of that evidence, ``<row_id>-evidence``; and
    a mark tagged with a source's own id (a band over the days a story was written) gets that source."""
    if "row_id" not in data and "id" not in data:
        return {}
    src = sources.set_index("id") if sources is not None and "id" in sources else sources
    out = {}
    for _, row in data.iterrows():
        rid = row.get("row_id")
        if not isinstance(rid, str) or not rid:  # a map's CSV mixes rows with a row_id and places with only an id
            rid = row.get("id")
        if not isinstance(rid, str) or not rid or rid in out:
            continue
        words, who = _words(row), _publisher(src, row.get("source_id"))
        out[rid] = " · ".join(p for p in (words, f"Source: {who}" if who else "", f"row {rid}") if p)
        evidence = row.get("evidence_source_id")
        if isinstance(evidence, str) and evidence:
            quote = row.get("evidence_quote")
            said = f"“{quote}”" if isinstance(quote, str) and quote.strip() else ""
            parts = (said, f"Source: {_publisher(src, evidence)}", f"row {rid} (evidence)")
            out[f"{rid}-evidence"] = " · ".join(p for p in parts if p)
    for sid in [] if src is None else src.index:
        out.setdefault(str(sid), f"Source: {_publisher(src, sid)} · source {sid}")
    return out


def add_svg_titles(svg: str, titles: dict[str, str]) -> str:
    """Put a ``<title>`` (a browser's hover text) in every SVG group whose id names a plotted row: the group id is
    ``<row_id>.<evidence>`` (``gid``) or starts with the row id; the longest row id that fits wins."""
    import re
    from xml.sax.saxutils import escape

    ranked = sorted(titles, key=len, reverse=True)

    def title_for(gid_: str) -> str | None:
        for rid in ranked:
            if gid_ == rid or gid_.startswith((f"{rid}.", f"{rid}-")):
                return titles[rid]
        return None

    def add(m: re.Match) -> str:
        t = title_for(m.group(2))
        return m.group(0) if t is None else f"{m.group(0)}\n{m.group(1)} <title>{escape(t)}</title>"

    return re.sub(r'^( *)<g id="([^"]+)">', add, svg, flags=re.M)
