"""What a notebook's output depends on, as one content hash, so the build re-runs exactly what changed.

A notebook's hash covers:
- its code cells (source only: not markdown, not outputs, not execution counts) and the tables it declares in
  ``metadata.helpers.reads``;
- those tables' CSV files and the tables each declares it rests on (``x-inputs`` in ``data/datapackage.json``: the
  cited passages, for ``sources``), ``data/datapackage.json`` (the schema), the seeds, and ``requirements.txt``;
- the helpers modules it actually imports, found by reading the import statements of its code cells and then,
  transitively, of those modules (Python's ``ast``: nothing is imported or run to find out).

Its markdown has a hash of its own: a markdown-only edit refreshes the notebook's HTML without a kernel.
"""

from __future__ import annotations

import ast
import hashlib
import json
import threading
from functools import cache, lru_cache
from pathlib import Path

PACKAGE = "helpers"
PACKAGE_DIR = Path(__file__).resolve().parents[1]

# The build starts kernels and runs notebooks from several threads, and each reads import statements with ``ast``.
# On CPython 3.11 before 3.11.8, two ``ast.parse`` calls at once can fail with "SystemError: AST constructor
# recursion depth mismatch": the depth counter was shared by the interpreter (CPython issue gh-106905). One lock
# makes this module's parses take turns; a parse takes well under a millisecond.
_PARSE_LOCK = threading.Lock()


def parse(source: str) -> ast.Module:
    """``ast.parse``, one call at a time across threads (see ``_PARSE_LOCK``)."""
    with _PARSE_LOCK:
        return ast.parse(source)


def read_notebook(nb_path: Path) -> dict:
    return json.loads(nb_path.read_text(encoding="utf-8"))


def read_notebook_node(path: Path):
    """A notebook as nbformat's node, its cells given ids where they have none (a notebook written by hand or by an
    older tool), so that reading it does not print nbformat's MissingIDFieldWarning. The ids given are derived from the
    cell's position, so the same file always gets the same ids."""
    import nbformat

    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("nbformat") == 4 and raw.get("nbformat_minor", 0) >= 5:
        used = {c.get("id") for c in raw.get("cells", []) if c.get("id")}
        for i, cell in enumerate(raw.get("cells", [])):
            if not cell.get("id"):
                cid, k = f"cell-{i:02d}", 0
                while cid in used:
                    k += 1
                    cid = f"cell-{i:02d}-{k}"
                cell["id"] = cid
                used.add(cid)
    return nbformat.reads(json.dumps(raw), as_version=4)


def declared_reads(nb_path: Path) -> list[str]:
    return list(read_notebook(nb_path).get("metadata", {}).get("helpers", {}).get("reads", []))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_cells(nb: dict) -> list[str]:
    return [_source(c) for c in nb.get("cells", []) if c.get("cell_type") == "code"]


def markdown_cells(nb: dict) -> list[str]:
    return [_source(c) for c in nb.get("cells", []) if c.get("cell_type") != "code"]


@cache
def _module_file(module: str) -> Path | None:
    """The file of a helpers module ('helpers.geo.draw'), or None if it is not one."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Modules named by the import statements of one module (relative imports resolved), including names that
    may be submodules (``from helpers import geo``)."""
    found: set[str] = set()
    here = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return found


def helpers_modules(code: list[str]) -> list[Path]:
    """The helpers files a notebook's code imports, directly or through other helpers modules, sorted."""
    todo = set()
    for src in code:
        if "import" not in src:  # no import statement here: parsing every cell was most of a no-op build's time
            continue
        try:
            tree = parse(_strip_magics(src))
        except SyntaxError:
            continue  # the kernel will report it; hashing the source is enough
        todo |= {m for m in _imports(tree, "__main__", False) if m.split(".")[0] == PACKAGE}
    seen: dict[str, Path] = {}
    while todo:
        mod = todo.pop()
        # a module's parent packages run their __init__ first
        for i in range(1, mod.count(".") + 2):
            parent = ".".join(mod.split(".")[:i])
            path = _module_file(parent)
            if path is None or parent in seen:
                continue
            seen[parent] = path
            todo |= _module_imports(path, parent, path.stat().st_mtime_ns)
    return sorted(set(seen.values()))


