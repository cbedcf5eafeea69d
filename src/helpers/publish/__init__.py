"""The publishing side: the front page, the manifest and the figure book (``site``), the claims ledger as a page
(``claims_page``) and as schema.org ClaimReview (``claimreview``), each page from its Jinja2 template.

Its names load on first use (PEP 562): the build's no-op check imports ``publish.site`` for one light function, and
must not pay for pandas, which ``claimreview`` needs."""

from importlib import import_module

_LAZY = {"claim_reviews": "claimreview", "write_claim_reviews": "claimreview"}

__all__ = list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
