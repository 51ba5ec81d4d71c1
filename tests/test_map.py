"""`acupoints map`: the positions data, the geometry, the SVG, the preview and the command."""

import json
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml
from conftest import ROOT, acupoints_exe

from acupoints.errors import CatalogError
from acupoints.map import body, chart, positions

# How many points have a position. Raise it as points are placed; it must never fall.
PLACED_AT_LEAST = 409
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def pos():
    from acupoints import load_catalog

    cat = load_catalog()
    # module-scoped, so set up before the per-test cache folder: read afresh, cache untouched
    return positions.load_positions(bilateral={p.code: p.bilateral for p in cat.points}, cache=False)


@pytest.fixture(scope="module")
def every_view(pos):
    from acupoints import load_catalog

    cat = load_catalog()
    sites = [s for code in pos.placed for s in pos.sites(code)]
    return {name: chart.project_view(pos, name, sites) for name in chart.VIEW_NAMES}, cat


# -- the data ----------------------------------------------------------------------------------
def test_coverage_never_falls(pos, catalog):
    placed = set(pos.placed)
    assert len(placed) >= PLACED_AT_LEAST
    assert placed <= set(catalog.codes)


def test_every_point_a_prescription_can_hold_is_placed(pos, catalog):
    """Neuropathy points first: any point a study used for DPN, CIPN or PHN has a place."""
    wanted = {p.code for p in catalog.points if p.conditions}
    assert wanted, "the catalog names neuropathy points"
    missing = sorted(wanted - set(pos.placed))
    assert not missing, f"neuropathy points without a position: {missing}"


def test_bilateral_points_mirror_and_midline_points_sit_on_it(pos, catalog):
    for code in pos.placed:
        point = catalog.point(code)
        sites = pos.sites(code)
        if point.bilateral:
            left = {s.index: s for s in sites if s.side == "left"}
            right = {s.index: s for s in sites if s.side == "right"}
            assert left.keys() == right.keys() and left, code
            for i, a in left.items():
                b_ = right[i]
                assert a.point[0] > 0, f"{code} site {i} is stored on the left"
                assert math.isclose(a.point[0], -b_.point[0]) and a.point[1:] == b_.point[1:], code
                assert math.isclose(a.normal[0], -b_.normal[0]) and a.normal[1:] == b_.normal[1:], code
        else:
            for s in sites:
                if s.side == "midline":
                    assert abs(s.point[0]) < 0.05, code
                else:  # a midline group's lateral sites come in explicit pairs or named sides
                    assert s.side in ("left", "right"), code


def test_st36_is_3_cun_below_st35_on_the_same_line(pos):
    p35, p36 = pos.chart_of("ST35"), pos.chart_of("ST36")
    assert p35[:2] == p36[:2] == ("leg", "leg")
    assert math.isclose(p35[3] - p36[3], 3.0, abs_tol=0.05)
    assert abs(p35[2] - p36[2]) < 0.2  # the same line down the leg


def test_sp6_is_3_cun_above_the_medial_malleolus(pos):
    mm, sp6 = pos.chart_of("medial-malleolus"), pos.chart_of("SP6")
    assert mm[:2] == sp6[:2]
    assert math.isclose(sp6[3] - mm[3], 3.0, abs_tol=1e-6)
    assert sp6[2] < 0  # medial


def test_st36_shows_below_st35_on_the_front_view(pos):
    sites = pos.sites("ST35") + pos.sites("ST36")
    view = chart.project_view(pos, "front", sites)
    marks = {(m.code, m.side): m for m in view.panels[0].marks}
    for side in ("left", "right"):
        a, b_ = marks[("ST35", side)], marks[("ST36", side)]
        assert math.isclose(a.y - b_.y, 3.0 * math.cos(math.radians(chart.ELEVATION)), abs_tol=0.1)
        assert abs(a.x - b_.x) < 0.3
    assert marks[("ST36", "left")].x > 0 > marks[("ST36", "right")].x  # the patient's left on our right


