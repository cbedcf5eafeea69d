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

from .. import paths
from .read import datapackage

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


def errors(root: Path | None = None) -> list[str]:
    """The verdicts that flag an error of the article (``error`` in the scale: imprecise, misleading, contradicted,
    mistranslated), worst last: the errors whose layer the genealogy traces. A paraphrase, an unverifiable statement or
    a record read in part is not an error."""
    return [v for v, d in scale(root).items() if d.get("error")]


def rating(verdict: str, root: Path | None = None) -> int | None:
    """ClaimReview's ratingValue (1 worst .. 5 best), or None for a verdict that is not a rating of truth."""
    return scale(root).get(verdict, {}).get("ratingValue")


def label(verdict: str, root: Path | None = None) -> str:
    """How a verdict is named to a reader (ClaimReview's alternateName)."""
    return scale(root).get(verdict, {}).get("alternateName") or verdict.replace("_", " ")


def of_quotes(tables, quotes: pd.Series, types: Iterable[str] | None = None) -> pd.Series:
    """The claims ledger's verdict for each quote: the worst verdict among the claims whose words overlap it (one
    contains the other, after the quote normalisation), or <NA> when the ledger has no such claim.

    ``types`` keeps only claims of those ``claim_type`` s: a date on a timeline answers to the ledger's date and
    actor claims, not to how the article characterised the event."""
    import pandas as pd

    from .text import normalise

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
