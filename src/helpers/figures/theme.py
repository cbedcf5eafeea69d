"""The house style, visual constants only: matplotlib's colour-blind-safe ``petroff8`` palette under
``helpers/figures/report.mplstyle``, the two published layouts (a page and a column of a printed report, each with its own
text sizes), and how each kind of evidence is drawn.

How a value is known is drawn, not only written. Fill, hatch and line style differ between kinds, so the
difference survives greyscale printing and colour-vision deficiency:

- stated: in the article, as written (solid);
- inferred: the article implies it (a year, a date from "yesterday"): light fill, hatched;
- planned: announced, not (yet) done: white, dashed;
- reported: "news has circulated": white, cross-hatched, dotted;
- derived: computed by us from stated figures: white, dotted, grey;
- outside: from a source other than the article: solid, in the outside colour.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import matplotlib.style
from matplotlib.colors import to_rgb

from ..facts import verdicts

STYLE = ["petroff8", "helpers.figures.report"]
PALETTE: list[str] = [c["color"] for c in matplotlib.style.library["petroff8"]["axes.prop_cycle"]]
OUTSIDE_COLOUR = PALETTE[3]  # purple: reserved for outside sources, never a story's colour
DERIVED_COLOUR = PALETTE[7]  # grey
WARNING_COLOUR = PALETTE[2]  # red: what the record contradicts
STORY_PALETTE = [PALETTE[0], PALETTE[1], PALETTE[4], PALETTE[5], PALETTE[6]]
SHARED_COLOUR = PALETTE[7]  # for rows that concern every story
# The layers an error can come from have colours of their own, fixed whatever the number of stories (Petroff's
# ten-colour set, also chosen for colour-vision deficiency): never the colours the stories happen to leave free.
_PETROFF10 = [c["color"] for c in matplotlib.style.library["petroff10"]["axes.prop_cycle"]]
LAYER_COLOURS = {"original": _PETROFF10[5], "translation": _PETROFF10[1], "splice": _PETROFF10[4],
                 "undetermined": "#d8d8d8"}  # fmt: skip
# The greys, darkest first: every figure's text and lines that carry no story's colour use these, never a typed one.
INK = "#111111"  # titles; marks that must stand out whatever the fill (a capital, the place of a death)
GREY_TEXT = "#333333"  # labels written on a plot
GREY_SOFT = "#444444"  # subtitles; words beside a milestone line
GREY_MUTED = "#555555"  # source and note lines, leader lines, country names
GREY_RULE = "#999999"  # frames around notes, milestone lines, the edges of swatches
GREY_PALE = "#eeeeee"  # a band behind a period (the days a story was written)
COUNTRY_FILL, COUNTRY_EDGE = "#f2f2f2", "#b0b0b0"  # a basemap's countries that play no part
HIGHLIGHT = "#fde0c5"  # a pale orange behind a highlighted table row: near-black text on it reads at over 15:1

# For categories that are neither stories nor layers nor verdicts (kinds of a thing, in a figure of their own): the same
# ten colours, in order.
CATEGORY_COLOURS = list(_PETROFF10)

EVIDENCE = {
    "stated": {"label": "stated in the article", "fill": "solid", "hatch": None, "linestyle": "-"},
    "inferred": {"label": "date inferred by us", "fill": "light", "hatch": "////", "linestyle": "-"},
    "planned": {"label": "planned or announced, not (yet) done", "fill": "white", "hatch": None, "linestyle": "--"},
    "reported": {"label": "reported, unconfirmed", "fill": "white", "hatch": "xxx", "linestyle": ":"},
    "derived": {"label": "derived by us from stated figures", "fill": "white", "hatch": "...", "linestyle": ":"},
    "outside": {"label": "outside source (not the article)", "fill": "solid", "hatch": None, "linestyle": "-"},
}


class StyleError(ValueError):
    pass


CM = 1 / 2.54  # inches


@dataclass(frozen=True)
class Layout:
    """A published width with its own text sizes (points, as printed): a figure is drawn for each layout, never
    scaled from another. ``min_pt`` is the smallest text the figure check accepts at this width."""

    name: str
    width_cm: float
    min_pt: float
    text: float  # tick labels, axis titles, annotations
    small: float  # legends, secondary annotations
    title: float
    subtitle: float
    foot: float  # the Source and Note lines
    marks: float = 1.0  # a marker's area at this width, as a share of its area on the page

    @property
    def gap(self) -> float:
        """The layout's unit of space between a mark and its label, in points: half its text size."""
        return self.text / 2

    def mark(self, area: float) -> float:
        """A marker's area (points squared, as scatter takes it) at this width, given its area on the page."""
        return area * self.marks

    @property
    def width(self) -> float:
        """The width in inches (matplotlib's unit)."""
        return self.width_cm * CM

    @property
    def narrow(self) -> bool:
        return self.name == "column"

    def pick(self, page, column):
        """``page`` in the page layout, ``column`` in the column layout."""
        return column if self.narrow else page

    def rc(self) -> dict:
        return {"font.size": self.text, "axes.labelsize": self.text, "axes.titlesize": self.text + 1,
                "xtick.labelsize": self.text, "ytick.labelsize": self.text, "legend.fontsize": self.small,
                "legend.title_fontsize": self.small, "figure.figsize": (self.width, self.width * 0.62)}  # fmt: skip