def test_the_proportional_cun_of_the_standard(pos):
    """The segment lengths the file says it takes from WHO's proportional bone cun."""
    y = {n: pos.where(n).point[1] for n in pos.landmarks}
    sole = min(q[1] for q in pos.parts["foot"].samples())
    assert y["lateral-malleolus"] - sole == pytest.approx(3, abs=0.01)
    assert y["popliteal-crease"] - y["lateral-malleolus"] == pytest.approx(16)
    assert y["greater-trochanter"] - y["popliteal-crease"] == pytest.approx(19)
    assert y["gluteal-fold"] - y["popliteal-crease"] == pytest.approx(14)
    assert y["tibia-medial-condyle"] - y["medial-malleolus"] == pytest.approx(13)
    assert y["pubic-symphysis"] - y["medial-femoral-epicondyle"] == pytest.approx(18)
    assert y["umbilicus"] - y["pubic-symphysis"] == pytest.approx(5)
    assert y["xiphisternal-junction"] - y["umbilicus"] == pytest.approx(8)
    assert y["suprasternal-fossa"] - y["xiphisternal-junction"] == pytest.approx(9)
    assert y["axilla-apex"] - y["rib11-free-end"] == pytest.approx(12, abs=0.2)
    assert pos.chart_of("wrist-crease")[3] == pytest.approx(pos.chart_of("cubital-crease")[3] - 12)
    assert y["anterior-axillary-fold"] - y["cubital-crease"] == pytest.approx(9)
    assert pos.where("nipple").point[0] == pytest.approx(4, abs=0.01)  # 8 cun between the nipples
    head = pos.chart_of
    assert head("posterior-hairline")[3] - head("anterior-hairline")[3] == 12
    assert head("anterior-hairline")[3] - head("glabella")[3] == 3


def test_the_head_is_9_cun_across_at_the_mastoids_and_the_forehead_hairline_corners(pos):
    """WHO: between the two mastoid processes 9 B-cun, between the two corners of the forehead
    hairline (ST8 to ST8) 9 B-cun. Measured round the head in the head chart's lateral cun (t),
    the unit every 'N B-cun lateral to the midline' on the head is drawn in, as a tape laid across
    the back of the head from one mastoid tip to the other (and across the forehead from ST8 to
    ST8): |t| of the left site plus |t| of the right. A straight chord has no cun on the head,
    whose lateral cun is an angle round it."""
    head = pos.parts["head"]

    def across(p: body.Vec) -> float:
        left, right = head.locate("head", p)[0], head.locate("head", body.mirror(p))[0]
        assert left > 0 > right
        return left - right

    assert across(pos.where("mastoid-tip").point) == pytest.approx(9, abs=0.2)
    st8 = pos.sites("ST8")
    assert {s.side for s in st8} == {"left", "right"}
    assert abs(st8[0].u) + abs(st8[1].u) == pytest.approx(9, abs=0.2)  # as placed on the chart
    assert across(st8[0].point) == pytest.approx(9, abs=0.2)  # and as measured on the drawing
    assert across(pos.where("forehead-hairline-corner").point) == pytest.approx(9, abs=0.2)


# Landmarks the catalog's location texts measure from, as they are named there.
TEXT_LANDMARKS = {
    "umbilicus": "umbilicus",
    "centre of the umbilicus": "umbilicus",
    "palmar wrist crease": "wrist-crease",
    "wrist crease": "wrist-crease",
    "dorsal wrist crease": "dorsal-wrist-crease",
    "cubital crease": "cubital-crease",
    "prominence of the lateral malleolus": "lateral-malleolus",
    "prominence of the medial malleolus": "medial-malleolus",
    "popliteal crease": "popliteal-crease",
    "anterior hairline": "anterior-hairline",
    "posterior hairline": "posterior-hairline",
    "base of the patella": "patella-base",
    "anterior axillary fold": "anterior-axillary-fold",
    "pubic symphysis": "pubic-symphysis",
    "upper border of the pubic symphysis": "pubic-symphysis",
    "prominence of the olecranon": "olecranon",
    "xiphisternal junction": "xiphisternal-junction",
    "suprasternal fossa": "suprasternal-fossa",
}


def test_positions_agree_with_the_cun_in_the_location_texts(pos, catalog):
    """Every 'N B-cun above/below LANDMARK or POINT' and 'N B-cun lateral to the midline' that a
    location text states is what the drawing measures, to 0.12 cun: the text and the picture
    cannot drift apart."""
    import re

    measure = re.compile(
        r"(\d+(?:\.\d+)?) B-cun (above|below|superior to|inferior to|lateral to) (?:the )?"
        r"([A-Z]{2}\d+|[A-Za-z ]+?)(?=[,.;(]|$| and| on| at| in| directly| \()"
    )
    checked, off = 0, []
    for p in catalog.points:
        site = (pos.sites(p.code) or [None])[0]
        for m in measure.finditer(" ".join(p.location.split())):
            dist, rel, what = float(m.group(1)), m.group(2), m.group(3).strip()
            if rel == "lateral to":
                if what not in ("anterior midline", "posterior midline"):
                    continue
                part = pos.parts[site.part]
                got = abs(site.u)
                if what == "posterior midline" and isinstance(part, body.Tube):
                    got = part.half_perimeter(site.y) - got
            else:
                name = TEXT_LANDMARKS.get(what, what if what in pos else None)
                if name is None:
                    continue
                where = pos.chart_of(name)
                if where[:2] == (site.part, site.chart):
                    got = abs(site.y - where[3])
                elif site.chart == "head" or where[1] == "head":
                    continue  # on two charts of the head a height is not a chart distance
                else:
                    got = abs(site.point[1] - pos.where(name).point[1])
            checked += 1
            if abs(got - dist) > 0.12:
                off.append(f"{p.code}: '{m.group(0)}' but drawn {got:.2f}")
    assert checked >= 190, checked
    assert not off, off


