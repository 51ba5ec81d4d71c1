"""The Python API as a script uses it: one value or many, flags from their strings, immutable and
hashable records, `catalog[name]` and `in`, and no Any in what the package exports."""

import dataclasses
import inspect
import re

import pytest

import acupoints
from acupoints import (
    AmbiguousPointError,
    CategoryKind,
    CautionKind,
    Flags,
    FrozenDict,
    Limb,
    Meridian,
    Modality,
    Region,
    UnknownPointError,
    UsageError,
    load_catalog,
)


def codes(points):
    return [p.code for p in points]


# -- one value or many ------------------------------------------------------------------------
# (filter argument, one value, another value of the same filter)
FILTERS = [
    ("condition", "CIPN", "DPN"),
    ("region", "foot", "hand"),
    ("modality", "electro", "moxibustion"),
    ("meridian", "ST", "SP"),
    ("category", "he-sea", "jing-well"),
    ("exclude_caution", "pregnancy", "vessel"),
]


@pytest.mark.parametrize(("name", "one", "other"), FILTERS)
def test_every_filter_takes_one_value_as_a_str(catalog, name, one, other):
    as_list = codes(catalog.filter(**{name: [one]}))
    assert as_list and len(as_list) < len(catalog)
    assert codes(catalog.filter(**{name: one})) == as_list
    assert codes(catalog.filter(**{name: (one,)})) == as_list


@pytest.mark.parametrize(("name", "one", "other"), FILTERS)
def test_every_filter_takes_a_comma_list_as_several_values(catalog, name, one, other):
    both = codes(catalog.filter(**{name: [one, other]}))
    assert codes(catalog.filter(**{name: f"{one},{other}"})) == both
    assert codes(catalog.filter(**{name: f" {one} , {other} "})) == both
    assert codes(catalog.filter(**{name: [f"{one},{other}"]})) == both
    assert codes(catalog.filter(**{name: iter([one, other])})) == both  # any iterable


def test_filters_take_the_enums(catalog):
    assert codes(catalog.filter(modality=Modality.ELECTRO)) == codes(catalog.filter(modality="electro"))
    assert codes(catalog.filter(meridian=Meridian.ST)) == codes(catalog.filter(meridian="ST"))
    assert codes(catalog.filter(region=[Region.FOOT, Region.HAND])) == codes(catalog.filter(region="foot,hand"))
    assert codes(catalog.filter(category=CategoryKind.HE_SEA)) == codes(catalog.filter(category="he-sea"))
    assert codes(catalog.filter(exclude_caution=CautionKind.PREGNANCY)) == codes(
        catalog.filter(exclude_caution="pregnancy")
    )


def test_the_enums_list_the_vocabularies():
    from acupoints import model

    assert [m.value for m in Meridian] == list(model.MERIDIANS)
    assert [c.value for c in CategoryKind] == list(model.CATEGORIES)
    assert [r.value for r in Region] == sorted(model.REGIONS, key=[r.value for r in Region].index)
    assert set(Region) == set(model.REGIONS)
    from acupoints.flags import LIMBS

    assert [limb.value for limb in Limb] == list(LIMBS)


def test_a_filter_value_that_is_not_text_is_a_usage_error(catalog):
    with pytest.raises(UsageError, match="condition: 3 is not text"):
        catalog.filter(condition=["CIPN", 3])
    with pytest.raises(UsageError, match="region: give text"):
        catalog.filter(region=3)
    with pytest.raises(UsageError, match="unknown condition 'CIPM'; did you mean CIPN"):
        catalog.filter(condition="CIPM")


def test_prescribe_takes_one_value_or_many(catalog):
    one = catalog.prescribe("CIPN", include="LR3", avoid="ST36", region="lower-limb")
    many = catalog.prescribe("CIPN", include=["LR3"], avoid=("ST36",), region=["lower-limb"])
    assert one.codes == many.codes and one.codes[0] == "LR3" and "ST36" not in one.codes
    two = catalog.prescribe("CIPN", include="LI4,LR3")
    assert set(two.codes[:2]) == {"LI4", "LR3"}


def test_check_takes_one_point_as_a_str(catalog):
    flags = Flags(pregnant=True)
    one = catalog.check("LI4", flags=flags)
    assert one == catalog.check(["LI4"], flags=flags)
    assert {f.code for f in one} == {"LI4"}  # not the points L, I and 4
    assert catalog.check("LI4,SP6", flags=flags) == catalog.check(["LI4", "SP6"], flags=flags)


