"""The build: skips what did not change, re-runs exactly what did, fails loudly and keeps good outputs, stays offline."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from conftest import copy_collection

from helpers.builder import build, declared_reads, notebooks

ROOT = Path(__file__).resolve().parents[1]


def _run_cli(root: Path, *args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, HELPERS_PROJECT_ROOT=str(root), **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "helpers", "build", *args], env=env, cwd=ROOT.parent,
                          capture_output=True, text=True, timeout=900)  # fmt: skip


def _snapshot(reports: Path) -> dict[str, bytes]:
    return {str(p.relative_to(reports)): p.read_bytes() for p in sorted(reports.rglob("*")) if p.is_file()}


def test_a_second_build_skips_every_notebook(project):
    """How fast is ``make bench``'s business (a timing on a shared machine is a measurement, not a test)."""
    out = io.StringIO()
    results = build(root=project, out=out)
    assert [r.status for r in results] == ["unchanged"] * len(notebooks(project)), out.getvalue()
    assert out.getvalue().count("unchanged, skipped") == len(results)


def test_the_cli_no_op_from_another_directory(project):
    done = _run_cli(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 ran" in done.stdout and "0 failed" in done.stdout


def test_changing_one_fact_reruns_exactly_the_notebooks_that_read_it(project):
    readers = {p.name for p in notebooks(project) if "casualties" in declared_reads(p)}
    assert readers and len(readers) < len(notebooks(project))
    path = project / "data" / "casualties.csv"
    text = path.read_text(encoding="utf-8")
    assert "the attackers are not named in the article." in text
    before = _snapshot(project / "reports" / "notebooks")
    path.write_text(text.replace("the attackers are not named in the article.", "the attackers are not named."),
                    encoding="utf-8")  # fmt: skip
    out = io.StringIO()
    results = build(root=project, out=out)
    ran = {r.name for r in results if r.status == "ran"}
    assert ran == readers, out.getvalue()
    assert all(r.status in ("ran", "unchanged") for r in results)
    after = _snapshot(project / "reports" / "notebooks")
    rewritten = {Path(k).with_suffix(".ipynb").name for k in after if after[k] != before.get(k)}
    assert rewritten == readers, "exactly the readers' executed copies and HTML are new"


def test_a_broken_notebook_fails_by_name_and_cell_and_keeps_the_good_outputs(project):
    target = project / "notebooks" / "04_forces_in_mali.ipynb"
    nb = nbformat.read(target, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    broken_at = code[-1]
    nb.cells[broken_at].source = "raise ValueError('a deliberately broken cell')"
    nbformat.write(nb, target)
    before = _snapshot(project / "reports")
    done = _run_cli(project)
    assert done.returncode != 0
    line = next(ln for ln in done.stdout.splitlines() if "FAILED" in ln)
    assert "04_forces_in_mali.ipynb" in line
    assert f"cell {broken_at + 1}" in line and "ValueError" in line and "deliberately broken" in line
    after = _snapshot(project / "reports")
    assert set(before) <= set(after)
    changed = [k for k in before if before[k] != after[k] and k != ".build-state.json"]
    assert not changed, f"outputs changed although nothing ran successfully: {changed}"
    assert not [k for k in after if k.endswith(".tmp") or "/." in k], "a half-written file was left"
    assert "1 failed" in done.stdout


GUARD = textwrap.dedent(
    '''
    """Refuse every socket connection that is not to the loopback interface or a Unix socket, and log it."""
    import os
    import socket

    _LOG = os.environ["NETWORK_GUARD_LOG"]
    _connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex


    def _allowed(sock, address):
        if sock.family == getattr(socket, "AF_UNIX", None):
            return True
        host = address[0] if isinstance(address, tuple) else str(address)
        return host in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")


    def _guard(original):
        def connect(self, address):
            if not _allowed(self, address):
                with open(_LOG, "a") as fh:
                    fh.write(f"{os.getpid()} refused {address!r}\\n")
                raise ConnectionRefusedError(f"network guard: {address!r} is not loopback")
            return original(self, address)

        return connect


    socket.socket.connect = _guard(_connect)
    socket.socket.connect_ex = _guard(_connect_ex)
    '''
)


def _add_second_article(root: Path) -> None:
    """The recipe of docs/second-article.md, done to this collection: the short article of test_second_article in seeds/, its rows
    appended to the tables (a row whose id the collection already has is the collection's), validated."""
    import csv

    from test_second_article import SEED, _flood_rows

    from helpers.facts import validate

    (root / "seeds" / "001_flood.txt").write_text(SEED, encoding="utf-8")
    for table, rows in _flood_rows().items():
        path = root / "data" / f"{table}.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            header, have = reader.fieldnames, {r["id"] for r in reader}
        with open(path, "a", encoding="utf-8", newline="") as fh:
            csv.DictWriter(fh, fieldnames=header, lineterminator="\n").writerows(r for r in rows if r["id"] not in have)
    problems = validate(root)
    assert not problems, "\n".join(map(str, problems))


def test_with_a_second_article_added_the_whole_collection_builds_offline(tmp_path):
    """One build proves two things: the recipe for a second article holds for this collection (every notebook builds
    with a third story and a second seed in the tables), and no kernel reaches beyond loopback. It builds a fresh copy
    of the collection, not the shared build's, so it runs beside the tests of that build."""
    project = copy_collection(tmp_path / "project")
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "refused.log"
    env = {"PYTHONPATH": str(guard), "NETWORK_GUARD_LOG": str(log)}
    # the guard works: a connection to the outside is refused and logged, in this process's children too
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 80), timeout=2)"],
                           env=dict(os.environ, **env), capture_output=True, text=True)  # fmt: skip
    assert probe.returncode != 0 and "network guard" in probe.stderr
    assert "192.0.2.1" in log.read_text()
    log.unlink()
    _add_second_article(project)
    # the whole build, every kernel included (they inherit PYTHONPATH), under the guard
    done = _run_cli(project, "--force", env_extra=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(notebooks(project))} ran" in done.stdout
    assert not log.exists(), f"the build tried to reach the network:\n{log.read_text()}"
    timeline = (project / "reports" / "figures" / "timeline_both_stories.csv").read_text(encoding="utf-8")
    assert "ev_flood" in timeline, "the second article's event is on the timeline of every story"


