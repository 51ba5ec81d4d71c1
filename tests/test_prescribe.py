"""Prescriptions, patient flags, electroacupuncture pairs, checks and the saved format (issue 4)."""

import json

import pytest
import yaml

from acupoints.prescribe import SAVE_FORMAT, prescribe
from acupoints.safety import Flags, check, limb_of


def codes(rx):
    return [c.code for c in rx.points]


def test_ranked_with_reasons_citing_shipped_references(catalog):
    rx = prescribe(catalog, "CIPN")
    assert rx.points
    for c in rx.points:
        assert c.reasons
        assert set(c.studies) <= set(catalog.references), c.code
        for sid in c.studies:
            assert catalog.references[sid].condition == "CIPN"
            assert c.code in catalog.references[sid].codes
    scores = [c.score for c in rx.points]
    assert scores == sorted(scores, reverse=True)
    assert "LI4" in codes(rx) and "ST36" in codes(rx)


def test_max_region_modality(catalog):
    rx = prescribe(catalog, "DPN", modality="electro", region=("lower-limb",), max_points=3)
    assert len(rx.points) == 3
    for c in rx.points:
        p = catalog.point(c.code)
        assert limb_of(p) == "lower-limb" and "electro" in p.modalities


def test_include_and_avoid(catalog):
    rx = prescribe(catalog, "CIPN", include=("GV20",), avoid=("LI4",))
    assert codes(rx)[0] == "GV20"
    assert "LI4" not in codes(rx)
    assert any(f.code == "LI4" and "at your request" in f.message for f in rx.excluded)


def test_lymphoedema_left_arm(catalog):
    plain = prescribe(catalog, "CIPN", modality="electro", max_points=10)
    rx = prescribe(catalog, "CIPN", modality="electro", max_points=10, flags=Flags(lymphoedema=("left-arm",)))
    for c in rx.points:
        if limb_of(catalog.point(c.code)) == "upper-limb":
            assert c.sides == "right", c.code
            assert any("left side left out: on the left arm" in r for r in c.reasons)
    arm_points = [c for c in plain.points if limb_of(catalog.point(c.code)) == "upper-limb"]
    assert arm_points, "the test needs arm points to mean anything"
    for pair in rx.pairs:
        if limb_of(catalog.point(pair.a)) == "upper-limb":
            assert pair.sides == "right", pair
    assert any(w.kind == "lymphoedema" and "cassileth2011" in w.sources for w in rx.warnings)


def test_lymphoedema_both_arms_removes_arm_points(catalog):
    rx = prescribe(catalog, "CIPN", flags=Flags(lymphoedema=("left-arm", "right-arm")))
    assert all(limb_of(catalog.point(c)) != "upper-limb" for c in codes(rx))
    assert any(f.kind == "lymphoedema" for f in rx.excluded)


def test_pacemaker_means_no_electroacupuncture(catalog):
    rx = prescribe(catalog, "CIPN", modality="electro", flags=Flags(pacemaker=True))
    assert rx.pairs == ()
    assert all("electro" not in c.modalities for c in rx.points)
    assert any("implanted device" in n for n in rx.notes)
    assert "ea_frequency" not in rx.plan


def test_pregnancy_excludes_traditional_points_and_says_why(catalog):
    rx = prescribe(catalog, "CIPN", flags=Flags(pregnant=True), max_points=20)
    assert "LI4" not in codes(rx) and "SP6" not in codes(rx)
    why = [f for f in rx.excluded if f.code == "LI4"]
    assert why and why[0].kind == "pregnancy" and "carr2015" in why[0].sources


def test_diabetic_foot(catalog):
    plain = prescribe(catalog, "DPN", max_points=20)
    rx = prescribe(catalog, "DPN", max_points=20, flags=Flags(diabetic_foot=True))
    assert any(catalog.point(c).region == "foot" for c in codes(plain))
    assert not any(catalog.point(c).region == "foot" for c in codes(rx))
    for c in rx.points:
        if limb_of(catalog.point(c.code)) == "lower-limb":
            assert "moxibustion" not in c.modalities


def test_anticoagulants_and_low_platelets_change_the_result(catalog):
    for flags in (Flags(anticoagulants=True), Flags(low_platelets=True)):
        rx = prescribe(catalog, "CIPN", max_points=20, flags=flags)
        assert all("cupping" not in c.modalities for c in rx.points)
        assert rx.warnings[0].kind in ("anticoagulants", "low-platelets")