# -- flags --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "limbs"),
    [
        ("left-arm", ("left-arm",)),
        ("left arm", ("left-arm",)),
        ("Left_Arm", ("left-arm",)),
        ("arm-left", ("left-arm",)),
        ("left-arm,right-leg", ("left-arm", "right-leg")),
        (["left-arm", "right leg"], ("left-arm", "right-leg")),
        (("left-arm", "left-arm"), ("left-arm",)),
        (Limb.RIGHT_ARM, ("right-arm",)),
        ([Limb.LEFT_LEG, "right-arm"], ("left-leg", "right-arm")),
        ((), ()),
    ],
)
def test_lymphoedema_takes_its_documented_forms(given, limbs):
    flags = Flags(lymphoedema=given)
    assert flags.lymphoedema == limbs
    assert flags == Flags(lymphoedema=list(limbs))


def test_a_flags_limb_is_checked():
    with pytest.raises(UsageError, match="unknown limb 'left-foot'; use one of left-arm"):
        Flags(lymphoedema="left-foot")
    with pytest.raises(UsageError, match="lymphoedema: 3 is not text"):
        Flags(lymphoedema=[3])  # type: ignore[list-item]


@pytest.mark.parametrize("name", ["pregnant", "pacemaker", "anticoagulants", "diabetic_foot", "low_platelets"])
def test_a_yes_no_flag_is_a_bool_and_nothing_else(name):
    assert getattr(Flags(**{name: True}), name) is True
    assert getattr(Flags(**{name: False}), name) is False
    for wrong in ("no", "yes", "false", 1, None):
        with pytest.raises(UsageError, match=f"{name} is True or False"):
            Flags(**{name: wrong})


def test_flags_take_one_argument_a_field_by_name_only():
    params = inspect.signature(Flags).parameters
    assert list(params) == [f.name for f in dataclasses.fields(Flags)]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())


def test_flags_work_in_prescribe_and_check(catalog):
    rx = catalog.prescribe("CIPN", flags=Flags(lymphoedema="left-arm"))
    assert rx.flags.lymphoedema == ("left-arm",)
    found = catalog.check(["LI4:left"], flags=Flags(lymphoedema="left arm"))
    assert [f.kind for f in found] == ["lymphoedema"]


def test_flags_are_immutable_and_hashable():
    flags = Flags(pregnant=True, lymphoedema="left-arm")
    with pytest.raises(dataclasses.FrozenInstanceError):
        flags.pregnant = False  # type: ignore[misc]
    assert hash(flags) == hash(Flags(lymphoedema=["left-arm"], pregnant=True))
    assert len({flags, Flags(pregnant=True, lymphoedema="left arm"), Flags()}) == 2


# -- immutable, hashable records ----------------------------------------------------------------
def test_a_point_goes_into_a_set_and_is_a_key(catalog):
    st36 = catalog.lookup("ST36")
    points = {st36, catalog.lookup("zusanli"), catalog.lookup("LI4")}
    assert len(points) == 2 and st36 in points
    assert {p: p.code for p in catalog}[catalog.lookup("st-36")] == "ST36"
    assert len(set(catalog)) == len(catalog)


def test_points_are_equal_and_hash_alike_by_value(tmp_path, catalog):
    fresh = load_catalog(cache=False).lookup("ST36")
    st36 = catalog.lookup("ST36")
    assert fresh is not st36 and fresh == st36 and hash(fresh) == hash(st36)
    assert st36 != catalog.lookup("ST37")
    edited = st36._replace(location="elsewhere")
    assert edited != st36 and edited.code == st36.code


def test_a_points_conditions_cannot_be_changed(catalog):
    st36 = catalog.point("ST36")
    before = dict(st36.conditions)
    assert before and isinstance(st36.conditions, FrozenDict)
    with pytest.raises(TypeError):
        st36.conditions["DPN"] = ()  # type: ignore[index]
    with pytest.raises(AttributeError):
        st36.conditions.clear()  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        st36.conditions._d = {}  # type: ignore[misc]
    assert catalog.point("ST36").conditions == before
    assert catalog.point("EX-B2").conditions == {}


def test_everything_a_point_holds_is_immutable(catalog):
    for p in catalog:
        hash(p)
        for value in p:
            assert not isinstance(value, list | dict | set), (p.code, value)


def test_references_are_immutable_and_hashable(catalog):
    refs = list(catalog.references.values())
    assert len(set(refs)) == len(refs)
    with_course = [r for r in refs if r.parameters]
    assert with_course
    with pytest.raises(TypeError):
        with_course[0].parameters["weeks"] = 1  # type: ignore[index]


def test_the_catalogs_own_tables_are_read_only(catalog):
    for table in (catalog.references, catalog.conditions, catalog.sources, catalog.plain_locations()):
        assert len(table) > 0
        with pytest.raises(TypeError):
            table["x"] = None  # type: ignore[index]
    assert "CIPN" in catalog.conditions and "ST36" in catalog.plain_locations()


