"""Places and events for GIS users: one GeoPackage (layers ``places``, ``events``) and two GeoJSON files, EPSG:4326."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..atomic import atomic_files
from ..paths import figures_dir
from .checks import events_gdf, places_gdf


def export_geodata(tables, name: str = "places_events", directory: str | Path | None = None) -> dict[str, Path]:
    """Places and events as one GeoPackage (layers ``places``, ``events``) and two GeoJSON files, all or nothing."""
    out = Path(directory) if directory else figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    places = places_gdf(tables).drop(columns="row")
    events = events_gdf(tables)
    layers = {"places": _gis_ready(places), "events": _gis_ready(events)}
    targets = {"gpkg": out / f"{name}.gpkg", "places.geojson": out / "places.geojson", "events.geojson": out / "events.geojson"}
    with atomic_files(targets) as temps, _fixed_gpkg_date():
        for layer, gdf in layers.items():
            gdf.to_file(temps["gpkg"], layer=layer, driver="GPKG")
            gdf.to_file(temps[f"{layer}.geojson"], driver="GeoJSON")
    return targets


# A GeoPackage records when each layer last changed (gpkg_contents.last_change): GDAL takes this date instead of the
# clock, so that the same places give the same file, byte for byte, as the figures do (``export``).
FIXED_DATE = "2000-01-01T00:00:00.000Z"


@contextlib.contextmanager
def _fixed_gpkg_date() -> Iterator[None]:
    import pyogrio

    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_DATE})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})


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
