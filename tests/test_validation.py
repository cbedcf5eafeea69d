"""The real tables validate; every kind of bad input gets a precise error."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from conftest import the_problem as _one

from helpers.facts import DataError, load_all, load_table, validate


@pytest.mark.collection
def test_the_real_tables_validate_including_the_gazetteer():
    assert [str(p) for p in validate(check_gazetteer=True)] == []


def test_typed_loading():
    ev = load_table("events")
    assert isinstance(ev["event_type"].dtype, pd.CategoricalDtype)
    assert ev["start"].dtype.kind == "M" and ev["end"].dtype.kind == "M"
    by_id = ev.set_index("id")
    # precision decides the period a written date covers
    assert (by_id.at["ev_leave_kidal", "start"], by_id.at["ev_leave_kidal", "end"]) == (
        pd.Timestamp("2021-12-01"),
        pd.Timestamp("2021-12-31"),
    )
    assert by_id.at["ev_troop_cut_2023", "end"] == pd.Timestamp("2023-12-31")
    assert by_id.at["ev_nato_suspension_reported", "end"] == pd.Timestamp("2020-01-20")
    troops = load_table("troops")
    assert str(troops["value"].dtype) == "Int64"
    assert troops.set_index("id").at["tr_french_2021", "bound"] == "lower_bound"
    places = load_table("places")
    assert str(places["latitude"].dtype) == "Float64"


def test_every_article_fact_the_issue_lists_is_in_a_table():
    t = load_all()
    troops = t["troops"].set_index("id")["value"].to_dict()
    assert troops == {
        "tr_french_2021": 5000,
        "tr_french_cut_2023": 2000,
        "tr_eutm_personnel": 700,
        "tr_eutm_countries": 25,
        "tr_wagner_personnel": 1000,
        "tr_wagner_cost": 10_000_000,
    }
    cas = t["casualties"].set_index("id")
    assert (cas.at["cas_blasco", "name"], cas.at["cas_blasco", "age"], cas.at["cas_blasco", "date"]) == (
        "Maxime Blasco",
        34,
        "2021-09-24",
    )
    assert (cas.at["cas_french_total", "deaths"], cas.at["cas_french_total", "since_year"]) == (52, 2013)
    places = set(t["places"]["id"])
    assert {
        "gossi",
        "kidal",
        "tessalit",
        "timbuktu",
        "bamako",
        "mali",
        "mauritania",
        "libya",
        "algeria",
        "niger",
        "burkina_faso",
        "iraq",
        "jordan",
        "munich",
        "brussels",
    } <= places
    ev = t["events"]
    assert set(ev["event_type"]) >= {
        "fatality",
        "targeted_killing",
        "base_withdrawal",
        "troop_reduction",
        "speech",
        "contract_reported",
        "military_intervention",
        "mission_status",
        "decision",
        "meeting",
    }
    # every inferred value says why
    for name in ("events", "troops", "casualties"):
        inferred = t[name][t[name]["date_basis"] == "inferred"]
        assert inferred["date_reasoning"].notna().all(), name


def _problems(**kw):
    return [str(p) for p in validate(check_gazetteer=kw.get("gazetteer", False))]


def test_quote_not_in_the_source(scratch):
    row = scratch.edit("events", "ev_blasco_killed", "quote", "killed on Friday morning by a drone")
    msg = _one(_problems(), "data/events.csv", f"row {row} ", "'quote'")
    assert "ev_blasco_killed" in msg and "by a drone" in msg and "verbatim" in msg


def test_quote_from_the_other_story_is_refused(scratch):
    # the words are in the file, but in the Mali part, not the NATO part the row claims
    scratch.edit("events", "ev_ministers_decide", "quote", "In Mali, France has deployed over five thousand men")
    _one(_problems(), "data/events.csv", "ev_ministers_decide", "'quote'")


def test_unknown_place(scratch):
    row = scratch.edit("events", "ev_leave_kidal", "place_id", "atlantis")
    msg = _one(_problems(), "data/events.csv", f"row {row} ", "'place_id'", "'atlantis'")
    assert "data/places.csv" in msg


def test_unknown_source(scratch):
    row = scratch.edit("troops", "tr_eutm_personnel", "source_id", "le_monde")
    _one(_problems(), "data/troops.csv", f"row {row} ", "'source_id'", "'le_monde'", "data/sources.csv")


@pytest.mark.parametrize("bad", ["2021-13-01", "2021-02-30"])
def test_impossible_calendar_date(scratch, bad):
    row = scratch.edit("events", "ev_blasco_killed", "date", bad)
    _one(_problems(), "data/events.csv", f"row {row} ", "'date'", repr(bad), "real calendar date")


@pytest.mark.parametrize(("column", "bad"), [("deadline", "2021-13"), ("outcome_date", "2021-02-30")])
def test_impossible_plan_date(scratch, column, bad):
    """A plan's dates are typed on load (deadline_start, deadline_end): one that is no real date is an error, not a
    plan silently without a deadline."""
    row = scratch.edit("plans", "pl_north_bases_by_december", column, bad)
    _one(_problems(), "data/plans.csv", f"row {row} ", f"'{column}'", repr(bad), "real calendar date")


def test_a_plans_dates_are_typed_as_the_period_they_can_mean():
    plans = load_all()["plans"].set_index("id")
    by_december = plans.loc["pl_north_bases_by_december"]  # deadline 2021-12: the whole month
    assert (by_december["deadline_start"], by_december["deadline_end"]) == (pd.Timestamp("2021-12-01"),
                                                                          pd.Timestamp("2021-12-31"))  # fmt: skip
    undated = plans[plans["deadline"].isna()]
    assert len(undated) and undated["deadline_start"].isna().all() and undated["deadline_end"].isna().all()
    assert (plans["outcome_date_start"] <= plans["outcome_date_end"]).all()


def test_a_word_in_a_date_column(scratch):
    row = scratch.edit("events", "ev_un_speech", "date", "yesterday")
    _one(_problems(), "data/events.csv", f"row {row} ", "'date'", "'yesterday'")


def test_day_precision_on_a_month(scratch):
    row = scratch.edit("events", "ev_leave_kidal", "time_precision", "1")
    _one(_problems(), "data/events.csv", f"row {row} ", "'date'", "'2021-12'", "YYYY-MM-DD for 1")


def test_span_needs_an_end(scratch):
    row = scratch.edit("events", "ev_nato_suspension_reported", "date_end", "")
    _one(_problems(), "data/events.csv", f"row {row} ", "'date_end'")


@pytest.mark.parametrize("bad, expect", [("-5000", "at least 0"), ("5000.5", "whole number"), ("many", "whole number")])
def test_bad_troop_counts(scratch, bad, expect):
    row = scratch.edit("troops", "tr_french_2021", "value", bad)
    _one(_problems(), "data/troops.csv", f"row {row} ", "'value'", repr(bad), expect)


def test_a_number_that_is_not_in_its_quote(scratch):
    row = scratch.edit("troops", "tr_eutm_countries", "value", "27")
    _one(_problems(), "data/troops.csv", f"row {row} ", "'value'", "'27'", "appears in the row's quote")


def test_inferred_without_reasoning(scratch):
    row = scratch.edit("casualties", "cas_blasco", "date_reasoning", "")
    _one(_problems(), "data/casualties.csv", f"row {row} ", "'date_reasoning'")


def test_missing_required_column(scratch):
    header, rows = scratch.rows("casualties")
    header.remove("deaths")
    scratch.write("casualties", header, rows)
    _one(_problems(), "data/casualties.csv", "'deaths'", "line 1")


def test_duplicate_id(scratch):
    header, rows = scratch.rows("troops")
    rows[1]["id"] = rows[0]["id"]
    scratch.write("troops", header, rows)
    problems = _problems()
    _one(problems, "data/troops.csv", "row 1 ", "'id'", "unique")
    _one(problems, "data/troops.csv", "row 2 ", "'id'", "unique")


def test_file_that_is_not_utf8(scratch):
    path = scratch.root / "data" / "sources.csv"
    raw = path.read_bytes()
    line = raw[: raw.index("Hürriyet".encode())].count(b"\n") + 1
    path.write_bytes(raw.replace("Hürriyet".encode(), "Hürriyet".encode("latin-1")))
    msg = _one(_problems(), "data/sources.csv", "UTF-8")
    assert f"line {line}" in msg and "0xfc" in msg


def test_latitude_out_of_range(scratch):
    row = scratch.edit("places", "gossi", "latitude", "95")
    _one(_problems(), "data/places.csv", f"row {row} ", "'latitude'", "'95'", "at most 90")


def test_coordinates_that_disagree_with_the_gazetteer(scratch):
    row = scratch.edit("places", "kidal", "latitude", "18.5")
    _one(_problems(gazetteer=True), "data/places.csv", f"row {row} ", "'geonameid'", "gazetteer")


def test_all_problems_at_once_and_the_loader_refuses(scratch):
    scratch.edit("events", "ev_un_speech", "date", "yesterday")
    scratch.edit("places", "gossi", "latitude", "95")
    scratch.edit("troops", "tr_french_2021", "value", "-1")
    assert len(_problems()) >= 3
    with pytest.raises(DataError) as err:
        load_table("troops")
    text = str(err.value)
    assert "data/events.csv" in text and "data/places.csv" in text and "data/troops.csv" in text


def test_validate_command_exits_non_zero_and_names_file_row_column(scratch):
    scratch.edit("places", "gossi", "latitude", "95")
    bad = subprocess.run([sys.executable, "-m", "helpers", "validate", "--fast"], capture_output=True, text=True)
    assert bad.returncode == 1
    assert (
        "data/places.csv: row 1 (line 2, id 'gossi'), column 'latitude': got '95'; expected a number of at most 90" in bad.stderr
    )


def test_validate_command_passes_on_the_real_tables():
    ok = subprocess.run([sys.executable, "-m", "helpers", "validate"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "all tables valid" in ok.stdout


# --------------------------------------------------------------------------- the claims ledger and its evidence


def test_verdict_outside_the_scale(scratch):
    row = scratch.edit("claims", "cl_libya_border", "verdict", "mostly true")
    _one(_problems(), "data/claims.csv", f"row {row}", "'verdict'", "one of accurate")


def test_quotation_verdict_on_a_fact(scratch):
    row = scratch.edit("claims", "cl_libya_border", "verdict", "verbatim")
    _one(_problems(), "data/claims.csv", f"row {row}", "'verdict'", "fact verdict")


def _first_quoted_evidence(scratch) -> tuple[int, dict]:
    """The first evidence row that carries a quote, with its row number."""
    _, rows = scratch.rows("evidence")
    return next((i, r) for i, r in enumerate(rows, start=1) if r["quote"])


def test_evidence_quote_missing_from_its_sources_passages(scratch):
    n, r = _first_quoted_evidence(scratch)
    row = scratch.edit("evidence", r["id"], "quote", r["quote"] + " and more words nobody wrote")
    assert row == n
    _one(_problems(), "data/evidence.csv", f"row {row}", "'quote'", "data/passages.csv")


def test_outside_source_without_a_cited_passage(scratch):
    header, rows = scratch.rows("passages")
    scratch.write("passages", header, [r for r in rows if r["source_id"] != "hurriyet_2020_01_04"])
    problems = _problems()
    _one(problems, "data/sources.csv", "hurriyet_2020_01_04", "'id'", "at least one passage")
    _one(problems, "data/evidence.csv", "cl_training_suspended_mid_january_ev1", "'quote'")


def test_claim_quote_not_in_the_article(scratch):
    row = scratch.edit("claims", "cl_libya_border", "quote", "the borders with Mauritania and Mars")
    _one(_problems(), "data/claims.csv", f"row {row}", "'quote'", "verbatim")


def test_the_article_cited_as_evidence_for_itself(scratch):
    n, r = _first_quoted_evidence(scratch)
    row = scratch.edit("evidence", r["id"], "source_id", "art_mali")
    assert row == n
    _one(_problems(), "data/evidence.csv", f"row {row}", "'source_id'", "outside or dataset")


def test_a_verdict_without_evidence(scratch):
    header, rows = scratch.rows("evidence")
    kept = [r for r in rows if r["claim_id"] != "cl_libya_border"]
    scratch.write("evidence", header, kept)
    _one(_problems(), "data/claims.csv", "cl_libya_border", "'verdict'", "outside evidence")


def test_a_nato_row_sourced_to_the_mali_part(scratch):
    row = scratch.edit("events", "ev_ministers_decide", "source_id", "art_mali")
    _one(_problems(), "data/events.csv", f"row {row}", "'source_id'", "own story")


def test_a_count_sourced_to_a_reference_dataset(scratch):
    row = scratch.edit("troops", "tr_eutm_personnel", "source_id", "geonames")
    _one(_problems(), "data/troops.csv", f"row {row}", "'source_id'", "article_part or outside")


def test_a_header_only_table_and_a_duplicate_column(scratch):
    header, rows = scratch.rows("troops")
    scratch.write("troops", header, [])
    _one(_problems(), "data/troops.csv", "at least 1 data row")
    path = scratch.root / "data" / "casualties.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0].rstrip("\n") + ",age\n" + "".join(lines[1:]), encoding="utf-8")
    _one(_problems(), "data/casualties.csv", "duplicate column", "'age'")


def test_a_row_with_too_many_fields_keeps_later_row_numbers_right(scratch):
    path = scratch.root / "data" / "troops.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].rstrip("\n") + ",extra\n"
    path.write_text("".join(lines), encoding="utf-8")
    header, rows = scratch.rows("troops")
    last = len(rows)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    import re

    path.write_text("".join(lines[:-1]) + re.sub(r",(exact|lower_bound|approximate),", ",rumoured,", lines[-1], count=1),
                    encoding="utf-8")  # fmt: skip
    problems = _problems()
    _one(problems, "data/troops.csv", "row 1", "cells, as in the header")
    _one(problems, "data/troops.csv", f"row {last}", "rumoured")


def test_date_end_before_date_shows_both_dates(scratch):
    row = scratch.edit("events", "ev_nato_suspension_reported", "date_end", "2020-01-02")
    msg = _one(_problems(), "data/events.csv", f"row {row}", "'date_end'")
    assert "'2020-01-02'" in msg and "date is '2020-01-11'" in msg


def test_a_nato_row_sourced_to_the_whole_seed_file(scratch):
    row = scratch.edit("events", "ev_ministers_decide", "source_id", "seed_000")
    _one(_problems(), "data/events.csv", f"row {row}", "'source_id'", "whole seed file only for story 'both'")


def test_re_pointing_a_story_parts_parent_leaves_no_quote_unchecked(scratch):
    row = scratch.edit("sources", "art_nato", "parent_id", "hurriyet_2020_01_04")
    problems = _problems()
    _one(problems, "data/sources.csv", f"row {row}", "'parent_id'", "seed_file")
    # every NATO row now has no text to be checked against: each is refused, none passes unchecked
    _one(problems, "data/events.csv", "ev_ministers_decide", "'quote'")


def test_validating_another_copy_reads_that_copys_seed(tmp_path):
    """validate(root) checks quotes against the seeds under root, not this project's (no project-root setting)."""
    import os
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    assert "HELPERS_PROJECT_ROOT" not in os.environ
    for sub in ("data", "seeds"):
        shutil.copytree(root / sub, tmp_path / sub)
    seed = next((tmp_path / "seeds").glob("*.txt"))
    seed.write_text(seed.read_text(encoding="utf-8").replace("barrage of Kalashnikovs", "burst of rifle fire"), encoding="utf-8")
    problems = [str(p) for p in validate(tmp_path, check_gazetteer=False)]
    assert any("cl_blasco_kalashnikov_barrage" in p and "'quote'" in p for p in problems), problems


