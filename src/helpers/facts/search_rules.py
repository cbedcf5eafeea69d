"""Row rules of the two searches, the article's lineage and the statements (named in ``x-rules`` like the others):

- lineage: a source in the article's own lineage (``sources.csv``, lineage) shows where its words came from and
  never supports them: refused as support for accurate, verbatim or paraphrase, and as a plan's outcome;
- found_by, query: every passage and every piece of evidence says which search found it, and a passage of the second
  search or of a third reading says with which query; evidence is found by the search that found its passage;
- statements, in_statements, statements_cover: every statement of a checked sentence is checked by a claim or plan,
  or says why it cannot be, and the sentences agree with their statements;
- record_checked: every row of the outside record has its independent check;
- ids: an id named in any text cell of any table is a row of some table.
"""

from __future__ import annotations

import re

import pandas as pd

from .rules import Context
from .text import normalise, split_list

SUPPORTED_BY_LINEAGE = ("accurate", "verbatim", "paraphrase")  # verdicts a lineage source may never support


def _lineage(ctx: Context) -> dict[str, str]:
    """Source id -> what it is to the article (original, source_report, republisher, reprint), for lineage sources."""
    return {k: v for k, v in ctx.column("sources", "id", "lineage").items() if isinstance(v, str)}


def rule_lineage(df: pd.DataFrame, ctx: Context):
    """Evidence from the article's lineage cannot support it (evidence.csv)."""
    lineage = _lineage(ctx)
    verdict = df["claim_id"].map(ctx.column("claims", "id", "verdict"))
    bad = df["source_id"].isin(list(lineage)) & (df["stance"] == "supports") & verdict.isin(SUPPORTED_BY_LINEAGE)
    yield ("source_id", "a source outside the article's lineage for a passage that supports an accurate, verbatim or "
           "paraphrase verdict (sources.csv, lineage: the article's original, the reporting it took its words from, its "
           "republisher or a reprint shows where the words came from, never that they are right)", ~bad)  # fmt: skip


def rule_plan_lineage(df: pd.DataFrame, ctx: Context):
    """A plan's outcome is never taken from the article's own lineage (plans.csv)."""
    lineage = _lineage(ctx)
    yield ("evidence_source_id", "a source outside the article's lineage (sources.csv, lineage) for what became of a plan",
           ~df["evidence_source_id"].isin(list(lineage)))  # fmt: skip


SEARCHES = ("second_search", "both_searches", "third_reading")  # searches that recorded their queries


def rule_query(df: pd.DataFrame, ctx: Context):
    """A passage found by the second search or a third reading says with which query (passages.csv)."""
    yield ("query", "the query that found the passage, as typed, since found_by is "
           f"{' or '.join(SEARCHES)}", ~(df["found_by"].isin(SEARCHES) & df["query"].isna()))  # fmt: skip


def rule_found_by(df: pd.DataFrame, ctx: Context):
    """Evidence is found by the search that found its passage: no passage supports a verdict without the search that
    found it (evidence.csv, and record_checks.csv)."""
    t = ctx.raw.get("passages")
    kinds = ctx.column("sources", "id", "kind")
    found: dict[str, list[tuple[str, str]]] = {}
    if t is not None and {"source_id", "passage", "found_by"} <= set(t.frame):
        for sid, text, by in zip(t.frame["source_id"], t.frame["passage"], t.frame["found_by"], strict=True):
            if sid is not None and text is not None:
                found.setdefault(sid, []).append((normalise(text), by))

    def ok(sid, quote, by) -> bool:
        if quote is None or by is None or kinds.get(sid) != "outside":
            return True  # a missing quote or a dataset is another rule's business
        holders = {b for text, b in found.get(sid, []) if normalise(quote) in text}
        if not holders:
            return True  # the quote rule reports a quote in no passage
        return by in holders or (by != "both_searches" and "both_searches" in holders)

    oks = [ok(s, q, b) for s, q, b in zip(df["source_id"], df["quote"], df["found_by"], strict=True)]
    yield ("found_by", "the search that found the passage holding the quote (passages.csv, found_by)",
           pd.Series(oks, index=df.index))  # fmt: skip


