"""Row rules of the claims ledger and its evidence (named in ``x-rules`` like the others in ``rules``):

- extent, passage: an outside source says when and how much of the page was read; its cited passages are short;
- verdict, plan_verdict: each verdict of the scale (``x-verdict-scale``) has the evidence its definition needs;
- evidence_quote, plan_evidence: evidence is quoted from a passage of an outside source;
- sentences, in_sentences: every sentence of a seed file is listed, in order, and is checked or says why not;
- alignment, layer: each sentence's counterpart in the original reporting, quoted from a cited source, and for every
  flawed claim the layer (original, translation, splice) that introduced the problem;
- reviews, reviewed: every claim and plan has one recorded second reading, consistent with its verdict.
"""

from __future__ import annotations

import re

import pandas as pd

from .dates import period_of
from .rules import Context
from .text import normalise, split_list


def scale(ctx: Context) -> dict[str, dict]:
    """The verdict scale of the data package (``x-verdict-scale``), by verdict."""
    return {v["verdict"]: v for v in ctx.package.get("x-verdict-scale", {}).get("verdicts", [])}


def _outside(ctx: Context) -> dict[str, dict]:
    """Each outside source's row as read (id -> {column: value})."""
    t = ctx.raw.get("sources")
    if t is None or "kind" not in t.frame:
        return {}
    return {r["id"]: r for r in t.frame.to_dict("records") if r.get("kind") == "outside"}


def rule_extent(df: pd.DataFrame, ctx: Context):
    """An outside source says when and how much of the page was read, whose report it is, and what is cited from it."""
    outside = df["kind"] == "outside"
    partial = df["extent"] == "partial"
    yield ("read_on", "the day the page was read (YYYY-MM-DD) for an outside source", ~(outside & df["read_on"].isna()))
    yield ("extent", "how much of the page was read (whole or partial) for an outside source", ~(outside & df["extent"].isna()))
    yield (
        "extent",
        "no extent for the article or a dataset (only outside pages are read in part)",
        ~(~outside & df["extent"].notna()),
    )
    yield ("extent_chars", "how many characters were read, for a partial read (and none for a whole one)",
           (partial == df["extent_chars"].notna()) | ~outside)  # fmt: skip
    yield ("extent_missing", "what is known to be missing, for a partial read", ~(partial & df["extent_missing"].isna()))
    yield ("primary", "yes or no for an outside source (is it the institution's or speaker's own record?)",
           ~(outside & df["primary"].isna()))  # fmt: skip
    cited = set(ctx.column("passages", "id", "source_id").values())
    yield ("id", "at least one passage in data/passages.csv for an outside source (a source nothing relies on is not listed)",
           ~(outside & ~df["id"].isin(sorted(cited))))  # fmt: skip


def rule_passage(df: pd.DataFrame, ctx: Context):
    """A cited passage is from an outside page and short: a quotation for review, never the page."""
    limit = int(ctx.resource["schema"]["x-max-chars"])
    long = pd.Series([p is not None and len(normalise(p)) > limit for p in df["passage"]], index=df.index)
    yield ("passage", f"a passage of at most {limit} characters (x-max-chars): the sentence or two the point needs", ~long)
    kinds = ctx.column("sources", "id", "kind")
    ok = df["source_id"].isna() | ~df["source_id"].isin(list(kinds)) | (df["source_id"].map(kinds) == "outside")
    yield ("source_id", "an outside source (kind outside in data/sources.csv)", ok.astype(bool))


_ABSENCE = re.compile(r"\bnot (been )?found\b|\bno\b[^.;]*\b(found|gives|says)\b|\bnothing\b[^.;]*\bfound\b", re.IGNORECASE)


def _independent(sources: list[str], outside: dict[str, dict]) -> set[str]:
    """The independent reports among these sources: a reprint counts as its origin (sources.csv, origin)."""
    return {(outside.get(s, {}).get("origin") or outside.get(s, {}).get("publisher") or s) for s in sources}


