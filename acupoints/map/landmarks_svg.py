"""The drawn landmarks as SVG: one group per landmark, `<g class="landmark" id="lm-patella">`.

Each group holds a `<title>` (what it is) and, on every view and side that sees it, a light grey
dot, line or outline (`data-view`, `data-side`). The groups are drawn after the body outlines and
before the points, so the points stay on top. Only the standard library; text is escaped.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

LANDMARK_STROKE = "#a3968a"
LANDMARK_TEXT = "#7d7166"


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def landmarks_svg(lay: Any) -> list[str]:
    """SVG lines for the landmarks of every panel placed by the layout (svg._Layout)."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for view, _x, top, panels in lay.places:
        small = 0.75 if view.overview else 1.0
        for panel, left, placed in panels:
            scale = placed.scale
            for sk in panel.landmarks:
                title, body = groups.setdefault(sk.id, (sk.title, []))
                attrs = f"data-view={quoteattr(view.name)} data-side={quoteattr(sk.side or 'midline')}"
                for seg in sk.segments:
                    pts = [lay.to_px(panel, left, top, scale, x, y) for x, y in seg]
                    if sk.kind == "dot":
                        cx, cy = pts[0]
                        body.append(
                            f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="{_f(2.2 * small)}" fill="none" '
                            f'stroke="{LANDMARK_STROKE}" stroke-width="1" {attrs}/>'
                        )
                        if sk.label:
                            body.append(
                                f'<text x="{_f(cx - 4)}" y="{_f(cy + 3)}" font-size="{_f(8 * small)}" '
                                f'text-anchor="end" fill="{LANDMARK_TEXT}" {attrs}>{escape(sk.label)}</text>'
                            )
                        continue
                    d = " ".join(f"{_f(a)},{_f(c)}" for a, c in pts)
                    closed = sk.kind == "ring" and len(seg) > 2 and len(sk.segments) == 1
                    tag = "polygon" if closed else "polyline"
                    width = 2.6 * small if sk.kind == "digit" else 1.1
                    body.append(
                        f'<{tag} points="{d}" fill="none" stroke="{LANDMARK_STROKE}" stroke-width="{_f(width)}" '
                        f'stroke-linecap="round" stroke-linejoin="round" {attrs}/>'
                    )
    out = ['<g id="landmarks">']
    for lid, (title, body) in groups.items():
        if not body:
            continue
        out.append(f'<g class="landmark" id={quoteattr("lm-" + lid)}>')
        out.append(f"<title>{escape(title)}</title>")
        out.extend(body)
        out.append("</g>")
    out.append("</g>")
    return out