# The parts a point of each catalog region may be drawn on (the neck's top is under the jaw, its
# bottom inside the shoulders; the hip spans trunk and thigh; the ankle's hollows lie on the leg).
REGION_PARTS = {
    "head": {"head"},
    "face": {"head"},
    "neck": {"neck", "head", "trunk"},
    "chest": {"trunk"},
    "abdomen": {"trunk"},
    "back": {"trunk"},
    "upper-back": {"trunk"},
    "lower-back": {"trunk"},
    "perineum": {"trunk"},
    "axilla": {"trunk", "upper-arm"},
    "shoulder": {"trunk", "upper-arm"},
    "upper-arm": {"upper-arm"},
    "elbow": {"upper-arm", "forearm"},
    "forearm": {"forearm"},
    "wrist": {"forearm", "hand"},
    "hand": {"hand", "thumb"},
    "hip": {"trunk", "thigh"},
    "thigh": {"thigh", "trunk"},
    "knee": {"thigh", "leg"},
    "lower-leg": {"leg"},
    "ankle": {"leg", "foot"},
    "foot": {"foot"},
}


def test_each_point_is_drawn_in_its_region(pos, catalog):
    wrong = [
        f"{p.code} ({p.region}) on the {s.part}"
        for p in catalog.points
        for s in pos.sites(p.code)
        if s.part not in REGION_PARTS[p.region]
    ]
    assert not wrong, wrong


def test_leg_close_ups_follow_the_turn_out(pos):
    """The outer-leg camera looks at the front-outer face of the turned leg: ST36 (front) and
    GB34 (outer side) both face it squarely, on each leg."""
    for side in ("left", "right"):
        spec = next(p for p in chart.VIEWS["leg-outer"].panels if p.side == side)
        cam = chart._project_panel(pos, spec).camera
        for code in ("ST36", "GB34"):
            site = next(s for s in pos.sites(code) if s.side == side)
            assert cam.facing(site.normal) > 0.6, (code, side)


def test_every_point_shows_on_a_view_inside_its_part(pos, every_view):
    views, _ = every_view
    seen: dict[str, set[str]] = {}
    for name, view in views.items():
        for panel in view.panels:
            x0, y0, x1, y1 = panel.box
            outlines = {(o.part, o.side): o.points for o in panel.outlines}
            for mk in panel.marks:
                assert x0 - 1e-6 <= mk.x <= x1 + 1e-6 and y0 - 1e-6 <= mk.y <= y1 + 1e-6, (name, mk)
                key = (mk.part, None if pos.parts[mk.part].midline else mk.side)
                assert body.inside(outlines[key], mk.x, mk.y, margin=0.05), (name, mk)
                seen.setdefault(mk.code, set()).add(name)
    unseen = sorted(set(pos.placed) - set(seen))
    assert not unseen, f"placed but on no view: {unseen}"


def test_close_ups_show_one_side_each(every_view):
    views, _ = every_view
    for view in views.values():
        for panel in view.panels:
            if panel.side:
                assert {m.side for m in panel.marks} <= {panel.side}, view.name


def test_multi_site_points(pos, catalog):
    # Bafeng: four places between the toes of each foot
    bafeng = pos.sites("EX-LE10")
    assert len(bafeng) == 8 and {s.side for s in bafeng} == {"left", "right"}
    assert all(s.part == "foot" for s in bafeng)


