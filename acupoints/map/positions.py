"""Where the points are: `data/positions.yaml` read, checked and resolved into sites on the body.

A position is written the way the WHO standard describes it: an anchor (a landmark or another
point) and offsets in proportional cun (`{at: ST35, down: 3}`), or a place between two anchors
(`{between: [LI11, LI15], t: 0.5}`), or a list of sites for a point with several. Each spec is
resolved on the left side (or the midline) into a `Site`; a bilateral point is mirrored for the
right. Every problem is reported at once as `positions.yaml:LINE: NAME: message`.
No printing here.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path
from typing import Any, NamedTuple

from acupoints import _store
from acupoints.errors import CatalogError

from . import body as b

FORMAT = "acupoints-positions/1"
CACHE_FORMAT = 2
SPEC_KEYS = frozenset(
    {
        "at",
        "between",
        "t",
        "cun",
        "part",
        "chart",
        "y",
        "u",
        "frac",
        "face",
        "x",
        "level",
        "line",
        "side",
        "note",
        *b.OFFSET_WORDS,
    }
)
POINT_KEYS = SPEC_KEYS | {"sites"}
LINE_KEYS = frozenset({"part", "frac", "face", "x", "note"})
# How far a site may lie past the ends of its part before it is an error, in cun.
Y_TOLERANCE = 0.3


class Site(NamedTuple):
    """One place on the body. `side` is left, right or midline; `index` counts a point's sites."""

    code: str
    index: int  # type: ignore[assignment]  # a field, shadowing tuple.index on purpose (the cache and JSON say "index")
    side: str
    part: str
    chart: str
    u: float
    y: float
    point: b.Vec
    normal: b.Vec


class Guide(NamedTuple):
    """A line drawn along a part to help read it (a gap between two fingers), on both faces."""

    part: str
    x: float
    y0: float
    y1: float


class _Where(NamedTuple):
    part: str
    chart: str
    u: float
    y: float
    mirror: bool = False


class _Problem(Exception):
    pass


def default_path() -> Path:
    return _store.data_dir() / "positions.yaml"


