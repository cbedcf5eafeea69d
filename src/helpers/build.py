"""Build the collection: execute every notebook in a fresh kernel and keep its outputs.

``python -m helpers build --help``. What it does, in order:

1. validates every table (a broken table stops the build before any notebook runs);
2. for each notebook in notebooks/ (``NN_*.ipynb``), hashes its inputs: the notebook, the tables it
   declares in its metadata (``metadata.helpers.reads``), data/datapackage.json, seeds/, the helpers
   code and requirements.txt. Content hashes, not timestamps. An unchanged notebook whose outputs are
   still in place is skipped;
3. runs the others in parallel (one kernel each, nbclient), each in notebooks/ as working directory and
   with figures staged in a private folder;
4. on success, moves the staged figures to reports/figures/ and writes the executed notebook and its
   HTML rendering to reports/notebooks/; on failure, names the notebook and the failing cell, keeps the
   previous good outputs, and exits non-zero.

A notebook that reads a table it did not declare fails the build: the declaration is what makes
"a changed table re-runs exactly the notebooks that read it" true.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import paths

STATE_FILE = ".build-state.json"
READ_LOG_ENV = "HELPERS_READ_LOG"
FIGURES_ENV = "HELPERS_FIGURES_DIR"


@dataclass
class Result:
    name: str
    status: str  # ran | unchanged | failed
    seconds: float = 0.0
    message: str = ""
    figures: list[str] = field(default_factory=list)


def notebooks(root: Path) -> list[Path]:
    return sorted(p for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def declared_reads(nb_path: Path) -> list[str]:
    meta = json.loads(nb_path.read_text(encoding="utf-8")).get("metadata", {})
    return list(meta.get("helpers", {}).get("reads", []))


def _hash_files(h, files) -> None:
    for p in files:
        h.update(str(p.name).encode() + b"\0")
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
        h.update(b"\0")


def inputs_hash(root: Path, nb_path: Path) -> str:
    h = hashlib.sha256()
    _hash_files(h, [nb_path, root / "data" / "datapackage.json", root / "requirements.txt"])
    _hash_files(h, [root / "data" / f"{t}.csv" for t in sorted(declared_reads(nb_path))])
    _hash_files(h, sorted((root / "seeds").glob("*")))
    helpers_dir = Path(__file__).resolve().parent
    _hash_files(h, sorted(p for p in helpers_dir.rglob("*") if p.suffix in (".py", ".mplstyle")))
    return h.hexdigest()


def _load_state(reports: Path) -> dict:
    try:
        return json.loads((reports / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_state(reports: Path, state: dict) -> None:
    reports.mkdir(parents=True, exist_ok=True)
    tmp = reports / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(reports / STATE_FILE)


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


def _execute(root: Path, nb_path: Path, timeout: int) -> Result:
    """Run one notebook; on success publish its outputs, on failure leave the old ones."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from nbconvert import HTMLExporter

    reports = root / "reports"
    name = nb_path.name
    t0 = time.perf_counter()
    stage = Path(tempfile.mkdtemp(prefix=f"build-{nb_path.stem}-"))
    read_log = stage / "reads.log"
    fig_stage = stage / "figures"
    fig_stage.mkdir()
    nb = nbformat.read(nb_path, as_version=4)
    # the kernel gets this process's environment plus where to log table reads and stage figures
    env = dict(os.environ, **{READ_LOG_ENV: str(read_log), FIGURES_ENV: str(fig_stage), paths.ROOT_ENV: str(root)})
    # IPC transport (Unix sockets in the private staging folder): kernels started in parallel cannot race for a
    # TCP port ("Address already in use"), nothing listens on the network, and the kernel does not warn that
    # TCP traffic is unencrypted.
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(stage / "kernel"))
    client = NotebookClient(
        nb, km=km, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(nb_path.parent)}}
    )
    try:
        try:
            client.execute(env=env)
        finally:
            if km.has_kernel:  # nbclient leaves a kernel manager it was given running: stop it here
                km.shutdown_kernel(now=False)
    except (CellExecutionError, DeadKernelError, TimeoutError, RuntimeError) as err:
        where = _failing_cell(nb)
        shutil.rmtree(stage, ignore_errors=True)
        first = str(err).strip().splitlines()[0] if str(err).strip() else ""
        msg = where if where != "no cell reported an error" else f"{type(err).__name__}: {first}"
        return Result(name, "failed", time.perf_counter() - t0, msg)

    reads = set(read_log.read_text(encoding="utf-8").split()) if read_log.exists() else set()
    undeclared = sorted(reads - set(declared_reads(nb_path)))
    if undeclared:
        shutil.rmtree(stage, ignore_errors=True)
        return Result(
            name,
            "failed",
            time.perf_counter() - t0,
            f"reads table(s) {', '.join(undeclared)} not declared in metadata.helpers.reads",
        )
    # publish: figures first, then the executed notebook and its HTML (each by atomic rename)
    figures_out = reports / "figures"
    figures_out.mkdir(parents=True, exist_ok=True)
    figures = sorted(p.name for p in fig_stage.iterdir() if p.is_file())
    for f in figures:
        os.replace(fig_stage / f, figures_out / f)
    out_dir = reports / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp_nb = out_dir / f".{nb_path.stem}.ipynb.tmp"
    nbformat.write(nb, tmp_nb)
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    tmp_html = out_dir / f".{nb_path.stem}.html.tmp"
    tmp_html.write_text(html, encoding="utf-8")
    os.replace(tmp_nb, out_dir / f"{nb_path.stem}.ipynb")
    os.replace(tmp_html, out_dir / f"{nb_path.stem}.html")
    shutil.rmtree(stage, ignore_errors=True)
    return Result(name, "ran", time.perf_counter() - t0, figures=figures)


