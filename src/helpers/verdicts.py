"""The verdict scale, read from the data package (``x-verdict-scale`` in ``data/datapackage.json``): one home for
the verdicts' order (best first), what each is for (fact, quotation, plan), what it means, what it needs, and how
schema.org ClaimReview rates it. The validator enforces what each verdict needs (``facts.rules``); ClaimReview,
the claims page and the figures take the order and ratings from here; a figure's marks take the ledger's verdict on
their words from ``of_quotes`` and show it with ``flag``."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths
from .facts.read import datapackage

if TYPE_CHECKING:
    import pandas as pd


@lru_cache(maxsize=4)
def _scale(root: Path) -> tuple[dict, ...]:
    return tuple(datapackage(root).get("x-verdict-scale", {}).get("verdicts", []))


def scale(root: Path | None = None) -> dict[str, dict]:
    """Every verdict, best first: ``{verdict: {"for", "means", "needs", "ratingValue", "alternateName"}}``."""
    return {v["verdict"]: v for v in _scale((root or paths.project_root()).resolve())}


def order(kind: str | None = None, root: Path | None = None) -> list[str]:
    """The verdicts best first; only those for ``kind`` ('fact', 'quotation', 'plan') when given."""
    return [v for v, d in scale(root).items() if kind is None or d["for"] == kind]


def severity(root: Path | None = None) -> list[str]:
    """The claim verdicts worst first, by rating; a verdict that is not a rating of truth (unverifiable, not found,
    record incomplete) ranks just above the best: it flags nothing but says less than accurate."""
    sc = {v: d for v, d in scale(root).items() if d["for"] != "plan"}
    return sorted(sc, key=lambda v: 4.5 if sc[v]["ratingValue"] is None else sc[v]["ratingValue"])


def flagged(root: Path | None = None) -> list[str]:
    """The verdicts a figure shows on the mark itself, not only in the ledger: those rated 2 or worst (contradicted,
    misleading, mistranslated), worst first."""
    sc = scale(root)
    return sorted((v for v, d in sc.items() if d["ratingValue"] is not None and d["ratingValue"] <= 2),
                  key=lambda v: sc[v]["ratingValue"])  # fmt: skip


def rating(verdict: str, root: Path | None = None) -> int | None:
    """ClaimReview's ratingValue (1 worst .. 5 best), or None for a verdict that is not a rating of truth."""
    return scale(root).get(verdict, {}).get("ratingValue")


def label(verdict: str, root: Path | None = None) -> str:
    """How a verdict is named to a reader (ClaimReview's alternateName)."""
    return scale(root).get(verdict, {}).get("alternateName") or verdict.replace("_", " ")


# One colour per verdict, on one ordered scale from the best rating (blue) to the worst (red), the ColorBrewer RdYlBu
# steps (safe for colour-vision deficiency); a verdict that is not a rating of truth is a grey. Plans have their own
# order on the same scale (done, done late, done without deadline, in part, overtaken, reversed).
_BY_RATING = {5: "#2c7bb6", 4: "#abd9e9", 3: "#ffffbf", 2: "#fdae61", 1: "#d7191c"}
_UNRATED = {"unverifiable": "#bdbdbd", "not_found": "#8c8c8c", "record_incomplete": "#e3e3e3"}
_PLANS = {"met": "#2c7bb6", "carried_out": "#74add1", "met_late": "#abd9e9", "partly_met": "#fee090",
          "overtaken_by_events": "#bdbdbd", "reversed": "#d7191c"}  # fmt: skip


def colour(verdict: str, root: Path | None = None) -> str:
    """The verdict's colour on the one ordered scale (figures and pages use this, never their own)."""
    if verdict in _PLANS:
        return _PLANS[verdict]
    if verdict in _UNRATED:
        return _UNRATED[verdict]
    r = rating(verdict, root)
    if r is None:
        raise KeyError(f"verdict {verdict!r} has no colour: not in the scale (data/datapackage.json, x-verdict-scale)")
    return _BY_RATING[r]


def ink(verdict: str, root: Path | None = None) -> str:
    """Text colour that reads on the verdict's colour: white on a dark fill, near-black on a light one."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour(verdict, root))
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else "#111111"


def of_quotes(tables, quotes: pd.Series, types: Iterable[str] | None = None) -> pd.Series:
    """The claims ledger's verdict for each quote: the worst verdict among the claims whose words overlap it (one
    contains the other, after the quote normalisation), or <NA> when the ledger has no such claim.

    ``types`` keeps only claims of those ``claim_type`` s: a date on a timeline answers to the ledger's date and
    actor claims, not to how the article characterised the event."""
    import pandas as pd

    from .facts.text import normalise

    ledger = tables["claims"]
    if types is not None:
        ledger = ledger[ledger["claim_type"].isin(list(types))]
    claims = [(normalise(str(q)), str(v)) for q, v in zip(ledger["quote"], ledger["verdict"], strict=True)]
    rank = {v: i for i, v in enumerate(severity())}  # the ledger's verdicts worst first: a mark gets the worst that applies

    def worst(quote) -> object:
        if pd.isna(quote):
            return pd.NA
        q = normalise(str(quote))
        found = [v for c, v in claims if c in q or q in c]
        return min(found, key=lambda v: rank.get(v, len(rank))) if found else pd.NA

    return pd.Series([worst(q) for q in quotes], index=quotes.index, dtype="string")


def flag(label: str, verdict) -> str:
    """A label with the ledger's verdict appended when the record contradicts or misrepresents it."""
    return f"{label} ✗ {verdict}" if isinstance(verdict, str) and verdict in flagged() else label
