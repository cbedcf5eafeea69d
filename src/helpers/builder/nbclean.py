"""The git clean filter for notebooks: nbstripout's own ``main``, started about 0.8 s faster.

nbstripout imports nbformat, which imports jsonschema, whose optional IRI format check imports ``rfc3987_syntax``;
that package compiles 38 lark grammars when imported. Git runs the filter on every notebook whose file changed since
the index last saw it (``git status`` after an edit and its undo, say), so that cost was paid per notebook per git
command. Notebook validation never uses the IRI format; this entry point blocks that one import and leaves the rest to
nbstripout. ``python -m helpers gitfilter`` installs it.
"""

import sys

# What a committed notebook leaves out, one definition for the git filter and JupyterLab's save hook: outputs and
# execution counts, Python's language_info, and the metadata keys nbstripout's command line strips by default
# (collapsed and scrolled outputs among them, which JupyterLab writes when a reader folds an output). nbstripout's
# Python function strips only what it is given, so the defaults of its command line are named here; a test saves a
# notebook carrying every key through a Jupyter server and checks git sees the committed file.
NBSTRIPOUT_DEFAULT_KEYS = (
    "metadata.signature",
    "metadata.widgets",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
)
# JupyterLab 4 writes cell.metadata.jupyter ({"source_hidden": true}, {"outputs_hidden": true}) when a reader folds a
# cell's input or output: a reader's view, never part of the notebook as committed.
EXTRA_KEYS = ("metadata.language_info", "cell.metadata.jupyter")
FILTER_ARGS = ["--keep-id", "--extra-keys", " ".join(EXTRA_KEYS)]  # the git filter: nbstripout adds its defaults


def strip(nb):
    """A notebook node stripped as the git filter strips it (for the save hook)."""
    from nbstripout import strip_output

    return strip_output(nb, keep_output=False, keep_count=False, keep_id=True,
                        extra_keys=[*NBSTRIPOUT_DEFAULT_KEYS, *EXTRA_KEYS])  # fmt: skip


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