# A printed report's page (17 cm of text width) and column (8.5 cm), the sizes the Financial Times' and Datawrapper's
# templates draw for; text at least 7 pt on a page and 6 pt in a column.
PAGE = Layout("page", 17.0, 7.0, text=8.0, small=7.2, title=11.0, subtitle=8.4, foot=7.0)
COLUMN = Layout("column", 8.5, 6.0, text=6.6, small=6.2, title=8.6, subtitle=6.8, foot=6.0, marks=0.6)
LAYOUTS = {"page": PAGE, "column": COLUMN}


@contextlib.contextmanager
def style(layout: Layout | None = None) -> Iterator[None]:
    """The house style, for building and saving a figure; with ``layout``, that layout's text sizes."""
    with matplotlib.style.context([*STYLE, layout.rc()] if layout else STYLE):
        yield


def lighten(colour: str, amount: float = 0.6) -> tuple[float, float, float]:
    """``colour`` mixed with white (0: unchanged, 1: white)."""
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def evidence_style(evidence: str, colour: str) -> dict:
    """Keyword arguments for a bar, span or patch drawn as ``evidence`` in a story's ``colour``."""
    if evidence not in EVIDENCE:
        raise StyleError(f"unknown evidence {evidence!r}; expected one of {', '.join(EVIDENCE)}")
    spec = EVIDENCE[evidence]
    if evidence == "outside":
        colour = OUTSIDE_COLOUR
    if evidence == "derived":
        colour = DERIVED_COLOUR
    face = {"solid": colour, "light": lighten(colour), "white": "white"}[spec["fill"]]
    return {"facecolor": face, "edgecolor": colour, "hatch": spec["hatch"], "linestyle": spec["linestyle"], "linewidth": 1.4}


def evidence_kinds(kinds: Iterable[str]) -> list[str]:
    """The kinds present, in EVIDENCE order (for legends)."""
    present = set(kinds)
    return [k for k in EVIDENCE if k in present]


def story_colours(stories: Mapping[str, Mapping]) -> dict[str, str]:
    """A colour for each story, in the order given (``helpers.facts.stories``); a story with no source of its own (the
    code for rows that concern every story) gets the shared grey."""
    out, i = {}, 0
    for code, s in stories.items():
        if s.get("source_id") is None:
            out[code] = SHARED_COLOUR
        else:
            out[code] = STORY_PALETTE[i % len(STORY_PALETTE)]
            i += 1
    return out


# One colour per verdict, on one ordered scale from the best rating (blue) to the worst (red), the ColorBrewer RdYlBu
# steps (safe for colour-vision deficiency); a verdict that is not a rating of truth is a grey. Plans have their own
# order on the same scale (done, done late, done without deadline, in part, overtaken, reversed).
_BY_RATING = {5: "#2c7bb6", 4: "#abd9e9", 3: "#ffffbf", 2: "#fdae61", 1: "#d7191c"}
_UNRATED = {"unverifiable": "#bdbdbd", "not_found": "#8c8c8c", "record_incomplete": "#e3e3e3"}
_PLANS = {"met": "#2c7bb6", "carried_out": "#74add1", "met_late": "#abd9e9", "partly_met": "#fee090",
          "overtaken_by_events": "#bdbdbd", "reversed": "#d7191c"}  # fmt: skip


def verdict_colour(verdict: str, root: Path | None = None) -> str:
    """The verdict's colour on the one ordered scale (figures and pages use this, never their own)."""
    if verdict in _PLANS:
        return _PLANS[verdict]
    if verdict in _UNRATED:
        return _UNRATED[verdict]
    r = verdicts.rating(verdict, root)
    if r is None:
        raise KeyError(f"verdict {verdict!r} has no colour: not in the scale (data/datapackage.json, x-verdict-scale)")
    return _BY_RATING[r]


def ink_on(fill) -> str:
    """Text colour that reads on ``fill``: white on a dark fill, near-black on a light one (by relative luminance)."""
    r, g, b = to_rgb(fill)
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45 else INK


def verdict_ink(verdict: str, root: Path | None = None) -> str:
    """Text colour that reads on the verdict's colour."""
    return ink_on(verdict_colour(verdict, root))
