"""Coverage of the cautions, as invariants of the data: a point in a place that needs a kind of
caution carries it, names its structure, and cites only listed sources for what they cover.

Each exemption is listed with its reason; a point that loses its caution, or a new point in such
a place without one, fails here."""

from __future__ import annotations

import re

import pytest

LUNG_REGIONS = {"chest", "axilla"}
ARTERIES = re.compile(
    r"\b(carotid|subclavian|axillary|brachial|radial|ulnar|femoral|popliteal|tibial|dorsalis pedis)"
    r" (artery|arteries|pulse)",
    re.I,
)
NERVES = re.compile(r"\b(median|ulnar|radial|sciatic|tibial|peroneal|fibular) nerve", re.I)


def _kinds(p):
    return {c.kind for c in p.cautions}


def test_every_point_over_the_lung_carries_a_pneumothorax_caution(catalog):
    missing = [
        p.code
        for p in catalog
        # midline GV points of the upper back: the needle meets the spinous processes and the
        # spinal canal, not the pleura (their own caution is cns)
        if (p.region in LUNG_REGIONS or (p.region == "upper-back" and p.meridian != "GV"))
        and "pneumothorax" not in _kinds(p)
        and "no-needling" not in _kinds(p)
    ]
    assert not missing, missing


@pytest.mark.parametrize("code", ["LI16", "SI12", "HT1", "GB21", "ST12", "BL13"])
def test_the_lung_apex_and_the_named_lung_points(catalog, code):
    assert "pneumothorax" in _kinds(catalog.point(code))


def test_every_point_whose_location_names_an_artery_or_nerve_carries_that_caution(catalog):
    missing = []
    for p in catalog:
        if ARTERIES.search(p.location) and "vessel" not in _kinds(p):
            missing.append((p.code, "vessel"))
        if NERVES.search(p.location) and "nerve" not in _kinds(p):
            missing.append((p.code, "nerve"))
    assert not missing, missing


@pytest.mark.parametrize(
    ("code", "kind", "structure"),
    [
        ("LI17", "vessel", "carotid"),
        ("ST10", "vessel", "carotid"),
        ("PC6", "nerve", "median"),
        ("PC7", "nerve", "median"),
        ("HT7", "nerve", "ulnar"),
        ("SI8", "nerve", "ulnar"),
        ("PC3", "vessel", "brachial"),
        ("HT2", "vessel", "brachial"),
        ("ST41", "vessel", "tibial"),
        ("LR3", "vessel", "dorsalis pedis"),
        ("GB34", "nerve", "peroneal"),
    ],
)
def test_the_named_vessels_and_nerves(catalog, code, kind, structure):
    found = [c for c in catalog.point(code).cautions if c.kind == kind]
    assert found and any(structure in (c.structure or "").lower() for c in found), (code, found)


def test_every_caution_cites_listed_sources_or_says_conventional_practice(catalog):
    for p in catalog:
        for c in p.cautions:
            assert set(c.sources) <= set(catalog.sources), (p.code, c.sources)
            if not c.sources:
                assert "conventional practice" in c.text.lower(), (p.code, c.text)


def test_moxibustion_bans_are_for_moxibustion(catalog):
    for p in catalog:
        for c in p.cautions:
            if c.kind == "no-moxibustion":
                assert c.modality == "moxibustion", p.code
                assert "moxibustion" not in p.modalities, p.code


def test_no_point_barred_from_moxibustion_is_offered_for_it(cli):
    code, out, _ = cli("list", "--modality", "moxibustion", "--fields", "code,cautions", "-f", "json")
    import json

    for row in json.loads(out):
        assert not any(c["kind"] == "no-moxibustion" for c in row["cautions"]), row["code"]
