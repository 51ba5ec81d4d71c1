"""The chart as an SVG document: views side by side, points coloured by channel, and a legend.

Each chosen point is one group, `<g id="pt-ST36" class="point">`, holding a `<title>` (name and
location, for a browser's tooltip and for screen readers), one `<circle class="site">` per place
on every view that shows it (`data-view`, `data-side`, `data-site`), and its code as a label.
Colour is never the only cue: every marker is labelled with its code and the legend lists them.
Only the standard library; text is escaped.
"""

from __future__ import annotations

from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from .chart import Chart, Mark, Panel, View
from .landmarks_svg import landmarks_svg
from .palette import colour

BODY_FILL = "#f4ece2"
BODY_STROKE = "#9c8f80"
PANEL_HEIGHT = {"overview": 470.0, "close": 250.0}  # the body's height in px on a chart of several views
GAP = 24.0
MARGIN = 20.0
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# The text-box estimate the label layout uses (and the tests measure with): a label of n
# characters at font size s is CHAR_W * s * n px wide and s px tall, from ASCENT * s above its
# baseline to (1 - ASCENT) * s below; text-anchor start/end/middle puts x at its left/right/centre.
# Codes are capital letters and digits in a bold sans-serif, which stay under 0.64 em a character.
CHAR_W = 0.64
ASCENT = 0.85

TITLE_H = 22.0  # the view title and the panel's side name sit above the body, in this many px
PAD = 14.0  # room around the body's outline for labels set next to their markers
COLUMN_GAP = 10.0  # from that room to a column of labels
SINGLE_MAX_H = 1100.0  # a single view is scaled up to fill the width, to at most this height
CLOSE_MAX_H = 600.0  # a close-up is scaled up until 9 labels fit across it, to at most this height
ROW_FIT = 9

Box = tuple[float, float, float, float]


def label_box(x: float, y: float, size: float, anchor: str, text: str) -> Box:
    """The box (x0, y0, x1, y1) a label is taken to fill: see CHAR_W and ASCENT."""
    w = CHAR_W * size * len(text)
    left = x if anchor == "start" else (x - w if anchor == "end" else x - w / 2)
    return (left, y - ASCENT * size, left + w, y + (1 - ASCENT) * size)


def _hits(a: Box, b: Box, pad: float = 0.0) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


class _Label(NamedTuple):
    code: str
    mark: Mark  # the marker it names
    x: float  # anchor point, px from the panel's body box (left, top)
    y: float  # baseline
    anchor: str
    leader: tuple[float, float, float, float] | None  # from the marker to the label, same px


class _PanelLayout(NamedTuple):
    """A panel's labels, in px from its body box at one scale, and the room they need."""

    scale: float
    width: float  # body box width in px
    height: float
    left: float  # px the panel reaches left of the body box (room and a label column)
    right: float  # px it reaches right of it
    bottom: float  # px it reaches below it (a long column)
    labels: list[_Label]
    overflow: float  # how many times taller the body would need to be for its columns to fit


def _radius(view: View) -> float:
    return 4.0 if view.overview else 5.0


def _size(view: View) -> float:
    return 9.0 if view.overview else 10.0


