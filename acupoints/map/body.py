"""The schematic body: parts in proportional cun, their surface charts, and cameras.

No I/O and no drawing. The body stands in the anatomical position (palms forward) with the legs
turned out a little, built from simple solids whose sizes come from `data/positions.yaml`:

- a *tube* (trunk, neck, limb segments, hand, thumb, foot) is a straight axis with a stadium
  cross-section (two flat faces joined by half-circles) whose half-width and half-depth vary
  along it. Its chart is (u, y): y along the axis (for an upright part, the height above the
  sole), u the distance around the surface from the part's front line, positive towards
  lateral. A stadium has an exact arc length, so an offset of 1 cun around a limb is 1 cun of
  skin.
- the *head* is an ellipsoid with two charts: `head` (s along the midline from the glabella,
  positive up and over the vertex, negative down the face; t lateral from the midline) and
  `ear` (forward and up from the apex of the auricle), both in head cun.

World coordinates: x towards the patient's left, y up from the sole, z forwards. Every site is
computed on the left side (or the midline) and mirrored for the right.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

Vec = tuple[float, float, float]


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def mul(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def norm(a: Vec) -> Vec:
    n = math.sqrt(dot(a, a))
    return (a[0] / n, a[1] / n, a[2] / n) if n else a


def dist2(a: Vec, b: Vec) -> float:
    d = sub(a, b)
    return dot(d, d)


def mirror(a: Vec) -> Vec:
    return (-a[0], a[1], a[2])


def turn(v: Vec, degrees: float) -> Vec:
    """Rotate about the vertical so that the front (+z) turns towards lateral (+x) on the left."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (v[0] * c + v[2] * s, v[1], -v[0] * s + v[2] * c)


# Anatomical directions for the left side; `distal` and `proximal` depend on the part.
DIRECTIONS: dict[str, Vec] = {
    "up": (0.0, 1.0, 0.0),
    "down": (0.0, -1.0, 0.0),
    "superior": (0.0, 1.0, 0.0),
    "inferior": (0.0, -1.0, 0.0),
    "anterior": (0.0, 0.0, 1.0),
    "posterior": (0.0, 0.0, -1.0),
    "lateral": (1.0, 0.0, 0.0),
    "medial": (-1.0, 0.0, 0.0),
}
OFFSET_WORDS = (*DIRECTIONS, "distal", "proximal")


_LIMIT = 1000.0  # cun: far beyond any body, near enough that no sum overflows