def rule_verdict(df: pd.DataFrame, ctx: Context):
    """Each verdict meets its definition in the scale (x-verdict-scale); the article is never evidence for itself
    (rule_source_kinds)."""
    sc = scale(ctx)
    is_quote = df["claim_type"] == "quotation"
    kind = pd.Series(["quotation" if q else "fact" for q in is_quote], index=df.index)
    facts = [v for v, d in sc.items() if d["for"] == "fact"]
    quotes = [v for v, d in sc.items() if d["for"] == "quotation"]
    ok = df["verdict"].isna() | (df["verdict"].map(lambda v: sc.get(v, {}).get("for")) == kind)
    yield ("verdict", f"a quotation verdict ({', '.join(quotes)}) for a quotation and a fact verdict ({', '.join(facts)}) "
           "for any other claim", ok.astype(bool))  # fmt: skip
    ev = ctx.raw.get("evidence")
    rows = ev.frame.to_dict("records") if ev is not None and {"claim_id", "source_id", "stance"} <= set(ev.frame) else []
    kinds = ctx.column("sources", "id", "kind")
    outside = _outside(ctx)
    by_claim: dict[str, list[dict]] = {}
    for r in rows:
        by_claim.setdefault(r["claim_id"], []).append(r)
    absence = {"unverifiable", "not_found", "record_incomplete"}
    needs = ~df["verdict"].isin(sorted(absence))
    yield ("verdict", "at least one row of outside evidence in data/evidence.csv (claim_id) for a verdict that does not "
           "rest on absence", (~needs | df["id"].isin(list(by_claim))).astype(bool))  # fmt: skip

    lineage = {k for k, v in ctx.column("sources", "id", "lineage").items() if isinstance(v, str)}

    def has(cid, stance):
        return any(r["stance"] == stance and r["source_id"] not in lineage for r in by_claim.get(cid, []))

    supported = pd.Series([has(c, "supports") for c in df["id"]], index=df.index)
    yield ("verdict", "a supporting passage from outside the article's lineage (evidence.csv, stance supports) for "
           "accurate or verbatim", ~(df["verdict"].isin(["accurate", "verbatim"]) & ~supported))  # fmt: skip

    def contradiction_holds(cid):
        against = [r["source_id"] for r in by_claim.get(cid, []) if r["stance"] == "contradicts"]
        primary = [s for s in against if kinds.get(s) == "dataset" or outside.get(s, {}).get("primary") == "yes"]
        return bool(primary) or len(_independent(against, outside)) >= 2

    held = pd.Series([contradiction_holds(c) for c in df["id"]], index=df.index)
    yield ("verdict", "for contradicted, a contradicting passage from a primary source or a reference dataset, or from "
           "two independent sources (a reprint counts as its origin: sources.csv, origin)",
           ~((df["verdict"] == "contradicted") & ~held))  # fmt: skip
    extent = df["record_source_id"].map(lambda s: outside.get(s, {}).get("extent") if isinstance(s, str) else None)
    yield ("record_source_id", "the speaker's record searched for the words, an outside source, for not_found or "
           "record_incomplete", ~(df["verdict"].isin(["not_found", "record_incomplete"]) & extent.isna()))  # fmt: skip
    yield ("verdict", "not_found only against a record read whole (sources.csv, extent whole); against a record read in "
           "part the verdict is record_incomplete", ~((df["verdict"] == "not_found") & (extent == "partial")))  # fmt: skip
    yield ("verdict", "record_incomplete only against a record read in part (a record read whole gives not_found)",
           ~((df["verdict"] == "record_incomplete") & (extent == "whole")))  # fmt: skip
    says_absent = df["reason"].map(lambda r: isinstance(r, str) and _ABSENCE.search(r) is not None)
    yield ("reason", "for unverifiable, a reason that does not claim absence ('not found', 'no source says') unless the "
           "record searched (record_source_id) was read whole (sources.csv, extent whole)",
           ~((df["verdict"] == "unverifiable") & says_absent & (extent != "whole")))  # fmt: skip


