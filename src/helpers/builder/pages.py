"""The published copies of an executed notebook: the notebook itself and a self-contained HTML page."""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import write_atomic


def _title(nb) -> str:
    """The notebook's first heading, for the HTML page's <title>."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "Notebook"


# nbconvert's JupyterLab page with the collection's head: no script that reaches the network or loads nothing, and the
# stylesheet for WCAG 2 AA colours (publish/templates/nbconvert/collection/, an nbconvert template extending 'lab')
TEMPLATES = Path(__file__).parents[1] / "publish" / "templates" / "nbconvert"


def render_html(nb) -> str:
    """A self-contained HTML page, titled from the notebook's heading."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="collection", extra_template_basedirs=[str(TEMPLATES)])
    nb.metadata["title"] = _title(nb)
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": _title(nb)}})
    return html


def html_key(nb) -> str:
    """What a notebook's HTML page shows: every cell's type, source, outputs and execution count (not nbclient's
    timing metadata, which changes on every run), with the nbconvert version and this module's code."""
    import hashlib

    import nbconvert

    shown = [(c.cell_type, c.source, c.get("outputs", []), c.get("execution_count")) for c in nb.cells]
    h = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode())
    h.update(nbconvert.__version__.encode() + Path(__file__).read_bytes())
    for part in sorted((TEMPLATES / "collection").iterdir()):  # the page's template and stylesheet
        h.update(part.read_bytes())
    return h.hexdigest()


def publish_notebook(reports: Path, stem: str, nb, known_html: str = "") -> str:
    """Write the executed notebook and its HTML page; the page is rendered only if what it shows changed since the
    page on disk was rendered (``known_html``, its key in the build state): a forced build whose outputs came out the
    same does not render it again. Returns the page's key."""
    import nbformat

    out_dir = reports / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    key = html_key(nb)
    if key != known_html or not (out_dir / f"{stem}.html").is_file():
        write_atomic(out_dir / f"{stem}.html", render_html(nb))
    write_atomic(out_dir / f"{stem}.ipynb", nbformat.writes(nb))
    return key