def rule_statements(df: pd.DataFrame, ctx: Context):
    """Each statement is words of its sentence, checked by claims or plans or with the reason it cannot be."""
    texts = {k: normalise(v) for k, v in ctx.column("sentences", "id", "text").items() if isinstance(v, str)}
    inside = [s not in texts or t is None or normalise(t) in texts[s] for s, t in zip(df["sentence_id"], df["text"], strict=True)]
    yield ("text", "words found verbatim in the sentence named in sentence_id (data/sentences.csv)",
           pd.Series(inside, index=df.index))  # fmt: skip
    known = ctx.ids("claims") | ctx.ids("plans")
    ids_ok = df["checked_by"].map(lambda v: all(x in known for x in split_list(v)))
    yield ("checked_by", "ids of rows in data/claims.csv or data/plans.csv, separated by ';'", ids_ok.astype(bool))
    yield ("reason", "the claims or plans that check the statement (checked_by), or why it cannot be checked (reason)",
           ~(df["checked_by"].isna() & df["reason"].isna()))  # fmt: skip
    yield ("reason", "no reason for a statement that claims or plans check (it is checked, so nothing needs explaining)",
           ~(df["checked_by"].notna() & df["reason"].notna()))  # fmt: skip
    yield ("reason_kind", "what kind of statement cannot be checked (opinion, attribution, qualifier), exactly when there is "
           "a reason", df["reason"].isna() == df["reason_kind"].isna())  # fmt: skip


def _named_by_statements(ctx: Context) -> dict[str, set[str]]:
    """Sentence id -> the claims and plans its statements name."""
    t = ctx.raw.get("statements")
    out: dict[str, set[str]] = {}
    if t is None or not {"sentence_id", "checked_by"} <= set(t.frame):
        return out
    for sid, by in zip(t.frame["sentence_id"], t.frame["checked_by"], strict=True):
        out.setdefault(sid, set()).update(split_list(by))
    return out


def rule_statements_cover(df: pd.DataFrame, ctx: Context):
    """A checked sentence has statements, and what checks it is exactly what checks its statements (sentences.csv)."""
    named = _named_by_statements(ctx)
    checked = df["role"] == "checked"
    yield ("id", "at least one statement in data/statements.csv for a checked sentence (each statement it makes, with what "
           "checks it or why nothing can)", ~(checked & ~df["id"].isin(list(named))))  # fmt: skip

    def same(i, by):
        return i not in named or set(split_list(by)) == named[i]

    agree = pd.Series([same(i, b) for i, b in zip(df["id"], df["checked_by"], strict=True)], index=df.index)
    yield ("checked_by", "the claims and plans that check the sentence's statements (data/statements.csv), no more, no less",
           agree)  # fmt: skip


def rule_in_statements(df: pd.DataFrame, ctx: Context):
    """Every claim and plan checks some statement (claims.csv, plans.csv)."""
    named = set().union(*_named_by_statements(ctx).values()) if ctx.raw.get("statements") is not None else set()
    yield ("id", "a statement of data/statements.csv that names this row in checked_by", df["id"].isin(sorted(named)))


def rule_record_checked(df: pd.DataFrame, ctx: Context):
    """Every observation of the outside record has exactly one independent check (record.csv)."""
    t = ctx.raw.get("record_checks")
    checked = [] if t is None or "record_id" not in t.frame else list(t.frame["record_id"])
    n = df["id"].map(checked.count)
    yield ("id", "exactly one independent check of this row in data/record_checks.csv (record_id)", (n == 1).astype(bool))


