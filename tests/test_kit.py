"""The kit: finish, export (atomic, reproducible, selectable), marks in their evidence styles, provenance in the SVG."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from PIL import Image

from helpers import figures as fx
from helpers.facts import load_all, stories
from helpers.figures import marks
from helpers.figures.finishing import FinishError, figure_texts, finish, new_figure
from helpers.figures.output import ExportError, export
from helpers.figures.provenance import ProvenanceError, source_line, source_url
from helpers.figures.theme import EVIDENCE, OUTSIDE_COLOUR, PAGE, evidence_style


@pytest.fixture(scope="module")
def tables():
    return load_all()


KINDS = ("stated", "inferred", "planned", "reported", "derived", "outside")


def _draw(tables, kinds=KINDS):
    """A draw(layout) function for a small figure with one bar per evidence kind, each tagged with a made-up row id,
    and its data."""
    data = pd.DataFrame({"row_id": [f"row_{k}" for k in kinds], "source_id": "art_mali", "value": range(len(kinds)),
                         "quote": [f"words of {k}" for k in kinds]})  # fmt: skip

    def draw(layout):
        fig = new_figure(layout, 2.0)
        ax = fig.add_subplot()
        for i, k in enumerate(kinds):
            marks.bar(ax, i, 10 + i, row_id=f"row_{k}", evidence=k, colour="#1845fb", url=f"https://example.org/{k}")
        ax.set_xlabel("x")
        return finish(fig, title="A finding", subtitle="Units and scope", source=source_line(tables, data), note="A note.")

    return draw, data


def _figure(tables, kinds=KINDS, layout=PAGE):
    draw, data = _draw(tables, kinds)
    return draw(layout), data


def _svg_styles(svg: str) -> dict[str, str]:
    """The path style inside each tagged group, by the group's id."""
    out = {}
    for m in re.finditer(r'<g id="(row_[a-z]+)\.([a-z]+)">(.*?)</g>', svg, re.S):
        out[m.group(2)] = " ".join(re.findall(r'style="([^"]*)"', m.group(3)))
    return out


def test_every_evidence_kind_is_drawn_differently_in_the_svg(tables, tmp_path):
    draw, data = _draw(tables)
    svg = export(draw, "kinds", data, alt="Six bars.", directory=tmp_path)["svg"].read_text(encoding="utf-8")
    styles = _svg_styles(svg)
    assert set(styles) == set(EVIDENCE), styles.keys()
    assert len(set(styles.values())) == len(EVIDENCE), "two evidence kinds share a style"
    assert "stroke-dasharray" in styles["planned"] and "stroke-dasharray" not in styles["stated"]
    assert "url(#h" in svg, "hatched kinds carry a hatch pattern"
    for k in EVIDENCE:
        assert f'xlink:href="https://example.org/{k}"' in svg, f"the {k} mark has no source link"
    assert OUTSIDE_COLOUR.lower().lstrip("#") in styles["outside"].lower()


def test_two_exports_are_byte_identical_and_embed_no_date(tables, tmp_path):
    draw, data = _draw(tables)
    a = export(draw, "same", data, alt="Six bars.", directory=tmp_path / "a")
    draw, data = _draw(tables)
    b = export(draw, "same", data, alt="Six bars.", directory=tmp_path / "b")
    assert set(a) == {"png", "svg", "pdf", "csv", "plain.png", "plain.svg", "plain.pdf", "column.png", "column.svg",
                      "column.pdf", "meta.json"}  # fmt: skip
    for ext in a:
        assert a[ext].read_bytes() == b[ext].read_bytes(), f".{ext} differs between two exports"
    assert b"CreationDate" not in a["pdf"].read_bytes() and b"<dc:date>" not in a["svg"].read_bytes()


