"""A kit for notebook collections that turn an article into checked data, charts and maps.

The package holds no story. One folder per concern, and imports point one way, from the build down to the facts:

- ``facts``: the tables, their schema and validation, the ledger's rules, the story registry, the verdict scale;
- ``figures``: the house style, drawing primitives, finishing, the figure check, export, provenance;
- ``geo``: the basemap, geometry checks of the text, map drawing, GIS export;
- ``publish``: the front page, the claims page, ClaimReview and the figure book, from their templates;
- ``builder``: the build, the command line, the JupyterLab save hook, the git filter and the read log.

``paths`` and ``atomic`` below them serve every folder. A notebook imports the kit in one line:
``from helpers import facts, figures as fx, geo``. Subpackages load when first imported, so ``python -m helpers
build`` can decide that nothing changed without paying for pandas and matplotlib.
"""

from .paths import data_dir, figures_dir, project_root, reports_dir, seeds_dir

__all__ = ["data_dir", "figures_dir", "project_root", "reports_dir", "seeds_dir"]
