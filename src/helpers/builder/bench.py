"""``python -m helpers bench`` (``make bench``): time the build against the usual way of running notebooks, on this
machine, in one run, and print every figure against its target. A measurement, not a test: timings depend on the
machine, so no test asserts them; docs/benchmark.md records a run.

Measured, in this order, with nothing else of the project running:

1. the usual way: ``jupyter nbconvert --to notebook --execute notebooks/NN_*.ipynb``, one process for all the
   notebooks, one after another (outputs and figures go to a scratch folder);
2. the forced full build, ``python -m helpers build --force`` (every notebook re-executed), first with plain kernels
   started ahead (``--no-fork``: each ``python -m ipykernel_launcher`` importing its notebook's modules while other
   notebooks run), then with kernels forked from the kernel server (the default): what the server saves;
3. the no-op build, ``python -m helpers build`` with nothing changed (best of three, as a user runs it);
4. a markdown-only edit, in a scratch copy of the project: one notebook's first markdown cell changed, then
   ``python -m helpers build``; it must refresh that notebook's HTML with no kernel (the HTML is checked for the edit);
5. each notebook's time in the forced build against its own cells' work (nbclient's timing of each cell);
6. loading the Natural Earth basemap and projecting one map region, cold, in a process of its own (the maps' first
   step; a test used to assert it, but a timing on a shared two-core machine is a measurement, not a test);
7. unless ``--no-fresh``: the first run on a fresh clone of HEAD, ``make report``, against the usual way on another
   fresh clone (``python3 -m venv``, ``pip install -r requirements.txt``, ``pip install --no-deps -e .``, then the
   one-process nbconvert). Both use this machine's package caches as they are (pip's and uv's), so run the bench
   twice if it is the first time uv installs here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .. import paths
from .run import notebooks

TARGETS = {
    "full_vs_nbconvert": 0.30,  # ratio
    "noop_seconds": 0.2,
    "markdown_seconds": 1.5,
    "notebook_overhead_seconds": 0.3,  # each notebook, over its own cells
    "fresh_vs_usual": 0.30,  # ratio
    "basemap_seconds": 1.0,  # Natural Earth loaded and one region projected, cold
}

# A region about the size of the collection's maps (20 by 34 degrees); the kit names no story's region.
_BASEMAP = (
    "import time\n"
    "t0 = time.perf_counter()\n"
    "from helpers import geo\n"
    "t1 = time.perf_counter()\n"
    "geo.projected_countries(geo.Region('bench', (-10.0, 0.0, 24.0, 20.0), geo.laea(10, 7)))\n"
    "print(time.perf_counter() - t1)\n"
)


def _timed(cmd: list[str], env: dict, cwd: Path, what: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"bench: {what} failed ({' '.join(cmd)}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, Python {platform.python_version()}, {platform.system()}"


def _nbconvert(jupyter: str, root: Path, env: dict, scratch: Path) -> float:
    """The usual way: one nbconvert process executing every notebook in turn."""
    nbs = [str(p.relative_to(root / "notebooks")) for p in notebooks(root)]
    env = dict(env, **{paths.FIGURES_ENV: str(scratch / "figures")})  # figures to scratch; reports/ left alone
    cmd = [jupyter, "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(scratch), *nbs]
    return _timed(cmd, env, root / "notebooks", "nbconvert")[0]


def _markdown_edit(py: str, root: Path, env: dict, scratch: Path) -> float:
    """A scratch copy of the built project; one notebook's first markdown cell edited; the build timed."""
    copy = scratch / "project"
    for sub in ("data", "seeds", "notebooks", "reports"):
        shutil.copytree(root / sub, copy / sub, ignore=shutil.ignore_patterns(".staging", ".build.lock"))
    shutil.copy(root / "requirements.txt", copy / "requirements.txt")
    target = notebooks(copy)[len(notebooks(copy)) // 2]
    nb = json.loads(target.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    marker = f"Bench edit {time.time_ns()}."
    cell["source"] = ("".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]) + "\n\n" + marker
    target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    env = dict(env, **{paths.ROOT_ENV: str(copy)})
    seconds, out = _timed([py, "-m", "helpers", "build"], env, root, "markdown-only rebuild")
    html = (paths.published_notebooks(copy) / f"{target.stem}.html").read_text(encoding="utf-8")
    if "1 refreshed" not in out or "0 ran" not in out or marker not in html:
        raise SystemExit(f"bench: the markdown-only edit did not refresh the HTML without a kernel:\n{out}")
    return seconds


def _basemap(py: str, env: dict, root: Path) -> float:
    """Seconds to load Natural Earth and project one region, in a fresh process (imports not counted)."""
    done = subprocess.run([py, "-c", _BASEMAP], env=env, cwd=root, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def _fresh(root: Path, scratch: Path, out) -> tuple[float, float]:
    """``make report`` on a fresh clone of HEAD, and the usual way on another one."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "notebooks", "data", "Makefile", "requirements.txt"],
                           cwd=root, capture_output=True, text=True).stdout.strip()  # fmt: skip
    if dirty:
        print(f"      (the working tree has uncommitted changes: the fresh clones are of HEAD, {head})", file=out)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELPERS_", "VIRTUAL_ENV"))}
    python = shutil.which("python3") or sys.executable
    ours, usual = scratch / "fresh-make", scratch / "fresh-usual"
    for d in (ours, usual):
        subprocess.run(["git", "clone", "--quiet", str(root), str(d)], check=True)
    print(f"  7/7 fresh clone of {head}: make report ...", file=out, flush=True)
    make = _timed(["make", "report", f"PYTHON={python}"], env, ours, "make report on a fresh clone")[0]
    print("      fresh clone: venv, pip install -r requirements.txt, pip install -e ., nbconvert ...", file=out, flush=True)
    t0 = time.perf_counter()
    _timed([python, "-m", "venv", ".venv"], env, usual, "python -m venv")
    pip = [str(usual / ".venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _timed([*pip, "-r", "requirements.txt"], env, usual, "pip install -r requirements.txt")
    _timed([*pip, "--no-deps", "-e", "."], env, usual, "pip install -e .")
    _nbconvert(str(usual / ".venv" / "bin" / "jupyter"), usual, dict(env, **{paths.ROOT_ENV: str(usual)}), scratch / "nbc2")
    return make, time.perf_counter() - t0


def run(out=sys.stdout, fresh: bool = True) -> dict[str, float]:
    root = paths.project_root()
    py = sys.executable
    jupyter = str(Path(py).with_name("jupyter"))
    env = dict(os.environ, **{paths.ROOT_ENV: str(root)})
    nbs = notebooks(root)
    steps = 7 if fresh else 6
    print(f"bench on {machine()}; {len(nbs)} notebooks", file=out, flush=True)
    scratch = Path(tempfile.mkdtemp(prefix="helpers-bench-"))
    try:
        print(f"  1/{steps} one-process jupyter nbconvert --execute (the usual way) ...", file=out, flush=True)
        nbconvert = _nbconvert(jupyter, root, env, scratch / "nbc")
        print(f"  2/{steps} forced full build, plain kernels started ahead (--no-fork), then with the kernel server ...",
              file=out, flush=True)  # fmt: skip
        plain, _ = _timed([py, "-m", "helpers", "build", "--force", "--no-fork"], env, root, "forced build, no fork")
        full, _ = _timed([py, "-m", "helpers", "build", "--force"], env, root, "forced build")
        state = json.loads((paths.reports_dir(root) / ".build-state.json").read_text(encoding="utf-8"))
        print(f"  3/{steps} no-op build (best of 3) ...", file=out, flush=True)
        noop = min(_timed([py, "-m", "helpers", "build"], env, root, "no-op build")[0] for _ in range(3))
        print(f"  4/{steps} markdown-only edit (in a scratch copy) ...", file=out, flush=True)
        markdown = _markdown_edit(py, root, env, scratch)
        print(f"  5/{steps} each notebook against its own cells ...", file=out, flush=True)
        per = {n: (e["seconds"], e.get("cells", 0.0)) for n, e in sorted(state.items()) if n in {p.name for p in nbs}}
        print(f"  6/{steps} the basemap, cold (best of 3) ...", file=out, flush=True)
        basemap = min(_basemap(py, env, root) for _ in range(3))
        fresh_make = usual = None
        if fresh:
            fresh_make, usual = _fresh(root, scratch, out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    worst = max(per, key=lambda n: per[n][0] - per[n][1])
    overhead = per[worst][0] - per[worst][1]
    rows = [
        ("one-process nbconvert (the usual way)", f"{nbconvert:.1f} s", "", None),
        ("forced full build", f"{full:.1f} s", "", None),
        ("  forced build / nbconvert", f"{full / nbconvert:.2f}", f"<= {TARGETS['full_vs_nbconvert']}",
         full / nbconvert <= TARGETS["full_vs_nbconvert"]),
        ("forced build, plain kernels started ahead (--no-fork)", f"{plain:.1f} s", "", None),
        ("  --no-fork / nbconvert", f"{plain / nbconvert:.2f}", f"<= {TARGETS['full_vs_nbconvert']}",
         plain / nbconvert <= TARGETS["full_vs_nbconvert"]),
        ("no-op build", f"{noop:.2f} s", f"<= {TARGETS['noop_seconds']} s", noop <= TARGETS["noop_seconds"]),
        ("markdown-only edit (HTML refreshed, no kernel)", f"{markdown:.2f} s", f"<= {TARGETS['markdown_seconds']} s",
         markdown <= TARGETS["markdown_seconds"]),
        (f"notebook over its own cells (worst: {worst})", f"{overhead:.2f} s",
         f"<= {TARGETS['notebook_overhead_seconds']} s", overhead <= TARGETS["notebook_overhead_seconds"]),
        ("basemap loaded and one region projected, cold", f"{basemap:.2f} s", f"<= {TARGETS['basemap_seconds']} s",
         basemap <= TARGETS["basemap_seconds"]),
    ]  # fmt: skip
    if fresh_make is not None:
        rows += [
            ("fresh clone: the usual way (venv, pip, nbconvert)", f"{usual:.1f} s", "", None),
            ("fresh clone: make report", f"{fresh_make:.1f} s", "", None),
            ("  make report / the usual way", f"{fresh_make / usual:.2f}", f"<= {TARGETS['fresh_vs_usual']}",
             fresh_make / usual <= TARGETS["fresh_vs_usual"]),
        ]  # fmt: skip
    print("", file=out)
    print(f"{'notebook':<34} {'in build':>9} {'its cells':>9} {'over':>6}", file=out)
    for name, (seconds, cells) in per.items():
        print(f"{name:<34} {seconds:8.2f}s {cells:8.2f}s {seconds - cells:5.2f}s", file=out)
    print("", file=out)
    print(f"{'measure':<58} {'value':>9}  {'target':<10} verdict", file=out)
    for label, value, target, ok in rows:
        verdict = "" if ok is None else ("meets" if ok else "MISSES")
        print(f"{label:<58} {value:>9}  {target:<10} {verdict}", file=out)
    return {"nbconvert": nbconvert, "full": full, "plain": plain, "noop": noop, "markdown": markdown,
            "overhead": overhead, "basemap": basemap, "fresh_make": fresh_make or 0.0, "usual": usual or 0.0}  # fmt: skip


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-fresh", action="store_true",
                   help="skip the fresh-clone comparison (two clones, a venv each: about three minutes)")  # fmt: skip


def main(args: argparse.Namespace) -> int:
    run(fresh=not args.no_fresh)
    return 0
