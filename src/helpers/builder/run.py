"""Build the collection: execute every notebook in a fresh kernel and keep its outputs.

``python -m helpers build --help``. What it does, in order:

1. takes the build lock (``reports/.build.lock``): a second build waits for the first, saying so, and cleans up
   what a killed build left in ``reports/.staging``;
2. for each notebook in notebooks/ (``NN_*.ipynb``), hashes its inputs (``hashing``): its code cells, the tables
   it declares in ``metadata.helpers.reads``, the schema, the seeds, the helpers modules it imports and
   ``requirements.txt``. An unchanged notebook is skipped; one whose markdown alone changed gets its HTML
   refreshed from the last executed copy, without a kernel;
3. starts the kernels of the first notebooks to run (``pool``: one fresh kernel process per notebook, started ahead
   of need with the notebook's imports loaded but no name bound) and, meanwhile, validates every table with every
   check ``python -m helpers validate`` makes: a broken table stops the build before any notebook runs;
4. runs the notebooks on as many workers as there are cores, the longest first (by the last build's times), each
   in notebooks/ as working directory with figures staged in ``reports/.staging`` (the same filesystem as the
   outputs, so publishing is a rename); a used kernel is stopped in the background;
5. on success, publishes the staged figures to reports/figures/ at once, then the executed notebook and its HTML to
   reports/notebooks/ on a thread of their own (rendering is not the worker's job); on failure, names the notebook
   and the failing cell, keeps the previous good outputs, and exits non-zero;
6. writes the report kit (``publish.site``): manifest, index page, figure book.

A notebook that reads a table it did not declare fails the build: the declaration is what makes "a changed
table re-runs exactly the notebooks that read it" true. Reads are seen from inside the kernel (see ``readlog``).
``--cold`` starts each kernel only when its notebook runs, with nothing imported ahead (``tests/test_isolation.py``
checks that the warm start changes nothing); ``--no-fork`` starts kernels ahead without the kernel server.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..atomic import write_atomic
from .hashing import declared_reads, inputs_hash, markdown_hash, read_notebook_node
from .nbclean import skip_iri_check
from .pages import publish_notebook
from .pool import KernelPool, Warm, remove_dead_kernel_dirs

# the build's process renders HTML with nbformat and nbconvert: without a 0.8 s optional import (helpers.nbclean)
skip_iri_check()

STATE_FILE = ".build-state.json"
STAGING = ".staging"
LOCK_FILE = ".build.lock"


class BuildError(RuntimeError):
    """A build that cannot start or publish; the message names the path and why."""


@dataclass
class Result:
    name: str
    status: str  # ran | unchanged | refreshed | failed
    seconds: float = 0.0
    message: str = ""
    figures: list[str] = field(default_factory=list)
    cells: float = 0.0  # seconds of the notebook's own cells (ran only)
    html: str = ""  # the key of its published HTML page (html_key)
    kernel: float = 0.0  # seconds its kernel took to start and import, ahead of need (ran only)


def notebooks(root: Path) -> list[Path]:
    return sorted(p for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _load_state(reports: Path) -> dict:
    try:
        return json.loads((reports / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _outputs_present(reports: Path, name: str, entry: dict) -> bool:
    stem = Path(name).stem
    needed = [reports / "notebooks" / f"{stem}.ipynb", reports / "notebooks" / f"{stem}.html"]
    needed += [reports / "figures" / f for f in entry.get("figures", [])]
    return all(p.is_file() for p in needed)


def _failing_cell(nb) -> str:
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return f"cell {i + 1} ({first[:60]!r}): {out.get('ename')}: {out.get('evalue')}"
    return "no cell reported an error"


def _refresh_markdown(root: Path, nb_path: Path) -> Result:
    """The code is unchanged: take the last executed copy's outputs and the new markdown, re-render, no kernel."""
    t0 = time.perf_counter()
    reports = paths.reports_dir(root)
    new = read_notebook_node(nb_path)
    old = read_notebook_node(reports / "notebooks" / f"{nb_path.stem}.ipynb")
    executed = iter(c for c in old.cells if c.cell_type == "code")
    for cell in new.cells:
        if cell.cell_type == "code":
            done = next(executed)
            cell.outputs, cell.execution_count = done.outputs, done.execution_count
    key = publish_notebook(reports, nb_path.stem, new)
    return Result(nb_path.name, "refreshed", time.perf_counter() - t0, html=key)


