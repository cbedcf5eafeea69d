"""A date written at its precision (a year ``2023``, a month ``2021-12`` or a day ``2021-12-14``) and the period it can
mean: the one reading of such dates that validation, the loader and the ledger's rules share."""

from __future__ import annotations

import calendar
import re

import pandas as pd

WRITTEN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def form_of(written) -> str | None:
    """How a date is written: 'year' (YYYY), 'month' (YYYY-MM), 'day' (YYYY-MM-DD), or None for anything else."""
    m = WRITTEN.match(written) if isinstance(written, str) else None
    if not m:
        return None
    return "day" if m.group(3) else "month" if m.group(2) else "year"


def period_of(written) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last day a written date can mean ('2021-12' -> 1 and 31 December 2021); None for anything that is
    not a real calendar date written as YYYY, YYYY-MM or YYYY-MM-DD (a missing value included)."""
    m = WRITTEN.match(written) if isinstance(written, str) else None
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    if month is None:
        return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return pd.Timestamp(year, month, 1), pd.Timestamp(year, month, last)
    if not 1 <= day <= last:
        return None
    return pd.Timestamp(year, month, day), pd.Timestamp(year, month, day)
