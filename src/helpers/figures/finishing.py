"""Finishing a report figure: a title that states the finding, a subtitle with units and scope, and a footer with
``Source:`` and ``Note:``. Every figure passes through ``finish`` before ``export`` accepts it.

Figures are plain ``matplotlib.figure.Figure`` objects (no pyplot state), so they render the same in a kernel,
a test or the build.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from .theme import GREY_MUTED, GREY_SOFT, INK, PAGE, Layout, style

MARGIN = 0.08  # inches between the canvas edge and the texts finish() draws
PRINT_DPI = 300  # text is measured at the resolution it is printed at: hinting changes its width at screen sizes
GAP = 0.06  # inches between the header, the plot and the footer
LEADING = 1.22  # line height as a multiple of the text size


class FinishError(ValueError):
    pass


@dataclass
class _Made:
    """What the kit knows of a figure it made: kept beside the figure (a weak map), not in attributes set on
    matplotlib's object."""

    layout: Layout
    plot_height: float
    lines: float | None = None  # the data area's height in lines of the layout's text, if asked for (new_figure)
    rect: tuple = (0, 0, 1, 1)  # the plot's share of the figure once finish() has added its texts
    finished: bool = False
    texts: dict = field(default_factory=dict)


_MADE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # figure -> _Made; gone with the figure


def _made(fig: Figure) -> _Made:
    """The kit's record of ``fig``; a figure made elsewhere gets the page layout at its current height."""
    if fig not in _MADE:
        _MADE[fig] = _Made(PAGE, fig.get_figheight())
    return _MADE[fig]


def new_figure(layout: Layout = PAGE, height: float | None = None, *, lines: float | None = None) -> Figure:
    """A figure as wide as ``layout`` prints it. Its height is the kit's to choose from what is drawn: ``lines`` is
    the height of the data area (the axes) in lines of the layout's text, and ``finish`` grows the figure by whatever
    the tick labels, axis titles and a legend below take at this width, then by the title, subtitle and footer; so
    the same figure body gives a page and a column figure each as tall as it needs. ``height`` (inches) fixes the
    plot's height instead (a map sizes itself: ``geo.fit_map``)."""
    if lines is not None:
        height = lines * layout.text * LEADING / 72 + 1.0  # a first guess; finish() settles it
    height = height or layout.width * 0.55
    with style(layout):
        fig = Figure(figsize=(layout.width, height), dpi=PRINT_DPI)  # measured at the dpi it is printed at
    _MADE[fig] = _Made(layout, height, lines)
    return fig


def _grow_to_lines(fig: Figure) -> None:
    """Resize the figure until its axes are ``lines`` of text tall (panels stacked one over another add up, panels
    side by side count once), whatever the tick labels, axis titles and legends around and between them take (laid
    out by ``fit``, as the finished figure will be)."""
    made = _made(fig)
    target = made.lines * made.layout.text * LEADING / 72
    # start tall enough for what hangs around the axes, so the first layout can succeed; the loop then settles it
    set_plot_height(fig, max(fig.get_figheight(), target * 1.5 + 2.0))
    for _ in range(8):
        fit(fig, (0, 0, 1, 1))
        spans = sorted((ax.get_position().y0, ax.get_position().y1) for ax in fig.axes if ax.get_visible() and ax.axison)
        if not spans:
            return
        covered, (lo, hi) = 0.0, spans[0]  # the heights the axes cover, side-by-side panels counted once
        for y0, y1 in spans[1:]:
            if y0 > hi:
                covered, lo = covered + hi - lo, y0
            hi = max(hi, y1)
        grow = target - (covered + hi - lo) * fig.get_figheight()
        set_plot_height(fig, fig.get_figheight() + grow)
        if abs(grow) < 0.005:
            return


def set_plot_lines(fig: Figure, lines: float) -> None:
    """Ask for the data area to be ``lines`` of text tall (see ``new_figure``), once a figure body knows how many lines
    its labels take at this width."""
    _made(fig).lines = lines


def set_plot_height(fig: Figure, height: float) -> None:
    """Change the plot's height (inches) of a figure not yet finished: the figure is resized, and ``finish`` keeps it."""
    fig.set_figheight(height)
    _made(fig).plot_height = height


def layout_of(fig: Figure) -> Layout:
    """The layout a figure was made for (``new_figure``)."""
    return _made(fig).layout


def plot_rect(fig: Figure) -> tuple:
    """The part of a finished figure its plot takes (left, bottom, right, top as fractions): the rest is its texts."""
    return _made(fig).rect


