"""Finishing a report figure: a title that states the finding, a subtitle with units and scope, and a footer with
``Source:`` and ``Note:``. Every figure passes through ``finish`` before ``export`` accepts it.

Figures are plain ``matplotlib.figure.Figure`` objects (no pyplot state), so they render the same in a kernel,
a test or the build.
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure

from .style import style


class FinishError(ValueError):
    pass


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
    alt: str | None = None,
    left: float = 0.08,
    right: float = 0.97,
    below_axes: float = 0.07,
) -> Figure:
    """Title that states the finding, subtitle with units and scope, footer with Source and Note.

    Text is wrapped to the figure width and the axes are fitted between header and footer, so nothing
    overlaps whatever the length of the texts. ``below_axes`` leaves room for tick labels and axis titles.
    ``alt`` is the alt text a report gives the figure (what it shows); by default the title and subtitle.
    The texts are kept on the figure (``texts_of``) for the caption, the alt text and the plain variant.
    """
    if not title or not source:
        raise FinishError("a report figure needs a title and a source line")
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
    fig._helpers_texts = {
        "title": title,
        "subtitle": subtitle,
        "source": foot[0][1],
        "note": foot[1][1] if note else "",
        "alt": alt or f"{title}. {subtitle}",
        "below_axes": below_axes,
    }
    return fig


def texts_of(fig: Figure) -> dict:
    """What ``finish`` put on the figure: title, subtitle, source, note, alt text, and the room below the axes."""
    return dict(getattr(fig, "_helpers_texts", {}))


def caption(texts: dict) -> str:
    """A caption for a report: the finding, the units and scope, and the note."""
    note = texts.get("note", "").removeprefix("Note: ")
    return " ".join(t for t in (texts["title"].rstrip(".") + ".", texts["subtitle"], note) if t)


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


def is_finished(fig: Figure) -> bool:
    return bool(getattr(fig, "_helpers_finished", False))


def ordinal(n: int) -> str:
    """52 -> '52nd', for titles written from the data."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def thousands(n) -> str:
    """5000 -> '5,000'."""
    return f"{int(n):,}"
