"""Which tables a notebook reads, announced for whoever listens (the build records them: ``builder.readlog``).

The build declares what each notebook reads (``metadata.helpers.reads``) and re-runs a notebook when one of those
tables changes; a read it did not declare would leave a stale output. ``facts.Tables`` announces every table it hands
out (``tables["troops"]``, ``.get``, ``dict(tables)``) as the audit event ``helpers.table_read`` (Python's
``sys.audit``: nothing happens unless a hook listens, and only the build's kernels install one).

Reads the package does on its own behalf (validation reads every table, as they refer to each other) run inside
``internal()`` and are announced to nobody: neither the event nor the file opens inside the block are the notebook's.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator

TABLE_READ = "helpers.table_read"  # the audit event: one argument, the table's name

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
    """Announce that the notebook read table ``name`` (unless the package reads it on its own behalf)."""
    if not is_internal():
        sys.audit(TABLE_READ, name)
