"""Hostile input: every case ends in one line on stderr and the documented exit status, never a
traceback and never a wait. Cases that need a real process (closed descriptors, a C locale, a
named pipe, a terminal) run the installed command in a subprocess with a timeout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


# -- encodings that lack characters ----------------------------------------------------------------
# Python 3.11 turns on UTF-8 mode under LANG=C by itself; without it (PYTHONUTF8=0, or a Python
# built otherwise, or a Latin-1 locale) stdout is ASCII and `show ST36` died with UnicodeEncodeError.
ASCII = {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": ""}
NOTE = (
    "acupoints: note: the output's encoding (ascii) lacks some characters, written without their accents "
    "or as ?; set a UTF-8 locale (e.g. LANG=C.UTF-8) to see them"
)


def run_bytes(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([acupoints_exe(), *args], capture_output=True, env={**os.environ, **env}, timeout=60)


@pytest.mark.parametrize("fmt", ["table", "plain", "csv"])
def test_an_ascii_stream_gets_readable_text_and_one_note(fmt):
    result = run_bytes("show", "ST36", "-f", fmt, env=ASCII)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("ascii")  # nothing but ASCII reached the stream
    assert "Zusanli" in text and "???" in text  # the pinyin without tone marks; the characters as ?
    err = result.stderr.decode("ascii").splitlines()
    assert "Traceback" not in result.stderr.decode() and err[-1] == NOTE
    assert err.count(NOTE) == 1


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_json_and_yaml_to_an_ascii_stream_escape_and_lose_nothing(fmt):
    import json

    import yaml

    narrow = run_bytes("show", "ST36", "-f", fmt, env=ASCII)
    wide = run_bytes("show", "ST36", "-f", fmt, env={})
    assert narrow.returncode == 0 and wide.returncode == 0
    load = json.loads if fmt == "json" else yaml.safe_load
    assert load(narrow.stdout.decode("ascii")) == load(wide.stdout.decode("utf-8"))
    assert NOTE.encode() not in narrow.stderr
    assert "Zúsānlǐ".encode() in wide.stdout
    escaped = b'"Z\\u00fas\\u0101nl\\u01d0"' if fmt == "json" else b'"Z\\xFAs\\u0101nl\\u01D0"'
    assert escaped in narrow.stdout


def test_a_utf8_stream_is_left_as_it_is():
    result = run_bytes("show", "ST36", "-f", "plain", env={"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").startswith("ST36\tZúsānlǐ\t足三里\tLeg Three Miles\n")
    assert b"note:" not in result.stderr


def test_a_latin1_stream_keeps_what_latin1_has():
    result = run_bytes("show", "ST36", "-f", "plain", env={"PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0
    assert result.stdout.decode("latin-1").startswith("ST36\tZúsanli\t???\t")


def test_names_typed_under_an_ascii_locale_are_read_as_utf8():
    result = run_bytes("show", "足三里", "-f", "json", env=ASCII)
    assert result.returncode == 0, result.stderr
    assert b'"code": "ST36"' in result.stdout


def run_on_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run the command with stdout and stderr on a pseudo-terminal; returns (status, what it showed)."""
    pty = pytest.importorskip("pty")
    import select

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [acupoints_exe(), *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100", **env},
    )
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("the command did not finish")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return proc.wait(timeout=60), shown


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("args", [["show", "ST36"], ["show", "ST36", "-f", "plain"], ["map", "ST36", "SP6"]])
def test_an_ascii_terminal_gets_readable_text(args):
    status, shown = run_on_terminal(args, ASCII)
    assert status == 0, shown
    text = shown.decode("ascii")
    assert "Traceback" not in text and "UnicodeEncodeError" not in text
    assert "Zusanli" in text or args[0] == "map"
    assert "\u2500" not in text  # Rich's boxes are drawn in ASCII


# -- closed and cut-off standard streams -----------------------------------------------------------
def sh(command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """A bash command line with the installed command as $A."""
    full = {**os.environ, "A": acupoints_exe(), "COLUMNS": "80", **(env or {})}
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=full, timeout=60)


@pytest.mark.parametrize(
    "args", ["list", "show ST36", "show ST36 -f table", "validate", "--version", "map ST36", "", "--help", "quiz"]
)
def test_a_closed_stdout_is_one_line_and_status_1(args):
    result = sh(f'"$A" {args} >&-')
    assert result.returncode == ExitCode.DATA
    assert one_error_line(result.stderr) == "acupoints: error: standard output is closed"


