"""Load the fact tables in data/ as typed DataFrames, validated with pandera.

The schema of every table is data/datapackage.json (a Frictionless Tabular Data
Package): column types, required columns, allowed values, patterns, ranges,
primary and foreign keys. This module turns it into pandera schemas and adds
the rules a column schema cannot say ("x-rules" in the package):

- date_form: the written date matches its time_precision and is a real date;
- reasoning: an inferred date (or place) says how it was inferred;
- quote: an article quote occurs in the seed text (see text.normalise);
- numbers: a count occurs in its own quote, in digits or words;
- place, casualty_kind, coord_source, source_kind: consistency within a row;
- gazetteer: stored coordinates agree with GeoNames / Natural Earth (slow, opt-in).

Every problem in every table is collected (pandera ``lazy=True``) and reported
with file, row, line, column, the bad value and what was expected.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import paths
from .numbers import numbers_in
from .text import SpliceError, find_splice, normalise, read_seed

TABLES = ("sources", "places", "events", "troops", "casualties", "claims")
DATE_COLUMNS = ("date", "date_end", "time_precision", "date_basis", "date_reasoning")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_ANY_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row, or file) of a table."""

    file: str
    expected: str
    row: int | None = None  # 1-based data row (the header is not a row)
    line: int | None = None  # line in the file where the row starts
    row_id: str | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": row {self.row}"
            extra = [f"line {self.line}"] if self.line else []
            if self.row_id:
                extra.append(f"id {self.row_id!r}")
            if extra:
                where += f" ({', '.join(extra)})"
        elif self.line is not None:
            where += f": line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        got = "" if self.value is None else f"got {self.value!r}; "
        return f"{where}: {got}expected {self.expected}"


