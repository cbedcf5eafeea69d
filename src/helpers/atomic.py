"""All-or-nothing writes of several files: used by the exports, the report kit and the GIS files.

A module of its own, with nothing heavy imported, so that the build can publish without loading matplotlib.
"""

from __future__ import annotations

import contextlib
import os
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
