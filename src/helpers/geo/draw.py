"""Drawing maps: a map panel with a key below it, the basemap with chosen countries filled by role, country and
place labels kept apart by adjustText, great-circle lines, and the rows of a map's CSV.

Every map goes through the same ``finish`` and ``export`` as the charts.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from matplotlib.figure import Figure
from shapely.geometry import box

from ..facts import source_kinds
from ..provenance import source_line as chart_source_line
from ..style import lighten
from .basemap import WGS84, GeoError, Region, frame_bounds, projected_countries, provenance
from .checks import GEOD

COUNTRY_FILL = "#f2f2f2"
COUNTRY_EDGE = "#b0b0b0"


def frame(ax, region: Region) -> None:
    """Fit the axes to the region's frame in its projection, equal aspect, no degree axes."""
    x0, y0, x1, y1 = frame_bounds(region)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
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
        pt = shape.representative_point()
        name = world.loc[world["iso_a2"] == iso, "NAME"].iloc[0]
        texts.append(ax.text(pt.x, pt.y, name.upper(), ha="center", va="center", fontsize=8, color="#555555",
                             style="italic", zorder=3, **kw))  # fmt: skip
    return texts


def projected(gdf: gpd.GeoDataFrame, region: Region) -> gpd.GeoDataFrame:
    """Points or shapes in the region's projection."""
    return gdf.to_crs(region.crs)


def map_axes(fig: Figure):
    """A map panel on top and a key panel (legend, findings) below it, so neither hides the map."""
    grid = fig.add_gridspec(2, 1, height_ratios=[5.2, 1.0], hspace=0.02)
    ax, key = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    key.set_axis_off()
    return ax, key


def adjust_labels(fig: Figure, ax, texts: list, points, avoid: list | None = None) -> None:
    """Move labels apart with adjustText (a real library, not a hand-made layout)."""
    from adjustText import adjust_text
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)  # adjustText measures text on a real renderer
    xs = [p.x for p in points]
    ys = [p.y for p in points]
    adjust_text(
        texts,
        x=xs,
        y=ys,
        objects=avoid or None,
        ax=ax,
        expand=(1.25, 1.5),
        arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.6},
    )


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
        }
    )


def great_circle(ax, a, b, region: Region, n: int = 60, **kw):
    """The geodesic between two lon/lat points, drawn as a line in the region's projection; returns the line's points."""
    lonlats = [(a.x, a.y), *GEOD.npts(a.x, a.y, b.x, b.y, n), (b.x, b.y)]
    line = gpd.GeoSeries(gpd.points_from_xy(*zip(*lonlats, strict=True)), crs=WGS84).to_crs(region.crs)
    ax.plot(line.x, line.y, **kw)
    return line


def source_line(tables, data: pd.DataFrame, extra: str = "") -> str:
    """A map's 'Source:' line: the article parts and reports behind the plotted rows, then the reference data
    (Natural Earth, GeoNames and any other coordinate source), with versions and licences."""
    kinds = source_kinds(tables)
    coords = [c for c in data.get("coord_source", pd.Series(dtype=str)).dropna().unique() if kinds.get(c) != "dataset"]
    return chart_source_line(tables, data, f"{provenance()}. {extra}".strip(), also=coords)
