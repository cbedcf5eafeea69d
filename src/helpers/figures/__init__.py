"""Figures for reports: the house style (``theme``), evidence-aware drawing primitives (``marks``), finishing a
figure with its title, subtitle and source (``finishing``), the figure check (``figcheck``), export to every format
and width (``output``) and the provenance that travels with each mark (``provenance``).

A notebook imports the kit in one line, ``from helpers import figures as fx``, and calls what it needs from here:
``fx.new_figure``, ``fx.bar``, ``fx.finish``, ``fx.export``... Every name below is one of those modules'.
"""

from ..paths import figures_dir
from .figcheck import FigureCheckError, problems, smallest_text
from .finishing import FinishError, figure_texts, finish, fit, layout_of, new_figure, ordinal, set_plot_height, thousands
from .marks import (
    DAY,
    MarksError,
    band,
    bar,
    date_axis,
    day,
    days,
    evidence_handles,
    lower_bound,
    point,
    positions,
    span,
    timeline,
    x_of,
)
from .output import ExportError, describe, export, show
from .provenance import ProvenanceError, derived_row, gid, mark_titles, plotted_row, source_line, source_url, tag
from .theme import (
    COLUMN,
    DERIVED_COLOUR,
    EVIDENCE,
    LAYER_COLOURS,
    LAYOUTS,
    OUTSIDE_COLOUR,
    PAGE,
    PALETTE,
    SHARED_COLOUR,
    STORY_PALETTE,
    WARNING_COLOUR,
    Layout,
    StyleError,
    evidence_kinds,
    evidence_style,
    lighten,
    story_colours,
    style,
    verdict_colour,
    verdict_ink,
)

__all__ = [
    "COLUMN", "DAY", "DERIVED_COLOUR", "EVIDENCE", "LAYER_COLOURS", "LAYOUTS", "OUTSIDE_COLOUR", "PAGE", "PALETTE",
    "SHARED_COLOUR", "STORY_PALETTE", "WARNING_COLOUR", "ExportError", "FigureCheckError", "FinishError", "Layout",
    "MarksError", "ProvenanceError", "StyleError", "band", "bar", "date_axis", "day", "days", "derived_row",
    "describe", "evidence_handles", "evidence_kinds", "evidence_style", "export", "figure_texts", "figures_dir",
    "finish", "fit", "gid", "layout_of", "lighten", "lower_bound", "mark_titles", "new_figure", "ordinal",
    "plotted_row", "point", "positions", "problems", "set_plot_height", "show", "smallest_text", "source_line",
    "source_url", "span", "story_colours", "style", "tag", "thousands", "timeline", "verdict_colour", "verdict_ink",
    "x_of",
]  # fmt: skip
