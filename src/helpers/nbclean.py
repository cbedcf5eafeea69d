"""The git clean filter for notebooks: nbstripout's own ``main``, started about 0.8 s faster.

nbstripout imports nbformat, which imports jsonschema, whose optional IRI format check imports ``rfc3987_syntax``;
that package compiles 38 lark grammars when imported. Git runs the filter on every notebook whose file changed since
the index last saw it (``git status`` after an edit and its undo, say), so that cost was paid per notebook per git
command. Notebook validation never uses the IRI format; this entry point blocks that one import and leaves the rest to
nbstripout. ``python -m helpers gitfilter`` installs it.
"""

import sys


def skip_iri_check() -> None:
    """Block the optional ``rfc3987_syntax`` import (see above) in this process, if jsonschema is not loaded yet."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def main() -> None:
    skip_iri_check()
    from nbstripout import main as strip

    sys.argv[0] = "nbstripout"
    strip()


if __name__ == "__main__":
    main()
