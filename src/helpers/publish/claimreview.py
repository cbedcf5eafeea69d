"""The claims ledger as schema.org ``ClaimReview`` JSON-LD, the format fact-checkers publish for search engines and
the fact-check databases.

Each claim becomes one ``ClaimReview``: ``claimReviewed`` (the article's words), ``reviewRating`` (``alternateName``
is the verdict; ``ratingValue`` on the documented scale below), ``itemReviewed`` (a ``Claim`` that appeared in the
article, with its ``firstAppearance`` in the original reporting where the sentence is aligned with it in
``sentences.csv``), ``author`` (the collection), ``datePublished`` (the day the verdict was settled) and ``url``
(the claim's section of the ledger page, an absolute address).

The rating scale is the data package's (``x-verdict-scale``, read through ``helpers.verdicts``): 5 accurate or
verbatim, 4 imprecise or paraphrase, 2 misleading or mistranslated, 1 contradicted; ``worstRating`` 1, ``bestRating``
5. Verdicts that are not ratings of truth (unverifiable, not found, record incomplete) carry no ``ratingValue``, only
the ``alternateName``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd

from ..atomic import atomic_files
from ..facts import verdicts
from ..facts.text import split_list

REQUIRED = ("@type", "claimReviewed", "reviewRating", "itemReviewed", "author", "datePublished", "url")


def claim_reviews(tables, *, publisher: str, site_url: str) -> list[dict]:
    """One ClaimReview per row of the claims ledger.

    ``url`` is the claim's section of the page that shows the review, ``<site_url>claims.html#<claim id>``, an
    absolute address (``site_url`` is where ``reports/`` is published: the data package's ``homepage``);
    ``datePublished`` is the day the verdict was settled (``reviews.csv``, settled_on); the claim's author is the
    speaker for a quotation, else the article's byline, and is left out when the article names none."""
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", site_url or ""):
        raise ValueError(f"the address where reports/ is published must be an absolute URL (data/datapackage.json, "
                         f"homepage); got {site_url!r}")  # fmt: skip
    base = site_url if site_url.endswith("/") else site_url + "/"
    claims = tables["claims"]
    src = tables["sources"].set_index("id")
    rv = tables["reviews"]
    settled = dict(zip(rv.loc[rv["item_table"] == "claims", "item_id"], rv.loc[rv["item_table"] == "claims", "settled_on"],
                       strict=True))  # fmt: skip
    originals = first_appearances(tables)
    out = []
    for _, c in claims.iterrows():
        when = settled.get(c["id"])
        if when is None or pd.isna(when):
            raise ValueError(f"claim {c['id']!r} has no settlement date (data/reviews.csv, settled_on): a ClaimReview "
                             "is dated by the day its verdict was settled")  # fmt: skip
        s = src.loc[c["source_id"]]
        seed = src.loc[s["parent_id"]] if s["kind"] == "article_part" else s
        verdict = str(c["verdict"])
        rating = {"@type": "Rating", "alternateName": verdicts.label(verdict), "worstRating": 1,
                  "bestRating": 5, "ratingExplanation": str(c["reason"])}  # fmt: skip
        if verdicts.rating(verdict) is not None:
            rating["ratingValue"] = verdicts.rating(verdict)
        page = str(seed["url"]) if pd.notna(seed["url"]) else urljoin(base, str(seed["path"]))
        item = {"@type": "Claim", "appearance": {"@type": "CreativeWork", "headline": str(seed["title"]), "url": page}}
        if pd.notna(c["speaker"]):
            item["author"] = {"@type": "Person", "name": str(c["speaker"])}
        elif named(seed["author"]):
            item["author"] = {"@type": "Person", "name": str(seed["author"])}
        if pd.notna(s["date"]):
            item["datePublished"] = str(s["date"])
        if c["id"] in originals:
            item["firstAppearance"] = originals[c["id"]]
        out.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": urljoin(base, f"claims.html#{c['id']}"),
            "claimReviewed": str(c["quote"]),
            "reviewRating": rating,
            "itemReviewed": item,
            "author": {"@type": "Organization", "name": publisher, "url": base},
            "datePublished": str(when),
        })  # fmt: skip
    return out


def named(author) -> bool:
    """Whether a byline names someone (not empty, not a note that it names no one)."""
    return isinstance(author, str) and bool(author.strip()) and not author.lower().startswith("not stated")


def first_appearances(tables) -> dict[str, dict]:
    """Claim id -> the original reporting its sentence translates (``sentences.csv``, counterpart original), as a
    schema.org CreativeWork."""
    src = tables["sources"].set_index("id")
    out: dict[str, dict] = {}
    sentences = tables["sentences"]
    for _, s in sentences[sentences["counterpart"] == "original"].iterrows():
        o = src.loc[s["counterpart_source_id"]]
        work = {"@type": "CreativeWork", "headline": str(o["title"]), "url": str(o["url"]), "inLanguage": str(s["language"]),
                "publisher": {"@type": "Organization", "name": str(o["publisher"])}}  # fmt: skip
        if pd.notna(o["date"]):
            work["datePublished"] = str(o["date"])
        for cid in split_list(s["checked_by"]):
            out.setdefault(cid, work)
    return out


def missing_properties(review: dict) -> list[str]:
    """The required ClaimReview properties a review lacks (empty when complete)."""
    missing = [k for k in REQUIRED if not review.get(k)]
    rating = review.get("reviewRating") or {}
    if not rating.get("alternateName"):
        missing.append("reviewRating.alternateName")
    if (review.get("itemReviewed") or {}).get("@type") != "Claim":
        missing.append("itemReviewed as a Claim")
    return missing


def write_claim_reviews(reviews: list[dict], path: Path) -> Path:
    """Write the reviews as one JSON-LD file, atomically; refuses an incomplete review."""
    for r in reviews:
        gaps = missing_properties(r)
        if gaps:
            raise ValueError(f"ClaimReview {r.get('url')} lacks {', '.join(gaps)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_files({"jsonld": path}) as tmp:
        tmp["jsonld"].write_text(json.dumps(reviews, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
