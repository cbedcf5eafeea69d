"""All-or-nothing writes: one text file (the published pages, the build's state) or several files together (the exports,
the report kit and the GIS files).

A module of its own, with nothing heavy imported, so that the build can publish without loading matplotlib.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path


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


def write_atomic(path: Path, text: str) -> None:
    """``text`` written to a temporary file beside ``path`` and renamed over it: a reader sees the old file or the new
    one, never half of it; on any error the temporary file is removed."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
