"""The validator: every kind of problem, reported with its file, line and point."""

import json
import os
import re
import shutil
import subprocess

import pytest
from conftest import MINI_POINTS, MINI_REFERENCES, ROOT, acupoints_exe

from acupoints import CatalogError, UsageError, load_catalog


def problems(path, text=None, *, raw=None):
    if raw is not None:
        path.write_bytes(raw)
    elif text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path, cache=False)
    # the tool names files by their full path (editors jump to it); the tests read easier without
    return [p.replace(f"{path.parent}/", "") for p in info.value.problems]


def line_of(text, marker, nth=1):
    """1-based line number of the nth line containing marker."""
    hits = [i for i, ln in enumerate(text.splitlines(), 1) if marker in ln]
    return hits[nth - 1]


def test_mini_catalog_is_valid(mini):
    cat = load_catalog(mini, cache=False)
    assert cat.codes == ("LI4", "ST36")


def test_unknown_field_is_named_with_line_and_suggestion(mini):
    text = MINI_POINTS.replace("  location: On the front", "  locaton: On the front")
    found = problems(mini, text)
    line = line_of(text, "locaton")
    assert f"points.yaml:{line}: ST36: unknown field 'locaton'; did you mean 'location'?" in found
    assert any("ST36: missing field 'location'" in p for p in found)


def test_wrong_types(mini):
    text = MINI_POINTS.replace("  number: 36", "  number: thirty-six").replace(
        "  bilateral: true\n  region: hand", "  bilateral: yes please\n  region: hand"
    )
    found = problems(mini, text)
    line = line_of(text, "thirty-six")
    assert f"points.yaml:{line}: ST36: number must be a whole number, not text 'thirty-six'" in found
    assert any("LI4: bilateral must be true or false" in p for p in found)


def test_empty_value_is_a_problem(mini):
    text = MINI_POINTS.replace("  english: Leg Three Miles", "  english:")
    found = problems(mini, text)
    assert f"points.yaml:{line_of(text, '  english:', 2)}: ST36: english must be text, not empty" in found


def test_vocabulary_values(mini):
    text = (
        MINI_POINTS.replace("region: lower-leg", "region: lower-limbs")
        .replace("modalities: [manual, moxibustion]", "modalities: [manual, moxa]")
        .replace("- he-sea", "- he_sea")
        .replace("kind: pregnancy", "kind: pregnant")
    )
    found = "\n".join(problems(mini, text))
    assert "ST36: unknown region 'lower-limbs'; did you mean 'lower-limb'?" in found
    assert "ST36: unknown modality 'moxa'" in found
    assert "ST36: unknown category 'he_sea'; did you mean 'he-sea'?" in found
    assert "LI4: caution kind 'pregnant' is not one of" in found


def test_duplicate_code(mini):
    text = MINI_POINTS.replace("- code: ST36\n  meridian: ST\n  number: 36", "- code: LI4\n  meridian: LI\n  number: 4")
    found = problems(mini, text)
    assert f"points.yaml:{line_of(text, 'code: LI4', 2)}: LI4: duplicate code (first at line 3)" in found


def test_duplicate_mapping_key_is_rejected(mini):
    text = MINI_POINTS.replace("  english: Leg Three Miles\n", "  english: Leg Three Miles\n  english: Foot Three Li\n")
    found = problems(mini, text)
    line = line_of(text, "Foot Three Li")
    assert any(p.startswith(f"points.yaml:{line}: file: duplicate key 'english'") for p in found)


def test_alias_claimed_twice_must_be_marked(mini):
    text = MINI_POINTS.replace("  aliases: []", "  aliases: [Union Valley]")
    found = problems(mini, text)
    assert any("ST36: name 'unionvalley' is also claimed by LI4" in p for p in found)
    assert any("LI4: name 'unionvalley' is also claimed by ST36" in p for p in found)
    marked = text.replace(
        "  aliases: [Union Valley]\n  bilateral: true\n  region: hand",
        "  aliases: []\n  ambiguous_aliases: [Union Valley]\n  bilateral: true\n  region: hand",
    ).replace("  aliases: [Union Valley]", "  aliases: []\n  ambiguous_aliases: [Union Valley]")
    mini.write_text(marked, encoding="utf-8")
    cat = load_catalog(mini, cache=False)
    assert {p.code for p in cat.resolve("union valley")} == {"LI4", "ST36"}