def test_pairs_stay_on_one_limb_and_side(catalog):
    rx = prescribe(catalog, "DPN", modality="electro", max_points=10)
    assert rx.pairs
    for pair in rx.pairs:
        a, b = catalog.point(pair.a), catalog.point(pair.b)
        assert limb_of(a) == limb_of(b) is not None


def test_plan_comes_from_the_references(catalog):
    rx = prescribe(catalog, "CIPN", modality="electro")
    per_week = rx.plan["sessions_per_week"]
    assert per_week["studies"]["molassiotis2019"] == 2
    assert per_week["min"] >= 1 and per_week["max"] <= 3
    assert rx.plan["ea_frequency"]["bao2020"] == "2-5 Hz"


def test_check_clean_and_unsafe(catalog):
    assert check(catalog, ["ST36", "SP6"]) == []
    # LR3 lies over the dorsalis pedis artery: a caution to keep in mind, not an exclusion
    assert [(f.kind, f.effect) for f in check(catalog, ["LR3"])] == [("vessel", "caution")]
    found = check(catalog, ["LI4", "SP6", "ST63", "st36", "ST36"], flags=Flags(pregnant=True))
    kinds = [(f.kind, f.code) for f in found]
    assert ("pregnancy", "LI4") in kinds and ("pregnancy", "SP6") in kinds
    assert ("unknown", None) in kinds and ("duplicate", "ST36") in kinds


def test_check_pairs(catalog):
    flags = Flags()
    clean = check(catalog, ["LR3", "GB42"], pairs=(("LR3", "GB42", "left"),), flags=flags, modality="electro")
    assert all(f.effect == "caution" for f in clean)
    across = check(catalog, ["LI4", "ST36"], pairs=(("LI4", "ST36", "left"),), modality="electro")
    assert any(f.kind == "ea-circuit" for f in across)
    trunk = check(catalog, ["CV12", "ST36"], pairs=(("CV12", "ST36", "both"),), modality="electro")
    assert any(f.kind == "ea-circuit" and "CV12" in f.message for f in trunk)
    device = check(catalog, ["LR3", "GB42"], pairs=(("LR3", "GB42", "left"),), flags=Flags(pacemaker=True))
    assert any(f.kind == "implanted-device" for f in device)


# -- the commands ---------------------------------------------------------------------------
def test_prescribe_cli_lymphoedema(cli):
    code, out, err = cli(
        "prescribe", "--condition", "CIPN", "--modality", "electro", "--lymphoedema", "left-arm", "-f", "json"
    )
    assert code == 0, err
    rx = json.loads(out)
    assert rx["flags"]["lymphoedema"] == ["left-arm"]
    code, text, _ = cli(
        "prescribe", "--condition", "CIPN", "--modality", "electro", "--lymphoedema", "left-arm", "-f", "table"
    )
    assert "lymphoedema" in text and "Cassileth 2011" in text and "not medical advice" in text


def test_prescribe_cli_pacemaker(cli):
    code, out, _ = cli("prescribe", "--condition", "CIPN", "--modality", "electro", "--pacemaker", "-f", "table")
    assert code == 0
    assert "implanted device" in out and "manual needling only" in out
    rx = json.loads(cli("prescribe", "--condition", "CIPN", "--modality", "electro", "--pacemaker", "-f", "json")[1])
    assert rx["pairs"] == []


def test_bad_limb_is_usage_error(cli):
    code, _, err = cli("prescribe", "--condition", "CIPN", "--lymphoedema", "left-elbow")
    assert code == 2 and "unknown limb 'left-elbow'" in err


