"""The chart as an SVG document: views side by side, points coloured by channel, and a legend.

Each chosen point is one group, `<g id="pt-ST36" class="point">`, holding a `<title>` (name and
location, for a browser's tooltip and for screen readers), one `<circle class="site">` per place
on every view that shows it (`data-view`, `data-side`, `data-site`), and its code as a label.
Colour is never the only cue: every marker is labelled with its code and the legend lists them.
Only the standard library; text is escaped.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .chart import Chart, Panel, View
from .landmarks_svg import landmarks_svg
from .palette import colour

BODY_FILL = "#f4ece2"
BODY_STROKE = "#9c8f80"
PANEL_HEIGHT = {"overview": 470.0, "close": 250.0}
GAP = 24.0
MARGIN = 20.0
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


class _Layout:
    """Where each view's panels go on the page and how many px a cun is there."""

    def __init__(self, chart: Chart, width: float) -> None:
        self.places: list[tuple[View, float, float, float, list[tuple[Panel, float, float]]]] = []
        x, y, row_h = MARGIN, MARGIN + 52, 0.0
        for view in chart.views:
            height = PANEL_HEIGHT["overview" if view.overview else "close"]
            spans = [(p.box[2] - p.box[0], p.box[3] - p.box[1]) for p in view.panels]
            scale = min(height / max(h, 1e-6) for _, h in spans)
            w_total = sum(w * scale for w, _ in spans) + GAP * (len(spans) - 1)
            w_total = max(w_total, 7.2 * len(view.title))  # room for the title
            if x > MARGIN and x + w_total > width - MARGIN:
                x, y, row_h = MARGIN, y + row_h + 40, 0.0
            panels = []
            px = x
            for p, (w, _) in zip(view.panels, spans, strict=True):
                panels.append((p, px, scale))
                px += w * scale + GAP
            self.places.append((view, x, y, scale, panels))
            x += w_total + GAP * 1.5
            row_h = max(row_h, height + 20)
        self.bottom = y + row_h + 10

    @staticmethod
    def to_px(panel: Panel, left: float, top: float, scale: float, x: float, y: float) -> tuple[float, float]:
        return left + (x - panel.box[0]) * scale, top + 22 + (panel.box[3] - y) * scale


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def to_svg(chart: Chart, *, title: str, notice: str, width: float = 1000.0) -> str:
    lay = _Layout(chart, width)
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
    out.append(
        f'<text x="{_f(MARGIN)}" y="{_f(MARGIN + 34)}" font-size="11" fill="#555">'
        "Schematic body; positions in WHO proportional cun. Each point is drawn on every view that shows it."
        "</text>"
    )
    # the views: body outlines and guides
    for view, x, y, _scale, panels in lay.places:
        out.append(f'<g class="view" id="view-{escape(view.name)}" data-view={quoteattr(view.name)}>')
        out.append(f'<text x="{_f(x)}" y="{_f(y)}" font-size="12" font-weight="600">{escape(view.title)}</text>')
        for panel, left, scale in panels:
            if panel.side:
                side_x = left + (panel.box[2] - panel.box[0]) * scale / 2
                out.append(
                    f'<text x="{_f(side_x)}" y="{_f(y + 16)}" font-size="10" fill="#666" '
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
        out.append("</g>")
    out += landmarks_svg(lay)
    # the points: one group each, markers on every view
    entries = {e.code: e for e in chart.entries}
    placed_labels: list[tuple[float, float, float, float]] = []
    groups: dict[str, list[str]] = {e.code: [] for e in chart.entries}
    dots: list[tuple[float, float, float]] = []
    for view, _x, y, _scale, panels in lay.places:
        radius = 4.0 if view.overview else 5.0
        for panel, left, scale in panels:
            for mk in panel.marks:
                cx, cy = lay.to_px(panel, left, y, scale, mk.x, mk.y)
                dots.append((cx, cy, radius))
    for view, _x, y, _scale, panels in lay.places:
        radius = 4.0 if view.overview else 5.0
        size = 9.0 if view.overview else 10.0
        for panel, left, scale in panels:
            labelled: set[str] = set()
            x0 = left
            x1 = left + (panel.box[2] - panel.box[0]) * scale
            for mk in sorted(panel.marks, key=lambda m: -m.x if panel.side != "right" else m.x):
                e = entries[mk.code]
                cx, cy = lay.to_px(panel, left, y, scale, mk.x, mk.y)
                groups[mk.code].append(
                    f'<circle class="site" cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(radius)}" fill="{colour(e.meridian)}" '
                    f'stroke="#ffffff" stroke-width="1.2" data-view={quoteattr(view.name)} '
                    f'data-side={quoteattr(mk.side)} data-site="{mk.index}"/>'
                )
                if mk.code in labelled:
                    continue
                labelled.add(mk.code)
                lx, ly, anchor, lead = _place_label(cx, cy, radius, mk.code, size, placed_labels, dots, x0, x1)
                if lead:
                    groups[mk.code].append(
                        f'<line class="leader" x1="{_f(cx)}" y1="{_f(cy)}" x2="{_f(lead[0])}" y2="{_f(lead[1])}" '
                        f'stroke="{colour(e.meridian)}" stroke-width="0.7"/>'
                    )
                groups[mk.code].append(
                    f'<text class="label" x="{_f(lx)}" y="{_f(ly)}" font-size="{_f(size)}" text-anchor="{anchor}" '
                    f'fill="{colour(e.meridian)}" font-weight="600" paint-order="stroke" stroke="#ffffff" '
                    f'stroke-width="2.5" data-view={quoteattr(view.name)}>{escape(mk.code)}</text>'
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


def _place_label(
    cx: float,
    cy: float,
    r: float,
    text: str,
    size: float,
    placed: list[tuple[float, float, float, float]],
    dots: list[tuple[float, float, float]],
    x0: float,
    x1: float,
) -> tuple[float, float, str, tuple[float, float] | None]:
    """A place for a marker's label that covers as few other labels and markers as it can."""
    w, h = 0.62 * size * len(text), size
    reach = r + 30 + w  # only what lies this near can overlap a candidate
    placed_near = [
        q for q in placed if q[2] > cx - reach and q[0] < cx + reach and q[3] > cy - reach and q[1] < cy + reach
    ]
    dots_near = [d for d in dots if abs(d[0] - cx) < reach and abs(d[1] - cy) < reach]
    best: tuple[float, tuple[float, float, str, tuple[float, float] | None, tuple[float, float, float, float]]] | None
    best = None
    for dist, cost_far in ((r + 2, 0.0), (r + 14, 3.0), (r + 28, 6.0)):
        for dx, dy in ((1, 0), (-1, 0), (1, -1), (1, 1), (-1, -1), (-1, 1), (0, -1), (0, 1)):
            ax = cx + dx * dist
            ay = cy + dy * dist
            anchor = "start" if dx > 0 else ("end" if dx < 0 else "middle")
            left = ax if dx > 0 else (ax - w if dx < 0 else ax - w / 2)
            top = ay - h / 2 if dy == 0 else (ay - h if dy < 0 else ay)
            box = (left, top, left + w, top + h)
            cost = cost_far + (0.5 if dx < 0 else 0.0)
            cost += sum(_overlap(box, q) for q in placed_near) / (w * h) * 10
            cost += sum(1.0 for px, py, pr in dots_near if _overlap(box, (px - pr, py - pr, px + pr, py + pr)) > 0) * 2
            if box[0] < x0 - 6 or box[2] > x1 + 6:
                cost += 1.5
            if best is None or cost < best[0]:
                lead = (ax, ay) if dist > r + 2 else None
                best = (cost, (ax, top + h * 0.85, anchor, lead, box))
    assert best is not None
    ax, base, anchor, lead, box = best[1]
    placed.append(box)
    return ax, base, anchor, lead


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def to_png(svg_text: str) -> bytes:
    """The SVG as PNG bytes, by resvg (the optional `png` extra: no system libraries needed)."""
    try:
        import resvg_py
    except ImportError:
        from acupoints.errors import AcupointsError

        raise AcupointsError("a PNG needs resvg-py: pip install 'acupoints[png]' (or write an SVG)") from None
    # DejaVu Sans is a fallback for machines without the fonts the SVG names first
    return bytes(resvg_py.svg_to_bytes(svg_string=svg_text, font_family="DejaVu Sans", sans_serif_family="DejaVu Sans"))
