"""The built figures: every format, the CSVs hold data/'s values, the SVGs carry row ids, links and evidence styles."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
from conftest import copy_collection

from helpers.builder import build

CHARTS = (
    "french_drawdown",
    "casualties",
    "forces_mali_2021",
    "nato_iraq_timeline",
    "timeline_both_stories",
    "claims_by_verdict",
    "french_troops_2013_2022",
    "bases_planned_vs_actual",
    "nato_mission_iraq_2018_2021",
    "plan_scorecard",
)
ROOT = Path(__file__).resolve().parents[1]


def _raw(root: Path, table: str) -> dict[str, dict]:
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def _tagged(svg: str) -> dict[str, str]:
    """id -> the style text of the marks inside each group whose id is '<row_id>.<evidence>'."""
    out = {}
    for m in re.finditer(r'<g id="([a-z0-9_ -]+)\.(stated|inferred|planned|reported|derived|outside)">(.*?)</g>', svg, re.S):
        out[f"{m.group(1)}.{m.group(2)}"] = " ".join(re.findall(r'style="([^"]*)"', m.group(3)))
    return out


def test_every_chart_is_built_in_every_format(built):
    figures = built / "reports" / "figures"
    for name in CHARTS:
        for ext in ("png", "svg", "pdf", "csv"):
            path = figures / f"{name}.{ext}"
            assert path.is_file() and path.stat().st_size > (100 if ext == "csv" else 2000), f"{path.name} missing or empty"


def test_chart_csvs_hold_the_values_in_data(built):
    raw = {t: _raw(built, t) for t in ("troops", "casualties", "events")}
    figures = built / "reports" / "figures"
    checked = 0
    for name in CHARTS[:5]:
        rows = list(csv.DictReader(open(figures / f"{name}.csv", encoding="utf-8", newline="")))
        assert rows, f"{name}.csv is empty"
        for r in rows:
            table = r["table"]
            if table == "derived":
                continue
            src = raw[table].get(r["row_id"])
            assert src is not None, f"{name}.csv cites {table} row {r['row_id']!r}, which data/ lacks"
            assert r["source_id"] == src["source_id"], f"{name}.csv row {r['row_id']}: source differs from data/"
            if table == "troops":
                assert r["value"] == src["value"], f"{name}.csv row {r['row_id']}: value {r['value']} != {src['value']}"
            if table == "casualties":
                assert r["deaths"] == src["deaths"] and r["until"] == src["date"], f"{name}.csv row {r['row_id']}"
            if table == "events":
                assert r["start"][: len(src["date"])] == src["date"], f"{name}.csv row {r['row_id']}: start {r['start']}"
            checked += 1
    assert checked >= 20
    timeline = {r["row_id"] for r in csv.DictReader(open(figures / "timeline_both_stories.csv", encoding="utf-8"))}
    assert timeline == set(raw["events"])
    nato = {r["row_id"] for r in csv.DictReader(open(figures / "nato_iraq_timeline.csv", encoding="utf-8"))}
    assert nato == {k for k, v in raw["events"].items() if v["story"] == "nato"}


def test_derived_values_are_computed_from_the_stated_ones(built):
    troops, cas = _raw(built, "troops"), _raw(built, "casualties")
    figures = built / "reports" / "figures"
    drawdown = pd.read_csv(figures / "french_drawdown.csv").set_index("series")
    assert drawdown.loc["level implied for 2023", "value"] == int(troops["tr_french_2021"]["value"]) - int(
        troops["tr_french_cut_2023"]["value"])  # fmt: skip
    assert drawdown.loc["level implied for 2023", "evidence"] == "derived"
    casualties = pd.read_csv(figures / "casualties.csv").set_index("series")
    assert casualties.loc["earlier deaths", "deaths"] == int(cas["cas_french_total"]["deaths"]) - int(cas["cas_blasco"]["deaths"])
    verdicts = pd.read_csv(figures / "claims_by_verdict.csv")
    claims = _raw(built, "claims")
    assert verdicts["claims"].sum() == len(claims)
    for _, r in verdicts.iterrows():
        assert {claims[i]["verdict"] for i in r["claim_ids"].split(";")} == {r["verdict"]}


def test_svgs_carry_row_ids_and_source_links(built):
    figures = built / "reports" / "figures"
    for name in CHARTS[:5]:
        svg = (figures / f"{name}.svg").read_text(encoding="utf-8")
        rows = pd.read_csv(figures / f"{name}.csv", dtype=str)
        tagged = _tagged(svg)
        ids = {k.rsplit(".", 1)[0] for k in tagged}
        drawn = set(rows["row_id"]) - {"", "nan"}
        assert drawn <= ids, f"{name}.svg lacks the ids of {sorted(drawn - ids)}"
        assert 'xlink:href="seeds/000_c9593f62326bf9e9.txt"' in svg, f"{name}.svg has no link to the article"
    timeline = (figures / "nato_iraq_timeline.svg").read_text(encoding="utf-8")
    assert (
        'xlink:href="http://www.hurriyetdailynews.com/nato-temporarily-suspends-training-activities-in-iraq-150597"' in timeline
    )


def test_stated_inferred_planned_and_outside_are_drawn_differently_in_the_svg(built):
    """Read from the exported timeline: each kind of evidence has its own fill, hatch or dash."""
    figures = built / "reports" / "figures"
    svg = (figures / "timeline_both_stories.svg").read_text(encoding="utf-8")
    data = pd.read_csv(figures / "timeline_both_stories.csv", dtype=str)
    styles: dict[str, set[str]] = {}
    for key, st in _tagged(svg).items():
        evidence = key.rsplit(".", 1)[1]
        row = data[data["row_id"] == key.rsplit(".", 1)[0]].iloc[0]
        assert row["evidence"] == evidence, f"{key}: the SVG and the CSV disagree on how it is known"
        hatch = "url(#h" in st
        dashed = "stroke-dasharray" in st
        fill = re.search(r"fill: (#[0-9a-f]{6}|url\(#h\w+\)|none)", st)
        styles.setdefault(evidence, set()).add((hatch, dashed, fill.group(1) if fill and not hatch else "hatch"))
    assert {"stated", "inferred", "planned", "outside"} <= set(styles)
    for kind, seen in styles.items():
        others = set().union(*(v for k, v in styles.items() if k != kind))
        assert not seen & others, f"{kind} marks are drawn like other kinds: {seen & others}"
    assert all(h for h, _, _ in styles["inferred"]), "inferred dates are hatched"
    assert all(d for _, d, _ in styles["planned"]), "planned events are dashed"


def test_a_corrected_fact_reaches_the_chart_data(tmp_path):
    """Change a date in data/troops.csv: the next build re-runs the drawdown notebook and its CSV shows the new date."""
    copy_collection(tmp_path)
    rows = list(csv.DictReader(open(tmp_path / "data" / "troops.csv", encoding="utf-8", newline="")))
    for r in rows:
        if r["id"] == "tr_french_2021":
            r["date"] = "2021-08"
    with open(tmp_path / "data" / "troops.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    log = io.StringIO()
    results = build(root=tmp_path, only=["02"], out=log)
    assert [r.status for r in results] == ["ran"], log.getvalue()
    drawn = pd.read_csv(tmp_path / "reports" / "figures" / "french_drawdown.csv").set_index("row_id")
    assert drawn.loc["tr_french_2021", "start"] == "2021-08-01"


def test_marks_from_contradicted_claims_carry_the_verdict(built):
    """A date the ledger rates contradicted or misleading is flagged on the timeline, and only those are."""
    figures = built / "reports" / "figures"
    claims = _raw(built, "claims")
    for name in ("timeline_both_stories", "nato_iraq_timeline"):
        data = pd.read_csv(figures / f"{name}.csv", dtype=str, keep_default_na=False)
        flagged = data[data["label"].str.contains("✗")]
        assert len(flagged) >= 2, f"{name}: no flagged mark"
        for _, r in flagged.iterrows():
            assert r["verdict"] in ("contradicted", "misleading", "mistranslated") and r["verdict"] in r["label"]
        assert not data[~data["label"].str.contains("✗") & data["verdict"].isin(["contradicted", "misleading"])].size
    data = pd.read_csv(figures / "nato_iraq_timeline.csv", dtype=str, keep_default_na=False).set_index("row_id")
    mid_january = next(c for c in claims.values() if "mid-January" in c["quote"])
    assert data.loc["ev_nato_suspension_reported", "verdict"] == mid_january["verdict"] == "contradicted"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: {old!r} not found"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_changed_bound_or_count_changes_every_text_that_says_it(tmp_path):
    """The words a chart says about a count (its title, note, labels, alt text) come from the row: make the article's
    'over 5,000' a round figure and the last Sahel-wide count in the outside record an exact 3,100, and the next build's
    figures say 'about 5,000' and '3,100', and no longer 'over 5,000' or 'about 3,000'."""
    copy_collection(tmp_path)
    data = tmp_path / "data"
    _replace(
        data / "troops.csv",
        "tr_french_2021,mali,French forces (Operation Barkhane),personnel,5000,soldiers,lower_bound,",
        "tr_french_2021,mali,French forces (Operation Barkhane),personnel,5000,soldiers,approximate,",
    )
    _replace(
        data / "record.csv",
        "ob_sahel_2022_11_21_3000,french_forces,French forces in the Sahel (post-Barkhane),personnel,3000,,soldiers,approximate,",
        "ob_sahel_2022_11_21_3000,french_forces,French forces in the Sahel (post-Barkhane),personnel,3100,,soldiers,exact,",
    )
    for table in ("record", "passages", "record_checks"):  # the quote that carries the count, wherever it is cited
        _replace(data / f"{table}.csv", "encore quelque 3 000 militaires", "encore quelque 3 100 militaires")
    # the closing words state these values and their check would stop the build here, as it should (a test of its own
    # shows it): this test is about the figures' words, so the copies lose the check of the closing words
    for nb in ("02_french_drawdown", "11_french_forces_record"):
        path = tmp_path / "notebooks" / f"{nb}.ipynb"
        notebook = json.loads(path.read_text(encoding="utf-8"))
        notebook["cells"] = [c for c in notebook["cells"] if c.get("id") != "closing-facts"]
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log = io.StringIO()
    results = build(root=tmp_path, only=["02", "11"], force=True, out=log)
    assert [r.status for r in results] == ["ran", "ran"], log.getvalue()
    figures = tmp_path / "reports" / "figures"
    for name, said, unsaid in (
        ("french_drawdown", ["about 5,000", "a round figure"], ["over 5,000", "a lower bound"]),
        ("french_troops_2013_2022", ["about 5,000", "3,100 remained"], ["over 5,000", "about 3,000 remained"]),
    ):
        meta = json.loads((figures / f"{name}.meta.json").read_text(encoding="utf-8"))
        words = " ".join(str(meta[k]) for k in ("title", "note", "alt"))
        svg = (figures / f"{name}.svg").read_text(encoding="utf-8")
        for w in said:
            assert w in words, f"{name}: {w!r} missing from the title, note or alt text"
        for w in unsaid:
            assert w not in words and w not in svg, f"{name}: {w!r} still said"
    assert "about 5,000" in (figures / "french_drawdown.svg").read_text(encoding="utf-8")