def _embedded_fonts(pdf: bytes) -> list:
    """The TrueType fonts embedded in a PDF (its /FontFile2 streams), read back with fontTools."""
    import io
    import zlib

    from fontTools.ttLib import TTFont

    fonts = []
    for m in re.finditer(rb"/FontFile2 (\d+) 0 R", pdf):
        obj = re.search(rb"\n" + m.group(1) + rb" 0 obj\n<<(.*?)>>\nstream\n", pdf, re.S)
        length = int(re.search(rb"/Length (\d+)", obj.group(1)).group(1))
        fonts.append(TTFont(io.BytesIO(zlib.decompress(pdf[obj.end() : obj.end() + length]))))
    return fonts


def test_pdf_fonts_are_embedded_as_text_without_their_layout_tables(tables, tmp_path):
    """The PDF embeds its fonts (text stays text) without the OpenType layout tables no PDF viewer reads, whose
    subsetting was most of a PDF's cost; fontTools' defaults are restored after the save."""
    from fontTools import subset

    before = list(subset.Options._drop_tables_default)
    draw, data = _draw(tables)
    paths = export(draw, "fonts", data, alt="Six bars.", formats=("pdf",), variants=False, directory=tmp_path)
    fonts = _embedded_fonts(paths["pdf"].read_bytes())
    assert fonts, "the PDF embeds its fonts"
    for font in fonts:
        assert "glyf" in font and "cmap" in font, "each font keeps its outlines and character map"
        kept = [t for t in ("GSUB", "GPOS", "GDEF", "kern") if t in font]
        assert not kept, f"layout tables embedded: {kept}"
    assert subset.Options._drop_tables_default == before, "fontTools' defaults restored after the save"


def test_failed_export_leaves_previous_files_and_no_partial_file(tables, tmp_path, monkeypatch):
    draw, data = _draw(tables)
    good = export(draw, "atomic", data, alt="Six bars.", directory=tmp_path)
    before = {k: p.read_bytes() for k, p in good.items()}
    draw, data = _draw(tables, kinds=("stated",))
    fig = draw(PAGE)
    real = type(fig).savefig

    def fail_on_pdf(self, fname, *args, **kwargs):
        if str(fname).endswith(".pdf"):
            raise OSError("disk full")
        return real(self, fname, *args, **kwargs)

    monkeypatch.setattr(type(fig), "savefig", fail_on_pdf)
    with pytest.raises(OSError, match="disk full"):
        export(draw, "atomic", data, alt="One bar.", directory=tmp_path)
    assert {k: p.read_bytes() for k, p in good.items()} == before, "a failed export changed the previous files"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in good.values()), "temporary files left"


def test_formats_and_resolution_are_selectable(tables, tmp_path):
    fig, data = _figure(tables)
    paths = export(fig, "sized", data, formats=["png"], dpi=300, directory=tmp_path, variants=False)
    assert set(paths) == {"png", "csv"}
    with Image.open(paths["png"]) as im:
        want = (fig.get_figwidth() * 300, fig.get_figheight() * 300)
        assert all(abs(got - w) <= 1 for got, w in zip(im.size, want, strict=True)), (im.size, want)


def test_export_refuses_unfinished_or_empty_figures(tables, tmp_path):
    fig = new_figure()
    with pytest.raises(ExportError, match="finish"):
        export(fig, "raw", pd.DataFrame({"a": [1]}), alt="x", directory=tmp_path)
    fig, _ = _figure(tables)
    with pytest.raises(ExportError, match="no plotted data"):
        export(fig, "empty", pd.DataFrame(), alt="x", directory=tmp_path)
    with pytest.raises(ExportError, match="lower-case"):
        export(fig, "Bad Name", pd.DataFrame({"a": [1]}), alt="x", directory=tmp_path)
    with pytest.raises(ExportError, match="alt="):
        export(fig, "no_alt", pd.DataFrame({"a": [1]}), directory=tmp_path)
    with pytest.raises(ExportError, match="another layout"):
        export(lambda layout: _figure(tables)[0], "wrong_width", pd.DataFrame({"a": [1]}), alt="x", directory=tmp_path)
    with pytest.raises(FinishError):
        finish(new_figure(), title="", subtitle="s", source="")
    assert not any(tmp_path.iterdir())


