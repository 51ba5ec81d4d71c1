"""Hostile input: every case ends in one line on stderr and the documented exit status, never a
traceback and never a wait. Cases that need a real process (closed descriptors, a C locale, a
named pipe, a terminal) run the installed command in a subprocess with a timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, acupoints_exe

from acupoints import CatalogError, UsageError, load_catalog, rxfile
from acupoints.errors import ExitCode

DATA = ROOT / "data"
FILES = (
    "points.yaml",
    "references.yaml",
    "safety-sources.yaml",
    "conditions.yaml",
    "positions.yaml",
    "plain-locations.yaml",
    "synonyms.yaml",
)


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [acupoints_exe(), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        **kw,
    )


def one_error_line(stderr: str) -> str:
    """The one line an error gives; fails on a traceback or on more than one line."""
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def data_copy(tmp_path: Path) -> Path:
    """The shipped data files, in a folder of their own: returns the points.yaml there."""
    for name in FILES:
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path / "points.yaml"


def insert_after_first(path: Path, marker: str, replacement: str) -> int:
    """Replace the first line starting with `marker` by `replacement`; returns its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if ln.startswith(marker))
    lines[at] = replacement + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return at + 1


# -- YAML tags and aliases ------------------------------------------------------------------------
# For each data file: the first line that starts with this, and a line with a tag to put there.
TAGGED = {
    "points.yaml": ("- code: ST36", "- code: !!python/object/apply:os.system ['echo owned']"),
    "references.yaml": ("- id: ", "- id: !!binary aGVsbG8="),
    "safety-sources.yaml": ("- id: ", "- id: !foo who1999"),
    "conditions.yaml": ("- code: DPN", "- !!str code: DPN"),
    "positions.yaml": ("  ST36:", "  ST36: !!python/object/new:dict {}"),
    "plain-locations.yaml": ("  ST36:", "  ST36: !!python/name:os.system"),
    "synonyms.yaml": ("- [toes, toe]", "- !!set {toes, toe}"),
}


@pytest.mark.parametrize("name", FILES)
def test_a_tag_in_any_data_file_is_refused_with_its_line(tmp_path, name):
    points = data_copy(tmp_path)
    marker, tagged = TAGGED[name]
    line = insert_after_first(tmp_path / name, marker, tagged)
    result = run("validate", str(points), cwd=tmp_path)
    assert result.returncode == ExitCode.DATA, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{name}:{line}: file: tags are not allowed" in result.stderr
    assert result.stderr.splitlines()[-1] == "acupoints: error: 1 problem found"


def test_show_on_a_tagged_catalog_is_one_line(mini):
    text = mini.read_text(encoding="utf-8").replace("- code: ST36", "- code: !!python/object/apply:os.system [x]")
    mini.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "os.system" in ln)
    result = run("--catalog", str(mini), "show", "ST36", cwd=mini.parent)
    assert result.returncode == ExitCode.DATA
    assert one_error_line(result.stderr) == (
        f"acupoints: error: points.yaml:{line}: file: tags are not allowed (!!python/object/apply:os.system); "
        "write plain values"
    )


@pytest.mark.parametrize(
    ("yaml_text", "line", "what"),
    [
        ("a: 1\nb: !!binary aGk=\n", 2, "tags are not allowed (!!binary)"),
        ("a: !foo\n  b: 1\n", 1, "tags are not allowed (!foo)"),
        ("!!python/str k: v\n", 1, "tags are not allowed (!!python/str)"),
        ("? !t [1]\n: 3\n", 1, "tags are not allowed (!t)"),
        ("a: !!str x\n", 1, "tags are not allowed (!!str)"),
        ("- !!python/tuple [1, 2]\n", 1, "tags are not allowed (!!python/tuple)"),
        ("a: &x [1]\nb: *x\n", 2, "b: an alias of a list or mapping (*name) is not allowed; write it out"),
        ("a: &x [*x]\n", 1, "a list or mapping used again through an alias"),
        ("a: " + "[" * 150 + "]" * 150 + "\n", 1, "nested more than 100 deep"),
    ],
)
def test_the_loader_refuses_tags_aliases_of_collections_and_deep_nesting(yaml_text, line, what):
    from acupoints import _yamlload

    with pytest.raises(_yamlload.YamlProblem) as info:
        _yamlload.load(yaml_text)
    assert info.value.line == line and what in info.value.message


