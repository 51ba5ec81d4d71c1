"""The one rule engine: each rule does what it says (and a test fails without it), check and
prescribe agree, the prescription file has a schema, and check is a gate (0, 1, 2)."""

from __future__ import annotations

import json

import pytest
import yaml

from acupoints import rules
from acupoints.flags import Flags
from acupoints.prescribe import prescribe
from acupoints.rules import CAUTION, EXCLUDE, Patient, judge, judge_pair

# rule id -> (point, sides, patient, the effect the rule must give). Each scenario is chosen so
# that this rule, and only this rule, decides it: removing the rule changes the outcome.
POINT_CASES = {
    "modality": ("ST36", None, Patient(modality="cupping"), EXCLUDE),
    # the catalog lists no needling or moxibustion among these points' modalities: the cases add it,
    # so that the ban itself, not the modality list, has to decide
    "no-needling": ("CV8+manual", None, Patient(modality="manual"), EXCLUDE),
    "no-moxibustion": ("ST1+moxibustion", None, Patient(modality="moxibustion"), EXCLUDE),
    "implanted-device": ("LR3", None, Patient(Flags(pacemaker=True), "electro"), EXCLUDE),
    "pregnancy-tradition": ("LI4", None, Patient(Flags(pregnant=True)), EXCLUDE),
    # ST25 with its own cautions removed: the region rule, not the point's caution, must decide
    "pregnancy-region": ("ST25-", None, Patient(Flags(pregnant=True)), EXCLUDE),
    "lymphoedema": ("LI4", ("left", "right"), Patient(Flags(lymphoedema=("left-arm",))), EXCLUDE),
    "diabetic-foot": ("LR3", None, Patient(Flags(diabetic_foot=True)), EXCLUDE),
    "reduced-sensation-heat": (
        "ST36",
        None,
        Patient(modality="moxibustion", numb_regions=frozenset({"lower-leg"})),
        EXCLUDE,
    ),
    "bleeding-vessel": ("LU9", None, Patient(Flags(anticoagulants=True)), EXCLUDE),
    "cupping": ("BL20", None, Patient(Flags(low_platelets=True), "cupping"), EXCLUDE),
    "moxibustion-care": ("LU9", None, Patient(modality="moxibustion"), CAUTION),
    "anatomy": ("BL13", None, Patient(), CAUTION),
}
PAIR_CASES = {
    "pair-device": ("LR3", "GB41", "left", Patient(Flags(pacemaker=True), "electro")),
    "pair-same-point": ("PC6", "PC6", "both", Patient(modality="electro")),
    "pair-trunk": ("LI4", "ST25", "left", Patient(modality="electro")),
    "pair-limbs": ("LI4", "ST36", "left", Patient(modality="electro")),
    "pair-side": ("LR3", "GB41", "middle", Patient(modality="electro")),
    "pair-points": ("LI4", "LI11", "left", Patient(Flags(lymphoedema=("left-arm",)), "electro")),
}


def _point(catalog, spec):
    """'CODE'; 'CODE+modality': the point with that modality added; 'CODE-': without its cautions."""
    if spec.endswith("-"):
        return catalog.point(spec[:-1])._replace(cautions=())
    code, _, extra = spec.partition("+")
    p = catalog.point(code)
    return p._replace(modalities=(*p.modalities, extra)) if extra else p


def _rulings(catalog, case):
    code, sides, patient, _ = case
    return judge(_point(catalog, code), sides, patient)


def test_every_rule_has_a_case():
    assert {r.id for r in rules.POINT_RULES} == set(POINT_CASES)
    assert {r[0] for r in rules.PAIR_RULES} == set(PAIR_CASES)


@pytest.mark.parametrize("rule_id", sorted(POINT_CASES))
def test_each_point_rule_decides_its_case_and_nothing_else_does(catalog, rule_id, monkeypatch):
    case = POINT_CASES[rule_id]
    found = [r for r in _rulings(catalog, case) if r.rule == rule_id]
    assert found and found[0].effect == case[3], (rule_id, found)
    # without the rule, no other rule gives the same effect: the rule is load-bearing
    monkeypatch.setattr(rules, "POINT_RULES", tuple(r for r in rules.POINT_RULES if r.id != rule_id))
    others = [r for r in _rulings(catalog, case) if r.effect == case[3] and (r.sides == found[0].sides)]
    assert not others, (rule_id, others)