# -- the loader's errors -----------------------------------------------------------------------
def _with(tmp_path, extra: str) -> str:
    """The shipped body and landmarks with these lines as the points section."""
    text = (ROOT / "data" / "positions.yaml").read_text(encoding="utf-8")
    head = text.split("\npoints:\n")[0]
    path = tmp_path / "positions.yaml"
    path.write_text(head + "\npoints:\n" + extra, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("  ST36: {at: ST53, down: 3}\n", "no landmark or point 'ST53'"),
        ("  ST36: {at: umbilicu}\n", "did you mean umbilicus?"),
        ("  ST36: {at: ST37}\n  ST37: {at: ST36}\n", "goes round in a circle"),
        ("  ST36: {at: umbilicus, sideways: 2}\n", "unknown key 'sideways'"),
        ("  ST36: {at: nipple, down: two}\n", "down: expected a number"),
        ("  ST36: {at: umbilicus, down: 30}\n", "lies off the trunk"),
        ("  ST36: {part: leggy, y: 3}\n", "no part 'leggy'"),
        ("  ST36: {at: umbilicus}\n", "a bilateral point placed on the midline"),
        ("  CV12: {at: nipple}\n", "a midline point placed 4.00 cun off the midline"),
        ("  ST36: {at: heel-back, part: foot, distal: 1, up: 1}\n", "up: that direction does not run along"),
        ("  ST36: {at: vertex, distal: 1}\n", "part head has no distal end"),
        ("  ST36: {at: vertex, line: tibia-crest}\n", "line tibia-crest is on the leg, not the head"),
        ("  XX99: {at: nipple}\n", "no such point in the catalog"),
        ("  ST36: {at: nipple}\n  ST36: {at: nipple}\n", "duplicate key 'ST36'"),
    ],
)
def test_position_problems_name_the_line(tmp_path, catalog, points, message):
    path = _with(tmp_path, points)
    with pytest.raises(CatalogError) as exc:
        positions.load_positions(path, bilateral={p.code: p.bilateral for p in catalog.points})
    assert any(message in p for p in exc.value.problems), exc.value.problems
    assert all(p.startswith("positions.yaml:") for p in exc.value.problems)
    assert all(p.split(":")[1].isdigit() and int(p.split(":")[1]) > 0 for p in exc.value.problems)


def test_positions_file_not_yaml_or_missing(tmp_path):
    bad = tmp_path / "positions.yaml"
    bad.write_text("points: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid YAML"):
        positions.load_positions(bad)
    with pytest.raises(CatalogError, match="no such file"):
        positions.load_positions(tmp_path / "nothing.yaml")
    bad.write_text("format: something-else/9\n", encoding="utf-8")
    with pytest.raises(CatalogError) as exc:
        positions.load_positions(bad)
    assert any("expected format: acupoints-positions/1" in p for p in exc.value.problems)


# -- the SVG -----------------------------------------------------------------------------------
def _svg(cli, tmp_path, *args):
    out = tmp_path / "chart.svg"
    code, stdout, err = cli("map", *args, "-o", str(out))
    assert code == 0, err
    return ET.parse(out).getroot(), err


def test_svg_one_group_per_point_with_its_sites(cli, tmp_path):
    root, err = _svg(cli, tmp_path, "ST36", "SP6", "GB34", "LI4")
    assert err == ""
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("pt-")}
    assert set(groups) == {"pt-ST36", "pt-SP6", "pt-GB34", "pt-LI4"}
    for code, g in groups.items():
        assert g.get("data-sites") == "2" and g.get("data-sides") == "left right"
        title = g.find(f"{SVG}title").text
        assert title.startswith(code[3:] + " ")
        circles = g.findall(f"{SVG}circle")
        assert circles and {c.get("data-side") for c in circles} == {"left", "right"}
        by_view: dict[str, list[str]] = {}
        for c in circles:
            by_view.setdefault(c.get("data-view"), []).append(c.get("data-side"))
        for view, sides in by_view.items():  # both sides, but the side view shows only the right
            assert sorted(sides) == (["right"] if view == "side" else ["left", "right"]), (code, view)
        labels = [t.text for t in g.findall(f"{SVG}text")]
        assert labels and set(labels) == {code[3:]}
    st36 = {c.get("data-view") for c in groups["pt-ST36"].findall(f"{SVG}circle")}
    assert {"front", "leg-outer"} <= st36
    li4 = {c.get("data-view") for c in groups["pt-LI4"].findall(f"{SVG}circle")}
    assert "hand-back" in li4 and "front" not in li4
    legend = [r.get("data-code") for r in root.iter(f"{SVG}g") if r.get("class") == "legend-row"]
    assert legend == ["ST36", "SP6", "GB34", "LI4"]
    assert "A reference, not medical advice" in ET.tostring(root, encoding="unicode")


def test_svg_markers_take_the_channel_colour(cli, tmp_path):
    from acupoints.map.palette import CHANNEL_COLOURS

    root, _ = _svg(cli, tmp_path, "ST36", "LI4")
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "point":
            fills = {c.get("fill") for c in g.findall(f"{SVG}circle")}
            assert fills == {CHANNEL_COLOURS[g.get("data-meridian")]}


def test_svg_multi_site_point(cli, tmp_path):
    root, _ = _svg(cli, tmp_path, "EX-LE10", "--view", "foot-top")
    g = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "pt-EX-LE10")
    assert g.get("data-sites") == "8"
    circles = g.findall(f"{SVG}circle")
    assert len(circles) == 8 and sorted({int(c.get("data-site")) for c in circles}) == [1, 2, 3, 4]