class DataError(ValueError):
    """Raised when tables do not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the fact tables:\n{lines}")


# --------------------------------------------------------------------------- reading


@dataclass
class RawTable:
    name: str
    file: str  # as shown to the reader: data/<name>.csv
    frame: pd.DataFrame  # every cell a str or None
    lines: list[int]  # line where each row starts


def datapackage(root: Path | None = None) -> dict:
    root = root or paths.project_root()
    with open(root / "data" / "datapackage.json", encoding="utf-8") as fh:
        return json.load(fh)


def _resource(dp: dict, name: str) -> dict:
    for r in dp["resources"]:
        if r["name"] == name:
            return r
    raise KeyError(f"no table {name!r} in data/datapackage.json; tables: {', '.join(r['name'] for r in dp['resources'])}")


def read_raw(root: Path, resource: dict) -> tuple[RawTable | None, list[Problem]]:
    """Read a CSV as strings, with the line where each row starts.

    Reading is done with the csv module rather than pandas so that a row's line
    number is exact even when quoted cells span several lines.
    """
    shown = f"data/{resource['path']}"
    path = root / "data" / resource["path"]
    if not path.is_file():
        return None, [Problem(shown, "the file to exist (it is listed in data/datapackage.json)")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [
            Problem(
                shown,
                f"UTF-8 text (byte {raw[err.start]:#04x} at offset {err.start} is not UTF-8; re-save the file as UTF-8)",
                line=line,
                value=raw[max(0, err.start - 20) : err.start + 1].decode("utf-8", "replace"),
            )
        ]
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    try:
        header = next(reader)
    except StopIteration:
        return None, [Problem(shown, "a header row")]
    except csv.Error as err:
        return None, [Problem(shown, f"valid CSV ({err})", line=1)]
    rows, lines = [], []
    start = reader.line_num + 1
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(shown, f"valid CSV ({err})", line=start))
            break
        if rec and any(cell.strip() for cell in rec):
            if len(rec) != len(header):
                problems.append(
                    Problem(
                        shown, f"{len(header)} cells, as in the header", row=len(rows) + 1, line=start, value=f"{len(rec)} cells"
                    )
                )
            else:
                rows.append([cell if cell != "" else None for cell in rec])
                lines.append(start)
        start = reader.line_num + 1
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return RawTable(resource["name"], shown, frame, lines), problems


# --------------------------------------------------------------------------- schema


def _expected_for(field: dict, what: str) -> str:
    desc = field.get("description", "").split(". ")[0].rstrip(".")
    return f"{what} ({desc})" if desc else what


def _is_int(v: object) -> bool:
    return isinstance(v, str) and re.fullmatch(r"-?\d+", v) is not None


def _is_num(v: object) -> bool:
    return isinstance(v, str) and re.fullmatch(r"-?\d+(\.\d+)?", v) is not None


def _column(field: dict) -> pa.Column:
    c = field.get("constraints", {})
    kind = field.get("type", "string")
    checks = []
    if kind == "integer":
        checks.append(pa.Check(_is_int, element_wise=True, error=_expected_for(field, "a whole number")))
    elif kind == "number":
        checks.append(pa.Check(_is_num, element_wise=True, error=_expected_for(field, "a decimal number")))
    if "enum" in c:
        allowed = [str(v) for v in c["enum"]]
        checks.append(pa.Check(lambda v, a=tuple(allowed): v in a, element_wise=True, error=f"one of {', '.join(allowed)}"))
    if "pattern" in c:
        checks.append(pa.Check.str_matches(c["pattern"], error=_expected_for(field, f"text matching {c['pattern']}")))
    if "minimum" in c:
        lo = c["minimum"]
        checks.append(
            pa.Check(
                lambda v, lo=lo: not _is_num(v) or float(v) >= lo,
                element_wise=True,
                error=f"a number of at least {lo}" + (" (a count cannot be negative)" if lo == 0 else ""),
            )
        )
    if "maximum" in c:
        hi = c["maximum"]
        checks.append(
            pa.Check(lambda v, hi=hi: not _is_num(v) or float(v) <= hi, element_wise=True, error=f"a number of at most {hi}")
        )
    return pa.Column(
        None,
        checks=checks,
        nullable=not c.get("required", False),
        unique=bool(c.get("unique")),
        required=True,
        name=field["name"],
    )


# --------------------------------------------------------------------------- rules


@dataclass
class Context:
    """What the cross-table rules need to see."""

    root: Path
    raw: dict[str, RawTable]
    source_texts: dict[str, str]  # source id -> normalised text that its quotes must occur in
    raw_seed: dict[str, str]  # seed_file id -> its raw text
    check_gazetteer: bool

    def ids(self, table: str) -> set[str]:
        t = self.raw.get(table)
        return set() if t is None or "id" not in t.frame else set(t.frame["id"].dropna())


# A rule returns (column, expected, ok-series) triples; ok is True where the row passes.
Rule = Callable[[pd.DataFrame, Context], Iterable[tuple[str, str, pd.Series]]]


def _present(s: pd.Series) -> pd.Series:
    return s.notna()


def _valid_written_date(value: str | None, precision: str | None) -> bool:
    if value is None or precision not in {"1", "2", "3", "4"} or not _ANY_DATE.match(value):
        return True  # a missing or malformed value, or a bad precision, is reported by the column checks
    m = {"1": _DAY, "2": _DAY, "3": _MONTH, "4": _YEAR}[precision].match(value)
    if not m:
        return False
    parts = [int(g) for g in m.groups()]
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return False
    if len(parts) == 3 and not 1 <= parts[2] <= calendar.monthrange(parts[0], parts[1])[1]:
        return False
    return True


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
    def found(src, quote):
        if src not in ctx.source_texts or quote is None:
            return True  # outside source (checked by hand) or a problem reported elsewhere
        return normalise(quote) in ctx.source_texts[src]

    ok = pd.Series([found(s, q) for s, q in zip(df["source_id"], df["quote"], strict=True)], index=df.index)
    yield (
        "quote",
        "words that occur verbatim in the text of the source named in source_id (after normalising "
        "whitespace, curly quotes and dashes; an article part's quotes must lie in that part)",
        ok,
    )


def rule_numbers(df: pd.DataFrame, ctx: Context):
    fields = _resource(datapackage(ctx.root), ctx_table(df))["schema"]["fields"]
    for field in fields:
        mode = field.get("x-in-quote")
        if not mode:
            continue
        col = field["name"]

        def ok(row, col=col, mode=mode):
            v = row[col]
            if v is None or not _is_int(v) or row["quote"] is None:
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


def rule_coord_source(df: pd.DataFrame, ctx: Context):
    sources = ctx.ids("sources")
    ok = df["coord_source"].isin(["geonames", "natural_earth"]) | df["coord_source"].isin(sources)
    yield ("coord_source", "'geonames', 'natural_earth' or an id in sources.csv", ok)
    yield (
        "geonameid",
        "a geonameid when coord_source is 'geonames' or 'natural_earth'",
        ~(df["coord_source"].isin(["geonames", "natural_earth"]) & df["geonameid"].isna()),
    )


def rule_source_kind(df: pd.DataFrame, ctx: Context):
    part = df["kind"] == "article_part"
    outside = df["kind"] == "outside"
    seed = df["kind"] == "seed_file"
    yield ("parent_id", "a parent_id (a seed_file) for an article_part", ~(part & df["parent_id"].isna()))
    yield (
        "part",
        "before_splice or after_splice for an article_part",
        ~(part & ~df["part"].isin(["before_splice", "after_splice"])),
    )
    yield ("date", "a date for an article_part or outside source", ~((part | outside) & df["date"].isna()))
    yield ("url", "a URL for an outside source", ~(outside & df["url"].isna()))
    yield ("quote", "the passage relied on, for an outside source", ~(outside & df["quote"].isna()))
    yield ("path", "a path to a file in seeds/ for a seed_file", ~(seed & ~df["path"].fillna("").str.startswith("seeds/")))

    def marker_ok(row):
        if row["kind"] != "seed_file" or row["splice_marker"] is None or row["id"] not in ctx.raw_seed:
            return True
        try:
            find_splice(ctx.raw_seed[row["id"]], row["splice_marker"])
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
    cities = gazetteer.geonames_cities()
    world = gazetteer.natural_earth_countries()

    def agrees(row) -> bool:
        if not (_is_int(row["geonameid"]) and _is_num(row["latitude"]) and _is_num(row["longitude"])):
            return True
        gid, lat, lon = int(row["geonameid"]), float(row["latitude"]), float(row["longitude"])
        if row["coord_source"] == "geonames":
            c = cities.get(gid)
            return (
                c is not None
                and c["countrycode"] == row["country_code"]
                and abs(c["latitude"] - lat) < 1e-4
                and abs(c["longitude"] - lon) < 1e-4
            )
        if row["coord_source"] == "natural_earth":
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


RULES: dict[str, Rule] = {
    "date_form": rule_date_form,
    "reasoning": rule_reasoning,
    "quote": rule_quote,
    "numbers": rule_numbers,
    "place": rule_place,
    "casualty_kind": rule_casualty_kind,
    "coord_source": rule_coord_source,
    "source_kind": rule_source_kind,
    "gazetteer": rule_gazetteer,
}


def ctx_table(df: pd.DataFrame) -> str:
    return df.attrs["table"]


# --------------------------------------------------------------------------- validation


def _source_texts(root: Path, raw: dict[str, RawTable]) -> tuple[dict[str, str], dict[str, str], list[Problem]]:
    """Normalised text for every article source (seed files and their parts), and raw seed texts."""
    texts, raw_seed, problems = {}, {}, []
    src = raw.get("sources")
    if src is None or not {"id", "kind", "path", "parent_id", "part", "splice_marker"} <= set(src.frame.columns):
        return texts, raw_seed, problems
    f = src.frame
    for i, row in f[f["kind"] == "seed_file"].iterrows():
        try:
            raw_seed[row["id"]] = read_seed(row["path"])
        except (OSError, UnicodeDecodeError, TypeError) as err:
            problems.append(
                Problem(
                    src.file,
                    f"a readable UTF-8 seed file ({err})",
                    row=i + 1,
                    line=src.lines[i],
                    row_id=row["id"],
                    column="path",
                    value=row["path"],
                )
            )
            continue
        texts[row["id"]] = normalise(raw_seed[row["id"]])
    for _, row in f[f["kind"] == "article_part"].iterrows():
        parent = f[f["id"] == row["parent_id"]]
        if row["parent_id"] not in raw_seed or parent.empty or parent.iloc[0]["splice_marker"] is None:
            continue
        try:
            splice = find_splice(raw_seed[row["parent_id"]], parent.iloc[0]["splice_marker"])
        except SpliceError:
            continue  # reported by rule_source_kind on the seed_file row
        before, after = splice.parts(raw_seed[row["parent_id"]])
        texts[row["id"]] = normalise({"before_splice": before, "after_splice": after}.get(row["part"], before + after))
    return texts, raw_seed, problems


def _problems_from(err: pa.errors.SchemaErrors, t: RawTable, fields: dict, messages: dict[str, tuple[str, str]]) -> list[Problem]:
    out, seen = [], set()
    fc = err.failure_cases
    for rec in fc.itertuples(index=False):
        check, column, value, index = str(rec.check), rec.column, rec.failure_case, rec.index
        if check in messages:  # a row rule: column and message come from the rule
            column, expected = messages[check]
        elif check == "column_in_dataframe":
            out.append(Problem(t.file, f"a column named {value!r} (see data/datapackage.json)", line=1))
            continue
        elif check.startswith("column_in_schema"):
            out.append(Problem(t.file, f"only the columns in data/datapackage.json; {value!r} is not one of them", line=1))
            continue
        elif check == "not_nullable":
            expected = "a value (the column is required)"
        elif check == "field_uniqueness":
            expected = "a unique value (this one appears in more than one row)"
        else:
            expected = check
        if index is None or pd.isna(index):
            out.append(Problem(t.file, expected, column=column))
            continue
        i = int(index)
        key = (i, column, expected)
        if key in seen:
            continue
        seen.add(key)
        cell = t.frame.at[i, column] if column in t.frame.columns else value
        row_id = t.frame.at[i, "id"] if "id" in t.frame.columns else None
        out.append(
            Problem(
                t.file,
                expected,
                row=i + 1,
                line=t.lines[i],
                row_id=row_id,
                column=column,
                value=None if cell is None or (isinstance(cell, float) and pd.isna(cell)) else str(cell),
            )
        )
    return out


def _validate_table(name: str, dp: dict, ctx: Context) -> list[Problem]:
    t = ctx.raw.get(name)
    if t is None:
        return []
    res = _resource(dp, name)
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    missing = [c for c in fields if c not in t.frame.columns]
    df = t.frame.copy()
    df.attrs["table"] = name
    checks, messages = [], {}
    if not missing:  # row rules need every column; a missing column is reported on its own
        for rule_name in res["schema"].get("x-rules", []):
            for n, (column, expected, ok) in enumerate(RULES[rule_name](df, ctx)):
                key = f"{rule_name}#{n}:{column}"
                messages[key] = (column, expected)
                checks.append(pa.Check(lambda d, ok=ok: ok, error=key))
        for fk in res["schema"].get("foreignKeys", []):
            col, target = fk["fields"], fk["reference"]["resource"]
            key = f"fk:{col}"
            ids = ctx.ids(target)
            messages[key] = (col, f"an id that exists in data/{target}.csv")
            ok = df[col].isna() | df[col].isin(list(ids))
            checks.append(pa.Check(lambda d, ok=ok: ok, error=key))
    schema = pa.DataFrameSchema({n: _column(f) for n, f in fields.items()}, checks=checks, strict=True, name=name)
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        return _problems_from(err, t, fields, messages)
    return []


def validate(root: Path | None = None, check_gazetteer: bool = True) -> list[Problem]:
    """Every problem in every table of the package (an empty list means all is well)."""
    root = root or paths.project_root()
    dp = datapackage(root)
    problems: list[Problem] = []
    raw: dict[str, RawTable] = {}
    for res in dp["resources"]:
        t, p = read_raw(root, res)
        problems += p
        if t is not None:
            raw[res["name"]] = t
    texts, raw_seed, p = _source_texts(root, raw)
    problems += p
    ctx = Context(root, raw, texts, raw_seed, check_gazetteer)
    for res in dp["resources"]:
        problems += _validate_table(res["name"], dp, ctx)
    order = {f"data/{r['path']}": i for i, r in enumerate(dp["resources"])}
    return sorted(problems, key=lambda p: (order.get(p.file, 99), p.row or 0, p.line or 0, p.column or ""))


# --------------------------------------------------------------------------- typed loading


def _period(date: str, end: str | None, precision: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day a written date can mean, given its precision."""
    if precision in (1, 2):
        start = pd.Timestamp(date)
        return start, pd.Timestamp(end) if precision == 2 else start
    if precision == 3:
        start = pd.Timestamp(date + "-01")
        return start, start + pd.offsets.MonthEnd(0)
    start = pd.Timestamp(date + "-01-01")
    return start, pd.Timestamp(date + "-12-31")


