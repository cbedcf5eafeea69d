"""Drawing maps: a map panel with a key below it, the basemap with chosen countries filled by role, country and
place labels kept apart by adjustText, great-circle lines, and the rows of a map's CSV.

Every map goes through the same ``finish`` and ``export`` as the charts.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import Collection
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from shapely.geometry import box
from shapely.ops import polylabel

from ..facts import source_kinds
from ..figures.finishing import GAP, fit, layout_of, set_plot_height, wrap_to_width
from ..figures.provenance import source_line as chart_source_line
from ..figures.theme import COUNTRY_EDGE, COUNTRY_FILL, GREY_MUTED, GREY_RULE, lighten
from .basemap import WGS84, GeoError, Region, frame_bounds, projected_countries, provenance
from .checks import GEOD


def frame(ax, region: Region) -> None:
    """Fit the axes to the region's frame in its projection, equal aspect, no degree axes (and none of the axis
    titles geopandas gives a projected plot, which would still count as texts of the figure)."""
    x0, y0, x1, y1 = frame_bounds(region)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_axis_off()


def basemap(ax, region: Region, fills: dict[str, dict]) -> gpd.GeoDataFrame:
    r = region
    world = projected_countries(region)
    world.plot(ax=ax, color=COUNTRY_FILL, edgecolor=COUNTRY_EDGE, linewidth=0.5, zorder=1)
    for iso, st in fills.items():
        part = world[world["iso_a2"] == iso]
        if part.empty:
            raise GeoError(f"country {iso!r} is not on the {r.name} map")
        part.plot(ax=ax, zorder=2, gid=f"country:{iso}", **st)
    return world


def country_labels(ax, world: gpd.GeoDataFrame, isos: list[str], region: Region, **kw) -> list:
    frame = box(*frame_bounds(region))
    texts = []
    for iso in isos:
        shape = world.loc[world["iso_a2"] == iso, "geometry"].union_all().intersection(frame)
        if shape.is_empty:
            continue
        # the pole of inaccessibility of the country's largest visible part: its visual centre, where a name sits
        # farthest from the borders (shapely's polylabel), rather than any point inside it
        part = max(getattr(shape, "geoms", [shape]), key=lambda g: g.area)
        pt = polylabel(part, tolerance=part.length / 1000) if part.geom_type == "Polygon" else shape.representative_point()
        name = world.loc[world["iso_a2"] == iso, "NAME"].iloc[0]
        # a white halo under the letters, as cartographers set names over hatching or lines: readable on any fill
        halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
        kw = {"fontsize": layout_of(ax.figure).small, "path_effects": halo} | kw
        texts.append(ax.text(pt.x, pt.y, name.upper(), ha="center", va="center", color=GREY_MUTED, style="italic",
                             zorder=3, **kw))  # fmt: skip
    return texts


def projected(gdf: gpd.GeoDataFrame, region: Region) -> gpd.GeoDataFrame:
    """Points or shapes in the region's projection."""
    return gdf.to_crs(region.crs)


def map_axes(fig: Figure, key_height: float | None = None):
    """A map panel on top and a key panel (legend, findings) below it, so neither hides the map; ``key_height`` is
    the key's share of the plot height (a column layout needs more, its legend has one column)."""
    key_height = key_height or layout_of(fig).pick(0.16, 0.3)
    # a first size with room for the map, its legend and notes: fit_map gives the figure its final height
    set_plot_height(fig, max(fig.get_figheight(), fig.get_figwidth() * 1.5))
    # no hspace here: a grid with its own spacing is one tight_layout (finish) leaves alone
    grid = fig.add_gridspec(2, 1, height_ratios=[1 - key_height, key_height])
    ax, key = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    key.set_axis_off()
    return ax, key


