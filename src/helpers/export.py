"""Export for reports: PNG (fixed size, 200 dpi), SVG and PDF, and beside them a CSV of exactly the plotted data.

All or nothing: every file is written to a temporary name beside its target (same folder, so the rename never
crosses filesystems) and renamed only once all were written. Output bytes are reproducible: no dates, versions or
random ids are embedded.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from .atomic import atomic_files
from .finish import caption, is_finished, texts_of
from .paths import figures_dir
from .style import style

FORMATS = ("png", "svg", "pdf")
# Report sizes: the width of a column and of a page in a printed report, at 300 dpi.
SIZES = {"column": 8.5, "page": 17.0}  # cm
PRINT_DPI = 300
CHROME = ("title-", "subtitle-", "source-", "note-")  # the texts finish() draws, left out of the plain variant
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_ALT: dict[str, str] = {}  # exported PNG -> its title and subtitle, the alt text show() gives it


class ExportError(ValueError):
    pass


def export(
    fig: Figure,
    name: str,
    data: pd.DataFrame,
    *,
    formats: Iterable[str] = FORMATS,
    dpi: int = 200,
    directory: str | Path | None = None,
    variants: bool = True,
) -> dict[str, Path]:
    """Write ``name.png/.svg/.pdf`` and ``name.csv`` (exactly the plotted data), all or nothing.

    With ``variants`` (the default) also, for reports: a plain variant without title, subtitle and source
    (``name.plain.png/.svg/.pdf``; those texts go in the caption), PNGs at 300 dpi sized to a page width
    (``name.page.png``, 17 cm, the finished figure) and a column width (``name.column.png``, 8.5 cm, the plain
    variant), and ``name.meta.json`` with the title, subtitle, source, note, caption and alt text.

    Every file is first written to a temporary name beside its target and only renamed once all
    of them were written, so a failure leaves the previous good files untouched and no partial file.
    Output bytes are reproducible: no dates, versions or random ids are embedded.
    """
    formats = tuple(formats)
    if not _NAME.match(name):
        raise ExportError(f"figure name {name!r}: use lower-case letters, digits and underscores")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ExportError(f"formats {unknown or formats}: choose from {', '.join(FORMATS)}")
    if dpi < 72:
        raise ExportError(f"dpi {dpi} is too low for a report (use 200 or more for print)")
    if not is_finished(fig):
        raise ExportError(f"figure {name!r} was not passed through finish() (title, subtitle, source)")
    if data is None or data.empty:
        raise ExportError(f"figure {name!r}: no plotted data to export beside it")
    out = Path(directory) if directory else figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    targets = {ext: out / f"{name}.{ext}" for ext in (*formats, "csv")}
    if variants:
        targets |= {f"plain.{ext}": out / f"{name}.plain.{ext}" for ext in FORMATS}
        targets |= {f"{size}.png": out / f"{name}.{size}.png" for size in SIZES}
        targets["meta.json"] = out / f"{name}.meta.json"
    texts = texts_of(fig)
    with atomic_files(targets) as temps, style():
        for ext in formats:
            fig.savefig(temps[ext], format=ext, dpi=dpi, metadata=_METADATA[ext])
        data.to_csv(temps["csv"], index=False, lineterminator="\n", date_format="%Y-%m-%d")
        if variants:
            _print_png(fig, temps["page.png"], SIZES["page"])
            with _plain(fig, texts.get("below_axes", 0.07)):
                for ext in FORMATS:
                    fig.savefig(temps[f"plain.{ext}"], format=ext, dpi=dpi, metadata=_METADATA[ext])
                _print_png(fig, temps["column.png"], SIZES["column"])
            meta = {k: texts[k] for k in ("title", "subtitle", "source", "note", "alt")} | {
                "name": name,
                "caption": caption(texts),
                "data": targets["csv"].name,
                "files": {k: p.name for k, p in targets.items() if k != "meta.json"},
                "sizes_cm": SIZES,
                "smallest_text_pt": {size: round(7.5 * cm / 2.54 / fig.get_figwidth(), 1) for size, cm in SIZES.items()},
            }
            temps["meta.json"].write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if "png" in targets:
        _ALT[str(targets["png"])] = texts.get("alt", name.replace("_", " "))
    return targets


def _print_png(fig: Figure, path: Path, width_cm: float) -> None:
    """A PNG ``width_cm`` wide at 300 dpi: the figure scaled as a whole (the layout is the screen one). The file says
    300 dpi (Pillow's ``dpi``, passed through matplotlib) although it is drawn at the dpi that gives that width."""
    fig.savefig(path, format="png", dpi=width_cm / 2.54 * PRINT_DPI / fig.get_figwidth(), metadata=_METADATA["png"],
                pil_kwargs={"dpi": (PRINT_DPI, PRINT_DPI)})  # fmt: skip


@contextlib.contextmanager
def _plain(fig: Figure, below_axes: float) -> Iterator[None]:
    """The figure without its title, subtitle, source and note, the axes grown into their room; restored after."""
    hidden = [t for t in fig.texts if (t.get_gid() or "").startswith(CHROME) and t.get_visible()]
    params = fig.subplotpars
    saved = {"top": params.top, "bottom": params.bottom}
    for t in hidden:
        t.set_visible(False)
    fig.subplots_adjust(top=0.97, bottom=below_axes + 0.04)
    try:
        yield
    finally:
        for t in hidden:
            t.set_visible(True)
        fig.subplots_adjust(**saved)


def show(paths: dict[str, Path]):
    """Display the exported PNG in a notebook: the reader sees exactly the file that goes into a report."""
    from IPython.display import Image

    png = str(paths["png"])
    return Image(filename=png, alt=_ALT.get(png, Path(png).stem.replace("_", " ")))
