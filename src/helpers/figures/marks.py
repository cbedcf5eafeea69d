"""Evidence-aware drawing primitives: a value, a span, a band, a day, a lower bound, a labelled point, a timeline.

Each primitive draws one mark for one data row in the house style for its evidence (see ``style``) and tags it
with the row's id and source link (see ``provenance``). The notebook decides what to draw and where; these only
make sure that how a value is known is visible and traceable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.patches import Patch

from .finishing import layout_of
from .provenance import tag
from .theme import EVIDENCE, GREY_MUTED, INK, evidence_kinds, evidence_style, ink_on

DAY = pd.Timedelta(days=1)
MAX_LABELLED = 200  # a timeline labels every row on its own line: more than this cannot be read, nor drawn quickly


class MarksError(ValueError):
    pass


def x_of(ts) -> float:
    """A date as a matplotlib x coordinate (days)."""
    return mdates.date2num(pd.Timestamp(ts))


def days(start, end) -> int:
    """How many days the period from ``start`` to ``end`` (both included) covers."""
    return (pd.Timestamp(end) - pd.Timestamp(start) + DAY).days


def date_axis(ax, start, end, fmt: str = "%Y", interval: str = "year") -> None:
    """An x axis of dates from ``start`` to ``end``, ticked every year or every month."""
    ax.set_xlim(x_of(start), x_of(end))
    if interval == "year":
        ax.xaxis.set_major_locator(mdates.YearLocator())
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonthday=1))
        ax.xaxis.set_minor_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
    ax.xaxis.set_major_formatter(mdates.DateFormatter(fmt))


def bar(ax, x, value, *, row_id: str, evidence: str, colour: str, url: str | None = None, width=0.8, bottom=0,
        horizontal: bool = False, align: str = "center", **kw):  # fmt: skip
    """One bar for one row's value. ``horizontal``: x is the row's position on the y axis and value runs along x."""
    st = evidence_style(evidence, colour) | kw
    if horizontal:
        (patch,) = ax.barh(x, value, height=width, left=bottom, align=align, **st)
    else:
        (patch,) = ax.bar(x, value, width=width, bottom=bottom, align=align, **st)
    return tag(patch, row_id, evidence, url)


def lower_bound(ax, at, value, *, colour: str, length: float, horizontal: bool = False, lw: float = 1.6):
    """An arrow from ``value`` onwards: the value is a lower bound ("over five thousand")."""
    if horizontal:
        xy, xytext = (value + length, at), (value, at)
    else:
        xy, xytext = (at, value + length), (at, value)
    return ax.annotate("", xy=xy, xytext=xytext, arrowprops={"arrowstyle": "-|>", "color": colour, "lw": lw})


def span(ax, y, start, end, *, row_id: str, evidence: str, colour: str, url: str | None = None, height: float = 0.6, **kw):
    """A period (an imprecise date: a month, a year, a span of days) as a horizontal bar, both ends included."""
    (patch,) = ax.barh(y, days(start, end), left=x_of(start), height=height, **(evidence_style(evidence, colour) | kw))
    return tag(patch, row_id, evidence, url)


def band(ax, start, end, *, row_id: str, evidence: str, colour: str, url: str | None = None, **kw):
    """A period (both ends included) as a band across the whole height of the axes: a deadline month, a story's dates."""
    patch = ax.axvspan(x_of(start), x_of(pd.Timestamp(end) + DAY), **(evidence_style(evidence, colour) | kw))
    return tag(patch, row_id, evidence, url)


def day(ax, when, y, *, row_id: str, evidence: str, colour: str, url: str | None = None, size: float = 70, marker="D"):
    """An exact day as a marker."""
    st = evidence_style(evidence, colour)
    coll = ax.scatter([x_of(when)], [y], s=size, marker=marker, zorder=3, facecolors=[st["facecolor"]],
                      edgecolors=[st["edgecolor"]], hatch=st["hatch"], linestyles=st["linestyle"], linewidths=1.4)  # fmt: skip
    return tag(coll, row_id, evidence, url)


def point(ax, x, y, label: str | None = None, *, row_id: str, evidence: str = "stated", url: str | None = None,
          marker: str = "o", size: float = 60, colour: str = INK, text: Mapping | None = None):  # fmt: skip
    """A labelled point (a place on a map, a value on a chart). Returns the marker and the label (or None)."""
    coll = ax.scatter([x], [y], s=size, marker=marker, color=colour, edgecolor="white", linewidths=0.8, zorder=6)
    tag(coll, row_id, evidence, url)
    txt = None
    if label:
        txt = ax.text(x, y, label, zorder=7, **({"fontsize": layout_of(ax.figure).text, "weight": "bold"} | dict(text or {})))
    return coll, txt