def finish(fig: Figure, title: str, subtitle: str, source: str, note: str | None = None) -> Figure:
    """Title that states the finding, subtitle with units and scope, footer with Source and Note.

    The texts are set in the layout's sizes and wrapped to the figure's width as measured by the renderer; the figure
    grows by the room they take, so the plot keeps the height ``new_figure`` gave it. The axes are then fitted between
    header and footer by matplotlib's ``tight_layout``. The texts are kept on the figure (``texts_of``) for the
    caption and the plain variant.
    """
    if not title or not source:
        raise FinishError("a report figure needs a title and a source line")
    title = title[:1].upper() + title[1:]  # a title is a sentence, whatever word a computed title begins with
    layout = layout_of(fig)
    if _made(fig).lines is not None:
        with style(layout):
            _grow_to_lines(fig)
    renderer = FigureCanvasAgg(fig).get_renderer()
    room = (fig.get_figwidth() - 2 * MARGIN) * 0.97  # slack: hinting at a lower dpi can widen a line a little
    source = source if source.startswith("Source:") else f"Source: {source}"
    note = (note if note.startswith("Note:") else f"Note: {note}") if note else ""
    head = [("title", title, layout.title, "bold", INK), ("subtitle", subtitle, layout.subtitle, "normal", GREY_SOFT)]
    foot = [("source", source, layout.foot, "normal", GREY_MUTED), ("note", note, layout.foot, "normal", GREY_MUTED)]
    head = [(g, wrap_to_width(renderer, t, size, w, room, fig.dpi), size, w, c) for g, t, size, w, c in head if t]
    foot = [(g, wrap_to_width(renderer, t, size, w, room, fig.dpi), size, w, c) for g, t, size, w, c in foot if t]
    head_h = MARGIN + sum(len(ls) * size * LEADING / 72 for _, ls, size, *_ in head) + GAP * len(head)
    foot_h = MARGIN + sum(len(ls) * size * LEADING / 72 for _, ls, size, *_ in foot) + GAP
    plot_h = _made(fig).plot_height
    height = plot_h + head_h + foot_h
    fig.set_figheight(height)
    with style(layout):
        y = height - MARGIN
        for gid, lines, size, weight, colour in head:
            for i, line in enumerate(lines):
                fig.text(MARGIN / fig.get_figwidth(), y / height, line, fontsize=size, weight=weight, color=colour,
                         va="top", ha="left", gid=f"{gid}-{i}")  # fmt: skip
                y -= size * LEADING / 72
            y -= GAP
        y = MARGIN
        for gid, lines, size, weight, colour in reversed(foot):
            for i, line in reversed(list(enumerate(lines))):
                fig.text(MARGIN / fig.get_figwidth(), y / height, line, fontsize=size, weight=weight, color=colour,
                         va="bottom", ha="left", gid=f"{gid}-{i}")  # fmt: skip
                y += size * LEADING / 72
    _made(fig).rect = (0, foot_h / height, 1, 1 - head_h / height)
    with style(layout):
        fit(fig)
    _made(fig).finished = True  # export refuses an unfinished chart
    _made(fig).texts = {"title": title, "subtitle": subtitle, "source": source, "note": note}
    return fig


def fit(fig: Figure, rect=None) -> None:
    """Fit the axes (with their tick labels, axis titles and legends) into ``rect`` (figure fraction; by default the
    room between header and footer) with matplotlib's ``tight_layout``. If matplotlib cannot lay the figure out (axes
    it does not manage, or no room left), that is an error naming why, not a figure left at its default positions."""
    import warnings

    rect = rect or _made(fig).rect
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        for _ in range(3):  # a legend anchored in axes fraction moves with the axes: settle it in a few passes
            before = [ax.get_position().bounds for ax in fig.axes]
            fig.tight_layout(rect=rect, pad=0.5, h_pad=0.6, w_pad=0.6)
            if before and all(
                abs(a - b) < 1e-4
                for p, q in zip(before, (ax.get_position().bounds for ax in fig.axes), strict=True)
                for a, b in zip(p, q, strict=True)
            ):
                break  # settled  # fmt: skip
    said = sorted({str(w.message) for w in caught if issubclass(w.category, UserWarning)})
    if said:
        raise FinishError("the axes could not be fitted between title and footer (matplotlib's tight_layout: "
                          f"{'; '.join(said)}); make them with add_subplot or fig.add_gridspec, with room to spare")  # fmt: skip


