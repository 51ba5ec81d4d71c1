"""What people type, resolved to WHO codes; ambiguity listed, never guessed."""

import pytest

from acupoints import AmbiguousPointError, UnknownPointError
from acupoints import codes as c

FORMS = {
    "ST36": [
        "ST36",
        "st36",
        "st-36",
        "St 36",
        "ST036",
        "st.36",
        "ＳＴ３６",
        "E36",
        "Ma36",
        "zusanli",
        "Zusanli",
        "Zú Sān Lǐ",
        "zu san li",
        "zú sān lǐ",
        "足三里",
        "Leg Three Miles",
        "leg-three-miles",
    ],
    "BL60": ["BL60", "UB60", "B60", "V60", "Bl 60", "UB-60", "Kunlun", "崑崙", "昆仑"],
    "BL13": ["UB13", "B13", "Feishu"],
    "TE5": ["TE5", "SJ5", "TW5", "TH5", "TB5", "TR5", "3E5", "te-5", "Waiguan", "外關", "外关"],
    "LR3": ["LR3", "Liv3", "LIV 3", "LV3", "F3", "Taichong", "太衝", "太冲"],  # Le3: also EX-LE3
    "GV20": ["GV20", "Du20", "DU-20", "VG20", "LG20", "Baihui", "百會", "百会"],
    "CV12": ["CV12", "Ren12", "RN12", "VC12", "KG12", "Zhongwan"],
    "KI3": ["KI3", "K3", "KD3", "Ki 3", "R3", "Ni3", "Taixi"],
    "SI3": ["SI3", "IG3", "Dü3", "Houxi"],
    "HT3": ["HT3", "H3", "He3", "C3", "Shaohai"],
    "PC6": ["PC6", "MC6", "KS6", "Pe6", "Neiguan", "內關", "内关"],
    "LI4": ["LI4", "GI4", "Di4", "LI 4", "Hegu", "Hé Gǔ", "合谷"],
    "SP6": ["SP6", "Sp6", "RP6", "MP6", "Sanyinjiao", "San Yin Jiao", "三陰交", "三阴交"],
    "GB34": ["GB34", "VB34", "Gb 34", "Yanglingquan", "陽陵泉", "阳陵泉"],
    "EX-LE10": ["EX-LE10", "ex le 10", "EXLE10", "Ex-LE-10", "EX-LE-010", "Bafeng", "八風", "八风"],
    "EX-UE9": ["EX-UE9", "ex-ue-9", "Baxie", "八邪"],
    "EX-HN3": ["EX-HN3", "Yintang", "印堂"],
    "EX-B2": ["EX-B2", "Jiaji", "Huatuojiaji"],
}


@pytest.mark.parametrize(("code", "text"), [(code, t) for code, texts in FORMS.items() for t in texts])
def test_every_form_resolves_to_one_point(catalog, code, text):
    assert [p.code for p in catalog.resolve(text)] == [code]
    assert catalog.lookup(text).code == code


def test_nfkc_compatibility_ideograph():
    # U+F9F4 is a compatibility form of 林; NFKC folds it, so such text compares equal
    assert c.hanzi_key("\uf9f4") == "林"


def test_p_means_pericardium_in_english_and_lung_in_french(catalog):
    expected = {code for code in ("PC6", "LU6") if code in catalog}
    found = {p.code for p in catalog.resolve("P6")}
    assert found == expected
    if len(expected) > 1:
        with pytest.raises(AmbiguousPointError):
            catalog.lookup("P6")


def test_german_le_is_liver_or_extra_lower_extremity(catalog):
    assert c.code_candidates("Le10") == ["LR10", "EX-LE10"]
    assert [p.code for p in catalog.resolve("Le3")] == [x for x in ("LR3", "EX-LE3") if x in catalog]
    assert [p.code for p in catalog.resolve("Le13")] == ["LR13"]  # EX-LE stops at 12
    expected = [code for code in ("LR10", "EX-LE10") if code in catalog]
    assert [p.code for p in catalog.resolve("Le10")] == expected


def test_code_candidates_unchecked():
    assert c.code_candidates("UB 40") == ["BL40"]
    assert c.code_candidates("sj05") == ["TE5"]
    assert c.code_candidates("zusanli") == []
    assert c.code_candidates("XY3") == []


def test_unknown_code_suggests_the_nearest(catalog):
    with pytest.raises(UnknownPointError) as info:
        catalog.lookup("ST63")
    assert str(info.value) == "no point 'ST63'; did you mean ST36?"


def test_unknown_name_suggests_by_spelling(catalog):
    with pytest.raises(UnknownPointError) as info:
        catalog.lookup("zusanlii")
    assert info.value.suggestions[0] == "ST36"
    assert "did you mean ST36" in str(info.value)


def test_nonsense_gets_no_suggestion(catalog):
    with pytest.raises(UnknownPointError) as info:
        catalog.lookup("qqqqqqqq")
    assert str(info.value) == "no point 'qqqqqqqq'"
    assert catalog.get("qqqqqqqq") is None
    assert catalog.resolve("") == ()


def test_meridian_abbreviations():
    assert c.meridian_from("UB") == ("BL",)
    assert c.meridian_from("sj") == ("TE",)
    assert c.meridian_from("Liv") == ("LR",)
    assert c.meridian_from("ex") == ("EX",)
    assert c.meridian_from("Le") == ("LR",)
    assert c.meridian_from("zz") == ()


def test_toneless_and_toned_keys():
    assert c.toneless_key("Zú Sān Lǐ") == "zusanli"
    assert c.toned_key("Zú Sān Lǐ") == "zúsānlǐ"
    assert c.has_tones("Fútū") and not c.has_tones("Futu")


def test_who_order():
    codes = ["EX-LE10", "CV4", "LU1", "EX-B2", "ST36", "GV20", "EX-HN3", "ST4"]
    assert sorted(codes, key=c.who_order_key) == ["LU1", "ST4", "ST36", "GV20", "CV4", "EX-HN3", "EX-B2", "EX-LE10"]
