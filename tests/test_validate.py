"""The validator: every kind of problem, reported with its file, line and point."""

import pytest
from conftest import MINI_POINTS

from acupoints import CatalogError, load_catalog


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
