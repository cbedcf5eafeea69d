"""Build the collection: execute every notebook in a fresh kernel and keep its outputs.

``python -m helpers build --help``. What it does, in order:

1. takes the build lock (``reports/.build.lock``): a second build waits for the first, saying so, and cleans up
   what a killed build left in ``reports/.staging``;
2. validates every table, with every check ``python -m helpers validate`` makes (a broken table stops the build
   before any notebook runs);
3. for each notebook in notebooks/ (``NN_*.ipynb``), hashes its inputs (``hashing``): its code cells, the tables
   it declares in ``metadata.helpers.reads``, the schema, the seeds, the helpers modules it imports and
   ``requirements.txt``. An unchanged notebook is skipped; one whose markdown alone changed gets its HTML
   refreshed from the last executed copy, without a kernel;
4. runs the others in parallel (one fresh kernel each, nbclient), each in notebooks/ as working directory, with
   figures staged in ``reports/.staging`` (the same filesystem as the outputs, so publishing is a rename);
5. on success, publishes the staged figures to reports/figures/ and the executed notebook and its HTML to
   reports/notebooks/; on failure, names the notebook and the failing cell, keeps the previous good outputs, and
   exits non-zero.

A notebook that reads a table it did not declare fails the build: the declaration is what makes "a changed
table re-runs exactly the notebooks that read it" true. Reads are seen from inside the kernel (see ``readlog``).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from .hashing import declared_reads, inputs_hash, markdown_hash

STATE_FILE = ".build-state.json"
STAGING = ".staging"
LOCK_FILE = ".build.lock"
SOCKETS_PREFIX = "helpers-kernel-"  # + the build's pid: kernel sockets and connection files in the temp dir
# Run in each kernel before the first cell, without binding a name or counting as an execution.
KERNEL_STARTUP = "__import__('helpers.readlog', fromlist=['_']).install_audit_hook()"


class BuildError(RuntimeError):
    """A build that cannot start or publish; the message names the path and why."""


@dataclass
class Result:
    name: str
    status: str  # ran | unchanged | refreshed | failed
    seconds: float = 0.0
    message: str = ""
    figures: list[str] = field(default_factory=list)


def notebooks(root: Path) -> list[Path]:
    return sorted(p for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _load_state(reports: Path) -> dict:
    try:
        return json.loads((reports / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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


def _title(nb) -> str:
    """The notebook's first heading, for the HTML page's <title>."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "Notebook"


def render_html(nb) -> str:
    """A self-contained HTML page (no require.js or MathJax from a CDN), titled from the notebook's heading."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.require_js_url = ""
    exporter.mathjax_url = ""
    nb.metadata["title"] = _title(nb)
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": _title(nb)}})
    return _offline(html)


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)


def _offline(html: str) -> str:
    """Drop the scripts that would reach the network or load nothing: an emptied require.js or MathJax tag
    (``src=""`` asks for the page itself) and the loader that imports mermaid from a CDN. The notebooks use
    neither maths nor diagrams; the page needs no script to show its outputs."""

    def keep(m: re.Match) -> str:
        attrs, body = m.group(1), m.group(2)
        if 'src=""' in attrs or "https://" in body or "text/x-mathjax-config" in attrs:
            return ""
        return m.group(0)

    return _SCRIPT.sub(keep, html)


def _publish_notebook(reports: Path, stem: str, nb) -> None:
    import nbformat

    out_dir = reports / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(out_dir / f"{stem}.html", render_html(nb))
    _write_atomic(out_dir / f"{stem}.ipynb", nbformat.writes(nb))


def _refresh_markdown(root: Path, nb_path: Path) -> Result:
    """The code is unchanged: take the last executed copy's outputs and the new markdown, re-render, no kernel."""
    import nbformat

    t0 = time.perf_counter()
    reports = root / "reports"
    new = nbformat.read(nb_path, as_version=4)
    old = nbformat.read(reports / "notebooks" / f"{nb_path.stem}.ipynb", as_version=4)
    executed = iter(c for c in old.cells if c.cell_type == "code")
    for cell in new.cells:
        if cell.cell_type == "code":
            done = next(executed)
            cell.outputs, cell.execution_count = done.outputs, done.execution_count
    _publish_notebook(reports, nb_path.stem, new)
    return Result(nb_path.name, "refreshed", time.perf_counter() - t0)