def build(
    root: Path | None = None,
    force: bool = False,
    jobs: int | None = None,
    only: list[str] | None = None,
    timeout: int = 600,
    out=sys.stdout,
) -> list[Result]:
    root = root or paths.project_root()
    reports = root / "reports"
    t0 = time.perf_counter()
    state = _load_state(reports)
    all_nbs = notebooks(root)
    chosen = [p for p in all_nbs if not only or any(o in p.name for o in only)]
    if only and not chosen:
        raise SystemExit(f"no notebook matches {only}; notebooks: {', '.join(p.name for p in all_nbs)}")
    todo, results = [], {}
    hashes = {p.name: inputs_hash(root, p) for p in chosen}
    for p in chosen:
        entry = state.get(p.name, {})
        if not force and entry.get("hash") == hashes[p.name] and _outputs_present(reports, p.name, entry):
            results[p.name] = Result(p.name, "unchanged")
        else:
            todo.append(p)
    if todo:
        from .tables import validate  # pandas and pandera only when something must run

        problems = validate(root, check_gazetteer=False)
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

    def report(r: Result) -> None:
        i = index[r.name]
        if r.status == "ran":
            print(
                f"[{i}/{n}] {r.name:<{width}}  ran in {r.seconds:.1f} s ({len(r.figures)} figure file(s))", file=out, flush=True
            )
        else:
            print(f"[{i}/{n}] {r.name:<{width}}  FAILED after {r.seconds:.1f} s: {r.message}", file=out, flush=True)

    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_execute, root, p, timeout) for p in todo]
        for fut in futures:
            r = fut.result()
            results[r.name] = r
            report(r)
            if r.status == "ran":
                state[r.name] = {"hash": hashes[r.name], "figures": r.figures, "seconds": round(r.seconds, 2)}
                _save_state(reports, state)
    ordered = [results[p.name] for p in chosen]
    ran = sum(r.status == "ran" for r in ordered)
    same = sum(r.status == "unchanged" for r in ordered)
    failed = [r for r in ordered if r.status == "failed"]
    print(
        f"{n} notebook(s): {ran} ran, {same} unchanged, {len(failed)} failed in {time.perf_counter() - t0:.1f} s"
        + (f" ({workers} in parallel)" if ran > 1 else "")
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
    results = build(force=args.force, jobs=args.jobs, only=args.only, timeout=args.timeout)
    return 1 if any(r.status == "failed" for r in results) else 0
