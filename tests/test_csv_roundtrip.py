"""CSV and plain read back: every command that offers `-f csv`, read with Python's csv module and
decoded by the README's one rule, equals its own `-f json` field for field.

The rule (README, "Output for scripts"): an empty cell is null; a cell that parses as JSON is that
JSON value; any other cell is the text itself. `plain` has the same cells, tab-separated, in the
order of the csv header.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acupoints.model import EXPORT_FIELDS


def _readme_decode() -> Callable[[str], Any]:
    """The rule as the README writes it for readers: its code block, run as it stands."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "def decode" in b)
    names: dict[str, Any] = {}
    exec(textwrap.dedent(block), names)
    return names["decode"]


decode = _readme_decode()


def _records_of(data: Any) -> list[dict[str, Any]]:
    return list(data)


def _vocab_records(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return data
    return [{"kind": kind, **row} for kind, rows in data.items() for row in rows]


def _studies(data: Any) -> list[dict[str, Any]]:
    return [study for section in data for study in section["studies"]]


Extract = Callable[[Any], list[dict[str, Any]]]

# command -> (how its JSON holds the records the CSV rows are, the CSV columns that are not JSON
# keys of a record: values the table shows beside the record, derived from the catalog)
RECORDS: dict[str, tuple[Extract, frozenset[str]]] = {
    "show": (_records_of, frozenset()),
    "list": (_records_of, frozenset()),
    "search": (_records_of, frozenset()),
    "meridian": (lambda d: d["points"], frozenset()),
    "vocab": (_vocab_records, frozenset()),
    "evidence": (_studies, frozenset()),
    "prescribe": (lambda d: d["points"], frozenset({"rank", "english"})),
    "check": (lambda d: d["findings"], frozenset()),
}
SAVED = (lambda d: d["points"], frozenset({"pinyin", "english"}))  # show RX.yaml

ALL = ("--fields", "all")
# Every call is read back twice: as csv with a header, and as plain in the csv header's order.
# `full`: the CSV must hold every key of the JSON records, not just agree where they meet.
CALLS: list[tuple[str, tuple[str, ...], bool]] = [
    ("show", ("show", "ST36", "GB21", "LI4", "EX-LE10"), True),
    ("show", ("show", "ST36", "GB21", *ALL), True),
    ("show", ("show", "BL13", "ST9", "--fields", "code,needling,cautions"), False),
    ("list", ("list", "--condition", "PHN"), False),
    ("list", ("list", *ALL), True),  # the whole catalog, every field
    ("search", ("search", "numb", "toes"), False),
    ("search", ("search", "numb", "toes", *ALL), True),
    ("search", ("search", "headache", "--fields", "code,score,matched"), False),
    ("meridian", ("meridian", "LR"), False),
    ("meridian", ("meridian", "BL", *ALL), True),
    ("vocab", ("vocab",), True),
    ("vocab", ("vocab", "region"), True),
    ("evidence", ("evidence",), True),
    ("evidence", ("evidence", "--point", "LI4"), True),
    ("prescribe", ("prescribe", "--condition", "CIPN", "--modality", "electro", "--lymphoedema", "left-arm"), True),
    ("prescribe", ("prescribe", "--condition", "DPN", "--modality", "electro", "--pacemaker"), True),
    ("prescribe", ("prescribe", "--condition", "PHN", "--pregnant", "--anticoagulants", "--diabetic-foot"), True),
    ("check", ("check", "GB21", "LI4", "SP6", "BL13", "--pregnant", "--anticoagulants"), True),
    ("check", ("check", "LR3", "GB42", "ST36", "--pair", "LR3-ST36:left", "-m", "electro", "--pacemaker"), True),
    ("check", ("check", "BL13", "ST36"), True),  # a caution only: exit 0
]


def _csv_commands() -> set[str]:
    """The commands whose -f takes csv, read from the app itself: a new one cannot be left out."""
    import typer

    from acupoints.cli import app

    group: Any = typer.main.get_command(app)
    found = set()
    for name, command in group.commands.items():
        for param in command.params:
            if "--format" in getattr(param, "opts", ()) and "csv" in getattr(param.type, "choices", ()):
                found.add(name)
    return found


def test_every_command_that_offers_csv_is_read_back():
    assert _csv_commands() == {name for name, _, _ in CALLS}


def _compare(name: str, records: list[dict[str, Any]], header: list[str], rows: list[list[str]], full: bool) -> None:
    _, derived = RECORDS[name] if name != "saved" else SAVED
    assert len(rows) == len(records)
    assert len(header) == len(set(header))
    keys = {k for rec in records for k in rec}
    assert set(header) - keys <= derived, f"columns that are no field: {set(header) - keys - derived}"
    if full:
        assert not keys - set(header), f"the csv loses {keys - set(header)}"
    for row, rec in zip(rows, records, strict=True):
        assert len(row) == len(header)
        got = dict(zip(header, row, strict=True))
        for key, value in rec.items():
            if key in got:
                assert decode(got[key]) == value, (key, got[key], value)


def _check_call(cli, name: str, args: tuple[str, ...], full: bool, extract: Extract) -> None:
    code, out, err = cli(*args, "-f", "json")
    records = extract(json.loads(out))
    assert records, "a call that reads nothing back tests nothing"
    code_csv, out_csv, err_csv = cli(*args, "-f", "csv")
    assert code_csv == code
    # what the json sends to stderr, the csv does too; all else the json holds is there as well
    assert set(err.splitlines()) <= set(err_csv.splitlines())
    assert all(line.startswith("acupoints: ") for line in err_csv.splitlines())
    reader = csv.reader(io.StringIO(out_csv, newline=""))
    header, *rows = list(reader)
    _compare(name, records, header, rows, full)
    # DictReader, as a script would read it, agrees with the plain reader
    dict_rows = list(csv.DictReader(io.StringIO(out_csv, newline="")))
    assert [list(r.values()) for r in dict_rows] == rows
    if name == "show" and "--fields" not in args:
        return  # show in plain is a page a point, for people; with --fields, one record a line
    code_plain, out_plain, _ = cli(*args, "-f", "plain")
    assert code_plain == code
    lines = out_plain.split("\n")
    assert lines[-1] == ""
    _compare(name, records, header, [line.split("\t") for line in lines[:-1]], full)


@pytest.mark.parametrize(("name", "args", "full"), CALLS, ids=[" ".join(a) for _, a, _ in CALLS])
def test_csv_and_plain_read_back_as_the_json(cli, name, args, full):
    _check_call(cli, name, args, full, RECORDS[name][0])


def test_a_saved_prescription_reads_back(cli, tmp_path):
    rx = tmp_path / "rx.yaml"
    code, _, _ = cli("prescribe", "--condition", "CIPN", "--anticoagulants", "-o", str(rx))
    assert code == 0
    _check_call(cli, "saved", ("show", str(rx)), True, SAVED[0])
    code, out, err = cli("show", str(rx), "--fields", "code")
    assert code == 2 and out == "" and err.count("\n") == 1 and "not of a saved prescription" in err


def test_fields_all_is_every_field(cli):
    code, out, _ = cli("list", "--meridian", "LU", "--fields", "all", "-f", "csv")
    assert code == 0 and out.split("\n")[0].split(",") == list(EXPORT_FIELDS)
    code, out, _ = cli("search", "numb", "toes", "--fields", "all", "-f", "csv")
    assert code == 0 and out.split("\n")[0].split(",") == [*EXPORT_FIELDS, "score", "matched"]
    code, out, _ = cli("show", "ST36", "--fields", "code,pinyin", "-f", "plain")
    assert code == 0 and out == "ST36\tZúsānlǐ\n"
    code, out, err = cli("show", "ST36", "--fields", "code,pinyn")
    assert code == 2 and out == "" and "did you mean pinyin?" in err and err.count("\n") == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(st.lists(json_values, min_size=1, max_size=5))
def test_any_value_reads_back_from_a_cell(values):
    """The rule holds for every JSON value, not only the catalog's: through csv and through plain."""
    from acupoints.output.cells import cell
    from acupoints.output.writers import to_csv, to_plain

    columns = [f"c{i}" for i in range(len(values))]
    row = dict(zip(columns, values, strict=True))
    cells = [cell(v) for v in values]
    assert not any(ch in c for c in cells for ch in "\t\n\r"), "a cell is one line of one column"
    assert [decode(c) for c in cells] == values
    back = next(csv.DictReader(io.StringIO(to_csv([row], columns), newline="")))
    assert [decode(back[c]) for c in columns] == values
    line = to_plain([row], columns)
    assert line.endswith("\n") and line.count("\n") == 1
    assert [decode(c) for c in line[:-1].split("\t")] == values


def _raw(args: tuple[str, ...], env: dict[str, str] | None = None) -> tuple[int, bytes]:
    from typer.testing import CliRunner

    from acupoints.cli import app

    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout_bytes


def test_bom_for_spreadsheets(tmp_path):
    plain_code, plain = _raw(("list", "--meridian", "LU", "-f", "csv"))
    code, out = _raw(("list", "--meridian", "LU", "-f", "csv", "--bom"))
    assert plain_code == code == 0 and not plain.startswith(b"\xef\xbb\xbf")
    assert out == b"\xef\xbb\xbf" + plain
    code, env_out = _raw(("list", "--meridian", "LU", "-f", "csv"), env={"ACUPOINTS_BOM": "1"})
    assert env_out == out
    code, tsv = _raw(("list", "--meridian", "LU", "-f", "plain", "--bom"))
    assert tsv.startswith(b"\xef\xbb\xbfLU1\t")
    # json and yaml never carry one: a BOM is for the spreadsheet formats only
    code, js = _raw(("list", "--meridian", "LU", "-f", "json", "--bom"))
    assert code == 0 and js.startswith(b"[")
    target = tmp_path / "lu.csv"
    code, _ = _raw(("list", "--meridian", "LU", "--bom", "-o", str(target)))
    assert code == 0 and target.read_bytes() == out
    with target.open(encoding="utf-8-sig", newline="") as fh:  # how a script reads such a file
        assert next(csv.DictReader(fh))["code"] == "LU1"


def test_check_names_what_it_checked_in_a_pipe(cli):
    """The table says '2 exclusions for GB21, LI4, SP6'; csv and plain say it on stderr."""
    code, out, err = cli("check", "GB21", "LI4", "SP6", "--pregnant", "-f", "csv")
    assert code == 1
    assert "acupoints: note: " in err and "GB21, LI4, SP6" in err