def _number(value: Any, what: str, *, positive: bool = False) -> float:
    """A finite number from the positions file (a size: more than 0); ValueError if it is not."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not abs(value) <= _LIMIT:
        raise ValueError(f"{what}: expected a number from -{_LIMIT:g} to {_LIMIT:g}")
    if positive and value <= 0:
        raise ValueError(f"{what}: expected a number above 0")
    return float(value)


def _numbers(value: Any, what: str, sizes: tuple[int, ...] = (3,)) -> tuple[float, ...]:
    """A row of numbers of one of these lengths; ValueError if it is not."""
    if not isinstance(value, list | tuple) or len(value) not in sizes:
        raise ValueError(f"{what}: expected a list of {' or '.join(str(n) for n in sizes)} numbers")
    return tuple(_number(x, what) for x in value)


def _rows(value: Any, what: str, sizes: tuple[int, ...], sizes_positive: int = 0) -> list[tuple[float, ...]]:
    """Rows (key, values...) with keys rising, at least two of them; the first `sizes_positive`
    values after the key must be above 0."""
    if not isinstance(value, list) or len(value) < 2:
        raise ValueError(f"{what}: expected a list of at least two rows")
    rows = [_numbers(r, what, sizes) for r in value]
    if any(b[0] <= a[0] for a, b in zip(rows, rows[1:], strict=False)):
        raise ValueError(f"{what}: the first numbers of the rows must rise")
    if any(v <= 0 for r in rows for v in r[1 : 1 + sizes_positive]):
        raise ValueError(f"{what}: sizes must be above 0")
    return rows


def _interp(keys: Sequence[Sequence[float]], y: float) -> tuple[float, ...]:
    """Piecewise-linear values at y from rows (y, v1, v2, ...), sorted by y; clamped at the ends."""
    if y <= keys[0][0]:
        return tuple(keys[0][1:])
    for a, b in zip(keys, keys[1:], strict=False):
        if y <= b[0]:
            f = (y - a[0]) / (b[0] - a[0]) if b[0] != a[0] else 0.0
            return tuple(x + (z - x) * f for x, z in zip(a[1:], b[1:], strict=True))
    return tuple(keys[-1][1:])


class Surface(NamedTuple):
    point: Vec
    normal: Vec


class Part:
    """A body part with one or more charts; subclasses give the geometry."""

    name: str
    charts: tuple[str, ...]
    midline: bool  # a part of the midline (trunk, neck, head): the right side is its mirror half

    def at(self, chart: str, u: float, y: float) -> Surface:  # pragma: no cover - abstract
        raise NotImplementedError

    def locate(self, chart: str, p: Vec) -> tuple[float, float]:  # pragma: no cover - abstract
        raise NotImplementedError

    def samples(self, y_range: tuple[float, float] | None = None) -> list[Vec]:  # pragma: no cover
        raise NotImplementedError

    def distal(self) -> Vec | None:
        return None

    def direction(self, word: str) -> Vec:
        """An anatomical direction in the part's own frame: a turned-out leg's lateral is turned too."""
        return DIRECTIONS[word]

    def y_limits(self, chart: str) -> tuple[float, float]:  # pragma: no cover - abstract
        raise NotImplementedError

    def tangents(self, chart: str, u: float, y: float) -> tuple[Vec, Vec]:
        """Unit vectors of +u and +y on the surface at (u, y), by central differences; +y keeps
        the fraction of the way round (see `along`)."""
        h = 0.02
        du = sub(self.at(chart, u + h, y).point, self.at(chart, u - h, y).point)
        dy = sub(
            self.at(chart, self.along(u, y, y + h), y + h).point, self.at(chart, self.along(u, y, y - h), y - h).point
        )
        return norm(du), norm(dy)

    def along(self, u: float, y: float, new_y: float) -> float:
        """The u at new_y of the line that runs along the part through (u, y)."""
        return u


class Tube(Part):
    """A straight part with a stadium cross-section; chart `name`, coordinates (u, y)."""

    def __init__(self, name: str, spec: dict[str, Any]) -> None:
        self.name = name
        self.charts = (name,)
        self.midline = bool(spec.get("midline", False))
        self.root: Vec = _numbers(spec["root"], f"{name}: root")  # type: ignore[assignment]
        self.axis: Vec = norm(_numbers(spec.get("axis", (0, 1, 0)), f"{name}: axis"))  # type: ignore[arg-type]
        front = _numbers(spec.get("front", (0, 0, 1)), f"{name}: front")
        if dot(self.axis, self.axis) == 0 or dot(cross(self.axis, front), cross(self.axis, front)) == 0:  # type: ignore[arg-type]
            raise ValueError(f"{name}: axis and front must be two different directions")
        t = self.turn = _number(spec.get("turn", 0), f"{name}: turn")
        self.axis, front = turn(self.axis, t), turn(front, t)  # type: ignore[arg-type]
        # keep the front square to the axis
        front = norm(sub(front, mul(self.axis, dot(front, self.axis))))
        self.front: Vec = front
        lat = cross(self.axis, self.front)
        self.lateral: Vec = lat if lat[0] >= 0 else mul(lat, -1)
        self.distal_sign = _number(spec.get("distal", 0), f"{name}: distal")
        # rows: y, half-width, half-depth[, lift of the centre along the front]
        rows = _rows(spec["profile"], f"{name}: profile", (3, 4), sizes_positive=2)
        self.profile = [row + (0.0,) * (4 - len(row)) for row in rows]
        self.y0 = self.profile[0][0]
        self.y1 = self.profile[-1][0]

    def y_limits(self, chart: str) -> tuple[float, float]:
        return self.y0, self.y1

    def section(self, y: float) -> tuple[float, float, float]:
        w, r, lift = _interp(self.profile, y)
        return max(w, r), r, lift

    def half_perimeter(self, y: float) -> float:
        w, r, _ = self.section(y)
        return 2 * (w - r) + math.pi * r

    def along(self, u: float, y: float, new_y: float) -> float:
        return u * self.half_perimeter(new_y) / self.half_perimeter(y)

    def u_of_frac(self, frac: float, y: float) -> float:
        return frac * self.half_perimeter(y)

    def u_of_face(self, face: str, x: float, y: float) -> float:
        """u of the surface point on the front or back face whose lateral offset is x."""
        w, r, _ = self.section(y)
        h = w - r
        ax = min(abs(x), w)
        sign = -1.0 if x < 0 else 1.0
        if ax <= h:
            u = ax
        else:
            u = h + r * math.asin(min(1.0, (ax - h) / r))
        if face == "back":
            u = self.half_perimeter(y) - u
        return sign * u

    def at(self, chart: str, u: float, y: float) -> Surface:
        """The surface point and its outward normal; the normal leans with the taper (the top
        of the foot faces forwards a little as it slopes down to the toes)."""
        p, n = self._place(u, y)
        h = 0.05
        lo, hi = max(self.y0, y - h), min(self.y1, y + h)
        if hi > lo:
            t = norm(sub(self._place(self.along(u, y, hi), hi)[0], self._place(self.along(u, y, lo), lo)[0]))
            n = norm(sub(n, mul(t, dot(n, t))))
        return Surface(p, n)

    def _place(self, u: float, y: float) -> tuple[Vec, Vec]:
        w, r, lift = self.section(y)
        h = w - r
        half = 2 * h + math.pi * r
        u = (u + half) % (2 * half) - half  # wrap around
        au, sign = abs(u), (-1.0 if u < 0 else 1.0)
        if au <= h:
            a, b, na, nb = au, r, 0.0, 1.0
        elif au <= h + math.pi * r:
            phi = (au - h) / r
            a, b, na, nb = h + r * math.sin(phi), r * math.cos(phi), math.sin(phi), math.cos(phi)
        else:
            a, b, na, nb = half - au, -r, 0.0, -1.0
        a, na = a * sign, na * sign
        centre = add(self.root, add(mul(self.axis, y - self._root_y()), mul(self.front, lift)))
        p = add(centre, add(mul(self.lateral, a), mul(self.front, b)))
        return p, add(mul(self.lateral, na), mul(self.front, nb))

    def _root_y(self) -> float:
        # For an upright part the chart's y is the height itself: the root lies at y = root height.
        return self.root[1] if self.axis == (0.0, 1.0, 0.0) else 0.0

    def locate(self, chart: str, p: Vec) -> tuple[float, float]:
        y = dot(sub(p, self.root), self.axis) + self._root_y()
        y = min(max(y, self.y0), self.y1)
        w, r, lift = self.section(y)
        h = w - r
        centre = add(self.root, add(mul(self.axis, y - self._root_y()), mul(self.front, lift)))
        d = sub(p, centre)
        a, b = dot(d, self.lateral), dot(d, self.front)
        sign = -1.0 if a < 0 else 1.0
        aa = abs(a)
        if aa <= h:
            u = aa if b >= 0 else 2 * h + math.pi * r - aa
        else:
            u = h + r * math.atan2(aa - h, b) if b != 0 or aa != h else h + r * math.pi / 2
        return sign * u, y

    def distal(self) -> Vec | None:
        return mul(self.axis, self.distal_sign) if self.distal_sign else None

    def direction(self, word: str) -> Vec:
        return turn(DIRECTIONS[word], self.turn)

    def samples(self, y_range: tuple[float, float] | None = None) -> list[Vec]:
        lo, hi = y_range or (self.y0, self.y1)
        lo, hi = max(lo, self.y0), min(hi, self.y1)
        out = []
        steps = max(6, int(hi - lo))
        for i in range(steps + 1):
            y = lo + (hi - lo) * i / steps
            half = self.half_perimeter(y)
            for j in range(24):
                out.append(self._place(-half + 2 * half * j / 24, y)[0])
        return out


class Head(Part):
    """An ellipsoid; charts `head` (midline s, lateral t) and `ear` (forward f, up v), in head cun."""

    def __init__(self, name: str, spec: dict[str, Any]) -> None:
        self.name = name
        self.charts = ("head", "ear")
        self.midline = True
        self.centre: Vec = _numbers(spec["centre"], f"{name}: centre")  # type: ignore[assignment]
        self.radii: Vec = _numbers(spec["radii"], f"{name}: radii")  # type: ignore[assignment]
        if min(self.radii) <= 0:
            raise ValueError(f"{name}: radii must be above 0")
        # midline: rows (s, angle in degrees in the sagittal plane: 0 forwards, 90 up, 180 back)
        self.midline_rows = _rows(spec["midline"], f"{name}: midline", (2,))
        self.lateral_deg = _number(spec["lateral_deg_per_cun"], f"{name}: lateral_deg_per_cun", positive=True)
        ear = spec["ear"]
        if not isinstance(ear, dict):
            raise ValueError(f"{name}: ear: expected {{pole: [x, y, z], deg_per_cun: n}}")
        self.ear_pole: Vec = norm(_numbers(ear["pole"], f"{name}: ear pole"))  # type: ignore[arg-type]
        if self.ear_pole[0] == 0 and self.ear_pole[1] == 0:  # the ear's axes are built from it
            raise ValueError(f"{name}: ear pole must point sideways or up, not straight forward or back")
        self.ear_deg = _number(ear["deg_per_cun"], f"{name}: ear deg_per_cun", positive=True)
        fwd = sub((0.0, 0.0, 1.0), mul(self.ear_pole, self.ear_pole[2]))
        self.ear_f: Vec = norm(fwd)
        self.ear_v: Vec = norm(cross(self.ear_pole, self.ear_f))
        if self.ear_v[1] < 0:
            self.ear_v = mul(self.ear_v, -1)

    def y_limits(self, chart: str) -> tuple[float, float]:
        if chart == "head":
            return self.midline_rows[0][0], self.midline_rows[-1][0]
        return -90 / self.ear_deg, 90 / self.ear_deg

    def _alpha(self, s: float) -> float:
        return math.radians(_interp(self.midline_rows, s)[0])

    def _s_of_alpha(self, alpha_deg: float) -> float:
        rows = self.midline_rows
        inv = [(a, s) for s, a in rows]
        return _interp(inv, alpha_deg)[0]

    def _dir(self, chart: str, u: float, y: float) -> Vec:
        if chart == "head":
            # Lateral of the midline: round the head at the same height over the face, the
            # forehead and the occiput (so ST8 stays at the corner of the hairline and GB20 level
            # with GV16), along a great circle over the vertex, where heights run out; blended by
            # how level the midline runs there (cos^2 of its angle).
            a, b = self._alpha(y), math.radians(u * self.lateral_deg)
            sa, ca, sb, cb = math.sin(a), math.cos(a), math.sin(b), math.cos(b)
            w = ca * ca
            great = (sb, cb * sa, cb * ca)
            level = (sb * abs(ca), sa, cb * ca)
            return norm(add(mul(level, w), mul(great, 1 - w)))
        dist = math.hypot(u, y)
        if dist < 1e-9:
            return self.ear_pole
        d = math.radians(dist * self.ear_deg)
        tang = add(mul(self.ear_f, u / dist), mul(self.ear_v, y / dist))
        return add(mul(self.ear_pole, math.cos(d)), mul(tang, math.sin(d)))

    def at(self, chart: str, u: float, y: float) -> Surface:
        d = self._dir(chart, u, y)
        rx, ry, rz = self.radii
        p = add(self.centre, (d[0] * rx, d[1] * ry, d[2] * rz))
        return Surface(p, norm((d[0] / rx, d[1] / ry, d[2] / rz)))

    def locate(self, chart: str, p: Vec) -> tuple[float, float]:
        q = sub(p, self.centre)
        rx, ry, rz = self.radii
        d = norm((q[0] / rx, q[1] / ry, q[2] / rz))
        if chart == "head":
            b = math.asin(max(-1.0, min(1.0, d[0])))
            a = math.degrees(math.atan2(d[1], d[2]))
            lo = self.midline_rows[0][1]
            if a < lo - 1e-6:
                a += 360
            guess = (math.degrees(b) / self.lateral_deg, self._s_of_alpha(a))
            lo, hi = self.y_limits("head")
            # the blend has no closed inverse: start from the nearest point of a coarse grid
            grid = [(i / 2, lo + j / 2) for i in range(-16, 17) for j in range(int((hi - lo) * 2) + 1)]
            start = min([guess, *grid], key=lambda g: dist2(self._dir("head", *g), d))
            return self._refine(d, *start)
        c = max(-1.0, min(1.0, dot(d, self.ear_pole)))
        dist = math.degrees(math.acos(c)) / self.ear_deg
        f, v = dot(d, self.ear_f), dot(d, self.ear_v)
        n = math.hypot(f, v)
        return (dist * f / n, dist * v / n) if n > 1e-9 else (0.0, 0.0)

    def _refine(self, d: Vec, u: float, y: float) -> tuple[float, float]:
        """(u, y) on the head chart whose direction is d, by Gauss-Newton from a first guess."""
        lo, hi = self.y_limits("head")
        for _ in range(8):
            e = sub(self._dir("head", u, y), d)
            if dot(e, e) < 1e-14:
                break
            h = 1e-4
            ju = mul(sub(self._dir("head", u + h, y), self._dir("head", u - h, y)), 0.5 / h)
            jy = mul(sub(self._dir("head", u, y + h), self._dir("head", u, y - h)), 0.5 / h)
            a11, a12, a22 = dot(ju, ju), dot(ju, jy), dot(jy, jy)
            g1, g2 = dot(ju, e), dot(jy, e)
            det = a11 * a22 - a12 * a12
            if abs(det) < 1e-12:
                break
            u -= (a22 * g1 - a12 * g2) / det
            y = min(max(y - (a11 * g2 - a12 * g1) / det, lo), hi)
        return u, y

    def samples(self, y_range: tuple[float, float] | None = None) -> list[Vec]:
        out = []
        rx, ry, rz = self.radii
        for i in range(1, 16):
            lat = math.pi * i / 16 - math.pi / 2
            for j in range(24):
                lon = 2 * math.pi * j / 24
                d = (math.cos(lat) * math.sin(lon), math.sin(lat), math.cos(lat) * math.cos(lon))
                out.append(add(self.centre, (d[0] * rx, d[1] * ry, d[2] * rz)))
        out += [add(self.centre, (0, ry, 0)), add(self.centre, (0, -ry, 0))]
        return out


def build_parts(spec: dict[str, Any]) -> dict[str, Part]:
    """The body's parts from their specs; TypeError or ValueError for a spec that is not one."""
    parts: dict[str, Part] = {}
    for name, p in spec.items():
        if not isinstance(name, str) or not isinstance(p, dict):
            raise TypeError(f"part {name!r} must be a name with a mapping")
        parts[name] = Head(name, p) if p.get("kind") == "ellipsoid" else Tube(name, p)
    return parts


# -- cameras and projection ---------------------------------------------------------------------
class Camera(NamedTuple):
    forward: Vec  # the direction the camera looks in
    right: Vec
    up: Vec

    @classmethod
    def looking(cls, forward: Vec, up: Vec = (0.0, 1.0, 0.0)) -> Camera:
        f = norm(forward)
        r = norm(cross(f, up))
        return cls(f, r, cross(r, f))

    def project(self, p: Vec) -> tuple[float, float, float]:
        """Screen x (right), screen y (up), depth (away from the camera)."""
        return dot(p, self.right), dot(p, self.up), dot(p, self.forward)

    def facing(self, normal: Vec) -> float:
        return -dot(normal, self.forward)


def hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return list(pts)

    def turn_(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and turn_(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and turn_(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def inside(poly: Sequence[tuple[float, float]], x: float, y: float, margin: float = 0.0) -> bool:
    """Whether (x, y) lies in a convex counter-clockwise polygon (or within margin of its edge)."""
    n = len(poly)
    if n < 3:
        return False
    for i in range(n):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
        ex, ey = x2 - x1, y2 - y1
        length = math.hypot(ex, ey) or 1.0
        if (ex * (y - y1) - ey * (x - x1)) / length < -margin:
            return False
    return True