def test_finish_writes_title_subtitle_source_and_note(tables):
    fig, data = _figure(tables)
    assert figure_texts(fig, "title") == "A finding"
    assert figure_texts(fig, "subtitle") == "Units and scope"
    source = figure_texts(fig, "source")
    assert source.startswith("Source:") and stories(tables)["mali"]["label"].split(" (")[0] in source
    assert figure_texts(fig, "note") == "Note: A note."


def test_source_line_is_fit_to_print_and_refuses_unknown_sources(tables):
    """The article by headline, byline and story date, outside reporting by who reported it; no path, URL or inference
    note."""
    data = pd.DataFrame({"source_id": ["art_nato", "hurriyet_2020_01_04", "burkinainfo_2021_09_24"]})
    line = source_line(tables, data)
    src = tables["sources"].set_index("id")
    assert src.loc["seed_000", "title"] in line and src.loc["seed_000", "author"] in line
    assert "NATO story, 12–13 February 2020" in line
    hurriyet = str(src.loc["hurriyet_2020_01_04", "publisher"]).split(" (")[0]
    # the reporting organisation is credited, with the site it was read on where that differs
    assert src.loc["burkinainfo_2021_09_24", "origin"] == "Faso7" and "Faso7 (read on Burkina Info)" in line
    assert src.loc["hurriyet_2020_01_04", "origin"] == "Anadolu Agency" and f"Anadolu Agency (read on {hurriyet})" in line
    for leak in ("seeds/", ".txt", "http", "inference", ".csv"):
        assert leak not in line, f"{leak!r} in a printed source line: {line}"
    with pytest.raises(ProvenanceError, match="atlantis"):
        source_line(tables, pd.DataFrame({"source_id": ["atlantis"]}))
    assert source_url(tables, "art_mali") == src.loc["seed_000", "path"]


def test_unknown_evidence_kind_is_refused():
    with pytest.raises(ValueError, match="unknown evidence 'rumour'"):
        evidence_style("rumour", "#000000")


def test_a_timeline_with_too_many_rows_stops_with_a_clear_message():
    rows = pd.DataFrame({"row_id": [f"r{i}" for i in range(marks.MAX_LABELLED + 1)], "story": "mali", "label": "x",
                         "start": pd.Timestamp("2021-01-01"), "end": pd.Timestamp("2021-01-01"), "time_precision": 1,
                         "date_relation": "on", "date_basis": "stated", "evidence": "stated",
                         "source_id": "art_mali"})  # fmt: skip
    fig = new_figure()
    with pytest.raises(marks.MarksError, match=rf"too many rows .*: {marks.MAX_LABELLED + 1} > {marks.MAX_LABELLED}; filter"):
        marks.timeline(fig.add_subplot(), rows, {"mali": "#000000"}, min_marker_days=3)


def test_loading_validated_tables_imports_neither_geopandas_nor_pandera_nor_matplotlib():
    """A notebook that only reads tables (as the build runs it: validated once, the fingerprint passed down) pays for
    pandas and nothing heavier; maps import geopandas when they draw."""
    import os
    import subprocess
    import sys

    from helpers import paths
    from helpers.facts.load import fingerprint

    code = "import sys, helpers.facts; t = helpers.facts.load_all(); t['troops']; " \
           "print(sorted(m for m in ('geopandas', 'pandera', 'matplotlib') if m in sys.modules))"  # fmt: skip
    env = dict(os.environ, **{paths.VALIDATED_ENV: fingerprint(paths.project_root())})
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"loading tables imported {done.stdout.strip()}"


def test_a_band_covers_its_period_both_ends_included_and_carries_its_row():
    fig = new_figure()
    ax = fig.add_subplot()
    patch = marks.band(ax, pd.Timestamp("2021-12-01"), pd.Timestamp("2021-12-31"), row_id="ev_x", evidence="planned",
                       colour="#1845fb", url="https://example.org/x")  # fmt: skip
    x0, x1 = patch.get_x(), patch.get_x() + patch.get_width()
    assert (x0, x1) == (marks.x_of("2021-12-01"), marks.x_of("2022-01-01")), "31 days, the last one included"
    assert patch.get_gid() == "ev_x.planned" and patch.get_url() == "https://example.org/x"
    assert patch.get_linestyle() == "--", "drawn in the evidence style of a plan"


