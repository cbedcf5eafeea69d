"""Export for reports: each figure drawn at a page's and a column's width, checked, and written as PNG, SVG and PDF,
with a CSV of exactly the plotted data beside them.

All or nothing: every file is written to a temporary name beside its target (same folder, so the rename never
crosses filesystems) and renamed only once all were written. Output bytes are reproducible: no dates, versions or
random ids are embedded.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from ..atomic import atomic_files
from ..paths import data_dir, figures_dir
from . import figcheck
from .finishing import PRINT_DPI, caption, is_finished, layout_of, plot_rect, texts_of
from .provenance import add_svg_titles, mark_titles
from .theme import LAYOUTS, Layout, style

FORMATS = ("png", "svg", "pdf")
CHROME = ("title-", "subtitle-", "source-", "note-")  # the texts finish() draws, left out of the plain variant
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_ALT: dict[str, str] = {}  # exported PNG -> its alt text, for show()
DESCRIBED = 24  # rows the long description lists one by one; the rest are counted (all are in the CSV)


class ExportError(ValueError):
    pass


Draw = Callable[[Layout], Figure]


def export(
    draw: Draw | Figure,
    name: str,
    data: pd.DataFrame,
    *,
    alt: str | None = None,
    formats: Iterable[str] = FORMATS,
    dpi: int = 200,
    directory: str | Path | None = None,
    variants: bool = True,
) -> dict[str, Path]:
    """Draw the figure for each published width, check it, and write it with ``name.csv`` (exactly the plotted data),
    all or nothing.

    ``draw(layout)`` returns a finished figure laid out for ``layout`` (``style.LAYOUTS``: a page, 17 cm, and a
    column, 8.5 cm, each with its own text sizes); it runs in that layout's style. The page figure is written as
    ``name.png/.svg/.pdf`` (the PNG at ``dpi``), the column figure as ``name.column.png/.svg/.pdf`` (300 dpi).
    A ``Figure`` instead of ``draw`` is published at the one width it was made for. Every drawn figure must pass the
    figure check (``figcheck``) at its width, else ``figcheck.FigureCheckError`` names the texts at fault.

    With ``variants`` (the default) also: a plain variant, the page figure cut to its plot, without title, subtitle
    and footer (``name.plain.png/.svg/.pdf``; those texts go in the caption), and ``name.meta.json`` with the texts, the caption,
    ``alt`` (a short alt text, written by the notebook from the data), a longer ``description`` listing the plotted
    rows, and the smallest text measured in each file. In every SVG each mark tagged with a plotted row's id gets a
    ``<title>`` with the row's words and source (a browser shows it on hover).

    Every file is first written to a temporary name beside its target and only renamed once all of them were written,
    so a failure leaves the previous good files untouched and no partial file. Output bytes are reproducible.
    """
    formats = tuple(formats)
    if not _NAME.match(name):
        raise ExportError(f"figure name {name!r}: use lower-case letters, digits and underscores")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ExportError(f"formats {unknown or formats}: choose from {', '.join(FORMATS)}")
    if dpi < 72:
        raise ExportError(f"dpi {dpi} is too low for a report (use 200 or more for print)")
    if data is None or data.empty:
        raise ExportError(f"figure {name!r}: no plotted data to export beside it")
    if variants and not (alt and alt.strip()):
        raise ExportError(f"figure {name!r}: give alt=, a short alt text saying what the data shows")
    figs, figs_smallest = _draw_all(draw, name)
    main = "page" if "page" in figs else next(iter(figs))
    out = Path(directory) if directory else figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    targets = {ext: out / f"{name}.{ext}" for ext in (*formats, "csv")}
    if variants:
        for lay in figs:
            if lay != main:
                targets |= {f"{lay}.{ext}": out / f"{name}.{lay}.{ext}" for ext in FORMATS}
        targets |= {f"plain.{ext}": out / f"{name}.plain.{ext}" for ext in FORMATS}
        targets["meta.json"] = out / f"{name}.meta.json"
    titles = mark_titles(data, _sources())
    smallest: dict[str, float] = {}  # measured once per drawn state (a layout, the plain variant), for each of its files
    with atomic_files(targets) as temps:
        for lay, fig in figs.items():
            with style(LAYOUTS.get(lay)):
                prefix = "" if lay == main else f"{lay}."
                size = figs_smallest[lay]
                for ext in formats if lay == main else (FORMATS if variants else ()):
                    _save(fig, temps[prefix + ext], ext, dpi if ext == "png" and lay == main else PRINT_DPI, titles)
                    smallest[targets[prefix + ext].name] = size
                if variants and lay == main:
                    with _plain(fig) as plot:  # the same figure, its texts hidden, cut to its plot: nothing moves
                        plain_size = figcheck.smallest_text(fig)
                        for ext in FORMATS:
                            _save(fig, temps[f"plain.{ext}"], ext, dpi, titles, bbox=plot)
                            smallest[targets[f"plain.{ext}"].name] = plain_size
        data.to_csv(temps["csv"], index=False, lineterminator="\n", date_format="%Y-%m-%d")
        if variants:
            texts = texts_of(figs[main])
            meta = {k: texts[k] for k in ("title", "subtitle", "source", "note")} | {
                "name": name,
                "alt": alt.strip(),
                "description": describe(data),
                "caption": caption(texts),
                "data": targets["csv"].name,
                "files": {k: p.name for k, p in targets.items() if k != "meta.json"},
                "layouts": {
                    lay: {
                        "width_cm": round(f.get_figwidth() * 2.54, 2),
                        "height_cm": round(f.get_figheight() * 2.54, 2),
                        "min_pt": _min_pt(f),
                    }
                    for lay, f in figs.items()
                },  # fmt: skip
                "smallest_text_pt": smallest,
            }
            temps["meta.json"].write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if "png" in targets:
        _ALT[str(targets["png"])] = (alt or texts_of(figs[main]).get("title", name)).strip()
    return targets


def _min_pt(fig: Figure) -> float:
    return layout_of(fig).min_pt


def _draw_all(draw: Draw | Figure, name: str) -> tuple[dict[str, Figure], dict[str, float]]:
    """Each published layout's figure, finished and checked, and the smallest text of each."""
    if isinstance(draw, Figure):
        figs = {layout_of(draw).name: draw}
    elif callable(draw):
        figs = {}
        for lay, layout in LAYOUTS.items():
            with style(layout):
                fig = draw(layout)
            if not isinstance(fig, Figure):
                raise ExportError(f"figure {name!r}: draw({lay}) returned {type(fig).__name__}, not a Figure")
            if layout_of(fig) is not layout:
                raise ExportError(f"figure {name!r}: draw({lay}) made its figure for another layout (new_figure(layout))")
            figs[lay] = fig
    else:
        raise ExportError(f"figure {name!r}: export takes a draw(layout) function or a Figure, not {type(draw).__name__}")
    smallest = {}
    for lay, fig in figs.items():
        if not is_finished(fig):
            raise ExportError(f"figure {name!r} ({lay} layout) was not passed through finish() (title, subtitle, source)")
        with style(layout_of(fig)):
            smallest[lay] = figcheck.check(fig, name, lay, _min_pt(fig))
    return figs, smallest