def test_unknown_reference_and_source_ids(mini):
    text = MINI_POINTS.replace("DPN: [trial2020]", "DPN: [trial2021]").replace(
        "sources: [cheng1987, carr2015]", "sources: [cheng1988]"
    )
    found = "\n".join(problems(mini, text))
    assert "ST36: unknown reference 'trial2021' under DPN; did you mean 'trial2020'?" in found
    assert "ST36: conditions.DPN is missing trial2020, whose study names this point" in found
    assert "LI4: caution: unknown source 'cheng1988'; did you mean 'cheng1987'?" in found


def test_condition_cites_a_study_that_did_not_use_the_point(mini):
    text = MINI_POINTS.replace("  cautions: []\n", "  cautions: []\n").replace(
        "  modalities: [manual, electro]\n", "  modalities: [manual, electro]\n  conditions:\n    DPN: [trial2020]\n"
    )
    found = problems(mini, text)
    assert any("LI4: conditions.DPN cites trial2020, but that study does not name this point" in p for p in found)


def test_points_out_of_who_order(mini):
    li4 = MINI_POINTS[MINI_POINTS.index("- code: LI4") : MINI_POINTS.index("- code: ST36")]
    text = MINI_POINTS.replace(li4, "") + li4
    found = problems(mini, text)
    assert any("LI4: out of WHO order: comes after ST36" in p for p in found)


def test_pinyin_needs_tone_marks_and_hanzi_must_be_characters(mini):
    text = MINI_POINTS.replace("pinyin: Zúsānlǐ", "pinyin: Zusanli").replace("hanzi: 合谷", "hanzi: He Gu")
    found = "\n".join(problems(mini, text))
    assert "ST36: pinyin 'Zusanli' has no tone marks" in found
    assert "LI4: hanzi must be Chinese characters only" in found


def test_element_only_on_transporting_points(mini):
    text = MINI_POINTS.replace("  element: earth\n", "")
    assert any("ST36: a he-sea point needs its element" in p for p in problems(mini, text))
    text = MINI_POINTS.replace("  categories: [yuan-source]", "  categories: [yuan-source]\n  element: metal")
    assert any("LI4: element belongs only on the five transporting points" in p for p in problems(mini, text))


def test_needling_shape(mini):
    text = MINI_POINTS.replace("depth_cun: [0.5, 1.3]", "depth_cun: [1.3, 0.5]").replace(
        "angle: perpendicular\n    depth_cun: [0.5, 1.0]", "angle: sideways\n    depth_cun: [0.5, 1.0]"
    )
    found = "\n".join(problems(mini, text))
    assert "ST36: needling.depth_cun must be [min, max] in cun, not [1.3, 0.5]" in found
    assert "LI4: needling.angle must be one of" in found


def test_every_problem_is_reported_at_once(mini):
    text = MINI_POINTS.replace("region: hand", "region: paw").replace("region: lower-leg", "region: shin")
    assert len([p for p in problems(mini, text) if "unknown region" in p]) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"# only a comment\n", "the file is empty"),
        (b"- a\n- b\n", "the top level must be a mapping with a 'points' list, not a list"),
        (b"points: [\n", "not valid YAML"),
        (b"catalog: x\npoints:\n  - code: \xff\xfe\n", "not UTF-8 text (byte 0xff)"),
        (b"catalog: x\n", "'points' must be a list"),
        (b"just text\n", "the top level must be a mapping"),
    ],
)
def test_broken_files_get_a_clear_message(mini, content, message):
    found = problems(mini, raw=content)
    assert any(message in p for p in found), found
    assert all(p.startswith("points.yaml") for p in found)


