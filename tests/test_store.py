"""The store: reading data files, the parse cache, atomic writes; and the import graph it ends."""

from __future__ import annotations

import ast
import marshal
from pathlib import Path

import pytest
from conftest import ROOT

from acupoints import CatalogError, _store, load_catalog

PACKAGE = ROOT / "acupoints"


# -- no import cycles ------------------------------------------------------------------------------
def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Package modules this file imports anywhere (module level, functions, methods), except under
    `if TYPE_CHECKING:`, which never runs. `from . import x` is the module x when there is one,
    else a name of the package's __init__ (so an import of the package itself)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                sub = f"{target}.{a.name}"
                found.add(sub if sub in modules else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    out = set()
    for imported in found:  # `import acupoints.x.y` imports acupoints.x (and acupoints) as well
        while imported and imported not in modules:
            imported = imported.rpartition(".")[0]
        if imported and imported != name:
            out.add(imported)
    return out


def import_graph() -> dict[str, set[str]]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(f) for f in files}
    return {_module_name(f): _imports(f, modules) for f in files}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_import_graph_is_read_right():
    graph = import_graph()
    assert "acupoints._store" in graph["acupoints.catalog"]
    assert "acupoints.validate" in graph["acupoints.catalog"]  # inside a function: still counted
    assert "acupoints.map.positions" in graph["acupoints.catalog"]
    assert "acupoints._yamlload" in graph["acupoints._store"]
    assert "acupoints.model" not in graph["acupoints.errors"]  # only under TYPE_CHECKING
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_cycle_among_package_modules():
    cycle = _cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_store_knows_files_not_points():
    imports = import_graph()["acupoints._store"]
    assert imports <= {"acupoints._version", "acupoints._yamlload", "acupoints.errors"}
    assert import_graph()["acupoints.map.positions"].isdisjoint({"acupoints.catalog", "acupoints.validate"})


def test_the_store_does_not_import_yaml_at_module_level():
    tree = ast.parse((PACKAGE / "_store.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    names = {a.name for n in top for a in n.names} | {n.module for n in top if isinstance(n, ast.ImportFrom)}
    assert "yaml" not in names and "_yamlload" not in names


# -- reading ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "x.yaml: file: the file is empty"),
        (b"# nothing\n", "x.yaml: file: the file is empty"),
        (b"a: 1\nb: [\n", "x.yaml:3: file: not valid YAML"),
        (b"a: 1\nb: \xff\n", "x.yaml:2: file: not UTF-8 text (byte 0xff)"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_problem(tmp_path, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_bytes(content)
    with pytest.raises(CatalogError) as info:
        _store.read(Path("x.yaml"))
    assert len(info.value.problems) == 1 and info.value.problems[0].startswith(message)


def test_missing_file_and_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CatalogError, match="nope.yaml: no such file"):
        _store.read(Path("nope.yaml"))
    with pytest.raises(CatalogError, match="is a folder"):
        _store.read(tmp_path)


def test_lines_and_duplicate_keys(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\nb:\n  c: 2\n  c: 3\n")
    data, dupes = _store.read(path)
    assert _store.line_of(data) == 1 and _store.line_of(data, "b") == 2
    assert _store.line_of(data["b"], "c") == 3
    assert dupes == [(4, "duplicate key 'c' (first at line 3); YAML would keep only the last")]
    assert _store.line_of({"a": 1}, "a") == 0  # plain data has no lines
    plain = _store.plain(data)
    assert plain == {"a": 1, "b": {"c": 2}} and type(plain["b"]) is dict
    marshal.dumps(plain)  # what the cache keeps


# -- the cache and atomic writes ----------------------------------------------------------------------
def test_cache_off_when_the_variable_is_empty(mini, monkeypatch, tmp_path):
    monkeypatch.setenv("ACUPOINTS_CACHE_DIR", "")
    assert _store.cache_dir() is None and _store.cache_file("catalog", [b"x"], 1) is None
    monkeypatch.chdir(tmp_path)
    load_catalog(mini)
    assert not list(tmp_path.rglob("*.marshal"))


def test_cache_key_depends_on_bytes_order_and_format():
    key = _store.cache_key([b"ab", b"c"], 1)
    assert key == _store.cache_key([b"ab", b"c"], 1)
    assert key != _store.cache_key([b"a", b"bc"], 1)  # lengths are part of the key
    assert key != _store.cache_key([b"ab", b"c"], 2)


def test_cache_round_trip_and_damage(tmp_path, monkeypatch):
    monkeypatch.setenv("ACUPOINTS_CACHE_DIR", str(tmp_path / "c"))
    f = _store.cache_file("thing", [b"data"], 7)
    assert f is not None and f.parent == tmp_path / "c" and f.name.startswith("thing-")
    assert _store.cache_load(f, 7) is None
    _store.cache_save(f, {"format": 7, "x": [1, "a"]})
    assert _store.cache_load(f, 7) == {"format": 7, "x": [1, "a"]}
    assert _store.cache_load(f, 8) is None  # another format is no hit
    f.write_bytes(b"\x00garbage")
    assert _store.cache_load(f, 7) is None
    assert not [p for p in f.parent.iterdir() if p.name.startswith(".tmp-")]


def test_unwritable_cache_is_no_failure(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    _store.cache_save(blocker / "sub" / "c.marshal", {"format": 1})  # no exception


def test_write_atomic_leaves_no_half_file(tmp_path, monkeypatch):
    target = tmp_path / "out" / "f.bin"
    _store.write_atomic(target, b"one")
    assert target.read_bytes() == b"one"

    def boom(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(_store.os, "replace", boom)
    with pytest.raises(OSError):
        _store.write_atomic(target, b"two")
    assert target.read_bytes() == b"one"
    assert sorted(p.name for p in target.parent.iterdir()) == ["f.bin"]


def test_catalog_and_positions_share_the_cache_folder(tmp_path, monkeypatch, catalog):
    monkeypatch.setenv("ACUPOINTS_CACHE_DIR", str(tmp_path / "c"))
    cat = load_catalog()
    cat.positions()
    names = sorted(p.name.split("-")[0] for p in (tmp_path / "c").iterdir())
    assert names == ["catalog", "positions"]
