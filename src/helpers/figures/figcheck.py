"""The figure check: measured on the drawn figure (matplotlib's renderer extents), at the size it is published.

- no text outside the canvas;
- no two texts overlapping;
- no text smaller than the layout allows (``Layout.min_pt``: 7 pt on a page, 6 pt in a column);
- no two entries of one legend drawn alike (a reader could not tell which is which).

Texts are every visible, non-empty text matplotlib draws: the figure's own, each axes' titles, axis labels, the tick
labels inside the view, annotations and legend texts. Extents are axis-aligned boxes (a text drawn on a box, such as a
badge, is measured with its box); a rotated text is checked by its box, which can only over-report an overlap.
Matplotlib has no such check of its own (``tight_layout`` and the constrained layout place axes; they do not report
texts that collide inside them), so it is written here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .finishing import layout_of
from .theme import style

TOLERANCE_PT = 0.75  # extents are measured to the glyph box; touching within this is not a fault


class FigureCheckError(ValueError):
    pass


@dataclass(frozen=True)
class Drawn:
    where: str  # "title", "x tick label", "legend", ...
    text: Text
    box: Bbox

    @property
    def words(self) -> str:
        t = " ".join(self.text.get_text().split())
        return repr(t if len(t) <= 48 else t[:45] + "...")


def _visible(t: Text) -> bool:
    return t.get_visible() and bool(t.get_text().strip()) and all(a.get_visible() for a in _parents(t))


def _parents(t: Artist):
    a = getattr(t, "axes", None)
    return [a] if a is not None else []


def _ticks_in_view(axis) -> list[Text]:
    lo, hi = sorted(axis.get_view_interval())
    span = (hi - lo) or 1.0
    out = []
    for tick in axis.get_major_ticks() + axis.get_minor_ticks():
        loc = tick.get_loc()
        if loc is None or not (lo - 1e-9 * span <= loc <= hi + 1e-9 * span):
            continue
        out += [lab for lab in (tick.label1, tick.label2) if lab.get_visible()]
    return out


def drawn_texts(fig: Figure, renderer=None) -> list[Drawn]:
    """Every text the figure draws, with where it is and its extent in display units (pixels at ``fig.dpi``).

    Drawn in the figure's layout style: how many ticks an axis gets depends on the tick label size in force when it
    is drawn, so the figure is measured under the same settings it is saved with."""
    renderer = renderer or FigureCanvasAgg(fig).get_renderer()
    with style(layout_of(fig)):
        fig.draw_without_rendering()  # tick labels and legends are laid out at draw time; nothing need be painted
        return _collect(fig, renderer)


def _collect(fig: Figure, renderer) -> list[Drawn]:
    found: list[tuple[str, Text]] = [("figure text", t) for t in fig.texts]
    for leg in fig.legends:
        found += [("legend", t) for t in leg.get_texts()] + [("legend title", leg.get_title())]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        found += [("axes title", t) for t in (ax.title, ax._left_title, ax._right_title)]
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            if ax.axison and axis.get_visible():  # an axis turned off draws neither its label nor its ticks
                found += [(f"{name} axis label", axis.label), *((f"{name} tick label", t) for t in _ticks_in_view(axis))]
        found += [("text", t) for t in ax.texts]
        leg = ax.get_legend()
        if leg is not None and leg.get_visible():
            found += [("legend", t) for t in leg.get_texts()] + [("legend title", leg.get_title())]
    out, seen = [], set()
    for where, t in found:
        if id(t) in seen or not _visible(t):
            continue
        seen.add(id(t))
        box = Text.get_window_extent(t, renderer)  # an annotation's text, not its arrow
        patch = t.get_bbox_patch()  # a text drawn on a box (a badge, a label on a white ground): the box counts
        if patch is not None and patch.get_visible():
            box = Bbox.union([box, patch.get_window_extent(renderer)])
        out.append(Drawn(where, t, box))
    return out


def smallest_text(fig: Figure) -> float:
    """The smallest text size drawn, in points at the figure's size."""
    sizes = [d.text.get_fontsize() for d in drawn_texts(fig)]
    return round(min(sizes), 2) if sizes else 0.0


def problems(fig: Figure, min_pt: float, texts: list[Drawn] | None = None) -> list[str]:
    """Every fault of the drawn figure, in words: which texts, and by how much."""
    texts = drawn_texts(fig) if texts is None else texts
    px = fig.dpi / 72  # display pixels per point
    tol = TOLERANCE_PT * px
    W, H = fig.bbox.width, fig.bbox.height
    out = []
    for d in texts:
        b = d.box
        over = max(-b.x0, -b.y0, b.x1 - W, b.y1 - H)
        if over > tol:
            out.append(f"{d.where} {d.words} runs {over / px:.1f} pt outside the canvas")
        size = d.text.get_fontsize()
        if size < min_pt - 1e-6:
            out.append(f"{d.where} {d.words} is {size:.1f} pt, under the {min_pt:g} pt this width needs")
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            w = min(a.box.x1, b.box.x1) - max(a.box.x0, b.box.x0)
            h = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
            if w > tol and h > tol:
                out.append(f"{a.where} {a.words} overlaps {b.where} {b.words} by {w / px:.1f} x {h / px:.1f} pt")
    for leg in [*fig.legends, *(ax.get_legend() for ax in fig.axes)]:
        if leg is None or not leg.get_visible():
            continue
        seen: dict[tuple, str] = {}
        for handle, text in zip(leg.legend_handles, leg.get_texts(), strict=False):
            key = _look(handle)
            if key is None:
                continue
            if key in seen:
                out.append(f"legend entries {seen[key]!r} and {text.get_text()!r} are drawn alike")
            else:
                seen[key] = text.get_text()
    return out


def check(fig: Figure, name: str, layout_name: str, min_pt: float) -> float:
    """Raise ``FigureCheckError`` naming the figure, the layout and every fault found; else return the smallest text
    size drawn (points)."""
    texts = drawn_texts(fig)
    found = problems(fig, min_pt, texts)
    if found:
        lines = "\n  - ".join(found)
        raise FigureCheckError(f"figure {name!r} ({layout_name} layout) fails the figure check:\n  - {lines}")
    return round(min(d.text.get_fontsize() for d in texts), 2) if texts else 0.0


def _colour(c) -> str | None:
    if c is None or (isinstance(c, str) and c == "none"):
        return None
    arr = np.asarray(c, dtype=float) if not isinstance(c, str) else None
    if arr is not None and arr.ndim == 2:
        if not len(arr):
            return None
        arr = arr[0]
    if arr is not None and len(arr) == 4 and arr[3] == 0:
        return None
    return to_hex(arr if arr is not None else c)


def _look(h) -> tuple | None:
    """What tells a legend entry apart: colours, hatch, line style, marker."""
    if isinstance(h, Patch):
        return ("patch", _colour(h.get_facecolor()), _colour(h.get_edgecolor()), h.get_hatch(), str(h.get_linestyle()))
    if isinstance(h, Line2D):
        marker = (str(h.get_marker()), _colour(h.get_markerfacecolor()), _colour(h.get_markeredgecolor()))
        return ("line", _colour(h.get_color()), str(h.get_linestyle()), *marker, round(float(h.get_linewidth()), 1))
    if isinstance(h, Collection):
        paths = h.get_paths()
        shape = tuple(np.round(paths[0].vertices, 2).ravel()) if paths else ()
        return ("collection", _colour(h.get_facecolor()), _colour(h.get_edgecolor()), h.get_hatch(), hash(shape))
    return None