def _execute(root: Path, nb_path: Path, timeout: int, staging: Path, validated: str = "") -> Result:
    """Run one notebook in a fresh kernel; on success publish its outputs, on failure leave the old ones."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    reports = root / "reports"
    name = nb_path.name
    t0 = time.perf_counter()
    stage = staging / f"{nb_path.stem}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    fig_stage = stage / "figures"
    fig_stage.mkdir(parents=True)
    read_log = stage / "reads.log"
    sockets = None
    try:
        nb = nbformat.read(nb_path, as_version=4)
        env = dict(os.environ, **{paths.READ_LOG_ENV: str(read_log), paths.FIGURES_ENV: str(fig_stage),
                                  paths.ROOT_ENV: str(root), paths.VALIDATED_ENV: validated})  # fmt: skip
        # IPC transport (Unix sockets, with the connection file, in a private temp folder): kernels started in parallel
        # cannot race for a TCP port. Sockets go to the temp dir, not the staging folder, because a Unix socket's path
        # is limited to about 100 bytes and a project can live deep in the file system.
        sockets = Path(tempfile.mkdtemp(prefix=f"{SOCKETS_PREFIX}{os.getpid()}-"))
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "k"),
                           connection_file=str(sockets / "kernel.json"))  # fmt: skip
        client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3",
                                extra_arguments=[f"--IPKernelApp.exec_lines={KERNEL_STARTUP}"],
                                resources={"metadata": {"path": str(nb_path.parent)}})  # fmt: skip
        try:
            try:
                client.execute(env=env)
            finally:
                if km.has_kernel:  # nbclient leaves a kernel manager it was given running: stop it here
                    km.shutdown_kernel(now=False)
        except (CellExecutionError, DeadKernelError, TimeoutError, RuntimeError) as err:
            where = _failing_cell(nb)
            first = str(err).strip().splitlines()[0] if str(err).strip() else ""
            msg = where if where != "no cell reported an error" else f"{type(err).__name__}: {first}"
            return Result(name, "failed", time.perf_counter() - t0, msg)
        reads = set(read_log.read_text(encoding="utf-8").split()) if read_log.exists() else set()
        allowed = set(declared_reads(nb_path)) | {"datapackage.json"}
        undeclared = sorted(r for r in reads - allowed if not (r.startswith("excerpts/") and "sources" in allowed))
        if undeclared:
            return Result(name, "failed", time.perf_counter() - t0,
                          f"reads {', '.join(undeclared)} from data/ without declaring it in metadata.helpers.reads")  # fmt: skip
        # publish: figures first, then the executed notebook and its HTML (each by rename on one filesystem)
        figures_out = reports / "figures"
        figures_out.mkdir(parents=True, exist_ok=True)
        figures = sorted(p.name for p in fig_stage.iterdir() if p.is_file())
        for f in figures:
            os.replace(fig_stage / f, figures_out / f)
        _publish_notebook(reports, nb_path.stem, nb)
        return Result(name, "ran", time.perf_counter() - t0, figures=figures)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if sockets is not None:
            shutil.rmtree(sockets, ignore_errors=True)


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
        _remove_dead_kernel_dirs()
        for stale in list((reports / "notebooks").glob(".*.tmp")) + list((reports / "figures").glob(".*.tmp.*")):
            stale.unlink(missing_ok=True)
        staging.mkdir(parents=True, exist_ok=True)
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            fcntl.flock(fh, fcntl.LOCK_UN)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_dead_kernel_dirs() -> None:
    """Kernel socket folders left in the temp dir by a build that was killed (its pid is gone)."""
    for d in Path(tempfile.gettempdir()).glob(f"{SOCKETS_PREFIX}*"):
        pid = d.name[len(SOCKETS_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


def build(root: Path | None = None, force: bool = False, jobs: int | None = None, only: list[str] | None = None,
          timeout: int = 600, out=sys.stdout) -> list[Result]:  # fmt: skip
    root = root or paths.project_root()
    reports = root / "reports"
    t0 = time.perf_counter()
    all_nbs = notebooks(root)
    chosen = [p for p in all_nbs if not only or any(o in p.name for o in only)]
    if only and not chosen:
        raise BuildError(f"no notebook matches {only}; notebooks: {', '.join(p.name for p in all_nbs)}")
    with build_lock(reports, out) as staging:
        state = _load_state(reports)
        todo, refresh, results = [], [], {}
        hashes = {p.name: inputs_hash(root, p) for p in chosen}
        md = {p.name: markdown_hash(p) for p in chosen}
        for p in chosen:
            entry = state.get(p.name, {})
            if force or entry.get("hash") != hashes[p.name] or not _outputs_present(reports, p.name, entry):
                todo.append(p)
            elif entry.get("markdown") != md[p.name]:
                refresh.append(p)
            else:
                results[p.name] = Result(p.name, "unchanged")
        validated = ""
        if todo:
            from ..facts import validate  # pandas and pandera only when something must run
            from ..facts.load import fingerprint

            validated = fingerprint(root)
            problems = validate(root)
            if problems:
                print(f"the tables do not validate ({len(problems)} problem(s)); no notebook was run:", file=out)
                for pr in problems:
                    print(f"  - {pr}", file=out)
                return [Result(p.name, "failed", 0.0, "tables invalid") for p in todo]
        n = len(chosen)
        width = max((len(p.name) for p in chosen), default=10)
        index = {p.name: i + 1 for i, p in enumerate(chosen)}
        for name in results:
            print(f"[{index[name]}/{n}] {name:<{width}}  unchanged, skipped", file=out, flush=True)

        def record(r: Result) -> None:
            results[r.name] = r
            i = index[r.name]
            if r.status == "ran":
                print(f"[{i}/{n}] {r.name:<{width}}  ran in {r.seconds:.1f} s ({len(r.figures)} figure file(s))",
                      file=out, flush=True)  # fmt: skip
            elif r.status == "refreshed":
                print(f"[{i}/{n}] {r.name:<{width}}  markdown only: HTML refreshed in {r.seconds:.1f} s, no kernel",
                      file=out, flush=True)  # fmt: skip
            else:
                print(f"[{i}/{n}] {r.name:<{width}}  FAILED after {r.seconds:.1f} s: {r.message}", file=out, flush=True)
            if r.status in ("ran", "refreshed"):
                figures = r.figures if r.status == "ran" else state.get(r.name, {}).get("figures", [])
                state[r.name] = {"hash": hashes[r.name], "markdown": md[r.name], "figures": figures,
                                 "seconds": round(r.seconds, 2)}  # fmt: skip
                _write_atomic(reports / STATE_FILE, json.dumps(state, indent=2, sort_keys=True))

        for p in refresh:
            record(_refresh_markdown(root, p))
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for fut in [pool.submit(_execute, root, p, timeout, staging, validated) for p in todo]:
                record(fut.result())
        if todo or refresh or not (reports / "index.html").is_file():
            from ..reportkit import publish  # the manifest, index page and figure book, from what is now in reports/

            made_by = {f: name for name, entry in state.items() for f in entry.get("figures", [])}
            t1 = time.perf_counter()
            publish(root, made_by, book=bool(todo))
            print(f"report kit: index.html, figures.json{', figure-book.pdf' if todo else ''} in "
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
    p.add_argument("--only", nargs="+", metavar="NAME", help="run only notebooks whose file name contains NAME (e.g. 03)")
    p.add_argument("--timeout", type=int, default=600, help="seconds a single cell may run (default 600)")


def main(args: argparse.Namespace) -> int:
    try:
        results = build(force=args.force, jobs=args.jobs, only=args.only, timeout=args.timeout)
    except BuildError as err:
        print(f"build: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        if err.errno in (errno.EACCES, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EPERM, errno.ENOTDIR, errno.EEXIST):
            print(f"build: cannot write {err.filename or 'reports/'}: {err.strerror}", file=sys.stderr)
            return 2
        raise
    return 1 if any(r.status == "failed" for r in results) else 0