def test_a_timeline_returns_the_line_of_each_row_where_its_mark_is_drawn():
    rows = pd.DataFrame({
        "row_id": ["ev_a", "ev_b", "ev_c"], "story": ["s"] * 3, "label": ["a", "b", "c"],
        "start": pd.to_datetime(["2020-01-04", "2020-02-01", "2020-03-01"]),
        "end": pd.to_datetime(["2020-01-04", "2020-02-29", "2020-03-31"]), "time_precision": [1, 3, 3],
        "date_relation": ["on", "by", "on"], "date_basis": ["stated", "stated", "inferred"],
        "evidence": ["stated", "planned", "outside"], "source_id": ["src"] * 3,
    })  # fmt: skip
    ax = new_figure().add_subplot()
    ys = marks.timeline(ax, rows, {"s": "#1845fb"}, min_marker_days=10)
    assert ys == marks.positions(rows) == {"ev_a": 2, "ev_b": 1, "ev_c": 0}, "first row on top"
    drawn = {}
    for artist in [*ax.collections, *ax.patches]:
        rid = (artist.get_gid() or "").split(".")[0]
        if rid in ys:  # a diamond's offset, or a span's centre line
            offsets = artist.get_offsets() if hasattr(artist, "get_offsets") else None
            drawn[rid] = offsets[0][1] if offsets is not None else artist.get_y() + artist.get_height() / 2
    assert drawn == ys, "each row's mark sits on the line returned for it"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert [labels[ys[r]] for r in rows["row_id"]] == ["a", "b", "c *"], "each row's label on its line"
    with pytest.raises(marks.MarksError, match="distinct row ids"):
        marks.positions(pd.DataFrame({"row_id": ["ev_a", "ev_a"]}))


def test_a_derived_row_names_its_rows_quotes_nobody_and_says_how_it_was_derived():
    from helpers.figures.provenance import derived_row, mark_titles

    level = {"id": "tr_level", "source_id": "art", "quote": "over 5,000"}
    cut = {"id": "tr_cut", "source_id": "art", "quote": "by two thousand"}
    row = derived_row([level, cut], "-", "derived: 5,000+ minus 2,000", value=3000, evidence="stated")
    assert row["row_id"] == "tr_level - tr_cut" and row["table"] == "derived" and row["source_id"] == "art"
    assert row["quote"] is None and row["evidence"] == "derived", "no source says it; it is ours"
    assert mark_titles(pd.DataFrame([row]), None)["tr_level - tr_cut"].startswith("derived: 5,000+ minus 2,000")
    for bad in ([[level], "-", "x"], [[level, cut], "*", "x"], [[level, cut], "-", " "]):
        with pytest.raises(ProvenanceError):
            derived_row(*bad)


def test_a_long_list_of_reporters_names_the_most_cited_and_counts_the_rest(tables):
    from helpers.figures.provenance import NAMED

    src = tables["sources"]
    outside = src[(src["kind"] == "outside") & src["origin"].isna()].drop_duplicates("publisher").head(NAMED + 3)
    line = source_line(tables, pd.DataFrame({"source_id": list(outside["id"])}))
    assert line.endswith(", and 3 other outlets."), line


def test_words_are_listed_as_a_reader_lists_them_and_counts_keep_their_qualifier():
    assert fx.listed(["Kidal"]) == "Kidal"
    assert fx.listed(["Kidal", "Tessalit"]) == "Kidal and Tessalit"
    assert fx.listed(["met", "partly met", "reversed"], "or") == "met, partly met or reversed"
    with pytest.raises(fx.FinishError, match="nothing to list"):
        fx.listed([])
    assert fx.qualified(5000, "lower_bound") == "over 5,000" and fx.qualified(3000, "approximate") == "about 3,000"
    assert fx.qualified(2500, "range", 3000) == "2,500–3,000" and fx.qualified(700, "exact") == "700"
    assert fx.bound_words("lower_bound") == "a lower bound"
    with pytest.raises(fx.FinishError, match="unknown bound 'roughly'"):
        fx.qualified(1, "roughly")


