"""Agreement between two readings of the same items: the share of items on which they agree, and Cohen's kappa.

Cohen's kappa is written out here rather than taken from scikit-learn (``sklearn.metrics.cohen_kappa_score``): it is
six lines of arithmetic, and scikit-learn would add about 40 MB and its own compiled stack to a collection that needs
nothing else from it. ``tests/test_kit.py`` checks it against a worked example with a published value.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence


def raw_agreement(a: Sequence[str], b: Sequence[str]) -> float:
    """The share of items on which the two readings give the same label."""
    if len(a) != len(b) or not a:
        raise ValueError(f"two readings of the same items are needed (got {len(a)} and {len(b)} labels)")
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa (1960): agreement corrected for the agreement expected by chance from each reading's own
    frequencies, (p_o - p_e) / (1 - p_e). NaN when chance agreement is certain (both readings use one label only)."""
    po = raw_agreement(a, b)
    n = len(a)
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return math.nan if pe == 1 else (po - pe) / (1 - pe)
