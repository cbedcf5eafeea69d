"""Charts for reports: one house style, one finishing step, one export.

Every chart is built in two steps: a ``*_data`` function turns the tables into exactly the rows that
will be drawn (that frame is also exported as the chart's CSV), and a ``*_chart`` function draws it.
Figures are plain ``matplotlib.figure.Figure`` objects (no pyplot state), so they render the same in a
kernel, a test or the build.

How a value is known is drawn, not only written: see ``EVIDENCE``.
"""

from __future__ import annotations

import contextlib
import os
import re
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import matplotlib.style
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .paths import figures_dir

STYLE = ["petroff8", "helpers.report"]
_CYCLE = [c["color"] for c in matplotlib.style.library["petroff8"]["axes.prop_cycle"]]
BLUE, ORANGE, RED, PURPLE, OLIVE, LIGHT_BLUE, MID_BLUE, GREY = _CYCLE
STORY_COLOURS = {"mali": BLUE, "nato": ORANGE, "both": GREY}
OUTSIDE_COLOUR = PURPLE
DERIVED_COLOUR = GREY

# How each kind of evidence is drawn. Fill, hatch and line style differ, so the difference survives
# greyscale printing and colour-vision deficiency.
EVIDENCE = {
    "stated": {"label": "stated in the article", "fill": "solid", "hatch": None, "linestyle": "-"},
    "inferred": {"label": "date inferred by us (reasoning in data/)", "fill": "light", "hatch": "////", "linestyle": "-"},
    "planned": {"label": "planned or announced, not (yet) done", "fill": "white", "hatch": None, "linestyle": "--"},
    "reported": {"label": "reported, unconfirmed", "fill": "white", "hatch": "xxx", "linestyle": ":"},
    "derived": {"label": "derived by us from stated figures", "fill": "white", "hatch": "...", "linestyle": ":"},
    "outside": {"label": "outside source (not the article)", "fill": "solid", "hatch": None, "linestyle": "-"},
}
FORMATS = ("png", "svg", "pdf")
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")
DAY = pd.Timedelta(days=1)
_ALT: dict[str, str] = {}  # exported PNG -> its title and subtitle, the alt text show() gives it


class ChartError(ValueError):
    pass


# --------------------------------------------------------------------------- style


@contextlib.contextmanager
def style() -> Iterator[None]:
    """The house style (matplotlib's petroff8 colours + helpers/report.mplstyle), for building and saving."""
    with matplotlib.style.context(STYLE):
        yield


def _lighten(colour: str, amount: float = 0.6) -> tuple[float, float, float]:
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def evidence_style(evidence: str, colour: str) -> dict:
    """Keyword arguments for a bar or span drawn as ``evidence``."""
    if evidence not in EVIDENCE:
        raise ChartError(f"unknown evidence {evidence!r}; expected one of {', '.join(EVIDENCE)}")
    spec = EVIDENCE[evidence]
    if evidence == "outside":
        colour = OUTSIDE_COLOUR
    if evidence == "derived":
        colour = DERIVED_COLOUR
    face = {"solid": colour, "light": _lighten(colour), "white": "white"}[spec["fill"]]
    return {"facecolor": face, "edgecolor": colour, "hatch": spec["hatch"], "linestyle": spec["linestyle"], "linewidth": 1.4}


def evidence_handles(kinds: Iterable[str], colour: str = BLUE) -> list[Patch]:
    """Legend entries for the evidence kinds present in a chart, in EVIDENCE order."""
    present = set(kinds)
    return [Patch(**evidence_style(k, colour), label=EVIDENCE[k]["label"]) for k in EVIDENCE if k in present]


def event_evidence(row, source_kinds: dict[str, str]) -> str:
    """How an event is known: outside source, planned, reported, inferred date, or stated."""
    if source_kinds.get(row["source_id"]) == "outside":
        return "outside"
    if row["event_status"] == "planned":
        return "planned"
    if row["event_status"] == "reported":
        return "reported"
    if row["date_basis"] == "inferred":
        return "inferred"
    return "stated"


# --------------------------------------------------------------------------- finishing and export


def new_figure(width: float = 10.0, height: float = 6.2) -> Figure:
    with style():
        return Figure(figsize=(width, height))


