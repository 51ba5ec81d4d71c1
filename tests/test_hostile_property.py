"""Arbitrary input to the name resolver, the prescription reader and the validator: each gives a
result or a domain error (an AcupointsError), never another exception.

The YAML comes three ways: raw text (mostly not YAML at all), documents dumped from generated
nested mappings, lists and scalars, and documents shaped like the real files (their keys, with
values of any type), which get past the first checks and into the deeper ones.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from conftest import MINI_POINTS, MINI_REFERENCES, MINI_SOURCES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acupoints import _store, rxfile, validate
from acupoints.errors import AcupointsError

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.dates(min_value=datetime.date(1, 1, 1))
    | st.sampled_from(["ST36", "LI4", "zusanli", "足三里", "both", "left", "DPN", "electro", "he-sea", ""])
)
keys = st.text(max_size=12) | st.integers(-5, 5) | st.booleans() | st.none()


def nested(key_names: list[str]) -> st.SearchStrategy:
    """Nested data whose mapping keys are mostly the names a file uses."""
    key = st.sampled_from(key_names) | keys if key_names else keys
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(key, children, max_size=6),
        max_leaves=25,
    )


def dumped(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


RAW = st.text(max_size=300) | st.sampled_from(
    [
        "a: !!python/object/apply:os.system ['true']\n",
        "a: &x [*x]\n",
        "- !!binary aGk=\n",
        "{a: 1, a: 2}\n",
        "---\na: 1\n---\nb: 2\n",
        "? [1, 2]\n: x\n",
        "<<: {a: 1}\n",
        "\ufeffpoints: []\n",
        "points:\n- code: ST36\n  number: .inf\n",
    ]
)


@st.composite
def mutated(draw: st.DrawFn, base: object, key_names: list[str]) -> object:
    """A valid document with one to three values somewhere inside it replaced, added or removed:
    the examples that get furthest into the checks."""
    import copy

    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        node = doc
        while True:
            children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
            if not children:
                break
            where, child = draw(st.sampled_from(children))
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            action = draw(st.sampled_from(["replace", "remove", "add"]))
            if action == "remove":
                del node[where]
            elif action == "add" and isinstance(node, dict):
                node[draw(st.sampled_from(key_names) | keys)] = draw(nested(key_names))
            elif action == "add":
                node.insert(where, draw(nested(key_names)))
            else:
                node[where] = draw(nested(key_names))
            break
    return doc


def documents(
    key_names: list[str], top: dict[str, st.SearchStrategy] | None = None, base: str | None = None
) -> st.SearchStrategy[str]:
    """Text for a data file: raw text, a dump of nested data, a dump shaped like the file, or a
    valid file (`base`) changed in a few places."""
    shaped = (
        st.fixed_dictionaries({}, optional={k: v for k, v in (top or {}).items()}).map(dumped) if top else st.nothing()
    )
    changed = mutated(yaml.safe_load(base), key_names).map(dumped) if base else st.nothing()
    return RAW | nested(key_names).map(dumped) | shaped | changed


POINT_KEYS = sorted(validate.POINT_FIELDS) + sorted(validate.NEEDLING_FIELDS) + sorted(validate.CAUTION_FIELDS)
points_doc = documents(
    POINT_KEYS + ["points", "kind", "of"],
    {
        "points": st.lists(st.fixed_dictionaries({}, optional={k: nested(POINT_KEYS) for k in POINT_KEYS}), max_size=3),
        "data_version": scalars,
    },
    MINI_POINTS,
)
LIST_KEYS = sorted(validate.REFERENCE_FIELDS) + ["id", "short", "kind", "cite", "note"]
list_docs = {
    "references": documents(LIST_KEYS, base=MINI_REFERENCES),
    "sources": documents(LIST_KEYS, base=MINI_SOURCES),
}
CONDITIONS = (ROOT / "data" / "conditions.yaml").read_text(encoding="utf-8")
conditions_doc = documents(
    ["conditions", "code", "name", "felt", "regions", "evidence", "cautions", "patient", "details", "cites"],
    base=CONDITIONS,
)


class _Blobs(dict):
    def __repr__(self) -> str:  # a failing example prints its arguments: not the four files
        return "<the mini catalog's files>"


@pytest.fixture(scope="module")
def mini_blobs(tmp_path_factory):
    """The mini catalog's four files as the validator takes them: name -> (path, bytes)."""
    folder = tmp_path_factory.mktemp("mini")
    texts = {
        "points": ("points.yaml", MINI_POINTS),
        "references": ("references.yaml", MINI_REFERENCES),
        "sources": ("safety-sources.yaml", MINI_SOURCES),
        "conditions": ("conditions.yaml", (ROOT / "data" / "conditions.yaml").read_text(encoding="utf-8")),
    }
    return _Blobs({name: (folder / file, text.encode("utf-8")) for name, (file, text) in texts.items()})


@SETTINGS
@given(which=st.sampled_from(["points", "references", "sources", "conditions"]), data=st.data())
def test_the_catalog_validator_gives_data_or_a_catalog_error(mini_blobs, which, data):
    doc = data.draw({"points": points_doc, "conditions": conditions_doc, **list_docs}[which])
    blobs = dict(mini_blobs)
    path = blobs[which][0]
    blobs[which] = (path, doc.encode("utf-8"))
    try:
        result = validate.check_catalog(blobs["points"][0], blobs)
    except AcupointsError:
        return
    assert isinstance(result["points"], list)


@SETTINGS
@given(raw=st.binary(max_size=200))
def test_any_bytes_as_a_data_file_give_data_or_a_catalog_error(tmp_path, raw):
    try:
        _store.parse(raw, tmp_path / "x.yaml")
    except AcupointsError:
        pass