class Positions:
    """The resolved positions: parts, landmarks, and each placed point's sites."""

    def __init__(
        self, path: Path, data: dict[str, Any], bilateral: dict[str, bool] | None = None, strict: bool = True
    ) -> None:
        self.path = path
        self._name = path.name
        self.problems: list[str] = []
        self.parts: dict[str, b.Part] = {}
        self.landmarks: dict[str, _Where] = {}
        self._sites: dict[str, list[Site]] = {}
        self._bilateral = bilateral
        self._strict = strict
        self._parse(data)

    # -- the user's cache (see load_positions) ---------------------------------------------------
    def to_cache(self) -> dict[str, Any]:
        for code in self._sites:  # every placed point can be asked where it is, cached or not
            with contextlib.suppress(_Problem):  # but a right-side-only one is no anchor
                self._resolve_name(code, ())
        return {
            "format": CACHE_FORMAT,
            "parts": _store.plain(self._part_specs),
            "guides": [list(g) for g in self.guides],
            "lines": _store.plain(self.lines),
            "landmarks": {k: list(w) for k, w in self.landmarks.items()},
            "resolved": {k: list(w) for k, w in self._cache.items()},
            "sites": {c: [[*s[:7], list(s.point), list(s.normal)] for s in ss] for c, ss in self._sites.items()},
        }

    @classmethod
    def from_cache(cls, path: Path, data: dict[str, Any]) -> Positions:
        self = cls.__new__(cls)
        self.path, self._name, self.problems = path, path.name, []
        self._part_specs = data["parts"]
        self.parts = b.build_parts(data["parts"])
        self.guides = [Guide(*g) for g in data["guides"]]
        self.lines = data["lines"]
        self.landmarks = {k: _Where(*w) for k, w in data["landmarks"].items()}
        self._cache = {k: _Where(*w) for k, w in data["resolved"].items()}
        self._landmark_specs, self._point_specs = {}, {}
        self._sites = {
            c: [Site(*s[:7], tuple(s[7]), tuple(s[8])) for s in ss]  # type: ignore[call-arg]
            for c, ss in data["sites"].items()
        }
        return self

    # -- public ---------------------------------------------------------------------------------
    @property
    def placed(self) -> tuple[str, ...]:
        return tuple(self._sites)

    def sites(self, code: str) -> list[Site]:
        return list(self._sites.get(code, ()))

    def __contains__(self, code: object) -> bool:
        return code in self._sites

    def where(self, name: str) -> b.Surface:
        """The 3D place of a landmark or a point's first site (left side); KeyError if unknown."""
        return self._surface(self._named(name))

    def chart_of(self, name: str) -> tuple[str, str, float, float]:
        """(part, chart, u, y) of a landmark or a point's first site, on the left or midline."""
        w = self._named(name)
        return w.part, w.chart, w.u, w.y

    def _named(self, name: str) -> _Where:
        try:
            return self._resolve_name(name, ())
        except _Problem as exc:
            raise KeyError(str(exc)) from None

    # -- parsing ----------------------------------------------------------------------------------
    def _err(self, line: int, name: str, message: str) -> None:
        self.problems.append(f"{self._name}:{line}: {name}: {message}")

    def _parse(self, data: Any) -> None:
        if not isinstance(data, dict):
            self._err(1, "file", "expected a mapping with format, body, landmarks, lines and points")
            return
        if data.get("format") != FORMAT:
            self._err(_line(data, "format"), "format", f"expected format: {FORMAT}")
        body = data.get("body")
        if not isinstance(body, dict) or not isinstance(body.get("parts"), dict):
            self._err(_line(data, "body"), "body", "expected body: {parts: {...}}")
            return
        self._part_specs = body["parts"]
        try:
            self.parts = b.build_parts(body["parts"])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, ArithmeticError) as exc:
            self._err(_line(body, "parts"), "body", f"a part is not well formed: {exc}")
            return
        self.guides: list[Guide] = []
        guides = body.get("guides") or []
        if not isinstance(guides, list):
            self._err(_line(body, "guides"), "guides", "guides: a list of {part: P, x: X, y: [FROM, TO]}")
            guides = []
        for g in guides:
            ok = isinstance(g, dict) and _known(g.get("part"), self.parts) and _is_num(g.get("x"))
            ys = g.get("y") if isinstance(g, dict) else None
            if not ok or not (isinstance(ys, list) and len(ys) == 2 and all(_is_num(v) for v in ys)):
                self._err(_line(body, "guides"), "guides", "each guide is {part: P, x: X, y: [FROM, TO]}")
                continue
            self.guides.append(Guide(g["part"], float(g["x"]), float(ys[0]), float(ys[1])))
        self.lines: dict[str, dict[str, Any]] = {}
        for name, spec in self._named_specs(data, "lines").items():
            line = _line(data.get("lines"), name)
            if not isinstance(spec, dict) or not _known(spec.get("part"), self.parts):
                self._err(line, name, "a line needs part: one of the body's parts")
                continue
            extra = set(spec) - LINE_KEYS
            if extra:
                self._err(line, name, f"unknown key {_first(extra)!r} (a line takes part and frac, or face and x)")
                continue
            if "frac" not in spec and not ("face" in spec and "x" in spec):
                self._err(line, name, "a line needs frac, or face and x")
                continue
            self.lines[name] = spec
        self._landmark_specs: dict[str, Any] = self._named_specs(data, "landmarks")
        self._landmark_lines = {k: _line(data.get("landmarks"), k) for k in self._landmark_specs}
        self._point_specs: dict[str, Any] = self._named_specs(data, "points")
        self._point_lines = {k: _line(data.get("points"), k) for k in self._point_specs}
        for name in self._point_specs:
            if name in self._landmark_specs:
                self._err(self._point_lines[name], name, "is both a landmark and a point")
        self._cache: dict[str, _Where] = {}
        # Numbers the body's checks let through can still put a place where the geometry has no
        # answer (a math domain error): that is the place's problem, said at its line.
        for name in self._landmark_specs:
            try:
                self.landmarks[name] = self._resolve_name(name, ())
            except _Problem as exc:
                self._err(self._landmark_lines[name], name, str(exc))
            except (ArithmeticError, ValueError) as exc:
                self._err(self._landmark_lines[name], name, f"cannot be placed on the body: {exc}")
        for code in self._point_specs:
            try:
                sites = self._point_sites(code)
                if sites:
                    self._sites[code] = sites
            except _Problem as exc:
                self._err(self._point_lines[code], code, str(exc))
            except (ArithmeticError, ValueError) as exc:
                self._err(self._point_lines[code], code, f"cannot be placed on the body: {exc}")

    def _named_specs(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        """landmarks, lines or points: a mapping from names (text) to specs; other entries are
        problems, and left out."""
        specs = data.get(key) or {}
        if not isinstance(specs, dict):
            self._err(_line(data, key), key, f"{key}: a mapping of names to positions")
            return {}
        out = {}
        for name, spec in specs.items():
            if isinstance(name, str):
                out[name] = spec
            else:
                self._err(_line(specs, name), str(name), "a name must be text")
        return out

    def _point_sites(self, code: str) -> list[Site]:
        spec = self._point_specs[code]
        if not isinstance(spec, dict):
            raise _Problem("a position is a mapping, e.g. {at: ST35, down: 3}")
        extra = set(spec) - POINT_KEYS
        if extra:
            raise _Problem(f"unknown key {_first(extra)!r}")
        if self._bilateral is not None and code not in self._bilateral:
            if self._strict:
                raise _Problem("no such point in the catalog")
            return []
        bilateral = self._bilateral.get(code, True) if self._bilateral is not None else None
        if "sites" in spec:
            common = {k: v for k, v in spec.items() if k not in ("sites", "note")}
            items = spec["sites"]
            if not isinstance(items, list) or not items:
                raise _Problem("sites: a non-empty list of positions")
            specs = []
            for i, item in enumerate(items, 1):
                if not isinstance(item, dict):
                    raise _Problem(f"site {i}: a position is a mapping")
                bad = set(item) - SPEC_KEYS
                if bad:
                    raise _Problem(f"site {i}: unknown key {_first(bad)!r}")
                merged = {**common, **item}
                specs.append(merged)
        else:
            specs = [spec]
        out: list[Site] = []
        for i, s in enumerate(specs, 1):
            try:
                w = self._resolve(s, (code,))
            except _Problem as exc:
                raise _Problem(f"site {i}: {exc}" if len(specs) > 1 else str(exc)) from None
            surf = self._surface(w)
            x = surf.point[0]
            if bilateral is True:
                if abs(x) < 0.05:
                    raise _Problem("a bilateral point placed on the midline")
                out.append(Site(code, i, "left", w.part, w.chart, w.u, w.y, surf.point, surf.normal))
                out.append(
                    Site(code, i, "right", w.part, w.chart, w.u, w.y, b.mirror(surf.point), b.mirror(surf.normal))
                )
            else:
                side = "midline" if abs(x) < 0.05 else ("left" if x > 0 else "right")
                if bilateral is False and side != "midline" and "side" not in s:
                    raise _Problem(f"a midline point placed {abs(x):.2f} cun off the midline (say side: left or right)")
                out.append(Site(code, i, side, w.part, w.chart, w.u, w.y, surf.point, surf.normal))
        return out

    def _surface(self, w: _Where) -> b.Surface:
        s = self.parts[w.part].at(w.chart, w.u, w.y)
        return b.Surface(b.mirror(s.point), b.mirror(s.normal)) if w.mirror else s

    # -- resolving ------------------------------------------------------------------------------
    def _resolve_name(self, name: str, stack: tuple[str, ...]) -> _Where:
        if name in self._cache:
            return self._cache[name]
        if name in stack:
            raise _Problem(f"goes round in a circle: {' -> '.join((*stack, name))}")
        if name in self._landmark_specs:
            spec = self._landmark_specs[name]
            if not isinstance(spec, dict):
                raise _Problem(f"landmark {name!r} is not a mapping")
            bad = set(spec) - SPEC_KEYS
            if bad:
                raise _Problem(f"landmark {name!r}: unknown key {_first(bad)!r}")
        elif name in self._point_specs:
            spec = self._point_specs[name]
            if isinstance(spec, dict) and "sites" in spec:
                items = spec["sites"]
                if not isinstance(items, list) or not items or not isinstance(items[0], dict):
                    raise _Problem(f"{name} has no usable first site")
                spec = {**{k: v for k, v in spec.items() if k != "sites"}, **items[0]}
            if not isinstance(spec, dict):
                raise _Problem(f"{name} is not a mapping")
        else:
            raise _Problem(f"no landmark or point {name!r}{_hint(name, [*self._landmark_specs, *self._point_specs])}")
        try:
            w = self._resolve(spec, (*stack, name))
        except _Problem as exc:
            if stack:  # the trouble is in what this one leans on: say so once, where it is
                raise _Problem(f"{name}: {exc}" if not str(exc).startswith(name) else str(exc)) from None
            raise
        if w.mirror:
            raise _Problem(f"{name} is on the right side (side: right) and cannot be an anchor")
        self._cache[name] = w
        return w

    def _resolve(self, spec: dict[str, Any], stack: tuple[str, ...]) -> _Where:
        for k in b.OFFSET_WORDS + ("y", "u", "frac", "x", "t", "cun"):
            if k in spec and not _is_num(spec[k]):
                raise _Problem(f"{k}: expected a number, not {spec[k]!r}")
        # 1. the base
        if "at" in spec:
            if "between" in spec:
                raise _Problem("give at or between, not both")
            w = self._resolve_name(str(spec["at"]), stack)
        elif "between" in spec:
            pair = spec["between"]
            if not isinstance(pair, list) or len(pair) != 2:
                raise _Problem("between: a list of two anchors, e.g. [LI11, LI15]")
            a = self._resolve_name(str(pair[0]), stack)
            c = self._resolve_name(str(pair[1]), stack)
            if (c.part, c.chart) != (a.part, a.chart):
                cu, cy = self.parts[a.part].locate(a.chart, self._surface(c).point)
                c = _Where(a.part, a.chart, cu, cy)
            if "t" in spec and "cun" in spec:
                raise _Problem("give t or cun, not both")
            if "cun" in spec:
                dist = math.hypot(c.u - a.u, c.y - a.y)
                if dist < 1e-6:
                    raise _Problem(f"{pair[0]} and {pair[1]} are at the same place")
                t = float(spec["cun"]) / dist
            else:
                t = float(spec.get("t", 0.5))
            w = _Where(a.part, a.chart, a.u + (c.u - a.u) * t, a.y + (c.y - a.y) * t)
        else:
            part = spec.get("part")
            if part is None:
                raise _Problem("needs at, between, or part with y")
            if not _known(part, self.parts):
                raise _Problem(f"no part {part!r}{_hint(str(part), list(self.parts))}")
            chart = str(spec.get("chart", self.parts[part].charts[0]))
            if "y" not in spec and "level" not in spec:
                raise _Problem("a raw position needs y (or level)")
            w = _Where(part, chart, float(spec.get("u", 0.0)), float(spec.get("y", 0.0)))
        # 2. another part or chart
        part = spec.get("part", w.part)
        if not _known(part, self.parts):
            raise _Problem(f"no part {part!r}{_hint(str(part), list(self.parts))}")
        chart = str(spec.get("chart", w.chart if part == w.part else self.parts[part].charts[0]))
        if chart not in self.parts[part].charts:
            raise _Problem(f"part {part} has no chart {chart!r} (charts: {', '.join(self.parts[part].charts)})")
        if (part, chart) != (w.part, w.chart):
            u, y = self.parts[part].locate(chart, self._surface(w).point)
            w = _Where(part, chart, u, y)
        p = self.parts[part]
        # 3. a level from elsewhere
        if "level" in spec:
            lv = self._resolve_name(str(spec["level"]), stack)
            y = lv.y if (lv.part, lv.chart) == (part, chart) else p.locate(chart, self._surface(lv).point)[1]
            w = w._replace(u=_keep_round(p, w.u, w.y, y), y=y)
        # 4. offsets in anatomical directions, taken on the surface at the anchor
        du = dy = 0.0
        if any(k in spec for k in b.OFFSET_WORDS):
            tu, ty = p.tangents(chart, w.u, w.y)
            for word in b.OFFSET_WORDS:
                if word not in spec:
                    continue
                dist = float(spec[word])
                if word in ("distal", "proximal"):
                    d = p.distal()
                    if d is None:
                        raise _Problem(f"{word}: part {part} has no distal end")
                    d = d if word == "distal" else b.mul(d, -1)
                else:
                    d = p.direction(word)
                # a direction moves along one axis of the chart, the one it runs closer to, so
                # "up" beside the midline of the head does not drift sideways
                cu, cy = b.dot(d, tu), b.dot(d, ty)
                if max(abs(cu), abs(cy)) < 0.35:
                    raise _Problem(f"{word}: that direction does not run along the surface of the {part} here")
                if abs(cu) >= abs(cy):
                    du += math.copysign(dist, cu)
                else:
                    dy += math.copysign(dist, cy)
        w = w._replace(u=_keep_round(p, w.u, w.y, w.y + dy) + du, y=w.y + dy)
        # 5. the across position from a line, a fraction or a face
        if "line" in spec:
            name = str(spec["line"])
            if name not in self.lines:
                raise _Problem(f"no line {name!r}{_hint(name, list(self.lines))}")
            ln = self.lines[name]
            if ln["part"] != part:
                raise _Problem(f"line {name} is on the {ln['part']}, not the {part}")
            w = w._replace(u=self._line_u(p, ln, w.y))
        if "frac" in spec or "face" in spec:
            w = w._replace(u=self._line_u(p, spec, w.y))
        if "u" in spec and ("at" in spec or "between" in spec):
            w = w._replace(u=float(spec["u"]))
        lo, hi = p.y_limits(chart)
        if not lo - Y_TOLERANCE <= w.y <= hi + Y_TOLERANCE:
            raise _Problem(f"lies off the {part} (y {w.y:.2f}; the {chart} chart runs {lo:g} to {hi:g})")
        side = spec.get("side")
        if side not in (None, "left", "right"):
            raise _Problem("side: left or right")
        if side == "right":
            w = w._replace(mirror=True)
        return w

    def _line_u(self, p: b.Part, spec: dict[str, Any], y: float) -> float:
        if not isinstance(p, b.Tube):
            if "face" in spec:
                raise _Problem("face and x belong to limbs and the trunk, not the head")
            raise _Problem("frac belongs to limbs and the trunk, not the head")
        if "frac" in spec:
            if not _is_num(spec["frac"]):
                raise _Problem("frac: expected a number from -1 to 1")
            return p.u_of_frac(float(spec["frac"]), y)
        face = spec.get("face")
        if face not in ("front", "back") or not _is_num(spec.get("x")):
            raise _Problem("face: front or back, with x: the lateral offset in cun")
        return p.u_of_face(str(face), float(spec["x"]), y)


def _keep_round(p: b.Part, u: float, y: float, new_y: float) -> float:
    """u at new_y on the line along the part through (u, y): on a tube it keeps the fraction of
    the way round, so a line along a limb stays on its bone as the limb narrows."""
    return p.along(u, y, new_y)


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _line(d: Any, key: str) -> int:
    return _store.line_of(d, key)


def _known(name: Any, names: dict[str, Any]) -> bool:
    """Whether a value read from the file names one of these (a list or mapping names nothing)."""
    return isinstance(name, str) and name in names


def _first(keys: set[Any]) -> Any:
    """The first of some unknown keys, in an order that does not mind keys of several types."""
    return sorted(keys, key=str)[0]


def _hint(name: str, options: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, options, n=1)
    return f"; did you mean {close[0]}?" if close else ""


def load_positions(
    path: str | Path | None = None,
    bilateral: dict[str, bool] | None = None,
    *,
    strict: bool = True,
    cache: bool = True,
) -> Positions:
    """Read and resolve a positions file; raises CatalogError listing every problem.

    `bilateral` (code -> bool, from the catalog) mirrors the bilateral points and, when strict,
    makes a code the catalog does not have a problem; not strict, such a point is left out (the
    shipped positions serve a smaller catalog that way). Without it every site is taken as written.
    Resolving takes about as long as reading the catalog, so a valid file's result is kept in the
    catalog's cache folder, under a key made of the file's bytes and everything else it used.
    """
    p = Path(path) if path else default_path()
    raw = _store.read_bytes(p)
    used = repr((CACHE_FORMAT, strict, sorted(bilateral.items()) if bilateral is not None else None))
    cache_file = _store.cache_file("positions", [raw, used.encode()], CACHE_FORMAT) if cache else None
    cached = _store.cache_load(cache_file, CACHE_FORMAT)
    if cached is not None:
        try:
            return Positions.from_cache(p, cached)
        except (KeyError, TypeError, ValueError):
            pass  # a damaged cache: resolve afresh
    data, dups = _store.parse(raw, p)
    pos = Positions(p, data, bilateral, strict)
    problems = [f"{p.name}:{line}: file: {msg}" for line, msg in dups] + pos.problems
    if problems:
        raise CatalogError(problems)
    _store.cache_save(cache_file, pos.to_cache())  # a read-only home is no reason to fail a chart
    return pos
