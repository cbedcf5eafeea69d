"""The claims ledger as a page a reader can use: ``reports/claims.html``.

One anchored section per claim and per plan (``#<id>``, the address each ClaimReview's ``url`` points to): the
article's words and the sentence they stand in, the verdict and what it means on the scale, the reason, the evidence
passages with their sources (publisher, title, date, link, how much of the page was read), the speaker's record
searched, the second reading, and the figures whose data names the row. A reader filters by story and verdict and
searches the text with a few lines of plain JavaScript in the page; nothing is fetched, so it opens from disk.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from ..facts import verdicts
from ..facts.text import split_list
from ..figures.provenance import publisher_name, reporter
from ..figures.theme import verdict_colour, verdict_ink
from .render import render

LAYERS = {"original": "the original reporting", "translation": "the translation into English",
          "splice": "the splice and republication", "undetermined": "cannot be told"}  # fmt: skip


FOUND_BY = {
    "first_search": "found by the first search",
    "second_search": "found by the second search",
    "both_searches": "found by both searches",
    "third_reading": "found by the third reading",
}
SETTLED_BY = {"readers": "the two readers, with both evidence sets", "third_reading": "a third reader, with both readings "
              "and both evidence sets"}  # fmt: skip
CAUSES = {"evidence_second_search": "evidence only the second search found", "calibration": "the scale's calibration notes",
          "reading": "a closer reading of the same evidence"}  # fmt: skip


def readers(review) -> int:
    """How many readers stand behind a published verdict: the two searches, and a third reader where one settled it."""
    return 3 if review.get("settled_by") == "third_reading" else 2


def _text(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def figures_naming(figures_dir: Path) -> dict[str, list[str]]:
    """Row id -> the figures whose data CSV names it (in any cell, as a whole ';'-separated item)."""
    out: dict[str, list[str]] = {}
    for p in sorted(figures_dir.glob("*.csv")):
        with open(p, encoding="utf-8", newline="") as fh:
            ids = {part.strip() for row in csv.reader(fh) for cell in row for part in cell.split(";")}
        for i in ids:
            out.setdefault(i, []).append(p.stem)
    return out


def _source(src: pd.DataFrame, sid: str) -> dict:
    """What the page says of a source: who reported it and the site it was read on, title and link, date, how much
    was read, and whether it is the article's own lineage."""
    if sid not in src.index:
        return {"known": False, "id": sid}
    s = src.loc[sid]
    who, site = reporter(s), publisher_name(s)
    return {"known": True, "id": sid, "reporter": who, "site": "" if site.casefold() == who.casefold() else site,
            "title": _text(s["title"]) or sid, "url": _text(s["url"]), "date": _text(s["date"]) or "undated",
            "extent": _text(s.get("extent")), "extent_missing": _text(s.get("extent_missing")),
            "read_on": _text(s.get("read_on")), "lineage": _text(s.get("lineage")).replace("_", " ")}  # fmt: skip


def claims_page(tables, figures: dict[str, list[str]], title: str, root: Path | None = None) -> str:
    """The whole page (HTML) for the ledger in ``tables`` (claims, plans, evidence, sources, sentences, reviews)."""
    scale = verdicts.scale(root)

    def label(v: str) -> str:
        return verdicts.label(v, root)

    src = tables["sources"].set_index("id")
    stories = {r["story"]: r["story_label"] for _, r in src[src["kind"] == "article_part"].iterrows()}
    evidence = tables["evidence"]
    reviews = {(r["item_table"], r["item_id"]): r for _, r in tables["reviews"].iterrows()}
    sentences: dict[str, list] = {}
    for _, s in tables["sentences"].iterrows():
        for i in split_list(s["checked_by"]):
            sentences.setdefault(i, []).append(s)

    def counterpart(sent) -> dict | None:
        if _text(sent.get("counterpart")) not in ("original", "closest"):
            return None
        which = "In the original" if sent["counterpart"] == "original" else "Closest reporting found (not the original)"
        return {"which": which, "text": _text(sent["counterpart_text"]), "language": _text(sent["language"]),
                "gloss": _text(sent["gloss_ours"]), "source": _source(src, sent["counterpart_source_id"])}  # fmt: skip

    def item(table: str, r) -> dict:
        v, story = str(r["verdict"]), str(r["story"])
        meta = [stories.get(story, "both stories" if story not in stories else story)]
        if table == "claims":
            meta.append(_text(r["claim_type"]))
            if _text(r["speaker"]):
                meta.append(f"quoting {_text(r['speaker'])}")
        else:
            deadline = f", deadline {_text(r['deadline'])}" if _text(r["deadline"]) else ", no deadline"
            meta.append(f"plan: {_text(r['plan'])}{deadline}")
        out = {"id": str(r["id"]), "story": story, "verdict": v, "quote": _text(r["quote"]),
               "meta": " · ".join(m for m in meta if m), "label": label(v), "means": scale.get(v, {}).get("means", ""),
               "reason": _text(r["reason"]), "layer": None, "outcome": "", "evidence": [], "review": None,
               "sentences": [{"text": _text(s["text"]), "counterpart": counterpart(s)} for s in sentences.get(str(r["id"]), [])],
               "figures": figures.get(str(r["id"]), [])}  # fmt: skip
        if table == "claims":
            if _text(r.get("layer")):
                out["layer"] = {"label": LAYERS.get(r["layer"], r["layer"]), "note": _text(r["layer_note"])}
            for _, ev in evidence[evidence["claim_id"] == r["id"]].iterrows():
                out["evidence"].append({"stance": _text(ev["stance"]), "quote": _text(ev["quote"]), "note": _text(ev["note"]),
                                        "found_by": FOUND_BY.get(_text(ev["found_by"]), ""),
                                        "source": _source(src, ev["source_id"])})  # fmt: skip
            if _text(r["record_source_id"]):
                out["evidence"].append({"stance": "record searched", "quote": "", "note": "", "found_by": "",
                                        "source": _source(src, r["record_source_id"])})  # fmt: skip
        else:
            out["outcome"] = _text(r["outcome"])
            out["evidence"].append({"stance": "outcome", "quote": _text(r["evidence_quote"]), "note": "", "found_by": "",
                                    "source": _source(src, r["evidence_source_id"])})  # fmt: skip
        rv = reviews.get((table, str(r["id"])))
        if rv is not None:
            out["review"] = {"first": label(str(rv["first_verdict"])), "second": label(str(rv["second_verdict"])),
                             "second_reason": _text(rv["second_reason"]), "agree": rv["agree"] == "yes",
                             "settled_by": SETTLED_BY.get(_text(rv["settled_by"]), ""), "settlement": _text(rv["settlement"]),
                             "cause": CAUSES.get(_text(rv["change_cause"]), ""), "on": _text(rv["settled_on"]),
                             "readers": readers(rv)}  # fmt: skip
        return out

    used = set(tables["claims"]["verdict"]) | set(tables["plans"]["verdict"])
    return render(
        "claims.html",
        title=title,
        stories=stories,
        scale=[
            {"verdict": v, "label": label(v), "for": d["for"], "means": d["means"], "needs": d["needs"]} for v, d in scale.items()
        ],
        colours=[{"verdict": v, "colour": verdict_colour(v, root), "ink": verdict_ink(v, root)} for v in scale],
        verdict_options=[{"verdict": v, "label": label(v)} for v in scale if v in used],
        claims=[item("claims", r) for _, r in tables["claims"].iterrows()],
        plans=[item("plans", r) for _, r in tables["plans"].iterrows()],
    )