def test_save_and_read_back(cli, tmp_path):
    rx_path = tmp_path / "rx.yaml"
    code, _, err = cli(
        "prescribe", "--condition", "DPN", "--modality", "electro", "--anticoagulants", "-o", str(rx_path)
    )
    assert code == 0, err
    saved = yaml.safe_load(rx_path.read_text(encoding="utf-8"))
    assert saved["format"] == SAVE_FORMAT
    assert saved["flags"]["anticoagulants"] is True
    assert saved["catalog_version"] and saved["created"] and saved["plan"]
    code, out, _ = cli("show", str(rx_path), "-f", "json")  # the prescription, not bare point records
    shown = json.loads(out)
    assert shown["condition"] == "DPN" and [p["code"] for p in shown["points"]] == [p["code"] for p in saved["points"]]
    code, out, _ = cli("show", str(rx_path), "-f", "plain")
    assert [line.split("\t")[:2] for line in out.splitlines()] == [[p["code"], p["sides"]] for p in saved["points"]]
    code, out, err = cli("check", str(rx_path), "-f", "json")
    result = json.loads(out)
    assert result["checked"] == [f"{p['code']}:{p['sides']}" for p in saved["points"]]
    assert code == 0 and result["ok"], result  # the tool's own prescription passes its own check
    code, _, err = cli("prescribe", "--condition", "DPN", "-o", str(rx_path))
    assert code == 1 and "--force" in err


def test_markdown_handout(cli, tmp_path):
    out_path = tmp_path / "handout.md"
    code, _, _ = cli("prescribe", "--condition", "CIPN", "--modality", "electro", "-o", str(out_path))
    text = out_path.read_text(encoding="utf-8")
    assert text.startswith("# Your acupuncture points: chemotherapy-induced peripheral neuropathy")
    for part in ("## What a session is like", "## Afterwards", "## Call your practitioner if", "not medical advice"):
        assert part in text


def test_check_cli_pregnant_exits_1_with_sources(cli):
    code, out, err = cli("check", "GB21", "LI4", "SP6", "--pregnant", "-f", "plain")
    assert code == 1
    for point in ("GB21", "LI4", "SP6"):
        rows = [line.split("\t") for line in out.splitlines() if line.startswith(f"{point}\tpregnancy\t")]
        assert rows, point
        assert "Deadman" in rows[0][2] and "Carr 2015" in rows[0][2], rows[0]
        assert {"deadman", "carr2015"} <= set(json.loads(rows[0][3]))
        # Cheng 1987 bans LI4 and SP6 in pregnancy by name, but not GB21 (its note says so)
        named = point != "GB21"
        assert ("Cheng 1987" in rows[0][2]) == named and ("cheng1987" in json.loads(rows[0][3])) == named, rows[0]
    assert "Carr 2015" in out


def test_check_cli_clean_exits_0(cli):
    code, out, err = cli("check", "ST36", "SP6", "-f", "plain")
    assert code == 0 and out == "" and "acupoints: note: no problems found in ST36, SP6" in err


@pytest.mark.parametrize("condition", ["DPN", "CIPN", "PHN"])
def test_evidence_shows_negative_beside_positive(cli, condition, catalog):
    code, out, _ = cli("evidence", condition, "-f", "json")
    (section,) = json.loads(out)
    verdicts = {s["verdict"] for s in section["studies"]}
    expected = {r.verdict for r in catalog.references.values() if r.condition == condition}
    assert verdicts == expected
    assert len(section["studies"]) == sum(r.condition == condition for r in catalog.references.values())


def test_evidence_cipn_shows_asco(cli):
    code, out, _ = cli("evidence", "CIPN", "-f", "table")
    assert "ASCO" in out and "no recommendation" in out and "no-recommendation" in out
    assert "Greenlee 2016" in out and "negative" in out


def test_evidence_for_a_point(cli):
    code, out, _ = cli("evidence", "--point", "GB34", "-f", "json")
    sections = json.loads(out)
    ids = {s["id"] for sec in sections for s in sec["studies"]}
    assert "rostock2013" in ids and "stringer2022" in ids  # stringer: uncertain, shown as such
    assert any("uncertain" in n for sec in sections for n in sec["notes"])


@pytest.mark.parametrize("command", ["check", "show"])
def test_saved_prescription_errors(cli, tmp_path, command):
    code, _, err = cli(command, str(tmp_path / "missing.yaml"))
    assert code == 2 and "no such file" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("points: [\n", encoding="utf-8")
    code, _, err = cli(command, str(bad))
    assert code == 2 and "not valid YAML" in err
    other = tmp_path / "other.yaml"
    other.write_text("just: data\n", encoding="utf-8")
    code, _, err = cli(command, str(other))
    assert code == 2 and "not a saved prescription" in err
