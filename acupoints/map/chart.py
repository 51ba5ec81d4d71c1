"""A chart of chosen points: which views show them, where, and the body outlines behind them.

The domain half of `acupoints map`: it projects the schematic body (body.py) and the resolved
sites (positions.py) through each view's cameras and keeps what is seen. Coordinates stay in
cun on the screen plane (x right, y up); the SVG and terminal renderers scale them. No drawing
and no printing here.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from . import body as b
from .positions import Positions, Site

ELEVATION = 12.0  # the overviews look down a little, so the top of the foot shows from the front
FACING = 0.25  # how squarely a site must face the camera to be drawn (cosine of the angle)
JUMP = 12.0  # a channel line breaks between points this many cun apart on a view (BL40 to BL41)


class PanelSpec(NamedTuple):
    side: str | None  # the limb side this panel shows; None for the whole body
    forward: b.Vec  # camera direction, for the left side (mirrored for a right panel)
    up: b.Vec
    parts: tuple[tuple[str, str | None], ...]  # (part, side or None for both / midline)
    clip: dict[str, tuple[float, float]]  # part -> chart y range shown
    frame: str | None = None  # a part whose turn the camera follows (the turned-out leg)


class ViewSpec(NamedTuple):
    name: str
    title: str
    overview: bool
    panels: tuple[PanelSpec, ...]


def _dir(deg_az: float, elev: float = 0.0) -> b.Vec:
    """Camera direction looking at the body from azimuth deg_az (0: from the front)."""
    a, e = math.radians(deg_az), math.radians(elev)
    return (-math.sin(a) * math.cos(e), -math.sin(e), -math.cos(a) * math.cos(e))


_LIMBS = ("upper-arm", "forearm", "hand", "thumb", "thigh", "leg", "foot")
_ALL = (("head", None), ("neck", None), ("trunk", None), *((p, None) for p in _LIMBS))


def _pair(
    forward: b.Vec,
    up: b.Vec,
    parts: Sequence[str],
    clip: dict[str, tuple[float, float]],
    order: tuple[str, str] = ("right", "left"),
) -> tuple[PanelSpec, ...]:
    """A close-up of both limbs, in the order the camera sees them (the right limb on the left
    of the picture when the camera faces the patient, on the right when it looks from behind).
    Cameras on the leg and foot follow the leg's turn-out."""
    frame = "leg" if "leg" in parts or "foot" in parts else None
    return tuple(PanelSpec(side, forward, up, tuple((p, side) for p in parts), clip, frame) for side in order)


VIEWS: dict[str, ViewSpec] = {
    v.name: v
    for v in (
        ViewSpec("front", "Front", True, (PanelSpec(None, _dir(0, ELEVATION), (0, 1, 0), _ALL, {}),)),
        ViewSpec("back", "Back", True, (PanelSpec(None, _dir(180, ELEVATION), (0, 1, 0), _ALL, {}),)),
        ViewSpec(
            "side",
            "Right side",
            True,
            (
                PanelSpec(
                    None,
                    (1.0, -math.sin(math.radians(ELEVATION)), 0.0),
                    (0, 1, 0),
                    (
                        ("head", None),
                        ("neck", None),
                        ("trunk", None),
                        ("thigh", "right"),
                        ("leg", "right"),
                        ("foot", "right"),
                    ),
                    {},
                ),
            ),
        ),
        ViewSpec(
            "head",
            "Head: front, right side, back",
            False,
            tuple(
                PanelSpec(
                    None, fwd, (0, 1, 0), (("head", None), ("neck", None), ("trunk", None)), {"trunk": (60.4, 61.6)}
                )
                for fwd in ((0.0, -0.2, -1.0), (1.0, -0.2, 0.0), (0.0, -0.2, 1.0))
            ),
        ),
        ViewSpec(
            "hand-back",
            "Backs of the hands",
            False,
            _pair((0, 0, 1), (0, 1, 0), ("forearm", "hand", "thumb"), {"forearm": (34.0, 40.0)}, ("left", "right")),
        ),
        ViewSpec(
            "palm",
            "Palms and forearms",
            False,
            _pair((0, 0, -1), (0, 1, 0), ("upper-arm", "forearm", "hand", "thumb"), {"upper-arm": (45.5, 50.0)}),
        ),
        ViewSpec(
            "leg-outer",
            "Legs, front and outer side",
            False,
            _pair(
                b.mul(b.norm((1, 0, 1)), -1),
                (0, 1, 0),
                ("thigh", "leg", "foot"),
                {"thigh": (19.0, 26.0)},
            ),
        ),
        ViewSpec(
            "leg-inner",
            "Legs, inner side",
            False,
            _pair((1, 0, 0), (0, 1, 0), ("thigh", "leg", "foot"), {"thigh": (19.0, 26.0)}),
        ),
        ViewSpec(
            "foot-top",
            "Tops of the feet",
            False,
            _pair((0, -1, 0), (0, 0, 1), ("leg", "foot"), {"leg": (1.6, 5.0)}, ("left", "right")),
        ),
        ViewSpec("sole", "Soles", False, _pair((0, 1, 0), (0, 0, 1), ("foot",), {})),
    )
}
VIEW_NAMES = tuple(VIEWS)