def test_a_closed_stdout_does_not_stop_a_file_being_written(tmp_path):
    result = sh(f'"$A" list -o "{tmp_path}/x.csv" >&-')
    assert result.returncode == 0 and result.stderr == ""
    assert (tmp_path / "x.csv").read_text(encoding="utf-8").startswith("code,")


def test_a_closed_stderr_keeps_the_data_and_the_status():
    result = sh('"$A" show ST36 -f plain 2>&-')
    assert result.returncode == 0 and result.stdout.startswith("ST36\t")
    result = sh('"$A" show XX99 2>&-')
    assert result.returncode == ExitCode.USAGE and result.stdout == ""
    result = sh('"$A" show ST36 >&- 2>&-')
    assert result.returncode == ExitCode.DATA


def test_a_closed_stdin_ends_the_quiz():
    result = sh('"$A" quiz --count 2 --seed 1 <&-')
    assert result.returncode == 0 and "Score: 0/0" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    ["list", "list -f json", "list -f table", "show ST36 LI4 SP6 -f table", "map --all", "prescribe --condition DPN"],
)
def test_a_reader_that_stops_early_ends_the_command_quietly_with_0(args):
    # 2>&1: the messages on stderr meet the closed pipe too
    for redirect in ("", "2>&1"):
        result = sh(f'set -o pipefail; "$A" {args} {redirect} | head -c 1 >/dev/null; echo "status=${{PIPESTATUS[0]}}"')
        assert result.stdout.strip() == "status=0", (redirect, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
        assert "Error" not in result.stderr


def test_a_reader_that_stops_early_ends_the_quiz_quietly():
    result = sh('yes ST36 | "$A" quiz --count 200 | head -c 1 >/dev/null; echo "status=${PIPESTATUS[1]}"')
    assert result.stdout.strip() == "status=0" and result.stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_on_stdout_is_one_line():
    result = sh('"$A" list -f json > /dev/full')
    assert result.returncode == ExitCode.DATA
    assert one_error_line(result.stderr) == "acupoints: error: cannot write to standard output: No space left on device"


# -- empty names and queries -------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   "])
@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("search", "acupoints: error: give words to search for"),
        ("show", "acupoints: error: an empty point name: give a code or a name, e.g. ST36"),
        ("check", "acupoints: error: an empty point name: give a code or a name, e.g. ST36"),
        ("map", "acupoints: error: an empty point name: give a code or a name, e.g. ST36"),
    ],
)
def test_an_empty_query_is_a_usage_error(cli, command, text, message):
    code, out, err = cli(command, text)
    assert code == ExitCode.USAGE and out == ""
    assert err.splitlines() == [message]


# -- the bare command --------------------------------------------------------------------------------
def test_the_bare_command_prints_the_short_help_and_exits_0():
    result = run()
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("Usage: acupoints [OPTIONS] COMMAND [ARGS]...")
    assert "Commands:" in result.stdout and "  show " in result.stdout and "  site " in result.stdout
    assert "acupoints --help' for all" in result.stdout and "not medical advice" in result.stdout
    full = run("--help").stdout
    assert "--install-completion" in full and "--install-completion" not in result.stdout  # short: no options


# -- files written for people ------------------------------------------------------------------------
def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


needs_posix_modes = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@needs_posix_modes
@pytest.mark.parametrize(("umask", "mode"), [("022", 0o644), ("077", 0o600), ("002", 0o664)])
def test_an_output_file_gets_the_mode_the_umask_gives(tmp_path, umask, mode):
    result = sh(f'umask {umask}; cd "{tmp_path}" && "$A" list -o x.csv')
    assert result.returncode == 0, result.stderr
    assert mode_of(tmp_path / "x.csv") == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]  # no temporary file left behind


@needs_posix_modes
def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    result = sh(f'umask 077; cd "{tmp_path}" && "$A" list -o x.csv --force')
    assert result.returncode == 0, result.stderr
    assert mode_of(target) == 0o640 and target.read_text(encoding="utf-8").startswith("code,")
    target.chmod(0o604)
    assert sh(f'umask 022; cd "{tmp_path}" && "$A" show ST36 -o x.csv --force').returncode == 0
    assert mode_of(target) == 0o604


