"""The package is a kit: no data row id or story name in src/, no module over about 450 lines, no private helper
shared across modules."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "helpers"
MODULES = sorted(SRC.rglob("*.py"))


def _ids() -> set[str]:
    ids = set()
    for table in (ROOT / "data").glob("*.csv"):
        with open(table, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                ids.add(row["id"])
                for col in ("story", "place_id"):
                    if row.get(col):
                        ids.add(row[col])
    return ids


def _titles() -> set[str]:
    """The collection's and its stories' names: the data package's title, each article's title and story label."""
    import json

    names = {json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["title"]}
    with open(ROOT / "data" / "sources.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] in ("seed_file", "article_part"):
                names |= {v for v in (row["title"], row["story_label"]) if v and len(v) > 12}
    return names


def _story_literals(path: Path, ids: set[str], titles: set[str]) -> list[str]:
    """String constants of a module that name the story: a row id or story code as the whole string, a row id
    (an id with '_' or a digit, which no English word is) anywhere inside a string, or a story's or the collection's
    title anywhere inside one, docstrings included."""
    coded = sorted((i for i in ids if re.search(r"[_0-9]", i)), key=len, reverse=True)
    any_id = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, coded)) + r")(?![A-Za-z0-9_])")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        text = node.value
        hits = [text] if text in ids else []
        hits += any_id.findall(text)
        hits += [t for t in titles if t in text]
        found += [f"{path.relative_to(ROOT)}:{node.lineno}: {h!r}" for h in hits]
    return found


def test_no_row_id_or_story_name_is_a_string_literal_in_src():
    ids, titles = _ids(), _titles()
    assert {"tr_french_2021", "gossi", "mali", "nato", "art_mali"} <= ids, "the test reads the ids in data/"
    assert any("Mali" in t for t in titles) and any("NATO" in t for t in titles), "the test reads the story titles"
    found = [hit for path in MODULES for hit in _story_literals(path, ids, titles)]
    assert not found, "story literals in src/:\n" + "\n".join(found)


def test_the_story_check_finds_a_title_or_id_inside_a_longer_string(tmp_path):
    """The check above can fail: a module that names a row id or a story title inside a longer string is caught."""
    ids, titles = _ids(), _titles()
    title = sorted(titles)[0]
    bad = tmp_path / "src" / "bad.py"
    bad.parent.mkdir()
    bad.write_text(f'NOTE = "see cl_libya_border for why"\nHEAD = "Figures of {title}, as published"\n', encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = _story_literals(bad, ids, titles)
    finally:
        ROOT = saved
    assert any("cl_libya_border" in f for f in found) and any(title in f for f in found), found


def test_no_module_is_over_450_lines():
    long = {str(p.relative_to(ROOT)): n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450}
    assert not long, long


def test_no_private_helper_is_imported_across_modules():
    shared = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                shared += [f"{path.relative_to(ROOT)}: {a.name}" for a in node.names if re.match(r"_[a-z]", a.name)]
    assert not shared, shared


PRIMITIVES = ("figures/marks.py", "geo/draw.py")
PRIMITIVE_LINES = 40


def test_every_drawing_primitive_is_at_most_40_lines():
    """The drawing primitives are as short as a figure body: a longer one is drawing a story, not a mark."""
    import ast

    long = []
    for name in PRIMITIVES:
        tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > PRIMITIVE_LINES:
                    long.append(f"{name}:{node.name} ({n} lines)")
    assert not long, f"primitives over {PRIMITIVE_LINES} lines: {long}"


MARKUP = re.compile(r"<(?:!DOCTYPE|html|body|head|p|li|ul|ol|h[1-6]|section|div|a|span|strong|small|figure|img|nav|q|table|"
                    r"tr|td|blockquote|details|script|style)\b[^<>]*>", re.I)  # fmt: skip
PATTERN_CALLS = {"compile", "sub", "search", "match", "fullmatch", "findall", "finditer", "split"}


def markup_in_strings(source: str) -> list[str]:
    """HTML written in a Python string (plain or f-string, its values as {}); docstrings and the patterns given to
    ``re`` that find markup do not count."""
    tree = ast.parse(source)
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in PATTERN_CALLS and node.args:
            skip |= {id(n) for n in ast.walk(node.args[0])}
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))  # a docstring
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            skip |= {id(v) for v in node.values}
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        found += MARKUP.findall(text)
    return found


def test_pages_come_from_templates_with_no_markup_written_in_python():
    offenders = {}
    for path in sorted(SRC.rglob("*.py")):
        found = markup_in_strings(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(SRC))] = found[:3]
    assert not offenders, f"HTML in Python strings (write it in a template under publish/templates/): {offenders}"


def test_the_markup_check_finds_html_in_strings_but_not_in_patterns_or_docstrings():
    assert markup_in_strings("x = f'<li><a href=\"{u}\">{t}</a></li>'") == ["<li>", '<a href="{}">']
    assert markup_in_strings("x = '<p class=\"a\">' + t") == ['<p class="a">']
    assert markup_in_strings("import re\nNAV = re.compile(r'<nav class=\"c\">.*?</nav>')") == []
    assert markup_in_strings('def f():\n    """Put the nav after <body>."""') == []


def test_colours_have_one_home_the_theme():
    """A colour is a name from figures/theme.py (a story's, a verdict's, a layer's or one of the greys), never a hex
    value typed in another module of the kit or in a notebook: a grey changed in the theme changes every figure."""
    import json
    import re

    hexes = re.compile(r"[\"']#[0-9a-fA-F]{6}[\"']")
    typed = {}
    for path in (ROOT / "src" / "helpers").rglob("*.py"):
        if path.name != "theme.py" and hexes.search(path.read_text(encoding="utf-8")):
            typed[str(path.relative_to(ROOT))] = hexes.findall(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        code = "".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                       if c["cell_type"] == "code")  # fmt: skip
        if hexes.search(code):
            typed[path.name] = hexes.findall(code)
    assert not typed, f"colours typed outside figures/theme.py: {typed}"