@pytest.mark.parametrize("rule_id", sorted(PAIR_CASES))
def test_each_pair_rule_refuses_its_pair_and_nothing_else_does(catalog, rule_id, monkeypatch):
    a, b, side, patient = PAIR_CASES[rule_id]
    found = judge_pair(catalog.point(a), catalog.point(b), side, patient)
    assert found and found[0].rule == rule_id, found
    monkeypatch.setattr(rules, "PAIR_RULES", tuple(r for r in rules.PAIR_RULES if r[0] != rule_id))
    assert not judge_pair(catalog.point(a), catalog.point(b), side, patient)


def test_a_clean_pair_passes(catalog):
    assert judge_pair(catalog.point("LR3"), catalog.point("GB41"), "left", Patient(modality="electro")) == []


def test_a_caution_applies_to_its_own_modality(catalog):
    """GB21's lung caution is about needles: no word of it for acupressure."""
    needles = judge(catalog.point("GB21"), None, Patient(modality="manual"))
    press = judge(catalog.point("GB21"), None, Patient(modality="acupressure"))
    assert any(r.kind == "pneumothorax" for r in needles)
    assert not any(r.kind == "pneumothorax" for r in press)


def test_the_readme_lists_every_rule():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for row in rules.rules_table():
        assert f"`{row['rule']}`" in readme, row["rule"]


# -- check, from the command line ----------------------------------------------------------------
def test_check_flags_a_side_on_a_lymphoedema_arm(cli):
    code, out, err = cli("check", "LI4", "--lymphoedema", "left-arm", "-f", "plain")
    assert code == 1 and "LI4 (left)\tlymphoedema" in out and "cassileth2011" in out
    code, out, err = cli("check", "LI4:right", "--lymphoedema", "left-arm", "-f", "plain")
    assert code == 0 and out == ""


def test_check_flags_a_pair_on_a_lymphoedema_arm(cli):
    code, out, _ = cli("check", "LI4:right", "LI11:right", "--pair", "LI4-LI11:left", "--lymphoedema", "left-arm")
    assert code == 1 and "LI4-LI11" in out and "lymphoedema" in out


def test_a_point_paired_with_itself_is_refused(cli):
    code, out, _ = cli("check", "PC6", "--pair", "PC6-PC6:both", "-f", "plain")
    assert code == 1 and "PC6-PC6\tea-circuit" in out


def test_a_pair_of_extra_points_is_read_whole(cli):
    code, out, err = cli("check", "EX-LE10", "LR3", "--pair", "EX-LE10-LR3:left", "-f", "json")
    assert code == 0, out + err
    code, _, err = cli("check", "LR3", "--pair", "LR3", "-f", "plain")
    assert code == 2 and "--pair 'LR3': write two points" in err


def test_cautions_are_listed_and_leave_the_exit_status_at_0(cli):
    code, out, err = cli("check", "BL13", "-f", "json")
    data = json.loads(out)
    assert code == 0 and data["ok"] is True
    assert [f["effect"] for f in data["findings"]] == ["caution"]
    code, out, err = cli("check", "BL13", "-f", "plain")
    assert code == 0 and "\tcaution" in out and "1 caution to keep in mind" in err


def test_check_on_an_unloadable_catalog_is_unusable_input(cli, tmp_path):
    bad = tmp_path / "points.yaml"
    bad.write_text("points: [", encoding="utf-8")
    code, out, err = cli("--catalog", str(bad), "check", "ST36")
    assert code == 2 and out == "" and err.startswith("acupoints: error: ")


# -- the prescription file ----------------------------------------------------------------------
def _saved(cli, tmp_path, *args):
    path = tmp_path / "rx.yaml"
    code, _, err = cli("prescribe", *args, "-o", str(path), "--force")
    assert code == 0, err
    return path


