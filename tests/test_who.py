"""The WHO standard's own rules, checked over the whole catalog (issue 3)."""

import unicodedata
from collections import Counter

import pytest

from acupoints import AmbiguousPointError
from acupoints.model import CHANNEL_SIZES, ELEMENTS, EXTRA_GROUPS, ORGANS, TISSUES, TRANSPORTING, VESSELS

MAIN = ("LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR")
YIN = {"LU", "SP", "HT", "KI", "PC", "LR"}


def with_category(catalog, kind, *, own_channel_only=False):
    out = []
    for p in catalog:
        for c in p.categories:
            if c.kind == kind and not (own_channel_only and c.of in VESSELS + ("great-luo-of-spleen",)):
                out.append((p, c))
    return out


def test_counts(catalog):
    per = Counter(p.meridian for p in catalog)
    for m, n in CHANNEL_SIZES.items():
        assert per[m] == n, m
    extra = Counter(p.code.split("-")[1].rstrip("0123456789") for p in catalog if p.meridian == "EX")
    assert extra == {g: n for g, (_, n) in EXTRA_GROUPS.items()}
    assert len(catalog) == 361 + 48 == 409
    for m, n in CHANNEL_SIZES.items():
        assert [p.number for p in catalog if p.meridian == m] == list(range(1, n + 1)), m


def test_unique_codes_and_characters(catalog):
    assert len(set(catalog.codes)) == 409
    chars = [unicodedata.normalize("NFKC", p.hanzi) for p in catalog]
    assert len(set(chars)) == 409, [c for c, n in Counter(chars).items() if n > 1]


@pytest.mark.parametrize("channel", MAIN)
def test_each_main_channel_has_one_of_each_kind(catalog, channel):
    pts = [p for p in catalog if p.meridian == channel]
    for kind in (*TRANSPORTING, "yuan-source"):
        assert sum(kind in p.category_kinds for p in pts) == 1, (channel, kind)
    for kind in ("luo-connecting", "xi-cleft"):
        own = [p for p in pts for c in p.categories if c.kind == kind and c.of is None]
        assert len(own) == 1, (channel, kind, [p.code for p in own])


@pytest.mark.parametrize("channel", MAIN)
def test_five_phase_elements_follow_the_yin_yang_rule(catalog, channel):
    # yin channels start at wood on the jing-well, yang channels at metal; each phase then
    # generates the next (wood, fire, earth, metal, water)
    start = ELEMENTS.index("wood" if channel in YIN else "metal")
    expected = {kind: ELEMENTS[(start + i) % 5] for i, kind in enumerate(TRANSPORTING)}
    for p in catalog:
        if p.meridian == channel:
            kinds = [k for k in p.category_kinds if k in TRANSPORTING]
            if kinds:
                assert p.element == expected[kinds[0]], p.code
            else:
                assert p.element is None, p.code


def test_back_shu_and_front_mu_cover_the_twelve_organs(catalog):
    for kind in ("back-shu", "front-mu"):
        organs = [c.of for _, c in with_category(catalog, kind)]
        assert sorted(organs) == sorted(ORGANS), kind


def test_influential_points(catalog):
    found = {c.of: p.code for p, c in with_category(catalog, "influential")}
    assert found == {
        "zang-organs": "LR13",
        "fu-organs": "CV12",
        "qi": "CV17",
        "blood": "BL17",
        "sinews": "GB34",
        "vessels": "LU9",
        "bone": "BL11",
        "marrow": "GB39",
    }
    assert set(found) == set(TISSUES)


def test_confluent_points_in_four_pairs(catalog):
    found = {p.code: (c.of, c.partner) for p, c in with_category(catalog, "confluent")}
    assert found == {
        "SP4": ("chong", "PC6"),
        "PC6": ("yinwei", "SP4"),
        "SI3": ("du", "BL62"),
        "BL62": ("yangqiao", "SI3"),
        "TE5": ("yangwei", "GB41"),
        "GB41": ("dai", "TE5"),
        "LU7": ("ren", "KI6"),
        "KI6": ("yinqiao", "LU7"),
    }
    for code, (_, partner) in found.items():
        assert found[partner][1] == code


def test_lower_he_sea(catalog):
    found = {p.code: c.of for p, c in with_category(catalog, "lower-he-sea")}
    assert found == {
        "ST36": "stomach",
        "ST37": "large-intestine",
        "ST39": "small-intestine",
        "BL39": "sanjiao",
        "BL40": "bladder",
        "GB34": "gallbladder",
    }


def test_luo_and_xi_beyond_the_twelve(catalog):
    luo = {p.code: c.of for p, c in with_category(catalog, "luo-connecting") if c.of}
    assert luo == {"GV1": "du", "CV15": "ren", "SP21": "great-luo-of-spleen"}
    xi = {p.code: c.of for p, c in with_category(catalog, "xi-cleft") if c.of}
    assert xi == {"KI8": "yinqiao", "KI9": "yinwei", "BL59": "yangqiao", "GB35": "yangwei"}
    assert len(with_category(catalog, "luo-connecting")) == 15
    assert len(with_category(catalog, "xi-cleft")) == 16


def test_st36_marks(catalog):
    st36 = catalog.point("ST36")
    assert {c.kind for c in st36.categories} == {"he-sea", "lower-he-sea"}
    assert st36.element == "earth"


AMBIGUOUS = {
    "Futu": {"LI18", "ST32"},
    "Juliao": {"ST3", "GB29"},
    "Wangu": {"SI4", "GB12"},
    "Zhongzhu": {"KI15", "TE3"},
    "Zhongdu": {"GB32", "LR6"},
    "Yinjiao": {"GV28", "CV7"},
    "Erjian": {"LI2", "EX-HN6"},
    "Zigong": {"CV19", "EX-CA1"},
}


@pytest.mark.parametrize(("name", "codes"), AMBIGUOUS.items())
def test_toneless_pinyin_shared_by_two_points(catalog, name, codes):
    assert {p.code for p in catalog.resolve(name)} == codes
    with pytest.raises(AmbiguousPointError):
        catalog.lookup(name)
    for code in codes:  # characters always pick one; tone marks do too, except for Zigong
        p = catalog.point(code)
        assert [x.code for x in catalog.resolve(p.hanzi)] == [code]
        toned = {x.code for x in catalog.resolve(p.pinyin)}
        assert toned == ({code} if name != "Zigong" else codes), (name, toned)


def test_zigong_is_the_same_even_with_tones(catalog):
    # 紫宮 (CV19) and 子宮 (EX-CA1) both read Zǐgōng: only the characters tell them apart
    assert catalog.point("CV19").pinyin == catalog.point("EX-CA1").pinyin == "Zǐgōng"
    assert catalog.lookup("紫宮").code == "CV19" and catalog.lookup("子宫").code == "EX-CA1"


def test_extra_point_numbering_pitfall(catalog):
    assert catalog.point("EX-UE9").pinyin.startswith("Bā")  # Baxie, not Sifeng
    assert catalog.lookup("Sifeng").code == "EX-UE10"


def test_every_point_located(catalog):
    for p in catalog:
        assert p.region and len(p.location) > 15, p.code