def test_missing_file(tmp_path):
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path / "nope.yaml", cache=False)
    assert "no such file" in info.value.problems[0]


def test_reference_without_identifier(mini):
    refs = mini.parent / "references.yaml"
    refs.write_text(refs.read_text().replace("  volume_pages: 1(2):3-4\n", ""), encoding="utf-8")
    found = problems(mini)
    assert any("trial2020: a reference needs a DOI, a PMID or journal volume and pages" in p for p in found)


# -- conditions.yaml, and the cross-references to it ------------------------------------------------
MINI_CONDITIONS = """\
conditions:
- code: DPN
  name: diabetic peripheral neuropathy
  felt: Both feet first.
  regions: [foot, lower-leg]
  evidence:
    direction: Small trials only.
    details:
    - text: One small trial.
      cites: [trial2020]
  cautions:
  - kind: burns
    text: No direct moxibustion on numb skin.
    sources: [cheng1987]
"""


@pytest.fixture
def mini_conditions(mini):
    """The mini catalog with a conditions.yaml of its own; returns that file's path."""
    path = mini.parent / "conditions.yaml"
    path.write_text(MINI_CONDITIONS, encoding="utf-8")
    return path


def conditions_problems(mini, conditions_path, text):
    conditions_path.write_text(text, encoding="utf-8")
    return problems(mini)


def test_mini_catalog_with_its_own_conditions_is_valid(mini, mini_conditions):
    cat = load_catalog(mini, cache=False)
    assert list(cat.conditions) == ["DPN"]
    assert cat.conditions["DPN"]["regions"] == ["foot", "lower-leg"]


def _run(*args, cwd=None):
    return subprocess.run(
        [acupoints_exe(), *args], capture_output=True, text=True, timeout=60, cwd=cwd, env={**os.environ}
    )


