"""Generality, proved: a small second article goes through the same validation, build and export with no change
in src/. This test is the recipe of docs/second-article.md."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from helpers.builder import build
from helpers.facts import validate

ROOT = Path(__file__).resolve().parents[1]
SEED = "A flood in Bamako\n\nHeavy rain flooded 120 homes in Bamako on 3 March 2024, officials said; two people died.\n"


def _write(path: Path, rows: list[dict], header: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def _header(table: str) -> list[str]:
    with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def _flood_rows() -> dict[str, list[dict]]:
    """The second article's rows, by table: its seed and story, a place, an event, a number, a toll, a claim, its
    sentences and a second reading."""
    return {
        "sources": [
            {"id": "seed_flood", "kind": "seed_file", "title": "A flood in Bamako", "publisher": "a test", "author": "a test",
             "path": "seeds/001_flood.txt", "quote": "A flood in Bamako"},
            {"id": "art_flood", "kind": "article_part", "parent_id": "seed_flood", "part": "whole", "story": "flood",
             "story_label": "Flood story (March 2024)", "title": "A flood in Bamako", "publisher": "a test", "author": "a test",
             "date": "2024-03-03", "time_precision": "1", "date_basis": "stated", "path": "seeds/001_flood.txt"},
            {"id": "geonames", "kind": "dataset", "title": "GeoNames", "publisher": "GeoNames", "url": "https://www.geonames.org/"},
        ],
        "places": [
            {"id": "bamako", "name": "Bamako", "feature": "city", "country_code": "ML", "latitude": "12.60915",
             "longitude": "-7.97522", "geonameid": "2460596", "coord_source": "geonames", "geo_precision": "1", "story": "flood",
             "mention": "stated", "source_id": "art_flood", "quote": "in Bamako"},
        ],
        "events": [
            {"id": "ev_flood", "story": "flood", "event_type": "announcement", "actors": "officials", "event_status": "occurred",
             "date": "2024-03-03",
             "date_relation": "on", "time_precision": "1", "date_basis": "stated", "place_id": "bamako", "geo_precision": "1",
             "place_basis": "stated", "label": "Flood", "description": "Homes flooded.", "source_id": "art_flood",
             "quote": "Heavy rain flooded 120 homes in Bamako on 3 March 2024"},
        ],
        "troops": [
            {"id": "tr_homes", "story": "flood", "force": "homes", "measure": "personnel", "value": "120", "unit": "soldiers",
             "bound": "exact", "claim_status": "stated", "date": "2024-03-03", "time_precision": "1", "date_basis": "stated",
             "place_id": "bamako", "source_id": "art_flood", "quote": "flooded 120 homes"},
        ],
        "casualties": [
            {"id": "cas_flood", "story": "flood", "kind": "incident", "nationality": "Malian", "deaths": "2",
             "date": "2024-03-03", "time_precision": "1", "date_basis": "stated", "place_id": "bamako",
             "geo_precision": "1", "source_id": "art_flood", "quote": "on 3 March 2024, officials said; two people died"},
        ],
        "claims": [
            {"id": "cl_homes", "story": "flood", "source_id": "art_flood", "quote": "flooded 120 homes", "claim_type": "number",
             "verdict": "unverifiable", "reason": "No outside report was read for this test article."},
        ],
        "sentences": [
            {"id": "s1", "source_id": "seed_flood", "story": "flood", "text": "A flood in Bamako", "role": "headline",
             "reason": "The headline; the body's sentence carries what it says and is checked there.", "counterpart": "none",
             "rendering": "origin_not_found", "rendering_note": "Not looked for: a test article."},
            {"id": "s2", "source_id": "seed_flood", "story": "flood", "role": "checked", "checked_by": "cl_homes",
             "text": "Heavy rain flooded 120 homes in Bamako on 3 March 2024, officials said; two people died.",
             "counterpart": "none", "rendering": "origin_not_found", "rendering_note": "Not looked for: a test article."},
        ],
        "statements": [
            {"id": "st_s2_1", "sentence_id": "s2", "text": "flooded 120 homes", "checked_by": "cl_homes"},
            {"id": "st_s2_2", "sentence_id": "s2", "text": "officials said", "reason_kind": "attribution",
             "reason": "Says who reported it; what they reported is checked."},
        ],
        "reviews": [
            {"id": "rv_homes", "item_table": "claims", "item_id": "cl_homes", "first_verdict": "unverifiable",
             "second_verdict": "unverifiable", "agree": "yes", "settled_verdict": "unverifiable", "settled_on": "2026-12-07",
             "second_reason": "Nothing outside the article was cited."},
        ],
    }  # fmt: skip


def _project(tmp: Path) -> Path:
    """1. the text in seeds/, byte for byte; 2. its rows in sources.csv; 3. its facts, quoted; 4. one notebook."""
    (tmp / "seeds").mkdir(parents=True)
    (tmp / "seeds" / "001_flood.txt").write_text(SEED, encoding="utf-8")
    (tmp / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "datapackage.json", tmp / "data")
    shutil.copy(ROOT / "requirements.txt", tmp)
    dp = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for res in dp["resources"]:
        _write(tmp / "data" / res["path"], [], _header(res["name"]))
    for table, rows in _flood_rows().items():
        _write(tmp / "data" / f"{table}.csv", rows, _header(table))
    (tmp / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "helpers": {"reads": ["sources", "troops"]},
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 01 · Homes flooded"),
        nbformat.v4.new_code_cell(
            "import pandas as pd\n"
            "from helpers import facts, figures as fx\n"
            "tables = facts.load_all()\n"
            "row = tables['troops'].iloc[0]\n"
            "data = pd.DataFrame([fx.plotted_row('troops', row, value=int(row['value']), evidence='stated')])\n"
            "def draw(L):\n"
            "    fig = fx.new_figure(L, 2.0)\n"
            "    ax = fig.add_subplot()\n"
            "    fx.bar(ax, 0, row['value'], row_id=row['id'], evidence='stated',\n"
            "           colour=fx.story_colours(facts.stories(tables))['flood'], url=fx.source_url(tables, row['source_id']))\n"
            "    return fx.finish(fig, title='120 homes flooded', subtitle='Homes (count)',\n"
            "                     source=fx.source_line(tables, data))\n"
            "fx.export(draw, 'homes', data, alt=f\"One bar: {row['value']} homes flooded.\")\n"
        ),
        nbformat.v4.new_markdown_cell("## What this shows, and its limits\n\nOne number from one article."),
    ]
    nbformat.write(nb, tmp / "notebooks" / "01_homes.ipynb")
    return tmp


def test_a_second_article_validates_builds_and_exports_without_touching_src(tmp_path, monkeypatch):
    src_before = {p: p.read_bytes() for p in (ROOT / "src").rglob("*.py")}
    root = _project(tmp_path / "flood")
    monkeypatch.setenv("HELPERS_PROJECT_ROOT", str(root))
    problems = validate(root)
    assert not problems, "\n".join(map(str, problems))
    log = io.StringIO()
    results = build(root=root, out=log)
    assert [r.status for r in results] == ["ran"], log.getvalue()
    figures = root / "reports" / "figures"
    for ext in ("png", "svg", "pdf", "csv"):
        assert (figures / f"homes.{ext}").stat().st_size > (50 if ext == "csv" else 1000)
    svg = (figures / "homes.svg").read_text(encoding="utf-8")
    assert 'id="tr_homes.stated"' in svg and 'xlink:href="seeds/001_flood.txt"' in svg
    assert "<title>01 · Homes flooded</title>" in (root / "reports" / "notebooks" / "01_homes.html").read_text(encoding="utf-8")
    assert (figures / "homes.csv").read_text(encoding="utf-8").splitlines()[1].startswith("troops,tr_homes,art_flood")
    assert {p: p.read_bytes() for p in (ROOT / "src").rglob("*.py")} == src_before


def test_the_second_article_refuses_a_quote_it_does_not_contain(tmp_path):
    root = _project(tmp_path / "flood")
    path = root / "data" / "troops.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("flooded 120 homes", "flooded 130 homes"), encoding="utf-8")
    problems = [str(p) for p in validate(root)]
    assert any("data/troops.csv: row 1" in p and "'quote'" in p for p in problems), problems


def test_with_the_second_article_added_every_collection_check_passes(tmp_path):
    """The recipe's article added to a copy of this collection (as tests/test_build.py builds it), then every test marked
    `collection` run on that copy, in a pytest of its own: the checks of the tables hold whatever the number of articles
    and stories (the build of the same copy is tests/test_build.py's)."""
    from conftest import copy_collection
    from test_build import _add_second_article

    project = copy_collection(tmp_path / "project")
    _add_second_article(project)
    env = dict(__import__("os").environ, HELPERS_TEST_COLLECTION=str(project), HELPERS_PROJECT_ROOT=str(project))
    args = ["-q", "-m", "collection", "-p", "no:cacheprovider", "-p", "no:xdist", str(ROOT / "tests")]
    done = subprocess.run([sys.executable, "-m", "pytest", *args], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout, done.stdout[-500:]


def test_every_command_the_recipe_names_runs_as_written():
    """The commands of docs/second-article.md, as a reader types them from the project's folder (the environment's
    Python for .venv/bin/python, which a test run on another Python may not have made)."""
    import re

    recipe = (ROOT / "docs" / "second-article.md").read_text(encoding="utf-8")
    commands = re.findall(r"`((?:make|\.venv/bin/python) [^`]+)`", recipe)
    assert any(c.startswith(".venv/bin/python -m helpers") for c in commands) and "make validate" in commands, commands
    for command in commands:
        if command.startswith("make "):
            done = subprocess.run(["make", "-n", *command.split()[1:]], cwd=ROOT, capture_output=True, text=True)
        else:
            done = subprocess.run([sys.executable, *command.split()[1:]], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{command}: {done.stderr[-500:]}"


def test_a_second_article_whose_story_code_collides_with_one_already_there(tmp_path, monkeypatch):
    project = _project(tmp_path)
    path = project / "data" / "sources.csv"
    text = path.read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    part = next(line for line in text.splitlines() if line.startswith("art_flood,"))
    twin = part.replace("art_flood,", "art_flood_again,", 1)
    path.write_text(text + twin + "\n", encoding="utf-8")
    problems = [str(p) for p in validate(project, check_gazetteer=False)]
    assert any("data/sources.csv" in p and "'story'" in p and "no other article part" in p for p in problems), problems
    assert "story" in header