def fit_map(fig: Figure, ax, key) -> None:
    """Size the figure to its map and key: the map panel as tall as the frame is at the panel's width (equal aspect,
    so no blank band beside or above the map), the key panel as tall as what is drawn in it (legend, notes) and a gap
    to keep it off the footer. Call it once the key is drawn, before the labels are moved apart (they are spaced at
    the final size)."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    grid = ax.get_subplotspec().get_gridspec()
    for _ in range(8):  # tight_layout's spacing is a share of the panels' height: resize until it settles
        fit(fig)
        fig.draw_without_rendering()
        height, dpi = fig.get_figheight(), fig.dpi
        cell, key_cell = ax.get_position(original=True), key.get_position(original=True)
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        map_h = cell.width * fig.get_figwidth() * (y1 - y0) / (x1 - x0)
        drawn = [key.get_legend(), *key.texts]
        boxes = [a.get_window_extent(renderer) for a in drawn if a is not None and a.get_visible()]
        boxes += [t.get_bbox_patch().get_window_extent(renderer) for t in key.texts if t.get_bbox_patch()]
        key_h = (key_cell.y1 * height * dpi - min(b.y0 for b in boxes)) / dpi + GAP if boxes else key_cell.height * height
        grow = map_h - cell.height * height + key_h - key_cell.height * height
        grid.set_height_ratios([map_h, key_h])
        set_plot_height(fig, height + grow)
        if abs(grow) < 0.005:
            break
    fit(fig)


def adjust_labels(fig: Figure, ax, texts: list, points, avoid: list | None = None) -> None:
    """Move labels apart with adjustText (a real library, not a hand-made layout), off the ``points`` they name and
    the artists in ``avoid`` (country names; markers, since a point has no size and a marker has). The figure is laid
    out first (``finish.fit``, as ``finish`` will lay it out), so the labels are kept apart at the size the map is
    printed; the search runs a fixed number of steps, not for a time, so the same map is drawn the same way."""
    from adjustText import adjust_text

    renderer = FigureCanvasAgg(fig).get_renderer()  # adjustText measures text on a real renderer
    fit(fig)
    fig.draw_without_rendering()
    xs = [p.x for p in points]
    ys = [p.y for p in points]
    adjust_text(
        texts,
        x=xs,
        y=ys,
        objects=[_data_box(ax, a, renderer) for a in avoid or []] or None,
        ax=ax,
        expand=(1.25, 1.5),
        iter_lim=500,
        arrowprops={"arrowstyle": "-", "color": GREY_MUTED, "lw": 0.6, "zorder": 5},
    )
    # where a place's label still touches a country's name, the name gives way: it is moved a little inside its
    # country, with no leader line (a country's name marks an area, not a point)
    names = [a for a in avoid or [] if isinstance(a, Text)]
    fig.draw_without_rendering()
    boxes = {id(t): t.get_window_extent(renderer) for t in [*texts, *names]}
    clash = [n for n in names if any(boxes[id(n)].overlaps(boxes[id(t)]) for t in texts)]
    if clash:
        fixed = [*texts, *(a for a in avoid if not isinstance(a, Text) or a not in clash)]
        adjust_text(clash, objects=[_data_box(ax, a, renderer) for a in fixed], ax=ax, expand=(1.1, 1.3), iter_lim=300)


def _data_box(ax, artist, renderer) -> Bbox:
    """What an artist covers, in data coordinates (adjustText takes the boxes of things to avoid in data units):
    a text's extent, or a scatter marker's square (a collection reports no extent of its own)."""
    if isinstance(artist, Collection):
        ((x, y),) = ax.transData.transform(artist.get_offsets()[:1])
        half = (artist.get_sizes()[0] ** 0.5) / 2 * ax.figure.dpi / 72
        box = Bbox.from_extents(x - half, y - half, x + half, y + half)
    else:
        box = artist.get_window_extent(renderer)
    return box.transformed(ax.transData.inverted())


BESIDE_MIN = 2.4  # inches: the narrowest room beside the legend a note is set in; less, and it goes under the legend


def key_legend(key, handles: list, columns: list[list] | None = None, **kw):
    """The map's legend in its key panel, in as many columns as the figure's width holds for these labels (at most
    two); ``columns`` (the handles in groups, one group a column) is followed when there is room for them side by
    side. The kit chooses, from the labels' measured widths (``figures.adapt.columns_for``)."""
    from ..figures.adapt import columns_for

    ncols = columns_for(key.figure, [h.get_label() for h in handles], most=2)
    if columns and ncols == len(columns):
        handles = [h for group in columns for h in group]
    return key.legend(handles=handles, loc="upper left", ncols=ncols, frameon=False, borderaxespad=0, **kw)


def key_note(key, legend, text: str, below: bool | None = None, **kw):
    """A boxed note (a finding, or lists) in the key panel, set in the layout's small size: beside the legend, or
    under it when the room beside it is narrower than ``BESIDE_MIN`` (or ``below`` says so). Each line of ``text`` is
    wrapped to the room left, as the renderer measures it; the note is placed relative to the legend's drawn extent,
    so it moves with it. ``bbox=None`` drops the box; other keywords go to ``annotate``."""
    fig = key.figure
    size = layout_of(fig).small
    renderer = FigureCanvasAgg(fig).get_renderer()
    fit(fig)
    fig.draw_without_rendering()  # the legend's extent is known once it is drawn
    leg, panel = legend.get_window_extent(renderer), key.get_window_extent(renderer)
    if below is None:
        below = (panel.x1 - leg.x1) / fig.dpi < BESIDE_MIN
    pad = size * 0.6  # points between the box's edge and its text
    room = (panel.width if below else panel.x1 - leg.x1) / fig.dpi - 4 * pad / 72
    lines = "\n".join(line for part in text.split("\n") for line in wrap_to_width(renderer, part, size, "normal", room, fig.dpi))
    at, offset = ((0, 0), (pad, -2 * pad)) if below else ((1, 1), (3 * pad, -pad))
    style = {"fontsize": size, "va": "top", "ha": "left", "zorder": 8, "gid": "finding", "annotation_clip": False,
             "clip_on": False,  # unclipped: tight_layout (finish) then makes room for it
             "bbox": {"facecolor": "white", "edgecolor": GREY_RULE, "pad": pad}} | kw  # fmt: skip
    return key.annotate(lines, xy=at, xycoords=legend, xytext=offset, textcoords="offset points", **style)


