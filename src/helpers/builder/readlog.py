"""The build's record of which tables a notebook reads (see ``facts.reads``).

An audit hook (Python's ``sys.addaudithook``), installed in the build's kernels only, writes to the log file named by
``$HELPERS_READ_LOG``:

- every table ``facts.Tables`` hands out (the audit event ``helpers.table_read``);
- every ``open`` of a file under ``data/`` by the notebook's own code, so ``pd.read_csv("../data/troops.csv")`` is
  caught too: a CSV as its table name, any other file under data/ by its path relative to data/.

The package's own reads (inside ``facts.reads.internal()``) are not recorded.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import paths
from ..facts.reads import TABLE_READ, internal, is_internal


def _write(log: str, name: str) -> None:
    with internal(), open(log, "a", encoding="utf-8") as fh:
        fh.write(name + "\n")


def install_audit_hook() -> None:
    """Record the notebook's table reads and its opens of files under data/ (only when the build asks for a log)."""
    log = paths.env(paths.READ_LOG_ENV)
    if not log:
        return
    data = str(paths.data_dir()) + os.sep

    def hook(event: str, args: tuple) -> None:
        if event == TABLE_READ:
            _write(log, args[0])
            return
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
            _write(log, rel.stem if rel.suffix == ".csv" and len(rel.parts) == 1 else rel.as_posix())

    sys.addaudithook(hook)
