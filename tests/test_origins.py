"""Where the article came from: every seed sentence aligned with its original (or explicitly unmatched), every
counterpart and dropped sentence quoted from a cited source, glosses that never read as quotations, and every flawed
claim naming the layer that introduced the problem."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from conftest import COLLECTION

from helpers.facts import validate

ROOT = COLLECTION  # this collection, or the one $HELPERS_TEST_COLLECTION names (tests marked collection)


def _rows(root: Path, table: str) -> list[dict]:
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _one(root: Path, *needles: str) -> str:
    problems = [str(p) for p in validate(root, check_gazetteer=False)]
    hits = [p for p in problems if all(n in p for n in needles)]
    assert hits, f"no problem mentions {needles}; got:\n" + "\n".join(problems)
    return hits[0]


@pytest.mark.collection
def test_every_seed_sentence_is_aligned_or_explicitly_unmatched():
    kinds = {r["id"]: r["kind"] for r in _rows(ROOT, "sources")}
    seed = [r for r in _rows(ROOT, "sentences") if kinds[r["source_id"]] == "seed_file"]
    assert seed and all(r["rendering"] in {"faithful", "shifted", "added", "origin_not_found"} for r in seed)
    for r in seed:
        if r["rendering"] != "faithful":
            assert r["rendering_note"], r["id"]
    # the Mali story's lead is aligned with its original; the splice and the site's lines are marked as added
    lead = [r for r in seed if r["counterpart"] == "original"]
    assert lead and {r["counterpart_source_id"] for r in lead} == {"repubblica_2021_09_26_sahel"}
    assert {r["rendering"] for r in seed if r["role"] in ("splice", "boilerplate")} == {"added"}
    assert any(r["role"] == "dropped" for r in _rows(ROOT, "sentences")), "what the seed's reader never learned is listed"


@pytest.mark.collection
def test_every_error_names_its_layer_with_a_confidence_and_its_own_evidence():
    scale = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["x-verdict-scale"]["verdicts"]
    errors = {v["verdict"] for v in scale if v.get("error")}
    assert errors == {"imprecise", "misleading", "contradicted", "mistranslated"}, "the genealogy's errors, as documented"
    notes = []
    for c in _rows(ROOT, "claims"):
        assert bool(c["layer"]) == (c["verdict"] in errors), c["id"]
        if c["layer"]:
            assert c["layer"] in {"original", "translation", "splice", "undetermined"} and c["layer_note"], c["id"]
            assert (c["layer"] == "undetermined") == (c["layer_confidence"] == "undetermined"), c["id"]
            notes.append(c["layer_note"])
    assert len(notes) == len(set(notes)), "each error's note is written for it, not a shared sentence"


@pytest.mark.collection
def test_nine_in_ten_of_each_storys_sentences_stand_beside_their_original_or_the_closest_reporting():
    rows = [r for r in _rows(ROOT, "sentences") if r["story"] in ("mali", "nato") and r["role"] != "dropped"]
    for story in ("mali", "nato"):
        mine = [r for r in rows if r["story"] == story]
        beside = [r for r in mine if r["counterpart"] in ("original", "speaker_record", "closest")]
        assert len(beside) >= 0.9 * len(mine), (story, len(beside), len(mine))
        assert all(r["closeness"] in ("close", "loose") for r in beside if r["counterpart"] == "closest")


@pytest.mark.collection
def test_the_fingerprints_are_the_seeds_words_and_point_to_each_storys_language():
    sentences = {r["id"]: r for r in _rows(ROOT, "sentences")}
    prints = _rows(ROOT, "fingerprints")
    assert {(p["story"], p["language"]) for p in prints} == {("mali", "it"), ("nato", "ru")}
    for p in prints:
        assert p["seed_words"].replace("’", "'") in sentences[p["sentence_id"]]["text"].replace("’", "'"), p["id"]


# One bad input each, one clear error naming file, row and column. The gloss case: a "gloss" copied from the seed or a
# cited passage would pass off a quotation as ours, or ours as a quotation.
BAD_INPUT = {
    "a seed sentence without its rendering": ("sentences", "s05", "rendering", "", "how the seed renders the original"),
    "a counterpart not in its source's passages": ("sentences", "s01", "counterpart_text",
                                                   "L’ultimo soldato francese è stato ucciso venerdì sera", "passages"),
    "a gloss that reads as a quotation": ("sentences", "s14", "gloss_ours", "let her country fall on deaf ears",
                                          "never mistaken for a quotation"),
    "a foreign counterpart without our gloss": ("sentences", "s02", "gloss_ours", "", "not in English"),
    "a dropped sentence not in the original": ("sentences", "d06", "text", 'La ministra della Difesa francese: "Resteremo"',
                                               "dropped sentence"),
    "faithful against mere closest reporting": ("sentences", "s35", "rendering", "faithful", "only against the original"),
    "closest reporting without its closeness": ("sentences", "s16", "closeness", "", "close or loose"),
    "an error without its layer": ("claims", "cl_libya_border", "layer", "", "the layer that introduced the error"),
    "an undetermined layer without why": ("claims", "cl_libya_border", "layer_note", "", "why it cannot be told"),
    "a certain layer with an empty note": ("claims", "cl_52_in_mali", "layer_note", "", "the evidence for the layer"),
    "a layer for a verdict that flags no error": ("claims", "cl_blasco_age_34", "layer", "original",
                                                  "none for a verdict that flags no error"),
    "a fingerprint whose words are not the seed's": ("fingerprints", "fp_s09_01", "seed_words", "a more restrained device",
                                                     "the seed's words"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_alignment_or_layer_gets_one_clear_error(scratch, case):
    table, row_id, column, value, expected = BAD_INPUT[case]
    row = scratch.edit(table, row_id, column, value)
    _one(scratch.root, f"data/{table}.csv", f"row {row}", f"'{column}'", expected)


def test_claimreview_names_the_original_appearance_where_known(built):
    reviews = json.loads((built / "reports" / "figures" / "claimreview.jsonld").read_text(encoding="utf-8"))
    by_claim = {r["url"].split("#")[1]: r for r in reviews}
    first = by_claim["cl_blasco_kalashnikov_barrage"]["itemReviewed"]["firstAppearance"]
    assert first["url"].startswith("https://www.repubblica.it/") and first["inLanguage"] == "it"
    assert "firstAppearance" not in by_claim["cl_q_premature"]["itemReviewed"], "no original found: none named"


def test_the_layer_chart_title_is_computed_from_the_ledger(built):
    meta = json.loads((built / "reports" / "figures" / "problems_by_layer.meta.json").read_text(encoding="utf-8"))
    claims = _rows(built, "claims")
    flawed = [c for c in claims if c["layer"]]
    numbers = [int(n) for n in re.findall(r"\d+", meta["title"])]
    count = {layer: sum(c["layer"] == layer for c in flawed) for layer in ("original", "translation", "splice", "undetermined")}
    certain = sum(c["layer"] == "original" and c["layer_confidence"] == "certain" for c in flawed)
    assert numbers == [len(flawed), count["original"], certain, count["translation"], count["splice"], count["undetermined"]], (
        meta["title"]
    )
    data = (built / "reports" / "figures" / "problems_by_layer.csv").read_text(encoding="utf-8")
    for c in flawed:
        assert c["id"] in data, f"{c['id']} is counted in the chart's data"