def _layout_panel(panel: Panel, scale: float, radius: float, size: float) -> _PanelLayout:
    """Labels for a panel: one per point, set next to one of its markers where that covers no
    other label or marker, else in a column left or right of the body with a leader line.
    Deterministic: the points are taken in a fixed order and the first free place wins."""
    bw, bh = (panel.box[2] - panel.box[0]) * scale, (panel.box[3] - panel.box[1]) * scale

    def px(mk: Mark) -> tuple[float, float]:
        return (mk.x - panel.box[0]) * scale, (panel.box[3] - mk.y) * scale

    where = {id(mk): px(mk) for mk in panel.marks}
    dots = [(*where[id(mk)], radius) for mk in panel.marks]
    dot_boxes = [(x - r - 1, y - r - 1, x + r + 1, y + r + 1) for x, y, r in dots]
    # the landmarks' own labels (the spinous levels: C7, T3 ...) are obstacles too; drawn as
    # landmarks_svg draws them, at 8 px (6 px on an overview) to the left of their dot
    small = 0.75 if size < 10 else 1.0
    for sk in panel.landmarks:
        if sk.kind == "dot" and sk.label:
            for seg in sk.segments:
                lx, ly = (seg[0][0] - panel.box[0]) * scale, (panel.box[3] - seg[0][1]) * scale
                dot_boxes.append(label_box(lx - 4, ly + 3, 8 * small, "end", sk.label))
    room = (-PAD, -PAD, bw + PAD, bh + PAD)
    by_code: dict[str, list[Mark]] = {}
    for mk in sorted(panel.marks, key=lambda m: (m.code, m.index, m.side)):
        by_code.setdefault(mk.code, []).append(mk)
    h = size
    pitch = size + 2.0

    def crowd(code: str) -> tuple[int, float, str]:
        x, y = where[id(by_code[code][0])]
        near = sum(1 for a, b_, _ in dots if abs(a - x) < 4 * size and abs(b_ - y) < 2 * size)
        return (near, y, code)

    placed: list[Box] = []
    labels: list[_Label] = []
    column: list[str] = []
    # beside the marker: right, left, above, below, then the corners
    spots = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))

    def beside(code: str, mk: Mark, level: bool = False) -> bool:
        """Set the label right next to the marker, if a place there is free (`level`: only
        left or right of it, where a label reads as its marker's in a grid of markers)."""
        cx, cy = where[id(mk)]
        d = radius + 1.5
        for dx, dy in spots[:2] if level else spots:
            ax = cx + dx * d
            anchor = "start" if dx > 0 else ("end" if dx < 0 else "middle")
            if dy == 0:
                base = cy + h * (ASCENT - 0.5)
            elif dy < 0:
                base = cy - d - h * (1 - ASCENT)
            else:
                base = cy + d + h * ASCENT
            box = label_box(ax, base, size, anchor, code)
            if box[0] < room[0] or box[1] < room[1] or box[2] > room[2] or box[3] > room[3]:
                continue
            if any(_hits(box, q, 2.0) for q in placed) or any(_hits(box, q) for q in dot_boxes):
                continue
            placed.append(box)
            labels.append(_Label(code, mk, ax, base, anchor, None))
            return True
        return False

    # each point once, beside one of its markers, the least crowded first; else in a column
    for code in sorted(by_code, key=crowd):
        if not any(beside(code, mk) for mk in by_code[code]):
            column.append(code)
    # the rest in columns: the side of the body its marker is on (whole-body panels balance
    # a two-sided point between the columns), in the order of the markers from top to bottom
    sides: dict[str, list[tuple[float, str, Mark]]] = {"left": [], "right": []}
    for code in sorted(column, key=lambda c: (min(where[id(m)][1] for m in by_code[c]), c)):
        options = []
        for mk in by_code[code]:
            x, y = where[id(mk)]
            side = "left" if x < bw / 2 else "right"
            options.append((len(sides[side]), abs(x - (0 if side == "left" else bw)), side, y, mk.index, mk))
        n, _, side, y, _, mk = min(options, key=lambda o: o[:5])
        sides[side].append((y, code, mk))
    top, bottom = -PAD, bh + PAD
    reach_l, reach_r, reach_b, overflow = PAD, PAD, PAD, 1.0
    for side, items in sides.items():
        if not items:
            continue
        items.sort(key=lambda t: (t[0], t[1]))
        need = len(items) * pitch
        overflow = max(overflow, need / (bottom - top))
        ys: list[float] = []
        for y, _, _ in items:  # label centres: near their markers, a pitch apart, inside the room
            ys.append(max(y, top + pitch / 2, ys[-1] + pitch if ys else -1e9))
        limit = max(bottom - pitch / 2, top + pitch / 2 + (len(items) - 1) * pitch)
        for i in range(len(ys) - 1, -1, -1):
            ys[i] = min(ys[i], limit if i == len(ys) - 1 else ys[i + 1] - pitch)
        widest = max(CHAR_W * size * len(c) for _, c, _ in items)
        edge = -PAD - COLUMN_GAP if side == "left" else bw + PAD + COLUMN_GAP
        anchor = "end" if side == "left" else "start"
        for (_, code, mk), yc in zip(items, ys, strict=True):
            cx, cy = where[id(mk)]
            base = yc + h * (ASCENT - 0.5)
            end = edge + (2 if side == "left" else -2)
            labels.append(_Label(code, mk, edge, base, anchor, (cx, cy, end, yc)))
        if side == "left":
            reach_l = PAD + COLUMN_GAP + widest
        else:
            reach_r = PAD + COLUMN_GAP + widest
        reach_b = max(reach_b, ys[-1] + pitch / 2 - bh)
    # then the point's other markers (the other side, more sites), wherever a place beside them is free
    named = {id(lb.mark) for lb in labels}
    for code in sorted(by_code, key=crowd):
        for mk in by_code[code]:
            if id(mk) not in named:
                beside(code, mk, level=True)
    return _PanelLayout(scale, bw, bh, reach_l, reach_r, reach_b, labels, overflow)