def finish(
    fig: Figure,
    title: str,
    subtitle: str,
    source: str,
    note: str | None = None,
    *,
    left: float = 0.08,
    right: float = 0.97,
    below_axes: float = 0.07,
) -> Figure:
    """Title that states the finding, subtitle with units and scope, footer with Source and Note.

    Text is wrapped to the figure width and the axes are fitted between header and footer, so nothing
    overlaps whatever the length of the texts. ``below_axes`` leaves room for tick labels and axis titles.
    """
    if not title or not source:
        raise ChartError("a report chart needs a title and a source line")
    w, h = fig.get_figwidth(), fig.get_figheight()

    def lines(text: str, size: float, bold: bool = False) -> list[str]:
        # DejaVu Sans averages ~0.56 em per character, ~0.64 in bold
        per_line = int(0.95 * w * 72 / (size * (0.64 if bold else 0.56)))
        return textwrap.wrap(text, per_line) or [""]

    def height_of(size: float) -> float:
        return size * 1.35 / (h * 72)

    y = 1 - 0.025
    with style():
        for gid, text, size, kw in (
            ("title", title, 15.5, {"weight": "bold", "color": "#111111"}),
            ("subtitle", subtitle, 10.5, {"color": "#444444"}),
        ):
            for i, line in enumerate(lines(text, size, bold="weight" in kw)):
                fig.text(0.02, y, line, fontsize=size, va="top", ha="left", gid=f"{gid}-{i}", **kw)
                y -= height_of(size)
            y -= 0.01
        top = y - 0.02
        foot = [("source", source if source.startswith("Source:") else f"Source: {source}")]
        if note:
            foot.append(("note", note if note.startswith("Note:") else f"Note: {note}"))
        yb = 0.02
        for gid, text in reversed(foot):
            for i, line in reversed(list(enumerate(lines(text, 8.3)))):
                fig.text(0.02, yb, line, fontsize=8.3, va="bottom", ha="left", color="#555555", gid=f"{gid}-{i}")
                yb += height_of(8.3)
        fig.subplots_adjust(left=left, right=right, top=top, bottom=yb + below_axes)
        _fit_left(fig, left)
    fig._helpers_finished = True  # export refuses an unfinished chart
    return fig


def _fit_left(fig: Figure, minimum: float) -> None:
    """Widen the left margin until the y tick labels and axis title fit inside the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    width_px = fig.get_figwidth() * fig.dpi
    need = minimum
    for ax in fig.axes:
        texts = [t for t in [*ax.get_yticklabels(), ax.yaxis.label] if t.get_text()]
        if texts:
            leftmost = min(t.get_window_extent(renderer).x0 for t in texts)
            overhang = ax.get_position().x0 * width_px - leftmost
            need = max(need, (overhang + 0.02 * width_px) / width_px)
    if need > minimum:
        fig.subplots_adjust(left=min(need, 0.6))


def figure_texts(fig: Figure, part: str) -> str:
    """The text of a finished figure's title, subtitle, source or note (for tests and checks)."""
    lines = [t for t in fig.texts if (t.get_gid() or "").startswith(part + "-")]
    lines.sort(key=lambda t: int(t.get_gid().rsplit("-", 1)[1]))  # the footer is drawn bottom line first
    return " ".join(t.get_text() for t in lines)


@contextlib.contextmanager
def atomic_files(targets: dict[str, Path]) -> Iterator[dict[str, Path]]:
    """Temporary paths beside ``targets``, renamed into place together only if the block succeeds.

    On any error every temporary file is removed and the previous files stay as they were.
    """
    # the temporary name keeps the real suffix: GDAL picks drivers (and warns) by it
    temps = {k: p.with_name(f".{p.stem}.tmp{p.suffix}") for k, p in targets.items()}
    try:
        yield temps
    except BaseException:
        for t in temps.values():
            t.unlink(missing_ok=True)
        raise
    for k, t in temps.items():
        os.replace(t, targets[k])


