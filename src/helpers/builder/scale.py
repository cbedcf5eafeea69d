"""``python -m helpers scale``: how the collection behaves with many rows (a measurement, not a test).

Copies the project to a scratch folder, multiplies ``events.csv`` to ``--events`` rows (copies of the article's own
events with new ids, so every quote still checks), then times validation and a build of the notebooks that read
events. A notebook must either finish in well under a minute or stop within seconds with a clear message.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import tempfile
import time
from pathlib import Path

from .. import paths


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--events", type=int, default=100_000, help="rows of events.csv to generate (default 100000)")
    p.add_argument("--only", nargs="+", default=["05"], help="notebooks to build with them (default: 05)")


def main(args: argparse.Namespace) -> int:
    from ..facts import validate
    from .run import build

    root = paths.project_root()
    with tempfile.TemporaryDirectory(prefix="helpers-scale-") as tmp:
        scratch = Path(tmp) / "project"
        for sub in ("data", "seeds", "notebooks"):
            shutil.copytree(root / sub, scratch / sub)
        shutil.copy(root / "requirements.txt", scratch)
        path = scratch / "data" / "events.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            header, rows = list(reader.fieldnames or []), list(reader)
        out = []
        for i in range(args.events):
            r = dict(rows[i % len(rows)])
            r["id"] = f"{r['id']}_{i}"
            out.append(r)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(out)
        print(f"{args.events} events in {path}", flush=True)
        t0 = time.perf_counter()
        problems = validate(scratch)
        print(f"validate: {time.perf_counter() - t0:.1f} s, {len(problems)} problem(s)", flush=True)
        log = io.StringIO()
        t0 = time.perf_counter()
        results = build(root=scratch, only=args.only, force=True, out=log, timeout=300)
        print(f"build {' '.join(args.only)}: {time.perf_counter() - t0:.1f} s", flush=True)
        for r in results:
            print(f"  {r.name}: {r.status} in {r.seconds:.1f} s {r.message}", flush=True)
    return 0