@needs_posix_modes
@pytest.mark.parametrize(
    ("args", "name"),
    [
        ("map ST36 LI4 -o {}", "chart.svg"),
        ("map ST36 -o {}", "places.json"),
        ("export --format anki --meridian LU -o {}", "deck.txt"),
        ("prescribe --condition DPN -o {}", "rx.yaml"),
        ("prescribe --condition DPN -f markdown -o {}", "handout.md"),
        ("show ST36 -f table -o {}", "st36.txt"),
        ("evidence -o {}", "evidence.json"),
    ],
)
def test_every_kind_of_output_file_gets_the_umask_mode(tmp_path, args, name):
    result = sh(f'umask 022; cd "{tmp_path}" && "$A" {args.format(name)}')
    assert result.returncode == 0, result.stderr
    assert mode_of(tmp_path / name) == 0o644


@needs_posix_modes
def test_the_png_chart_gets_the_umask_mode(tmp_path):
    pytest.importorskip("resvg_py")
    result = sh(f'umask 027; cd "{tmp_path}" && "$A" map ST36 -o chart.png')
    assert result.returncode == 0, result.stderr
    assert mode_of(tmp_path / "chart.png") == 0o640


def test_one_function_writes_files():
    """Every file the package writes goes through _store.write_atomic: no other temporary files,
    renames or direct writes (which would bring back mkstemp's 0600 or a half-written file).
    The one other writer is the site, which is atomic as a folder: it writes its pages into a
    hidden build folder made with the umask's mode and renames the whole folder into place."""
    import re

    found = []
    for path in (ROOT / "acupoints").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # (click's help formatter, `fmt`, has a write_text of its own, which writes no file)
            if re.search(r"mkstemp|NamedTemporaryFile|os\.replace|os\.rename|(?<!fmt)\.write_(text|bytes)\(", line):
                found.append(f"{path.relative_to(ROOT)}:{n}")
    allowed = ("acupoints/_store.py", "acupoints/site/build.py")
    assert [f for f in found if not f.startswith(allowed)] == []
    site = (ROOT / "acupoints/site/build.py").read_text(encoding="utf-8")
    assert "mkdtemp" in site and "os.chmod(tmp, 0o777 & ~_umask())" in site  # the folder, not 0700


# -- what the property tests found (tests/test_hostile_property.py), kept as examples ---------------
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("- code: ST36", "- code: []", "point #2"),  # the crash the issue reported, without a tag
        ("  conditions:\n    DPN: [trial2020]", "  conditions:\n    DPN: [trial2020]\n    7: []", "7"),
    ],
)
def test_points_of_any_shape_are_problems_not_crashes(mini, old, new, message):
    mini.write_text(mini.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(mini, cache=False)
    assert any(message in p for p in info.value.problems), info.value.problems


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  condition: DPN", "  condition: false", "unknown condition false"),
        ("  codes: [ST36]", "  codes: 5", "codes must be a list of WHO codes, not the number 5"),
        ("  codes: [ST36]", "  codes: [[]]", "codes: [] is not a WHO code"),
    ],
)
def test_references_of_any_shape_are_problems_not_crashes(mini, old, new, message):
    refs = mini.parent / "references.yaml"
    refs.write_text(refs.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(mini, cache=False)
    assert any(message in p for p in info.value.problems), info.value.problems


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      root: [0, 34.5, 0]", "      root: []", "trunk: root: expected a list of 3 numbers"),
        ("      root: [0, 34.5, 0]", "      root: [0, .nan, 0]", "trunk: root: expected a number"),
        ("        - [34.5, 3.2, 2.4]", "        - [34.5, 0, 2.4]", "trunk: profile: sizes must be above 0"),
        ("\nlines:\n", "\nlines: [a, b]\nold-lines:\n", "lines: a mapping of names to positions"),
        ("landmarks:", "landmarks:\n  7: {part: trunk, y: 40, u: 0}", "7: a name must be text"),
        ("  ST36: {between: [ST35, ST41], cun: 3}", "  ST36: {part: [leg], y: 3}", "ST36: no part ['leg']"),
    ],
)
def test_positions_of_any_shape_are_problems_not_crashes(tmp_path, old, new, message):
    text = (DATA / "positions.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "positions.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    from acupoints.map.positions import load_positions

    with pytest.raises(CatalogError) as info:
        load_positions(tmp_path / "positions.yaml", cache=False)
    assert any(message in p for p in info.value.problems), info.value.problems