def rule_reviewed(df: pd.DataFrame, ctx: Context):
    """Every claim and plan has exactly one second reading in data/reviews.csv."""
    table = ctx.resource["name"]
    t = ctx.raw.get("reviews")
    items = [] if t is None or "item_id" not in t.frame else [
        i for i, tb in zip(t.frame["item_id"], t.frame["item_table"], strict=True) if tb == table]  # fmt: skip
    n = df["id"].map(lambda i: items.count(i))
    yield ("id", "exactly one second reading of this row in data/reviews.csv (item_table, item_id)", (n == 1).astype(bool))


def rule_in_sentences(df: pd.DataFrame, ctx: Context):
    """Every claim and plan checks at least one sentence of data/sentences.csv (checked_by): the two tables agree on
    what is checked."""
    t = ctx.raw.get("sentences")
    named = set()
    if t is not None and "checked_by" in t.frame:
        named = {i for v in t.frame["checked_by"] for i in split_list(v)}
    yield ("id", "a sentence of data/sentences.csv that names this row in checked_by", df["id"].isin(sorted(named)).astype(bool))


def rule_plan_verdict(df: pd.DataFrame, ctx: Context):
    """met and met_late compare the outcome with a deadline; a plan without one is carried_out, never met."""
    dl = df["deadline"].map(period_of)
    out = df["outcome_date"].map(period_of)
    timed = df["verdict"].isin(["met", "met_late"])
    yield ("deadline", "a deadline for met or met_late (a plan with none that was done is carried_out)", ~(timed & dl.isna()))
    yield ("deadline", "no deadline for carried_out (with a deadline the verdict is met or met_late)",
           ~((df["verdict"] == "carried_out") & dl.notna()))  # fmt: skip

    def on_time(d, o):
        return None if d is None or o is None else o[0] <= d[1]

    timely = [on_time(d, o) for d, o in zip(dl, out, strict=True)]
    early = pd.Series([t is True for t in timely], index=df.index)
    late = pd.Series([t is False for t in timely], index=df.index)
    yield ("outcome_date", "for met, an outcome_date no later than the deadline", ~((df["verdict"] == "met") & late))
    yield ("outcome_date", "for met_late, an outcome_date after the deadline", ~((df["verdict"] == "met_late") & early))


