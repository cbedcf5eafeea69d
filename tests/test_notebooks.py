"""Notebooks are committed clean and run top to bottom in a fresh kernel."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from helpers.builder import notebooks
from helpers.facts.read import datapackage

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = notebooks(ROOT)
TABLES = [r["name"] for r in datapackage(ROOT)["resources"]]


def test_there_are_numbered_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name.startswith("01_")
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == list(range(1, len(numbers) + 1))


def _committed(path: Path) -> str:
    """The notebook as git stores it (the index, through the nbstripout filter); the file itself outside a checkout.
    The working copy may hold outputs that JupyterLab saved: the filter keeps them out of git."""
    import subprocess

    done = subprocess.run(["git", "show", f":{path.relative_to(ROOT).as_posix()}"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(_committed(path))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {i + 1} has outputs"
            assert cell.get("execution_count") is None, f"cell {i + 1} has an execution count"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    reads = nb["metadata"]["helpers"]["reads"]
    assert reads and set(reads) <= set(TABLES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_follows_the_notebook_anatomy(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert all("sys.path" not in c for c in code), "no sys.path tricks: helpers is installed"
    assert all("read_csv(" not in c for c in code), "tables are loaded through helpers, never read directly"
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and "what this shows" in last.source.lower(), "the last cell says what it shows"
    # prose that cannot go stale: what the closing words state is printed and asserted by the code cell before them
    before = nb.cells[-2]
    assert before.cell_type == "code" and re.search(r"^assert ", before.source, re.M), (
        f"{path.name}: the cell before the closing words asserts what they state"
    )
    # what a notebook reads is its metadata's declaration and what it writes the build's manifest: no header repeats them
    heads = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert not any(re.search(r"\*\*(Reads|Writes):?\*\*", h) for h in heads), f"{path.name}: a Reads/Writes header"


FIGURE_BODY_LINES = 40


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_is_drawn_for_each_width_in_a_visible_cell_of_at_most_40_lines(path):
    """A figure cell (the one defining draw(L)) is the figure body: at most 40 lines, text sizes from the layout (a typed
    size would be the same at page and column width), and it exports draw, not a figure drawn once and scaled."""
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    bodies = [c for c in code if re.search(r"^def draw\(L\):", c, re.M)]
    exports = sum(len(re.findall(r"\bexport\(", c)) for c in code)
    assert len(bodies) == exports, f"{path.name}: {exports} export(...) calls but {len(bodies)} figure cells with draw(L)"
    for body in bodies:
        n = len(body.rstrip().splitlines())
        assert n <= FIGURE_BODY_LINES, f"{path.name}: a figure cell of {n} lines (at most {FIGURE_BODY_LINES})"
    for c in code:
        typed = re.findall(r"fontsize=\d", c)
        assert not typed, f"{path.name}: a typed text size ({typed[0]}...): use L.text or L.small"
        assert not re.search(r"export\(fig", c), f"{path.name}: exports a figure drawn once; export draw (each width)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executes_top_to_bottom_without_errors(built, path):
    executed = nbformat.read(built / "reports" / "notebooks" / path.name, as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    assert (built / "reports" / "notebooks" / path.with_suffix(".html").name).stat().st_size > 10_000


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_table_a_notebook_shows_is_set_in_the_kit_style(built, path):
    """A table in a notebook is fx.table's (text left-aligned and whole, blanks for nothing, verdicts in colour), never
    pandas' raw repr with its right-aligned, cut text and NaN; and no output shows an object's address."""
    executed = nbformat.read(built / "reports" / "notebooks" / path.name, as_version=4)
    for n, cell in enumerate(executed.cells):
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html", "")
            assert 'class="dataframe' not in html, f"{path.name} cell {n}: a DataFrame shown raw; show it with fx.table"
            plain = out.get("data", {}).get("text/plain", "") + out.get("text", "")
            assert not re.search(r" at 0x[0-9a-f]+>", plain), f"{path.name} cell {n}: an object's address: {plain[:80]}"


def test_a_changed_value_the_closing_words_state_stops_the_build_at_their_check(tmp_path):
    """Notebook 11's closing words say about 1,000 French troops were in Niger alone in August 2022: make that record row
    an exact count and the build stops at the cell that checks the closing words, naming it, and publishes nothing."""
    import io

    from conftest import copy_collection

    from helpers.builder import build

    copy_collection(tmp_path)
    record = tmp_path / "data" / "record.csv"
    text = record.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("ob_barkhane_2022_08_niger_1000,"))
    assert ",soldiers,approximate," in row
    record.write_text(text.replace(row, row.replace(",soldiers,approximate,", ",soldiers,exact,")), encoding="utf-8")
    log = io.StringIO()
    results = build(root=tmp_path, only=["11"], out=log)
    assert [r.status for r in results] == ["failed"], log.getvalue()
    assert "what the closing words say" in results[0].message and "AssertionError" in results[0].message
    assert not (tmp_path / "reports" / "notebooks" / "11_french_forces_record.ipynb").exists()


def test_figure_bodies_say_what_to_draw_and_leave_where_to_the_kit():
    """Layout choices (legend place, wording that fits, tick density, sizes) are the kit's (fx.words, fx.wrap,
    fx.legend_below, fx.year_ticks, L.mark, L.gap, new_figure(lines=...)): fewer than 20 page/column pairs in all the
    notebooks, and no offset typed as a number of points or a fraction of the axes."""
    picks, typed = 0, []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            picks += len(re.findall(r"\bL\.pick\(|\bL\.narrow\b", cell.source))
            for m in re.finditer(r"(?:xytext|bbox_to_anchor)=\(([^()]*)\)", cell.source):
                literal = [p.strip() for p in m.group(1).split(",") if re.fullmatch(r"-?\d+(\.\d+)?", p.strip())]
                typed += [f"{path.name}: {m.group(0)}" for v in literal if float(v) != 0]  # a number, not in L's units
    assert picks < 20, f"{picks} page/column choices made by hand in the notebooks"
    assert not typed, f"offsets typed in figure bodies: {typed}"
