"""The documentation names only what exists: every row id it mentions is a row of a table, every table a table, every
module it names a module of the kit."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "data" / "README.md", ROOT / "LICENSE-DATA.md"]
# row ids of the tables start with these (claims, plans, events, the record, troops, casualties, reviews, article parts)
ROW_ID = re.compile(r"(?<![A-Za-z0-9_./-])((?:cl|pl|ev|ob|tr|cas|rv|art)_[a-z0-9_]*[a-z0-9])(?![A-Za-z0-9_])")
TABLE = re.compile(r"`(?:data/)?([a-z_]+)\.csv`")


def _ids() -> set[str]:
    ids = set()
    for table in (ROOT / "data").glob("*.csv"):
        with open(table, encoding="utf-8", newline="") as fh:
            ids |= {row["id"] for row in csv.DictReader(fh)}
    return ids


def named_ids(text: str) -> set[str]:
    return set(ROW_ID.findall(text))


def test_every_row_id_the_docs_name_exists():
    ids = _ids()
    missing = {}
    for doc in DOCS:
        gone = sorted(named_ids(doc.read_text(encoding="utf-8")) - ids)
        if gone:
            missing[str(doc.relative_to(ROOT))] = gone
    assert not missing, f"ids named in the docs that no table has: {missing}"


def test_the_check_catches_an_id_that_no_longer_exists():
    assert named_ids("see `claims.csv: cl_mid_january` and cl_libya_border.") == {"cl_mid_january", "cl_libya_border"}
    assert "cl_mid_january" not in _ids()


def test_every_table_the_docs_name_is_in_the_data_package():
    tables = {r["name"] for r in json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    for doc in DOCS:
        named = set(TABLE.findall(doc.read_text(encoding="utf-8")))
        assert named <= tables, (doc.name, sorted(named - tables))


def test_every_kit_module_the_readme_names_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_/, `]+)` \|", readme, flags=re.M)
    names = {n.strip(" `/") for row in rows for n in row.split(",")}
    assert {"facts", "verdicts", "ledgerpage"} <= names, "the test reads the README's module table"
    kit = ROOT / "src" / "helpers"
    missing = [n for n in names if not ((kit / f"{n}.py").is_file() or (kit / n).is_dir())]
    assert not missing, missing