def test_svg_escapes_odd_text(pos, catalog):
    from acupoints.map.svg import to_svg

    p = catalog.point("ST36")
    odd = p._replace(english='Leg <Three> & "Miles"', location="below ST35 & <b>bold</b>")
    ch = chart.make_chart([(odd, None)], pos, ["front"])
    text = to_svg(ch, title='a <title> & "quotes"', notice="x < y")
    root = ET.fromstring(text)
    assert root.find(f"{SVG}title").text == 'a <title> & "quotes"'
    tip = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "pt-ST36").find(f"{SVG}title").text
    assert 'Leg <Three> & "Miles"' in tip and "<b>bold</b>" in tip


def test_svg_prescription_keeps_its_sides(cli, tmp_path):
    rx = tmp_path / "rx.yaml"
    code, _, err = cli("prescribe", "--condition", "CIPN", "--lymphoedema", "left-arm", "-o", str(rx))
    assert code == 0, err
    saved = yaml.safe_load(rx.read_text(encoding="utf-8"))
    one_sided = [p for p in saved["points"] if p["sides"] in ("left", "right")]
    assert one_sided, "the left-arm flag leaves some arm points on the right only"
    root, _ = _svg(cli, tmp_path, str(rx))
    groups = {g.get("data-code"): g for g in root.iter(f"{SVG}g") if g.get("class") == "point"}
    assert set(groups) == {p["code"] for p in saved["points"]}
    for p in one_sided:
        g = groups[p["code"]]
        assert g.get("data-sides") == p["sides"]
        assert {c.get("data-side") for c in g.findall(f"{SVG}circle")} == {p["sides"]}


# -- the command -------------------------------------------------------------------------------
def test_map_refuses_to_overwrite(cli, tmp_path):
    out = tmp_path / "chart.svg"
    assert cli("map", "ST36", "-o", str(out))[0] == 0
    before = out.read_bytes()
    code, _, err = cli("map", "LI4", "-o", str(out))
    assert code == 1 and err == f"acupoints: error: {out} exists; use --force to replace it\n"
    assert out.read_bytes() == before
    assert cli("map", "LI4", "-o", str(out), "--force")[0] == 0 and b"pt-LI4" in out.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["chart.svg"]  # no temporary file left behind


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["map"], "name points, or give --condition"),
        (["map", "ST63"], "no point 'ST63'; did you mean ST36?"),
        (["map", "ST36", "--view", "frnt"], "no view 'frnt'; did you mean front?"),
        (["map", "ST36", "-o", "chart.gif"], "write a .json, .png, .svg, .txt file, or give -f preview|svg|png|json"),
        (["map", "--condition", "XYZ"], "XYZ"),
        (["map", "missing-rx.yaml"], "missing-rx.yaml: no such file"),
    ],
)
def test_map_usage_errors(cli, tmp_path, args, message):
    os.chdir(tmp_path)
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.startswith("acupoints: error: ") and message in err and err.count("\n") == 1


