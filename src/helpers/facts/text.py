"""The seed text: reading it, normalising it for quote checks, and cutting it at the splice."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..paths import project_root

# Quote matching compares normalised text. The rules, in order:
# 1. Unicode NFKC (a no-break space becomes a space, ligatures split);
# 2. curly single quotes and apostrophes (‘ ’ ‚ ′) become ', curly double quotes (“ ” „ ″) become ";
# 3. en and em dashes become '-';
# 4. every run of whitespace (spaces, tabs, line breaks) becomes one space; ends are stripped.
# Case, spelling and punctuation otherwise must match exactly.
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)
_SPACE = re.compile(r"\s+")


def split_list(value) -> list[str]:
    """The items of a cell that lists several, separated by ';' (as checked_by and changed do): stripped, in order,
    blanks dropped; none for an empty cell (None or pandas' NaN)."""
    return [x.strip() for x in value.split(";") if x.strip()] if isinstance(value, str) else []


def normalise(text: str) -> str:
    """Normalise text for quote matching (rules above; documented in data/README.md)."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACE.sub(" ", text).strip()


def read_seed(path: str | Path, root: Path | None = None) -> str:
    """Read a seed file (UTF-8) given as a path relative to the project root (``root``, by default this project's)
    or absolute."""
    p = Path(path)
    if not p.is_absolute():
        p = (root or project_root()) / p
    return p.read_text(encoding="utf-8")


class SpliceError(ValueError):
    pass


@dataclass(frozen=True)
class Splice:
    """Where a seed file's two stories meet."""

    marker: str  # the broken word as it stands in the text, e.g. 'Accordingrevent'
    start: int  # offset of the marker in the raw text
    cut: int  # offset of the cut in the raw text (inside the marker)

    def parts(self, text: str) -> tuple[str, str]:
        return text[: self.cut], text[self.cut :]

    def context(self, text: str, width: int = 80) -> str:
        return text[max(0, self.cut - width) : self.cut] + " ✂ " + text[self.cut : self.cut + width]


def find_splice(text: str, marker_with_cut: str) -> Splice:
    """Locate a splice given its marker with '|' at the cut ('According|revent').

    The marker must occur exactly once, so a cut can never land in the wrong place.
    """
    if marker_with_cut.count("|") != 1:
        raise SpliceError(f"splice marker {marker_with_cut!r} must contain exactly one '|'")
    marker = marker_with_cut.replace("|", "")
    hits = [m.start() for m in re.finditer(re.escape(marker), text)]
    if len(hits) != 1:
        raise SpliceError(f"splice marker {marker!r} occurs {len(hits)} times in the text; expected exactly once")
    return Splice(marker=marker, start=hits[0], cut=hits[0] + marker_with_cut.index("|"))


def glued_words(text: str) -> list[str]:
    """Words that look like two words glued together: a capitalised word that
    appears elsewhere on its own, immediately followed by lower-case letters
    that do not form an ordinary English ending.

    This is how notebook 01 *finds* the splice by code before checking it
    against the marker recorded in sources.csv.
    """
    words = re.findall(r"[A-Za-z]+", text)
    vocab = set(words)
    endings = (
        "s",
        "es",
        "ed",
        "ing",
        "er",
        "ers",
        "ly",
        "ion",
        "ions",
        "al",
        "ian",
        "ist",
        "ists",
        "ism",
        "n",
        "an",
        "ans",
        "ese",
    )
    found = []
    for w in dict.fromkeys(words):
        if not w[0].isupper() or words.count(w) != 1:
            continue
        for i in range(4, len(w) - 2):
            head, tail = w[:i], w[i:]
            if head in vocab and tail.islower() and tail not in endings and not any(tail == e for e in endings):
                found.append(w)
                break
    return found
