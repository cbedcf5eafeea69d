"""Notebooks opened in a real JupyterLab in headless Chromium run all their cells without an error.

JupyterLab is started on 127.0.0.1 with a token, in a scratch copy of the project (so figures land there and the
committed notebooks are never saved over: autosave is off). Playwright drives Debian's /usr/bin/chromium.
Without chromium the test is skipped with the reason, except under CI=true, where that is a failure.
On failure a screenshot is saved to reports/jupyterlab-failures/.

Two notebooks, not all fourteen: the shared test build (``conftest.built``) already executes every notebook top to
bottom in a fresh kernel. What only JupyterLab can show is the same for every notebook of a kind: a kernel launched by
the Jupyter server from the notebook's folder, Run All Cells in the browser, the figures displayed and written, and
written byte for byte as the build (whose kernels are forked from a server that imported the modules ahead) wrote
them. So JupyterLab runs one chart notebook and one map notebook (the two kinds that display figures), at once in two
tabs; tests/test_isolation.py compares the other kinds with kernels started cold.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_collection

from helpers.builder import notebooks

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "reports" / "jupyterlab-failures"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]  # fmt: skip

# user settings: no news or update checks, no autosave, every cell rendered (so outputs can be counted)
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run the JupyterLab test"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (CI=true: a missing browser is a failure, not a skip)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, token: str, path: str, method: str = "GET"):
    req = urllib.request.Request(f"{base}{path}", method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = resp.read()
    return json.loads(body) if body else None


def _wait_until_up(base: str, token: str, proc: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    """Poll the server's /api/status until it answers; fail with its log if it exits or takes too long."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            _api(base, token, "/api/status")
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Jupyter server did not start:\n" + log.read_text()) from None
            time.sleep(0.5)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    _require_browser()
    root = tmp_path_factory.mktemp("lab")
    copy_collection(root)
    settings = root / "settings"
    for rel, value in SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, HELPERS_PROJECT_ROOT=str(root), JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTER_RUNTIME_DIR=str(root / "runtime"))  # fmt: skip
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(
        [jupyter, "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--IdentityProvider.token={token}", "--LabApp.news_url=None", f"--ServerApp.root_dir={root / 'notebooks'}"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, token, proc, root / "lab.log")
        yield {"base": base, "token": token, "root": root}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


READY = """() => {
  const k = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName, .jp-KernelName');
  const i = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return k && !/No Kernel|Starting|Connecting/i.test(k.textContent) && i && i.dataset.status === 'idle';
}"""

DONE = """(n) => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
  const numbered = prompts.filter(p => /\\[\\d+\\]/.test(p.textContent)).length;
  const errors = [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .filter(e => e.textContent.includes('Traceback')).length;
  const i = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const idle = i && i.dataset.status === 'idle';
  return idle && (errors > 0 || (prompts.length === n && numbered === n));
}"""


def _code_cells(path: Path) -> int:
    return sum(c["cell_type"] == "code" for c in json.loads(path.read_text(encoding="utf-8"))["cells"])


def _shows_figures(path: Path) -> bool:
    return any("show(paths)" in "".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"])


def _start(page, base: str, token: str, path: Path) -> None:
    """Open the notebook in JupyterLab, wait for its kernel, and Run All Cells."""
    page.goto(f"{base}/lab/tree/{path.name}?token={token}&reset", wait_until="domcontentloaded", timeout=60_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(READY, timeout=60_000, polling=250)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def _check(page, root: Path, path: Path) -> None:
    """Every cell ran (numbered prompts, no traceback) and every figure rendered and was written."""
    page.wait_for_function(DONE, arg=_code_cells(path), timeout=240_000, polling=250)
    tracebacks = [t for t in page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
                  .all_inner_texts() if "Traceback" in t]  # fmt: skip
    assert not tracebacks, f"{path.name}: {tracebacks[0][-2000:]}"
    prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
    assert all(p.strip().startswith("[") and p.strip()[1:-2].isdigit() for p in prompts), (path.name, prompts)
    if _shows_figures(path):
        images = page.locator('.jp-OutputArea-output[data-mime-type="image/png"] img')
        assert images.count() >= 1, f"{path.name}: no figure rendered"
        assert page.evaluate(
            "() => [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type=\"image/png\"] img')]"
            ".every(i => i.complete && i.naturalWidth > 500)"
        ), f"{path.name}: a figure did not load"
        for name in re.findall(r'FIGURE = \\"(\w+)\\"', path.read_text(encoding="utf-8")):
            assert (root / "reports" / "figures" / f"{name}.png").is_file(), f"{name}.png not written"


IN_LAB = ("02", "07")  # a chart and a map, at once in two tabs: a kernel per core


def test_a_chart_and_a_map_notebook_run_in_jupyterlab(lab, browser, built):
    """A chart notebook and a map notebook opened in JupyterLab and run with Run All Cells, at once (in two tabs); the
    figure files they write there are byte for byte the files the build published (a kernel JupyterLab starts is a
    plain one: nothing imported ahead)."""
    base, token = lab["base"], lab["token"]
    pair = [p for p in notebooks(ROOT) if p.name.startswith(IN_LAB)]
    assert len(pair) == len(IN_LAB), f"notebooks {IN_LAB} not found in notebooks/"
    assert all(_shows_figures(p) for p in pair), "each notebook run in JupyterLab displays a figure"
    pages = {path: browser.new_page(viewport={"width": 1400, "height": 1000}) for path in pair}
    try:
        for path, page in pages.items():
            _start(page, base, token, path)
        for path, page in pages.items():
            _check(page, lab["root"], path)
    except BaseException:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for path, page in pages.items():
            page.screenshot(path=str(SCREENSHOTS / f"{path.stem}.png"), full_page=True)
        raise
    finally:
        for page in pages.values():
            page.close()
        for session in _api(base, token, "/api/sessions") or []:  # kernels outlive the tab
            _api(base, token, f"/api/sessions/{session['id']}", method="DELETE")
    in_lab, published = lab["root"] / "reports" / "figures", built / "reports" / "figures"
    names = sorted(p.name for p in in_lab.iterdir())
    from helpers.figures.output import FORMATS

    per_figure = 3 * len(FORMATS) + 2  # page, column and plain in each format, the CSV and the meta file
    assert len(names) >= 2 * per_figure, "both notebooks wrote their figures"
    different = [n for n in names if (in_lab / n).read_bytes() != (published / n).read_bytes()]
    assert not different, f"figure files that differ between JupyterLab and the build: {different}"


def test_saving_an_executed_notebook_from_jupyter_keeps_git_clean(tmp_path):
    """Save a notebook with outputs through the Jupyter server's contents API (what JupyterLab's save and autosave do),
    with the server configured as `make lab` configures it, in a clone with the project's git filter: git sees no
    change, and the saved file is the committed notebook."""
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    subprocess.run([sys.executable, "-m", "helpers", "gitfilter", "--repo", str(repo)], check=True, capture_output=True)
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout == ""
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([jupyter, "server", f"--config={repo / 'lab' / 'jupyter_server_config.py'}", "--no-browser",
                             "--allow-root", "--ServerApp.ip=127.0.0.1",
                             f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
                             f"--ServerApp.root_dir={repo / 'notebooks'}"],
                            env=dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "rt")), stdout=log,
                            stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, token, proc, tmp_path / "server.log", seconds=60)
        name = "03_casualties.ipynb"
        nb = json.loads((repo / "notebooks" / name).read_text(encoding="utf-8"))
        nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
        for n, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
            cell["execution_count"] = n + 1
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["an output\n"]}]
            # what JupyterLab writes when a reader folds or scrolls an output
            cell["metadata"] |= {"collapsed": True, "scrolled": True, "execution": {"iopub.status.busy": "2026-11-30"}}
        body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
        req = urllib.request.Request(f"{base}/api/contents/{name}", data=body, method="PUT",
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})  # fmt: skip
        with urllib.request.urlopen(req, timeout=20) as resp:
            assert resp.status in (200, 201)
        saved = json.loads((repo / "notebooks" / name).read_text(encoding="utf-8"))
        assert not any(c.get("outputs") for c in saved["cells"] if c["cell_type"] == "code"), "saved without outputs"
        committed = subprocess.run(["git", "show", f"HEAD:notebooks/{name}"], cwd=repo, capture_output=True, text=True).stdout
        assert (repo / "notebooks" / name).read_text(encoding="utf-8") == committed, "saved byte for byte as committed"
        status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
        assert status == "", f"git sees a change after a save from Jupyter:\n{status}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_folding_scrolling_and_timing_in_jupyterlab_leave_git_clean(tmp_path, browser):
    """What a reader does in JupyterLab, done by clicking in a real JupyterLab configured as `make lab` configures it,
    in a clone with the project's git filter: run every cell with cell timing recorded (a setting), fold a cell's input
    and another's output, turn on scrolling for an output, save. The notebook on disk is the committed one byte for
    byte and `git status` is clean (the setting lives in the ignored .lab-settings)."""
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    subprocess.run([sys.executable, "-m", "helpers", "gitfilter", "--repo", str(repo)], check=True, capture_output=True)
    settings = repo / ".lab-settings"  # as `make lab` makes it: the project's settings, then the reader's own
    subprocess.run(["cp", "-r", str(repo / "lab" / "settings") + "/.", str(settings)], check=True)
    for rel, value in {**SETTINGS, "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
                       {"windowingMode": "none", "recordTiming": True}}.items():  # fmt: skip
        (settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings / rel).write_text(json.dumps(value))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        HELPERS_PROJECT_ROOT=str(repo),
        JUPYTER_CONFIG_DIR=str(repo / "lab"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(repo / ".lab-workspaces"),
        JUPYTER_RUNTIME_DIR=tempfile.mkdtemp(prefix="rt"),
    )  # fmt: skip (kernels' Unix sockets: a short path)
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--allow-root",
                             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
                             "--LabApp.news_url=None", f"--ServerApp.root_dir={repo}"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base, name = f"http://127.0.0.1:{port}", "03_casualties.ipynb"
    page = None
    try:
        _wait_until_up(base, token, proc, tmp_path / "lab.log")
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/notebooks/{name}?token={token}&reset", wait_until="domcontentloaded", timeout=60_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_function(READY, timeout=60_000, polling=250)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        _check(page, repo, repo / "notebooks" / name)
        code = page.locator(".jp-Notebook .jp-CodeCell")
        outputs = [i for i in range(code.count()) if code.nth(i).locator(".jp-OutputArea-output").count()]
        assert len(outputs) >= 2, "two cells with outputs to fold and to scroll"
        code.nth(0).locator(".jp-InputCollapser").click()  # fold an input
        code.nth(outputs[0]).locator(".jp-OutputCollapser").click()  # fold an output
        code.nth(outputs[1]).locator(".jp-OutputArea-output").first.click(button="right")  # scroll an output
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("scrolling", re.I)).first.click()
        page.wait_for_selector(".jp-mod-outputsScrolled", timeout=10_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="File").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Save Notebook").first.click()
        page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')", timeout=30_000, polling=250)
        time.sleep(1)
        saved = (repo / "notebooks" / name).read_text(encoding="utf-8")
        committed = subprocess.run(["git", "show", f"HEAD:notebooks/{name}"], cwd=repo, capture_output=True, text=True).stdout
        assert saved == committed, "the notebook saved from JupyterLab is the committed one, byte for byte"
        status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True).stdout
        assert status == "", f"git sees a change after folding, scrolling and saving in JupyterLab:\n{status}"
    except BaseException:
        if page is not None:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "folding.png"), full_page=True)
        raise
    finally:
        for session in _api(base, token, "/api/sessions") or []:
            _api(base, token, f"/api/sessions/{session['id']}", method="DELETE")
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
