"""Row rules: what a column schema cannot say, named in ``x-rules`` of each table in datapackage.json.

- date_form: the written date matches its time_precision and is a real date;
- reasoning: an inferred date (or place) says how it was inferred;
- quote: a quote occurs in its source's text (seed, story part, or a passage cited from an outside page; see ``sources``);
- the claims ledger's rules (verdicts, extent, passages, sentences, second readings) are in ``ledger_rules``;
- source_kinds: the kinds of source that may back a row (``x-source-kinds``), and each story its own part;
- numbers: a count occurs in its own quote, in digits or words;
- place, casualty_kind, coord_source, source_kind: consistency within a row;
- gazetteer: stored coordinates agree with GeoNames / Natural Earth and lie in their country.

A rule yields (column, expected, ok) triples; ok is a boolean Series, True where the row passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .dates import form_of, period_of
from .numbers import numbers_in
from .read import RawTable
from .sources import SourceTexts
from .text import SpliceError, find_splice


def is_int(v: object) -> bool:
    return isinstance(v, str) and re.fullmatch(r"-?\d+", v) is not None


def is_num(v: object) -> bool:
    return isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?", v) is not None


@dataclass
class Context:
    """What the cross-table rules need to see."""

    root: Path
    raw: dict[str, RawTable]
    sources: SourceTexts
    check_gazetteer: bool
    resource: dict = field(default_factory=dict)  # the datapackage resource of the table being checked
    all_stories: str | None = None  # the story code of rows that concern every story (datapackage x-all-stories)
    package: dict = field(default_factory=dict)  # the whole datapackage.json (the verdict scale lives there)

    def column(self, table: str, key: str, value: str) -> dict[str, str]:
        """``{row[key]: row[value]}`` of a table as read (empty if the table or a column is missing)."""
        t = self.raw.get(table)
        if t is None or key not in t.frame or value not in t.frame:
            return {}
        return {k: v for k, v in zip(t.frame[key], t.frame[value], strict=True) if k is not None}

    def ids(self, table: str) -> set[str]:
        t = self.raw.get(table)
        return set() if t is None or "id" not in t.frame else set(t.frame["id"].dropna())


# A rule returns (column, expected, ok-series) triples; ok is True where the row passes.
Rule = Callable[[pd.DataFrame, Context], Iterable[tuple[str, str, pd.Series]]]


def _valid_written_date(value: str | None, precision: str | None) -> bool:
    if value is None or precision not in {"1", "2", "3", "4"} or form_of(value) is None:
        return True  # a missing or malformed value, or a bad precision, is reported by the column checks
    written_as = {"1": "day", "2": "day", "3": "month", "4": "year"}[precision]  # the form its precision says
    return form_of(value) == written_as and period_of(value) is not None


def rule_date_form(df: pd.DataFrame, ctx: Context):
    prec = df["time_precision"]
    ok_date = pd.Series([_valid_written_date(d, p) for d, p in zip(df["date"], prec, strict=True)], index=df.index)
    yield (
        "date",
        "a real calendar date written as its time_precision says: YYYY-MM-DD for 1 (day) and 2 (span), "
        "YYYY-MM for 3 (month), YYYY for 4 (year)",
        ok_date,
    )

    def end_ok(d, e, p):
        if p == "2":
            return e is not None and _valid_written_date(e, "1") and (d is None or not _valid_written_date(d, "1") or e >= d)
        return e is None

    ok_end = pd.Series([end_ok(d, e, p) for d, e, p in zip(df["date"], df["date_end"], prec, strict=True)], index=df.index)
    yield ("date_end", "a real date YYYY-MM-DD on or after date when time_precision is 2 (a span), and empty otherwise", ok_end)
    both = df["date"].isna() == prec.isna()
    yield ("time_precision", "a time_precision exactly when there is a date", both)
    yield (
        "date_basis",
        "a date_basis (stated or inferred) exactly when there is a date",
        df["date"].isna() == df["date_basis"].isna(),
    )


def rule_reasoning(df: pd.DataFrame, ctx: Context):
    yield (
        "date_reasoning",
        "how the date was inferred, since date_basis is 'inferred'",
        ~((df["date_basis"] == "inferred") & df["date_reasoning"].isna()),
    )
    if "place_basis" in df:
        yield (
            "place_reasoning",
            "how the place was inferred, since place_basis is 'inferred'",
            ~((df["place_basis"] == "inferred") & df["place_reasoning"].isna()),
        )


def rule_quote(df: pd.DataFrame, ctx: Context):
    kinds = ctx.column("sources", "id", "kind")

    def found(src, quote):
        if quote is None or src not in kinds:
            return True  # a missing quote or an unknown source is reported by the column and key checks
        # a reference dataset (a gazetteer) has no text (None); rule_source_kinds says where it may be cited
        return ctx.sources.quote_found(quote, src, kinds[src]) is not False

    ok = pd.Series([found(s, q) for s, q in zip(df["source_id"], df["quote"], strict=True)], index=df.index)
    yield (
        "quote",
        "words that occur verbatim in the text of the source named in source_id: the seed file, that story's part of "
        "it, or one passage of an outside page in data/passages.csv (after normalising whitespace, curly quotes and dashes)",
        ok,
    )


def rule_source_kinds(df: pd.DataFrame, ctx: Context):
    """Which kinds of source may back a row of this table (``x-source-kinds``), and a story's rows its own part."""
    allowed = ctx.resource["schema"].get("x-source-kinds")
    kinds = ctx.column("sources", "id", "kind")
    stories = ctx.column("sources", "id", "story")
    if allowed:
        ok = df["source_id"].isna() | ~df["source_id"].isin(list(kinds)) | df["source_id"].map(kinds).isin(allowed)
        yield ("source_id", f"a source of kind {' or '.join(allowed)} (data/sources.csv, column kind)", ok.astype(bool))
    if "story" in df:
        declared = {v for v in stories.values() if v} | ({ctx.all_stories} if ctx.all_stories else set())
        yield ("story", f"a story declared by an article part in data/sources.csv ({', '.join(sorted(declared))})",
               (df["story"].isna() | df["story"].isin(sorted(declared))).astype(bool))  # fmt: skip

        def story_ok(src, story):
            kind = kinds.get(src)
            if kind == "article_part":
                return stories.get(src) == story
            if kind == "seed_file":
                return story == ctx.all_stories  # the whole file backs only what concerns every story (the headline)
            return True

        ok = pd.Series([story_ok(s, t) for s, t in zip(df["source_id"], df["story"], strict=True)], index=df.index)
        yield (
            "source_id",
            "the article part of the row's own story (column story of data/sources.csv); the whole seed file only for "
            f"story {ctx.all_stories!r}",
            ok,
        )


