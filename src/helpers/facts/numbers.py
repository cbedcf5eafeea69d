"""Numbers in a quote, written in digits or in words ('five thousand', '10 million'), with thousands grouped the
English way ("5,100") or the French way ("5.100", "4 500").

Word-to-number parsing is done by text2num (``alpha2digit``), a maintained
library; what it leaves ('10 1000000' from '10 million', '52nd') is folded here.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit

_SCALED = re.compile(r"(\d+(?:\.\d+)?) (1000000000|1000000|1000)\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Thousands grouped the French, German or Spanish way: "2.000", "4 500" (space, no-break or narrow no-break space).
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[. \u00a0\u202f]\d{3})+(?!\d|[.,]\d)")


def numbers_in(text: str) -> set[int]:
    """Every whole number a reader would see in ``text``."""
    digits = alpha2digit(text, "en", threshold=0)  # the default leaves small numbers ("two people") as words
    # text2num turns 'a thousand' into 'a 1000', 'over 10 million' into 'over 10 1000000'
    digits = _SCALED.sub(lambda m: str(round(float(m.group(1)) * int(m.group(2)))), digits)
    out: set[int] = {int(re.sub(r"\D", "", g)) for g in _GROUPED.findall(text)}
    for token in _NUMBER.findall(digits):
        token = token.replace(",", "")
        if "." in token:
            continue
        out.add(int(token))
    return out
