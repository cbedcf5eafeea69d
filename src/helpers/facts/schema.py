"""Validation: the schema of every table in data/datapackage.json (a Frictionless Tabular Data Package) turned
into pandera schemas, plus the row rules of ``rules`` and the foreign keys.

Every problem in every table is collected (pandera ``lazy=True``) and reported with file, row, line, column,
the bad value and what was expected.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import paths
from .dates import period_of
from .ledger_rules import LEDGER_RULES
from .problems import Problem
from .read import RawTable, datapackage, read_raw, resource
from .rules import RULES, Context, is_int, is_num
from .search_rules import SEARCH_RULES
from .sources import source_texts

if TYPE_CHECKING:
    import pandera.pandas as pa

# Columns whose check compares them with another column of the row: the message shows that one too.
RELATED = {"date_end": ("date", "time_precision"), "date": ("time_precision",), "geo_precision": ("place_id",)}


def _expected_for(field: dict, what: str) -> str:
    desc = field.get("description", "").split(". ")[0].rstrip(".")
    return f"{what} ({desc})" if desc else what


def _column(field: dict) -> pa.Column:
    import pandera.pandas as pa  # only when validating: loading validated tables does not need pandera

    c = field.get("constraints", {})
    kind = field.get("type", "string")
    checks = []
    if kind == "integer":
        checks.append(pa.Check(is_int, element_wise=True, error=_expected_for(field, "a whole number")))
    elif kind == "number":
        checks.append(pa.Check(is_num, element_wise=True, error=_expected_for(field, "a decimal number")))
    if "enum" in c:
        allowed = [str(v) for v in c["enum"]]
        checks.append(pa.Check(lambda v, a=tuple(allowed): v in a, element_wise=True, error=f"one of {', '.join(allowed)}"))
    if "pattern" in c:  # as Table Schema means a pattern: it matches the whole value (frictionless does the same)
        whole = re.compile(c["pattern"])
        checks.append(pa.Check(lambda v, w=whole: w.fullmatch(v) is not None, element_wise=True,
                               error=_expected_for(field, f"text matching {c['pattern']} (the whole value)")))  # fmt: skip
    if field.get("x-period"):  # typed on load as <name>_start and <name>_end (load.py)
        real = _expected_for(field, "a real calendar date written as YYYY, YYYY-MM or YYYY-MM-DD")
        checks.append(pa.Check(lambda v: period_of(v) is not None, element_wise=True, error=real))
    if "minimum" in c:
        lo = c["minimum"]
        checks.append(
            pa.Check(
                lambda v, lo=lo: not is_num(v) or float(v) >= lo,
                element_wise=True,
                error=f"a number of at least {lo}" + (" (a count cannot be negative)" if lo == 0 else ""),
            )
        )
    if "maximum" in c:
        hi = c["maximum"]
        checks.append(
            pa.Check(lambda v, hi=hi: not is_num(v) or float(v) <= hi, element_wise=True, error=f"a number of at most {hi}")
        )
    return pa.Column(
        None,
        checks=checks,
        nullable=not c.get("required", False),
        unique=bool(c.get("unique")),
        required=True,
        name=field["name"],
    )


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
        for other in RELATED.get(column, ()):  # show the cell the value is compared with ("date_end before date")
            if other in t.frame.columns and isinstance(t.frame.at[i, other], str):
                expected += f" ({other} is {t.frame.at[i, other]!r})"
        out.append(
            Problem(
                t.file,
                expected,
                row=t.rows[i],
                line=t.lines[i],
                row_id=row_id,
                column=column,
                value=None if cell is None or (isinstance(cell, float) and pd.isna(cell)) else str(cell),
            )
        )
    return out


def _validate_table(name: str, dp: dict, ctx: Context) -> list[Problem]:
    import pandera.pandas as pa

    t = ctx.raw.get(name)
    if t is None:
        return []
    res = resource(dp, name)
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    missing = [c for c in fields if c not in t.frame.columns]
    df = t.frame.copy()
    ctx.resource = res
    checks, messages = [], {}
    problems = []
    least = res["schema"].get("x-min-rows", 0)
    if len(df) < least:
        problems.append(Problem(t.file, f"at least {least} data row(s) (x-min-rows in data/datapackage.json); found {len(df)}"))
    if not missing:  # row rules need every column; a missing column is reported on its own
        for rule_name in res["schema"].get("x-rules", []):
            for n, (column, expected, ok) in enumerate((RULES | LEDGER_RULES | SEARCH_RULES)[rule_name](df, ctx)):
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
        problems += _problems_from(err, t, fields, messages)
    return problems


SITE_URL = re.compile(r"https?://[^\s/]+(/\S*)?")


def package_problems(dp: dict) -> list[Problem]:
    """What the data package itself must say: where its reports are published (``homepage``, the base of every
    ClaimReview's absolute URL)."""
    home = dp.get("homepage")
    if not isinstance(home, str) or not SITE_URL.fullmatch(home):
        return [Problem("data/datapackage.json", "an absolute URL (https://...) in homepage: the address where reports/ is "
                        "published, from which every ClaimReview's url is built", column="homepage",
                        value=None if home is None else str(home))]  # fmt: skip
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
    texts = source_texts(root, raw.get("sources"), raw.get("passages"))
    problems += texts.problems
    problems += package_problems(dp)
    ctx = Context(root, raw, texts, check_gazetteer, all_stories=dp.get("x-all-stories"), package=dp)
    for res in dp["resources"]:
        problems += _validate_table(res["name"], dp, ctx)
    order = {f"data/{r['path']}": i for i, r in enumerate(dp["resources"])}
    return sorted(problems, key=lambda p: (order.get(p.file, 99), p.row or 0, p.line or 0, p.column or ""))
