"""Invariants over every point of the shipped catalog."""

import unicodedata

import pytest

from acupoints import load_catalog
from acupoints.catalog import data_dir

FIRST_SLICE = {
    "ST36",
    "GB34",
    "SP6",
    "LI4",
    "LR3",
    "LI11",
    "EX-LE10",
    "EX-UE9",
    "SP9",
    "PC6",
    "SI3",
    "KI3",
    "TE5",
    "GB41",
    "SP10",
    "GB42",
    "ST40",
    "EX-HN3",
    "PC7",
    "ST41",
    "CV6",
    "GV20",
    "BL60",
    "HT3",
    "GB39",
    "BL13",
    "BL20",
    "CV12",
    "CV4",
    "ST44",
    "LR2",
    "CV8",
    "EX-B2",
}


def test_shipped_catalog_validates_from_the_yaml():
    cat = load_catalog(cache=False)
    assert len(cat) >= len(FIRST_SLICE)


def test_the_first_slice_is_there(catalog):
    assert FIRST_SLICE <= set(catalog.codes)


def test_codes_and_characters_unique(catalog):
    assert len(set(catalog.codes)) == len(catalog)
    seen = {}
    for p in catalog:
        for h in filter(None, (p.hanzi, p.hanzi_simplified)):
            key = unicodedata.normalize("NFKC", h)
            assert seen.setdefault(key, p.code) == p.code, f"{h} on {p.code} and {seen[key]}"


def test_every_id_resolves(catalog):
    for p in catalog:
        assert p.needling.source in catalog.sources
        for c in p.cautions:
            assert set(c.sources) <= set(catalog.sources), p.code
            # a caution no listed source covers says so, in words, and cites nothing
            assert c.sources or "conventional practice" in c.text.lower(), p.code
        for cond, refs in p.conditions.items():
            for ref in refs:
                assert catalog.references[ref].condition == cond


def test_conditions_are_exactly_the_studies_that_named_the_point(catalog):
    for p in catalog:
        derived = {}
        for ref in catalog.references.values():
            if p.code in ref.codes:
                derived.setdefault(ref.condition, set()).add(ref.id)
        assert {k: set(v) for k, v in p.conditions.items()} == derived, p.code


def test_uncertain_points_are_not_cited():
    # stringer2022 names "GB34 or SP6": shown as uncertain, not counted as a use
    cat = load_catalog()
    ref = cat.references["stringer2022"]
    assert set(ref.uncertain_codes) == {"GB34", "SP6"}
    assert "stringer2022" not in cat.point("GB34").references
    assert "stringer2022" not in cat.point("SP6").references


def test_jiaji_has_no_condition_link(catalog):
    assert catalog.point("EX-B2").conditions == {}


def test_every_point_is_complete(catalog):
    for p in catalog:
        d = p.to_dict()
        for key in ("pinyin", "hanzi", "english", "region", "location"):
            assert d[key].strip(), (p.code, key)
        assert len(p.indications) >= 2 and p.actions and p.modalities, p.code
        if p.meridian in ("GV", "CV"):
            assert not p.bilateral, p.code
        if p.needling.angle != "none":
            assert 0 < p.needling.depth_cun[1] <= 3, p.code


def test_names_resolve_back_to_their_point(catalog):
    for p in catalog:
        assert [x.code for x in catalog.resolve(p.code)] == [p.code]
        # tone-marked pinyin is unique except where two names sound the same with their tones
        # (CV19 紫宮 and EX-CA1 子宮 are both Zǐgōng): then it lists each point so spelled
        same = [x.code for x in catalog if x.pinyin.casefold() == p.pinyin.casefold()]
        assert [x.code for x in catalog.resolve(p.pinyin)] == same, p.code
        assert [x.code for x in catalog.resolve(p.hanzi)] == [p.code], p.code
        assert p.code in [x.code for x in catalog.resolve(p.english)]
        toneless = unicodedata.normalize("NFD", p.pinyin)
        toneless = "".join(ch for ch in toneless if not unicodedata.combining(ch))
        assert p.code in [x.code for x in catalog.resolve(toneless)]


def test_pregnancy_cautions_are_attributed_not_asserted(catalog):
    for p in catalog:
        for c in p.cautions:
            if c.kind == "pregnancy":
                assert c.basis == "traditional", p.code
                assert "carr2015" in c.sources, f"{p.code}: pregnancy caution without the evidence of weak harm"


@pytest.mark.parametrize("name", ["points.yaml", "references.yaml", "safety-sources.yaml"])
def test_data_files_found(name):
    assert (data_dir() / name).is_file()