# OpenType layout tables: which glyph follows or replaces which. A PDF viewer never reads them (matplotlib lays the
# text out itself and the PDF places every glyph), yet subsetting DejaVu Sans's took three quarters of each PDF's font
# embedding (0.07 s against 0.02 s a font, three or four fonts per PDF, three PDFs per figure).
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "kern")


@contextlib.contextmanager
def _fonts_without_layout_tables() -> Iterator[None]:
    """While a PDF is saved, fontTools' subsetter drops the layout tables of the fonts it embeds.

    matplotlib (pdf.fonttype 42) embeds each font through fontTools' subsetter with options it builds itself and does
    not expose; they start from the subsetter's class-wide list of tables to drop, so that list is extended here and
    restored after. Text stays text (searchable, editable) in the PDF, drawn with the same glyphs."""
    from fontTools import subset

    default = subset.Options._drop_tables_default
    subset.Options._drop_tables_default = default + [t for t in _LAYOUT_TABLES if t not in default]
    try:
        yield
    finally:
        subset.Options._drop_tables_default = default


def _save(fig: Figure, path: Path, ext: str, dpi: float, titles: dict[str, str], bbox: Bbox | None = None) -> None:
    extra = {"pil_kwargs": {"dpi": (dpi, dpi)}} if ext == "png" else {}
    if bbox is not None:  # a part of the figure (inches): the plain variant's plot
        extra |= {"bbox_inches": bbox, "pad_inches": 0}
    with _fonts_without_layout_tables() if ext == "pdf" else contextlib.nullcontext():
        fig.savefig(path, format=ext, dpi=dpi, metadata=_METADATA[ext], **extra)
    if ext == "svg" and titles:
        path.write_text(add_svg_titles(path.read_text(encoding="utf-8"), titles), encoding="utf-8")