def rule_record_check(df: pd.DataFrame, ctx: Context):
    """A check that found the row wrong either corrected it (the fields it changed) or says why the row kept its words;
    a check that found no source names none."""
    fields = {f["name"] for f in next((r for r in ctx.package.get("resources", []) if r["name"] == "record"), {})
              .get("schema", {}).get("fields", [])}  # fmt: skip
    corrected = df["finding"] == "corrected"
    yield ("settlement", "what was done with a row the check found wrong: the fields changed (changed) or why the row keeps "
           "its words (settlement)", ~(corrected & df["changed"].isna() & df["settlement"].isna()))  # fmt: skip
    ok = df["changed"].map(lambda v: all(x in fields for x in split_list(v)))
    yield ("changed", "column names of data/record.csv, separated by ';'", ok.astype(bool))
    yield ("source_id", "a source for a check that found one, and none for not_found",
           (df["finding"] == "not_found") == df["source_id"].isna())  # fmt: skip


def rule_fingerprint(df: pd.DataFrame, ctx: Context):
    """A fingerprint's words are the seed's, in its sentence; a passage showing the source-language words in use comes
    with its source, and a source with its passage (fingerprints.csv)."""
    texts = {k: normalise(v) for k, v in ctx.column("sentences", "id", "text").items() if isinstance(v, str)}
    pairs = zip(df["sentence_id"], df["seed_words"], strict=True)
    ok = [s not in texts or w is None or normalise(w) in texts[s] for s, w in pairs]
    yield ("seed_words", "the seed's words, verbatim from the sentence named in sentence_id (data/sentences.csv)",
           pd.Series(ok, index=df.index))  # fmt: skip
    yield ("quote", "a passage exactly when there is a source_id (the source-language words in use, verbatim)",
           df["source_id"].isna() == df["quote"].isna())  # fmt: skip
    stories = ctx.column("sentences", "id", "story")
    same = [s not in stories or stories[s] == t for s, t in zip(df["sentence_id"], df["story"], strict=True)]
    yield ("story", "the story of the sentence named in sentence_id", pd.Series(same, index=df.index))


# An id named in prose: lower-case words joined by underscores, not part of a path, address or longer name.
ID_IN_TEXT = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/-])")
VERBATIM = ("id", "quote", "passage", "text", "counterpart_text", "evidence_quote", "url", "path", "title", "query")


def _vocabulary(ctx: Context) -> set[str]:
    """Words with underscores that are not ids: column names, allowed values, table names, verdicts."""
    words = {v["verdict"] for v in ctx.package.get("x-verdict-scale", {}).get("verdicts", [])}
    for res in ctx.package.get("resources", []):
        words.add(res["name"])
        for f in res.get("schema", {}).get("fields", []):
            words.add(f["name"])
            words |= {str(v) for v in f.get("constraints", {}).get("enum", [])}
    return words


def names_unknown(text: str | None, known: set[str]) -> list[str]:
    """The ids a text names that are not in ``known`` (ids and vocabulary)."""
    return [] if text is None else [m for m in ID_IN_TEXT.findall(text) if m not in known]


def rule_ids(df: pd.DataFrame, ctx: Context):
    """An id named in a note, reason or description is a row of some table: a renamed or removed row leaves no note
    pointing at nothing."""
    known = _vocabulary(ctx) | set().union(*(ctx.ids(name) for name in ctx.raw))
    for col in df.columns:
        if col in VERBATIM or col.endswith("_id") or col == "checked_by":
            continue  # verbatim words of others, and columns the foreign keys check
        bad = df[col].map(lambda v: bool(names_unknown(v, known)))
        if bad.any():
            which = sorted({m for v in df.loc[bad, col] for m in names_unknown(v, known)})
            yield (col, f"ids that exist in the tables (not found: {', '.join(which)})", ~bad.astype(bool))


SEARCH_RULES = {
    "lineage": rule_lineage,
    "plan_lineage": rule_plan_lineage,
    "query": rule_query,
    "found_by": rule_found_by,
    "statements": rule_statements,
    "statements_cover": rule_statements_cover,
    "in_statements": rule_in_statements,
    "record_checked": rule_record_checked,
    "record_check": rule_record_check,
    "ids": rule_ids,
    "fingerprint": rule_fingerprint,
}