def test_a_markdown_only_edit_refreshes_the_html_without_a_kernel(project):
    target = project / "notebooks" / "03_casualties.ipynb"
    nb = nbformat.read(target, as_version=4)
    nb.cells[0].source += "\n\nAn added sentence, markdown only."
    nbformat.write(nb, target)
    out = io.StringIO()
    results = build(root=project, out=out)
    status = {r.name: r.status for r in results}
    assert status["03_casualties.ipynb"] == "refreshed", out.getvalue()
    assert set(status.values()) == {"refreshed", "unchanged"}
    assert "no kernel" in out.getvalue()
    html = (project / "reports" / "notebooks" / "03_casualties.html").read_text(encoding="utf-8")
    assert "An added sentence, markdown only." in html
    executed = nbformat.read(project / "reports" / "notebooks" / "03_casualties.ipynb", as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code) and any(c.outputs for c in code), "outputs kept from the last run"


def test_a_chart_code_change_in_one_notebook_reruns_that_notebook_only(project):
    target = project / "notebooks" / "04_forces_in_mali.ipynb"
    nb = nbformat.read(target, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "def draw(L):" in c.source)
    cell.source = cell.source.replace("def draw(L):", "def draw(L):\n    # the figure body changed", 1)
    nbformat.write(nb, target)
    out = io.StringIO()
    results = build(root=project, out=out)
    assert {r.name for r in results if r.status == "ran"} == {"04_forces_in_mali.ipynb"}, out.getvalue()


def test_an_undeclared_read_of_a_data_file_fails_the_build(project):
    target = project / "notebooks" / "04_forces_in_mali.ipynb"
    nb = nbformat.read(target, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("import pandas as pd\nsneaky = pd.read_csv('../data/casualties.csv')"))
    nbformat.write(nb, target)
    out = io.StringIO()
    results = build(root=project, only=["04"], out=out)
    assert results[0].status == "failed", out.getvalue()
    assert "casualties" in results[0].message and "metadata.helpers.reads" in results[0].message


def test_two_builds_at_once_wait_for_each_other_and_leave_nothing_half_written(project):
    import threading

    outs = [io.StringIO(), io.StringIO()]
    results = []
    threads = [threading.Thread(target=lambda o=o: results.append(build(root=project, only=["03"], force=True, out=o)))
               for o in outs]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for res in results for r in res] == ["ran", "ran"], [o.getvalue() for o in outs]
    assert any("another build is running" in o.getvalue() for o in outs)
    reports = project / "reports"
    assert not [p for p in reports.rglob("*") if p.name.endswith(".tmp") or ".tmp." in p.name]
    assert not (reports / ".staging").exists() or not any((reports / ".staging").iterdir())


