"""The report kit: what a report writer takes from the collection, in one place, offline.

After a build, ``publish`` writes, from the figures' ``*.meta.json`` (see ``export``):

- ``reports/figures.json``, the manifest: every figure's title, subtitle, caption, alt text, source line, note, the
  notebook that made it, its data CSV, each file with its SHA-256, and the commit it was built from;
- ``reports/index.html``, the front page: the notebooks, a gallery of every figure (image, alt text, caption, source,
  a download link for each format and size), and the data tables and claims ledger as downloads. It opens from disk
  (``file://``) and loads nothing from the network;
- ``reports/claims.html``, the claims ledger as a page: one anchored section per claim and plan, filterable and
  searchable offline (``claims_page``); each ClaimReview's ``url`` points to its section;
- ``reports/figure-book.pdf``: every figure with its caption and source, one per page;
- ``reports/data/``: copies of the tables, the schema and the ClaimReview file, so the page's links work wherever
  ``reports/`` is copied.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import textwrap
from functools import lru_cache
from pathlib import Path

from .. import paths
from ..atomic import atomic_files
from .render import render

SIZE_LABELS = {"png": "PNG 17 cm, 200 dpi", "svg": "SVG (text editable)", "pdf": "PDF (fonts embedded)", "plain.png": "plain PNG",
               "plain.svg": "plain SVG", "plain.pdf": "plain PDF",
               "column.png": "column PNG 8.5 cm, 300 dpi", "column.svg": "column SVG", "column.pdf": "column PDF",
               "csv": "data (CSV)"}  # fmt: skip


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start_commit(root: Path):
    """Start asking git which commit the outputs are built from; returns a function that waits for the answer: the
    commit ('+dirty' when data, seeds, notebooks or src differ from it) or 'unknown'. Started early, git's work (which
    runs the notebook filter on every changed notebook) overlaps with the build's."""
    try:
        head = subprocess.Popen(["git", "rev-parse", "HEAD"], cwd=root, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)  # fmt: skip
        status = subprocess.Popen(["git", "status", "--porcelain", "--", "data", "seeds", "notebooks", "src"], cwd=root,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    except OSError:
        return lambda: "unknown"

    def answer() -> str:
        try:
            sha, _ = head.communicate(timeout=30)
            dirty, _ = status.communicate(timeout=30)
        except subprocess.SubprocessError:
            head.kill(), status.kill()
            return "unknown"
        if head.returncode != 0:
            return "unknown"
        return sha.strip() + ("+dirty" if dirty.strip() else "")

    return answer


def commit(root: Path) -> str:
    """The commit the outputs were built from ('+dirty' when the working tree differs), or 'unknown'."""
    return start_commit(root)()


def figure_entry(root: Path, meta_path: Path, notebook: str) -> dict:
    """One figure's manifest entry: its meta file, the notebook that made it, and each file with its checksum."""
    figures = paths.published_figures(root)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    files = {k: {"path": f"figures/{f}", "sha256": _sha256(figures / f)} for k, f in meta["files"].items()
             if (figures / f).is_file()}  # fmt: skip
    return meta | {"notebook": notebook, "files": files}


def manifest(root: Path, made_by: dict[str, str], built_from: str | None = None) -> dict:
    """Every exported figure, from its meta file, with checksums; ``made_by`` maps a figure file to its notebook."""
    figures = paths.published_figures(root)
    out = []
    for meta_path in sorted(figures.glob("*.meta.json")):
        name = meta_path.name[: -len(".meta.json")]
        out.append(figure_entry(root, meta_path, made_by.get(f"{name}.png", "")))
    return {"commit": built_from or commit(root), "figures": out}


def _notebook_title(path: Path) -> str:
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return path.stem
    for c in cells:
        src = "".join(c.get("source", ""))
        if c.get("cell_type") == "markdown" and src.startswith("#"):
            return src.splitlines()[0].lstrip("#").strip()
    return path.stem


def collection_title(root: Path) -> str:
    """The collection's title, from its data package (the kit names no collection of its own)."""
    return str(json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8")).get("title", root.name))


def findings_html(tables, label) -> str:
    """What the collection found, from the ledger and the scorecard: each contradicted claim in one line, each plan and
    what became of it. ``label`` names a verdict for a reader."""
    from .claims_page import readers

    claims, plans = tables["claims"], tables["plans"]
    reviews = {(r["item_table"], r["item_id"]): r for _, r in tables["reviews"].iterrows()}
    bad = claims[claims["verdict"] == "contradicted"]
    counts = claims["verdict"].astype(str).value_counts()

    def behind(table: str, row_id) -> int:
        return readers(reviews[(table, str(row_id))]) if (table, str(row_id)) in reviews else 1

    return render(
        "findings.html",
        n_claims=len(claims),
        summary=", ".join(f"{n} {str(v).replace('_', ' ')}" for v, n in counts.items() if n),
        contradicted=[{"id": str(r["id"]), "quote": str(r["quote"]), "reason": str(r["reason"]),
                       "readers": behind("claims", r["id"])} for _, r in bad.iterrows()],
        plans=[{"id": str(r["id"]), "plan": str(r["plan"]), "label": label(str(r["verdict"])),
                "outcome_date": str(r["outcome_date"]), "reason": str(r["reason"]), "readers": behind("plans", r["id"])}
               for _, r in plans.iterrows()],
    )  # fmt: skip


def _reading_order(man: dict) -> list[dict]:
    """The figures in the order a reader meets them: by notebook, then as the manifest lists them."""
    return sorted(man["figures"], key=lambda f: (f.get("notebook") or "~", f["name"]))


def index_html(root: Path, man: dict, findings: str = "") -> str:
    """The front page: what the collection found (``findings``, drawn by ``findings_html``), the notebooks, every figure
    with its texts and downloads, and the data files."""
    from markupsafe import Markup

    notebooks = sorted(paths.published_notebooks(root).glob("*.html"))
    titles = {p.name: _notebook_title(root / "notebooks" / (p.stem + ".ipynb")) for p in notebooks}
    from PIL import Image

    figures = []
    for f in _reading_order(man):
        stem = Path(f["notebook"]).stem
        with Image.open(paths.reports_dir(root) / f["files"]["png"]["path"]) as im:  # reads the header only
            width, height = im.size  # the image's own size, so the page keeps its room before it loads
        figures.append({"name": f["name"], "svg": f["files"].get("svg", {}).get("path", ""), "png": f["files"]["png"]["path"],
                        "width": width, "height": height,
                        "alt": f["alt"], "caption": f["caption"], "source": f["source"], "description": f.get("description", ""),
                        "stem": stem, "made_by": titles.get(stem + ".html", f["notebook"]),
                        "downloads": [{"path": v["path"], "label": SIZE_LABELS.get(k, k)}
                                      for k, v in f["files"].items()]})  # fmt: skip
    return render(
        "index.html",
        title=collection_title(root),
        findings=Markup(findings),  # drawn by findings_html from its own template, escaped there
        notebooks=[{"page": n, "title": t} for n, t in titles.items()],
        figures=figures,
        commit=man["commit"],
        downloads=[p.name for p in sorted((paths.reports_dir(root) / "data").glob("*"))],
    )


NAV = re.compile(r"<nav class=\"collection\"[^>]*>.*?</nav>\n?", re.S)


def nav_html(stems: list[str], titles: dict[str, str], stem: str) -> str:
    """Links from a notebook's page back to the index and on to the previous and next notebook."""
    i = stems.index(stem)
    prev = {"stem": stems[i - 1], "title": titles[stems[i - 1]]} if i > 0 else None
    nxt = {"stem": stems[i + 1], "title": titles[stems[i + 1]]} if i + 1 < len(stems) else None
    return render("nav.html", prev=prev, next=nxt)


def link_notebook_pages(root: Path) -> None:
    """Put the navigation on every notebook page (after <body>), replacing what an earlier build put there."""
    from ..atomic import write_atomic

    folder = paths.published_notebooks(root)
    pages = sorted(folder.glob("*.html"))
    stems = [p.stem for p in pages]
    titles = {p.stem: _notebook_title(root / "notebooks" / (p.stem + ".ipynb")) for p in pages}
    for p in pages:
        page = NAV.sub("", p.read_text(encoding="utf-8"))
        nav = nav_html(stems, titles, p.stem)
        linked = re.sub(r"(<body[^>]*>\n?)", lambda m: m.group(1) + nav, page, count=1)
        if linked != p.read_text(encoding="utf-8"):
            write_atomic(p, linked)


CLAIMS_KEY = ".claims-page.key"  # in reports/: what the claims page was last drawn from
FINDINGS = ".findings.html"  # in reports/: the index's findings, drawn with the claims page from the same tables


def pages_stale(root: Path) -> bool:
    """Whether the claims page and the index's findings were drawn from other tables, figures or code than now (a
    build then publishes even if no notebook ran)."""
    reports = paths.reports_dir(root)
    last = reports / CLAIMS_KEY
    if not (last.is_file() and (reports / FINDINGS).is_file() and (reports / "claims.html").is_file()):
        return True
    return last.read_text(encoding="utf-8").strip() != _claims_key(root)


def _claims_key(root: Path) -> str:
    """What reports/claims.html shows depends on: the tables and schema, the seeds, the figures' data (which names the
    rows each figure uses) and the code that draws it."""
    h = hashlib.sha256()
    files = sorted((root / "data").glob("*")) + sorted((root / "seeds").glob("*"))
    files += sorted(paths.published_figures(root).glob("*.csv"))
    files += _kit_files()
    for f in files:
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def _kit_files() -> list[Path]:
    """The code and templates the pages are drawn with: every file of this folder, and the verdict scale's module."""
    here = Path(__file__).parent
    own = sorted(p for p in here.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [*own, here.parent / "facts" / "verdicts.py"]


BOOK_PAGES = ".book-pages"  # in reports/: one PDF per figure page, named by what it is drawn from


def _page_key(f: dict) -> str:
    """What a book page is drawn from: the figure's PNG (by checksum), its texts, and this module's code."""
    what = {k: f.get(k) for k in ("name", "notebook", "caption", "source")} | {"png": f["files"]["png"]["sha256"]}
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode() + _own_code()).hexdigest()[:32]


@lru_cache(maxsize=1)
def _own_code() -> bytes:
    return Path(__file__).read_bytes()


def _book_page(root: Path, f: dict, path: Path) -> None:
    """One A4 page: the figure's PNG, its caption and its source."""
    import numpy as np
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from PIL import Image

    from ..figures.theme import GREY_MUTED

    page = Figure(figsize=(8.27, 11.69))  # A4 portrait
    # 8-bit RGB as the PNG holds it (matplotlib's imread makes floats, three times slower here)
    with Image.open(paths.reports_dir(root) / f["files"]["png"]["path"]) as im:
        img = np.asarray(im.convert("RGB"))
    h, w = img.shape[:2]
    height = min(0.62, 0.9 * (h / w) * 8.27 / 11.69)
    ax = page.add_axes((0.05, 0.93 - height, 0.9, height))
    ax.imshow(img, interpolation="none")  # embedded as is, at the PNG's 200 dpi: no resampling
    ax.set_axis_off()
    text = "\n".join(textwrap.wrap(f["caption"], 100) + [""] + textwrap.wrap(f["source"], 110))
    page.text(0.06, 0.9 - height, text, va="top", ha="left", fontsize=8, family="DejaVu Sans")
    page.text(0.06, 0.03, f"{f['name']} · {f['notebook']}", fontsize=7, color=GREY_MUTED)
    with atomic_files({"pdf": path}) as tmp:
        with PdfPages(tmp["pdf"], metadata={"CreationDate": None, "Producer": None, "Creator": None}) as pdf:
            pdf.savefig(page)


def draw_pages(root: Path, entries: list[dict]) -> list[Path]:
    """The book pages of these figures (manifest entries), drawn if not drawn before. The build calls it as each
    notebook is published, so that the book at the end only joins pages."""
    cache = paths.reports_dir(root) / BOOK_PAGES
    cache.mkdir(parents=True, exist_ok=True)
    pages = []
    for f in entries:
        page = cache / f"{_page_key(f)}.pdf"
        if not page.is_file():
            _book_page(root, f, page)
        pages.append(page)
    return pages


def figure_book(root: Path, man: dict, path: Path) -> None:
    """One PDF, a page per figure: the image, its caption and its source.

    Each page is drawn once and kept in ``reports/.book-pages`` under the checksum of what it shows; the book is
    those pages put together by pypdf (copied, not redrawn). A forced build re-runs every notebook, but a figure
    whose PNG and texts came out the same does not cost its page again (drawing all fifteen takes about 2.5 s)."""
    from pypdf import PdfWriter

    pages = draw_pages(root, man["figures"])
    cache = paths.reports_dir(root) / BOOK_PAGES
    writer = PdfWriter()
    for page in pages:
        writer.append(str(page))
    with open(path, "wb") as fh:
        writer.write(fh)
    for stale in set(cache.glob("*.pdf")) - set(pages):
        stale.unlink(missing_ok=True)


def publish(root: Path, made_by: dict[str, str], book: bool = True, built_from: str | None = None) -> dict[str, Path]:
    """Write the manifest, the index page, the figure book and the data downloads (all or nothing). ``book=False``
    keeps the existing figure book (no figure changed: a markdown-only edit)."""
    reports = paths.reports_dir(root)
    data = reports / "data"
    data.mkdir(parents=True, exist_ok=True)
    for p in sorted((root / "data").glob("*.csv")) + [root / "data" / "datapackage.json"]:
        shutil.copyfile(p, data / p.name)
    review = reports / "figures" / "claimreview.jsonld"
    if review.is_file():
        shutil.copyfile(review, data / review.name)
    man = manifest(root, made_by, built_from)
    targets = {"json": reports / "figures.json", "html": reports / "index.html"}
    key = _claims_key(root)
    last = reports / CLAIMS_KEY
    drawn = last.read_text(encoding="utf-8").strip() if last.is_file() and (reports / "claims.html").is_file() else ""
    drawn = drawn if (reports / FINDINGS).is_file() else ""
    if drawn != key:
        targets |= {"claims": reports / "claims.html", "claims_key": reports / CLAIMS_KEY}
    if book or not (reports / "figure-book.pdf").is_file():
        targets["pdf"] = reports / "figure-book.pdf"
    if "claims" in targets:
        targets["findings"] = reports / FINDINGS
    with atomic_files(targets) as tmp:
        tmp["json"].write_text(json.dumps(man, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if "claims" in tmp:  # loading the tables validates them (about 2 s): only when what the pages show changed
            from ..facts import verdicts
            from ..facts.load import load_all
            from .claims_page import claims_page, figures_naming

            tables = load_all(root)
            page = claims_page(tables, figures_naming(reports / "figures"), collection_title(root), root)
            tmp["claims"].write_text(page, encoding="utf-8")
            tmp["findings"].write_text(findings_html(tables, lambda v: verdicts.label(v, root)), encoding="utf-8")
            tmp["claims_key"].write_text(key + "\n", encoding="utf-8")
            findings = tmp["findings"].read_text(encoding="utf-8")
        else:
            findings = (reports / FINDINGS).read_text(encoding="utf-8") if (reports / FINDINGS).is_file() else ""
        tmp["html"].write_text(index_html(root, man, findings), encoding="utf-8")
        if "pdf" in tmp:
            figure_book(root, man, tmp["pdf"])
    link_notebook_pages(root)
    return targets