def _typed(t: RawTable, res: dict) -> pd.DataFrame:
    df = t.frame.copy()
    for f in res["schema"]["fields"]:
        col, kind = f["name"], f.get("type", "string")
        enum = f.get("constraints", {}).get("enum")
        if kind == "integer":
            df[col] = pd.array([None if v is None else int(v) for v in df[col]], dtype="Int64")
        elif kind == "number":
            df[col] = pd.array([None if v is None else float(v) for v in df[col]], dtype="Float64")
        else:
            df[col] = df[col].astype("string")
        if f.get("categorical"):
            cats = enum if enum is not None else sorted(df[col].dropna().unique())
            df[col] = pd.Categorical(
                df[col].astype(object).where(df[col].notna(), None), categories=cats, ordered=kind == "integer"
            )
    if "date" in df.columns and "time_precision" in df.columns:
        periods = [
            _period(d, e, int(p)) if d is not pd.NA and d is not None else (pd.NaT, pd.NaT)
            for d, e, p in zip(
                df["date"],
                df["date_end"].astype(object).where(df["date_end"].notna(), None),
                df["time_precision"].astype(object).fillna(0),
                strict=True,
            )
        ]
        df["start"] = pd.to_datetime(pd.Series([a for a, _ in periods], index=df.index))
        df["end"] = pd.to_datetime(pd.Series([b for _, b in periods], index=df.index))
    df.attrs["source_file"] = t.file
    return df