@pytest.mark.collection
def test_the_data_package_passes_the_standards_reference_validator():
    """frictionless, the reference implementation of the Data Package standard (pinned), reads the package as any data
    portal would: every table against its schema, patterns matching the whole value, fields in the files' order."""
    import json
    from pathlib import Path

    from conftest import COLLECTION as root

    tool = Path(sys.executable).with_name("frictionless")
    assert tool.is_file(), "frictionless is installed with the pinned requirements"
    done = subprocess.run([str(tool), "validate", "--json", str(root / "data" / "datapackage.json")],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    report = json.loads(done.stdout)
    errors = [(t["name"], e["type"], e.get("fieldName"), e.get("cell")) for t in report["tasks"] for e in t["errors"]]
    assert report["valid"], errors[:10]


def test_a_pattern_matches_the_whole_value_as_the_standard_means_it(scratch):
    row = scratch.edit("sources", "burkinainfo_2021_09_24", "url", "https://burkinainfo.com/a page with spaces")
    problems = [str(p) for p in validate(scratch.root, check_gazetteer=False)]
    assert any(f"data/sources.csv: row {row}" in p and "'url'" in p and "the whole value" in p for p in problems), problems


@pytest.mark.parametrize(("table", "column"), [("statements", "checked_by"), ("sentences", "checked_by")])
def test_a_list_with_a_stray_separator(scratch, table, column):
    # ids separated by ';' with nothing between or after: the schema's pattern names the cell, not a reader's split
    header, rows = scratch.rows(table)
    n, row = next((n, r) for n, r in enumerate(rows, start=1) if r[column])
    scratch.edit(table, row["id"], column, row[column] + ";")
    _one(_problems(), f"data/{table}.csv", f"row {n} ", f"'{column}'", "the whole value")
