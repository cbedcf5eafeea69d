"""Primitives that know the layout: which wording fits, where a text wraps, how many ticks an axis holds and where a
legend goes are the kit's choices, made from the room a figure has at its width (measured as the renderer draws
text), so a figure body says what to draw, not how at each width."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import FontProperties

from .finishing import FinishError, fit, layout_of, legend_below, wrap_to_width


def _width_in(fig, text: str, size: float, weight: str = "normal") -> float:
    """The width of the widest line of ``text`` at ``size`` points, in inches, as the figure's renderer draws it."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    return max(renderer.get_text_width_height_descent(line, prop, ismath=False)[0] for line in text.split("\n")) / fig.dpi


def axes_width(ax) -> float:
    """The axes' width in inches once what is drawn so far is laid out (``fit``: tick labels, axis titles and
    legends take their room first, as they will in the finished figure)."""
    fit(ax.figure, (0, 0, 1, 1))
    return ax.get_position().width * ax.figure.get_figwidth()


def words(ax, *options: str, room: float | None = None, size: float | None = None, weight: str = "normal") -> str:
    """The first of ``options`` (most explicit first) whose widest line fits ``room`` inches (by default the axes'
    width) at ``size`` (by default the layout's text size); the last option if none fits."""
    if not options:
        raise FinishError("words() needs at least one wording")
    size = size or layout_of(ax.figure).text
    room = axes_width(ax) if room is None else room
    for text in options:
        if _width_in(ax.figure, text, size, weight) <= room:
            return text
    return options[-1]


def text_share(ax, text: str, axis: str = "x", size: float | None = None, weight: str = "normal") -> float:
    """The share of the axes' width (``axis='x'``) or height (``'y'``) that ``text`` takes at ``size`` (by default the
    layout's text size), its widest line or all its lines: for leaving room on the axes for a label."""
    fig = ax.figure
    size = size or layout_of(fig).text
    if axis == "x":
        return _width_in(fig, text, size, weight) / axes_width(ax)
    lines = text.count("\n") + 1
    return lines * size * 1.22 / 72 / (ax.get_position().height * fig.get_figheight())


def wrap(ax, text: str, room: float | None = None, size: float | None = None) -> str:
    """``text`` broken into lines no wider than ``room`` inches (by default the axes' width) at ``size`` points."""
    size = size or layout_of(ax.figure).text
    room = axes_width(ax) if room is None else room
    renderer = FigureCanvasAgg(ax.figure).get_renderer()
    return "\n".join(
        line
        for paragraph in text.split("\n")  # a line break in the text stays
        for line in wrap_to_width(renderer, paragraph, size, "normal", room, ax.figure.dpi)
    )


def year_ticks(ax, label: str = "2000") -> None:
    """Ticks on a date x axis every 1, 2, 5 or 10 years: as often as the axis holds labels like ``label`` with a
    label's width between them."""
    lo, hi = (mdates.num2date(v).year for v in ax.get_xlim())
    room = axes_width(ax) / (2 * _width_in(ax.figure, label, layout_of(ax.figure).text))
    base = next(b for b in (1, 2, 5, 10, 20, 50) if (hi - lo) / b <= max(room, 1))
    ax.xaxis.set_major_locator(mdates.YearLocator(base))


def month_ticks(ax, fmt: str = "%b\n%Y") -> None:
    """Ticks on a date x axis every 1, 2, 3 or 6 months (on the first of the month), as often as labels written as
    ``fmt`` fit; where only one a year fits, a tick each January, labelled with its year."""
    lo, hi = ax.get_xlim()
    months = (hi - lo) / 30.44
    sample = mdates.num2date(lo).strftime(fmt)
    room = axes_width(ax) / (1.6 * _width_in(ax.figure, sample, layout_of(ax.figure).text))
    every = next((m for m in (1, 2, 3, 6) if months / m <= max(room, 1)), 12)
    if every == 12:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=1, bymonthday=1))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, every), bymonthday=1))  # from January
        ax.xaxis.set_major_formatter(mdates.DateFormatter(fmt))


def columns_for(fig, labels: list[str], most: int = 4, size: float | None = None) -> int:
    """How many legend columns of these labels (each with its swatch) the figure's width holds, at most ``most``."""
    size = size or layout_of(fig).small
    widest = max(_width_in(fig, label, size) for label in labels) + 4 * size / 72
    return max(1, min(most, int((fig.get_figwidth() - 0.2) // widest)))


def count_ticks(ax, axis: str = "x", integer: bool = False) -> None:
    """Round-number ticks (1, 2, 5 and their tens) on a count axis, as many as its length holds at the layout's text
    size (matplotlib's own 'auto' tick count, which reads the axis length and the label size)."""
    locator = mticker.MaxNLocator(nbins="auto", steps=[1, 2, 5, 10], integer=integer)
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_locator(locator)


def legend_beside(ax, handles: list, *, title: str | None = None, **kw):
    """A legend right of the plot when the figure is wide enough for it beside the data (the page), else under it
    (``legend_below``): the kit places it, from the room the labels need."""
    fig = ax.figure
    size = layout_of(fig).small
    longest = max((_width_in(fig, h.get_label(), size) for h in handles), default=0) + 3 * size / 72
    if fig.get_figwidth() - axes_width(ax) >= longest * 1.2 and not layout_of(fig).narrow:
        return ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0), **kw)
    return legend_below(ax, handles, title=title, **kw)


def rows_height(labels: list[str], gap: float = 0.25) -> float:
    """Lines of text a chart of one row per label needs: each row as tall as its label's lines, with ``gap`` lines
    between rows (for ``new_figure(lines=...)``)."""
    return sum(label.count("\n") + 1 + gap for label in labels)
