"""Filters, search, vocabularies and the cache."""

import marshal

import pytest

from acupoints import UsageError, load_catalog
from acupoints.model import region_parts


def codes(points):
    return [p.code for p in points]


def test_filters_combine_and_keep_who_order(catalog):
    found = catalog.filter(condition=["DPN"], region=["lower-limb"], modality=["electro"])
    assert found, "the DPN trials used electroacupuncture on the leg"
    assert codes(found) == [c for c in catalog.codes if c in set(codes(found))]
    for p in found:
        assert "DPN" in p.conditions
        assert p.region in region_parts("lower-limb")
        assert "electro" in p.modalities


def test_region_includes_its_parts(catalog):
    limb = set(codes(catalog.filter(region=["lower-limb"])))
    foot = set(codes(catalog.filter(region=["foot"])))
    assert foot and foot < limb
    assert "LR3" in foot and "ST36" in limb - foot


def test_values_given_twice_are_either(catalog):
    hands = set(codes(catalog.filter(region=["hand"])))
    feet = set(codes(catalog.filter(region=["foot"])))
    assert set(codes(catalog.filter(region=["hand", "foot"]))) == hands | feet


def test_meridian_filter_accepts_old_abbreviations(catalog):
    assert codes(catalog.filter(meridian=["UB"])) == codes(catalog.filter(meridian=["BL"]))
    assert all(p.meridian == "TE" for p in catalog.filter(meridian=["SJ"]))


def test_exclude_caution(catalog):
    without = catalog.filter(condition=["CIPN"], exclude_caution=["pregnancy"])
    assert "LI4" not in codes(without) and "SP6" not in codes(without)
    assert all("pregnancy" not in p.caution_kinds for p in without)


def test_category_filter(catalog):
    found = catalog.filter(category=["he-sea"])
    assert "ST36" in codes(found)
    assert all("he-sea" in p.category_kinds for p in found)


def test_condition_is_case_insensitive(catalog):
    assert codes(catalog.filter(condition=["cipn"])) == codes(catalog.filter(condition=["CIPN"]))


@pytest.mark.parametrize(
    ("kind", "value", "hint"),
    [
        ("region", "lowerlimb", "lower-limb"),
        ("condition", "DPNN", "DPN"),
        ("modality", "electric", "electro"),
        ("meridian", "XX", None),
        ("category", "hesea", "he-sea"),
    ],
)
def test_unknown_filter_value(catalog, kind, value, hint):
    with pytest.raises(UsageError) as info:
        catalog.filter(**{kind: [value]})
    assert f"unknown {kind} {value!r}" in str(info.value)
    if hint:
        assert f"did you mean {hint}?" in str(info.value)


def test_search_ranks_names_first_and_forgives_typos(catalog):
    assert catalog.search("zusanli")[0][0].code == "ST36"
    assert catalog.search("zusnli")[0][0].code == "ST36"
    assert catalog.search("Leg Three Miles")[0][0].code == "ST36"
    toes = [p.code for p, _ in catalog.search("toes")]
    assert "EX-LE10" in toes[:5]
    scores = [s for _, s in catalog.search("pain")]
    assert scores == sorted(scores, reverse=True)
    assert catalog.search("qqqqqq") == []


def test_vocabulary_counts(catalog):
    regions = {v: n for v, n, _ in catalog.vocabulary("region")}
    assert regions["lower-limb"] == sum(regions[r] for r in ("hip", "thigh", "knee", "lower-leg", "ankle", "foot"))
    assert sum(regions[r] for r in ("head-neck", "trunk", "upper-limb", "lower-limb")) == len(catalog)
    conds = {v: n for v, n, _ in catalog.vocabulary("condition")}
    assert conds["CIPN"] == len(catalog.filter(condition=["CIPN"]))


def _only_plain_data(obj):
    if isinstance(obj, dict):
        return type(obj) is dict and all(_only_plain_data(k) and _only_plain_data(v) for k, v in obj.items())
    if isinstance(obj, list):
        return type(obj) is list and all(_only_plain_data(v) for v in obj)
    if type(obj) is bytes:  # a point or the index, kept as a marshal blob of its own
        return _only_plain_data(marshal.loads(obj))
    return obj is None or type(obj) in (str, int, float, bool)


def test_cache_is_plain_data_and_reused(mini, tmp_path, monkeypatch):
    cache = tmp_path / "c"
    monkeypatch.setenv("ACUPOINTS_CACHE_DIR", str(cache))
    first = load_catalog(mini)
    files = list(cache.glob("catalog-*.marshal"))
    assert len(files) == 1
    data = marshal.loads(files[0].read_bytes())
    assert _only_plain_data(data)  # no code objects, no class instances: nothing that could run
    assert data["codes"] == list(first.codes)
    # a cache hit does not read YAML at all: prove it by making the cached copy differ
    st36 = marshal.loads(data["blobs"][1])
    st36["english"] = "From the cache"
    data["blobs"][1] = marshal.dumps(st36)
    files[0].write_bytes(marshal.dumps(data))
    assert load_catalog(mini).lookup("ST36").english == "From the cache"


def test_cache_never_serves_an_edited_file(mini, tmp_path, monkeypatch):
    monkeypatch.setenv("ACUPOINTS_CACHE_DIR", str(tmp_path / "c"))
    assert load_catalog(mini).lookup("ST36").english == "Leg Three Miles"
    text = mini.read_text(encoding="utf-8").replace("Leg Three Miles", "Leg Three Li")
    mini.write_text(text, encoding="utf-8")
    assert load_catalog(mini).lookup("ST36").english == "Leg Three Li"
    # an edit that breaks the file is reported, never hidden by an old cache
    mini.write_text(text.replace("region: lower-leg", "region: shin"), encoding="utf-8")
    with pytest.raises(Exception, match="problem|region"):
        load_catalog(mini)


def test_damaged_cache_is_ignored(mini, tmp_path, monkeypatch):
    cache = tmp_path / "c"
    monkeypatch.setenv("ACUPOINTS_CACHE_DIR", str(cache))
    load_catalog(mini)
    (f,) = cache.glob("catalog-*.marshal")
    f.write_bytes(b"\x00garbage")
    assert load_catalog(mini).lookup("LI4").code == "LI4"


def test_unwritable_cache_folder_is_no_failure(mini, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ACUPOINTS_CACHE_DIR", str(blocker / "sub"))
    assert len(load_catalog(mini)) == 2


def test_python_api(catalog):
    import acupoints

    assert acupoints.load_catalog().get("zusanli").code == "ST36"
    assert catalog.get("nothing-like-this") is None
    st36 = catalog.point("ST36")
    assert st36.to_dict()["code"] == "ST36"
    assert list(st36.to_dict()) == list(acupoints.model.EXPORT_FIELDS)