def check_views(names: Iterable[str]) -> None:
    """UsageError for a view name that is not one of VIEW_NAMES, with the nearest one."""
    for v in names:
        if v not in VIEWS:
            import difflib

            from acupoints.errors import UsageError

            close = difflib.get_close_matches(v, VIEW_NAMES, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise UsageError(f"no view {v!r}{hint} (views: {', '.join(VIEW_NAMES)})")


class Mark(NamedTuple):
    code: str
    index: int  # type: ignore[assignment]  # which of the point's sites (1-based); shadows tuple.index
    side: str
    part: str
    x: float
    y: float


class Outline(NamedTuple):
    part: str
    side: str | None
    points: tuple[tuple[float, float], ...]
    depth: float


class Sketch(NamedTuple):
    """A landmark as the view sees it: runs of screen points where it faces the camera."""

    id: str
    title: str
    kind: str  # dot, line, ring or digit (see landmarks.py)
    side: str | None  # left, right, or None for a shape drawn once on the midline
    label: str
    segments: tuple[tuple[tuple[float, float], ...], ...]


class Panel(NamedTuple):
    side: str | None
    outlines: tuple[Outline, ...]
    guides: tuple[tuple[tuple[float, float], ...], ...]
    marks: tuple[Mark, ...]
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in screen cun
    landmarks: tuple[Sketch, ...] = ()  # drawn under the points, light
    channels: tuple[ChannelPath, ...] = ()  # channel lines through this panel, drawn under the marks


class ChannelPath(NamedTuple):
    """A run of a channel's points in WHO order, all seen on one panel and one side."""

    channel: str  # the meridian code, e.g. "ST"
    side: str  # left, right or midline
    codes: tuple[str, ...]
    points: tuple[tuple[float, float], ...]  # screen cun, as the marks


class View(NamedTuple):
    name: str
    title: str
    overview: bool
    panels: tuple[Panel, ...]


class Entry(NamedTuple):
    """A chosen point in the legend."""

    code: str
    meridian: str
    pinyin: str
    hanzi: str
    english: str
    location: str
    sides: tuple[str, ...]
    sites: int  # how many places on the body, counting both sides
    views: tuple[str, ...]  # the views that show it

    def shown(self) -> str:
        """Where it is drawn, for a legend: "front, leg-outer", with " [left only]" if one-sided."""
        views = ", ".join(self.views) or "not in these views"
        one_sided = self.sides not in (("left", "right"), ("midline",))
        return views + (f" [{'/'.join(self.sides)} only]" if one_sided else "")


class Chart(NamedTuple):
    """A chart, immutable all the way down (tuples of NamedTuples), as a result holds it."""

    views: tuple[View, ...]
    entries: tuple[Entry, ...]
    unplaced: tuple[str, ...]  # chosen points with no position yet
    unseen: tuple[str, ...]  # placed, but shown by none of the chosen views


def _panel_parts(positions: Positions, spec: PanelSpec) -> list[tuple[str, str | None]]:
    """(part, side) pairs a panel draws: a midline part once, a limb on each side asked for."""
    out: list[tuple[str, str | None]] = []
    for part, side in spec.parts:
        if part not in positions.parts:
            continue
        if positions.parts[part].midline:
            out.append((part, None))
        elif side is None:
            out += [(part, "left"), (part, "right")]
        else:
            out.append((part, side))
    return out


class _Projected(NamedTuple):
    camera: b.Camera
    parts: dict[tuple[str, str | None], tuple[list[tuple[float, float, float]], list[tuple[float, float]]]]


# The same part recurs in several views: its surface points are worked out once. The part is
# kept in the value so that its id cannot be reused by another part while the entry lives.
_SAMPLES: dict[tuple[int, str | None, tuple[float, float] | None], tuple[b.Part, list[b.Vec]]] = {}


def _samples(positions: Positions, part: str, side: str | None, clip: tuple[float, float] | None) -> list[b.Vec]:
    """Points over a part's surface, for its outline."""
    obj = positions.parts[part]
    key = (id(obj), side, clip)
    if key not in _SAMPLES:
        pts = obj.samples(clip)
        _SAMPLES[key] = (obj, [b.mirror(p) for p in pts] if side == "right" else pts)
    return _SAMPLES[key][1]


def _project_panel(positions: Positions, spec: PanelSpec) -> _Projected:
    fwd, up = spec.forward, spec.up
    frame = positions.parts.get(spec.frame or "")
    if isinstance(frame, b.Tube):
        fwd, up = b.turn(fwd, frame.turn), b.turn(up, frame.turn)
    if spec.side == "right":
        fwd, up = b.mirror(fwd), b.mirror(up)
    cam = b.Camera.looking(fwd, up)
    parts = {}
    for part, side in _panel_parts(positions, spec):
        proj = [cam.project(p) for p in _samples(positions, part, side, spec.clip.get(part))]
        parts[(part, side)] = (proj, b.hull([(x, y) for x, y, _ in proj]))
    return _Projected(cam, parts)


def _site_key(site: Site, positions: Positions) -> tuple[str, str | None]:
    if positions.parts[site.part].midline:
        return (site.part, None)
    return (site.part, site.side)


def _visible(site: Site, key: tuple[str, str | None], spec: PanelSpec, pr: _Projected) -> tuple[float, float] | None:
    clip = spec.clip.get(site.part)
    if clip and not clip[0] - 0.01 <= site.y <= clip[1] + 0.01:
        return None
    return _seen(site.point, site.normal, key, pr, FACING)


def _seen(
    point: b.Vec, normal: b.Vec, key: tuple[str, str | None], pr: _Projected, facing: float
) -> tuple[float, float] | None:
    """Screen place of a surface point of part `key`, or None if it faces away or lies hidden."""
    if key not in pr.parts:
        return None
    if pr.camera.facing(normal) < facing:
        return None
    x, y, depth = pr.camera.project(point)
    for other, (proj, poly) in pr.parts.items():
        if other == key or not b.inside(poly, x, y, margin=-0.15):
            continue
        # hidden when another part has surface in front of the site at the same place
        if any(d < depth - 0.4 and abs(px - x) < 0.6 and abs(py - y) < 0.6 for px, py, d in proj):
            return None
    return x, y


def _guides(positions: Positions, spec: PanelSpec, pr: _Projected) -> list[list[tuple[float, float]]]:
    """The file's guide lines (the gaps between fingers and toes), where they face the camera."""
    out = []
    for g in positions.guides:
        part = positions.parts[g.part]
        if not isinstance(part, b.Tube):
            continue
        for face in ("front", "back"):
            for key in pr.parts:
                if key[0] != g.part:
                    continue
                seg = []
                for i in range(6):
                    y = g.y0 + (g.y1 - g.y0) * i / 5
                    s = part.at(g.part, part.u_of_face(face, g.x, y), y)
                    p, n = (b.mirror(s.point), b.mirror(s.normal)) if key[1] == "right" else s
                    if pr.camera.facing(n) < FACING:
                        break
                    sx, sy, _ = pr.camera.project(p)
                    seg.append((sx, sy))
                if len(seg) > 1:
                    out.append(seg)
    return out


def _channel_paths(
    positions: Positions, spec: PanelSpec, pr: _Projected, channels: Sequence[tuple[str, Sequence[str]]]
) -> tuple[ChannelPath, ...]:
    """Each channel as lines through its points in the order given (WHO order), on each side,
    broken wherever a point is not placed or not seen on this panel, or the next point is more
    than JUMP cun away (where WHO's numbering turns back, as from BL40 up to BL41)."""
    out: list[ChannelPath] = []
    for channel, codes in channels:
        seen_runs: set[tuple[str, tuple[str, ...]]] = set()
        for side in ("left", "right"):
            run: list[tuple[str, tuple[float, float]]] = []
            runs: list[list[tuple[str, tuple[float, float]]]] = []
            for code in codes:
                site = next((s for s in positions.sites(code) if s.side in (side, "midline")), None)
                xy = _visible(site, _site_key(site, positions), spec, pr) if site else None
                if xy is None or (run and math.dist(run[-1][1], xy) > JUMP):
                    runs.append(run)
                    run = []
                if xy is not None:
                    run.append((code, xy))
            runs.append(run)
            for r in runs:
                run_codes = tuple(c for c, _ in r)
                midline = all(s.side == "midline" for c in run_codes for s in positions.sites(c)[:1])
                key = ("midline" if midline else side, run_codes)
                if len(r) < 2 or key in seen_runs:
                    continue
                seen_runs.add(key)
                out.append(ChannelPath(channel, key[0], run_codes, tuple(xy for _, xy in r)))
    return tuple(out)


class _Body(NamedTuple):
    """What a panel draws whatever points are chosen: the projected parts, outlines, guides,
    landmarks and the box round them."""

    projected: _Projected
    outlines: tuple[Outline, ...]
    guides: tuple[tuple[tuple[float, float], ...], ...]
    sketches: tuple[Sketch, ...]
    box: tuple[float, float, float, float]


# A panel's body is the same on every chart drawn from the same positions, and projecting it is
# nine tenths of a chart's cost: worked out once per (positions, panel), so that many charts in
# one run (`acupoints site`: one a point) cost the marks alone. Held weakly: the bodies go with
# their positions.
_BODIES: weakref.WeakKeyDictionary[Positions, dict[int, tuple[PanelSpec, _Body]]] = weakref.WeakKeyDictionary()


def _body(positions: Positions, spec: PanelSpec) -> _Body:
    known = _BODIES.setdefault(positions, {})
    if id(spec) not in known:  # the spec is kept in the value, so its id is not reused meanwhile
        pr = _project_panel(positions, spec)
        outlines = [
            Outline(part, side, tuple(poly), sum(d for _, _, d in proj) / max(len(proj), 1))
            for (part, side), (proj, poly) in pr.parts.items()
            if len(poly) >= 3
        ]
        # far first: painter's order; the head last, since the jaw and the occiput overhang the neck
        outlines.sort(key=lambda o: (o.part == "head", -o.depth))
        xs = [x for o in outlines for x, _ in o.points] or [0.0]
        ys = [y for o in outlines for _, y in o.points] or [0.0]
        box = (min(xs), min(ys), max(xs), max(ys))
        guides = tuple(tuple(g) for g in _guides(positions, spec, pr))
        known[id(spec)] = (spec, _Body(pr, tuple(outlines), guides, _sketches(positions, spec, pr), box))
    return known[id(spec)][1]


def _panel(
    positions: Positions, spec: PanelSpec, sites: Sequence[Site], channels: Sequence[tuple[str, Sequence[str]]] = ()
) -> Panel:
    body = _body(positions, spec)
    pr = body.projected
    marks = []
    for site in sites:
        key = _site_key(site, positions)
        seen = _visible(site, key, spec, pr)
        if seen:
            marks.append(Mark(site.code, site.index, site.side, site.part, seen[0], seen[1]))
    return Panel(
        spec.side,
        body.outlines,
        body.guides,
        tuple(marks),
        body.box,
        body.sketches,
        _channel_paths(positions, spec, pr, channels),
    )


LANDMARK_FACING = 0.08  # a landmark line may run closer to the silhouette than a point


def _sketches(positions: Positions, spec: PanelSpec, pr: _Projected) -> tuple[Sketch, ...]:
    """The drawn landmarks (landmarks.py) where this panel sees them."""
    out = []
    for d, side, paths in _landmark_samples(positions):
        segments: list[list[tuple[float, float]]] = []
        for path in paths:
            run: list[tuple[float, float]] = []
            for part, key_side, y, point, normal in path:
                clip = spec.clip.get(part)
                seen = None
                if not clip or clip[0] - 0.01 <= y <= clip[1] + 0.01:
                    seen = _seen(point, normal, (part, key_side), pr, LANDMARK_FACING)
                if seen:
                    run.append(seen)
                elif run:
                    segments.append(run)
                    run = []
            if run:
                segments.append(run)
        if d.kind != "dot":
            segments = [r for r in segments if len(r) > 1]
        if segments:
            out.append(Sketch(d.id, d.title, d.kind, side, d.label, tuple(tuple(seg) for seg in segments)))
    return tuple(out)


_Sample = tuple[str, str | None, float, b.Vec, b.Vec]  # part, its side (None on the midline), chart y, point, normal
_LANDMARKS: dict[int, tuple[Positions, list[tuple[Any, str | None, list[list[_Sample]]]]]] = {}
STEP = 0.3  # cun between the samples of a landmark line


def _landmark_samples(positions: Positions) -> list[tuple[Any, str | None, list[list[_Sample]]]]:
    """Every drawn landmark's places on the body, sampled along its lines, once per positions."""
    key = id(positions)
    if key in _LANDMARKS:
        return _LANDMARKS[key][1]
    from .landmarks import DRAWN

    out: list[tuple[Any, str | None, list[list[_Sample]]]] = []
    for d in DRAWN:
        try:
            anchors = [[_anchor(positions, n) for n in path] for path in d.paths]
        except KeyError:
            continue  # a positions file without these landmarks: draw what it has
        for side in (None,) if d.midline else ("left", "right"):
            paths = []
            for path in anchors:
                closed = d.kind == "ring" and len(path) > 2
                pts: list[_Sample] = []
                seq = [*path, path[0]] if closed else path
                if len(seq) == 1:
                    pts.append(_sample(positions, seq[0][0], seq[0][1], side))
                last = len(seq) - 2
                for k, ((pa, a), (pb, c)) in enumerate(zip(seq, seq[1:], strict=False)):
                    n = max(1, math.ceil(math.dist(a, c) / STEP))
                    for i in range(n + (1 if k == last and not closed else 0)):
                        t = i / n
                        p = b.add(a, b.mul(b.sub(c, a), t))
                        pts.append(_sample(positions, pa if t < 0.5 else pb, p, side))
                paths.append(pts)
            out.append((d, side, paths))
    _LANDMARKS[key] = (positions, out)
    return out


def _anchor(positions: Positions, name: str) -> tuple[str, b.Vec]:
    """(part, left-side point) of a named place; `~name` is its right-side twin."""
    twin = name.startswith("~")
    part, _, _, _ = positions.chart_of(name.lstrip("~"))
    p = positions.where(name.lstrip("~")).point
    return part, b.mirror(p) if twin else p


def _sample(positions: Positions, part: str, p: b.Vec, side: str | None) -> _Sample:
    """The surface point of `part` nearest p (a left-side place), mirrored for the right side."""
    obj = positions.parts[part]
    q = p  # the left-side place: the parts are built for the left
    if isinstance(obj, b.Tube):
        u, y = obj.locate(obj.name, q)
        s = obj.at(obj.name, u, y)
    else:
        assert isinstance(obj, b.Head)
        rx, ry, rz = obj.radii
        r = b.sub(q, obj.centre)
        d = b.norm((r[0] / rx, r[1] / ry, r[2] / rz))
        s = b.Surface(b.add(obj.centre, (d[0] * rx, d[1] * ry, d[2] * rz)), b.norm((d[0] / rx, d[1] / ry, d[2] / rz)))
        y = 0.0
    point, normal = (b.mirror(s.point), b.mirror(s.normal)) if side == "right" else (s.point, s.normal)
    key_side = None if obj.midline else (side or "left")
    return part, key_side, y, point, normal


def project_view(
    positions: Positions, name: str, sites: Sequence[Site], channels: Sequence[tuple[str, Sequence[str]]] = ()
) -> View:
    """A view of the sites; `channels` are (meridian, its point codes in WHO order) to draw as lines."""
    spec = VIEWS[name]
    return View(spec.name, spec.title, spec.overview, tuple(_panel(positions, p, sites, channels) for p in spec.panels))


def choose_sites(positions: Positions, code: str, sides: Iterable[str] | None = None) -> list[Site]:
    """A point's sites, narrowed to the sides asked for (left, right; midline sites always stay)."""
    wanted = set(sides) if sides else None
    return [s for s in positions.sites(code) if wanted is None or s.side == "midline" or s.side in wanted]


def make_chart(
    points: Sequence[tuple[Any, Iterable[str] | None]],
    positions: Positions,
    views: Sequence[str] | None = None,
    channels: Sequence[tuple[str, Sequence[str]]] = (),
) -> Chart:
    """The chart of (point, sides) pairs: sides None for every side, or e.g. {'left'}; `channels`
    are (meridian, its point codes in WHO order) drawn as lines through those points.

    Without `views`, every overview and close-up that shows at least one chosen point (the
    front view when none does).
    """
    unplaced = [p.code for p, _ in points if p.code not in positions]
    chosen: list[tuple[Any, list[Site]]] = [
        (p, choose_sites(positions, p.code, sides)) for p, sides in points if p.code in positions
    ]
    sites = [s for _, ss in chosen for s in ss]
    names = list(views) if views else list(VIEW_NAMES)
    projected = [project_view(positions, n, sites, channels) for n in names]
    if not views:
        kept = [v for v in projected if any(pn.marks for pn in v.panels)]
        projected = kept or [v for v in projected if v.name == "front"]
    shown: dict[str, list[str]] = {}
    for v in projected:
        for pn in v.panels:
            for mk in pn.marks:
                if v.name not in shown.setdefault(mk.code, []):
                    shown[mk.code].append(v.name)
    entries = []
    for p, ss in chosen:
        sides = tuple(dict.fromkeys(s.side for s in ss))
        entries.append(
            Entry(
                p.code,
                p.meridian,
                p.pinyin,
                p.hanzi,
                p.english,
                p.location,
                sides,
                len(ss),
                tuple(shown.get(p.code, ())),
            )
        )
    unseen = tuple(e.code for e in entries if not e.views)
    return Chart(tuple(projected), tuple(entries), tuple(unplaced), unseen)


def to_data(chart: Chart) -> dict[str, Any]:
    """The chart as plain data (`map -f json`): every site's place on every view, in cun."""
    return {
        "format": "acupoints-map/1",
        "units": "cun on the view's plane: x to the right, y up",
        "points": [
            {
                "code": e.code,
                "meridian": e.meridian,
                "pinyin": e.pinyin,
                "english": e.english,
                "sides": list(e.sides),
                "sites": e.sites,
                "views": list(e.views),
            }
            for e in chart.entries
        ],
        "views": [
            {
                "name": v.name,
                "title": v.title,
                "panels": [
                    {
                        "side": pn.side,
                        "box": [round(x, 3) for x in pn.box],
                        "marks": [
                            {
                                "code": mk.code,
                                "site": mk.index,
                                "side": mk.side,
                                "part": mk.part,
                                "x": round(mk.x, 3),
                                "y": round(mk.y, 3),
                            }
                            for mk in pn.marks
                        ],
                    }
                    for pn in v.panels
                ],
            }
            for v in chart.views
        ],
        "unplaced": list(chart.unplaced),
    }
