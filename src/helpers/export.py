"""Export for reports: PNG (fixed size, 200 dpi), SVG and PDF, and beside them a CSV of exactly the plotted data.

All or nothing: every file is written to a temporary name beside its target (same folder, so the rename never
crosses filesystems) and renamed only once all were written. Output bytes are reproducible: no dates, versions or
random ids are embedded.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from .finish import figure_texts, is_finished
from .paths import figures_dir
from .style import style

FORMATS = ("png", "svg", "pdf")
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_ALT: dict[str, str] = {}  # exported PNG -> its title and subtitle, the alt text show() gives it


class ExportError(ValueError):
    pass


@contextlib.contextmanager
def atomic_files(targets: dict[str, Path]) -> Iterator[dict[str, Path]]:
    """Temporary paths beside ``targets``, renamed into place together only if the block succeeds.

    On any error every temporary file is removed and the previous files stay as they were.
    """
    # the temporary name keeps the real suffix: GDAL picks drivers (and warns) by it
    temps = {k: p.with_name(f".{p.stem}.tmp{p.suffix}") for k, p in targets.items()}
    try:
        yield temps
    except BaseException:
        for t in temps.values():
            t.unlink(missing_ok=True)
        raise
    for k, t in temps.items():
        os.replace(t, targets[k])


def export(
    fig: Figure,
    name: str,
    data: pd.DataFrame,
    *,
    formats: Iterable[str] = FORMATS,
    dpi: int = 200,
    directory: str | Path | None = None,
) -> dict[str, Path]:
    """Write ``name.png/.svg/.pdf`` and ``name.csv`` (exactly the plotted data), all or nothing.

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
    with atomic_files(targets) as temps, style():
        for ext in formats:
            fig.savefig(temps[ext], format=ext, dpi=dpi, metadata=_METADATA[ext])
        data.to_csv(temps["csv"], index=False, lineterminator="\n", date_format="%Y-%m-%d")
    if "png" in targets:
        _ALT[str(targets["png"])] = f"{figure_texts(fig, 'title')}. {figure_texts(fig, 'subtitle')}"
    return targets


def show(paths: dict[str, Path]):
    """Display the exported PNG in a notebook: the reader sees exactly the file that goes into a report."""
    from IPython.display import Image

    png = str(paths["png"])
    return Image(filename=png, alt=_ALT.get(png, Path(png).stem.replace("_", " ")))
