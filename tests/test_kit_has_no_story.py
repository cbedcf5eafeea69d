"""The package is a kit: no data row id or story name in src/, no module over about 450 lines, no private helper
shared across modules."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "helpers"
MODULES = sorted(SRC.rglob("*.py"))


def _ids() -> set[str]:
    ids = set()
    for table in (ROOT / "data").glob("*.csv"):
        with open(table, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                ids.add(row["id"])
                for col in ("story", "place_id"):
                    if row.get(col):
                        ids.add(row[col])
    return ids


def test_no_row_id_or_story_name_is_a_string_literal_in_src():
    ids = _ids()
    assert {"tr_french_2021", "gossi", "mali", "nato", "art_mali"} <= ids, "the test reads the ids in data/"
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ids:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not found, "story literals in src/:\n" + "\n".join(found)


def test_no_module_is_over_450_lines():
    long = {str(p.relative_to(ROOT)): n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450}
    assert not long, long


def test_no_private_helper_is_imported_across_modules():
    shared = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                shared += [f"{path.relative_to(ROOT)}: {a.name}" for a in node.names if re.match(r"_[a-z]", a.name)]
    assert not shared, shared
