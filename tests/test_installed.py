"""The installed command in a real subprocess: pipes, colour, start-up imports."""

import json
import os
import subprocess
import sys

import pytest
from conftest import acupoints_exe


def run(args, *, env=None, shell=False, **kw):
    full_env = {**os.environ, **(env or {})}
    cmd = args if shell else [acupoints_exe(), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, shell=shell, timeout=60, **kw)


def test_show_json_from_another_folder(tmp_path):
    result = run(["show", "ST36", "-f", "json"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["pinyin"] == "Zúsānlǐ"


def test_python_dash_m():
    result = subprocess.run(
        [sys.executable, "-m", "acupoints", "show", "LI4", "-f", "json"], capture_output=True, text=True
    )
    assert result.returncode == 0 and json.loads(result.stdout)[0]["code"] == "LI4"


@pytest.mark.parametrize(
    "args", [["list"], ["list", "-f", "table"], ["show", "ST36", "LI4", "-f", "table"], ["list", "-f", "json"]]
)
def test_closed_pipe_is_quiet(args):
    exe = acupoints_exe()
    result = run(f"'{exe}' {' '.join(args)} | head -1", shell=True, env={"COLUMNS": "80"})
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_errors_never_show_a_traceback(tmp_path):
    bad = tmp_path / "points.yaml"
    bad.write_bytes(b"\x00\xff garbage")
    for args in (
        ["show", "ST63"],
        ["--catalog", str(bad), "list"],
        ["list", "--region", "x"],
        ["validate", str(tmp_path)],
    ):
        result = run(args)
        assert result.returncode in (1, 2)
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-1].startswith("acupoints: error: ")


def test_no_color_is_respected():
    coloured = run(["show", "ST36", "-f", "table"], env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in coloured.stdout
    plain = run(["show", "ST36", "-f", "table"], env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[3" not in plain.stdout  # no foreground colours
    piped = run(["show", "ST36", "-f", "table"])
    assert "\x1b[" not in piped.stdout


def imported_modules(args):
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "acupoints", *args], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_version_imports_neither_rich_nor_yaml():
    mods = imported_modules(["--version"])
    assert "rich" not in mods and "yaml" not in mods


def test_json_output_does_not_import_rich_or_yaml_once_cached():
    imported_modules(["show", "ST36", "-f", "json"])  # fills the cache
    mods = imported_modules(["show", "ST36", "-f", "json"])
    assert "rich" not in mods and "yaml" not in mods
