# The whole set-up is `make report` (build everything) and `make test` (run the tests):
# each creates .venv and installs the pinned requirements on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# jupyter refuses to start as root without --allow-root (CI and these machines run as root)
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: report test validate lab lint bench clean help

help:
	@echo "make report  execute every notebook and export every chart and map to reports/"
	@echo "make test    run the test suite (validation, notebooks, charts, maps, JupyterLab in Chromium)"
	@echo "make validate  check the tables in data/ against their schema, the sources' words and the gazetteer"
	@echo "make lab     open JupyterLab on the collection (127.0.0.1, token on)"
	@echo "make lint    ruff"
	@echo "make bench   time the build against one-process nbconvert, every target (ARGS=--no-fresh: skip fresh clones)"
	@echo "make clean   remove reports/ (keeps .venv)"

# The installer is uv (from PyPI, pinned here): the same pinned versions as pip would install, in seconds rather than
# half a minute. It is fetched with the host's pip into .venv/uv; without a host pip, the venv's own pip fetches it.
# uv does not compile every installed module up front as pip does (7 s on two cores here, mostly for modules that are
# never imported): Python compiles each module the first time it is imported and keeps the .pyc in the venv. So that
# it does keep it, these targets unset PYTHONDONTWRITEBYTECODE (set on some machines): without the cache, every kernel
# and every test process would compile pandas and matplotlib again.
unexport PYTHONDONTWRITEBYTECODE
UV_VERSION := 0.13.9
UV := $(VENV)/uv/bin/uv

$(STAMP): requirements.txt pyproject.toml
	rm -rf $(VENV)
	@if $(PYTHON) -m pip --version >/dev/null 2>&1; then \
	  $(PYTHON) -m venv --without-pip $(VENV) && \
	  $(PYTHON) -m pip install --quiet --disable-pip-version-check --target $(VENV)/uv uv==$(UV_VERSION); \
	else \
	  $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet --target $(VENV)/uv uv==$(UV_VERSION); \
	fi
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.txt -e .
	# a git filter: notebooks saved from JupyterLab keep their outputs in the working copy, git sees them stripped. It
	# runs in the default environment (.venv): a test run on another Python (VENV=.venv-3.13) leaves it there.
	$(if $(filter .venv,$(VENV)),$(BIN)/python -m helpers gitfilter --repo .,@echo "git's notebook filter stays on .venv")
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/python -m helpers build $(ARGS)

# the tests in as many processes as cores (pytest-xdist), each taking two tests at a time in the order
# tests/conftest.py sets (the shared test build is made once, see there); `pytest` alone runs them in one process
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --maxschedchunk 2 $(ARGS)

validate: $(STAMP)
	$(BIN)/python -m helpers validate $(ARGS)

# The project's settings (lab/settings, tracked: no news pop-up) are copied once into .lab-settings (ignored), so a
# setting changed in JupyterLab is the reader's own and never shows in git; the workspace is .lab-workspaces. Lab opens
# on notebooks/ with the whole project (data/ included) in its file browser. lab/ is the config dir, so the server
# reads lab/jupyter_server_config.py once (passed with --config, the server and the Lab extension each loaded it).
lab: $(STAMP)
	@mkdir -p .lab-settings && cp -rn lab/settings/. .lab-settings/
	@# the project's notebooks are the reader's own: signed as trusted (Jupyter's notary, outside the checkout), so
	@# opening one does not log 'not trusted'
	@$(BIN)/jupyter trust notebooks/*.ipynb >/dev/null
	@echo "JupyterLab on 127.0.0.1 (open the URL it prints below); stop it with Ctrl+C, then y (or Ctrl+C twice)."
	JUPYTER_CONFIG_DIR=$(CURDIR)/lab JUPYTERLAB_SETTINGS_DIR=$(CURDIR)/.lab-settings \
	  JUPYTERLAB_WORKSPACES_DIR=$(CURDIR)/.lab-workspaces $(BIN)/jupyter lab --no-browser --ServerApp.ip=127.0.0.1 \
	  --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/notebooks --LabApp.news_url=None $(ROOT_FLAG)

lint: $(STAMP)
	$(BIN)/ruff check src tests notebooks
	$(BIN)/ruff format --check src tests

bench: $(STAMP)
	$(BIN)/python -m helpers bench $(ARGS)

clean:
	rm -rf reports
