"""Two searches, the article's lineage, every statement and every id: the rules that keep the evidence honest. Each bad
row gets one clear error naming file, row and column, and a build on such tables publishes nothing (test_ledger)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import COLLECTION
from conftest import table_rows as _rows
from conftest import the_problem as _one
from conftest import validation_problems as _problems

from helpers.facts.agreement import cohen_kappa, raw_agreement

ROOT = COLLECTION  # this collection, or the one $HELPERS_TEST_COLLECTION names (tests marked collection)


# --------------------------------------------------------------------------- what the tables hold


@pytest.mark.collection
def test_every_claim_plan_and_record_row_has_an_independent_search():
    reviews = _rows(ROOT, "reviews")
    items = {(r["item_table"], r["item_id"]) for r in reviews}
    for table in ("claims", "plans"):
        assert {(table, r["id"]) for r in _rows(ROOT, table)} <= items, f"every row of {table} has a second reading"
    assert all(r["second_verdict"] for r in reviews)
    checked = Counter(r["record_id"] for r in _rows(ROOT, "record_checks"))
    assert all(checked[r["id"]] == 1 for r in _rows(ROOT, "record")), "every record row has exactly one check"
    found = Counter(p["found_by"] for p in _rows(ROOT, "passages"))
    assert found["second_search"] > 0 and found["first_search"] > 0, found
    assert all(p["query"] for p in _rows(ROOT, "passages") if p["found_by"] in ("second_search", "third_reading"))


@pytest.mark.collection
def test_every_disagreement_is_settled_with_its_reason_and_who_settled_it():
    for r in _rows(ROOT, "reviews"):
        if r["agree"] == "no":
            assert r["settlement"] and r["settled_by"] in ("readers", "third_reading"), r["id"]
        if r["settled_verdict"] != r["first_verdict"]:
            assert r["change_cause"] in ("evidence_second_search", "calibration", "reading"), r["id"]


@pytest.mark.collection
def test_the_agreement_of_the_two_searches_is_what_the_readings_give():
    """Raw agreement and kappa per story, from the table: the numbers notebook 10 reports."""
    claims = {r["id"]: r["story"] for r in _rows(ROOT, "claims")} | {r["id"]: r["story"] for r in _rows(ROOT, "plans")}
    reviews = _rows(ROOT, "reviews")
    for story in {"mali", "nato"}:
        rows = [r for r in reviews if claims[r["item_id"]] in (story, "both" if story == "nato" else story)]
        a, b = [r["first_verdict"] for r in rows], [r["second_verdict"] for r in rows]
        agree = sum(r["agree"] == "yes" for r in rows) / len(rows)
        assert abs(raw_agreement(a, b) - agree) < 1e-9
        assert -1 <= cohen_kappa(a, b) <= 1


@pytest.mark.collection
def test_no_lineage_source_supports_an_accurate_verbatim_or_paraphrase_verdict():
    lineage = {s["id"] for s in _rows(ROOT, "sources") if s["lineage"]}
    assert lineage, "the article's original, the report its words come from and its republisher are marked"
    verdict = {c["id"]: c["verdict"] for c in _rows(ROOT, "claims")}
    for e in _rows(ROOT, "evidence"):
        if e["source_id"] in lineage:
            assert not (e["stance"] == "supports" and verdict[e["claim_id"]] in ("accurate", "verbatim", "paraphrase")), e["id"]


@pytest.mark.collection
def test_every_statement_of_a_checked_sentence_is_checked_or_says_why_not():
    statements = _rows(ROOT, "statements")
    sentences = {s["id"]: s for s in _rows(ROOT, "sentences")}
    for s in statements:
        assert s["checked_by"] or (s["reason"] and s["reason_kind"]), s["id"]
        assert s["text"].replace("’", "'") in sentences[s["sentence_id"]]["text"].replace("’", "'"), s["id"]
    checked = {s["id"] for s in sentences.values() if s["role"] == "checked"}
    assert checked <= {s["sentence_id"] for s in statements}
    named = {x for s in statements for x in s["checked_by"].split(";") if x}
    assert {c["id"] for c in _rows(ROOT, "claims")} | {p["id"] for p in _rows(ROOT, "plans")} == named


# --------------------------------------------------------------------------- bad input, one clear error each


def test_a_supporting_passage_from_the_articles_lineage(scratch):
    ev = next(e for e in _rows(scratch.root, "evidence") if e["claim_id"] == "cl_blasco_age_34" and e["stance"] == "supports")
    scratch.edit("sources", ev["source_id"], "lineage", "reprint")
    row = [e["id"] for e in _rows(scratch.root, "evidence")].index(ev["id"]) + 1
    _one(_problems(scratch.root), "data/evidence.csv", f"row {row}", "'source_id'", "outside the article's lineage")


def test_a_plan_outcome_from_the_articles_lineage(scratch):
    plan = _rows(scratch.root, "plans")[0]
    scratch.edit("sources", plan["evidence_source_id"], "lineage", "republisher")
    _one(_problems(scratch.root), "data/plans.csv", "row 1", "'evidence_source_id'", "outside the article's lineage")


def test_a_found_by_that_is_neither_reader(scratch):
    first = _rows(scratch.root, "evidence")[0]
    row = scratch.edit("evidence", first["id"], "found_by", "a_third_search")
    _one(_problems(scratch.root), "data/evidence.csv", f"row {row}", "'found_by'", "one of first_search, second_search")


def test_evidence_claimed_by_a_search_that_did_not_find_its_passage(scratch):
    passages = _rows(scratch.root, "passages")
    first_only = {p["source_id"] for p in passages if p["found_by"] == "first_search"}
    ev = next(e for e in _rows(scratch.root, "evidence") if e["found_by"] == "first_search" and e["source_id"] in first_only
              and not any(p["found_by"] != "first_search" for p in passages if p["source_id"] == e["source_id"]))  # fmt: skip
    row = scratch.edit("evidence", ev["id"], "found_by", "second_search")
    _one(_problems(scratch.root), "data/evidence.csv", f"row {row}", "'found_by'", "the search that found the passage")


def test_a_passage_of_the_second_search_without_its_query(scratch):
    p = next(p for p in _rows(scratch.root, "passages") if p["found_by"] == "second_search")
    row = scratch.edit("passages", p["id"], "query", "")
    _one(_problems(scratch.root), "data/passages.csv", f"row {row}", "'query'", "the query that found the passage")


def test_a_review_settled_by_a_third_reading_with_no_reason(scratch):
    r = next(r for r in _rows(scratch.root, "reviews") if r["settled_by"] == "third_reading")
    row = scratch.edit("reviews", r["id"], "settlement", "")
    _one(_problems(scratch.root), "data/reviews.csv", f"row {row}", "'settlement'")


def test_a_changed_verdict_without_its_cause(scratch):
    r = next(r for r in _rows(scratch.root, "reviews") if r["change_cause"])
    row = scratch.edit("reviews", r["id"], "change_cause", "")
    _one(_problems(scratch.root), "data/reviews.csv", f"row {row}", "'change_cause'", "exactly when they differ")


def test_a_review_with_no_settlement_date(scratch):
    r = _rows(scratch.root, "reviews")[0]
    row = scratch.edit("reviews", r["id"], "settled_on", "")
    _one(_problems(scratch.root), "data/reviews.csv", f"row {row}", "'settled_on'", "required")


def test_a_statement_with_neither_a_claim_nor_a_reason(scratch):
    s = next(s for s in _rows(scratch.root, "statements") if s["reason"])
    scratch.edit("statements", s["id"], "reason", "")
    row = scratch.edit("statements", s["id"], "reason_kind", "")
    _one(_problems(scratch.root), "data/statements.csv", f"row {row}", "'reason'", "or why it cannot be checked")


def test_a_claim_no_statement_names(scratch):
    s = next(s for s in _rows(scratch.root, "statements") if s["checked_by"] == "cl_blasco_age_34")
    scratch.edit("statements", s["id"], "checked_by", "")
    scratch.edit("statements", s["id"], "reason_kind", "opinion")
    scratch.edit("statements", s["id"], "reason", "made unchecked by the test")
    _one(_problems(scratch.root), "data/claims.csv", "cl_blasco_age_34", "'id'", "a statement of data/statements.csv")


def test_a_note_naming_an_id_that_does_not_exist(scratch):
    row = scratch.edit("events", "ev_sahrawi_killed", "description", "See claims.csv: cl_sahrawi_date.")
    msg = _one(_problems(scratch.root), "data/events.csv", f"row {row}", "'description'", "ids that exist")
    assert "cl_sahrawi_date" in msg


def test_a_record_row_without_its_check(scratch):
    header, rows = scratch.rows("record_checks")
    gone = rows.pop(0)
    scratch.write("record_checks", header, rows)
    _one(_problems(scratch.root), "data/record.csv", gone["record_id"], "'id'", "data/record_checks.csv")


def test_a_base_address_that_is_not_an_absolute_url(scratch):
    path = scratch.root / "data" / "datapackage.json"
    dp = json.loads(path.read_text(encoding="utf-8"))
    dp["homepage"] = "reports/"
    path.write_text(json.dumps(dp, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _one(_problems(scratch.root), "data/datapackage.json", "'homepage'", "an absolute URL")