def test_frozen_dict_behaves_as_a_read_only_dict():
    a = FrozenDict({"x": (1, 2), "y": "z"})
    b = FrozenDict([("y", "z"), ("x", (1, 2))])
    assert a == b == {"x": (1, 2), "y": "z"} and hash(a) == hash(b)
    assert a != {"x": (1, 2)} and a != FrozenDict()
    assert list(a) == ["x", "y"] and a["x"] == (1, 2) and a.get("w") is None and "y" in a and len(a) == 2
    assert repr(FrozenDict({"k": 1})) == "FrozenDict({'k': 1})"
    import copy
    import pickle

    assert pickle.loads(pickle.dumps(a)) == a and copy.deepcopy(a) == a


def test_freeze_and_thaw_round_trip():
    from acupoints.model import freeze, thaw

    data = {"a": [1, {"b": [2.5, None, True]}], "c": "d"}
    frozen = freeze(data)
    assert frozen == FrozenDict({"a": (1, FrozenDict({"b": (2.5, None, True)})), "c": "d"})
    hash(frozen)
    assert thaw(frozen) == data
    with pytest.raises(TypeError):
        freeze({"s": {1, 2}})


# -- catalog[name] and in --------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["ST36", "st36", "st-36", "ST036", "E36", "zusanli", "Zú Sān Lǐ", "足三里"])
def test_catalog_indexes_by_any_name_the_resolver_takes(catalog, text):
    assert catalog[text].code == "ST36"
    assert text in catalog


def test_an_unknown_name_is_a_key_error_that_says_what_is_near(catalog):
    with pytest.raises(KeyError) as caught:
        catalog["ST63"]
    assert isinstance(caught.value, UnknownPointError)
    assert str(caught.value) == "no point 'ST63'; did you mean ST36?"  # not KeyError's quoted repr
    assert "ST63" not in catalog and "" not in catalog and 36 not in catalog
    with pytest.raises(KeyError, match="no point '36'"):
        catalog[36]  # type: ignore[index]


def test_an_ambiguous_name_is_a_key_error_naming_each_point(catalog):
    with pytest.raises(KeyError) as caught:
        catalog["P6"]
    assert isinstance(caught.value, AmbiguousPointError)
    assert "PC6" in str(caught.value) and "LU6" in str(caught.value)
    assert "P6" not in catalog  # `in` answers whether catalog[...] gives a point
    assert {p.code for p in catalog.resolve("Futu")} == {"LI18", "ST32"} and "Futu" not in catalog


def test_a_point_is_in_its_catalog(catalog):
    st36 = catalog["ST36"]
    assert st36 in catalog
    assert st36._replace(english="Leg Three Miles, edited") not in catalog


# -- no Any in the public signatures ------------------------------------------------------------------
_ANY = re.compile(r"\bAny\b")
_DUNDERS = {"__init__", "__new__", "__getitem__", "__contains__", "__iter__", "__len__", "__hash__", "__eq__"}


def _public_signatures():
    """(where, annotation) for every annotation of what acupoints exports: its functions, and the
    public methods, properties and fields of its classes (and their bases in the package)."""
    for name in acupoints.__all__:
        obj = getattr(acupoints, name)
        if inspect.isfunction(obj):
            yield from ((f"{name} {k}", a) for k, a in obj.__annotations__.items())
            continue
        if not inspect.isclass(obj):
            continue
        for klass in obj.__mro__:
            if not klass.__module__.startswith("acupoints"):
                continue
            for k, a in vars(klass).get("__annotations__", {}).items():
                if not k.startswith("_"):
                    yield f"{name}.{k}", a
            for k, v in vars(klass).items():
                if k.startswith("_") and k not in _DUNDERS:
                    continue
                if isinstance(v, property):
                    v = v.fget
                if isinstance(v, classmethod | staticmethod):
                    v = v.__func__
                if inspect.isfunction(v):
                    yield from ((f"{name}.{k} {p}", a) for p, a in v.__annotations__.items())


def test_no_any_in_the_public_signatures():
    found = list(_public_signatures())
    assert len(found) > 100  # it does look at them
    assert any("Catalog.filter condition" in where for where, _ in found)
    assert [f"{where}: {a}" for where, a in found if _ANY.search(str(a))] == []


def test_the_package_declares_every_export_for_type_checkers():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(acupoints.__file__).read_text())
    declared = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1
        for alias in node.names
    }
    assert set(acupoints.__all__) <= declared
    for name in acupoints.__all__:
        assert getattr(acupoints, name) is not None


