from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The collection the tests marked `collection` check: this one, or another one (this one with a second article added,
# by tests/test_second_article.py) named by $HELPERS_TEST_COLLECTION. Those tests assume nothing about how many
# articles or stories a collection holds.
COLLECTION = Path(os.environ.get("HELPERS_TEST_COLLECTION") or ROOT)


class Scratch:
    """A throw-away copy of data/ and seeds/ that a test may break."""

    def __init__(self, root: Path):
        self.root = root

    def rows(self, table: str) -> tuple[list[str], list[dict]]:
        with open(self.root / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            return list(reader.fieldnames), list(reader)

    def write(self, table: str, header: list[str], rows: list[dict]) -> None:
        with open(self.root / "data" / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n", extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)

    def edit(self, table: str, row_id: str, column: str, value: str) -> int:
        """Set one cell; returns the 1-based row number of the edited row."""
        header, rows = self.rows(table)
        for n, r in enumerate(rows, start=1):
            if r["id"] == row_id:
                assert column in r, f"{table} has no column {column}"
                r[column] = value
                self.write(table, header, rows)
                return n
        raise KeyError(row_id)


def table_rows(root: Path, table: str) -> list[dict]:
    """A table of ``root``'s data/ as read, every value a string."""
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def validation_problems(root: Path) -> list[str]:
    """What validation finds in ``root``'s tables (the gazetteer left out), one line each."""
    from helpers.facts import validate

    return [str(p) for p in validate(root, check_gazetteer=False)]


def the_problem(problems: list[str], *needles: str) -> str:
    """The first problem that mentions every needle; fails, listing them all, if none does."""
    hits = [p for p in problems if all(n in p for n in needles)]
    assert hits, f"no problem mentions {needles}; got:\n" + "\n".join(problems)
    return hits[0]


@pytest.fixture
def scratch(tmp_path, monkeypatch) -> Scratch:
    for sub in ("data", "seeds"):
        shutil.copytree(ROOT / sub, tmp_path / sub)
    monkeypatch.setenv("HELPERS_PROJECT_ROOT", str(tmp_path))
    return Scratch(tmp_path)


def copy_collection(dest: Path, src: Path = ROOT) -> Path:
    """The collection's own files (tables, seeds, notebooks and the pinned requirements the build hashes) copied from
    ``src`` (this project) into ``dest``: a project a test may build or break."""
    for sub in ("data", "seeds", "notebooks"):
        shutil.copytree(src / sub, dest / sub)
    shutil.copy(src / "requirements.txt", dest / "requirements.txt")
    return dest


def _build_collection(root: Path) -> None:
    """A scratch copy of the project at ``root``, built by the real build (every notebook, forced)."""
    import io
    import os

    from helpers.builder import build

    copy_collection(root)
    old = os.environ.get("HELPERS_PROJECT_ROOT")
    os.environ["HELPERS_PROJECT_ROOT"] = str(root)
    try:
        log = io.StringIO()
        results = build(root=root, force=True, out=log)
    finally:
        if old is None:
            os.environ.pop("HELPERS_PROJECT_ROOT", None)
        else:
            os.environ["HELPERS_PROJECT_ROOT"] = old
    failed = [f"{r.name}: {r.message}" for r in results if r.status != "ran"]
    assert not failed, "build failed:\n" + "\n".join(failed) + "\n" + log.getvalue()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The whole collection built once, in a scratch copy of the project, by the real build.

    ``make test`` runs the tests in two processes (pytest-xdist); the first that needs this build makes it in the
    run's shared temp folder while holding a lock, and the other waits for it and reads the same copy (tests that
    change it take a copy of their own: ``project``). A build that failed is not reused: the next process builds
    again and fails with its own message."""
    import fcntl
    import os

    if "PYTEST_XDIST_WORKER" not in os.environ:  # one process: a build of its own
        root = tmp_path_factory.mktemp("project")
        _build_collection(root)
        return root
    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, shared by its worker processes
    root, done = shared / "project", shared / "project.built"
    with open(shared / "project.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)
            _build_collection(root)
            done.touch()
    return root


# The longest tests, handed out first: the build of the collection with a second article (it needs no shared build,
# so it runs while the other process makes the shared build), then JupyterLab running a chart and a map notebook.
LONGEST = (
    "test_with_a_second_article_added_the_whole_collection_builds_offline",
    "test_a_chart_and_a_map_notebook_run_in_jupyterlab",
)


def pytest_collection_modifyitems(config, items) -> None:
    """The order the tests are handed out in: ``LONGEST``, then every test that reads the shared build (``built``,
    directly or through ``project``), then the rest; within a group, the files' order.

    ``make test`` runs two processes that take two tests at a time from this order (``--maxschedchunk 2``). In file
    order both began with tests that need the shared build, so one process built it while the other waited on its
    lock for the whole build (about 25 s), and a long test handed out last kept one process busy after the other had
    finished (about 20 s). Now one process starts on the second article while the other makes the shared build, the
    long tests are done early, and the quick ones that need neither build come last, where they even out the ends."""
    rank = {name: i for i, name in enumerate(LONGEST)}
    items.sort(key=lambda item: (rank.get(item.name, len(rank)), "built" not in getattr(item, "fixturenames", ())))


@pytest.fixture
def project(built, tmp_path, monkeypatch) -> Path:
    """A private copy of the built project (tables, notebooks, reports and build state), for a test that changes it."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    monkeypatch.setenv("HELPERS_PROJECT_ROOT", str(copy))
    return copy


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture
def offline_page():
    """A page in headless Chromium that may load files only: any request that would leave the machine is refused and
    recorded, and the test fails on it at the end. Without chromium the test is skipped, or fails when CI=true."""
    import os

    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} not found (CI=true: a missing browser is a failure)")
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium")
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                   else (outside.append(route.request.url), route.abort()))  # fmt: skip
        yield page
        browser.close()
    assert not outside, f"requests left the machine: {outside[:5]}"


WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def accessibility_problems(page) -> list[str]:
    """What axe-core (the reference accessibility engine, pinned through axe-playwright-python) finds on the page in
    the browser: every WCAG 2 A/AA violation, and a page without its one main landmark."""
    from axe_playwright_python.sync_playwright import Axe

    # one run: the WCAG rules by tag, the main-landmark rule added by name, and only violations reported (axe skips
    # building the passes' details, a third of its time on a long page)
    options = {"runOnly": {"type": "tag", "values": WCAG}, "rules": {"landmark-one-main": {"enabled": True}},
               "resultTypes": ["violations"]}  # fmt: skip
    found = Axe().run(page, options=options).response["violations"]
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])} element(s), e.g. {v['nodes'][0]['target']}: {v['help']}"
            for v in found]  # fmt: skip