def rule_numbers(df: pd.DataFrame, ctx: Context):
    fields = ctx.resource["schema"]["fields"]
    for spec in fields:
        mode = spec.get("x-in-quote")
        if not mode:
            continue
        col = spec["name"]

        def ok(row, col=col, mode=mode):
            v = row[col]
            if v is None or not is_int(v) or row["quote"] is None:
                return True
            if mode == "cumulative" and row.get("kind") != "cumulative":
                return True
            return int(v) in numbers_in(row["quote"])

        yield (
            col,
            "a number that appears in the row's quote, in digits or words (never typed from memory)",
            df.apply(ok, axis=1).astype(bool),
        )


def rule_place(df: pd.DataFrame, ctx: Context):
    not_stated = df["place_basis"] == "not_stated"
    yield ("place_id", "a place_id unless place_basis is 'not_stated', and none if it is", not_stated == df["place_id"].isna())
    yield (
        "geo_precision",
        "a geo_precision exactly when there is a place_id",
        df["place_id"].isna() == df["geo_precision"].isna(),
    )


def rule_casualty_kind(df: pd.DataFrame, ctx: Context):
    ind = df["kind"] == "individual"
    cum = df["kind"] == "cumulative"
    yield ("name", "a name for an individual casualty", ~(ind & df["name"].isna()))
    yield ("age", "an age for an individual casualty", ~(ind & df["age"].isna()))
    yield ("deaths", "deaths = 1 for an individual casualty", ~(ind & (df["deaths"] != "1")))
    yield ("since_year", "since_year for a cumulative count", ~(cum & df["since_year"].isna()))
    yield ("since_year", "no since_year for one incident's toll", ~((df["kind"] == "incident") & df["since_year"].notna()))


def rule_coord_source(df: pd.DataFrame, ctx: Context):
    sources = ctx.ids("sources")
    gaz = list(ctx.resource["schema"].get("x-gazetteers", {}))
    ok = df["coord_source"].isin(gaz) | df["coord_source"].isin(sources)
    yield ("coord_source", f"a gazetteer ({', '.join(gaz)}) or an id in sources.csv", ok)
    yield (
        "geonameid",
        f"a geonameid when coord_source is a gazetteer ({', '.join(gaz)})",
        ~(df["coord_source"].isin(gaz) & df["geonameid"].isna()),
    )


