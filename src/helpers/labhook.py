"""JupyterLab saves notebooks as they are committed: outputs, execution counts and ``language_info`` stripped.

Why a pre-save hook and not only the git filter: with a clean filter, a saved notebook with outputs differs in size
from the committed one, and git reports any file whose size changed as modified without running the filter, so
``git status`` shows it although ``git diff`` is empty. The hook (``FileContentsManager.pre_save_hook``, set in
``lab/jupyter_server_config.py``, which ``make lab`` loads) writes exactly the committed form instead, using nbstripout's
own ``strip_output`` with the settings of the git filter. The open notebook keeps its outputs on screen; the executed
copies with outputs are in ``reports/notebooks/``.
"""

from __future__ import annotations

STRIP = {"keep_output": False, "keep_count": False, "keep_id": True, "extra_keys": ["metadata.language_info"]}


def strip_model(model: dict, **_kwargs) -> None:
    """A contents-manager pre-save hook: strip a notebook model in place (other files are left alone)."""
    if model.get("type") != "notebook" or not model.get("content"):
        return
    import nbformat
    from nbstripout import strip_output

    nb = nbformat.from_dict(model["content"])
    model["content"] = strip_output(nb, **STRIP)
