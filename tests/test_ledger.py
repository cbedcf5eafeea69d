"""The claims ledger's evidence model: sources cited, not copied; every verdict meets its definition; every sentence of
the article accounted for; every verdict read a second time; the ledger's page works offline."""

from __future__ import annotations

import html
import io
import json

import pytest
from conftest import COLLECTION
from conftest import table_rows as _rows
from conftest import the_problem as _one
from conftest import validation_problems as _problems

from helpers.builder import build
from helpers.facts.agreement import cohen_kappa, raw_agreement
from helpers.facts.text import normalise

ROOT = COLLECTION  # this collection, or the one $HELPERS_TEST_COLLECTION names (tests marked collection)


# --------------------------------------------------------------------------- cited, not copied


@pytest.mark.collection
def test_data_holds_the_tables_and_no_copy_of_any_page():
    dp = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    expected = {r["path"] for r in dp["resources"]} | {"datapackage.json", "README.md"}
    present = {str(p.relative_to(ROOT / "data")) for p in (ROOT / "data").rglob("*") if p.is_file()}
    assert present == expected, f"files under data/ that are not tables: {sorted(present - expected)}"


@pytest.mark.collection
def test_every_quote_from_an_outside_source_is_among_its_recorded_passages():
    """Independent of the validator's code: read the CSVs, find each outside quote in one passage of its source."""
    kinds = {r["id"]: r["kind"] for r in _rows(ROOT, "sources")}
    passages: dict[str, list[str]] = {}
    for p in _rows(ROOT, "passages"):
        passages.setdefault(p["source_id"], []).append(normalise(p["passage"]))
    checked = 0
    for table, src, quote in [("evidence", "source_id", "quote"), ("record", "source_id", "quote"),
                              ("plans", "evidence_source_id", "evidence_quote"), ("events", "source_id", "quote"),
                              ("places", "source_id", "quote")]:  # fmt: skip
        for r in _rows(ROOT, table):
            if kinds.get(r[src]) == "outside" and r[quote]:
                assert any(normalise(r[quote]) in p for p in passages.get(r[src], [])), (table, r["id"])
                checked += 1
    assert checked > 200


@pytest.mark.collection
def test_every_outside_source_says_when_and_how_much_of_it_was_read():
    for s in _rows(ROOT, "sources"):
        if s["kind"] != "outside":
            continue
        assert s["url"].startswith("http") and s["read_on"] and s["extent"] in ("whole", "partial"), s["id"]
        assert s["path"] == "", f"{s['id']}: an outside page is not copied into the project"
        if s["extent"] == "partial":
            assert int(s["extent_chars"]) > 0 and s["extent_missing"], s["id"]


# --------------------------------------------------------------------------- bad input: one clear error each


def test_a_source_without_its_extent(scratch):
    row = scratch.edit("sources", "hurriyet_2020_01_04", "extent", "")
    _one(_problems(scratch.root), "data/sources.csv", f"row {row}", "'extent'", "how much of the page was read")


def test_not_found_against_a_record_read_in_part(scratch):
    row = scratch.edit("claims", "cl_q_iraq_forefront", "verdict", "not_found")
    _one(_problems(scratch.root), "data/claims.csv", f"row {row}", "'verdict'", "not_found only against a record read whole")


def test_an_absence_verdict_needs_the_record_it_searched(scratch):
    row = scratch.edit("claims", "cl_q_iraq_forefront", "record_source_id", "")
    _one(_problems(scratch.root), "data/claims.csv", f"row {row}", "'record_source_id'", "speaker's record")


def test_not_found_holds_against_a_record_read_whole(scratch):
    """The rule is about extent, not a ban: mark the record whole and not_found passes where record_incomplete fails."""
    scratch.edit("sources", "nato_2020_02_12_presser", "extent", "whole")
    scratch.edit("sources", "nato_2020_02_12_presser", "extent_chars", "")
    scratch.edit("claims", "cl_q_iraq_forefront", "verdict", "not_found")
    problems = _problems(scratch.root)
    assert not [p for p in problems if "cl_q_iraq_forefront" in p and "'verdict'" in p and "not_found" in p], problems
    _one(
        problems,
        "data/claims.csv",
        "cl_q_fight_terrorism_more_successfully",
        "record_incomplete only against a record read in part",
    )


def test_an_unverifiable_reason_may_not_claim_absence_from_a_partial_record(scratch):
    row = scratch.edit("claims", "cl_daily_drone_sf_attacks", "reason", "No source was found that gives a frequency.")
    _one(_problems(scratch.root), "data/claims.csv", f"row {row}", "'reason'", "does not claim absence")