def rule_source_kind(df: pd.DataFrame, ctx: Context):
    part = df["kind"] == "article_part"
    outside = df["kind"] == "outside"
    seed = df["kind"] == "seed_file"
    seeds = list(df.loc[seed, "id"].dropna())
    yield ("parent_id", "the id of a seed_file for an article_part", ~(part & ~df["parent_id"].isin(seeds)))
    yield ("story", "the story an article_part tells (mali, nato, ...)", ~(part & df["story"].isna()))
    codes = df.loc[part, "story"].dropna()
    twice = codes[codes.duplicated(keep=False)]
    yield ("story", "a story code no other article part has (a second article's story needs a code of its own, or its "
           "rows would join the other story)", pd.Series(~df.index.isin(twice.index), index=df.index))  # fmt: skip
    yield (
        "part",
        "before_splice or after_splice for a part of a spliced seed, or whole for a seed that is one story",
        ~(part & ~df["part"].isin(["before_splice", "after_splice", "whole"])),
    )
    yield ("date", "a date (inferred if need be) for an article_part", ~(part & df["date"].isna()))
    yield ("url", "a URL for an outside source", ~(outside & df["url"].isna()))
    yield ("path", "a path to a file in seeds/ for a seed_file", ~(seed & ~df["path"].fillna("").str.startswith("seeds/")))
    yield (
        "path",
        "no path for an outside source (pages are cited, not copied: the passages relied on are in data/passages.csv)",
        ~(outside & df["path"].notna()),
    )

    def marker_ok(row):
        if row["kind"] != "seed_file" or row["splice_marker"] is None or row["id"] not in ctx.sources.raw_seed:
            return True
        try:
            find_splice(ctx.sources.raw_seed[row["id"]], row["splice_marker"])
        except SpliceError:
            return False
        return True

    yield (
        "splice_marker",
        "a marker with one '|' that occurs exactly once in the seed text",
        df.apply(marker_ok, axis=1).astype(bool),
    )


def rule_gazetteer(df: pd.DataFrame, ctx: Context):
    from . import gazetteer

    countries = gazetteer.geonames_countries()
    yield ("country_code", "a country code GeoNames knows", df["country_code"].isin(list(countries)))
    if not ctx.check_gazetteer:
        return
    world = gazetteer.natural_earth_countries()

    def agrees(row) -> bool:
        if not (is_int(row["geonameid"]) and is_num(row["latitude"]) and is_num(row["longitude"])):
            return True
        gid, lat, lon = int(row["geonameid"]), float(row["latitude"]), float(row["longitude"])
        how = ctx.resource["schema"].get("x-gazetteers", {}).get(row["coord_source"])
        if how == "geonames_city":
            c = gazetteer.geonames_city(gid)
            return (
                c is not None
                and c["countrycode"] == row["country_code"]
                and abs(c["latitude"] - lat) < 1e-4
                and abs(c["longitude"] - lon) < 1e-4
            )
        if how == "natural_earth_label":
            info = countries.get(row["country_code"])
            if info is None or info["geonameid"] != gid:
                return False
            # a code can name several Natural Earth rows (a country and its dependencies): any label point may match
            ne = world[world["iso_a2"] == row["country_code"]]
            return bool(((ne["LABEL_Y"] - lat).abs().lt(1e-4) & (ne["LABEL_X"] - lon).abs().lt(1e-4)).any())
        return True

    yield (
        "geonameid",
        "coordinates and country that agree with the gazetteer entry (GeoNames city or country id, "
        "Natural Earth label point) within 0.0001 degrees",
        df.apply(agrees, axis=1).astype(bool),
    )
    # Whatever the coordinate source, the point must lie in its own country (Natural Earth 1:10m, within about 2 km
    # for a coastal town whose point falls in the sea): Gossi moved into Burkina Faso fails here.
    # the Natural Earth rows of each code the table uses (a code may name several: any of them may hold the point)
    used = set(df["country_code"].dropna())
    shapes = {code: list(rows.geometry) for code, rows in world[world["iso_a2"].isin(used)].groupby("iso_a2")}

    def inside(row) -> bool:
        if not (is_num(row["latitude"]) and is_num(row["longitude"])) or row["country_code"] not in shapes:
            return True
        from shapely.geometry import Point

        point = Point(float(row["longitude"]), float(row["latitude"]))
        return any(shape.dwithin(point, 0.02) for shape in shapes[row["country_code"]])

    yield (
        "latitude",
        "a point inside the country named in country_code (Natural Earth 1:10m borders, 0.02 degree tolerance)",
        df.apply(inside, axis=1).astype(bool),
    )


RULES: dict[str, Rule] = {
    "date_form": rule_date_form,
    "reasoning": rule_reasoning,
    "quote": rule_quote,
    "numbers": rule_numbers,
    "place": rule_place,
    "casualty_kind": rule_casualty_kind,
    "coord_source": rule_coord_source,
    "source_kind": rule_source_kind,
    "source_kinds": rule_source_kinds,
    "gazetteer": rule_gazetteer,
}
