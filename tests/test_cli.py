"""Each command end to end through Typer's CliRunner: formats, files, errors."""

import csv
import io
import json

import pytest
import yaml

from acupoints.model import EXPORT_FIELDS


def test_show_by_any_name(cli):
    code, out, err = cli("show", "zusanli", "-f", "plain")
    assert code == 0 and err.startswith("acupoints: notice: A reference, not medical advice") and err.count("\n") == 1
    assert out.startswith("ST36\tZúsānlǐ\t足三里\tLeg Three Miles")
    for heading in ("Location:", "Needling:", "Actions:", "Indications:", "Categories:", "Modalities:", "Used for:"):
        assert heading in out
    assert "A reference, not medical advice" not in out  # a record format: the notice is on stderr


def test_show_table_panel(cli, monkeypatch):
    code, out, _ = cli("show", "LI4", "-f", "table")
    assert code == 0
    assert "╭" in out and "LI4" in out and "Hégǔ" in out
    assert "pregnancy" in out and "Carr 2015" in out
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_show_json_is_a_list_of_full_records(cli):
    code, out, _ = cli("show", "ST36", "LI4", "-f", "json")
    data = json.loads(out)
    assert [d["code"] for d in data] == ["ST36", "LI4"]
    assert list(data[0]) == list(EXPORT_FIELDS)
    assert data[0]["hanzi"] == "足三里"
    assert '"足三里"' in out  # characters kept, not \u escapes


def test_show_unknown_point(cli):
    code, out, err = cli("show", "ST63")
    assert code == 2 and out == ""
    assert err == "acupoints: error: no point 'ST63'; did you mean ST36?\n"


def test_list_json_stable(cli):
    code, out, err = cli("list", "--condition", "CIPN", "--region", "upper-limb", "-f", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data and all("CIPN" in d["conditions"] for d in data)
    _, again, _ = cli("list", "--condition", "CIPN", "--region", "upper-limb", "-f", "json")
    assert again == out


def test_list_plain_in_a_pipe_one_record_a_line(cli, catalog):
    code, out, _ = cli("list")
    lines = out.splitlines()
    assert len(lines) == len(catalog)
    assert all(len(line.split("\t")) == 6 for line in lines)


def test_list_fields_and_csv(cli):
    code, out, _ = cli("list", "--meridian", "ST", "--fields", "code,pinyin,categories", "-f", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["code", "pinyin", "categories"]
    st36 = [r for r in rows if r[0] == "ST36"][0]
    # a list in a cell is JSON: it reads back, and never collides with a separator in the data
    assert json.loads(st36[2]) == [{"kind": "he-sea"}, {"kind": "lower-he-sea", "of": "stomach"}]


def test_list_yaml(cli):
    code, out, _ = cli("list", "--condition", "PHN", "-f", "yaml", "--fields", "code,english")
    data = yaml.safe_load(out)
    assert {"code": "CV12", "english": data[[d["code"] for d in data].index("CV12")]["english"]} in data


def test_list_empty_result_is_success(cli):
    code, out, err = cli("list", "--condition", "PHN", "--region", "head", "--category", "jing-well", "-f", "json")
    assert code == 0 and json.loads(out) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--region", "lowerlimb"], "unknown region 'lowerlimb'; did you mean lower-limb?"),
        (["list", "--fields", "code,englsh"], "unknown field 'englsh'; did you mean english?"),
        (["list", "-f", "xml"], "'xml' is not one of"),
        (["list", "--bogus"], "no option --bogus"),
        (["show"], "Missing argument"),
        (["frobnicate"], "No such command 'frobnicate'"),
        (["vocab", "colour"], "'colour' is not one of"),
    ],
)
def test_usage_errors_are_one_line_exit_2(cli, args, message):
    code, out, err = cli(*args)
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("acupoints: error: ")
    assert message in err


def test_output_file_atomic_and_no_overwrite(cli, tmp_path):
    target = tmp_path / "points.json"
    code, out, err = cli("list", "--condition", "DPN", "-o", str(target))
    assert code == 0 and out == ""
    data = json.loads(target.read_text(encoding="utf-8"))  # format from the suffix
    assert all("DPN" in d["conditions"] for d in data)
    code, _, err = cli("list", "-o", str(target))
    assert code == 1 and "exists; use --force" in err
    assert json.loads(target.read_text(encoding="utf-8")) == data  # untouched
    code, _, _ = cli("list", "--condition", "PHN", "-o", str(target), "--force")
    assert code == 0 and json.loads(target.read_text(encoding="utf-8")) != data
    assert [p.name for p in tmp_path.iterdir()] == ["points.json"]  # no temporary left behind


def test_output_into_missing_folder(cli, tmp_path):
    code, _, err = cli("list", "-o", str(tmp_path / "no" / "x.csv"))
    assert code == 1 and "does not exist" in err


def test_search(cli):
    code, out, _ = cli("search", "zusnli", "-f", "json", "--fields", "code")
    assert json.loads(out)[0] == {"code": "ST36"}
    code, out, _ = cli("search", "qqqqqqq", "-f", "json")
    assert code == 0 and json.loads(out) == []


def test_vocab(cli, catalog):
    code, out, _ = cli("vocab", "region", "-f", "json")
    data = {d["value"]: d["points"] for d in json.loads(out)}
    assert data["lower-limb"] >= data["foot"] > 0
    code, out, _ = cli("vocab", "-f", "json")
    assert set(json.loads(out)) == {"region", "meridian", "category", "modality", "condition", "caution"}
    code, out, _ = cli("vocab")
    assert "condition\tCIPN\t" in out


def test_validate_shipped_and_broken(cli, mini):
    code, out, _ = cli("validate")
    assert code == 0 and "valid" in out
    mini.write_text(mini.read_text().replace("region: hand", "region: paw"), encoding="utf-8")
    code, out, err = cli("validate", str(mini))
    assert code == 1
    assert f"{mini}:" in err and "LI4: unknown region 'paw'" in err
    assert err.rstrip().endswith("acupoints: error: 1 problem found")


def test_broken_catalog_on_any_command_is_one_line(cli, mini):
    mini.write_text("points: [\n", encoding="utf-8")
    code, out, err = cli("--catalog", str(mini), "list")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "not valid YAML" in err


def test_catalog_option_and_variable(cli, mini):
    code, out, _ = cli("--catalog", str(mini), "list", "-f", "json", "--fields", "code")
    assert json.loads(out) == [{"code": "LI4"}, {"code": "ST36"}]
    code, out, _ = cli("list", "-f", "json", "--fields", "code", env={"ACUPOINTS_CATALOG": str(mini)})
    assert json.loads(out) == [{"code": "LI4"}, {"code": "ST36"}]


def test_every_command_has_help_with_examples(cli):
    from acupoints.cli import app

    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        code, out, _ = cli(name, "--help")
        assert code == 0
        assert "Examples:" in out, name


def test_version(cli):
    from acupoints import __version__

    code, out, _ = cli("--version")
    assert code == 0 and out == f"acupoints {__version__}\n"
