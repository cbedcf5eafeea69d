"""The figure check, proved on figures made to fail: an overlapping label, a clipped label, a 4 pt text, two legend
entries drawn alike; and a failing figure stops the export with nothing written."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from matplotlib.patches import Patch

from helpers.figures import figcheck, marks
from helpers.figures.finishing import finish, new_figure
from helpers.figures.output import export
from helpers.figures.theme import COLUMN, PAGE, style

DATA = pd.DataFrame({"row_id": ["r1", "r2"], "source_id": "art_mali", "value": [3, 5], "quote": ["three", "five"]})


def _draw(fault: str | None = None):
    def draw(L):
        fig = new_figure(L, 2.0)
        ax = fig.add_subplot()
        for i, r in DATA.iterrows():
            marks.bar(ax, i, r["value"], row_id=r["row_id"], evidence="stated", colour="#1845fb")
        ax.set_xticks([0, 1], ["first", "second"])
        ax.set_ylabel("Count")
        if fault == "overlap":
            ax.text(0, 4, "a label on the bar", fontsize=L.text)
            ax.text(0.05, 4.05, "another label here", fontsize=L.text)
        if fault == "clipped":
            ax.text(0.8, 0.5, "a label running off the right edge of the canvas", transform=ax.transAxes, fontsize=L.text,
                    in_layout=False)  # fmt: skip
        if fault == "tiny":
            ax.text(0, 1, "tiny print", fontsize=4)
        if fault == "alike":
            ax.legend(handles=[Patch(facecolor="#1845fb", label="stated"), Patch(facecolor="#1845fb", label="planned")])
        return finish(fig, title="Five is more than three", subtitle="Counts", source="Source: a test.")

    return draw


def _problems(fault, layout=PAGE):
    with style(layout):
        fig = _draw(fault)(layout)
    return figcheck.problems(fig, layout.min_pt)


@pytest.mark.parametrize("layout", [PAGE, COLUMN], ids=["page", "column"])
def test_a_clean_figure_passes_at_both_widths(layout):
    assert _problems(None, layout) == []


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ("overlap", r"text 'a label on the bar' overlaps text 'another label here' by [\d.]+ x [\d.]+ pt"),
        ("clipped", r"text 'a label running off the right edge of the canvas' runs [\d.]+ pt outside the canvas"),
        ("tiny", r"text 'tiny print' is 4\.0 pt, under the 7 pt this width needs"),
        ("alike", r"legend entries 'stated' and 'planned' are drawn alike"),
    ],
)
def test_the_check_names_each_fault_and_its_size(fault, says):
    found = _problems(fault)
    assert len(found) >= 1 and any(re.fullmatch(says, p) for p in found), found


def test_six_point_text_passes_in_a_column_and_fails_on_a_page():
    """The smallest text allowed is the layout's: 6 pt in a column, 7 pt on a page."""

    def draw(L):
        fig = new_figure(L, 1.6)
        fig.add_subplot().text(0.1, 0.5, "six point", fontsize=6.0)
        return finish(fig, title="Six points", subtitle="A size", source="Source: a test.")

    for layout, ok in ((COLUMN, True), (PAGE, False)):
        with style(layout):
            fig = draw(layout)
        assert (figcheck.problems(fig, layout.min_pt) == []) is ok, layout.name


def test_a_failing_figure_stops_the_export_naming_it_and_writes_nothing(tmp_path):
    with pytest.raises(figcheck.FigureCheckError, match=r"figure 'bad' \(page layout\) fails the figure check:\n  - text"):
        export(_draw("overlap"), "bad", DATA, alt="Two bars.", directory=tmp_path)
    assert not list(tmp_path.iterdir())


def test_each_width_is_laid_out_not_scaled_and_its_smallest_text_is_recorded(tmp_path):
    import json

    from PIL import Image

    paths = export(_draw(), "good", DATA, alt="Two bars: three and five.", directory=tmp_path)
    meta = json.loads(paths["meta.json"].read_text(encoding="utf-8"))
    assert meta["layouts"]["page"]["width_cm"] == 17.0 and meta["layouts"]["column"]["width_cm"] == 8.5
    small = meta["smallest_text_pt"]
    assert small["good.column.png"] >= COLUMN.min_pt and small["good.png"] >= PAGE.min_pt
    assert small["good.column.png"] < small["good.png"], "the column has its own, smaller (but legible) type"
    with Image.open(paths["column.png"]) as col, Image.open(paths["png"]) as pg:
        assert abs(col.size[0] - 1004) <= 2 and abs(pg.size[0] - 1338) <= 2
        assert col.size[1] / col.size[0] > pg.size[1] / pg.size[0], "the column figure is not the page figure shrunk"
    svg = paths["svg"].read_text(encoding="utf-8")
    assert "<title>“five” · Source: the article, Mali story (Sept 2021) · row r2</title>" in svg
    assert meta["alt"] == "Two bars: three and five." and "three" in meta["description"] and "5" in meta["description"]
