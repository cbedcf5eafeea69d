# Loaded by `make lab` (--config): notebooks are saved in their committed form, so saving never dirties git.
from helpers.labhook import strip_model

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)
c.FileContentsManager.pre_save_hook = strip_model
