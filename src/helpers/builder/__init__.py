"""The build: execute every notebook in a fresh kernel, export its figures, skip what has not changed.

``run`` does the work, ``hashing`` decides what changed, ``pool`` and ``zygote`` start the kernels (``bench``
and ``scale`` time it). Names are imported lazily, so that
a kernel can load ``readlog`` without the Jupyter stack.
"""

from importlib import import_module

_LAZY = {
    "Result": "run",
    "BuildError": "run",
    "build": "run",
    "notebooks": "run",
    "main": "run",
    "add_arguments": "run",
    "render_html": "pages",
    "declared_reads": "hashing",
    "inputs_hash": "hashing",
    "markdown_hash": "hashing",
}

__all__ = list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'helpers.builder' has no attribute {name!r}")
