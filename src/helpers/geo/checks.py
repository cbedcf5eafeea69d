"""Geometry that checks the text, and the places and events as GeoDataFrames.

Neighbours come from polygon intersection of the full 1:10m borders; distances are geodesic on the WGS84 ellipsoid
(pyproj's ``Geod``, no hand-written haversine). A place that cannot be mapped is refused with its file, row and
column.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from pyproj import Geod
from shapely.geometry import Point
from shapely.ops import nearest_points

from .basemap import NATURAL_EARTH, WGS84, GeoError, Region, countries, country_shape

GEOD = Geod(ellps="WGS84")


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


def check_places(places: gpd.GeoDataFrame, region: Region) -> None:
    """Refuse places a map cannot show: an unknown country code, or a point outside the region."""
    r = region
    known = set(countries()["iso_a2"])
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


def select_places(tables, ids: list[str], region: Region) -> gpd.GeoDataFrame:
    """The named places, checked for the region, in the order given."""
    gdf = places_gdf(tables).set_index("id", drop=False)
    missing = [i for i in ids if i not in gdf.index]
    if missing:
        raise GeoError(f"data/places.csv: no place with id {missing}")
    chosen = gdf.loc[ids].reset_index(drop=True)
    check_places(chosen, region)
    return chosen


def neighbours(iso_a2: str) -> list[str]:
    """Names of the countries whose Natural Earth polygons touch this one's, alphabetically."""
    shape = country_shape(iso_a2)
    world = countries()
    touching = world[(world["iso_a2"] != iso_a2) & world.intersects(shape)]
    return sorted(touching["NAME"])


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


def pairwise_km(tables, ids: list[str]) -> pd.DataFrame:
    """Geodesic distances in km between each pair of the given places."""
    p = places_gdf(tables).set_index("id")
    rows = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            rows.append({"from": a, "to": b, "km": round(geodesic_km(p.loc[a, "geometry"], p.loc[b, "geometry"]), 1)})
    return pd.DataFrame(rows)


def country_gap_km(a: str, b: str) -> float:
    """Shortest distance between two countries, in km (equidistant projection centred between them)."""
    sa, sb = country_shape(a), country_shape(b)
    pa, pb = nearest_points(sa, sb)
    mid = Point((pa.x + pb.x) / 2, (pa.y + pb.y) / 2)
    aeqd = f"+proj=aeqd +lat_0={mid.y} +lon_0={mid.x} +datum=WGS84 +units=m"
    ga, gb = gpd.GeoSeries([sa, sb], crs=WGS84).to_crs(aeqd)
    qa, qb = nearest_points(ga, gb)
    qa_ll, qb_ll = gpd.GeoSeries([qa, qb], crs=aeqd).to_crs(WGS84)
    return geodesic_km(qa_ll, qb_ll)