def wrap_to_width(renderer, text: str, size: float, weight: str, room: float, dpi: float) -> list[str]:
    """``text`` broken into lines no wider than ``room`` inches at ``size`` points, measured as the renderer draws them
    (a figure's header and footer, a map's key note)."""
    prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)

    def width(s: str) -> float:
        return renderer.get_text_width_height_descent(s, prop, ismath=False)[0] / dpi

    lines, line = [], ""
    for word in (w for w in text.split(" ") if w):  # a no-break space (\u00a0) holds its words together
        trial = f"{line} {word}".strip(" ")
        if line and width(trial) > room:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines or [""]


def texts_of(fig: Figure) -> dict:
    """What ``finish`` put on the figure: title, subtitle, source and note."""
    return dict(_made(fig).texts)


def caption(texts: dict) -> str:
    """A caption for a report: the finding, the units and scope, and the note."""
    note = texts.get("note", "").removeprefix("Note: ")
    return " ".join(t for t in (texts["title"].rstrip(".") + ".", texts["subtitle"], note) if t)


def figure_texts(fig: Figure, part: str) -> str:
    """The text of a finished figure's title, subtitle, source or note (for tests and checks)."""
    lines = [t for t in fig.texts if (t.get_gid() or "").startswith(part + "-")]
    lines.sort(key=lambda t: int(t.get_gid().rsplit("-", 1)[1]))  # the footer is drawn bottom line first
    return " ".join(t.get_text() for t in lines)


def is_finished(fig: Figure) -> bool:
    return _made(fig).finished


def ordinal(n: int) -> str:
    """52 -> '52nd', for titles written from the data."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def thousands(n) -> str:
    """5000 -> '5,000'."""
    return f"{int(n):,}"


def listed(words, last: str = "and") -> str:
    """Words as a reader lists them: 'a', 'a and b', 'a, b and c' (``last`` = 'or': 'a, b or c')."""
    words = [str(w) for w in words]
    if not words:
        raise FinishError("nothing to list")
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def legend_below(ax, handles: list, *, title: str | None = None, **kw):
    """A legend under the plot, centred below its tick labels and axis title, in as many columns as the layout's width
    holds for these labels: the kit places it, so a figure body says only what the legend lists."""
    from matplotlib.transforms import ScaledTranslation

    layout = layout_of(ax.figure)
    # inches below the axes taken by what hangs under them (tick labels of one or more lines, the axis title), as drawn
    renderer = FigureCanvasAgg(ax.figure).get_renderer()
    old = ax.get_legend()
    if old is not None:
        old.set_visible(False)
    ax.figure.draw_without_rendering()
    tight = ax.get_tightbbox(renderer)
    if old is not None:
        old.set_visible(True)
    drop = (ax.get_window_extent(renderer).y0 - tight.y0) / ax.figure.dpi + layout.text / 2 / 72
    longest = max((len(h.get_label()) for h in handles), default=0)
    room = 2 if layout.narrow else 4
    if longest > (20 if layout.narrow else 30):
        room = max(1, room // 2)
    below = ax.transAxes + ScaledTranslation(0, -drop, ax.figure.dpi_scale_trans)
    return ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=below,
                     ncols=min(len(handles), room), title=title, **kw)  # fmt: skip


# How a figure's words say a count's bound (troops.csv and record.csv: bound): the word before the number, and what
# the bound is, in words
BOUND_WORDS = {"exact": ("", "as given"), "approximate": ("about ", "a round figure"), "lower_bound": ("over ", "a lower bound"),
               "up_to": ("up to ", "an upper bound"), "range": ("", "a range")}  # fmt: skip


def qualified(value, bound: str | None, high=None, *, fmt=thousands) -> str:
    """A count with its qualifier, as the row gives it: 'over 5,000', 'about 3,000', 'up to 5,500', '800–900'. The words
    come from the row's ``bound``, so a changed bound changes every text built with it; ``fmt`` writes the number."""
    if bound not in BOUND_WORDS:
        raise FinishError(f"unknown bound {bound!r}; expected one of {', '.join(BOUND_WORDS)}")
    if bound == "range":
        return f"{fmt(value)}–{fmt(high)}"
    return BOUND_WORDS[bound][0] + fmt(value)


def bound_words(bound: str) -> str:
    """What a bound is, in words: 'a lower bound', 'a round figure'."""
    if bound not in BOUND_WORDS:
        raise FinishError(f"unknown bound {bound!r}; expected one of {', '.join(BOUND_WORDS)}")
    return BOUND_WORDS[bound][1]