def _view_layouts(view: View, height: float) -> list[_PanelLayout]:
    """The view's panels with their labels, the body `height` px tall, taller if a column of
    labels needs it."""
    spans = [(p.box[2] - p.box[0], p.box[3] - p.box[1]) for p in view.panels]
    scale = min(height / max(h, 1e-6) for _, h in spans)
    for _ in range(6):
        lays = [_layout_panel(p, scale, _radius(view), _size(view)) for p in view.panels]
        grow = max(lay.overflow for lay in lays)
        if grow <= 1.0:
            break
        scale *= min(grow * 1.02, 3.0)
    return lays


def _close_up_height(view: View) -> float:
    """A close-up's body height: tall enough that ROW_FIT four-character labels fit across its
    narrowest panel, within CLOSE_MAX_H."""
    row = ROW_FIT * (CHAR_W * _size(view) * 4 + 3)
    need = min((row - 2 * PAD) / max(p.box[2] - p.box[0], 1e-6) * (p.box[3] - p.box[1]) for p in view.panels)
    return min(max(PANEL_HEIGHT["close"], need), max(CLOSE_MAX_H, PANEL_HEIGHT["close"]))


def _title_w(view: View) -> float:
    return CHAR_W * 12 * len(view.title)


SUBTITLE = "Schematic body; positions in WHO proportional cun. Each point is drawn on every view that shows it."


