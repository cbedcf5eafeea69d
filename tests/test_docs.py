"""The documentation names only what exists: every row id it mentions is a row of a table, every table a table, every
module it names a module of the kit."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "data" / "README.md", ROOT / "LICENSE-DATA.md", *sorted((ROOT / "docs").glob("*.md"))]
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


def _module_table() -> dict[str, set[str]]:
    """The kit's table (docs/kit.md): each folder and the modules its row names (the backticked names outside the
    parentheses that say what each does)."""
    readme = (ROOT / "docs" / "kit.md").read_text(encoding="utf-8")
    return {folder: _modules(job) for folder, job in re.findall(r"^\| `([a-z_]+)/` \| (.+) \|$", readme, flags=re.M)}


def _modules(job: str) -> set[str]:
    while re.search(r"\([^()]*\)", job):
        job = re.sub(r"\([^()]*\)", "", job)
    return set(re.findall(r"`([a-z_]+)`", job))


def test_the_kit_documentation_names_every_kit_module_and_only_those():
    table = _module_table()
    assert {"facts", "figures", "geo", "publish", "builder"} <= set(table), "the test reads docs/kit.md's module table"
    kit = ROOT / "src" / "helpers"
    named = {f"{folder}/{m}" for folder, mods in table.items() for m in mods}
    missing = sorted(n for n in named if not (kit / f"{n}.py").is_file())
    assert not missing, f"modules docs/kit.md names that do not exist: {missing}"
    real = {f"{p.parent.name}/{p.stem}" for p in kit.glob("*/*.py") if p.stem != "__init__"}
    undocumented = sorted(real - named)
    assert not undocumented, f"modules of the kit docs/kit.md does not name: {undocumented}"


def test_the_module_table_check_reads_names_and_folders():
    row = "| `figures/` | `theme` (palette, `x`), `marks` (a span) |"
    folder, job = re.findall(r"^\| `([a-z_]+)/` \| (.+) \|$", row, flags=re.M)[0]
    assert folder == "figures" and _modules(job) == {"theme", "marks"}
    assert _modules("`a` and `b` (the (nested `c`) one), `d`") == {"a", "b", "d"}


def test_the_collection_can_be_cited():
    """CITATION.cff (Citation File Format 1.2.0): the keys the format requires, and the collection's own title."""
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(cff) and all(a.get("name") or a.get("family-names") for a in cff["authors"])
    title = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["title"]
    assert cff["title"].startswith(title.split(":")[0]), "the citation names the collection as the data package does"


def _findings() -> list[str]:
    """What the README says the collection found, computed from the tables as the front page computes it."""
    with open(ROOT / "data" / "datapackage.json", encoding="utf-8") as fh:
        errors = {v["verdict"] for v in json.load(fh)["x-verdict-scale"]["verdicts"] if v.get("error")}
    claims = list(csv.DictReader(open(ROOT / "data" / "claims.csv", encoding="utf-8", newline="")))
    plans = list(csv.DictReader(open(ROOT / "data" / "plans.csv", encoding="utf-8", newline="")))
    bad = [c for c in claims if c["verdict"] in errors]
    contradicted = sum(c["verdict"] == "contradicted" for c in claims)
    layer = {k: sum(c["layer"] == k for c in bad) for k in ("original", "translation", "splice", "undetermined")}
    scale = json.load(open(ROOT / "data" / "datapackage.json", encoding="utf-8"))["x-verdict-scale"]["verdicts"]
    # the plans counted by the words of their verdicts, in the scale's order (as the scorecard's badges say them)
    tally = [
        f"{n} {'were ' if not i else ''}{v['alternateName']}"
        for i, (n, v) in enumerate(
            (n, v)
            for v in scale
            if v["for"] == "plan" and v["verdict"] != "reversed"
            for n in [sum(p["verdict"] == v["verdict"] for p in plans)]
            if n
        )
    ]
    reversed_ = sum(p["verdict"] == "reversed" for p in plans)
    return [
        f"The article makes {len(claims)} checkable statements: the record contradicts {contradicted} of them, and "
        f"{len(bad) - contradicted} more are imprecise, misleading or mistranslated.",
        f"Of its {len(bad)} errors, {layer['original']} go back to the original reporting, {layer['translation']} to the "
        f"translation and {layer['splice']} to the splice; {layer['undetermined']} cannot be placed.",
        f"Of the {len(plans)} plans and forecasts it reports, {', '.join(tally)}, and {reversed_} was reversed: France "
        "left Mali.",
    ]


def test_what_the_readme_says_the_collection_found_is_what_the_tables_say():
    """The README's three lines of findings are computed here from the ledger: a changed verdict fails this test until
    the README says the same (prose that cannot go stale)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in _findings():
        assert f"- {line}" in readme, f"the README should say: {line}"


def test_the_readme_fits_a_screen_and_links_what_moved_to_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.split()) < 800, f"{len(readme.split())} words: the README is for readers; internals go to docs/"
    for doc in sorted((ROOT / "docs").glob("*.md")):
        assert f"(docs/{doc.name})" in readme, f"the README links docs/{doc.name}"
