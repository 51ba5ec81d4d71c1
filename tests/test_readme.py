"""Every example in the README runs, and does what the text beside it says.

The shell examples are read from the README itself, run in README order in one scratch folder
(so `prescribe ... -o rx.yaml` comes before `check rx.yaml`), through an `acupoints` on PATH
that is this interpreter's package. Each has a check below: a new example without a check, or
a check whose example has gone, fails the first test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import acupoints

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SVG = "{http://www.w3.org/2000/svg}"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.S | re.M)


def _shell_examples() -> list[str]:
    """Every `acupoints` line of the README's sh blocks, without its comment."""
    lines = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            command = re.split(r"\s+# ", line, maxsplit=1)[0].strip()
            if re.match(r"(printf .*\| )?acupoints\b", command):
                lines.append(command)
    return lines


@dataclass
class Run:
    command: str
    code: int
    out: str
    err: str
    folder: Path

    def file(self, name: str) -> Path:
        return self.folder / name

    def rows(self) -> list[list[str]]:
        return [line.split("\t") for line in self.out.splitlines() if line]


CATALOG = acupoints.load_catalog()


def _codes(run: Run) -> list[str]:
    return [row[0] for row in run.rows()]


# ---- the checks: what the README says each example does --------------------------------------


def _ok(run: Run) -> None:
    assert run.code == 0, (run.command, run.err)
    assert "Traceback" not in run.err


def show_pinyin(run: Run) -> None:
    _ok(run)
    assert run.out.startswith("ST36\tZúsānlǐ\t足三里")


def show_tones_and_characters(run: Run) -> None:
    _ok(run)
    assert "ST36\tZúsānlǐ" in run.out and "not found" not in run.err


def show_codes(run: Run) -> None:
    _ok(run)
    shown = [line.split("\t")[0] for line in run.out.splitlines() if re.match(r"[A-Z]+\d+\t", line)]
    assert shown[:3] == ["ST36", "BL60", "TE5"]


def show_channel_names(run: Run) -> None:
    _ok(run)
    shown = [line.split("\t")[0] for line in run.out.splitlines() if re.match(r"[A-Z]+\d+\t", line)]
    assert shown[:2] == ["ST36", "GB34"]


def show_json(run: Run) -> None:
    _ok(run)
    data = json.loads(run.out)
    assert isinstance(data, list) and data[0]["code"] == "LI4"
    assert {"location", "needling", "cautions", "conditions", "references"} <= set(data[0])


def show_fields_csv(run: Run) -> None:
    _ok(run)
    rows = list(csv.DictReader(io.StringIO(run.out)))
    assert [r["code"] for r in rows] == ["ST36", "SP6"] and list(rows[0]) == ["code", "needling", "cautions"]
    assert json.loads(rows[0]["needling"])["depth_cun"]


def list_dpn_electro(run: Run) -> None:
    _ok(run)
    codes = _codes(run)
    assert codes, "the DPN electro list is empty"
    for code in codes:
        point = CATALOG.get(code)
        assert "DPN" in point.conditions and "electro" in point.modalities, code
        assert point.region in {"lower-limb", "thigh", "knee", "lower-leg", "ankle", "foot"}, code


def list_cipn_json(run: Run) -> None:
    _ok(run)
    data = json.loads(run.file("cipn.json").read_text(encoding="utf-8"))
    assert data and all("CIPN" in record["conditions"] for record in data)


def list_he_sea_fields(run: Run) -> None:
    _ok(run)
    assert run.rows() == [["ST36", "Zúsānlǐ", "Leg Three Miles"]]


def list_two_channels(run: Run) -> None:
    _ok(run)
    codes = _codes(run)
    assert {code[:2] for code in codes} == {"ST", "SP"}  # either channel
    assert codes == [p.code for p in CATALOG if p.meridian in ("ST", "SP") and "he-sea" in p.category_kinds]


def list_cipn_csv(run: Run) -> None:
    _ok(run)
    rows = list(csv.DictReader(io.StringIO(run.file("cipn.csv").read_text(encoding="utf-8"))))
    assert rows
    for row in rows:
        point = CATALOG.get(row["code"])
        assert point is not None and "CIPN" in point.conditions
        assert not any(c.kind == "pregnancy" for c in point.cautions), row["code"]


def search_headache(run: Run) -> None:
    _ok(run)
    assert 1 <= len(run.rows()) <= 5


def search_numb_toes(run: Run) -> None:
    _ok(run)
    first = _codes(run)[:3]
    assert "EX-LE10" in first  # Bafeng, between the toes


