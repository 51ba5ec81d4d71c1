"""No format loses what another shows: every warning, exclusion, note, pair and notice that the
json of a call holds (or sends to stderr) is in every other format of the same call, on stdout
or stderr. And no output of any command shows a Python repr."""

from __future__ import annotations

import json
import re

import pytest
import yaml

RECORDS = ("table", "plain", "csv", "yaml")
CALLS = {
    "show": ("show", "ST36", "GB21"),
    "list": ("list", "--condition", "PHN"),
    "search": ("search", "numb", "toes"),
    "meridian": ("meridian", "LR"),
    "vocab": ("vocab",),
    "evidence": ("evidence", "CIPN"),
    "evidence-point": ("evidence", "--point", "LI4"),
    "prescribe-pacemaker": ("prescribe", "--condition", "DPN", "--modality", "electro", "--pacemaker"),
    "prescribe-lymph": ("prescribe", "--condition", "CIPN", "--modality", "electro", "--lymphoedema", "left-arm"),
    "prescribe-flags": ("prescribe", "--condition", "PHN", "--pregnant", "--anticoagulants", "--diabetic-foot"),
    "prescribe-avoid": ("prescribe", "--condition", "CIPN", "--avoid", "LI4,ST36", "--low-platelets"),
    "check-findings": ("check", "GB21", "LI4", "SP6", "BL13", "--pregnant", "--anticoagulants"),
    "check-pair": ("check", "LR3", "GB42", "ST36", "--pair", "LR3-ST36:left", "--modality", "electro", "--pacemaker"),
    "check-clean": ("check", "ST36"),
}
FORMATS_OF = {"prescribe": (*RECORDS, "markdown")}
MESSAGE_KEYS = {"notes", "notice", "summary", "ranking", "title"}  # text beside the records
RECORD_KEYS = {"studies", "points", "views", "channel"}  # records: compared by the golden tests
REPR = re.compile(r"\('[^']*',|\['[^']*'|\{'[a-z_]+': ")
WIDE = {"COLUMNS": "2000"}  # no wrapping: a message is one run of text in every format


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def _messages(data, err: str) -> set[str]:
    """Everything of the JSON that is not a record, and what the json call sent to stderr."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, dict):
            for k, v in node.items():
                if k in MESSAGE_KEYS:
                    found.update(_strings(v))
                elif k in ("excluded", "warnings", "findings"):
                    found.update(f["message"] if isinstance(f, dict) else f for f in v)
                elif k == "pairs":
                    found.update(" - ".join(pair["points"]) for pair in v)
                elif k not in RECORD_KEYS:
                    walk(v)

    walk(data)
    for line in err.splitlines():
        found.add(line.split(": ", 2)[-1])
    return {" ".join(m.split()) for m in found if m.strip()}


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_format_carries_what_json_carries(cli, name):
    args = CALLS[name]
    code, out, err = cli(*args, "-f", "json", env=WIDE)
    data = json.loads(out)
    wanted = _messages(data, err)
    if name.startswith(("prescribe", "check", "evidence", "show")):
        assert any("not medical advice" in m for m in wanted), "the notice is part of the result"
    for fmt in FORMATS_OF.get(args[0], RECORDS):
        code2, out2, err2 = cli(*args, "-f", fmt, env=WIDE)
        assert code2 == code, fmt
        if fmt == "yaml":  # the same data, quoted the YAML way: compare what it reads back as
            assert yaml.safe_load(out2) == data and err2 == err
            continue
        shown = _flat(out2 + "\n" + err2)
        missing = [m for m in wanted if m not in shown]
        assert not missing, f"-f {fmt} loses: {missing[:3]}"


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("fmt", ("table", "plain", "json", "csv", "yaml"))
def test_no_output_shows_a_python_repr(cli, name, fmt):
    code, out, err = cli(*CALLS[name], "-f", fmt, env=WIDE)
    assert not REPR.search(out + err), (out + err)[:500]


def test_pacemaker_refusal_reaches_a_pipe(cli):
    """The issue's case: `prescribe --condition DPN --modality electro --pacemaker | cat`."""
    code, out, err = cli("prescribe", "--condition", "DPN", "--modality", "electro", "--pacemaker")
    assert code == 0 and "\t" in out  # records in a pipe
    assert "acupoints: note: Electroacupuncture was asked for, but the patient has an implanted device" in err
    assert "acupoints: warning: implanted-device:" in err
    assert "acupoints: notice: A reference, not medical advice" in err


def test_an_unknown_output_suffix_is_a_usage_error(cli, tmp_path):
    target = tmp_path / "out.xlsx"
    code, out, err = cli("list", "--condition", "DPN", "-o", str(target))
    assert code == 2 and not target.exists()
    assert "the suffix names no format" in err and "-f table|plain|json|csv|yaml" in err
    code, _, _ = cli("list", "--condition", "DPN", "-o", str(target), "-f", "csv")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("code,")


def test_vocabularies_are_declared_once():
    """The enums are the vocabularies: the region tree, the model's tuples and the flags agree."""
    from acupoints import model, vocab
    from acupoints.flags import Flags, specs

    assert set(vocab.values(vocab.Region)) == set(model.REGIONS)
    assert model.MODALITIES == vocab.values(vocab.Modality)
    assert model.CAUTION_KINDS == vocab.values(vocab.CautionKind)
    assert [s.name for s in specs()] == list(Flags().to_dict())
