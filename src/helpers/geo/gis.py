"""Places and events for GIS users: one GeoPackage (layers ``places``, ``events``) and two GeoJSON files, EPSG:4326."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..export import atomic_files
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
    with atomic_files(targets) as temps:
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