def evidence_handles(kinds: Iterable[str], colour: str) -> list[Patch]:
    """Legend entries for the evidence kinds present in a figure, in EVIDENCE order."""
    return [Patch(**evidence_style(k, colour), label=EVIDENCE[k]["label"]) for k in evidence_kinds(kinds)]


def positions(rows: pd.DataFrame) -> dict[str, int]:
    """Where each row goes on a chart of one row per line, first row on top: row_id -> y (the last row at 0), as
    ``timeline`` places them, so that what is drawn beside a row finds its line by id."""
    ids = list(rows["row_id"])
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise MarksError(f"rows drawn one per line need distinct row ids; repeated: {twice}")
    return {rid: len(ids) - 1 - i for i, rid in enumerate(ids)}


def timeline(ax, rows: pd.DataFrame, colours: Mapping[str, str], *, min_marker_days: float,
             urls: Mapping[str, str] | None = None) -> dict[str, int]:  # fmt: skip
    """Rows as a timeline, first row on top: an exact day shorter than ``min_marker_days`` as a diamond, anything
    less precise as a span over the period it can mean. A 'by' date is labelled as a deadline, a 'since' date gets
    an arrow onwards, an inferred date a '*' after its label.

    ``rows`` needs the columns row_id, story, label, start, end, time_precision, date_relation, date_basis,
    evidence and source_id; ``colours`` maps a story to its colour; ``urls`` a source id to its link. Returns each
    row's line (``positions``).
    """
    n = len(rows)
    if n > MAX_LABELLED:
        raise MarksError(f"too many rows to label one by one on a timeline: {n} > {MAX_LABELLED}; filter or aggregate first")
    urls = urls or {}
    ys = positions(rows)
    for _, r in rows.iterrows():
        y = ys[r["row_id"]]
        colour = colours[r["story"]]
        url = urls.get(r["source_id"])
        start, end = r["start"], r["end"]
        if int(r["time_precision"]) == 1 and days(start, end) < min_marker_days:
            day(ax, start + (end + DAY - start) / 2, y, row_id=r["row_id"], evidence=r["evidence"], colour=colour, url=url)
        else:
            span(ax, y, start, end, row_id=r["row_id"], evidence=r["evidence"], colour=colour, url=url)
        right = x_of(end + DAY)
        if r["date_relation"] == "by":
            ax.annotate("deadline", (right, y), xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize=layout_of(ax.figure).small, color=GREY_MUTED)  # fmt: skip
        elif r["date_relation"] == "since":
            ax.annotate("", xy=(right + min_marker_days * 3, y), xytext=(right, y),
                        arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.0})  # fmt: skip
    labels = [f"{r['label']}{' *' if r['date_basis'] == 'inferred' else ''}" for _, r in rows.iterrows()]
    ax.set_yticks(range(n), labels[::-1])
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(axis="x")
    return ys


def stacked_counts(ax, rows: pd.DataFrame, *, line: str, part: str, fills: Mapping[str, str],
                   hatches: Mapping[str, str] | None = None, url=None) -> dict[str, int]:  # fmt: skip
    """Counts as horizontal stacked bars, one bar per ``line`` (first on top), one segment per ``part`` in the rows'
    order, each segment its count written on it in the colour that reads on its fill (``verdict_ink``'s rule).

    ``rows`` needs row_id, count and the two columns named; ``fills`` maps a part to its colour, ``hatches`` to a
    hatch; ``url`` (row -> link) gives each segment its source link. Each segment carries its row id (``derived``: we
    counted it) and its count text ``<row_id>.count``. Returns each bar's line: line value -> y."""
    hatches = hatches or {}
    lines = list(dict.fromkeys(rows[line]))
    ys = {v: i for i, v in enumerate(lines)}
    for value, group in rows.groupby(line, sort=False):
        left = 0
        for _, r in group.iterrows():
            fill = fills[r[part]]
            (bar,) = ax.barh(ys[value], r["count"], left=left, color=fill, hatch=hatches.get(r[part]), edgecolor="white", lw=1)
            tag(bar, r["row_id"], "derived", url(r) if url else None)
            ax.text(
                left + r["count"] / 2,
                ys[value],
                str(r["count"]),
                ha="center",
                va="center",
                weight="bold",
                fontsize=layout_of(ax.figure).text,
                color=ink_on(fill),
                gid=f"{r['row_id']}.count",
            )
            left += r["count"]
    ax.set_ylim(len(lines) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", visible=False)
    return ys
