"""The house style: matplotlib's colour-blind-safe ``petroff8`` palette under ``helpers/report.mplstyle``, and how
each kind of evidence is drawn.

How a value is known is drawn, not only written. Fill, hatch and line style differ between kinds, so the
difference survives greyscale printing and colour-vision deficiency:

- stated: in the article, as written (solid);
- inferred: the article implies it (a year, a date from "yesterday"): light fill, hatched;
- planned: announced, not (yet) done: white, dashed;
- reported: "news has circulated": white, cross-hatched, dotted;
- derived: computed by us from stated figures: white, dotted, grey;
- outside: from a source other than the article: solid, in the outside colour.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping

import matplotlib.style
import pandas as pd
from matplotlib.colors import to_rgb

from .facts.read import datapackage

STYLE = ["petroff8", "helpers.report"]
PALETTE: list[str] = [c["color"] for c in matplotlib.style.library["petroff8"]["axes.prop_cycle"]]
OUTSIDE_COLOUR = PALETTE[3]  # purple: reserved for outside sources, never a story's colour
DERIVED_COLOUR = PALETTE[7]  # grey
WARNING_COLOUR = PALETTE[2]  # red: what the record contradicts
STORY_PALETTE = [PALETTE[0], PALETTE[1], PALETTE[4], PALETTE[5], PALETTE[6]]
SHARED_COLOUR = PALETTE[7]  # for rows that concern every story

EVIDENCE = {
    "stated": {"label": "stated in the article", "fill": "solid", "hatch": None, "linestyle": "-"},
    "inferred": {"label": "date inferred by us (reasoning in data/)", "fill": "light", "hatch": "////", "linestyle": "-"},
    "planned": {"label": "planned or announced, not (yet) done", "fill": "white", "hatch": None, "linestyle": "--"},
    "reported": {"label": "reported, unconfirmed", "fill": "white", "hatch": "xxx", "linestyle": ":"},
    "derived": {"label": "derived by us from stated figures", "fill": "white", "hatch": "...", "linestyle": ":"},
    "outside": {"label": "outside source (not the article)", "fill": "solid", "hatch": None, "linestyle": "-"},
}


class StyleError(ValueError):
    pass


@contextlib.contextmanager
def style() -> Iterator[None]:
    """The house style, for building and saving a figure."""
    with matplotlib.style.context(STYLE):
        yield


def lighten(colour: str, amount: float = 0.6) -> tuple[float, float, float]:
    """``colour`` mixed with white (0: unchanged, 1: white)."""
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def evidence_style(evidence: str, colour: str) -> dict:
    """Keyword arguments for a bar, span or patch drawn as ``evidence`` in a story's ``colour``."""
    if evidence not in EVIDENCE:
        raise StyleError(f"unknown evidence {evidence!r}; expected one of {', '.join(EVIDENCE)}")
    spec = EVIDENCE[evidence]
    if evidence == "outside":
        colour = OUTSIDE_COLOUR
    if evidence == "derived":
        colour = DERIVED_COLOUR
    face = {"solid": colour, "light": lighten(colour), "white": "white"}[spec["fill"]]
    return {"facecolor": face, "edgecolor": colour, "hatch": spec["hatch"], "linestyle": spec["linestyle"], "linewidth": 1.4}


def evidence_of(row: Mapping, source_kinds: Mapping[str, str]) -> str:
    """How a row is known: outside source, planned, reported, inferred date, or stated.

    Reads the columns a row has: ``source_id``; ``event_status`` or ``claim_status`` (planned, reported);
    ``date_basis`` (inferred).
    """
    if source_kinds.get(row["source_id"]) == "outside":
        return "outside"
    status = str(row.get("event_status", row.get("claim_status", "")))
    if status in ("planned", "reported"):
        return status
    if str(row.get("date_basis", "")) == "inferred":
        return "inferred"
    return "stated"


def stories(tables) -> dict[str, dict]:
    """The stories of the collection, from the article parts in the sources table, in file order:
    ``{story: {"label": ..., "colour": ..., "source_id": ...}}``, plus the code the data package gives rows that
    concern every story (``x-all-stories``)."""
    src = tables["sources"]
    parts = src[src["kind"] == "article_part"]
    out = {}
    for i, (_, r) in enumerate(parts.iterrows()):
        out[str(r["story"])] = {
            "label": str(r["story_label"]) if pd.notna(r["story_label"]) else str(r["story"]),
            "colour": STORY_PALETTE[i % len(STORY_PALETTE)],
            "source_id": str(r["id"]),
        }
    shared = datapackage().get("x-all-stories")
    if shared:
        out[shared] = {"label": "all stories", "colour": SHARED_COLOUR, "source_id": None}
    return out


def evidence_kinds(kinds: Iterable[str]) -> list[str]:
    """The kinds present, in EVIDENCE order (for legends)."""
    present = set(kinds)
    return [k for k in EVIDENCE if k in present]
