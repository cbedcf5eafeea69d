"""Run inside a build kernel before its notebook's first cell: import what the notebook imports, then start recording.

The build starts each notebook's kernel ahead of need (``pool``) and passes the modules the notebook's import
statements name in ``$HELPERS_PRELOAD`` (space-separated, found by ``hashing.imported_modules``). ``prepare``
imports them into ``sys.modules`` only: no name is bound in the notebook's namespace and nothing counts as an
execution, so ``import pandas as pd`` in the first cell still has to be there (a notebook that forgets it fails with
a NameError, as in a cold kernel) and execution counts start at 1. It then pays the first-use costs matplotlib
would otherwise charge to the notebook's first export (loading the PNG, SVG and PDF backends and the font files),
drawing on a figure of its own that pyplot never sees, and installs the read recorder (``readlog``) last, so that
none of this is recorded as the notebook's reads.

This module is imported in every kernel: it imports nothing heavy itself.
"""

from __future__ import annotations

import importlib
import io
import os
import sys

PRELOAD_ENV = "HELPERS_PRELOAD"
# The line the kernel runs first (``IPKernelApp.exec_lines``): an expression with no name bound and no value.
STARTUP = "__import__('helpers.builder.kernel', fromlist=['_']).prepare()"


def _import(name: str) -> None:
    """Import ``name`` if it is a module; ``from pkg import obj`` names candidates that are not modules."""
    parent, _, last = name.rpartition(".")
    if parent and parent in sys.modules and hasattr(sys.modules[parent], last) and name not in sys.modules:
        return  # an object of the parent module, not a submodule
    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001 - not a module, or one that fails: the notebook's own cell will say so
        pass


def import_modules(names: list[str]) -> None:
    for name in names:
        _import(name)


_WARMED = False


def warm_matplotlib() -> None:
    """Draw a line of text once in each export format, on a Figure outside pyplot, with the default settings (once
    per process: a kernel forked from a warmed server inherits the flag with the warmed state)."""
    global _WARMED
    if _WARMED or "matplotlib" not in sys.modules:
        return
    try:
        _draw_once()
    except Exception:  # noqa: BLE001 - a warm-up only: the notebook's own export reports a real problem
        pass
    _WARMED = True


def _draw_once() -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "Warm 0123456789 – ·", fontsize=9)
    fig.add_subplot().plot([0, 1], [0, 1])
    for fmt in ("png", "svg", "pdf"):
        fig.savefig(io.BytesIO(), format=fmt, dpi=50)


def prepare() -> None:
    import_modules(os.environ.get(PRELOAD_ENV, "").split())  # already loaded in a forked kernel: nothing to do
    warm_matplotlib()
    from .readlog import install_audit_hook

    install_audit_hook()