def test_a_tmpdir_on_another_filesystem_does_not_break_publishing(project, monkeypatch):
    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.fail("/dev/shm is missing: this test needs a tmpfs temp dir")
    monkeypatch.setenv("TMPDIR", str(shm))
    done = _run_cli(project, "--only", "02", "--force", env_extra={"TMPDIR": str(shm)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 ran" in done.stdout


def _processes_with(text: str, wait: float) -> list[str]:
    """Command lines of live processes that contain ``text``, after waiting up to ``wait`` s for them to go."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                line = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in line:
                found.append(line)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_a_killed_build_leaves_nothing_that_survives_the_next_one(project):
    import signal
    import tempfile

    env = dict(os.environ, HELPERS_PROJECT_ROOT=str(project))
    before = _snapshot(project / "reports")
    proc = subprocess.Popen([sys.executable, "-m", "helpers", "build", "--force", "--only", "07", "09"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    staging = project / "reports" / ".staging"
    deadline = time.monotonic() + 60

    def running() -> bool:  # a kernel is running the notebook's cells: its first table read is in its read log
        return any(log.stat().st_size for log in staging.glob("*/reads.log")) if staging.exists() else False

    while not running() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert running(), "no notebook started running its cells within a minute"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert staging.exists() and any(staging.iterdir()), "the kill came too late to leave anything behind"
    after_kill = _snapshot(project / "reports")
    changed = [k for k in before if k in after_kill and before[k] != after_kill[k] and not k.startswith(".")]
    for k in changed:  # anything published was published whole: an executed notebook reads as one
        if k.endswith(".ipynb"):
            nbformat.reads(after_kill[k].decode(), as_version=4)
    out = io.StringIO()
    results = build(root=project, only=["07"], out=out)
    assert [r.status for r in results] in (["ran"], ["unchanged"]), out.getvalue()
    assert not (staging.exists() and any(staging.iterdir())), "the next build did not clean the staging folder"
    leftovers = [d for d in Path(tempfile.gettempdir()).glob(f"helpers-kernel-{proc.pid}-*")]
    assert not leftovers, f"kernel folders of the killed build are still in the temp dir: {leftovers}"
    # the kernel server, its launchers and kernels carry the killed build's socket folder on their command line
    assert not _processes_with(f"helpers-kernel-{proc.pid}-", wait=10), "processes of the killed build are still alive"
    assert not [p for p in (project / "reports").rglob("*") if p.name.endswith(".tmp") or ".tmp." in p.name]


def test_an_unwritable_reports_folder_gives_one_line_not_a_traceback(project):
    shutil.rmtree(project / "reports")
    (project / "reports").write_text("not a folder")
    done = _run_cli(project, "--only", "03")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "reports" in lines[0] and ("Not a directory" in lines[0] or "File exists" in lines[0]), lines


def test_a_removed_notebook_takes_its_outputs_and_figures_out_of_the_report(project):
    """Renaming or deleting a notebook must not leave its old page and figures in the index and the figure book."""
    import json

    state = json.loads((project / "reports" / ".build-state.json").read_text(encoding="utf-8"))
    name = "03_casualties.ipynb"
    figures = state[name]["figures"]
    assert figures, "the notebook exports no figure: this test would prove little"
    (project / "notebooks" / name).unlink()
    out = io.StringIO()
    results = build(root=project, out=out)
    assert all(r.status == "unchanged" for r in results), out.getvalue()
    assert f"{name} is no longer in notebooks/" in out.getvalue()
    reports = project / "reports"
    assert not (reports / "notebooks" / "03_casualties.html").exists()
    assert not [f for f in figures if (reports / "figures" / f).exists()]
    manifest = json.loads((reports / "figures.json").read_text(encoding="utf-8"))
    assert not [f for f in manifest["figures"] if f["notebook"] == name or f["notebook"] == ""]
    assert "03_casualties" not in (reports / "index.html").read_text(encoding="utf-8")
    assert name not in json.loads((reports / ".build-state.json").read_text(encoding="utf-8"))


def test_a_figure_renamed_inside_its_notebook_leaves_no_old_files_or_manifest_entry(project):
    """The old name's files go from reports/figures/ and figures.json; the new name's come in."""
    import json

    target = project / "notebooks" / "03_casualties.ipynb"
    nb = nbformat.read(target, as_version=4)
    cell = next(c for c in nb.cells if 'FIGURE = "casualties"' in c.source)
    cell.source = cell.source.replace('FIGURE = "casualties"', 'FIGURE = "deaths_since_2013"')
    nbformat.write(nb, target)
    out = io.StringIO()
    results = build(root=project, out=out)
    assert {r.name: r.status for r in results}["03_casualties.ipynb"] == "ran", out.getvalue()
    figures = project / "reports" / "figures"
    assert not list(figures.glob("casualties.*")), "the old name's files are gone"
    assert (figures / "deaths_since_2013.png").is_file()
    manifest = json.loads((project / "reports" / "figures.json").read_text(encoding="utf-8"))
    names = {f["name"] for f in manifest["figures"]}
    assert "casualties" not in names and "deaths_since_2013" in names
    assert all(f["notebook"] for f in manifest["figures"]), "no entry without its notebook (a broken link)"


def test_a_notebook_without_cell_ids_builds_without_nbformat_warnings(project):
    """A notebook written by hand or an older tool has no cell ids: the build gives them, and prints no warning."""
    import json
    import warnings

    target = project / "notebooks" / "03_casualties.ipynb"
    raw = json.loads(target.read_text(encoding="utf-8"))
    for cell in raw["cells"]:
        cell.pop("id", None)
    target.write_text(json.dumps(raw, indent=1), encoding="utf-8")
    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = build(root=project, force=True, only=["03"], out=out)  # ids are not code: forced to run
    assert {r.name: r.status for r in results}["03_casualties.ipynb"] == "ran", out.getvalue()
    missing = [w for w in caught if type(w.message).__name__ == "MissingIDFieldWarning" or "missing an id" in str(w.message)]
    assert not missing, [str(w.message) for w in missing]


def test_the_build_reads_import_statements_one_parse_at_a_time(monkeypatch):
    """The build reads notebooks' imports from several threads; on CPython 3.11 before 3.11.8 two ``ast.parse``
    calls at once can raise "AST constructor recursion depth mismatch" (gh-106905). A slow parse that counts who is
    inside it shows whether the build's parses ever overlap."""
    import ast
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from helpers.builder import hashing

    real, inside, most = ast.parse, [0], [0]
    guard = threading.Lock()

    def slow_parse(*args, **kwargs):
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.002)
        try:
            return real(*args, **kwargs)
        finally:
            with guard:
                inside[0] -= 1

    monkeypatch.setattr(ast, "parse", slow_parse)
    paths = notebooks(Path(__file__).resolve().parents[1]) * 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(hashing.imported_modules, paths))
    assert all("helpers" in names for names in found)
    assert most[0] == 1, f"{most[0]} parses ran at once"