def test_map_json(cli):
    code, out, err = cli("map", "ST36", "KI1", "-f", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["format"] == "acupoints-map/1"
    assert [p["code"] for p in data["points"]] == ["ST36", "KI1"]
    sole = next(v for v in data["views"] if v["name"] == "sole")
    assert {(m["code"], m["side"]) for pn in sole["panels"] for m in pn["marks"]} == {("KI1", "left"), ("KI1", "right")}


def test_map_preview_without_colour(cli):
    code, out, err = cli("map", "--condition", "CIPN", env={"NO_COLOR": "1"})
    assert code == 0 and err == ""
    assert "\x1b[" not in out and "▀" not in out
    assert "front" in out and "A  " in out and "Not drawn" not in out
    assert "A reference, not medical advice" in out
    legend = [line for line in out.splitlines() if line[:2].strip() and line[1:3] == "  " and line[0].isalnum()]
    assert len(legend) >= 5


def test_map_preview_fits_a_narrow_terminal(cli):
    code, out, _ = cli("map", "ST36", "LI4", "KI1", env={"COLUMNS": "40"})
    assert code == 0
    drawing = out.split("\nA ")[0]
    assert max(len(line) for line in drawing.splitlines()) <= 40


def test_map_preview_in_colour():
    from rich.console import Console

    from acupoints import load_catalog
    from acupoints.map.preview import map_preview

    cat = load_catalog()
    pos = positions.load_positions(bilateral={p.code: p.bilateral for p in cat.points})
    ch = chart.make_chart([(cat.point("ST36"), None)], pos, ["front"])
    con = Console(force_terminal=True, color_system="truecolor", width=80, record=True)
    con.print(map_preview(ch, width=80, colour=True))
    text = con.export_text(styles=True, clear=False)
    assert "▀" in text or "▄" in text
    assert "\x1b[" in text and "ST36" in con.export_text()


def test_map_serves_a_smaller_catalog_from_the_shipped_positions(cli, mini):
    code, out, err = cli("--catalog", str(mini), "map", "LI4", "ST36", "-f", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert [p["code"] for p in data["points"]] == ["LI4", "ST36"] and data["unplaced"] == []


def test_map_warns_about_points_without_a_position(cli, mini, tmp_path):
    text = (ROOT / "data" / "positions.yaml").read_text(encoding="utf-8")
    head = text.split("\npoints:\n")[0]
    (tmp_path / "positions.yaml").write_text(
        head.replace("  li11-on-upper-arm: {at: LI11, part: upper-arm}\n", "")
        + "\npoints:\n  ST36: {part: leg, y: 16, frac: 0.1}\n",
        encoding="utf-8",
    )
    code, out, err = cli("--catalog", str(mini), "map", "LI4", "ST36", "-f", "json")
    assert code == 0
    data = json.loads(out)  # the JSON holds the warning itself
    assert data["unplaced"] == ["LI4"] and data["warnings"] == ["no position yet for LI4: not drawn"]
    assert "warning" not in err
    code, out, err = cli("--catalog", str(mini), "map", "LI4")
    assert code == 0 and "Not drawn (no position yet): LI4" in out
    assert "acupoints: warning: no position yet for LI4: not drawn\n" in err


def test_map_bad_positions_file_is_a_data_error(cli, mini, tmp_path):
    (tmp_path / "positions.yaml").write_text("format: acupoints-positions/1\nbody: 3\n", encoding="utf-8")
    code, out, err = cli("--catalog", str(mini), "map", "ST36")
    assert code == 1 and out == ""
    assert err.startswith("acupoints: error: positions.yaml:") and err.count("\n") == 1
    code, out, err = cli("validate", str(mini))
    assert code == 1 and "positions.yaml:2: body: expected body: {parts: {...}}" in err
    assert err.rstrip().endswith("acupoints: error: 1 problem found")


def test_validate_counts_the_placed_points(cli, catalog):
    code, out, err = cli("validate")
    assert code == 0 and err == ""
    assert f"positions.yaml: valid: {len(catalog)} of the {len(catalog)} points placed" in out


def test_map_installed_command(tmp_path):
    result = subprocess.run(
        [acupoints_exe(), "map", "ST36", "SP6", "GB34", "LI4", "-o", "chart.svg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    root = ET.parse(tmp_path / "chart.svg").getroot()
    assert sum(1 for g in root.iter(f"{SVG}g") if g.get("class") == "point") == 4
    piped = subprocess.run(
        f"'{acupoints_exe()}' map --condition DPN | head -2", shell=True, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in piped.stderr and len(piped.stdout.splitlines()) == 2


# -- PNG (the optional extra) --------------------------------------------------------------------
def _decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of an 8-bit RGBA PNG: enough of the format for a test."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body_ = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body_[:10])
            assert (depth, colour_type) == (8, 6), "8-bit RGBA"
        elif kind == b"IDAT":
            idat += body_
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * 4, [], bytes(width * 4)
    for r in range(height):
        f, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 4] if i >= 4 else 0
            b_, c = prev[i], prev[i - 4] if i >= 4 else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b_) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b_) // 2) & 255
            elif f == 4:
                p_ = a + b_ - c
                pa, pb, pc = abs(p_ - a), abs(p_ - b_), abs(p_ - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b_ if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = bytes(line)
    return width, height, rows


def test_png_marks_each_point_in_its_channel_colour(cli, tmp_path):
    pytest.importorskip("resvg_py")
    from acupoints.map.palette import CHANNEL_COLOURS

    svg_path, png_path = tmp_path / "chart.svg", tmp_path / "chart.png"
    assert cli("map", "ST36", "SP6", "LI4", "-o", str(svg_path))[0] == 0
    code, _, err = cli("map", "ST36", "SP6", "LI4", "-o", str(png_path))
    assert code == 0, err
    width, height, rows = _decode_png(png_path.read_bytes())
    root = ET.parse(svg_path).getroot()
    assert (width, height) == (round(float(root.get("width"))), round(float(root.get("height"))))
    checked = 0
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "point":
            continue
        want = bytes.fromhex(CHANNEL_COLOURS[g.get("data-meridian")][1:])
        for c in g.findall(f"{SVG}circle"):
            x, y = round(float(c.get("cx"))), round(float(c.get("cy")))
            got = rows[y][4 * x : 4 * x + 3]
            assert all(abs(p - q) <= 8 for p, q in zip(got, want, strict=True)), (g.get("data-code"), got, want)
            checked += 1
    assert checked >= 10
    body_fill = bytes.fromhex("f4ece2")  # and the body is drawn around them
    assert any(body_fill in row for row in rows)


def test_png_without_the_extra_is_one_clear_line(cli, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "resvg_py", None)  # as if it were not installed
    code, out, err = cli("map", "ST36", "-o", str(tmp_path / "chart.png"))
    assert code == 1 and out == ""
    assert err == "acupoints: error: a PNG needs resvg-py: pip install 'acupoints[png]' (or write an SVG)\n"
    assert not (tmp_path / "chart.png").exists()


def test_png_is_not_written_to_a_terminal(cli, monkeypatch):
    from acupoints.output import formats

    monkeypatch.setattr(formats, "is_terminal", lambda stream=None: True)
    code, out, err = cli("map", "ST36", "-f", "png")
    assert code == 2 and "a PNG is binary: write it to a file with -o FILE.png" in err


def test_cached_positions_are_the_positions(tmp_path, monkeypatch, catalog):
    monkeypatch.setenv("ACUPOINTS_CACHE_DIR", str(tmp_path / "cache"))
    bilateral = {p.code: p.bilateral for p in catalog.points}
    fresh = positions.load_positions(bilateral=bilateral)
    assert len(list((tmp_path / "cache").glob("positions-*.marshal"))) == 1
    cached = positions.load_positions(bilateral=bilateral)
    assert cached.placed == fresh.placed
    assert all(cached.sites(c) == fresh.sites(c) for c in fresh.placed)
    assert all(cached.where(n) == fresh.where(n) for n in fresh.landmarks)
    assert cached.chart_of("ST36") == fresh.chart_of("ST36") and cached.guides == fresh.guides
    a = chart.make_chart([(catalog.point("KI1"), None)], fresh)
    b_ = chart.make_chart([(catalog.point("KI1"), None)], cached)
    assert chart.to_data(a) == chart.to_data(b_)
    # a changed file is read afresh, never served stale
    changed = tmp_path / "positions.yaml"
    changed.write_text(
        (ROOT / "data" / "positions.yaml")
        .read_text(encoding="utf-8")
        .replace("ST36: {between: [ST35, ST41], cun: 3}", "ST36: {between: [ST35, ST41], cun: 4}"),
        encoding="utf-8",
    )
    moved = positions.load_positions(changed, bilateral=bilateral)
    assert moved.chart_of("ST36")[3] == pytest.approx(fresh.chart_of("ST36")[3] - 1, abs=0.01)


def test_a_draft_of_positions_is_checked_over_the_shipped_file(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "tools"))
    from draft_positions import check_files

    draft = tmp_path / "draft.yaml"
    draft.write_text("points:\n  ST36: {at: ST35}\n", encoding="utf-8")
    assert check_files([str(draft)]) == 1
    assert f"{draft}:2: ST36: already defined (in points)" in capsys.readouterr().out
    shipped = (ROOT / "data" / "positions.yaml").read_text(encoding="utf-8")
    draft.write_text("points:\n  XX1: {at: nipple}\n", encoding="utf-8")
    assert check_files([str(draft)]) == 1
    assert f"{draft}:2: XX1: no such point in the catalog" in capsys.readouterr().out
    assert (ROOT / "data" / "positions.yaml").read_text(encoding="utf-8") == shipped  # only read


def test_the_python_api_draws_a_chart(catalog):
    from acupoints.map.svg import to_svg

    pos = catalog.positions()
    assert pos is catalog.positions()  # read once
    ch = chart.make_chart([(catalog.get("ST36"), None), (catalog.get("LI4"), {"left"})], pos)
    assert [(e.code, e.sides) for e in ch.entries] == [("ST36", ("left", "right")), ("LI4", ("left",))]
    root = ET.fromstring(to_svg(ch, title="t", notice="n"))
    li4 = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "pt-LI4")
    assert {c.get("data-side") for c in li4.findall(f"{SVG}circle")} == {"left"}


# -- the drawn landmarks -------------------------------------------------------------------------
NAMED_LANDMARKS = {
    "patella", "tibial-crest", "fibula-head", "medial-malleolus", "lateral-malleolus", "calcaneal-tendon",
    "navel", "nipple", "clavicle", "sternum", "xiphoid", "costal-margin", "scapula-spine",
    "scapula-inferior-angle", "spinous-C7", "spinous-T3", "spinous-T7", "spinous-L2", "spinous-L4",
    "spinous-S1", "iliac-crest", "greater-trochanter", "cubital-crease", "popliteal-crease", "wrist-crease",
    "dorsal-wrist-crease", "thumb", "index-finger", "middle-finger", "ring-finger", "little-finger",
    "metacarpal-1", "metacarpal-2", "metacarpal-3", "metacarpal-4", "metacarpal-5", "big-toe", "toe-2",
    "toe-3", "toe-4", "toe-5", "metatarsal-1", "metatarsal-2", "metatarsal-3", "metatarsal-4",
    "metatarsal-5", "eye", "brow", "nose", "mouth", "ear", "anterior-hairline", "posterior-hairline",
    "mastoid-process", "external-occipital-protuberance", "jaw",
}  # fmt: skip


def _sketch(view, name, side=None, panel=None):
    for i, pn in enumerate(view.panels):
        if panel is not None and i != panel:
            continue
        for sk in pn.landmarks:
            if sk.id == name and (side is None or sk.side == side):
                return pn, sk
    raise AssertionError(f"{name} not drawn on {view.name}")


def test_every_named_landmark_is_drawn_as_its_own_group(pos, catalog):
    from acupoints.map.svg import to_svg

    ch = chart.make_chart([(catalog.get("ST36"), None)], pos, views=list(chart.VIEW_NAMES))
    root = ET.fromstring(to_svg(ch, title="t", notice="n"))
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("class") == "landmark"}
    assert NAMED_LANDMARKS <= {i.removeprefix("lm-") for i in groups}
    for gid, g in groups.items():
        assert gid.startswith("lm-") and g.find(f"{SVG}title").text  # named, for a tooltip
        assert len(g) > 1  # and drawn
    ids = [g.get("id") for g in root.iter() if g.get("id")]
    assert len(ids) == len(set(ids))
    # under the points: every landmark group comes before the points
    order = [g.get("id") for g in root.iter(f"{SVG}g") if g.get("id") in ("landmarks", "points")]
    assert order == ["landmarks", "points"]