def test_a_billion_laughs_is_refused_at_once(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = "a" if i == 1 else f"b{i - 1}"
        lines.append(f"b{i}: &b{i} [{', '.join(['*' + prev] * 10)}]")
    from acupoints import _yamlload

    with pytest.raises(_yamlload.YamlProblem, match="alias"):
        _yamlload.load("\n".join(lines) + "\n")


def test_plain_scalars_aliases_and_every_implicit_type_still_load():
    from acupoints import _yamlload

    data, dupes = _yamlload.load("a: &n 3\nb: *n\nc: [1, 2.5, true, null, 2001-01-02, '7', x]\n")
    assert data == {"a": 3, "b": 3, "c": [1, 2.5, True, None, __import__("datetime").date(2001, 1, 2), "7", "x"]}
    assert dupes == []


def test_every_tag_is_listed_not_only_the_first(mini):
    text = mini.read_text(encoding="utf-8")
    text = text.replace("- code: ST36", "- code: !!binary U1QzNg==").replace("- code: LI4", "- code: !x LI4")
    mini.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(mini, cache=False)
    assert len(info.value.problems) == 2
    assert all("tags are not allowed" in p for p in info.value.problems)


def test_a_tag_in_a_saved_prescription_is_a_usage_error(tmp_path):
    rx = tmp_path / "rx.yaml"
    rx.write_text(
        "format: acupoints-prescription/1\ncondition: !!python/object/apply:os.system ['echo owned']\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match=r"rx.yaml:2: tags are not allowed \(!!python/object/apply:os.system\)"):
        rxfile.read(str(rx))
    for command in ("show", "check", "map"):
        result = run(command, "rx.yaml", cwd=tmp_path)
        assert result.returncode == ExitCode.USAGE
        assert "owned" not in result.stdout
        assert one_error_line(result.stderr).startswith("acupoints: error: rx.yaml:2: tags are not allowed")


# -- files that are not files ----------------------------------------------------------------------
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@needs_fifo
def test_a_named_pipe_as_catalog_is_refused_at_once(tmp_path):
    fifo = tmp_path / "points.yaml"
    os.mkfifo(fifo)
    result = run("validate", "points.yaml", cwd=tmp_path, timeout=20)  # waited for ever before
    assert result.returncode == ExitCode.DATA
    assert result.stderr.splitlines() == [
        "points.yaml: is a named pipe (FIFO), not a file",
        "acupoints: error: 1 problem found",
    ]
    result = run("--catalog", "points.yaml", "show", "ST36", cwd=tmp_path, timeout=20)
    assert result.returncode == ExitCode.DATA
    assert one_error_line(result.stderr) == "acupoints: error: points.yaml: is a named pipe (FIFO), not a file"


@needs_fifo
def test_a_named_pipe_beside_the_catalog_is_refused_not_passed_over(tmp_path):
    points = data_copy(tmp_path)
    (tmp_path / "references.yaml").unlink()
    os.mkfifo(tmp_path / "references.yaml")
    result = run("validate", str(points), cwd=tmp_path, timeout=20)
    assert result.returncode == ExitCode.DATA
    assert "references.yaml: is a named pipe (FIFO), not a file" in result.stderr


@needs_fifo
@pytest.mark.parametrize("command", ["show", "check", "map"])
def test_a_named_pipe_as_prescription_is_refused_at_once(tmp_path, command):
    os.mkfifo(tmp_path / "rx.yaml")
    result = run(command, "rx.yaml", cwd=tmp_path, timeout=20)
    assert result.returncode == ExitCode.USAGE
    assert one_error_line(result.stderr) == "acupoints: error: rx.yaml: is a named pipe (FIFO), not a file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_at_once():
    result = run("validate", "/dev/zero", timeout=20)  # would read for ever
    assert result.returncode == ExitCode.DATA
    assert result.stderr.splitlines()[0] == "/dev/zero: is a device, not a file"
    result = run("--catalog", "/dev/zero", "list", timeout=20)
    assert one_error_line(result.stderr) == "acupoints: error: /dev/zero: is a device, not a file"


def test_a_folder_as_prescription_is_refused(tmp_path):
    (tmp_path / "rx.yaml").mkdir()
    result = run("check", "rx.yaml", cwd=tmp_path)
    assert result.returncode == ExitCode.USAGE
    assert one_error_line(result.stderr) == "acupoints: error: rx.yaml: is a folder, not a saved prescription"