def rule_sentences(df: pd.DataFrame, ctx: Context):
    """Every sentence of a seed file is listed, in order, so that coverage is a test: the rows of one seed file joined
    together are its whole text; a sentence is checked by claims or plans (checked_by) or says why not."""
    raw_seed = ctx.sources.raw_seed
    bad = pd.Series(False, index=df.index)
    short = pd.Series(False, index=df.index)
    expected, left = [], []
    for sid, rows in df.groupby("source_id", sort=False):
        if sid not in raw_seed:
            continue
        text = normalise(raw_seed[sid])
        pos = 0
        for i in rows.index:
            piece = normalise(df.at[i, "text"] or "")
            if not piece or not text.startswith(piece, pos):
                bad[i] = True
                expected.append(text[pos : pos + 50])
                break
            pos = len(text) - len(text[pos + len(piece) :].lstrip(" "))
        else:
            if pos < len(text):
                short[rows.index[-1]] = True
                left.append(text[pos : pos + 50])
    yield ("text", "the next words of the seed file, verbatim (the rows of one seed file, in order, make up its whole "
           f"text): it goes on with {' / '.join(repr(e + '...') for e in expected)}", ~bad)  # fmt: skip
    yield ("text", "the seed file's text listed to its end: after this last row it goes on with "
           f"{' / '.join(repr(e + '...') for e in left)}", ~short)  # fmt: skip
    kinds = ctx.column("sources", "id", "kind")
    kind = df["source_id"].map(kinds)
    ok = df["source_id"].isna() | (kind == "seed_file") | ((df["role"] == "dropped") & (kind == "outside"))
    yield ("source_id", "a seed file (kind seed_file in data/sources.csv), or the original an outside source is, for a "
           "dropped sentence", ok.astype(bool))  # fmt: skip
    known = ctx.ids("claims") | ctx.ids("plans")

    def ids_ok(v):
        return all(x in known for x in split_list(v))

    checked = df["role"] == "checked"
    yield (
        "checked_by",
        "ids of rows in data/claims.csv or data/plans.csv, separated by ';'",
        df["checked_by"].map(ids_ok).astype(bool),
    )
    yield (
        "checked_by",
        "the claims or plans that check the sentence, since role is checked",
        ~(checked & df["checked_by"].isna()),
    )
    yield ("reason", "why nothing checks the sentence (opinion, attribution only, site boilerplate, the splice)",
           ~(~checked & df["reason"].isna()))  # fmt: skip
    yield ("checked_by", "no checked_by unless role is checked", ~(~checked & df["checked_by"].notna()))
    declared = {v for v in ctx.column("sources", "id", "story").values() if v} | ({ctx.all_stories} if ctx.all_stories else set())
    yield ("story", f"a story of data/sources.csv ({', '.join(sorted(declared))}), or empty for the republishing site's lines",
           (df["story"].isna() | df["story"].isin(sorted(declared))).astype(bool))  # fmt: skip


def rule_alignment(df: pd.DataFrame, ctx: Context):
    """Each seed sentence says how it renders the original; every counterpart and dropped sentence is quoted from a
    cited source; a gloss is ours, so it must not read as a quotation of anything."""
    kinds = ctx.column("sources", "id", "kind")
    texts = ctx.sources.texts
    seed = df["source_id"].map(kinds) == "seed_file"
    dropped = df["role"] == "dropped"
    yield ("rendering", "how the seed renders the original (faithful, shifted, added, origin_not_found) for a seed sentence",
           ~(seed & (df["rendering"].isna() | (df["rendering"] == "dropped"))))  # fmt: skip
    yield (
        "role",
        "a role other than dropped for a sentence of the seed (dropped sentences come from the original)",
        ~(seed & dropped),
    )
    yield (
        "rendering",
        "dropped, for a sentence of the original that the seed left out",
        ~(dropped & (df["rendering"] != "dropped")),
    )

    def in_passages(sid, text):
        return text is None or sid not in texts or normalise(text) in texts[sid]

    yield ("text", "words found verbatim in one of the source's passages (data/passages.csv), for a dropped sentence",
           pd.Series([not d or in_passages(s, t) for d, s, t in zip(dropped, df["source_id"], df["text"], strict=True)],
                     index=df.index))  # fmt: skip
    quoted = df["counterpart"].isin(["original", "speaker_record", "closest"])
    yield ("counterpart_text", "a counterpart, verbatim, exactly when counterpart is original, speaker_record or closest",
           quoted == df["counterpart_text"].notna())  # fmt: skip
    outside = df["counterpart_source_id"].map(kinds) == "outside"
    yield ("counterpart_source_id", "an outside source the counterpart is quoted from, exactly when there is a counterpart",
           (df["counterpart_text"].notna() == df["counterpart_source_id"].notna())
           & (df["counterpart_source_id"].isna() | outside))  # fmt: skip
    yield ("counterpart_text", "words found verbatim in one of the counterpart source's passages (data/passages.csv)",
           pd.Series([in_passages(s, t) for s, t in zip(df["counterpart_source_id"], df["counterpart_text"], strict=True)],
                     index=df.index))  # fmt: skip
    foreign = df["language"].notna() & (df["language"] != "en")
    has_text = df["counterpart_text"].notna() | dropped
    yield ("language", "the language (ISO 639-1) of the counterpart or dropped sentence", ~(has_text & df["language"].isna()))
    yield (
        "gloss_ours",
        "our English gloss of a counterpart or dropped sentence that is not in English",
        ~(has_text & foreign & df["gloss_ours"].isna()),
    )
    quotable = [normalise(t) for t in texts.values() if t]

    def reads_as_quote(gloss):
        return gloss is not None and any(normalise(gloss) in t for t in quotable)

    yield ("gloss_ours", "a gloss in our own words: it must not be found verbatim in the seed or in any cited passage, so it is "
           "never mistaken for a quotation", ~df["gloss_ours"].map(reads_as_quote).astype(bool))  # fmt: skip
    judged = df["counterpart"].isin(["original", "speaker_record"])
    yield ("rendering", "faithful or shifted only against the original or the speaker's own recorded words (counterpart "
           "original or speaker_record)", ~(df["rendering"].isin(["faithful", "shifted"]) & ~judged))  # fmt: skip
    yield ("rendering", "faithful or shifted against the speaker's own recorded words (counterpart speaker_record)",
           ~((df["counterpart"] == "speaker_record") & ~df["rendering"].isin(["faithful", "shifted"])))  # fmt: skip
    yield ("rendering", "origin_not_found only where the counterpart is not the original",
           ~((df["rendering"] == "origin_not_found") & (df["counterpart"] == "original")))  # fmt: skip
    yield ("closeness", "close or loose exactly when the counterpart is the closest reporting",
           (df["counterpart"] == "closest") == df["closeness"].notna())  # fmt: skip
    yield ("rendering_note", "how the meaning shifted, what added the sentence, or what was searched for the original",
           ~(df["rendering"].isin(["shifted", "added", "origin_not_found"]) & df["rendering_note"].isna()))  # fmt: skip