def test_met_late_without_a_deadline(scratch):
    row = scratch.edit("plans", "pl_consultations_on_expanding_mission", "verdict", "met_late")
    scratch.edit("reviews", "rv_pl_consultations_on_expanding_mission", "settled_verdict", "met_late")
    _one(_problems(scratch.root), "data/plans.csv", f"row {row}", "'deadline'", "a deadline for met or met_late")


def test_met_after_its_deadline(scratch):
    row = scratch.edit("plans", "pl_north_bases_by_december", "outcome_date", "2022-01-15")
    _one(_problems(scratch.root), "data/plans.csv", f"row {row}", "'outcome_date'", "no later than the deadline")


def test_contradicted_resting_on_a_reprint_of_its_own_other_source(scratch):
    """The Kalashnikov claim rests on several reports; make every one a reprint of one agency story and they are one."""
    claim = "cl_blasco_kalashnikov_barrage"
    row = {r["id"]: n for n, r in enumerate(_rows(scratch.root, "claims"), start=1)}[claim]
    assert not [p for p in _problems(scratch.root) if claim in p]
    against = {e["source_id"] for e in _rows(scratch.root, "evidence") if e["claim_id"] == claim and e["stance"] == "contradicts"}
    assert len(against) >= 2, "the claim rests on two or more contradicting sources"
    for sid in sorted(against):
        scratch.edit("sources", sid, "origin", "AFP")
        scratch.edit("sources", sid, "primary", "no")
    _one(_problems(scratch.root), "data/claims.csv", f"row {row}", "'verdict'", "two independent sources")


def test_a_seed_sentence_with_no_row(scratch):
    header, rows = scratch.rows("sentences")
    dropped = rows.pop(5)
    scratch.write("sentences", header, rows)
    msg = _one(_problems(scratch.root), "data/sentences.csv", f"row {6}", "'text'", "next words of the seed file")
    assert normalise(dropped["text"])[:40] in msg, "the message says which words are missing"


def test_a_seed_sentence_with_no_claim_and_no_reason(scratch):
    row = scratch.edit("sentences", "s03", "role", "opinion")
    scratch.edit("sentences", "s03", "checked_by", "")
    _one(_problems(scratch.root), "data/sentences.csv", f"row {row}", "'reason'", "why nothing checks the sentence")


def test_a_claim_no_sentence_names(scratch):
    scratch.edit("sentences", "s03", "checked_by", "cl_children_of_sahel")
    _one(_problems(scratch.root), "data/claims.csv", "cl_blasco_desert_generation", "'id'", "a sentence of data/sentences.csv")


def test_a_second_reading_of_an_unknown_claim(scratch):
    row = scratch.edit("reviews", "rv_cl_libya_border", "item_id", "cl_libya_borders")
    problems = _problems(scratch.root)
    _one(problems, "data/reviews.csv", f"row {row}", "'item_id'", "data/claims.csv or data/plans.csv")
    _one(problems, "data/claims.csv", "cl_libya_border", "exactly one second reading")


def test_a_settled_verdict_that_is_not_the_published_one(scratch):
    published = {r["id"]: r["verdict"] for r in _rows(scratch.root, "claims")}["cl_libya_border"]
    other = "contradicted" if published != "contradicted" else "imprecise"
    row = scratch.edit("reviews", "rv_cl_libya_border", "settled_verdict", other)
    _one(_problems(scratch.root), "data/reviews.csv", f"row {row}", "'settled_verdict'", "the verdict the row has now")


def test_a_disagreement_without_its_settlement(scratch):
    reviews = _rows(scratch.root, "reviews")
    rid = next(r["id"] for r in reviews if r["agree"] == "no")
    row = scratch.edit("reviews", rid, "settlement", "")
    _one(_problems(scratch.root), "data/reviews.csv", f"row {row}", "'settlement'", "how the disagreement was settled")


def test_a_passage_longer_than_the_limit(scratch):
    first = _rows(scratch.root, "passages")[0]
    row = scratch.edit("passages", first["id"], "passage", first["passage"] + " " + "and the page goes on" * 20)
    _one(_problems(scratch.root), "data/passages.csv", f"row {row}", "'passage'", "at most 300 characters")


def test_invalid_tables_publish_nothing(project):
    """A build on tables that fail a verdict rule runs no notebook and leaves every published file as it was."""
    reports = project / "reports"
    before = {p: p.read_bytes() for p in [reports / "claims.html", reports / "index.html", reports / "figures.json"]}
    path = project / "data" / "claims.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",record_incomplete,", ",not_found,", 1), encoding="utf-8")
    log = io.StringIO()
    results = build(root=project, force=True, out=log)
    assert all(r.status == "failed" for r in results), log.getvalue()
    assert "not_found only against a record read whole" in log.getvalue()
    assert {p: p.read_bytes() for p in before} == before
    assert not list(reports.glob(".*.tmp.*")), "nothing half-written is left behind"