def test_a_table_reads_as_text_with_blanks_dates_and_verdicts_in_their_colours():
    df = pd.DataFrame({
        "id": ["cl_a", "cl_b"],
        "verdict": ["contradicted", pd.NA],
        "reason": ["A reason long enough to be a sentence that a reader wants whole, not cut with an ellipsis.", None],
        "date": pd.to_datetime(["2021-09-24", None]),
        "value": [5000.0, float("nan")],
    })  # fmt: skip
    t = fx.table(df)
    html = t.to_html()
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    assert [c.strip() for c in cells] == ["cl_a", "contradicted", df.loc[0, "reason"], "2021-09-24", "5000",
                                          "cl_b", "", "", "", ""]  # fmt: skip
    assert f"background-color: {fx.verdict_colour('contradicted')}" in html
    assert re.search(r"td\.col2 \{[^}]*text-align: left;[^}]*white-space: normal", html), "text is left-aligned, wrapped"
    assert "<th" in html and 'class="row_heading' not in html, "the row numbers are hidden"
    assert html == fx.table(df).to_html(), "the same table, the same HTML (ids from its content)"
    assert "0x" not in repr(t) and "cl_a" in repr(t), "the plain form shows the rows, not an address"
    marked = fx.table(df, highlight=df["id"] == "cl_b").to_html()
    assert re.search(r"row1_col0[^{]*\{[^}]*background-color: #fde0c5", marked)


def test_a_table_refuses_a_verdict_not_in_the_scale_naming_column_and_row():
    df = pd.DataFrame({"id": ["cl_a", "cl_b"], "settled_verdict": ["accurate", "mostly true"]})
    with pytest.raises(fx.TableError, match=r"column 'settled_verdict', row 1: 'mostly true' is not a verdict"):
        fx.table(df)


def test_a_long_table_shows_its_first_rows_and_says_how_many_there_are():
    df = pd.DataFrame({"id": [f"r{i}" for i in range(300)]})
    html = fx.table(df, max_rows=50).to_html()
    assert html.count("<tr>") == 51 and "The first 50 of 300 rows." in html
    assert "The first" not in fx.table(df.head(50), max_rows=50).to_html()


def test_the_layout_primitives_choose_from_the_room_the_figure_has():
    """The same call gives each width its own choice: the fullest wording that fits, a wrap at the measured width that
    keeps a no-break space, fewer year ticks on a narrow axis, and a data area the asked number of text lines tall."""
    import matplotlib.dates as mdates

    from helpers.figures.theme import COLUMN

    long, short = "Date (bars span the month or year the article gives, diamonds a day)", "Date"
    chosen = {}
    for layout in (PAGE, COLUMN):
        fig = new_figure(layout, lines=10)
        ax = fig.add_subplot()
        ax.set_xlim(mdates.datestr2num("2000-01-01"), mdates.datestr2num("2014-01-01"))
        fx.year_ticks(ax)
        chosen[layout.name] = (fx.words(ax, long, short), ax.xaxis.get_major_locator().base.step)
        wrapped = fx.wrap(ax, "one two three four five six seven eight\u00a0nine", room=0.6)
        assert "eight\u00a0nine" in wrapped and max(len(line) for line in wrapped.split("\n")) < 20
        finish(fig, title="A finding", subtitle="Units", source="Source: a test")
        height = ax.get_position().height * fig.get_figheight()
        assert abs(height - 10 * layout.text * 1.22 / 72) < 0.02, f"{layout.name}: data area {height:.2f} in"
    assert chosen["page"][0] == long and chosen["column"][0] == short
    assert chosen["page"][1] < chosen["column"][1], "a narrow axis gets fewer year ticks"