@contextlib.contextmanager
def _plain(fig: Figure) -> Iterator[Bbox]:
    """The figure without its title, subtitle, source and note: those texts hidden, and the part of the figure its
    plot takes (inches) to save, so the plain variant is the page figure cut to its plot, not a figure laid out
    again (nothing moves, so nothing new can overlap). The texts are shown again after."""
    hidden = [t for t in fig.texts if (t.get_gid() or "").startswith(CHROME) and t.get_visible()]
    _, bottom, _, top = plot_rect(fig)
    width, height = fig.get_figwidth(), fig.get_figheight()
    for t in hidden:
        t.set_visible(False)
    try:
        yield Bbox.from_extents(0, bottom * height, width, top * height)
    finally:
        for t in hidden:
            t.set_visible(True)


def _sources() -> pd.DataFrame | None:
    """The project's sources table (for the SVG hover texts), or None outside a project."""
    try:
        return pd.read_csv(data_dir() / "sources.csv", dtype=str, keep_default_na=False, na_values=[""])
    except (OSError, ValueError):
        return None


def describe(data: pd.DataFrame) -> str:
    """A longer description of a figure for readers who cannot see it: every plotted row in words (its label, value,
    dates and how it is known), from the figure's CSV."""
    label_col = next((c for c in ("label", "series", "plan", "name", "story_label", "verdict", "quote") if c in data), None)
    value_cols = [c for c in ("value", "claims", "deaths", "value_km", "count") if c in data]
    parts = []
    for _, r in data.head(DESCRIBED).iterrows():
        bits = [str(r[label_col]) if label_col and pd.notna(r[label_col]) else str(r.get("row_id", r.get("id", "")))]
        for c in value_cols:
            if pd.notna(r[c]):
                v = r[c]
                bits.append(f"{c.replace('_', ' ')} {v:,.0f}" if isinstance(v, int | float) else f"{c.replace('_', ' ')} {v}")
        for a, b in (("start", "end"), ("date", None)):
            if a in data and pd.notna(r[a]):
                when = f"{pd.Timestamp(r[a]):%-d %b %Y}"
                if b and b in data and pd.notna(r[b]) and r[b] != r[a]:
                    when += f" to {pd.Timestamp(r[b]):%-d %b %Y}"
                bits.append(when)
        for c in ("verdict", "evidence", "role"):
            if c in data and c != label_col and pd.notna(r[c]):
                bits.append(str(r[c]).replace("_", " "))
        parts.append(", ".join(bits))
    more = len(data) - DESCRIBED
    tail = f"; and {more} more rows (all in the figure's CSV)" if more > 0 else ""
    return f"The figure draws {len(data)} rows: " + "; ".join(parts) + tail + "."


def show(paths: dict[str, Path]):
    """Display the exported PNG in a notebook: the reader sees exactly the file that goes into a report."""
    from IPython.display import Image

    png = str(paths["png"])
    return Image(filename=png, alt=_ALT.get(png, Path(png).stem.replace("_", " ")))
