"""The consumer script (tests/consumer/consumer.py) uses the public API as the README documents
it: it must pass `mypy --strict`, with no Any reaching it from the package, and it must run."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT

CONSUMER = ROOT / "tests" / "consumer" / "consumer.py"


def test_the_consumer_script_passes_mypy_strict(tmp_path):
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    # the package as a user's type checker sees it: installed (found beside the interpreter), not as
    # source under the script's folder; a fresh cache, so nothing stale answers
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--disallow-any-expr",  # nothing the package returns may be Any
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            str(CONSUMER),
        ],
        cwd=tmp_path,  # not the checkout, where mypy would read the package as source, not as installed
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found in 1 source file" in done.stdout


def test_mypy_strict_rejects_what_the_api_does_not_take(tmp_path):
    """The check has teeth: a wrong argument type in the same kind of script fails it."""
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import acupoints\n"
        "catalog = acupoints.load_catalog()\n"
        "catalog.filter(condition=3)\n"
        "acupoints.Flags(pregnant='no')\n"
        "x: int = catalog['ST36']\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy-cache"), str(bad)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stdout.count("error:") == 3, done.stdout


def test_the_consumer_script_runs():
    done = subprocess.run(
        [sys.executable, str(CONSUMER)], capture_output=True, text=True, env=os.environ.copy(), cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ST36 Zúsānlǐ ")
    assert done.stderr == ""


def test_the_package_ships_py_typed():
    assert (ROOT / "acupoints" / "py.typed").is_file()