@pytest.mark.parametrize("how", ["--catalog", "argument"])
def test_misspelt_region_in_conditions_fails_validate(tmp_path, how):
    """The case that used to pass `validate` and then break `prescribe`."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    conditions = copy / "conditions.yaml"
    text = conditions.read_text(encoding="utf-8")
    assert "regions: [foot, lower-leg, ankle, hand]" in text
    text = text.replace("regions: [foot, lower-leg, ankle, hand]", "regions: [lower-leg, fot]", 1)
    conditions.write_text(text, encoding="utf-8")
    line = line_of(text, "regions: [lower-leg, fot]")
    points = str(copy / "points.yaml")
    args = ["--catalog", points, "validate"] if how == "--catalog" else ["validate", points]
    result = _run(*args)
    assert result.returncode == 1, result.stdout
    assert f"{conditions}:{line}: DPN: unknown region 'fot'; did you mean 'foot'?" in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1] == "acupoints: error: 1 problem found"
    # and every other command on that catalog says the same, instead of failing later in prescribe
    result = _run("--catalog", points, "prescribe", "--condition", "DPN")
    assert result.returncode == 1 and "unknown region 'fot'" in result.stderr and "Traceback" not in result.stderr


def test_validate_prints_a_line_for_conditions(cli):
    code, out, err = cli("validate")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 5 and lines[3].endswith("plain-locations.yaml: valid: 409 of the 409 points in plain words")
    assert lines[1].endswith("conditions.yaml: valid: 3 conditions (DPN, CIPN, PHN)")
    assert lines[4].endswith("synonyms.yaml: valid: 32 groups of synonyms")


def test_reference_citing_an_undeclared_condition(mini, mini_conditions):
    refs = mini.parent / "references.yaml"
    text = refs.read_text(encoding="utf-8").replace("condition: DPN", "condition: CTS")
    refs.write_text(text, encoding="utf-8")
    found = problems(mini)
    line = line_of(text, "condition: CTS")
    assert f"references.yaml:{line}: trial2020: unknown condition 'CTS' (conditions.yaml declares DPN)" in found


def test_point_with_a_condition_not_in_conditions_yaml(mini, mini_conditions):
    """Only what conditions.yaml declares counts: PHN is a shipped condition, but not in this file."""
    text = MINI_POINTS.replace(
        "  conditions:\n    DPN: [trial2020]\n", "  conditions:\n    DPN: [trial2020]\n    PHN: [x]\n"
    )
    found = problems(mini, text)
    line = line_of(text, "  conditions:")
    assert f"points.yaml:{line}: ST36: unknown condition 'PHN'; did you mean 'DPN'?" in found
    text = MINI_POINTS.replace(
        "  conditions:\n    DPN: [trial2020]\n", "  conditions:\n    DPN: [trial2020]\n    CTS: [x]\n"
    )
    found = problems(mini, text)
    assert f"points.yaml:{line}: ST36: unknown condition 'CTS' (conditions.yaml declares DPN)" in found


def test_a_new_condition_needs_only_data(mini, mini_conditions, cli):
    """Carpal tunnel syndrome, added to the data files alone."""
    mini_conditions.write_text(
        MINI_CONDITIONS + "- code: CTS\n  name: carpal tunnel syndrome\n  felt: The thumb and first fingers.\n"
        "  regions: [wrist, hand]\n  evidence:\n    direction: One trial.\n    details:\n"
        "    - text: A trial.\n      cites: [cts2021]\n  cautions: []\n",
        encoding="utf-8",
    )
    refs = mini.parent / "references.yaml"
    refs.write_text(
        MINI_REFERENCES + MINI_REFERENCES.replace("trial2020", "cts2021").replace("condition: DPN", "condition: CTS"),
        encoding="utf-8",
    )
    mini.write_text(MINI_POINTS.replace("    DPN: [trial2020]\n", "    DPN: [trial2020]\n    CTS: [cts2021]\n"))
    cat = load_catalog(mini, cache=False)
    assert list(cat.conditions) == ["DPN", "CTS"]
    assert cat.check_value("condition", "cts") == "CTS"
    assert ("CTS", 1, "carpal tunnel syndrome") in cat.vocabulary("condition")
    assert [p.code for p in cat.filter(condition=["CTS"])] == ["ST36"]
    code, out, _ = cli("--catalog", str(mini), "vocab", "condition", "-f", "plain")
    assert code == 0 and "CTS\t1\tcarpal tunnel syndrome" in out
    with pytest.raises(UsageError, match="unknown condition 'PHN'"):
        cat.check_value("condition", "PHN")  # a shipped condition, but not in this catalog's data
    # every command that takes a condition works on it, in every format, with no code change
    for args in (("prescribe", "--condition", "CTS"), ("evidence", "CTS"), ("list", "--condition", "CTS")):
        for fmt in ("table", "plain", "json", "csv", "yaml") + (("markdown",) if args[0] == "prescribe" else ()):
            code, out, err = cli("--catalog", str(mini), *args, "-f", fmt)
            assert code == 0, (args, fmt, err)
            assert "ST36" in out or "cts2021" in out, (args, fmt)
    code, out, _ = cli("--catalog", str(mini), "prescribe", "--condition", "CTS", "-f", "json")
    assert json.loads(out)["condition"] == "CTS" and [p["code"] for p in json.loads(out)["points"]] == ["ST36"]


def test_bad_source_in_a_condition_caution(mini, mini_conditions):
    text = MINI_CONDITIONS.replace("sources: [cheng1987]", "sources: [cheng1988]")
    found = conditions_problems(mini, mini_conditions, text)
    line = line_of(text, "sources: [cheng1988]")
    assert f"conditions.yaml:{line}: DPN: caution: unknown source 'cheng1988'; did you mean 'cheng1987'?" in found


def test_condition_cites_unknown_and_other_condition_studies(mini, mini_conditions):
    refs = mini.parent / "references.yaml"
    refs.write_text(
        MINI_REFERENCES + MINI_REFERENCES.replace("trial2020", "phn2019").replace("condition: DPN", "condition: PHN"),
        encoding="utf-8",
    )
    mini_conditions.write_text(
        MINI_CONDITIONS + "- code: PHN\n  name: x\n  felt: y\n  regions: [chest]\n"
        "  evidence: {direction: z, details: []}\n  cautions: []\n"
    )
    text = MINI_CONDITIONS.replace("cites: [trial2020]", "cites: [trial2021, phn2019]")
    text += "- code: PHN\n  name: x\n  felt: y\n  regions: [chest]\n  evidence: {direction: z, details: []}\n"
    text += "  cautions:\n  - kind: study\n    text: A caution from a study.\n    references: [trial2020]\n"
    found = "\n".join(conditions_problems(mini, mini_conditions, text))
    assert f"conditions.yaml:{line_of(text, 'cites:')}: DPN: unknown reference 'trial2021'" in found
    assert f"conditions.yaml:{line_of(text, 'cites:')}: DPN: phn2019 is a study of PHN, not of DPN" in found
    line = line_of(text, "references: [trial2020]")
    assert f"conditions.yaml:{line}: PHN: trial2020 is a study of DPN, not of PHN" in found


def test_every_field_of_a_condition_is_checked(mini, mini_conditions):
    text = (
        MINI_CONDITIONS.replace("  name: diabetic peripheral neuropathy\n", "  name: [diabetic]\n")
        .replace("  felt: Both feet first.\n", "  feelt: Both feet first.\n")
        .replace("    direction: Small trials only.\n", "    direction: 3\n")
        .replace("  - kind: burns\n", "  - kind: burns\n    source: [cheng1987]\n")
    )
    text += "- code: dpn2\n  name: n\n  felt: f\n  regions: []\n  evidence: {direction: d, details: []}\n"
    text += "  cautions:\n  - kind: burns\n    text: t\n"
    found = "\n".join(conditions_problems(mini, mini_conditions, text))
    assert f"conditions.yaml:{line_of(text, 'name: [diabetic]')}: DPN: name must be text, not a list" in found
    assert f"conditions.yaml:{line_of(text, 'feelt')}: DPN: unknown field 'feelt'; did you mean 'felt'?" in found
    assert "DPN: missing field 'felt'" in found
    assert f"conditions.yaml:{line_of(text, 'direction: 3')}: DPN: evidence: direction must be text" in found
    assert "DPN: caution: unknown field 'source'; did you mean 'sources'?" in found
    assert "dpn2: code must be capital letters and digits" in found


def test_condition_problems_in_the_file_itself(mini, mini_conditions):
    found = conditions_problems(mini, mini_conditions, "- DPN\n")
    assert found == ["conditions.yaml:1: file: the top level must be a mapping with a 'conditions' list, not a list"]
    text = MINI_CONDITIONS + MINI_CONDITIONS.removeprefix("conditions:\n")
    found = conditions_problems(mini, mini_conditions, text)
    assert f"conditions.yaml:{line_of(text, 'code: DPN', 2)}: DPN: duplicate condition (first at line 2)" in found
    found = conditions_problems(mini, mini_conditions, "conditions: [\n")
    assert len(found) == 1 and found[0].startswith("conditions.yaml:") and "not valid YAML" in found[0]


# -- messages speak YAML, not Python -----------------------------------------------------------------
_PYTHON_WORDS = re.compile(r"\b(LineDict|NoneType|str|dict|int|float|bool|tuple|None|True|False)\b|\{'|<class")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  aliases: []", "  aliases: {a: 1}"),
        ("  aliases: []", "  aliases: [{a: 1}, null, 3]"),
        ("  number: 36", "  number: true"),
        ("  number: 36", "  number: 3.5"),
        ("  english: Leg Three Miles", "  english: null"),
        ("  english: Leg Three Miles", "  english: 2020-01-01"),
        (
            "  needling:\n    angle: perpendicular\n    depth_cun: [0.5, 1.3]",
            "  needling:\n    angle: [a]\n    depth_cun: {a: 1}",
        ),
        ("  - he-sea\n", "  - [he-sea]\n"),
        ("  modalities: [manual, moxibustion]", "  modalities: [[manual], {a: 1}, null]"),
        ("  cautions: []", "  cautions: [[x], 3]"),
        ("    DPN: [trial2020]", "    DPN: [[trial2020]]"),
        ("    DPN: [trial2020]", "    null: [trial2020]"),
        ("  region: lower-leg", "  region: {a: b}"),
        ("  categories:\n  - he-sea", "  categories:\n  - {kind: he-sea, of: [x]}"),
    ],
)
def test_messages_never_show_python_internals(mini, old, new):
    assert old in MINI_POINTS
    found = problems(mini, MINI_POINTS.replace(old, new, 1))
    assert found
    for message in found:
        assert not _PYTHON_WORDS.search(message), message


def test_wrong_type_names_the_yaml_kind(mini):
    text = MINI_POINTS.replace("  aliases: []", "  aliases: {a: 1}")
    found = problems(mini, text)
    assert f"points.yaml:{line_of(text, 'aliases: {a: 1}')}: ST36: aliases must be a list, not a mapping" in found


@pytest.mark.parametrize(
    "bad",
    [
        "conditions: {DPN: 1}\n",
        "conditions:\n- code: DPN\n  name: {a: 1}\n  felt: null\n  regions: [[foot], null]\n  evidence: []\n"
        "  cautions: [1, [2]]\n",
        "conditions:\n- 3\n- code: DPN\n  name: n\n  felt: f\n  regions: [foot]\n  evidence: {direction: d,"
        " details: [1, {text: t, cites: [[a], null]}]}\n  cautions: [{kind: k, text: t, sources: [[s]]}]\n",
    ],
)
def test_condition_messages_never_show_python_internals(mini, mini_conditions, bad):
    found = conditions_problems(mini, mini_conditions, bad)
    assert found
    for message in found:
        assert not _PYTHON_WORDS.search(message), message


# -- a caution with no source: allowed only when its text says it rests on conventional practice ----
def test_point_caution_with_no_source_must_say_conventional_practice(mini):
    bare = MINI_POINTS.replace("sources: [cheng1987, carr2015]", "sources: []")
    line = line_of(bare, "sources: []")
    found = problems(mini, bare)
    assert any(
        p.startswith(f"points.yaml:{line}: LI4: caution: sources is empty") and "'conventional practice'" in p
        for p in found
    ), found
    said = bare.replace(
        "text: Traditionally avoided in pregnancy; evidence of harm is weak.",
        "text: Avoided in pregnancy as conventional practice.",
    )
    mini.write_text(said, encoding="utf-8")
    cat = load_catalog(mini, cache=False)
    assert cat.point("LI4").cautions[0].sources == ()
    missing = MINI_POINTS.replace("sources: [cheng1987, carr2015]", "sources: cheng1987")
    assert any("LI4: caution: sources must be a list of source ids" in p for p in problems(mini, missing))


def test_condition_caution_with_no_source_must_say_conventional_practice(mini, mini_conditions):
    bare = MINI_CONDITIONS.replace("sources: [cheng1987]", "sources: []")
    found = conditions_problems(mini, mini_conditions, bare)
    line = line_of(bare, "sources: []")
    assert any(
        p.startswith(f"conditions.yaml:{line}: DPN: caution: sources is empty") and "'conventional practice'" in p
        for p in found
    ), found
    said = bare.replace(
        "No direct moxibustion on numb skin.", "By Conventional   Practice, no moxibustion on numb skin."
    )
    mini_conditions.write_text(said, encoding="utf-8")
    caution = load_catalog(mini, cache=False).conditions["DPN"]["cautions"][0]
    assert caution["sources"] == [] and "Conventional" in caution["text"]
    # leaving `sources` out altogether is still refused: the empty list is the deliberate statement
    gone = MINI_CONDITIONS.replace("    sources: [cheng1987]\n", "").replace(
        "No direct moxibustion on numb skin.", "As conventional practice, no moxibustion on numb skin."
    )
    assert any(
        "DPN: caution: needs its sources or references" in p for p in conditions_problems(mini, mini_conditions, gone)
    )