# -- result objects: immutable all the way down, and hashable -------------------------------------
def _results(catalog, tmp_path):
    """One result of every kind a command makes, built the way the command builds it."""
    from acupoints import evidence, rxfile
    from acupoints.map.report import make_report
    from acupoints.prescribe import PrescriptionReport
    from acupoints.results import ChannelView, PointList, PointPages, SearchResults, Vocabularies
    from acupoints.safety import CheckReport

    channel = catalog.channel("ST")
    hits = catalog.search_hits("headache", limit=3)
    rx = catalog.prescribe("CIPN", modality="electro", flags=Flags(lymphoedema="left-arm"))
    saved = tmp_path / "rx.yaml"
    from acupoints.output.writers import to_yaml

    saved.write_text(to_yaml(rx.to_dict()), encoding="utf-8")
    return {
        "PointList": lambda: PointList(catalog.filter(condition="DPN"), ("code", "english"), title="t"),
        "PointPages": lambda: PointPages([catalog["ST36"], catalog["LI4"]], catalog),
        "ChannelView": lambda: ChannelView(channel["channel"], channel["points"]),
        "Vocabularies": lambda: Vocabularies([(k, catalog.vocabulary(k)) for k in ("region", "modality")], False),
        "SearchResults": lambda: SearchResults([catalog.point(h.code) for h in hits], hits, None, "headache"),
        "CheckReport": lambda: CheckReport(
            ["GB21", "LI4"], catalog.check(["GB21", "LI4"], flags=Flags(pregnant=True)), catalog
        ),
        "PrescriptionReport": lambda: PrescriptionReport(rx, catalog),
        "EvidenceView": lambda: evidence.for_conditions(catalog, ["CIPN"]),
        "EvidenceView (point)": lambda: evidence.for_point(catalog, "ST36", list(catalog.conditions)),
        "SavedView": lambda: rxfile.SavedView(rxfile.read(str(saved)), catalog),
        "ChartReport": lambda: make_report(catalog, {"ST36": None, "LI4": {"left"}}),
    }


def _mutable_inside(obj, where="result", seen=None):
    """Where, inside a result, something could still be changed: a list, dict, set or bytearray, or
    an object whose attributes can be set."""
    from acupoints.catalog import Catalog

    seen = set() if seen is None else seen
    if id(obj) in seen or isinstance(obj, Catalog | str | int | float | bool | type(None)):
        return
    seen.add(id(obj))
    if isinstance(obj, list | dict | set | bytearray):
        yield f"{where}: {type(obj).__name__}"
        return
    if isinstance(obj, FrozenDict):
        for k, v in obj.items():
            yield from _mutable_inside(v, f"{where}[{k!r}]", seen)
    elif isinstance(obj, tuple | frozenset):
        for i, v in enumerate(obj):
            yield from _mutable_inside(v, f"{where}[{i}]", seen)
    elif hasattr(obj, "__dict__") and not isinstance(obj, type):
        try:
            obj._probe = 1
        except AttributeError:
            pass
        else:
            yield f"{where}: {type(obj).__name__} takes new attributes"
        for k, v in vars(obj).items():
            yield from _mutable_inside(v, f"{where}.{k}", seen)


RESULT_KINDS = [
    "PointList",
    "PointPages",
    "ChannelView",
    "Vocabularies",
    "SearchResults",
    "CheckReport",
    "PrescriptionReport",
    "EvidenceView",
    "EvidenceView (point)",
    "SavedView",
    "ChartReport",
]


@pytest.mark.parametrize("kind", RESULT_KINDS)
def test_every_result_is_immutable_all_the_way_down_and_hashable(catalog, tmp_path, kind):
    make = _results(catalog, tmp_path)[kind]
    result, again = make(), make()
    assert list(_mutable_inside(result)) == []
    assert result == again and hash(result) == hash(again) and len({result, again}) == 1
    name = next(iter(vars(result)))
    with pytest.raises(AttributeError):
        setattr(result, name, None)
    with pytest.raises(AttributeError):
        delattr(result, name)
    # what it says is unchanged by being frozen
    import json

    json.dumps(result.data(), ensure_ascii=False)
    result.rows(), result.messages()


def test_every_result_class_is_tested():
    import importlib

    from acupoints.results import Result

    for module in ("evidence", "map.report", "prescribe", "rxfile", "safety", "handout", "quiz", "output.anki"):
        importlib.import_module(f"acupoints.{module}")  # every module that may define a Result

    def subclasses(c):
        for s in c.__subclasses__():
            yield s
            yield from subclasses(s)

    assert {c.__name__ for c in subclasses(Result) if c.__module__.startswith("acupoints")} == {
        k.split()[0] for k in RESULT_KINDS
    }


def test_results_differ_when_what_they_hold_differs(catalog):
    from acupoints.results import PointList

    assert PointList(catalog.filter(condition="DPN")) != PointList(catalog.filter(condition="CIPN"))
    assert PointList(catalog.filter(condition="DPN")) != PointList(catalog.filter(condition="DPN"), ("code",))
