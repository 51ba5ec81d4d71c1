"""`acupoints map` SVG: no label covers another label, another marker or a title, or leaves the page.

The SVG is parsed back and measured with the text-box estimate the layout itself uses
(`acupoints.map.svg.label_box`): a label of n characters at font size s is taken to be
CHAR_W * s * n px wide and s px tall, ASCENT * s of it above the baseline, placed by its
text-anchor. Markers are their circles' squares; titles are every other text outside the legend.
Two boxes overlap when they share more than 0.05 px each way (coordinates are written to 0.1 px).

Before the label layout was rewritten (issue 14) the same measure found, for example, 37
label-label and 24 label-marker overlaps on `--meridian BL`, and 589 label-label, 452
label-marker, 15 label-title and 2 label-edge on the whole catalog; now all are zero.
"""

import xml.etree.ElementTree as ET

import pytest

from acupoints.map.svg import label_box

SVG = "{http://www.w3.org/2000/svg}"
EPS = 0.05
CHANNELS = ("LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR", "GV", "CV")


def _box(t: ET.Element) -> tuple[float, float, float, float]:
    return label_box(
        float(t.get("x")), float(t.get("y")), float(t.get("font-size")), t.get("text-anchor", "start"), t.text or ""
    )


def _over(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > EPS and min(a[3], b[3]) - max(a[1], b[1]) > EPS


def measure(root: ET.Element) -> dict[str, int]:
    """Overlap counts of a chart: label-label, label-marker, label-title and label-edge."""
    width, height = float(root.get("width")), float(root.get("height"))
    legend = {id(e) for g in root.iter(f"{SVG}g") if g.get("id") == "legend" for e in g.iter()}
    texts = [t for t in root.iter(f"{SVG}text") if id(t) not in legend]
    labels = [_box(t) for t in texts if t.get("class") == "label"]
    titles = [_box(t) for t in texts if t.get("class") != "label"]
    markers = []
    for c in root.iter(f"{SVG}circle"):
        if c.get("class") == "site":
            x, y, r = float(c.get("cx")), float(c.get("cy")), float(c.get("r"))
            markers.append((x - r, y - r, x + r, y + r))
    return {
        "label-label": sum(_over(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :]),
        "label-marker": sum(_over(a, m) for a in labels for m in markers),
        "label-title": sum(_over(a, t) for a in labels for t in titles),
        "label-edge": sum(a[0] < 0 or a[1] < 0 or a[2] > width or a[3] > height for a in labels),
    }


def _chart(cli, tmp_path, *args) -> ET.Element:
    out = tmp_path / "chart.svg"
    code, _, err = cli("map", *args, "-o", str(out), "--force")
    assert code == 0, err
    return ET.parse(out).getroot()


CHARTS = [
    *(("--meridian", m) for m in (*CHANNELS, "EX")),
    *(("--condition", c) for c in ("DPN", "CIPN", "PHN")),
    ("--meridian", "BL", "--view", "back"),
    ("--meridian", "GB", "--view", "head"),
    ("--all",),
]


@pytest.mark.parametrize("args", CHARTS, ids=" ".join)
def test_no_label_overlaps_anything(cli, tmp_path, args):
    root = _chart(cli, tmp_path, *args)
    assert measure(root) == {"label-label": 0, "label-marker": 0, "label-title": 0, "label-edge": 0}
    # every point is named on every panel that shows it: beside a marker, or by a leader from one
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "point":
            continue
        views = {c.get("data-view") for c in g.findall(f"{SVG}circle")}
        named = {t.get("data-view") for t in g.findall(f"{SVG}text") if t.get("class") == "label"}
        assert views == named, g.get("data-code")
        dots = [(float(c.get("cx")), float(c.get("cy"))) for c in g.findall(f"{SVG}circle")]
        for line in g.findall(f"{SVG}line"):
            assert line.get("class") == "leader"
            start = (float(line.get("x1")), float(line.get("y1")))
            assert min(abs(start[0] - x) + abs(start[1] - y) for x, y in dots) < 0.2, g.get("data-code")


def test_the_measure_sees_an_overlap():
    """The measure itself: two labels on one spot, a label on a marker and one past the edge."""
    root = ET.fromstring(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        '<text class="view-title" x="0" y="12" font-size="12">Front</text>'
        '<text class="label" x="10" y="50" font-size="9">ST36</text>'
        '<text class="label" x="12" y="52" font-size="9">ST37</text>'
        '<circle class="site" cx="14" cy="47" r="4"/>'
        '<text class="label" x="90" y="90" font-size="9">ST38</text>'
        '<text class="label" x="2" y="14" font-size="9">ST39</text>'
        "</svg>"
    )
    assert measure(root) == {"label-label": 1, "label-marker": 2, "label-title": 1, "label-edge": 1}


def test_the_layout_is_deterministic(cli, tmp_path):
    first = ET.tostring(_chart(cli, tmp_path, "--condition", "CIPN"))
    assert ET.tostring(_chart(cli, tmp_path, "--condition", "CIPN")) == first


def _channels(root: ET.Element) -> list[ET.Element]:
    return [p for p in root.iter(f"{SVG}path") if p.get("class") == "channel"]


def test_meridian_draws_its_channel_under_the_markers(cli, tmp_path):
    from acupoints.map.palette import colour

    root = _chart(cli, tmp_path, "--meridian", "ST")
    paths = _channels(root)
    assert paths and {p.get("data-channel") for p in paths} == {"ST"}
    assert all(p.get("stroke") == colour("ST") for p in paths)
    front = [p for p in paths if p.get("data-view") == "front"]
    assert {p.get("data-side") for p in front} == {"left", "right"}
    # drawn with the views, before the points group, so under every marker
    order = [e for e in root if e.tag == f"{SVG}g"]
    points = next(i for i, e in enumerate(order) if e.get("id") == "points")
    assert all(any(p in list(v.iter()) for v in order[:points]) for p in paths)


def test_channel_lines_follow_who_order_and_break_where_they_jump():
    from acupoints import load_catalog
    from acupoints.map.chart import make_chart
    from acupoints.map.report import channel_lines

    cat = load_catalog()
    lines = channel_lines(cat, ["BL", "EX"])
    assert [m for m, _ in lines] == ["BL"]  # the extra points are no channel
    assert lines[0][1][:3] == ["BL1", "BL2", "BL3"] and len(lines[0][1]) == 67
    ch = make_chart([(cat.point("BL40"), None)], cat.positions(), ["back"], lines)
    runs = [c.codes for pn in ch.views[0].panels for c in pn.channels if c.side == "left"]
    assert any("BL40" in r for r in runs)
    assert not any("BL40" in r and "BL41" in r for r in runs)  # no line from the knee up to the back


def test_channels_flag_draws_the_charted_points_channels(cli, tmp_path):
    assert not _channels(_chart(cli, tmp_path, "ST36", "SP6"))
    root = _chart(cli, tmp_path, "ST36", "SP6", "--channels")
    assert {p.get("data-channel") for p in _channels(root)} == {"ST", "SP"}


def test_all_charts_the_whole_catalog(cli, tmp_path, catalog):
    root = _chart(cli, tmp_path, "--all", "--view", "front")
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "point"]
    assert len(groups) == len(catalog.points) == 409


def test_a_single_view_fills_the_page(cli, tmp_path):
    root = _chart(cli, tmp_path, "--meridian", "BL", "--view", "back")
    xs = [float(v) for p in root.iter(f"{SVG}polygon") for xy in p.get("points").split() for v in xy.split(",")[:1]]
    assert max(xs) - min(xs) > 0.5 * float(root.get("width"))


def test_a_close_up_fits_nine_labels_in_a_row(cli, tmp_path):
    from acupoints.map.svg import CHAR_W, PAD, ROW_FIT

    root = _chart(cli, tmp_path, "--meridian", "LR", "--view", "foot-top")
    xs = sorted(float(xy.split(",")[0]) for p in root.iter(f"{SVG}polygon") for xy in p.get("points").split())
    gap = max(range(1, len(xs)), key=lambda i: xs[i] - xs[i - 1])  # between the two feet
    narrowest = min(xs[gap - 1] - xs[0], xs[-1] - xs[gap])
    assert narrowest + 2 * PAD >= ROW_FIT * CHAR_W * 10 * 4
