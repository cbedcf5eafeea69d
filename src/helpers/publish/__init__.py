"""The publishing side: the front page, the manifest and the figure book (``site``), the claims ledger as a page
(``claims_page``) and as schema.org ClaimReview (``claimreview``), each page from its Jinja2 template."""

from .claimreview import claim_reviews, write_claim_reviews

__all__ = ["claim_reviews", "write_claim_reviews"]