def rule_layer(df: pd.DataFrame, ctx: Context):
    """Every claim whose verdict flags an error (``error`` in the scale) names the layer that introduced it, how sure
    that is, and the evidence written for this claim; a claim whose verdict flags nothing has no layer."""
    errors = [v for v, d in scale(ctx).items() if d.get("error")]
    flawed = df["verdict"].isin(errors)
    yield ("layer", f"the layer that introduced the error (original, translation, splice or undetermined) for a claim rated "
           f"{', '.join(errors)}, and none for a verdict that flags no error", flawed == df["layer"].notna())  # fmt: skip
    yield ("layer_confidence", "how sure the layer is (certain, probable, undetermined), exactly when there is a layer",
           df["layer"].notna() == df["layer_confidence"].notna())  # fmt: skip
    yield ("layer_confidence", "undetermined exactly when the layer is undetermined",
           (df["layer"] == "undetermined") == (df["layer_confidence"] == "undetermined"))  # fmt: skip
    yield ("layer_note", "the evidence for the layer (what shows it, for this claim), or why it cannot be told",
           ~(df["layer"].notna() & df["layer_note"].isna()))  # fmt: skip
    notes = df["layer_note"].dropna()
    shared = notes[notes.duplicated(keep=False)]
    yield ("layer_note", "a note written for this claim: the same words stand on another claim's layer",
           pd.Series(~df.index.isin(shared.index), index=df.index))  # fmt: skip