def _rewrite(path, edit):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda d: d["flags"].update(pregnant="no"), "flags: pregnant must be true or false, not 'no'"),
        (lambda d: d["flags"].update(lymphoedema=["left elbow"]), "unknown limb 'left elbow'"),
        (lambda d: d.update(pairs=[{"points": ["LR3"], "sides": "left"}]), "a pair needs 'points: [A, B]'"),
        (lambda d: d.update(pairs=[{"points": ["LR3", "LR3"]}]), "not LR3 with itself"),
        (lambda d: d.update(colour="blue"), "unknown key 'colour'"),
        (lambda d: d.update(points="ST36"), "points must be a list"),
        (lambda d: d["points"][0].update(sides="up"), "sides 'up' is not one of"),
        (lambda d: d.update(modality="laser"), "modality 'laser' is not one of"),
    ],
)
def test_a_bad_prescription_file_is_one_line_and_exit_2(cli, tmp_path, edit, says):
    path = _saved(cli, tmp_path, "--condition", "CIPN")
    _rewrite(path, edit)
    code, out, err = cli("check", str(path))
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert says in err and f"{path}:" in err


def test_a_hand_written_limb_in_words_is_read(cli, tmp_path):
    path = _saved(cli, tmp_path, "--condition", "CIPN", "--lymphoedema", "left-arm")
    _rewrite(path, lambda d: d["flags"].update(lymphoedema=["left arm"]))
    code, out, err = cli("check", str(path))
    assert code == 0, out + err


def test_a_pacemaker_prescription_passes_its_own_check(cli, tmp_path):
    path = _saved(cli, tmp_path, "--condition", "DPN", "--modality", "electro", "--pacemaker")
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["modality"] == "electro" and saved["modality_used"] == "manual"
    code, out, err = cli("check", str(path), "--modality", "electro", "--pacemaker")
    assert code == 0, out + err


# -- prescribe and the evidence ------------------------------------------------------------------
def test_phn_ranks_no_patch_point_and_claims_no_support(catalog):
    rx = prescribe(catalog, "PHN")
    assert "CV8" not in rx.codes
    assert rx.heading == "Points the studies used"
    assert "acute shingles" in rx.evidence and "no better than drugs" in rx.evidence


def test_moxibustion_for_dpn_offers_no_numb_point_and_says_why(catalog):
    rx = prescribe(catalog, "DPN", modality="moxibustion", max_points=20)
    assert not any(catalog.point(c).region in ("foot", "ankle", "lower-leg") for c in rx.codes)
    gone = [f for f in rx.excluded if f.kind == "burns"]
    assert gone and all("sensation is reduced" in f.message and "who1999" in f.sources for f in gone)


def test_include_never_adds_an_excluded_point_silently(catalog):
    rx = prescribe(catalog, "PHN", include=("ST17", "CV8"))
    assert "ST17" not in rx.codes and "CV8" not in rx.codes
    assert {f.code for f in rx.excluded} >= {"ST17", "CV8"}
    assert all(f.message.startswith("asked for, but") for f in rx.excluded if f.code in ("ST17", "CV8"))


def test_include_outside_the_region_is_kept_with_a_note(catalog):
    rx = prescribe(catalog, "CIPN", region=("lower-limb",), include=("LI4",))
    li4 = next(c for c in rx.points if c.code == "LI4")
    assert "outside the regions asked for" in li4.reasons[0]


def test_an_included_point_carries_its_caution(catalog):
    rx = prescribe(catalog, "CIPN", include=("GB21",))
    gb21 = next(c for c in rx.points if c.code == "GB21")
    assert any(f.kind == "pneumothorax" and f.effect == "caution" for f in gb21.cautions)


def test_reasons_name_study_classes(catalog):
    rx = prescribe(catalog, "CIPN", max_points=20)
    lines = [r for c in rx.points for r in c.reasons if r.startswith("CIPN studies")]
    assert lines and all(
        any(label in line for label in ("better than", "negative", "inconclusive", "reviews", "protocol"))
        for line in lines
    )
    assert not any("trials)" in line for line in lines)  # no bare count of trials