# --------------------------------------------------------------------------- the second reading


@pytest.mark.collection
def test_every_claim_and_plan_has_one_second_reading_and_the_record_is_consistent():
    reviews = _rows(ROOT, "reviews")
    items = [("claims", r["id"], r["verdict"]) for r in _rows(ROOT, "claims")]
    items += [("plans", r["id"], r["verdict"]) for r in _rows(ROOT, "plans")]
    by_item = {(r["item_table"], r["item_id"]): r for r in reviews}
    assert len(by_item) == len(reviews) == len(items)
    for table, i, verdict in items:
        rv = by_item[(table, i)]
        assert rv["settled_verdict"] == verdict and (rv["agree"] == "yes") == (rv["first_verdict"] == rv["second_verdict"])
    assert any(r["agree"] == "no" for r in reviews), "a second reading that never disagrees proves nothing"


def test_cohen_kappa_matches_a_worked_example():
    # 50 items; both yes 20, yes/no 5, no/yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4 (Cohen 1960's formula,
    # the worked example of the Wikipedia article "Cohen's kappa")
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert raw_agreement(a, b) == pytest.approx(0.7)
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(["x", "y"], ["x", "y"]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="two readings"):
        cohen_kappa(["x"], ["x", "y"])


# --------------------------------------------------------------------------- the ledger's page


def test_every_claimreview_points_to_a_section_of_the_claims_page(built):
    page = (built / "reports" / "claims.html").read_text(encoding="utf-8")
    reviews = json.loads((built / "reports" / "figures" / "claimreview.jsonld").read_text(encoding="utf-8"))
    for r in reviews:
        anchor = r["url"].split("#", 1)[1]
        assert f'<section class="item" id="{anchor}"' in page, r["url"]
    for p in _rows(built, "plans"):
        assert f'id="{p["id"]}"' in page


def test_the_claims_page_opens_offline_and_filters_and_searches(built, offline_page):
    page = offline_page
    claims, plans = _rows(built, "claims"), _rows(built, "plans")
    total = len(claims) + len(plans)
    contradicted = sum(c["verdict"] == "contradicted" for c in claims)
    page.goto((built / "reports" / "claims.html").resolve().as_uri() + "#cl_q_iraq_forefront", wait_until="load")
    ids = page.evaluate("() => [...document.querySelectorAll('section.item')].map(s => s.id)")
    assert ids == [c["id"] for c in claims] + [p["id"] for p in plans]
    assert page.locator("#shown").inner_text() == f"{total} of {total} shown"
    target = page.locator("#cl_q_iraq_forefront")
    assert "record was not read whole" in target.inner_text() and target.is_visible()
    page.select_option("#verdict", "contradicted")
    assert page.locator("#shown").inner_text() == f"{contradicted} of {total} shown"
    page.select_option("#verdict", "")
    page.select_option("#story", "nato")
    nato = sum(r["story"] == "nato" for r in claims + plans)
    assert page.locator("#shown").inner_text() == f"{nato} of {total} shown"
    page.select_option("#story", "")
    page.fill("#q", "Kalashnikov sniper")
    visible = page.evaluate("() => [...document.querySelectorAll('section.item')].filter(s => !s.hidden).map(s => s.id)")
    assert visible == ["cl_blasco_kalashnikov_barrage"], visible


def test_the_claims_page_is_redrawn_when_the_ledger_changes_and_only_then(project):
    reports = project / "reports"
    before = (reports / "claims.html").read_bytes()
    nb = project / "notebooks" / "03_casualties.ipynb"
    raw = json.loads(nb.read_text(encoding="utf-8"))
    raw["cells"][0]["source"] = ["".join(raw["cells"][0]["source"]) + "\n\nA markdown-only edit."]
    nb.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    build(root=project, out=io.StringIO())
    assert (reports / "claims.html").read_bytes() == before, "a markdown-only edit leaves the claims page alone"
    path = project / "data" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    assert "NATO calls Jordan a partner, not an Ally" in text
    path.write_text(text.replace("NATO calls Jordan a partner, not an Ally", "NATO names Jordan a partner and no Ally"),
                    encoding="utf-8")  # fmt: skip
    build(root=project, only=["01"], out=io.StringIO())  # the page follows the ledger whichever notebooks run
    assert "NATO names Jordan a partner and no Ally" in html.unescape((reports / "claims.html").read_text(encoding="utf-8"))