def imported_modules(nb_path: Path) -> list[str]:
    """Every module a notebook's import statements name, in the order they appear (candidates included:
    ``from helpers import geo`` names ``helpers`` and ``helpers.geo``). The build imports them into the kernel
    before the first cell (``kernel.prepare``)."""
    names: dict[str, None] = {}
    for src in code_cells(read_notebook(nb_path)):
        try:
            tree = parse(_strip_magics(src))
        except SyntaxError:
            continue
        nodes = sorted((n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))), key=lambda n: n.lineno)
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and (node.level or not node.module):
                continue
            names |= dict.fromkeys(sorted(_imports(node, "__main__", False), key=lambda m: (m.count("."), m)))
    return list(names)


@lru_cache(maxsize=256)
def _module_imports(path: Path, module: str, _mtime: int) -> frozenset[str]:
    """The helpers modules one module imports (parsed once per build; the mtime keys the cache)."""
    tree = parse(path.read_text(encoding="utf-8"))
    return frozenset(m for m in _imports(tree, module, path.name == "__init__.py") if m.split(".")[0] == PACKAGE)


@cache
def package_data(folder: Path) -> tuple[Path, ...]:
    """The files a package folder ships beside its modules (a style sheet, templates), in its subfolders too but not
    in its subpackages: whatever a module of the folder reads at run time is an input of every notebook importing it,
    with no list of such files to keep by hand."""
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if not p.is_file() or p.suffix in (".py", ".pyc") or "__pycache__" in rel.parts:
            continue
        if any((folder.joinpath(*rel.parts[:i]) / "__init__.py").is_file() for i in range(1, len(rel.parts))):
            continue  # a subpackage's own data, counted when that subpackage is imported
        out.append(p)
    return tuple(out)


def _strip_magics(src: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in src.splitlines())


def _label(root: Path, p: Path) -> str:
    """A file's name in the hash, the same wherever the project and the package live (a copy of the project built
    elsewhere hashes the same): helpers modules by their path in the package, the rest by their path in the project."""
    if p.is_relative_to(PACKAGE_DIR):
        return f"{PACKAGE}/{p.relative_to(PACKAGE_DIR)}"
    return str(p.relative_to(root) if p.is_relative_to(root) else p.name)


def _hash_files(h, root: Path, files) -> None:
    for p in files:
        h.update(_label(root, p).encode() + b"\0")
        if p.is_file():
            st = p.stat()
            h.update(_digest(p, st.st_mtime_ns, st.st_size))
        else:
            h.update(b"<missing>")
        h.update(b"\0")


@lru_cache(maxsize=4096)
def _digest(path: Path, _mtime: int, _size: int) -> bytes:
    """A file's content hash, read once per build (every notebook shares the seeds and the schema)."""
    return hashlib.sha256(path.read_bytes()).digest()


def inputs_hash(root: Path, nb_path: Path, memo: dict | None = None) -> str:
    """The hash of everything the notebook's outputs depend on (see the module's docstring). ``memo`` (one dict per
    build) keeps the digest of the files every notebook shares and of each set of helpers modules, so a build of
    a collection of notebooks stats and hashes them once."""
    memo = {} if memo is None else memo
    nb = read_notebook(nb_path)
    code = code_cells(nb)
    reads = sorted(nb.get("metadata", {}).get("helpers", {}).get("reads", []))
    h = hashlib.sha256()
    h.update(json.dumps({"code": code, "reads": reads}).encode())
    files = [root / "data" / "datapackage.json", root / "requirements.txt"]
    files += [root / "data" / f"{t}.csv" for t in reads]
    # a table whose meaning rests on another declares it (datapackage.json, x-inputs: a source's text is its passages)
    files += [root / "data" / f"{t}.csv" for t in sorted(_inputs_of(root, reads))]
    files += [("seeds",)]
    modules = helpers_modules(code)
    files += modules
    files += sorted({d for folder in sorted({p.parent for p in modules}) for d in package_data(folder)})
    for f in files:
        if isinstance(f, tuple):  # a folder every notebook (or every reader of sources) shares: hashed once
            if f not in memo:
                group = hashlib.sha256()
                folder = root / "seeds"
                _hash_files(group, root, sorted(p for p in folder.glob("*") if p.is_file()))
                memo[f] = group.digest()
            h.update(memo[f])
        else:
            _hash_files(h, root, [f])
    return h.hexdigest()


def _inputs_of(root: Path, reads: list[str]) -> set[str]:
    """The tables the read tables declare they rest on (``x-inputs`` of their resource), minus those already read."""
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    declared = {r["name"]: r.get("x-inputs", []) for r in package.get("resources", [])}
    return {t for r in reads for t in declared.get(r, [])} - set(reads)


def markdown_hash(nb_path: Path) -> str:
    return hashlib.sha256(json.dumps(markdown_cells(read_notebook(nb_path))).encode()).hexdigest()
