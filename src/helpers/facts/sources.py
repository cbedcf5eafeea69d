"""The texts that quotes are checked against: seed files, their story parts, and stored excerpts of outside pages.

A seed file's text is the file; an ``article_part`` is the part of its parent seed before or after the splice;
an ``outside`` source's text is the body of its stored excerpt (``data/excerpts/<id>.txt``): a header of
``key: value`` lines (url, publisher, published, read), a line ``---``, then the passage as it was read (several
passages are separated by further ``---`` lines). All are normalised the same way (``text.normalise``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem
from .read import RawTable
from .text import SpliceError, find_splice, normalise, read_seed

EXCERPT_HEADER = ("source_id", "url", "publisher", "published", "read")
ARTICLE_KINDS = ("seed_file", "article_part")


@dataclass
class Excerpt:
    header: dict[str, str]
    passages: list[str]

    @property
    def text(self) -> str:
        """The normalised passages, joined so that no quote can span two of them."""
        return " ¶ ".join(normalise(p) for p in self.passages)


def read_excerpt(path: Path) -> Excerpt:
    """Parse a stored excerpt file; raises ValueError naming what is missing."""
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n---\n")
    if not sep:
        raise ValueError("no line '---' between the header and the passage")
    header = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip():
            header[key.strip()] = value.strip()
    missing = [k for k in EXCERPT_HEADER if not header.get(k)]
    if missing:
        raise ValueError(f"header lacks {', '.join(missing)}")
    passages = [p for p in body.split("\n---\n") if p.strip()]
    if not passages:
        raise ValueError("no passage after the header")
    return Excerpt(header, passages)


@dataclass
class SourceTexts:
    texts: dict[str, str] = field(default_factory=dict)  # source id -> normalised text its quotes must occur in
    raw_seed: dict[str, str] = field(default_factory=dict)  # seed_file id -> its raw text
    excerpts: dict[str, Excerpt] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def source_texts(root: Path, src: RawTable | None) -> SourceTexts:
    out = SourceTexts()
    needed = {"id", "kind", "path", "parent_id", "part", "splice_marker", "url"}
    if src is None or not needed <= set(src.frame.columns):
        return out
    f = src.frame

    def problem(i: int, expected: str, column: str, value) -> Problem:
        return Problem(src.file, expected, row=src.rows[i], line=src.lines[i], row_id=f.at[i, "id"], column=column, value=value)

    for i, row in f[f["kind"] == "seed_file"].iterrows():
        try:
            out.raw_seed[row["id"]] = read_seed(row["path"])
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
    for i, row in f[f["kind"] == "outside"].iterrows():
        if not isinstance(row["path"], str):
            continue  # rule_source_kind asks for the path
        try:
            ex = read_excerpt(root / row["path"])
        except (OSError, UnicodeDecodeError, ValueError) as err:
            out.problems.append(problem(i, f"a readable stored excerpt ({err})", "path", row["path"]))
            continue
        if ex.header["source_id"] != row["id"] or ex.header["url"] != row["url"]:
            out.problems.append(
                problem(
                    i,
                    f"the excerpt's header to name this source and URL (it says {ex.header['source_id']}, {ex.header['url']})",
                    "path",
                    row["path"],
                )  # fmt: skip
            )
            continue
        out.excerpts[row["id"]] = ex
        out.texts[row["id"]] = ex.text
    return out