def test_negative_and_protocol_studies_never_raise_a_rank(catalog):
    from acupoints.prescribe import support_weight, supports

    for ref in catalog.references.values():
        if ref.result in ("negative", "no-results", "review", "guideline", "inconclusive", "no-different-from-active"):
            assert not supports(ref, "manual") and not supports(ref, "electro")
        if "acupoint-application" in ref.applied:
            assert not supports(ref, "manual")
        assert support_weight(ref) >= 0


def test_the_course_comes_from_studies_that_treated_the_condition(catalog):
    rx = prescribe(catalog, "CIPN", modality="electro")
    studies = {i for v in rx.plan.values() if isinstance(v, dict) for i in v.get("studies", v)}
    assert "greenlee2016" not in studies  # a prevention trial
    assert not any(catalog.references[i].result == "no-results" for i in studies if i in catalog.references)


# -- each rule end to end, through the command line or the public check ---------------------------
@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("check", "CV8"), 1, "\tno-needling\t"),
        (("check", "ST1", "--modality", "moxibustion"), 1, "\tno-moxibustion\t"),
        (("check", "ST36", "--modality", "cupping"), 1, "not a point for cupping"),
        (("check", "LU9", "--anticoagulants"), 1, "mcculloch2015"),
        (("check", "BL20", "--modality", "cupping", "--low-platelets"), 1, "no cupping with a tendency to bleed"),
        (("check", "SP12", "--modality", "moxibustion"), 0, "no direct moxibustion there"),
        (("check", "LR3", "GB41", "--pair", "LR3-GB41:left", "--pacemaker"), 1, "LR3-GB41\timplanted-device"),
        (("check", "ST25", "--pregnant"), 1, "who1999"),
    ],
)
def test_each_rule_from_the_command_line(cli, args, code, says):
    got, out, err = cli(*args, "-f", "plain")
    assert got == code and says in out, (got, out, err)


def test_a_pair_on_no_side_is_refused(catalog):
    from acupoints.safety import check

    found = [f for f in check(catalog, ["LR3", "GB41"], pairs=(("LR3", "GB41", "middle"),)) if f.effect == "exclude"]
    assert [f.kind for f in found] == ["ea-circuit"] and "one side" in found[0].message


def test_pregnancy_leaves_out_the_abdomen_by_region(catalog):
    """A point of a catalog of one's own, on the abdomen, with no pregnancy caution: the region rule keeps it out."""
    from acupoints.safety import check

    bare = catalog.point("ST25")._replace(cautions=())
    rulings = judge(bare, None, Patient(Flags(pregnant=True)))
    assert any(r.rule == "pregnancy-region" and "name regions, not points" in r.message for r in rulings)
    found = check(catalog, ["ST25"], flags=Flags(pregnant=True))
    assert any(f.kind == "pregnancy" and "who1999" in f.sources and f.effect == "exclude" for f in found)


def test_the_saved_format_is_named_once():
    from acupoints import prescribe, rxfile

    assert rxfile.SAVE_FORMAT == prescribe.SAVE_FORMAT


@pytest.mark.parametrize("fmt", ["table", "plain", "json", "csv", "yaml"])
def test_show_a_saved_prescription_in_every_format(cli, tmp_path, fmt):
    path = _saved(cli, tmp_path, "--condition", "CIPN", "--lymphoedema", "left-arm")
    code, out, err = cli("show", str(path), "-f", fmt)
    assert code == 0 and out, err
    assert "LI4" in out and ("right" in out)  # the points with their sides
    if fmt in ("json", "yaml"):
        data = json.loads(out) if fmt == "json" else yaml.safe_load(out)
        assert data["condition"] == "CIPN" and data["flags"]["lymphoedema"] == ["left-arm"]
    else:
        assert "Saved prescription" in out + err and "not medical advice" in out + err
