"""Numbers in a quote, written in digits or in words ('five thousand', '10 million').

Word-to-number parsing is done by text2num (``alpha2digit``), a maintained
library; what it leaves ('10 1000000' from '10 million', '52nd') is folded here.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit

_SCALED = re.compile(r"(\d+(?:\.\d+)?) (1000000000|1000000|1000)\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers_in(text: str) -> set[int]:
    """Every whole number a reader would see in ``text``."""
    digits = alpha2digit(text, "en", threshold=0)  # the default leaves small numbers ("two people") as words
    # text2num turns 'a thousand' into 'a 1000', 'over 10 million' into 'over 10 1000000'
    digits = _SCALED.sub(lambda m: str(round(float(m.group(1)) * int(m.group(2)))), digits)
    out: set[int] = set()
    for token in _NUMBER.findall(digits):
        token = token.replace(",", "")
        if "." in token:
            continue
        out.add(int(token))
    return out