def fill(colour: str, kind: str) -> dict:
    """Country fills by role; fill, hatch and line style differ, so they survive greyscale printing."""
    light = lighten(colour, 0.75)
    return {
        "focus": {"facecolor": light, "edgecolor": colour, "linewidth": 1.6},
        "listed": {"facecolor": lighten(colour, 0.55), "edgecolor": colour, "linewidth": 0.9},
        "omitted": {"facecolor": "white", "edgecolor": colour, "hatch": "///", "linewidth": 0.9},
        "wrong": {"facecolor": "white", "edgecolor": colour, "hatch": "xx", "linewidth": 1.2, "linestyle": "--"},
    }[kind]


def place_rows(places: gpd.GeoDataFrame, role: dict[str, str], label: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": "place",
            "id": places["id"],
            "name": places["name"],
            "country_code": places["country_code"].astype(str),
            "longitude": places.geometry.x.round(5),
            "latitude": places.geometry.y.round(5),
            "role": places["id"].map(role),
            "label": places["id"].map(label),
            "source_id": places["source_id"],
            "quote": places["quote"],
            "coord_source": places["coord_source"],
            "value_km": pd.NA,
        }
    )


def legend_marker(m: dict) -> dict:
    return {"marker": m["marker"], "markersize": (m["s"] ** 0.5), "markerfacecolor": m["color"], "markeredgecolor": "white"}


def event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """Events a map shows (in labels or legend), as rows of the map's CSV."""
    return pd.DataFrame(
        {
            "kind": "event",
            "id": events["id"],
            "name": events.get("line", events["label"]),
            "role": events["event_status"].astype(str),
            "date": events["date"],
            "place_id": events["place_id"],
            "source_id": events["source_id"],
            "quote": events["quote"],
        }
    )


def great_circle(ax, a, b, region: Region, n: int = 60, **kw):
    """The geodesic between two lon/lat points, drawn as a line in the region's projection; returns the line's points."""
    lonlats = [(a.x, a.y), *GEOD.npts(a.x, a.y, b.x, b.y, n), (b.x, b.y)]
    line = gpd.GeoSeries(gpd.points_from_xy(*zip(*lonlats, strict=True)), crs=WGS84).to_crs(region.crs)
    ax.plot(line.x, line.y, **kw)
    return line


def line_label(ax, line: gpd.GeoSeries, text: str, gap: float = 4, **kw):
    """A label beside a drawn line (the points ``great_circle`` returns) at its middle, ``gap`` points off the line on
    the side that faces up or right, aligned so that it grows away from the line. Returns the annotation."""
    k = len(line) // 2
    a, b, mid = line.iloc[max(k - 1, 0)], line.iloc[min(k + 1, len(line) - 1)], line.iloc[k]
    nx, ny = b.y - a.y, a.x - b.x  # normal to the line (the map has equal aspect: data and page directions agree)
    norm = math.hypot(nx, ny) or 1.0
    nx, ny = (nx / norm, ny / norm) if nx + ny >= 0 else (-nx / norm, -ny / norm)
    ha = "left" if nx > 0.38 else "right" if nx < -0.38 else "center"
    va = "bottom" if ny > 0.38 else "top" if ny < -0.38 else "center"
    return ax.annotate(text, (mid.x, mid.y), xytext=(nx * gap, ny * gap), textcoords="offset points", ha=ha, va=va, **kw)


def source_line(tables, data: pd.DataFrame, extra: str = "", also=()) -> str:
    """A map's 'Source:' line: the article parts and reports behind the plotted rows, then the reference data
    (Natural Earth, GeoNames and any other coordinate source), with versions and licences. ``also`` names further
    source ids the map's texts rely on (a note citing an outside report)."""
    kinds = source_kinds(tables)
    coords = [c for c in data.get("coord_source", pd.Series(dtype=str)).dropna().unique() if kinds.get(c) != "dataset"]
    # the reference datasets are named once, with version and licence, by provenance(): not again as "reference data"
    rows = data[data["source_id"].map(kinds) != "dataset"]
    return chart_source_line(tables, rows, f"{provenance()}. {extra}".strip(), also=[*coords, *also])
