"""Command line: ``python -m helpers --help``."""

from __future__ import annotations

import argparse
import sys
import time


def _validate(args: argparse.Namespace) -> int:
    from ..facts import validate

    t0 = time.perf_counter()
    problems = validate(check_gazetteer=not args.fast)
    took = time.perf_counter() - t0
    if problems:
        print(f"{len(problems)} problem(s) found:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    what = "schemas, keys, dates, quotes and numbers" + ("" if args.fast else ", gazetteer")
    print(f"all tables valid ({what}; {took:.1f} s)")
    return 0


def _gazetteer(args: argparse.Namespace) -> int:
    from ..facts.gazetteer import country_code, search

    try:
        country = country_code(args.country) if args.country else None  # 'ml', 'ML' and 'MLI' are the same country
    except ValueError as err:
        print(f"gazetteer: {err}", file=sys.stderr)
        return 2
    hits = search(args.name, country)
    if not hits:
        print(f"no GeoNames cities500 entry named {args.name!r}" + (f" in {country}" if country else ""), file=sys.stderr)
        return 1
    print("geonameid,name,country_code,latitude,longitude,population")
    for c in hits[: args.limit]:
        print(f"{c['geonameid']},{c['name']},{c['countrycode']},{c['latitude']},{c['longitude']},{c.get('population') or 0}")
    return 0


def _gitfilter(args: argparse.Namespace) -> int:
    """Install nbstripout as this repository's git filter for notebooks (JupyterLab saves outputs; git sees none)."""
    import subprocess
    from pathlib import Path

    from ..paths import project_root

    root = Path(args.repo) if args.repo else project_root()
    if not (root / ".git").exists():
        print(f"{root} is not a git checkout; nothing to install", file=sys.stderr)
        return 0
    subprocess.run([sys.executable, "-m", "helpers.builder.nbclean", "--install"], cwd=root, check=True)
    # the same settings as helpers.labhook; helpers.nbclean is nbstripout without a slow optional import
    from .nbclean import FILTER_ARGS

    # git runs a filter from the top of the working tree: an interpreter inside the checkout is named relative to it,
    # so the filter survives the checkout being moved
    python = Path(sys.executable)
    if python.is_relative_to(root.resolve()):
        python = python.relative_to(root.resolve())
    args = [f'"{python}"', "-m", "helpers.builder.nbclean", *(f'"{a}"' if " " in a else a for a in FILTER_ARGS)]
    clean = " ".join(args)
    subprocess.run(["git", "config", "filter.nbstripout.clean", clean], cwd=root, check=True)
    print(f"git filter installed in {root}: notebooks are stripped of outputs when git reads them")
    return 0


BUILD_DESCRIPTION = """Execute the notebooks in notebooks/ and publish what they make to reports/.

Each notebook runs top to bottom in a fresh kernel, two at a time on a two-core machine. A notebook whose code,
declared tables, seeds and imported helpers modules are unchanged since the last build is skipped; one whose markdown
alone changed gets its page refreshed without a kernel. A notebook's figures, executed copy and HTML page are
published only if it ran without error, so a failing notebook keeps its previous outputs. Then reports/index.html,
reports/claims.html, reports/figures.json and reports/figure-book.pdf are written.

Examples:
  python -m helpers build              build what changed
  python -m helpers build --force      run every notebook again
  python -m helpers build --only 07    run notebook 07, changed or not, and no other (a number picks by number, a
                                       word by name)
"""


def add_build_arguments(p: argparse.ArgumentParser) -> None:
    from . import add_arguments

    add_arguments(p)


def _build(args: argparse.Namespace) -> int:
    from . import main

    return main(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m helpers", description="Tools for the fact tables and notebooks of this collection."
    )
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser(
        "validate",
        help="check every table in data/ and list every problem (exit 1 if any)",
        description="Validate every table in data/ against data/datapackage.json and the seed texts. "
        "Each problem names the file, row, line, column, the bad value and what was expected.",
    )
    v.add_argument("--fast", action="store_true",
                   help="skip the gazetteer check (stored coordinates against GeoNames and Natural Earth, about 1 s); "
                        "everything else is checked")  # fmt: skip
    v.set_defaults(func=_validate)
    g = sub.add_parser(
        "gazetteer",
        help="look a place up in GeoNames (to fill data/places.csv)",
        description="Print GeoNames cities500 entries whose name or alternate name matches, largest first.",
    )
    g.add_argument("name")
    g.add_argument("--country", help="ISO 3166-1 alpha-2 code, e.g. ML (any case)")
    g.add_argument("--limit", type=int, default=5)
    g.set_defaults(func=_gazetteer)
    gf = sub.add_parser(
        "gitfilter",
        help="install the nbstripout git filter (make does this on set-up)",
        description="Install nbstripout as the git filter for notebooks: outputs saved by JupyterLab stay in the "
        "working copy, git sees the notebook without them (cell ids and metadata kept, language_info dropped).",
    )
    gf.add_argument("--repo", help="the git checkout (default: the project root)")
    gf.set_defaults(func=_gitfilter)
    b = sub.add_parser(
        "build",
        help="execute every notebook and export every figure (skips unchanged ones)",
        description=BUILD_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_build_arguments(b)
    b.set_defaults(func=_build)
    from . import bench, scale

    bn = sub.add_parser(
        "bench",
        help="time the build against one-process nbconvert (forced, no-op, markdown-only, per notebook, fresh clone)",
        description=bench.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench.add_arguments(bn)
    bn.set_defaults(func=bench.main)

    sc = sub.add_parser("scale", help="time validation and a build with many generated rows (a measurement)",
                        description=scale.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    scale.add_arguments(sc)
    sc.set_defaults(func=scale.main)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