def _few_positions() -> str:
    """The shipped positions file with a few of its points (and those its landmarks and these points
    are placed from); body, lines and landmarks whole."""
    import re

    data = yaml.safe_load((ROOT / "data" / "positions.yaml").read_text(encoding="utf-8"))
    refs = re.compile(r"\b(?:[A-Z]{2}\d+|EX-[A-Z]+\d+)\b")
    wanted = {"LI4", "ST36"} | set(refs.findall(dumped({k: v for k, v in data.items() if k != "points"})))
    kept: dict[str, object] = {}
    while wanted - set(kept):
        for code in sorted(wanted - set(kept)):
            kept[code] = data["points"][code]
            wanted |= set(refs.findall(dumped(kept[code])))
    data["points"] = {code: kept[code] for code in data["points"] if code in kept}  # WHO order
    return dumped(data)


POSITIONS = _few_positions()
POSITION_CODES = list(yaml.safe_load(POSITIONS)["points"])
positions_doc = documents(
    ["points", "landmarks", "at", "between", "cun", "up", "down", "line", "sites", "part", "side", "toward"],
    {"points": nested(["ST36", "LI4", "at", "between", "cun", "up", "line", "sites"]), "landmarks": nested([])},
    POSITIONS,
)


@SETTINGS
@given(which=st.sampled_from(["positions", "plain", "synonyms"]), data=st.data())
def test_the_companion_validators_give_data_or_a_catalog_error(tmp_path, catalog, which, data):
    path = tmp_path / f"{which}.yaml"
    if which == "positions":
        path.write_text(data.draw(positions_doc), encoding="utf-8")
        try:
            validate.check_positions(path, {c: catalog.point(c).bilateral for c in POSITION_CODES})
        except AcupointsError:
            pass
        return
    doc = data.draw(
        documents(
            ["locations", "ST36", "LI4"],
            {"locations": nested(["ST36", "LI4"])},
            "locations:\n  ST36: Below the knee.\n  LI4: On the hand.\n",
        )
        if which == "plain"
        else documents(
            ["groups", "includes"],
            {"groups": nested([]), "includes": nested([])},
            "groups:\n- [numb, numbness]\nincludes:\n  limb: [arm, leg]\n",
        )
    )
    try:
        parsed, _ = _store.parse(doc.encode("utf-8"), path)
    except AcupointsError:
        return
    if which == "plain":
        found, problems = validate.check_plain_locations(parsed, {"ST36", "LI4"}, path.name)
    else:
        found, problems = validate.check_synonyms(parsed, path.name)
    assert all(isinstance(p, str) for p in problems)


RX = f"""\
format: {rxfile.SAVE_FORMAT}
condition: DPN
modality: electro
modality_used: electro
flags: {{pregnant: false, lymphoedema: [left-arm]}}
points:
- {{code: ST36, sides: both, score: 3, reasons: [a], studies: [x], modalities: [electro], cautions: []}}
- {{code: LI4, sides: left}}
pairs:
- {{points: [ST36, SP6], sides: left}}
"""
RX_KEYS = sorted(rxfile.TOP_KEYS | rxfile.POINT_KEYS | rxfile.PAIR_KEYS) + ["pregnant", "lymphoedema", "pacemaker"]
rx_doc = documents(
    RX_KEYS,
    {
        "format": st.just(rxfile.SAVE_FORMAT) | scalars,
        "condition": scalars,
        "modality": scalars,
        "modality_used": scalars,
        "flags": nested(["pregnant", "lymphoedema", "pacemaker", "anticoagulants", "left-arm"]),
        "points": nested(sorted(rxfile.POINT_KEYS)),
        "pairs": nested(sorted(rxfile.PAIR_KEYS)),
    },
    RX,
)


@SETTINGS
@given(doc=rx_doc)
def test_the_prescription_reader_gives_a_prescription_or_a_usage_error(tmp_path, doc):
    path = tmp_path / "rx.yaml"
    path.write_text(doc, encoding="utf-8")
    try:
        saved = rxfile.read(str(path))
    except AcupointsError:
        return
    assert all(isinstance(p.code, str) for p in saved.points)
    saved.point_texts()


@SETTINGS
@given(text=st.text(max_size=40) | st.from_regex(r"[A-Za-z]{1,4}[ -]?\d{0,3}(:[a-z]+)?", fullmatch=True))
def test_the_name_resolver_gives_points_or_a_domain_error(catalog, text):
    found = catalog.resolve(text)
    assert all(p.code in catalog for p in found)
    try:
        point = catalog.lookup(text)
    except AcupointsError:
        return
    assert point in found


@SETTINGS
@given(text=st.text(max_size=40))
def test_a_pair_spec_gives_a_pair_or_a_usage_error(catalog, text):
    try:
        a, b, side = rxfile.parse_pair(text, lambda t: bool(catalog.resolve(t)))
    except AcupointsError:
        return
    assert side in rxfile.PAIR_SIDES


def test_the_documents_reach_the_deeper_checks():
    """The shaped documents are not all refused at the door: some hold a list of points."""
    seen = []

    @settings(max_examples=50, deadline=None)
    @given(points_doc)
    def collect(doc):
        try:
            parsed, _ = _store.parse(doc.encode("utf-8"), Path("points.yaml"))
        except AcupointsError:
            return
        if isinstance(parsed, dict) and isinstance(parsed.get("points"), list) and parsed["points"]:
            seen.append(doc)

    collect()
    assert seen