def test_ki1_lies_between_the_2nd_and_3rd_toes_a_third_of_the_way_to_the_heel(pos):
    view = chart.project_view(pos, "sole", pos.sites("KI1"))
    for i, pn in enumerate(view.panels):
        mk = next(m for m in pn.marks if m.code == "KI1")
        toe2 = _sketch(view, "toe-2", pn.side, i)[1].segments[0][0][0]
        toe3 = _sketch(view, "toe-3", pn.side, i)[1].segments[0][0][0]
        assert min(toe2, toe3) < mk.x < max(toe2, toe3)
        assert abs(mk.x - (toe2 + toe3) / 2) < 0.25 * abs(toe3 - toe2) + 0.05
    foot = pos.parts["foot"]
    web, heel, ki1 = (foot.locate("foot", pos.where(n).point)[1] for n in ("sole-web-2-3", "heel-back", "KI1"))
    assert (web - ki1) / (web - heel) == pytest.approx(1 / 3, abs=0.01)


def test_st36_a_finger_breadth_lateral_to_the_tibial_crest_on_the_front(pos):
    view = chart.project_view(pos, "front", pos.sites("ST36"))
    (pn,) = view.panels
    for mk in pn.marks:
        sign = 1 if mk.side == "left" else -1
        _, crest = _sketch(view, "tibial-crest", mk.side)
        line = crest.segments[0]
        near = min(line, key=lambda p: abs(p[1] - mk.y))
        assert abs(near[1] - mk.y) < 0.3
        assert 0.4 <= sign * (mk.x - near[0]) <= 1.2  # lateral of the crest, by about a finger
        leg = next(o for o in pn.outlines if o.part == "leg" and o.side == mk.side)
        edge = max(sign * x for x, y in leg.points if abs(y - mk.y) < 1.5)
        assert edge - sign * mk.x > 0.7  # well inside the outer edge of the shin