def _fingerprint(root: Path) -> tuple:
    files = sorted((root / "data").glob("*")) + sorted((root / "seeds").glob("*"))
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.is_file())


@lru_cache(maxsize=4)
def _load_all_cached(root: Path, fingerprint: tuple) -> dict[str, pd.DataFrame]:
    problems = validate(root, check_gazetteer=False)
    if problems:
        raise DataError(problems)
    dp = datapackage(root)
    out = {}
    for res in dp["resources"]:
        t, _ = read_raw(root, res)
        out[res["name"]] = _typed(t, res)
    return out


def _note_read(name: str) -> None:
    """Log a table read when the build asks for it ($HELPERS_READ_LOG), so undeclared reads are caught."""
    log = os.environ.get("HELPERS_READ_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(name + "\n")


class Tables(dict):
    """The tables by name; reading one (``tables["troops"]``) is logged for the build."""

    def __getitem__(self, name: str) -> pd.DataFrame:
        _note_read(name)
        return super().__getitem__(name)


def load_all(root: Path | None = None) -> Tables:
    """Every table, validated (all tables at once, since they refer to each other) and typed.

    Raises DataError listing every problem. Results are cached until a file in
    data/ or seeds/ changes.
    """
    root = (root or paths.project_root()).resolve()
    return Tables({k: v.copy() for k, v in _load_all_cached(root, _fingerprint(root)).items()})


def load_table(name: str, root: Path | None = None) -> pd.DataFrame:
    """One table, validated and typed: dates as the written form plus ``start`` and ``end``
    timestamps, counts as Int64, coded values as categoricals."""
    root = (root or paths.project_root()).resolve()
    _resource(datapackage(root), name)  # a clear KeyError for an unknown table
    return load_all(root)[name]