def export(
    fig: Figure,
    name: str,
    data: pd.DataFrame,
    *,
    formats: Iterable[str] = FORMATS,
    dpi: int = 200,
    directory: str | Path | None = None,
) -> dict[str, Path]:
    """Write ``name.png/.svg/.pdf`` and ``name.csv`` (exactly the plotted data), all or nothing.

    Every file is first written to a temporary name beside its target and only renamed once all
    of them were written, so a failure leaves the previous good files untouched and no partial file.
    Output bytes are reproducible: no dates, versions or random ids are embedded.
    """
    formats = tuple(formats)
    if not _NAME.match(name):
        raise ChartError(f"figure name {name!r}: use lower-case letters, digits and underscores")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ChartError(f"formats {unknown or formats}: choose from {', '.join(FORMATS)}")
    if dpi < 72:
        raise ChartError(f"dpi {dpi} is too low for a report (use 200 or more for print)")
    if not getattr(fig, "_helpers_finished", False):
        raise ChartError(f"figure {name!r} was not passed through charts.finish (title, subtitle, source)")
    if data is None or data.empty:
        raise ChartError(f"figure {name!r}: no plotted data to export beside it")
    out = Path(directory) if directory else figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    targets = {ext: out / f"{name}.{ext}" for ext in (*formats, "csv")}
    with atomic_files(targets) as temps, style():
        for ext in formats:
            fig.savefig(temps[ext], format=ext, dpi=dpi, metadata=_METADATA[ext])
        data.to_csv(temps["csv"], index=False, lineterminator="\n", date_format="%Y-%m-%d")
    if "png" in targets:
        _ALT[str(targets["png"])] = f"{figure_texts(fig, 'title')}. {figure_texts(fig, 'subtitle')}"
    return targets


def show(paths: dict[str, Path]):
    """Display the exported PNG in a notebook: the reader sees exactly the file that goes into a report."""
    from IPython.display import Image

    png = str(paths["png"])
    return Image(filename=png, alt=_ALT.get(png, Path(png).stem.replace("_", " ")))


# --------------------------------------------------------------------------- helpers for the data


def _source_kinds(tables) -> dict[str, str]:
    s = tables["sources"]
    return dict(zip(s["id"], s["kind"].astype(str), strict=True))


def _row(table: str, r, **extra) -> dict:
    base = {"table": table, "row_id": r["id"], "source_id": r["source_id"]}
    base.update(extra)
    return base


def _fmt(n: int) -> str:
    return f"{int(n):,}"