def test_face_features_where_the_head_points_expect_them(pos):
    codes = ("EX-HN3", "ST6", "BL2", "TE23")
    view = chart.project_view(pos, "head", [s for c in codes for s in pos.sites(c)])
    front, side = view.panels[0], view.panels[1]
    yintang = next(m for m in front.marks if m.code == "EX-HN3")
    brows = [sk for sk in front.landmarks if sk.id == "brow"]
    assert {sk.side for sk in brows} == {"left", "right"}
    for sk in brows:  # Yintang between the brows, at their height
        xs = [x for x, _ in sk.segments[0]]
        ys = [y for _, y in sk.segments[0]]
        assert (min(xs) > yintang.x) == (sk.side == "left") and min(ys) - 0.4 < yintang.y < max(ys) + 0.4
    # ST6 on the face in the side view: above the jaw line, in front of the jaw's angle
    st6 = next(m for m in side.marks if m.code == "ST6")
    _, jaw = _sketch(view, "jaw", None, 1)
    pts = [p for seg in jaw.segments for p in seg]
    angle = min(pts, key=lambda p: p[0])
    assert st6.x > angle[0]
    below = [p for p in pts if abs(p[0] - st6.x) < 0.4 and p[1] <= angle[1] + 0.05]  # the lower border
    assert below and all(st6.y > y + 0.3 for _, y in below)
    behind = [p for p in pts if abs(p[1] - st6.y) < 0.2 and p[0] < 2.0]  # the back border of the ramus
    assert behind and all(st6.x > x + 0.2 for x, _ in behind)
    ear = [p for seg in _sketch(view, "ear", "right", 1)[1].segments for p in seg]
    assert st6.y < min(y for _, y in ear)  # below the ear
