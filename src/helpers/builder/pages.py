"""The published copies of an executed notebook: the notebook itself and a self-contained HTML page."""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _title(nb) -> str:
    """The notebook's first heading, for the HTML page's <title>."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "Notebook"


def render_html(nb) -> str:
    """A self-contained HTML page (no require.js or MathJax from a CDN), titled from the notebook's heading."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.require_js_url = ""
    exporter.mathjax_url = ""
    nb.metadata["title"] = _title(nb)
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": _title(nb)}})
    return _readable(_offline(html))


CSS = Path(__file__).parents[1] / "publish" / "templates" / "notebook.css"


def _readable(html: str) -> str:
    """The page with the collection's stylesheet for notebook pages (``publish/templates/notebook.css``: colours that
    meet WCAG 2 AA contrast) after nbconvert's own styles."""
    style = "<style>\n" + CSS.read_text(encoding="utf-8") + "</style>\n"
    return html.replace("</head>", style + "</head>", 1)


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)


def _offline(html: str) -> str:
    """Drop the scripts that would reach the network or load nothing: an emptied require.js or MathJax tag
    (``src=""`` asks for the page itself) and the loader that imports mermaid from a CDN. The notebooks use
    neither maths nor diagrams; the page needs no script to show its outputs."""

    def keep(m: re.Match) -> str:
        attrs, body = m.group(1), m.group(2)
        if 'src=""' in attrs or "https://" in body or "text/x-mathjax-config" in attrs:
            return ""
        return m.group(0)

    return _SCRIPT.sub(keep, html)


def html_key(nb) -> str:
    """What a notebook's HTML page shows: every cell's type, source, outputs and execution count (not nbclient's
    timing metadata, which changes on every run), with the nbconvert version and this module's code."""
    import hashlib

    import nbconvert

    shown = [(c.cell_type, c.source, c.get("outputs", []), c.get("execution_count")) for c in nb.cells]
    h = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode())
    h.update(nbconvert.__version__.encode() + Path(__file__).read_bytes() + CSS.read_bytes())
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
