"""Charts: export is atomic and reproducible, the CSVs hold data/'s values, evidence is drawn distinctly."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from helpers import charts, load_all

CHARTS = {
    # figure name: (data function, chart function, tables the CSV draws on)
    "french_drawdown": (charts.drawdown_data, charts.drawdown_chart),
    "casualties": (charts.casualties_data, charts.casualties_chart),
    "forces_mali_2021": (charts.forces_data, charts.forces_chart),
    "nato_iraq_timeline": (lambda t: charts.events_data(t, "nato"), charts.nato_chart),
    "timeline_both_stories": (charts.events_data, charts.timeline_chart),
}


@pytest.fixture(scope="module")
def tables():
    return load_all()


def _finished(tables, name: str) -> tuple[Figure, pd.DataFrame]:
    make_data, make_chart = CHARTS[name]
    data = make_data(tables)
    fig = make_chart(data)
    charts.finish(
        fig, title=f"A finding about {name}", subtitle="Units and scope", source=charts.source_line(tables, data), note="A note."
    )
    return fig, data


def _raw(root: Path, table: str) -> dict[str, dict]:
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def _gid_artists(fig: Figure) -> dict[str, object]:
    found = {}
    for ax in fig.axes:
        for artist in [*ax.patches, *ax.collections]:
            gid = artist.get_gid()
            if gid:
                found.setdefault(gid, artist)
    return found


# --------------------------------------------------------------------------- export


def test_two_exports_are_byte_identical(tables, tmp_path):
    for name in CHARTS:
        fig, data = _finished(tables, name)
        a = charts.export(fig, name, data, directory=tmp_path / "a")
        fig, data = _finished(tables, name)  # a new figure object, as a re-run would make
        b = charts.export(fig, name, data, directory=tmp_path / "b")
        assert set(a) == {"png", "svg", "pdf", "csv"}
        for ext in a:
            assert a[ext].read_bytes() == b[ext].read_bytes(), f"{name}.{ext} differs between two exports"


def test_export_embeds_no_date_or_version(tables, tmp_path):
    import matplotlib

    fig, data = _finished(tables, "casualties")
    paths = charts.export(fig, "casualties", data, directory=tmp_path)
    for ext in ("svg", "pdf"):
        raw = paths[ext].read_bytes()
        assert matplotlib.__version__.encode() not in raw, f"{ext} embeds the matplotlib version"
        assert b"CreationDate" not in raw and b"<dc:date>" not in raw, f"{ext} embeds a date"
    assert b"matplotlib version" not in paths["png"].read_bytes().lower()


def test_failed_export_leaves_previous_files_and_no_partial_file(tables, tmp_path, monkeypatch):
    fig, data = _finished(tables, "forces_mali_2021")
    good = charts.export(fig, "forces_mali_2021", data, directory=tmp_path)
    before = {ext: p.read_bytes() for ext, p in good.items()}

    real_savefig = Figure.savefig

    def failing_savefig(self, fname, *args, **kwargs):
        if kwargs.get("format") == "pdf":
            Path(fname).write_bytes(b"half a pdf")  # what a crash mid-write would leave
            raise OSError("disk full")
        return real_savefig(self, fname, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", failing_savefig)
    fig, data = _finished(tables, "forces_mali_2021")
    data.loc[0, "value"] = 1  # a different chart, which must not reach the disk
    with pytest.raises(OSError, match="disk full"):
        charts.export(fig, "forces_mali_2021", data, directory=tmp_path)
    after = {ext: p.read_bytes() for ext, p in good.items()}
    assert after == before, "a failed export changed the previous good files"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in good.values()), "temporary files left"


def test_formats_and_resolution_are_selectable(tables, tmp_path):
    from PIL import Image

    fig, data = _finished(tables, "casualties")
    paths = charts.export(fig, "casualties", data, formats=["png"], dpi=300, directory=tmp_path)
    assert set(paths) == {"png", "csv"}
    with Image.open(paths["png"]) as im:
        assert im.size == (round(fig.get_figwidth() * 300), round(fig.get_figheight() * 300))
    with pytest.raises(charts.ChartError, match="formats"):
        charts.export(fig, "casualties", data, formats=["jpg"], directory=tmp_path)


def test_export_refuses_unfinished_or_empty_charts(tables, tmp_path):
    data = charts.casualties_data(tables)
    with pytest.raises(charts.ChartError, match="not passed through charts.finish"):
        charts.export(charts.casualties_chart(data), "casualties", data, directory=tmp_path)
    fig, _ = _finished(tables, "casualties")
    with pytest.raises(charts.ChartError, match="no plotted data"):
        charts.export(fig, "casualties", data.iloc[0:0], directory=tmp_path)
    with pytest.raises(charts.ChartError, match="lower-case"):
        charts.export(fig, "../escape", data, directory=tmp_path)
    assert not any(tmp_path.iterdir())


# --------------------------------------------------------------------------- the built figures


def test_every_chart_is_built_in_every_format(built):
    figures = built / "reports" / "figures"
    for name in CHARTS:
        for ext in ("png", "svg", "pdf", "csv"):
            path = figures / f"{name}.{ext}"
            assert path.is_file() and path.stat().st_size > (100 if ext == "csv" else 2000), f"{path.name} missing or empty"


def test_chart_csvs_hold_the_values_in_data(built):
    raw = {t: _raw(built, t) for t in ("troops", "casualties", "events")}
    figures = built / "reports" / "figures"
    checked = 0
    for name in CHARTS:
        with open(figures / f"{name}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert rows, f"{name}.csv is empty"
        for r in rows:
            table = r["table"]
            if table == "derived":
                continue
            src = raw[table].get(r["row_id"])
            assert src is not None, f"{name}.csv cites {table} row {r['row_id']!r}, which data/ lacks"
            assert r["source_id"] == src["source_id"], f"{name}.csv row {r['row_id']}: source differs from data/"
            if table == "troops":
                assert r["value"] == src["value"], f"{name}.csv row {r['row_id']}: value {r['value']} != {src['value']}"
            if table == "casualties":
                assert r["deaths"] == src["deaths"] and r["until"] == src["date"], f"{name}.csv row {r['row_id']}"
            if table == "events" and "date" in r:
                assert r["date"] == src["date"] and r["date_end"] == src["date_end"], f"{name}.csv row {r['row_id']}: date"
            if table == "events":
                # the drawn span starts where the written date does ("2021-12" starts on 2021-12-01)
                assert r["start"][: len(src["date"])] == src["date"], f"{name}.csv row {r['row_id']}: start {r['start']}"
            checked += 1
    assert checked >= 20
    # the timeline draws every event, the NATO chart every NATO event
    with open(figures / "timeline_both_stories.csv", encoding="utf-8") as fh:
        assert {r["row_id"] for r in csv.DictReader(fh)} == set(raw["events"])
    with open(figures / "nato_iraq_timeline.csv", encoding="utf-8") as fh:
        assert {r["row_id"] for r in csv.DictReader(fh)} == {k for k, v in raw["events"].items() if v["story"] == "nato"}


def test_derived_values_are_computed_from_the_stated_ones(built):
    troops, cas = _raw(built, "troops"), _raw(built, "casualties")
    figures = built / "reports" / "figures"
    drawdown = pd.read_csv(figures / "french_drawdown.csv").set_index("series")
    implied = int(troops["tr_french_2021"]["value"]) - int(troops["tr_french_cut_2023"]["value"])
    assert drawdown.loc["level implied for 2023", "value"] == implied
    assert drawdown.loc["level implied for 2023", "evidence"] == "derived"
    casualties = pd.read_csv(figures / "casualties.csv").set_index("series")
    assert casualties.loc["earlier deaths", "deaths"] == int(cas["cas_french_total"]["deaths"]) - int(cas["cas_blasco"]["deaths"])
    assert casualties.loc["Maxime Blasco", "age"] == int(cas["cas_blasco"]["age"])


def test_a_corrected_fact_reaches_the_chart_data(scratch):
    scratch.edit("troops", "tr_eutm_personnel", "value", "800")
    scratch.edit("troops", "tr_eutm_personnel", "quote", "nearly 800 soldiers")
    with pytest.raises(Exception, match="tr_eutm_personnel"):
        charts.forces_data(load_all(scratch.root))  # the quote is not in the source: refused, not drawn


# --------------------------------------------------------------------------- evidence drawn distinctly


def test_drawdown_styles_stated_planned_and_derived_differently(tables):
    fig, _ = _finished(tables, "french_drawdown")
    art = _gid_artists(fig)
    stated = art["tr_french_2021:stated"]
    planned = art["tr_french_cut_2023:planned"]
    derived = art["derived:derived"]
    bases = art["bases:planned"]
    assert isinstance(stated, Rectangle)
    assert stated.get_hatch() is None and stated.get_linestyle() == "-"
    assert planned.get_linestyle() == "--" and planned.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert derived.get_hatch() == "..." and derived.get_linestyle() == ":"
    assert bases.get_linestyle() == "--"
    assert stated.get_facecolor() != planned.get_facecolor()
    # the lower bound is drawn as one: an arrow rises from the bar and the label says "over"
    arrows = [a for a in fig.axes[0].texts if getattr(a, "arrow_patch", None) is not None]
    assert any(a.xy[1] > 5000 and a.xyann[1] == 5000 for a in arrows)
    assert any("over 5,000" in t.get_text() and "lower bound" in t.get_text() for t in fig.axes[0].texts)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert charts.EVIDENCE["planned"]["label"] in legend and charts.EVIDENCE["derived"]["label"] in legend


def test_forces_chart_marks_reported_and_lower_bound(tables):
    fig, data = _finished(tables, "forces_mali_2021")
    art = _gid_artists(fig)
    wagner = art["tr_wagner_personnel:reported"]
    french = art["tr_french_2021:stated"]
    assert wagner.get_hatch() == "xxx" and wagner.get_linestyle() == ":"
    assert french.get_hatch() is None
    assert any(t.get_text().startswith("over 5,000") for t in fig.axes[0].texts)
    assert "reported" in " ".join(t.get_text() for t in fig.axes[0].get_legend().get_texts())


def test_timeline_marks_inferred_planned_and_outside_events(tables):
    fig, data = _finished(tables, "timeline_both_stories")
    art = _gid_artists(fig)
    assert len(art) == len(data), "every event is drawn once"
    styles = {}
    for gid, a in art.items():
        row_id, evidence = gid.split(":")
        expected = data.set_index("row_id").loc[row_id, "evidence"]
        assert evidence == expected
        if isinstance(a, PathCollection):
            hatch, ls = a.get_hatch(), a.get_linestyle()[0]
            face = tuple(a.get_facecolor()[0][:3])
        else:
            hatch, ls, face = a.get_hatch(), a.get_linestyle(), tuple(a.get_facecolor()[:3])
        styles.setdefault(evidence, set()).add((hatch, str(ls), evidence == "outside" and face))
    assert {"stated", "inferred", "planned", "outside"} <= set(styles)
    for kind, seen in styles.items():
        others = set().union(*(v for k, v in styles.items() if k != kind))
        assert not seen & others, f"{kind} events are drawn like other kinds: {seen & others}"
    assert all(hatch == "////" for hatch, _, _ in styles["inferred"])


def test_finish_writes_title_subtitle_source_and_note(tables):
    fig, data = _finished(tables, "nato_iraq_timeline")
    assert charts.figure_texts(fig, "title") == "A finding about nato_iraq_timeline"
    assert charts.figure_texts(fig, "subtitle") == "Units and scope"
    source = charts.figure_texts(fig, "source")
    assert source.startswith("Source:")
    src = tables["sources"].set_index("id")
    for sid in set(data["source_id"]):
        if src.loc[sid, "kind"] == "outside":
            assert src.loc[sid, "publisher"] in source and src.loc[sid, "date"] in source
    assert charts.figure_texts(fig, "note") == "Note: A note."
    with pytest.raises(charts.ChartError, match="title and a source"):
        charts.finish(charts.nato_chart(data), title="", subtitle="", source="")


def test_source_line_refuses_an_unknown_source(tables):
    data = charts.casualties_data(tables).assign(source_id="no_such_source")
    with pytest.raises(charts.ChartError, match="no_such_source"):
        charts.source_line(tables, data)