def search_json(run: Run) -> None:
    _ok(run)
    hits = json.loads(run.out)
    assert hits and all("score" in h and h["matched"] for h in hits)
    assert "PC6" in [h["code"] for h in hits[:5]]


def search_min_score(run: Run) -> None:
    _ok(run)
    as_json = subprocess.run(
        run.command + " -f json", shell=True, cwd=run.folder, env=_env(run.folder), text=True, capture_output=True
    )
    hits = json.loads(as_json.stdout)
    assert hits and all(h["score"] >= 3 for h in hits)  # only hits scoring 3 or more
    assert [h["code"] for h in hits] == _codes(run)


def search_characters(run: Run) -> None:
    _ok(run)
    assert _codes(run)[0] == "ST36"


def vocab_all(run: Run) -> None:
    _ok(run)
    kinds = {row[0] for row in run.rows()}
    assert {"region", "meridian", "category", "modality", "condition", "caution"} <= kinds


def vocab_region_json(run: Run) -> None:
    _ok(run)
    data = json.loads(run.out)
    assert any(item.get("value") == "lower-limb" for item in data)


def validate_in_use(run: Run) -> None:
    _ok(run)
    assert re.search(r"points.yaml: valid: 409 points", run.out)


def validate_file(run: Run) -> None:
    _ok(run)
    assert run.out.startswith("my-points.yaml: valid: 409 points")


def meridian_st(run: Run) -> None:
    _ok(run)
    assert [row[1] for row in run.rows()] == [f"ST{n}" for n in range(1, 46)]
    assert "45 points; from ST1 (face) to ST45 (foot)" in run.err  # the summary


def meridian_stomach(run: Run) -> None:
    meridian_st(run)


def meridian_ub_fields(run: Run) -> None:
    _ok(run)
    rows = run.rows()
    assert [r[0] for r in rows] == [f"BL{n}" for n in range(1, 68)]
    assert all(len(r) == 3 for r in rows)


def evidence_cipn(run: Run) -> None:
    _ok(run)
    assert "loprinzi2020" in run.out and "no-recommendation" in run.out  # ASCO 2020 beside the rest
    assert "negative" in run.out


def evidence_point(run: Run) -> None:
    _ok(run)
    assert run.rows() and all("ST36" in line for line in run.out.splitlines() if line)


def evidence_json(run: Run) -> None:
    _ok(run)
    data = json.loads(run.out)
    assert "DPN" in json.dumps(data)


def prescribe_electro_lymphoedema(run: Run) -> None:
    _ok(run)
    assert "warning: lymphoedema" in run.err
    for row in run.rows():
        code, sides = row[1], row[3]
        point = CATALOG.get(code)
        if point.region in {"upper-limb", "shoulder", "arm", "elbow", "forearm", "wrist", "hand"}:
            assert sides == "right", (code, sides)  # never the left arm


def prescribe_saved(run: Run) -> None:
    _ok(run)
    import yaml

    saved = yaml.safe_load(run.file("rx.yaml").read_text(encoding="utf-8"))
    assert saved["format"] == "acupoints-prescription/1"
    assert 1 <= len(saved["points"]) <= 6
    assert all(CATALOG.get(p["code"]).region != "foot" for p in saved["points"])


def prescribe_handout(run: Run) -> None:
    _ok(run)
    text = run.file("handout.md").read_text(encoding="utf-8")
    assert text.startswith("#") and "not medical advice" in text


def check_pregnant(run: Run) -> None:
    assert run.code == 1, run.err
    excluded = {row[0]: row for row in run.rows() if row[-1] == "exclude"}
    assert set(excluded) == {"GB21", "LI4", "SP6"}
    assert all(json.loads(row[3]) for row in excluded.values())  # each with its sources


def check_lymphoedema_other_side(run: Run) -> None:
    _ok(run)


def check_saved(run: Run) -> None:
    assert run.code in (0, 1), run.err  # a finding, not broken input
    assert "Traceback" not in run.err


def check_pair(run: Run) -> None:
    _ok(run)
    assert all(row[-1] != "exclude" for row in run.rows())


