"""Which tables a notebook reads, recorded for the build.

The build declares what each notebook reads (``metadata.helpers.reads``) and re-runs a notebook when one of those
tables changes; a read it did not declare would leave a stale output. Two recorders write to the log file named
by ``$HELPERS_READ_LOG`` (set by the build only):

- ``facts.Tables`` records every table handed out (``tables["troops"]``, ``.get``, ``dict(tables)``);
- an audit hook (Python's ``sys.addaudithook``, installed in the build's kernels) sees every ``open`` of a file
  under ``data/``, so ``pd.read_csv("../data/troops.csv")`` is caught too.

Reads the package does on its own behalf (validation reads every table, as they refer to each other) run inside
``internal()`` and are not recorded.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from . import paths

_STATE = threading.local()


@contextlib.contextmanager
def internal() -> Iterator[None]:
    """File reads inside this block are the package's own, not the notebook's."""
    depth = getattr(_STATE, "depth", 0)
    _STATE.depth = depth + 1
    try:
        yield
    finally:
        _STATE.depth = depth


def is_internal() -> bool:
    return getattr(_STATE, "depth", 0) > 0


def note_read(name: str) -> None:
    """Record that the notebook read table ``name`` (only when the build asks for a log)."""
    log = paths.env(paths.READ_LOG_ENV)
    if log and not is_internal():
        with internal(), open(log, "a", encoding="utf-8") as fh:
            fh.write(name + "\n")


def install_audit_hook() -> None:
    """Record every open of a file under data/ (a table's CSV, the schema) by the notebook's own code.

    A CSV is recorded as its table name; any other file under data/ by its path relative to data/.
    """
    if not paths.env(paths.READ_LOG_ENV):
        return
    data = str(paths.data_dir()) + os.sep

    def hook(event: str, args: tuple) -> None:
        if event != "open" or is_internal() or not args:
            return
        target = args[0]
        if not isinstance(target, (str, bytes, os.PathLike)):
            return  # a file descriptor
        try:
            full = os.path.abspath(os.fsdecode(target))
        except (TypeError, ValueError):
            return
        if full.startswith(data):
            rel = Path(full[len(data) :])
            note_read(rel.stem if rel.suffix == ".csv" and len(rel.parts) == 1 else rel.as_posix())

    sys.addaudithook(hook)
