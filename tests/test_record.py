"""What happened next: the outside record's figures reach the charts unchanged, span the years they should, and every
plan the article states is scored."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from helpers.facts import validate


def _raw(root: Path, table: str) -> dict[str, dict]:
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def test_the_drawdown_spans_2013_to_2022_with_the_articles_numbers_in_place(built):
    data = pd.read_csv(built / "reports" / "figures" / "french_troops_2013_2022.csv", dtype=str, keep_default_na=False)
    record = _raw(built, "record")
    outside = data[data["evidence"] == "outside"]
    assert outside["start"].min().startswith("2013-01") and outside["start"].max().startswith("2022-")
    assert set(outside["scope"]) == {"sahel", "mali"}, "both scopes are drawn"
    for _, r in outside.iterrows():
        src = record[r["row_id"]]
        assert r["value"] == src["value"] and r["source_id"] == src["source_id"] and r["bound"] == src["bound"], r["row_id"]
    article = data.set_index("row_id")
    assert article.loc["tr_french_2021", "evidence"] == "stated" and article.loc["tr_french_2021", "value"] == "5000"
    assert article.loc["tr_french_2021 - tr_french_cut_2023", "evidence"] == "derived"
    svg = (built / "reports" / "figures" / "french_troops_2013_2022.svg").read_text(encoding="utf-8")
    assert all(f'id="{rid}.outside"' in svg for rid in outside["row_id"])


def test_every_base_shows_its_deadline_and_handover(built):
    data = pd.read_csv(built / "reports" / "figures" / "bases_planned_vs_actual.csv", dtype=str, keep_default_na=False)
    kinds = data.groupby("place_id")["kind"].apply(set).to_dict()
    for base in ("kidal", "tessalit", "timbuktu"):
        assert kinds[base] == {"deadline (the article)", "handover (outside record)"}, base
    for base in ("gossi", "menaka", "gao"):
        assert "handover (outside record)" in kinds[base], base
    handovers = data[data["kind"].str.startswith("handover")]
    assert set(handovers["table"]) == {"record"} and set(data[data["kind"].str.startswith("deadline")]["table"]) == {"events"}
    mapped = pd.read_csv(built / "reports" / "figures" / "map_bases_handover.csv", dtype=str, keep_default_na=False)
    assert set(mapped.loc[mapped["kind"] == "place", "id"]) == {"kidal", "tessalit", "timbuktu", "gossi", "menaka", "gao"}


def test_the_nato_chart_spans_the_launch_to_the_expansion(built):
    data = pd.read_csv(built / "reports" / "figures" / "nato_mission_iraq_2018_2021.csv", dtype=str, keep_default_na=False)
    status = data[data["series"] == "status"]
    assert status["start"].min() == "2018-10-01" and status["end"].max() == "2021-12-31"  # October 2018: the month NATO gives
    assert {"active", "suspended", "paused"} <= set(status["status"])
    size = data[data["series"] == "size"].set_index("row_id")
    assert size.loc["ob_nmi_ceiling_4000_2021_02_18", "value"] == "4000"
    assert set(data["table"]) == {"record"}, "the NATO chart draws only the outside record"


def test_every_plan_is_scored(built):
    plans = _raw(built, "plans")
    data = pd.read_csv(built / "reports" / "figures" / "plan_scorecard.csv", dtype=str, keep_default_na=False)
    assert set(data["row_id"]) == set(plans)
    for _, r in data.iterrows():
        assert r["verdict"] == plans[r["row_id"]]["verdict"]
    assert set(data["verdict"]) == {p["verdict"] for p in plans.values()}


def test_a_record_figure_not_in_its_quote_is_refused(scratch):
    row = scratch.edit("record", "ob_barkhane_2020_06_5100", "value", "5200")
    problems = [str(p) for p in validate(scratch.root, check_gazetteer=False)]
    assert any(f"data/record.csv: row {row}" in p and "'value'" in p for p in problems), problems


def test_a_record_row_cannot_cite_the_article(scratch):
    row = scratch.edit("record", "ob_barkhane_2020_06_5100", "source_id", "art_mali")
    problems = [str(p) for p in validate(scratch.root, check_gazetteer=False)]
    assert any(f"data/record.csv: row {row}" in p and "'source_id'" in p and "outside" in p for p in problems), problems


def test_a_plan_outcome_must_be_in_its_sources_passages(scratch):
    row = scratch.edit("plans", "pl_not_leave_mali", "evidence_quote", "France never left Mali")
    problems = [str(p) for p in validate(scratch.root, check_gazetteer=False)]
    assert any(f"data/plans.csv: row {row}" in p and "'evidence_quote'" in p for p in problems), problems
