"""Where the article came from: every seed sentence aligned with its original (or explicitly unmatched), every
counterpart and dropped sentence quoted from a cited source, glosses that never read as quotations, and every flawed
claim naming the layer that introduced the problem."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from helpers.facts import validate

ROOT = Path(__file__).resolve().parents[1]


def _rows(root: Path, table: str) -> list[dict]:
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _one(root: Path, *needles: str) -> str:
    problems = [str(p) for p in validate(root, check_gazetteer=False)]
    hits = [p for p in problems if all(n in p for n in needles)]
    assert hits, f"no problem mentions {needles}; got:\n" + "\n".join(problems)
    return hits[0]


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


def test_every_flawed_claim_names_its_layer():
    for c in _rows(ROOT, "claims"):
        flawed = c["verdict"] not in ("accurate", "verbatim")
        assert bool(c["layer"]) == flawed, c["id"]
        if flawed:
            assert c["layer"] in {"original", "translation", "splice", "undetermined"} and c["layer_note"], c["id"]


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
    "a flawed claim without its layer": ("claims", "cl_libya_border", "layer", "", "the layer that introduced the problem"),
    "an undetermined layer without why": ("claims", "cl_libya_border", "layer_note", "", "why it cannot be told"),
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
    count = {layer: sum(c["layer"] == layer for c in flawed) for layer in ("original", "translation", "undetermined")}
    assert numbers == [len(flawed), count["original"], count["translation"], count["undetermined"]], meta["title"]
    data = (built / "reports" / "figures" / "problems_by_layer.csv").read_text(encoding="utf-8")
    for c in flawed:
        assert c["id"] in data, f"{c['id']} is counted in the chart's data"
