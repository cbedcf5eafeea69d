"""Warm kernels keep notebooks apart: each notebook runs in a fresh kernel process with nothing of another's, the
modules imported ahead bind no name, and a warm build writes exactly what a cold one writes."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import nbformat
import pytest
from conftest import copy_collection

from helpers.builder import build, notebooks
from helpers.builder.hashing import imported_modules

ROOT = Path(__file__).resolve().parents[1]


def _notebook(path: Path, *cells: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}")] + [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["helpers"] = {"reads": []}
    nbformat.write(nb, path)


def _outputs(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells if c.cell_type == "code"]


def test_a_name_from_one_notebook_is_not_visible_in_the_next_on_the_same_worker(project):
    nbs = project / "notebooks"
    _notebook(nbs / "97_leak_a.ipynb", "import os\nimport pandas as pd\nleaked = 42\nprint(os.getpid())")
    _notebook(
        nbs / "98_leak_b.ipynb",
        # before this notebook imports anything: pandas is already loaded (warm), but no name is bound
        "import sys\nprint('pandas loaded:', 'pandas' in sys.modules)\n"
        "print('names:', sorted(n for n in ('leaked', 'pd', 'os') if n in globals()))",
        "import os\nimport pandas as pd\nprint(os.getpid())",
    )
    out = io.StringIO()
    results = build(root=project, only=["_leak_"], jobs=1, out=out)  # one worker runs both, one after the other
    assert [r.status for r in results] == ["ran", "ran"], out.getvalue()
    a = _outputs(project / "reports" / "notebooks" / "97_leak_a.ipynb")
    b = _outputs(project / "reports" / "notebooks" / "98_leak_b.ipynb")
    first, names = b[0].splitlines()
    assert first == "pandas loaded: True", "the kernel was not started warm, so this test would prove nothing"
    assert names == "names: []", f"names visible before the notebook defined them: {names}"
    assert a[0].strip() != b[1].strip(), "both notebooks ran in the same kernel process"
    executed = nbformat.read(project / "reports" / "notebooks" / "98_leak_b.ipynb", as_version=4)
    assert [c.execution_count for c in executed.cells if c.cell_type == "code"] == [1, 2]


def test_a_notebook_that_forgets_an_import_fails_although_the_module_was_loaded_ahead(project):
    path = project / "notebooks" / "97_forgets.ipynb"
    _notebook(path, "frame = pd.DataFrame({'a': [1]})", "import pandas as pd")
    assert "pandas" in imported_modules(path)  # so the warm kernel had pandas in sys.modules
    out = io.StringIO()
    results = build(root=project, only=["97_forgets"], out=out)
    assert results[0].status == "failed", out.getvalue()
    assert "cell 2" in results[0].message and "NameError" in results[0].message and "'pd'" in results[0].message


def _executed(path: Path) -> list:
    """Every code cell's source, execution count and outputs (timing metadata aside)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["source"], c["execution_count"], c["outputs"]) for c in nb["cells"] if c["cell_type"] == "code"]


# a table notebook and the ledger with its ClaimReview file; a chart and a map run cold in JupyterLab, whose files
# tests/test_jupyterlab.py compares with the build's in the same way
COLD = ("01", "10")


def test_a_warm_build_writes_exactly_what_a_cold_build_writes(built, tmp_path, monkeypatch):
    """``built`` was made by the default (warm) build; notebooks run cold, each kernel started when needed and
    importing nothing ahead, must give the same figure files byte for byte and the same cell outputs. (Two notebooks,
    not all: each kind of work once is what the comparison needs, and the chart and map kinds are compared from
    JupyterLab's plain kernels.)"""
    cold = copy_collection(tmp_path / "cold", built)
    monkeypatch.setenv("HELPERS_PROJECT_ROOT", str(cold))
    out = io.StringIO()
    results = build(root=cold, force=True, cold=True, only=list(COLD), out=out)
    assert len(results) == len(COLD) and all(r.status == "ran" for r in results), out.getvalue()
    warm_figs, cold_figs = built / "reports" / "figures", cold / "reports" / "figures"
    names = sorted(p.name for p in cold_figs.iterdir())
    assert len(names) >= 10, "the cold notebooks made their figures"
    different = [n for n in names if (warm_figs / n).read_bytes() != (cold_figs / n).read_bytes()]
    assert not different, f"figure files that differ between a warm and a cold build: {different}"
    for nb in notebooks(cold):
        if not nb.name.startswith(COLD):
            continue
        name = f"{nb.stem}.ipynb"
        warm_cells = _executed(built / "reports" / "notebooks" / name)
        cold_cells = _executed(cold / "reports" / "notebooks" / name)
        assert warm_cells == cold_cells, f"{name}: cell outputs differ between a warm and a cold build"


@pytest.mark.parametrize("how", ["killed", "unreachable"])
def test_a_kernel_server_that_fails_costs_speed_not_notebooks(project, tmp_path, how):
    """If the kernel server is gone (killed) or cannot fork a kernel (its socket gone while it still runs), the next
    kernel starts the plain way and works."""
    from helpers.builder.pool import KernelPool

    nb = project / "notebooks" / "01_source_and_facts.ipynb"
    staging = tmp_path / "staging"
    staging.mkdir()
    pool = KernelPool(project, [nb], staging, validated="", ahead=0)  # ahead=0: the kernel starts when taken
    try:
        assert pool.zygote is not None and pool.zygote.ready(), "no kernel server: this test would prove nothing"
        if how == "killed":
            pool.zygote.proc.kill()
            pool.zygote.proc.wait()
        else:
            os.unlink(pool.zygote.socket)
        warm = pool.take(nb)
        try:
            assert not warm.error, warm.error
            assert "ForkedKernelManager" not in type(warm.km).__name__
            msg_id = warm.kc.execute("print(6 * 7)")
            reply = warm.kc.get_shell_msg(timeout=60)
            while reply["parent_header"].get("msg_id") != msg_id:  # replies to the start-up's kernel_info requests
                reply = warm.kc.get_shell_msg(timeout=60)
            assert reply["content"]["status"] == "ok"
        finally:
            pool.give_back(warm)
    finally:
        pool.close()


def test_the_kernel_server_has_one_thread_when_it_forks():
    """The kernel server, started as the pool starts it and with everything the notebooks import loaded, has one
    thread (counted by the kernel in /proc), so a fork copies a whole process; a server with more would refuse to
    fork and every kernel would start the slow way."""
    import os

    from helpers.builder.hashing import imported_modules
    from helpers.builder.pool import Zygote

    modules = sorted({m for nb in notebooks(ROOT) for m in imported_modules(nb)})
    assert {"pandas", "geopandas", "matplotlib.pyplot"} & set(modules), modules
    server = Zygote(ROOT, modules)
    try:
        assert server.ready(), "the kernel server did not start"
        threads = len(os.listdir(f"/proc/{server.proc.pid}/task"))
    finally:
        server.close()
    assert threads == 1, f"the kernel server has {threads} threads: it would refuse to fork"
