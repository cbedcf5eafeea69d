"""Maps and geometry: the Natural Earth basemap (``basemap``), checks of the text (``checks``), drawing (``draw``) and
GIS export (``gis``). Everything is importable from ``helpers.geo``."""

from .basemap import (
    NATURAL_EARTH,
    NATURAL_EARTH_LICENCE,
    WGS84,
    GeoError,
    Region,
    basemap_cache_clear,
    countries,
    country_names,
    country_shape,
    frame_bounds,
    laea,
    projected_countries,
    provenance,
)
from .checks import (
    GEOD,
    check_places,
    country_gap_km,
    distance_to_country_km,
    events_gdf,
    geodesic_km,
    neighbours,
    pairwise_km,
    places_gdf,
    select_places,
)
from .draw import (
    adjust_labels,
    basemap,
    country_labels,
    event_rows,
    fill,
    fit_map,
    frame,
    great_circle,
    key_legend,
    key_note,
    legend_marker,
    line_label,
    map_axes,
    place_rows,
    projected,
    source_line,
)
from .gis import export_geodata

__all__ = [
    "GEOD", "NATURAL_EARTH", "NATURAL_EARTH_LICENCE", "WGS84", "GeoError", "Region", "adjust_labels", "basemap",
    "basemap_cache_clear", "check_places", "countries", "country_gap_km", "country_labels", "country_names",
    "country_shape", "distance_to_country_km", "event_rows", "events_gdf", "export_geodata", "fill", "fit_map",
    "frame", "frame_bounds", "geodesic_km", "great_circle", "key_legend", "key_note", "laea", "legend_marker", "line_label",
    "map_axes", "neighbours", "pairwise_km", "place_rows", "places_gdf", "projected", "projected_countries",
    "provenance", "select_places", "source_line",
]  # fmt: skip