def _svg_points(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [g.get("id", "") for g in root.iter(f"{SVG}g") if g.get("class") == "point"]


def map_svg(run: Run) -> None:
    _ok(run)
    assert _svg_points(run.file("chart.svg")) == ["pt-ST36", "pt-SP6", "pt-GB34", "pt-LI4"]


def map_preview(run: Run) -> None:
    _ok(run)
    assert "ST36" in run.out and len(run.out.splitlines()) > 10


def map_saved(run: Run) -> None:
    _ok(run)
    assert _svg_points(run.file("rx-chart.svg"))


def map_json(run: Run) -> None:
    _ok(run)
    data = json.loads(run.out)
    assert data["format"] == "acupoints-map/1"
    assert [v["name"] for v in data["views"]] == ["front"]


def map_one_view(run: Run) -> None:
    _ok(run)
    root = ET.parse(run.file("bl.svg")).getroot()
    views = {g.get("data-view") for g in root.iter(f"{SVG}circle") if g.get("data-view")}
    assert views == {"back"}


def map_all(run: Run) -> None:
    _ok(run)
    assert len(_svg_points(run.file("atlas.svg"))) == 409
    root = ET.parse(run.file("atlas.svg")).getroot()
    assert len({p.get("data-channel") for p in root.iter(f"{SVG}path") if p.get("class") == "channel"}) == 14


def quiz_five(run: Run) -> None:
    _ok(run)
    assert "1/5." in run.out


def quiz_seed(run: Run) -> None:
    _ok(run)
    again = subprocess.run(
        run.command,
        shell=True,
        cwd=run.folder,
        env=_env(run.folder),
        text=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    questions = [line for line in run.out.splitlines() if re.match(r"\d+/\d+\. ", line)]
    assert questions and questions == [line for line in again.stdout.splitlines() if re.match(r"\d+/\d+\. ", line)]


def quiz_piped(run: Run) -> None:
    _ok(run)
    assert "Score: 2/2" in run.out  # the README's answers are the right ones for seed 1


def export_anki(run: Run) -> None:
    _ok(run)
    lines = run.file("acupoints.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#separator:tab")
    assert len([line for line in lines if not line.startswith("#")]) == 409


def export_anki_st(run: Run) -> None:
    _ok(run)
    lines = run.file("stomach.txt").read_text(encoding="utf-8").splitlines()
    assert len([line for line in lines if not line.startswith("#")]) == 45


def install_completion(run: Run) -> None:
    """Run by sh, it installs for the login shell ($SHELL is bash here)."""
    _ok(run)
    assert run.out.startswith("bash completion installed in ")
    script = run.folder / "home" / ".bash_completions" / "acupoints.sh"
    assert "complete_bash" in script.read_text(encoding="utf-8")
    assert f"source '{script}'" in (run.folder / "home" / ".bashrc").read_text(encoding="utf-8")


def install_completion_zsh(run: Run) -> None:
    """Named, the shell is the one named, whatever runs the command."""
    _ok(run)
    assert run.out.startswith("zsh completion installed in ")
    assert (run.folder / "home" / ".zfunc" / "_acupoints").read_text(encoding="utf-8").startswith("#compdef acupoints")
    assert "fpath+=~/.zfunc" in (run.folder / "home" / ".zshrc").read_text(encoding="utf-8")


def _pages(folder: Path) -> set[str]:
    return {p.stem for p in (folder / "points").glob("*.html")}


def site_all(run: Run) -> None:
    _ok(run)
    assert (run.file("atlas") / "index.html").is_file()
    assert len(_pages(run.file("atlas"))) == 409


def site_cipn(run: Run) -> None:
    _ok(run)
    assert _pages(run.file("cipn-atlas")) == {p.code for p in CATALOG.filter(condition="CIPN")}


def site_force(run: Run) -> None:
    _ok(run)
    assert len(_pages(run.file("atlas"))) == 409
    again = subprocess.run(
        "acupoints site -o atlas", shell=True, cwd=run.folder, env=_env(run.folder), text=True, capture_output=True
    )
    assert again.returncode != 0 and "--force" in again.stderr  # without it, a built site stays


CHECKS: dict[str, Callable[[Run], None]] = {
    "acupoints show zusanli": show_pinyin,
    "acupoints show 'Zú Sān Lǐ' 足三里": show_tones_and_characters,
    "acupoints show st-36 UB60 SJ5": show_codes,
    "acupoints show 'Stomach 36' 'Gall Bladder 34'": show_channel_names,
    "acupoints show LI4 -f json": show_json,
    "acupoints show ST36 SP6 --fields code,needling,cautions -f csv": show_fields_csv,
    "acupoints list --condition DPN --region lower-limb --modality electro": list_dpn_electro,
    "acupoints list --condition CIPN -f json > cipn.json": list_cipn_json,
    "acupoints list --meridian ST --category he-sea --fields code,pinyin,english": list_he_sea_fields,
    "acupoints list --meridian ST,SP --category he-sea": list_two_channels,
    "acupoints list --condition CIPN --exclude-caution pregnancy -f csv -o cipn.csv": list_cipn_csv,
    "acupoints search headache -n 5": search_headache,
    "acupoints search numb toes": search_numb_toes,
    "acupoints search 'motion sickness' -f json": search_json,
    "acupoints search shingles --min-score 3": search_min_score,
    "acupoints search 足三里": search_characters,
    "acupoints vocab": vocab_all,
    "acupoints vocab region -f json": vocab_region_json,
    "acupoints validate": validate_in_use,
    "acupoints validate my-points.yaml": validate_file,
    "acupoints meridian ST": meridian_st,
    "acupoints meridian stomach": meridian_stomach,
    "acupoints meridian UB --fields code,pinyin,categories": meridian_ub_fields,
    "acupoints evidence CIPN": evidence_cipn,
    "acupoints evidence --point ST36": evidence_point,
    "acupoints evidence DPN -f json": evidence_json,
    "acupoints prescribe --condition CIPN --modality electro --lymphoedema left-arm": prescribe_electro_lymphoedema,
    "acupoints prescribe --condition DPN --diabetic-foot --max 6 -o rx.yaml": prescribe_saved,
    "acupoints prescribe --condition PHN -f markdown -o handout.md": prescribe_handout,
    "acupoints check GB21 LI4 SP6 --pregnant": check_pregnant,
    "acupoints check LI4:right --lymphoedema left-arm": check_lymphoedema_other_side,
    "acupoints check rx.yaml --anticoagulants": check_saved,
    "acupoints check LR3 GB42 --pair LR3-GB42:left --modality electro": check_pair,
    "acupoints map ST36 SP6 GB34 LI4 -o chart.svg": map_svg,
    "acupoints map --condition CIPN": map_preview,
    "acupoints map rx.yaml -o rx-chart.svg": map_saved,
    "acupoints map --meridian ST --view front -f json": map_json,
    "acupoints map --meridian BL --view back -o bl.svg": map_one_view,
    "acupoints map --all --channels -o atlas.svg": map_all,
    "acupoints quiz --meridian ST --count 5": quiz_five,
    "acupoints quiz --category he-sea --seed 7": quiz_seed,
    "printf 'EX-UE1\\nchengqi\\n' | acupoints quiz --count 2 --seed 1": quiz_piped,
    "acupoints export --format anki -o acupoints.txt": export_anki,
    "acupoints export --format anki --meridian ST -o stomach.txt": export_anki_st,
    "acupoints --install-completion": install_completion,
    "acupoints site -o atlas": site_all,
    "acupoints site -o cipn-atlas --condition CIPN": site_cipn,
    "acupoints site -o atlas --force": site_force,
    "acupoints --install-completion zsh": install_completion_zsh,
}


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACUPOINTS_")}
    env.update(
        PATH=f"{folder / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(folder / "home"),
        SHELL="/bin/bash",
        ACUPOINTS_CACHE_DIR=str(folder / "cache"),
        COLUMNS="120",
        NO_COLOR="1",
    )
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    folder = tmp_path_factory.mktemp("readme")
    (folder / "bin").mkdir()
    (folder / "home").mkdir()
    shim = folder / "bin" / "acupoints"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m acupoints "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    (folder / "my-points.yaml").write_bytes((ROOT / "data" / "points.yaml").read_bytes())
    done = {}
    for command in _shell_examples():
        proc = subprocess.run(
            command,
            shell=True,
            cwd=folder,
            env=_env(folder),
            text=True,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        done[command] = Run(command, proc.returncode, proc.stdout, proc.stderr, folder)
    return done


def test_every_example_has_a_check() -> None:
    assert sorted(_shell_examples()) == sorted(CHECKS)


PENDING: dict[str, str] = {}


@pytest.mark.parametrize(
    "command",
    [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=PENDING[c])) if c in PENDING else c for c in CHECKS],
)
def test_example_does_what_the_readme_says(runs: dict[str, Run], command: str) -> None:
    CHECKS[command](runs[command])


def test_python_examples_run(tmp_path: Path) -> None:
    first, second = _blocks("python")
    script = tmp_path / "example.py"
    script.write_text(
        first + "\n" + second + "\nprint('svg', 'pt-ST36' in svg and 'pt-LI4' in svg)\n", encoding="utf-8"
    )
    env = {**os.environ, "ACUPOINTS_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, text=True, capture_output=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("ST36 Zúsānlǐ ")  # get("zusanli"), then its location
    assert lines[1] == "True True"  # catalog["Stomach 36"] is ST36, and "ST36" in catalog
    assert "LI4 Joining Valley" in lines  # filter(condition="CIPN", region="upper-limb")
    findings = [line for line in lines if line.startswith(("GB21 ", "LI4 "))]
    assert any(line.startswith("GB21 pregnancy") for line in findings)
    assert lines[-1] == "svg True"