def ordinal(n: int) -> str:
    """52 -> '52nd', for titles written from the data."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _date_axis(ax, start: str, end: str, fmt: str = "%Y", interval: str = "year") -> None:
    ax.set_xlim(mdates.date2num(pd.Timestamp(start)), mdates.date2num(pd.Timestamp(end)))
    if interval == "year":
        ax.xaxis.set_major_locator(mdates.YearLocator())
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonthday=1))
        ax.xaxis.set_minor_locator(mdates.WeekdayLocator(byweekday=mdates.MO))
    ax.xaxis.set_major_formatter(mdates.DateFormatter(fmt))


def _x(ts) -> float:
    return mdates.date2num(pd.Timestamp(ts))


# --------------------------------------------------------------------------- 1. French drawdown


def drawdown_data(tables) -> pd.DataFrame:
    """French force level (Sept 2021), the planned cut by 2023, the level it implies, and the base withdrawals."""
    tr = tables["troops"].set_index("id", drop=False)
    need = {"tr_french_2021", "tr_french_cut_2023"}
    if not need <= set(tr.index):
        raise ChartError(f"troops.csv lacks {sorted(need - set(tr.index))}, which the drawdown chart draws")
    level, cut = tr.loc["tr_french_2021"], tr.loc["tr_french_cut_2023"]
    rows = [
        _row(
            "troops",
            level,
            series="French troops",
            start=level["start"],
            end=level["end"],
            value=int(level["value"]),
            bound=str(level["bound"]),
            evidence=str(level["claim_status"]),
            date_basis=str(level["date_basis"]),
        ),
        _row(
            "troops",
            cut,
            series="planned reduction",
            start=cut["start"],
            end=cut["end"],
            value=int(cut["value"]),
            bound=str(cut["bound"]),
            evidence="planned",
            date_basis=str(cut["date_basis"]),
        ),
        {
            "table": "derived",
            "row_id": "tr_french_2021 - tr_french_cut_2023",
            "source_id": "art_mali",
            "series": "level implied for 2023",
            "start": cut["start"],
            "end": cut["end"],
            "value": int(level["value"]) - int(cut["value"]),
            "bound": str(level["bound"]),
            "evidence": "derived",
            "date_basis": str(cut["date_basis"]),
        },
    ]
    ev = tables["events"]
    for _, r in ev[ev["event_type"] == "base_withdrawal"].iterrows():
        rows.append(
            _row(
                "events",
                r,
                series="base withdrawal",
                start=r["start"],
                end=r["end"],
                value=None,
                bound=None,
                evidence="planned",
                date_basis=str(r["date_basis"]),
                place_id=r["place_id"],
            )
        )
    return pd.DataFrame(rows).astype({"value": "Int64"})


def drawdown_chart(data: pd.DataFrame) -> Figure:
    fig = new_figure()
    with style():
        ax = fig.add_subplot()
        by = data.set_index("series", drop=False)
        lvl, cut, implied = by.loc["French troops"], by.loc["planned reduction"], by.loc["level implied for 2023"]
        # September 2021: the stated lower bound
        x0, w0 = _x(lvl["start"]), (lvl["end"] - lvl["start"] + DAY).days
        ax.bar(
            x0,
            lvl["value"],
            width=w0,
            align="edge",
            gid=f"{lvl['row_id']}:{lvl['evidence']}",
            **evidence_style(lvl["evidence"], BLUE),
        )
        ax.annotate(
            "",
            xy=(x0 + w0 / 2, lvl["value"] + 700),
            xytext=(x0 + w0 / 2, lvl["value"]),
            arrowprops={"arrowstyle": "-|>", "color": BLUE, "lw": 1.6},
        )
        ax.text(
            x0 - 12,
            lvl["value"] + 150,
            f"over {_fmt(lvl['value'])}\n(lower bound)\nSept 2021",
            color=BLUE,
            fontsize=9.5,
            va="bottom",
            ha="right",
        )
        # 2023: what remains (derived) and what goes (planned), as one stacked bar over the year
        x1, w1 = _x(cut["start"]), (cut["end"] - cut["start"] + DAY).days
        ax.bar(
            x1, implied["value"], width=w1, align="edge", gid=f"derived:{implied['evidence']}", **evidence_style("derived", BLUE)
        )
        ax.bar(
            x1,
            cut["value"],
            bottom=implied["value"],
            width=w1,
            align="edge",
            gid=f"{cut['row_id']}:planned",
            **evidence_style("planned", BLUE),
        )
        ax.text(
            x1 + w1 / 2,
            implied["value"] + cut["value"] / 2,
            f"−{_fmt(cut['value'])}\nplanned by 2023",
            ha="center",
            va="center",
            fontsize=10,
            color=BLUE,
            weight="bold",
        )
        ax.text(
            x1 + w1 / 2,
            implied["value"] / 2,
            f"{_fmt(implied['value'])}+ implied\n(derived)",
            ha="center",
            va="center",
            fontsize=9.5,
            color="#333333",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 3},
        )
        ax.annotate(
            "",
            xy=(x1, lvl["value"] * 0.8),
            xytext=(x0 + w0, lvl["value"] * 0.8),
            arrowprops={"arrowstyle": "-|>", "color": BLUE, "lw": 1.2, "linestyle": "--"},
        )
        # December 2021: the three bases, a planned deadline
        bases = data[data["series"] == "base withdrawal"]
        if not bases.empty:
            b = bases.iloc[0]
            xs, xe = _x(b["start"]), _x(b["end"] + DAY)
            ax.axvspan(xs, xe, gid="bases:planned", **(evidence_style("planned", RED) | {"alpha": 1.0}))
            names = ", ".join(p.replace("_", " ").title() for p in bases["place_id"])
            ax.text(
                xe + 10,
                6450,
                f"Bases of {names}\nto be left by Dec 2021\n(planned; year inferred)",
                fontsize=9,
                color=RED,
                va="top",
            )
        _date_axis(ax, "2021-01-01", "2024-03-01")
        ax.set_ylim(0, 6600)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: _fmt(v)))
        ax.set_ylabel("French troops (soldiers)")
        ax.set_xlabel("Date (bars span the month or year the article gives)")
        ax.grid(axis="y")
        handles = evidence_handles(["stated", "planned", "derived"])
        handles.append(Patch(**evidence_style("planned", RED), label="base withdrawal deadline (planned)"))
        ax.legend(handles=handles, loc="upper right", ncols=1)
    return fig


# --------------------------------------------------------------------------- 2. Casualties


def casualties_data(tables) -> pd.DataFrame:
    cas = tables["casualties"]
    total = cas[(cas["kind"] == "cumulative") & (cas["nationality"] == "French")]
    person = cas[cas["kind"] == "individual"]
    if len(total) != 1 or len(person) != 1:
        raise ChartError("casualties.csv must hold one French cumulative toll and one individual death for this chart")
    t, p = total.iloc[0], person.iloc[0]
    earlier = int(t["deaths"]) - int(p["deaths"])
    return pd.DataFrame(
        [
            _row(
                "derived",
                t,
                row_id=f"{t['id']} - {p['id']}",
                series="earlier deaths",
                from_count=0,
                to_count=earlier,
                deaths=earlier,
                since_year=int(t["since_year"]),
                until=t["start"],
                name=None,
                age=None,
                evidence="derived",
            ),
            _row(
                "casualties",
                p,
                series="Maxime Blasco",
                from_count=earlier,
                to_count=earlier + int(p["deaths"]),
                deaths=int(p["deaths"]),
                since_year=None,
                until=p["start"],
                name=p["name"],
                age=int(p["age"]),
                evidence="stated",
            ),
            _row(
                "casualties",
                t,
                series="total",
                from_count=0,
                to_count=int(t["deaths"]),
                deaths=int(t["deaths"]),
                since_year=int(t["since_year"]),
                until=t["start"],
                name=None,
                age=None,
                evidence="stated",
            ),
        ]
    ).astype({"since_year": "Int64", "age": "Int64"})


def casualties_chart(data: pd.DataFrame) -> Figure:
    fig = new_figure(10, 5.4)
    by = data.set_index("series", drop=False)
    earlier, blasco, total = by.loc["earlier deaths"], by.loc["Maxime Blasco"], by.loc["total"]
    with style():
        ax = fig.add_subplot()
        ax.barh(
            0, earlier["deaths"], left=earlier["from_count"], height=0.5, gid="earlier:derived", **evidence_style("derived", BLUE)
        )
        ax.barh(
            0,
            blasco["deaths"],
            left=blasco["from_count"],
            height=0.5,
            gid=f"{blasco['row_id']}:stated",
            **evidence_style("stated", BLUE),
        )
        ax.barh(
            0,
            total["deaths"],
            left=0,
            height=0.62,
            gid=f"{total['row_id']}:total",
            facecolor="none",
            edgecolor="#222222",
            linewidth=1.2,
        )
        ax.text(
            earlier["deaths"] / 2,
            0,
            f"{int(earlier['deaths'])} earlier deaths, {int(earlier['since_year'])} to Sept 2021\n"
            f"({int(total['deaths'])} minus one; the article gives no dates for them)",
            ha="center",
            va="center",
            fontsize=10,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 4},
        )
        ax.annotate(
            f"{blasco['name']}, {int(blasco['age'])}, killed {blasco['until']:%-d %B %Y}\n"
            f"in the Gossi region: the {ordinal(int(blasco['to_count']))}",
            xy=(blasco["to_count"] - 0.5, 0.25),
            xytext=(31, 0.72),
            fontsize=10,
            color=BLUE,
            weight="bold",
            arrowprops={"arrowstyle": "-|>", "color": BLUE},
        )
        ax.text(total["deaths"] + 0.6, -0.05, f"{int(total['deaths'])}\nin all", va="center", fontsize=11, weight="bold")
        ax.set_xlim(0, 60)
        ax.set_ylim(-0.9, 1.15)
        ax.set_yticks([0], [f"{int(total['since_year'])} – {total['until']:%-d %b %Y}"])
        ax.set_xlabel("French soldiers killed, counted from the start of the war in 2013 (cumulative)")
        ax.grid(axis="x")
        ax.legend(handles=evidence_handles(["stated", "derived"]), loc="lower right", ncols=2)
    return fig


# --------------------------------------------------------------------------- 3. Forces in Mali


def forces_data(tables) -> pd.DataFrame:
    tr = tables["troops"]
    people = tr[(tr["measure"] == "personnel") & (tr["story"] == "mali")]
    extra = {}
    for _, r in tr[tr["measure"].isin(["contributing_countries", "monthly_cost"])].iterrows():
        extra.setdefault(r["force"], []).append(r)
    rows = []
    for _, r in people.iterrows():
        notes = []
        for e in extra.get(r["force"], []):
            if e["measure"] == "contributing_countries":
                notes.append(f"from {int(e['value'])} European countries")
            else:
                notes.append(("over " if e["bound"] == "lower_bound" else "") + f"${int(e['value']) / 1e6:g} million a month")
        rows.append(
            _row(
                "troops",
                r,
                force=r["force"],
                value=int(r["value"]),
                bound=str(r["bound"]),
                evidence=str(r["claim_status"]),
                date=r["date"],
                annotation="; ".join(notes),
                related_row_ids=";".join(e["id"] for e in extra.get(r["force"], [])),
            )
        )
    return pd.DataFrame(rows).sort_values("value").reset_index(drop=True)


def forces_chart(data: pd.DataFrame) -> Figure:
    fig = new_figure(10, 5.6)
    with style():
        ax = fig.add_subplot()
        for i, r in data.iterrows():
            ax.barh(i, r["value"], height=0.55, gid=f"{r['row_id']}:{r['evidence']}", **evidence_style(r["evidence"], BLUE))
            label = f"{'over ' if r['bound'] == 'lower_bound' else ''}{_fmt(r['value'])}"
            if r["bound"] == "lower_bound":
                ax.annotate(
                    "",
                    xy=(r["value"] + 550, i),
                    xytext=(r["value"], i),
                    arrowprops={"arrowstyle": "-|>", "color": BLUE, "lw": 1.6},
                )
            status = {"reported": " (reported; deal not concluded)", "stated": ""}.get(r["evidence"], "")
            text = f"{label}{status}" + (f"\n{r['annotation']}" if r["annotation"] else "")
            ax.text(r["value"] + (650 if r["bound"] == "lower_bound" else 80), i, text, va="center", fontsize=9.5)
        ax.set_yticks(range(len(data)), list(data["force"]))
        ax.set_xlim(0, 8200)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: _fmt(v)))
        ax.set_xlabel("Personnel (soldiers or mercenaries)")
        ax.legend(handles=evidence_handles(set(data["evidence"])), loc="lower right")
    return fig


# --------------------------------------------------------------------------- 4 and 5. Timelines


def events_data(tables, story: str | None = None) -> pd.DataFrame:
    ev = tables["events"]
    if story:
        ev = ev[ev["story"] == story]
    kinds = _source_kinds(tables)
    rows = []
    for _, r in ev.iterrows():
        rows.append(
            _row(
                "events",
                r,
                story=str(r["story"]),
                label=r["label"],
                start=r["start"],
                end=r["end"],
                date=r["date"],
                date_end=r["date_end"],
                time_precision=int(r["time_precision"]),
                date_relation=str(r["date_relation"]),
                date_basis=str(r["date_basis"]),
                event_status=str(r["event_status"]),
                evidence=event_evidence(r, kinds),
                source_kind=kinds.get(r["source_id"]),
            )
        )
    if not rows:
        raise ChartError(f"no events for story {story!r} in events.csv")
    df = pd.DataFrame(rows)
    order = {"mali": 0, "nato": 1, "both": 2}
    df = df.assign(_o=df["story"].map(order)).sort_values(["_o", "start", "row_id"]).drop(columns="_o")
    return df.reset_index(drop=True)


def _timeline(ax, data: pd.DataFrame, min_marker_days: float) -> None:
    n = len(data)
    for i, r in data.iterrows():
        y = n - 1 - i
        colour = STORY_COLOURS.get(r["story"], GREY)
        st = evidence_style(r["evidence"], colour)
        gid = f"{r['row_id']}:{r['evidence']}"
        start, end = r["start"], r["end"] + DAY
        if r["time_precision"] == 1 and (end - start).days < min_marker_days:
            ax.scatter(
                [_x(start + (end - start) / 2)],
                [y],
                s=70,
                marker="D",
                zorder=3,
                gid=gid,
                facecolors=[st["facecolor"]],
                edgecolors=[st["edgecolor"]],
                hatch=st["hatch"],
                linestyles=st["linestyle"],
                linewidths=1.4,
            )
        else:
            ax.barh(y, (end - start).days, left=_x(start), height=0.6, gid=gid, **st)
        if r["date_relation"] == "by":
            ax.text(_x(end) + min_marker_days * 0.3, y, "deadline", va="center", fontsize=7.5, color="#555555")
        elif r["date_relation"] == "since":
            ax.annotate(
                "",
                xy=(_x(end) + min_marker_days * 3, y),
                xytext=(_x(end), y),
                arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.0},
            )
    labels = [f"{r['label']}{' *' if r['date_basis'] == 'inferred' else ''}" for _, r in data.iterrows()]
    ax.set_yticks(range(n), labels[::-1])
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(axis="x")


def nato_chart(data: pd.DataFrame) -> Figure:
    fig = new_figure(10, 6.4)
    with style():
        ax = fig.add_subplot()
        _timeline(ax, data, min_marker_days=3)
        # the training mission's resumption has no date: an open arrow from when it was promised
        resume = data[data["row_id"] == "ev_training_to_resume"]
        if not resume.empty:
            y = len(data) - 1 - resume.index[0]
            x = _x(resume.iloc[0]["start"])
            ax.annotate(
                "",
                xy=(_x("2020-03-09"), y),
                xytext=(x + 1.5, y),
                arrowprops={"arrowstyle": "-|>", "color": ORANGE, "linestyle": "--"},
            )
            ax.text(x + 3, y + 0.18, "resumption undated ('as soon as possible')", fontsize=8, color=ORANGE, va="bottom")
        ax.axvspan(_x("2020-02-12"), _x("2020-02-14"), color="#eeeeee", zorder=0)
        ax.text(
            _x("2020-02-13"),
            len(data) - 0.45,
            "story written\n12–13 Feb",
            ha="center",
            va="bottom",
            fontsize=7.5,
            color="#555555",
        )
        _date_axis(ax, "2019-12-28", "2020-03-10", fmt="%-d %b %Y", interval="month")
        ax.set_xlabel("Date (diamonds: a day; bars: a span or month)")
        kinds = set(data["evidence"])
        ax.legend(handles=evidence_handles(kinds, ORANGE), loc="lower left", fontsize=8.5)
    return fig


def timeline_chart(data: pd.DataFrame) -> Figure:
    fig = new_figure(10, 8.6)
    with style():
        ax = fig.add_subplot()
        _timeline(ax, data, min_marker_days=60)
        n = len(data)
        n_mali = int((data["story"] == "mali").sum())
        ax.axhline(n - n_mali - 0.5, color="#999999", lw=0.8)
        ax.text(_x("2014-07-01"), n - 1, "Mali story (Sept 2021)", color=BLUE, weight="bold", fontsize=9.5, va="center")
        ax.text(_x("2014-07-01"), n - n_mali - 1, "NATO story (Feb 2020)", color=ORANGE, weight="bold", fontsize=9.5, va="center")
        _date_axis(ax, "2010-01-01", "2025-01-01")
        ax.set_xlabel("Year (bars span the year or month the source gives; diamonds mark a day)")
        handles = evidence_handles(set(data["evidence"]), GREY)
        handles += [Patch(color=BLUE, label="Mali story"), Patch(color=ORANGE, label="NATO story")]
        ax.legend(handles=handles, loc="lower left", fontsize=8)
    return fig


# --------------------------------------------------------------------------- source lines


def source_line(tables, data: pd.DataFrame, extra: str = "", also: Iterable[str] = ()) -> str:
    """'Source: ...' built from the sources of the rows actually plotted, article first, then outside reports.

    ``also`` names further source ids that the chart's texts rely on (a note citing an outside report).
    """
    src = tables["sources"].set_index("id")
    ids = list(dict.fromkeys([*data["source_id"].dropna(), *also]))
    unknown = [i for i in ids if i not in src.index]
    if unknown:
        raise ChartError(f"plotted rows cite unknown source(s) {unknown}")
    article, outside, datasets = [], [], []
    for i in ids:
        s = src.loc[i]
        if s["kind"] == "article_part":
            when = s["date"] + (f" to {s['date_end']}" if pd.notna(s["date_end"]) else "")
            story = "Mali" if s["part"] == "before_splice" else "NATO"
            article.append(f"the article's {story} story ({s['path']}, dated {when} by inference)")
        elif s["kind"] == "seed_file":
            article.append(f"the article ({s['path']})")
        elif s["kind"] == "dataset":
            datasets.append(f"{s['publisher']} ({s['url']})")
        else:
            outside.append(f"{s['publisher']}, {s['date']} ({s['url']})")
    parts = ["; ".join(article)] if article else []
    if outside:
        parts.append("outside reporting: " + "; ".join(outside))
    if datasets:
        parts.append("reference data: " + "; ".join(datasets))
    line = "Source: " + "; ".join(parts) + "."
    return line + (f" {extra}" if extra else "")
