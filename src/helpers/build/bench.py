"""``python -m helpers bench``: time the build against the usual way of running notebooks, on this machine.

Four measurements in one run:

1. the full build (``python -m helpers build --force``: parallel, one fresh kernel per notebook);
2. the same notebooks one after another with ``jupyter nbconvert --to notebook --execute`` (the usual way);
3. a no-op rebuild (``python -m helpers build`` with nothing changed), as a user runs it;
4. the floor: a Python process that only imports pandas, geopandas and matplotlib.

It prints the three ratios against their targets. It is a script, not a test: timings depend on the machine.
"""

from __future__ import annotations

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

TARGETS = {"full_vs_serial": 0.6, "noop_seconds": 1.0, "notebook_over_floor": 1.5}


def _timed(cmd: list[str], env: dict, cwd: Path) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds


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


def run(out=sys.stdout) -> dict[str, float]:
    root = paths.project_root()
    py = sys.executable
    jupyter = str(Path(py).with_name("jupyter"))
    env = dict(os.environ, **{paths.ROOT_ENV: str(root)})
    nbs = notebooks(root)
    print(f"bench on {machine()}; {len(nbs)} notebooks", file=out, flush=True)

    print("  1/4 full build (--force) ...", file=out, flush=True)
    full = _timed([py, "-m", "helpers", "build", "--force"], env, root)
    state = __import__("json").loads((root / "reports" / ".build-state.json").read_text())
    per_notebook = {name: entry["seconds"] for name, entry in state.items()}

    print("  2/4 serial jupyter nbconvert --execute ...", file=out, flush=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        serial_env = dict(env, HELPERS_FIGURES_DIR=str(scratch / "figures"))  # keep reports/ as the build left it
        t0 = time.perf_counter()
        for nb in nbs:
            _timed([jupyter, "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(scratch), str(nb)],
                   serial_env, nb.parent)  # fmt: skip
        serial = time.perf_counter() - t0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print("  3/4 no-op rebuild ...", file=out, flush=True)
    noop = _timed([py, "-m", "helpers", "build"], env, root)

    print("  4/4 import floor ...", file=out, flush=True)
    floor = min(_timed([py, "-c", "import pandas, geopandas, matplotlib"], env, root) for _ in range(3))

    worst_name = max(per_notebook, key=per_notebook.get)
    over = per_notebook[worst_name] - floor
    ratios = {"full_vs_serial": full / serial, "noop_seconds": noop, "notebook_over_floor": over}
    print("", file=out)
    print(f"full build            {full:6.1f} s", file=out)
    print(f"serial nbconvert      {serial:6.1f} s", file=out)
    print(f"no-op rebuild         {noop:6.2f} s", file=out)
    print(f"import floor          {floor:6.2f} s", file=out)
    for name, s in sorted(per_notebook.items()):
        print(f"  {name:<34} {s:5.1f} s  ({s - floor:+.1f} s over the floor)", file=out)
    print("", file=out)
    lines = [
        ("full build / serial nbconvert", ratios["full_vs_serial"], TARGETS["full_vs_serial"], "{:.2f}"),
        ("no-op rebuild (s)", noop, TARGETS["noop_seconds"], "{:.2f}"),
        (f"slowest notebook over floor (s) [{worst_name}]", over, TARGETS["notebook_over_floor"], "{:.1f}"),
    ]
    for label, value, target, fmt in lines:
        verdict = "meets" if value <= target else "MISSES"
        print(f"{label:<58} {fmt.format(value):>6}  target <= {target}  {verdict}", file=out)
    return ratios
