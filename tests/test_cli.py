"""The command line as a user meets it: help that reads, --only by number, country codes in any case, and messages
for the commonest spreadsheet mistakes."""

from __future__ import annotations

import subprocess
import sys

from helpers.builder.run import _picks
from helpers.facts import validate


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True, timeout=120)


def test_only_a_number_picks_that_notebook_and_no_other():
    assert _picks("3", "03_casualties.ipynb") and _picks("03", "03_casualties.ipynb")
    assert not _picks("3", "13_plan_scorecard.ipynb"), "'--only 3' must not run notebook 13"
    assert _picks("map", "07_map_mali.ipynb") and not _picks("map", "10_claims_ledger.ipynb")


def test_build_help_reads_as_help_not_as_a_docstring():
    out = _cli("build", "--help").stdout
    assert "Examples:" in out and "--only 07" in out
    assert "``" not in out and ":func:" not in out, "no reStructuredText markup in the help"


def test_validate_help_documents_fast():
    out = _cli("validate", "--help").stdout
    assert "--fast" in out and "gazetteer" in out


def test_gazetteer_country_codes_in_any_case(capsys):
    # the command's own entry point, in this process: GeoNames' 80 MB file is read once for both searches (the help
    # tests above run ``python -m helpers`` itself)
    from helpers.builder.cli import main
    from helpers.facts.gazetteer import geonames_cities

    found = {}
    try:
        for code in ("ml", "ML"):
            assert main(["gazetteer", "Gao", "--country", code]) == 0
            found[code] = capsys.readouterr().out
    finally:
        geonames_cities.cache_clear()  # about 370 MB this test process need not keep for the tests after it
    assert found["ml"] == found["ML"] and ",Gao,ML," in found["ml"]


def test_a_file_saved_with_semicolons_gets_one_error_that_says_so(scratch):
    path = scratch.root / "data" / "troops.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    problems = [str(p) for p in validate(scratch.root, check_gazetteer=False) if p.file == "data/troops.csv"]
    assert len(problems) == 1 and "semicolons" in problems[0] and "save it again as CSV with commas" in problems[0]


def test_a_comma_inside_an_unquoted_field_says_what_probably_happened(scratch):
    path = scratch.root / "data" / "troops.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("French forces (Operation Barkhane)", "French forces, Operation Barkhane", 1)
    path.write_text("".join(lines), encoding="utf-8")
    problems = [str(p) for p in validate(scratch.root, check_gazetteer=False) if p.file == "data/troops.csv"]
    assert any("row 1" in p and "comma inside a field that is not in double quotes" in p for p in problems), problems


def test_a_gazetteer_look_up_finds_what_a_full_parse_finds(capsys):
    """The look-up decodes only the records holding the name; a full parse of GeoNames finds the same cities."""
    from helpers.builder.cli import main
    from helpers.facts.gazetteer import geonames_cities, search

    try:
        for name in ("Gao", "tombouctou", "Baghdad", "Munich", "Kidal"):
            q = name.casefold()
            names = {gid: {c["name"].casefold(), *(a.casefold() for a in c.get("alternatenames") or [])}
                     for gid, c in geonames_cities().items()}  # fmt: skip
            full = sorted(gid for gid, known in names.items() if q in known)
            assert sorted(c["geonameid"] for c in search(name)) == full and full, name
    finally:
        geonames_cities.cache_clear()
    assert main(["gazetteer", "Gao", "--country", "MLI"]) == 0 and ",Gao,ML," in capsys.readouterr().out
    assert main(["gazetteer", "Gao", "--country", "MALI"]) == 2
    assert "two-letter ISO 3166 code" in capsys.readouterr().err


def test_only_on_the_command_line_runs_the_named_notebook_even_when_unchanged(tmp_path):
    from conftest import copy_collection

    project = copy_collection(tmp_path / "project")
    env = dict(__import__("os").environ, HELPERS_PROJECT_ROOT=str(project))
    runs = [subprocess.run([sys.executable, "-m", "helpers", "build", "--only", "01"], capture_output=True, text=True,
                           timeout=300, env=env) for _ in range(2)]  # fmt: skip
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert "01_source_and_facts.ipynb" in runs[1].stdout and " ran in " in runs[1].stdout, runs[1].stdout


def test_a_test_run_on_another_python_leaves_gits_notebook_filter_on_the_default_environment():
    """make's set-up installs the git filter from .venv only: `make test VENV=.venv-3.13` must not point git's required
    clean filter at an environment the reader may delete."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]

    def recipe(venv: str) -> str:
        done = subprocess.run(["make", "-n", "-B", f"VENV={venv}", f"{venv}/.installed"], cwd=root, capture_output=True,
                              text=True, timeout=60)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "helpers gitfilter" in recipe(".venv")
    other = recipe(".venv-3.13")
    assert "helpers gitfilter" not in other and "stays on .venv" in other
