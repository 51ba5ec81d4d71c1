"""Golden outputs: every command in every format, for a fixed set of calls.

They lock behaviour across refactors: a change to any of these outputs must be made on purpose.
Regenerate with `ACUPOINTS_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and say in the
commit why the output changed. Today's date and the catalog's path are written as placeholders.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
FORMATS = ("table", "plain", "json", "csv", "yaml")
RX_FORMATS = (*FORMATS, "markdown")

CALLS: dict[str, tuple[str, ...]] = {}


def _add(name: str, args: tuple[str, ...], formats: tuple[str, ...] = FORMATS) -> None:
    for f in formats:
        CALLS[f"{name}.{f}"] = (*args, "-f", f)


_add("show-ST36-LI4", ("show", "ST36", "LI4"))
_add("list-DPN-lower-limb", ("list", "--condition", "DPN", "--region", "lower-limb"))
_add("list-ST-fields", ("list", "--meridian", "ST", "--category", "he-sea", "--fields", "code,pinyin,categories"))
_add("search-numb-toes", ("search", "numb", "toes", "-n", "5"))
_add("vocab-region", ("vocab", "region"))
_add("vocab-all", ("vocab",))
_add("meridian-LR", ("meridian", "LR"))
_add("evidence-CIPN", ("evidence", "CIPN"))
_add("evidence-point-ST36", ("evidence", "--point", "ST36"))
_add(
    "prescribe-CIPN-electro-lymph",
    ("prescribe", "--condition", "CIPN", "--modality", "electro", "--lymphoedema", "left-arm"),
    RX_FORMATS,
)
_add(
    "prescribe-DPN-electro-pacemaker",
    ("prescribe", "--condition", "DPN", "--modality", "electro", "--pacemaker"),
    RX_FORMATS,
)
_add("prescribe-PHN", ("prescribe", "--condition", "PHN"), RX_FORMATS)
_add("check-pregnant", ("check", "GB21", "LI4", "SP6", "--pregnant"))
_add("check-pair", ("check", "LR3", "GB42", "--pair", "LR3-GB42:left", "--modality", "electro"))
_add("check-clean", ("check", "ST36"))
CALLS["export-anki-LU"] = ("export", "--format", "anki", "--meridian", "LU")
CALLS["map-json"] = ("map", "ST36", "LI4", "-f", "json")
CALLS["map-svg"] = ("map", "ST36", "LI4", "-f", "svg")
CALLS["map-preview"] = ("map", "ST36", "LI4", "-f", "preview")
CALLS["quiz-seed"] = ("quiz", "--count", "2", "--seed", "1")
CALLS["error-unknown-point"] = ("show", "ST63")
CALLS["error-bad-pair"] = ("check", "LR3", "--pair", "LR3GB42")


def normalise(text: str) -> str:
    text = text.replace(datetime.date.today().isoformat(), "<TODAY>")
    return re.sub(r"catalog_version: [0-9a-f]+|\"catalog_version\": \"[0-9a-f]+\"", "<CATALOG_VERSION>", text)


def run(cli, args: tuple[str, ...]) -> str:
    stdin = "ST36\nzusanli\n" if args[0] == "quiz" else None
    code, out, err = cli(*args, input=stdin)
    return normalise(f"$ acupoints {' '.join(args)}\n# exit {code}\n# stdout\n{out}# stderr\n{err}")


@pytest.mark.parametrize("name", sorted(CALLS))
def test_golden(cli, name):
    got = run(cli, CALLS[name])
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("ACUPOINTS_UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with ACUPOINTS_UPDATE_GOLDEN=1"
    assert got == path.read_text(encoding="utf-8")