def _cell_seconds(nb) -> float:
    """The notebook's own work: the sum of its cells' execution times, as nbclient timed them in the kernel."""
    from datetime import datetime

    total = 0.0
    for cell in nb.cells:
        ex = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in ex and "shell.execute_reply" in ex:
            start, end = (datetime.fromisoformat(ex[k]) for k in ("iopub.execute_input", "shell.execute_reply"))
            total += (end - start).total_seconds()
    return total


def _execute(root: Path, warm: Warm, timeout: int) -> tuple[Result, object]:
    """Run one notebook in the fresh kernel started for it; on success publish its figures (the notebook and its
    HTML are published by the caller, off this worker). On failure nothing is published."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    reports = paths.reports_dir(root)
    nb_path = warm.nb_path
    name = nb_path.name
    t0 = time.perf_counter()
    nb = read_notebook_node(nb_path)
    try:
        if warm.error:
            return Result(name, "failed", 0.0, warm.error), nb
        # coalesce_streams: a cell's printed lines are one output however the kernel happened to flush them, so the
        # published notebook is the same from run to run
        client = NotebookClient(nb, km=warm.km, timeout=timeout, kernel_name="python3", coalesce_streams=True,
                                resources={"metadata": {"path": str(nb_path.parent)}})  # fmt: skip
        client.kc = warm.kc  # ready (pool.start_kernel); nbclient leaves it open, pool.retire closes it
        try:
            client.execute()
        except (CellExecutionError, DeadKernelError, TimeoutError, RuntimeError) as err:
            where = _failing_cell(nb)
            first = str(err).strip().splitlines()[0] if str(err).strip() else ""
            msg = where if where != "no cell reported an error" else f"{type(err).__name__}: {first}"
            return Result(name, "failed", time.perf_counter() - t0, msg), nb
        reads = set(warm.read_log.read_text(encoding="utf-8").split()) if warm.read_log.exists() else set()
        allowed = set(declared_reads(nb_path)) | {"datapackage.json"}
        undeclared = sorted(reads - allowed)
        if undeclared:
            msg = f"reads {', '.join(undeclared)} from data/ without declaring it in metadata.helpers.reads"
            return Result(name, "failed", time.perf_counter() - t0, msg), nb
        # figures first (each by rename on one filesystem); the notebook and its HTML follow (pages.publish_notebook)
        figures_out = reports / "figures"
        figures_out.mkdir(parents=True, exist_ok=True)
        figures = sorted(p.name for p in warm.figures.iterdir() if p.is_file())
        for f in figures:
            os.replace(warm.figures / f, figures_out / f)
        res = Result(name, "ran", time.perf_counter() - t0, figures=figures)
        res.cells = _cell_seconds(nb)
        res.kernel = warm.started
        return res, nb
    finally:
        shutil.rmtree(warm.stage, ignore_errors=True)


@contextlib.contextmanager
def build_lock(reports: Path, out=sys.stdout):
    """One build at a time: a second one waits (and says so). Whatever a killed build left in the staging folder is
    removed once the lock is held, since no other build can be using it then."""
    try:
        reports.mkdir(parents=True, exist_ok=True)
        fh = open(reports / LOCK_FILE, "a+")
    except OSError as err:
        raise BuildError(f"cannot write to {reports}: {err.strerror} (the build needs a writable reports/ folder)") from err
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another build is running in {reports}; waiting for it to finish ...", file=out, flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        staging = reports / STAGING
        shutil.rmtree(staging, ignore_errors=True)
        remove_dead_kernel_dirs()
        for stale in list((reports / "notebooks").glob(".*.tmp")) + list((reports / "figures").glob(".*.tmp.*")):
            stale.unlink(missing_ok=True)
        staging.mkdir(parents=True, exist_ok=True)
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            fcntl.flock(fh, fcntl.LOCK_UN)


def _prune_removed(reports: Path, state: dict, present: set[str], out) -> list[str]:
    """Outputs of notebooks that are no longer in notebooks/ (removed or renamed): their executed copy, HTML page and
    figures go, so the index and the figure book list only what the collection still makes."""
    gone = sorted(name for name in state if name not in present)
    kept = {f for name, entry in state.items() if name in present for f in entry.get("figures", [])}
    for name in gone:
        stem = Path(name).stem
        files = [reports / "notebooks" / f"{stem}.{ext}" for ext in ("html", "ipynb")]
        files += [reports / "figures" / f for f in state[name].get("figures", []) if f not in kept]
        for f in files:
            f.unlink(missing_ok=True)
        del state[name]
        print(f"{name} is no longer in notebooks/: its outputs were removed", file=out, flush=True)
    if gone:
        write_atomic(reports / STATE_FILE, json.dumps(state, indent=2, sort_keys=True))
    return gone


def _prune_renamed(reports: Path, state: dict, name: str, figures: list[str]) -> None:
    """Files a notebook made last time but not this time (a figure renamed or dropped inside it) go, so the reports
    list only what it now makes; a file another notebook still makes stays."""
    before = set(state.get(name, {}).get("figures", []))
    others = {f for n, entry in state.items() if n != name for f in entry.get("figures", [])}
    for f in sorted(before - set(figures) - others):
        (reports / "figures" / f).unlink(missing_ok=True)


def _guess_seconds(nb_path: Path) -> float:
    """A notebook never built here: its time guessed from its code's length (about 3,000 characters a second on
    this collection), only to order the first build."""
    from .hashing import code_cells, read_notebook

    return sum(len(c) for c in code_cells(read_notebook(nb_path))) / 3000


def _warm_font_cache() -> None:
    """On a fresh machine matplotlib builds its font list on first import: do it once here, not in every kernel."""
    import matplotlib

    if not list(Path(matplotlib.get_cachedir()).glob("fontlist-*.json")):
        import matplotlib.font_manager  # noqa: F401 - builds and saves the cache


def _run(root: Path, todo: list[Path], staging: Path, workers: int, timeout: int, record, out, cold: bool,
         known_html: dict[str, str], fork: bool = True) -> bool:  # fmt: skip
    """Validate the tables while the first kernels start; then run ``todo`` on ``workers`` threads, each notebook in
    the kernel the pool started for it, and publish each notebook and its HTML on a thread of their own. Returns
    False (and runs nothing) when the tables do not validate."""
    from concurrent.futures import FIRST_COMPLETED, wait

    from ..facts.load import fingerprint

    if cold or not fork:  # otherwise the kernel server imports matplotlib, once, before any kernel
        _warm_font_cache()
    validated = fingerprint(root)
    kernels = KernelPool(root, todo, staging, validated, ahead=workers + 1, cold=cold, fork=fork)
    try:
        from ..facts import validate  # pandas and pandera only when something must run

        problems = validate(root)
        if problems:
            print(f"the tables do not validate ({len(problems)} problem(s)); no notebook was run:", file=out)
            for pr in problems:
                print(f"  - {pr}", file=out)
            for p in todo:
                record(Result(p.name, "failed", 0.0, "tables invalid"))
            return False
        # validated: loading the tables again in this process (the claims page) need not repeat it while they hash the same
        os.environ[paths.VALIDATED_ENV] = validated
        reports = paths.reports_dir(root)

        def execute(p: Path) -> tuple[Result, object]:
            warm = kernels.take(p)
            try:
                return _execute(root, warm, timeout)
            finally:
                kernels.give_back(warm)

        def publish(res: Result, nb) -> Result:
            res.html = publish_notebook(reports, Path(res.name).stem, nb, known_html.get(res.name, ""))
            from ..publish.site import draw_pages, figure_entry

            # its figure book pages now, while other notebooks run, rather than all of them at the end
            metas = [reports / "figures" / f for f in res.figures if f.endswith(".meta.json")]
            draw_pages(root, [figure_entry(root, m, res.name) for m in metas])
            return res

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notebook") as runners, \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="html") as html:  # fmt: skip
            running = {runners.submit(execute, p) for p in todo}
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    got = fut.result()
                    if isinstance(got, Result):  # published: the notebook is done
                        record(got)
                    elif got[0].status == "ran":  # executed: its notebook and HTML are written on the html thread
                        running.add(html.submit(publish, *got))
                    else:
                        record(got[0])
    finally:
        kernels.close()
    return True


def _picks(wanted: str, name: str) -> bool:
    """``--only``: a number picks the notebook with that number ('3' and '03' pick 03_..., not 13_...); anything else
    picks notebooks whose file name contains it."""
    if wanted.isdigit():
        number = name.split("_", 1)[0]
        return number.isdigit() and int(number) == int(wanted)
    return wanted in name


def build(root: Path | None = None, force: bool = False, jobs: int | None = None, only: list[str] | None = None,
          timeout: int = 600, out=sys.stdout, cold: bool = False, fork: bool = True) -> list[Result]:  # fmt: skip
    root = root or paths.project_root()
    reports = paths.reports_dir(root)
    t0 = time.perf_counter()
    all_nbs = notebooks(root)
    chosen = [p for p in all_nbs if not only or any(_picks(o, p.name) for o in only)]
    if only and not chosen:
        raise BuildError(f"no notebook matches {only}; notebooks: {', '.join(p.name for p in all_nbs)}")
    with build_lock(reports, out) as staging:
        state = _load_state(reports)
        pruned = _prune_removed(reports, state, {p.name for p in all_nbs}, out)
        todo, refresh, results = [], [], {}
        memo: dict = {}
        hashes = {p.name: inputs_hash(root, p, memo) for p in chosen}
        md = {p.name: markdown_hash(p) for p in chosen}
        for p in chosen:
            entry = state.get(p.name, {})
            if force or entry.get("hash") != hashes[p.name] or not _outputs_present(reports, p.name, entry):
                todo.append(p)
            elif entry.get("markdown") != md[p.name]:
                refresh.append(p)
            else:
                results[p.name] = Result(p.name, "unchanged")
        n = len(chosen)
        width = max((len(p.name) for p in chosen), default=10)
        index = {p.name: i + 1 for i, p in enumerate(chosen)}
        for name in results:
            print(f"[{index[name]}/{n}] {name:<{width}}  unchanged, skipped", file=out, flush=True)

        def record(r: Result) -> None:
            results[r.name] = r
            i = index[r.name]
            if r.status == "ran":
                print(f"[{i}/{n}] {r.name:<{width}}  ran in {r.seconds:.1f} s, its cells {r.cells:.1f} s "
                      f"({len(r.figures)} figure file(s))", file=out, flush=True)  # fmt: skip
            elif r.status == "refreshed":
                print(f"[{i}/{n}] {r.name:<{width}}  markdown only: HTML refreshed in {r.seconds:.1f} s, no kernel",
                      file=out, flush=True)  # fmt: skip
            else:
                print(f"[{i}/{n}] {r.name:<{width}}  FAILED after {r.seconds:.1f} s: {r.message}", file=out, flush=True)
            if r.status == "ran":
                _prune_renamed(reports, state, r.name, r.figures)
            if r.status in ("ran", "refreshed"):
                figures = r.figures if r.status == "ran" else state.get(r.name, {}).get("figures", [])
                entry = {"hash": hashes[r.name], "markdown": md[r.name], "figures": figures, "seconds": round(r.seconds, 2),
                         "html": r.html}  # fmt: skip
                if r.status == "ran":
                    entry |= {"cells": round(r.cells, 2), "kernel": round(r.kernel, 2)}
                state[r.name] = entry
                write_atomic(reports / STATE_FILE, json.dumps(state, indent=2, sort_keys=True))

        from ..publish.site import pages_stale  # light: the standard library only

        publish_kit = bool(todo or refresh or pruned or not (reports / "index.html").is_file() or pages_stale(root))
        if publish_kit:
            from ..publish.site import start_commit

            built_from = start_commit(root)  # git works while the notebooks run
        for p in refresh:
            record(_refresh_markdown(root, p))
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
        if todo:
            # the longest first (by the last build's times): a long notebook started last would run alone at the end
            todo.sort(key=lambda p: -state.get(p.name, {}).get("seconds", _guess_seconds(p)))
            known_html = {name: entry.get("html", "") for name, entry in state.items()}
            if not _run(root, todo, staging, workers, timeout, record, out, cold, known_html, fork):
                publish_kit = False  # nothing is published from tables that do not validate
        if publish_kit:
            from ..publish.site import publish  # the manifest, index page and figure book, from what is now in reports/

            made_by = {f: name for name, entry in state.items() for f in entry.get("figures", [])}
            t1 = time.perf_counter()
            publish(root, made_by, book=bool(todo), built_from=built_from())
            print(f"report kit: index.html, claims.html, figures.json{', figure-book.pdf' if todo else ''} in "
                  f"{time.perf_counter() - t1:.1f} s", file=out, flush=True)  # fmt: skip
    ordered = [results[p.name] for p in chosen]
    counts = {s: sum(r.status == s for r in ordered) for s in ("ran", "refreshed", "unchanged", "failed")}
    print(
        f"{n} notebook(s): {counts['ran']} ran, {counts['refreshed']} refreshed, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed in {time.perf_counter() - t0:.1f} s"
        + (f" ({workers} in parallel)" if counts["ran"] > 1 else "")
        + f"; outputs in {reports}",
        file=out,
        flush=True,
    )
    return ordered


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="re-run every notebook even if its inputs are unchanged")
    p.add_argument("--jobs", "-j", type=int, default=None, help="notebooks to run at once (default: the number of cores)")
    p.add_argument("--only", nargs="+", metavar="NAME",
                   help="run these notebooks, changed or not, and no others: a number picks by number (3 or 03), a "
                        "word by file name")  # fmt: skip
    p.add_argument("--timeout", type=int, default=600, help="seconds a single cell may run (default 600)")
    p.add_argument("--cold", action="store_true",
                   help="start each kernel only when its notebook runs and import nothing ahead (slower; for checking "
                        "that a notebook does not depend on the warm start)")  # fmt: skip
    p.add_argument("--no-fork", action="store_true", help="start kernels ahead the plain way, not forked from the kernel "
                   "server (each imports its notebook's modules itself; make bench measures what the server saves)")  # fmt: skip


def main(args: argparse.Namespace) -> int:
    try:
        results = build(
            force=args.force or bool(args.only),  # notebooks named on the command line run, whether or not they changed
            jobs=args.jobs,
            only=args.only,
            timeout=args.timeout,
            cold=args.cold,
            fork=not args.no_fork,
        )
    except BuildError as err:
        print(f"build: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        if err.errno in (errno.EACCES, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EPERM, errno.ENOTDIR, errno.EEXIST):
            print(f"build: cannot write {err.filename or 'reports/'}: {err.strerror}", file=sys.stderr)
            return 2
        raise
    return 1 if any(r.status == "failed" for r in results) else 0
