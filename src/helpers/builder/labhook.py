"""JupyterLab saves notebooks as they are committed: outputs, execution counts and ``language_info`` stripped.

Why a pre-save hook and not only the git filter: with a clean filter, a saved notebook with outputs differs in size
from the committed one, and git reports any file whose size changed as modified without running the filter, so
``git status`` shows it although ``git diff`` is empty. The hook (registered on the server's contents manager by
``lab/jupyter_server_config.py``, which ``make lab`` loads) writes exactly the committed form instead, using nbstripout's
own ``strip_output`` with the settings of the git filter (``helpers.nbclean``: one definition for both). The open
notebook keeps its outputs on screen; the executed
copies with outputs are in ``reports/notebooks/``.
"""

from __future__ import annotations


def strip_model(model: dict, **_kwargs) -> None:
    """A contents-manager pre-save hook: strip a notebook model in place (other files are left alone)."""
    if model.get("type") != "notebook" or not model.get("content"):
        return
    import nbformat

    from .nbclean import strip

    model["content"] = strip(nbformat.from_dict(model["content"]))


def contents_manager_class():
    """Jupyter's default contents manager with ``strip_model`` registered as a pre-save hook. Registering it (rather
    than setting the ``pre_save_hook`` option) keeps the server quiet: JupyterLab's extensions apply the server's
    configuration more than once, and each time the option is set again it warns 'Overriding existing pre_save_hook'."""
    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

    class StrippingContentsManager(AsyncLargeFileManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.register_pre_save_hook(strip_model)

    return StrippingContentsManager