def test_the_tests_the_schedule_hands_out_first_exist():
    """``make test`` hands out the longest tests first (conftest.LONGEST, by name): a renamed test would silently fall
    back to the files' order and one process would again wait for the other at the end."""
    from conftest import LONGEST

    sources = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    missing = [name for name in LONGEST if f"def {name}(" not in sources]
    assert not missing, f"conftest.LONGEST names tests that do not exist: {missing}"


def test_a_table_a_read_table_rests_on_is_an_input_because_the_data_package_says_so(tmp_path):
    """A notebook that reads sources re-runs when a cited passage changes: sources declares x-inputs ['passages'] in
    datapackage.json. Without the declaration, the passage is not an input (no exception typed in the build)."""
    import json

    from helpers.builder.hashing import _digest, inputs_hash

    copy_collection(tmp_path)
    nb = tmp_path / "notebooks" / "02_french_drawdown.ipynb"
    assert "sources" in declared_reads(nb) and "passages" not in declared_reads(nb)
    passages = tmp_path / "data" / "passages.csv"

    def changed_by_a_passage() -> bool:
        before = inputs_hash(tmp_path, nb)
        text = passages.read_text(encoding="utf-8")
        passages.write_text(text + text.splitlines()[-1].replace(",", "x,", 1) + "\n", encoding="utf-8")
        _digest.cache_clear()
        after = inputs_hash(tmp_path, nb)
        passages.write_text(text, encoding="utf-8")
        _digest.cache_clear()
        return before != after

    assert changed_by_a_passage()
    package = tmp_path / "data" / "datapackage.json"
    dp = json.loads(package.read_text(encoding="utf-8"))
    for r in dp["resources"]:
        r.pop("x-inputs", None)
    package.write_text(json.dumps(dp, indent=2), encoding="utf-8")
    assert not changed_by_a_passage()


def test_a_build_with_nothing_to_do_imports_neither_pandas_nor_matplotlib(project):
    """The no-op build (the one a reader runs most) hashes, finds every notebook unchanged and checks the pages with
    the standard library: importing pandas alone would take longer than all of that."""
    code = ("import sys, io\nfrom helpers.builder import build\n"
            f"results = build(root=__import__('pathlib').Path({str(project)!r}), out=io.StringIO())\n"
            "assert all(r.status == 'unchanged' for r in results), results\n"
            "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules))")  # fmt: skip
    env = dict(os.environ, HELPERS_PROJECT_ROOT=str(project))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", f"a no-op build imported {done.stdout.strip()}"
