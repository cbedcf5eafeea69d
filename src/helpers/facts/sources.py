"""The texts that quotes are checked against: seed files, their story parts, and the passages cited from outside pages.

A seed file's text is the file; an ``article_part`` is the part of its parent seed before or after the splice;
an ``outside`` source's text is the passages of it that the collection relies on (``data/passages.csv``: a sentence
or two each, verbatim, never the page). All are normalised the same way (``text.normalise``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem
from .read import RawTable
from .text import SpliceError, find_splice, normalise, read_seed

ARTICLE_KINDS = ("seed_file", "article_part")
PASSAGE_JOIN = " ¶ "  # between two passages of one source, so that no quote can span them


@dataclass
class SourceTexts:
    texts: dict[str, str] = field(default_factory=dict)  # source id -> normalised text its quotes must occur in
    raw_seed: dict[str, str] = field(default_factory=dict)  # seed_file id -> its raw text
    problems: list[Problem] = field(default_factory=list)

    def quote_found(self, quote: str, source_id: str, kind: str | None) -> bool | None:
        """Whether ``quote`` occurs in the text of its source (after normalising whitespace, curly quotes and dashes):
        the one check validation and the notebooks' overview both make. None for a reference dataset (a gazetteer),
        which has no text."""
        if kind == "dataset":
            return None
        return source_id in self.texts and normalise(quote) in self.texts[source_id]


def source_texts(root: Path, src: RawTable | None, passages: RawTable | None = None) -> SourceTexts:
    out = SourceTexts()
    needed = {"id", "kind", "path", "parent_id", "part", "splice_marker", "url"}
    if src is None or not needed <= set(src.frame.columns):
        return out
    f = src.frame

    def problem(i: int, expected: str, column: str, value) -> Problem:
        return Problem(src.file, expected, row=src.rows[i], line=src.lines[i], row_id=f.at[i, "id"], column=column, value=value)

    for i, row in f[f["kind"] == "seed_file"].iterrows():
        try:
            out.raw_seed[row["id"]] = read_seed(row["path"], root)
        except (OSError, UnicodeDecodeError, TypeError) as err:
            out.problems.append(problem(i, f"a readable UTF-8 seed file ({err})", "path", row["path"]))
            continue
        out.texts[row["id"]] = normalise(out.raw_seed[row["id"]])
    for _, row in f[f["kind"] == "article_part"].iterrows():
        parent = f[f["id"] == row["parent_id"]]
        if row["parent_id"] in out.raw_seed and row["part"] == "whole":
            out.texts[row["id"]] = out.texts[row["parent_id"]]  # an article that is one story
            continue
        if row["parent_id"] not in out.raw_seed or parent.empty or not isinstance(parent.iloc[0]["splice_marker"], str):
            continue  # rule_source_kind reports a part whose parent is not a spliced seed file
        try:
            splice = find_splice(out.raw_seed[row["parent_id"]], parent.iloc[0]["splice_marker"])
        except SpliceError:
            continue  # reported by rule_source_kind on the seed_file row
        before, after = splice.parts(out.raw_seed[row["parent_id"]])
        if row["part"] in ("before_splice", "after_splice"):
            out.texts[row["id"]] = normalise(before if row["part"] == "before_splice" else after)
    if passages is not None and {"source_id", "passage"} <= set(passages.frame.columns):
        cited: dict[str, list[str]] = {}
        for sid, text in zip(passages.frame["source_id"], passages.frame["passage"], strict=True):
            if sid is not None and text is not None:
                cited.setdefault(sid, []).append(normalise(text))
        for sid in f.loc[f["kind"] == "outside", "id"]:
            out.texts[sid] = PASSAGE_JOIN.join(cited.get(sid, []))
    return out