class _Layout:
    """Where each view's panels go on the page, how many px a cun is there, and the labels."""

    def __init__(self, chart: Chart, width: float) -> None:
        self.places: list[tuple[View, float, float, list[tuple[Panel, float, _PanelLayout]]]] = []
        views: list[tuple[View, list[_PanelLayout]]] = []
        for view in chart.views:
            height = PANEL_HEIGHT["overview"] if view.overview else _close_up_height(view)
            lays = _view_layouts(view, height)
            if len(chart.views) == 1:  # one view fills the width, up to a height
                for _ in range(4):
                    w = self._width(lays)
                    body_h = lays[0].height
                    target = min(body_h * (width - 2 * MARGIN) / max(w, 1.0), max(SINGLE_MAX_H, height))
                    if abs(target - body_h) < 2:
                        break
                    lays = _view_layouts(view, target)
                    if self._width(lays) > width - 2 * MARGIN and target > body_h:
                        lays = _view_layouts(view, body_h)
                        break
            for _ in range(4):  # a view wider than the page is drawn smaller
                w = self._width(lays)
                if w <= width - 2 * MARGIN:
                    break
                lays = _view_layouts(view, lays[0].height * (width - 2 * MARGIN) / w * 0.98)
            views.append((view, lays))
        x, y, row_h = MARGIN, MARGIN + 52, 0.0
        self.width = 0.0
        for view, lays in views:
            w_total = max(self._width(lays), _title_w(view))
            if x > MARGIN and x + w_total > width - MARGIN:
                x, y, row_h = MARGIN, y + row_h + 40, 0.0
            panels = []
            px = x
            for p, lay in zip(view.panels, lays, strict=True):
                panels.append((p, px + lay.left, lay))
                px += lay.left + lay.width + lay.right + GAP
            self.places.append((view, x, y, panels))
            self.width = max(self.width, x + w_total + MARGIN)
            x += w_total + GAP * 1.5
            row_h = max(row_h, TITLE_H + PAD + max(lay.height + lay.bottom for lay in lays))
        self.bottom = y + row_h + 10

    @staticmethod
    def _width(lays: list[_PanelLayout]) -> float:
        return sum(lay.left + lay.width + lay.right for lay in lays) + GAP * (len(lays) - 1)

    @staticmethod
    def to_px(panel: Panel, left: float, top: float, scale: float, x: float, y: float) -> tuple[float, float]:
        return left + (x - panel.box[0]) * scale, top + TITLE_H + PAD + (panel.box[3] - y) * scale


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def to_svg(chart: Chart, *, title: str, notice: str, width: float = 1000.0) -> str:
    lay = _Layout(chart, width)
    # as wide as the views, the legend and the lines of text need; no wider than asked unless a
    # view needs it
    legend_w = max(
        [CHAR_W * 18 * len(title)]
        + [574 + 0.6 * 11 * len(e.shown()) for e in chart.entries]
        + [0.6 * 11 * len(t) for t in (SUBTITLE, notice)]
    )
    width = max(lay.width, min(width, 2 * MARGIN + legend_w))
    out: list[str] = []
    legend_top = lay.bottom + 10
    rows = len(chart.entries) + (1 if chart.unplaced else 0)
    height = legend_top + 24 + 16 * rows + 56
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(width)}" height="{_f(height)}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" font-family={quoteattr(FONT)} role="img">'
    )
    out.append(f"<title>{escape(title)}</title>")
    out.append(f'<rect width="{_f(width)}" height="{_f(height)}" fill="#ffffff"/>')
    out.append(f'<text x="{_f(MARGIN)}" y="{_f(MARGIN + 14)}" font-size="18" font-weight="600">{escape(title)}</text>')
    out.append(f'<text x="{_f(MARGIN)}" y="{_f(MARGIN + 34)}" font-size="11" fill="#555">{SUBTITLE}</text>')
    # the views: body outlines, guides and channel lines
    for view, x, y, panels in lay.places:
        out.append(f'<g class="view" id="view-{escape(view.name)}" data-view={quoteattr(view.name)}>')
        out.append(
            f'<text class="view-title" x="{_f(x)}" y="{_f(y)}" font-size="12" font-weight="600">'
            f"{escape(view.title)}</text>"
        )
        for panel, left, pl in panels:
            scale = pl.scale
            if panel.side:
                side_x = left + pl.width / 2
                out.append(
                    f'<text class="panel-title" x="{_f(side_x)}" y="{_f(y + 16)}" font-size="10" fill="#666" '
                    f'text-anchor="middle">{panel.side}</text>'
                )
            for o in panel.outlines:
                pts = " ".join(f"{_f(a)},{_f(c)}" for a, c in (lay.to_px(panel, left, y, scale, *p) for p in o.points))
                out.append(
                    f'<polygon class="body" data-part={quoteattr(o.part)} points="{pts}" fill="{BODY_FILL}" '
                    f'stroke="{BODY_STROKE}" stroke-width="1" stroke-linejoin="round"/>'
                )
            for g in panel.guides:
                pts = " ".join(f"{_f(a)},{_f(c)}" for a, c in (lay.to_px(panel, left, y, scale, *p) for p in g))
                out.append(
                    f'<polyline class="guide" points="{pts}" fill="none" stroke="{BODY_STROKE}" stroke-width="0.8"/>'
                )
            for ch in panel.channels:
                d = " L ".join(f"{_f(a)} {_f(c)}" for a, c in (lay.to_px(panel, left, y, scale, *p) for p in ch.points))
                out.append(
                    f'<path class="channel" data-channel={quoteattr(ch.channel)} data-view={quoteattr(view.name)} '
                    f'data-side={quoteattr(ch.side)} d="M {d}" fill="none" stroke="{colour(ch.channel)}" '
                    'stroke-width="1.6" stroke-opacity="0.6" stroke-linejoin="round" stroke-linecap="round"/>'
                )
        out.append("</g>")
    out += landmarks_svg(lay)
    # the points: one group each, markers on every view, a label per point on each panel
    entries = {e.code: e for e in chart.entries}
    groups: dict[str, list[str]] = {e.code: [] for e in chart.entries}
    for view, _x, y, panels in lay.places:
        radius, size = _radius(view), _size(view)
        for panel, left, pl in panels:
            top = y + TITLE_H + PAD
            for mk in panel.marks:
                e = entries[mk.code]
                cx, cy = lay.to_px(panel, left, y, pl.scale, mk.x, mk.y)
                groups[mk.code].append(
                    f'<circle class="site" cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(radius)}" fill="{colour(e.meridian)}" '
                    f'stroke="#ffffff" stroke-width="1.2" data-view={quoteattr(view.name)} '
                    f'data-side={quoteattr(mk.side)} data-site="{mk.index}"/>'
                )
            for lb in pl.labels:
                c = colour(entries[lb.code].meridian)
                if lb.leader:
                    x1, y1, x2, y2 = lb.leader
                    groups[lb.code].append(
                        f'<line class="leader" x1="{_f(left + x1)}" y1="{_f(top + y1)}" x2="{_f(left + x2)}" '
                        f'y2="{_f(top + y2)}" stroke="{c}" stroke-width="0.6" stroke-opacity="0.8" '
                        f"data-view={quoteattr(view.name)}/>"
                    )
                groups[lb.code].append(
                    f'<text class="label" x="{_f(left + lb.x)}" y="{_f(top + lb.y)}" font-size="{_f(size)}" '
                    f'text-anchor="{lb.anchor}" fill="{c}" font-weight="600" paint-order="stroke" stroke="#ffffff" '
                    f'stroke-width="2.5" data-view={quoteattr(view.name)}>{escape(lb.code)}</text>'
                )
    out.append('<g id="points">')
    for e in chart.entries:
        tip = f"{e.code} {e.pinyin} {e.hanzi} ({e.english}): {' '.join(e.location.split())}"
        out.append(
            f'<g id={quoteattr("pt-" + e.code)} class="point" data-code={quoteattr(e.code)} '
            f'data-meridian={quoteattr(e.meridian)} data-sites="{e.sites}" data-sides={quoteattr(" ".join(e.sides))}>'
        )
        out.append(f"<title>{escape(tip)}</title>")
        out.extend(groups[e.code])
        out.append("</g>")
    out.append("</g>")
    # the legend
    out.append(f'<g id="legend" transform="translate({_f(MARGIN)},{_f(legend_top)})">')
    out.append('<text x="0" y="0" font-size="12" font-weight="600">Points</text>')
    cols = (0, 70, 190, 330, 560)
    heads = ("code", "pinyin", "characters / channel", "English name", "views")
    for cx, head in zip(cols, heads, strict=True):
        out.append(f'<text x="{cx + 14}" y="16" font-size="10" fill="#666">{head}</text>')
    for i, e in enumerate(chart.entries):
        ry = 32 + 16 * i
        cells = (e.code, e.pinyin, f"{e.hanzi}  {e.meridian}", e.english, e.shown())
        out.append(f'<g class="legend-row" data-code={quoteattr(e.code)}>')
        out.append(f'<circle cx="5" cy="{ry - 4}" r="4.5" fill="{colour(e.meridian)}"/>')
        for cx, cell in zip(cols, cells, strict=True):
            out.append(f'<text x="{cx + 14}" y="{ry}" font-size="11">{escape(cell)}</text>')
        out.append("</g>")
    if chart.unplaced:
        ry = 32 + 16 * len(chart.entries)
        out.append(
            f'<text x="14" y="{ry}" font-size="11" fill="#a33">Not drawn (no position yet): '
            f"{escape(', '.join(chart.unplaced))}</text>"
        )
    out.append("</g>")
    out.append(f'<text x="{_f(MARGIN)}" y="{_f(height - 16)}" font-size="11" fill="#555">{escape(notice)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def to_png(svg_text: str) -> bytes:
    """The SVG as PNG bytes, by resvg (the optional `png` extra: no system libraries needed)."""
    try:
        import resvg_py
    except ImportError:
        from acupoints.errors import AcupointsError

        raise AcupointsError("a PNG needs resvg-py: pip install 'acupoints[png]' (or write an SVG)") from None
    # DejaVu Sans is a fallback for machines without the fonts the SVG names first
    return bytes(resvg_py.svg_to_bytes(svg_string=svg_text, font_family="DejaVu Sans", sans_serif_family="DejaVu Sans"))