def rule_reviews(df: pd.DataFrame, ctx: Context):
    """A second reading names a claim or plan that exists, and agrees with what is published."""
    sc = scale(ctx)
    current = {"claims": ctx.column("claims", "id", "verdict"), "plans": ctx.column("plans", "id", "verdict")}
    kind = {"claims": ctx.column("claims", "id", "claim_type"), "plans": {}}
    exists = pd.Series(
        [t in current and i in current[t] for t, i in zip(df["item_table"], df["item_id"], strict=True)], index=df.index
    )
    yield ("item_id", "the id of a row of the table named in item_table (data/claims.csv or data/plans.csv)", exists)

    def fits(t, i, v):
        if v is None or t not in current or i not in current[t]:
            return True
        want = "plan" if t == "plans" else ("quotation" if kind["claims"].get(i) == "quotation" else "fact")
        return sc.get(v, {}).get("for") == want

    for col in ("first_verdict", "second_verdict", "settled_verdict"):
        ok = [fits(t, i, v) for t, i, v in zip(df["item_table"], df["item_id"], df[col], strict=True)]
        yield (
            col,
            "a verdict of the scale (x-verdict-scale) for this kind of row (fact, quotation or plan)",
            pd.Series(ok, index=df.index),
        )
    now = [t not in current or i not in current[t] or current[t][i] == v
           for t, i, v in zip(df["item_table"], df["item_id"], df["settled_verdict"], strict=True)]  # fmt: skip
    yield ("settled_verdict", "the verdict the row has now in its table (the published verdict)", pd.Series(now, index=df.index))
    same = df["first_verdict"] == df["second_verdict"]
    yield (
        "agree",
        "yes exactly when first_verdict and second_verdict are the same",
        (same == (df["agree"] == "yes")).astype(bool),
    )
    yield ("settlement", "how the disagreement was settled and why, since agree is no",
           ~((df["agree"] == "no") & df["settlement"].isna()))  # fmt: skip
    yield ("settled_by", "who settled the disagreement (the two readers together, or a third reading), since agree is no",
           ~((df["agree"] == "no") & df["settled_by"].isna()))  # fmt: skip
    yield ("settlement", "the reason for the verdict that settled it, since a third reading settled it",
           ~((df["settled_by"] == "third_reading") & df["settlement"].isna()))  # fmt: skip
    changed = df["settled_verdict"] != df["first_verdict"]
    yield ("change_cause", "why the published verdict is not the first reading's (evidence only the second search found, the "
           "calibration notes, or the reading), exactly when they differ", changed == df["change_cause"].notna())  # fmt: skip


def rule_evidence_quote(df: pd.DataFrame, ctx: Context):
    kinds = ctx.column("sources", "id", "kind")
    dataset = df["source_id"].map(kinds) == "dataset"
    yield (
        "quote",
        "the passage relied on, verbatim from one of the source's passages in data/passages.csv",
        (dataset | df["quote"].notna()).astype(bool),
    )
    yield ("note", "what was computed from the reference dataset, and where", (~dataset | df["note"].notna()).astype(bool))


def rule_plan_evidence(df: pd.DataFrame, ctx: Context):
    """A plan's outcome is quoted from a passage of an outside source (as evidence is in the claims ledger)."""
    kinds = ctx.column("sources", "id", "kind")
    texts = ctx.sources.texts
    outside = df["evidence_source_id"].map(kinds) == "outside"
    yield ("evidence_source_id", "an outside source (kind outside in data/sources.csv)",
           (df["evidence_source_id"].isna() | outside).astype(bool))  # fmt: skip
    ok = [
        q is None or s not in texts or normalise(q) in texts[s]
        for s, q in zip(df["evidence_source_id"], df["evidence_quote"], strict=True)
    ]
    yield ("evidence_quote", "words that occur verbatim in one of the evidence source's passages (data/passages.csv)",
           pd.Series(ok, index=df.index).astype(bool))  # fmt: skip


LEDGER_RULES = {
    "extent": rule_extent,
    "passage": rule_passage,
    "verdict": rule_verdict,
    "plan_verdict": rule_plan_verdict,
    "reviewed": rule_reviewed,
    "in_sentences": rule_in_sentences,
    "sentences": rule_sentences,
    "reviews": rule_reviews,
    "alignment": rule_alignment,
    "layer": rule_layer,
    "evidence_quote": rule_evidence_quote,
    "plan_evidence": rule_plan_evidence,
}
