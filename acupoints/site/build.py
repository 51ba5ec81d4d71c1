"""Building the atlas: which pages, what each holds, and writing them all or nothing.

Each page's content comes from the result objects the other formats write (PointPages,
ChannelView, EvidenceView, ChartReport, the rule engine's findings, the course plan); this
module gathers them into template contexts and the templates lay them out. The site is written
into a temporary folder beside the target and renamed into place at the end, so a failed build
leaves nothing, and an existing site is replaced only with `force` (and only if it is one:
a folder without the marker file is never removed).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acupoints import __version__
from acupoints.errors import NOTICE, AcupointsError, OutputError, UsageError

if TYPE_CHECKING:
    from acupoints.catalog import Catalog
    from acupoints.evidence import EvidenceView
    from acupoints.model import Point, Reference

# Written into every site: `--force` replaces only a folder that holds it.
MARKER = ".acupoints-site"
INSTALL_HINT = "a site needs Jinja2: pip install 'acupoints[site]'"
STATIC = ("search.js",)
_CJK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+)")
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Built:
    """What a build wrote: where, how many pages of each kind, files, bytes and seconds."""

    path: Path
    pages: dict[str, int]
    files: int
    size: int
    seconds: float

    def summary(self) -> str:
        kinds = ", ".join(f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in self.pages.items())
        return (
            f"wrote {self.path}: {kinds}; {self.files} files, {self.size / 1e6:.1f} MB in {self.seconds:.1f} s; "
            f"open {self.path / 'index.html'}"
        )


def build_site(
    catalog: Catalog,
    output: str | os.PathLike[str],
    *,
    force: bool = False,
    condition: Sequence[str] = (),
    region: Sequence[str] = (),
    modality: Sequence[str] = (),
    meridian: Sequence[str] = (),
    category: Sequence[str] = (),
    exclude_caution: Sequence[str] = (),
) -> Built:
    """Write the atlas of the points the filters (those of `list`) choose into the folder `output`."""
    start = time.perf_counter()
    target = Path(output)
    filters = {
        "condition": condition,
        "region": region,
        "modality": modality,
        "meridian": meridian,
        "category": category,
        "exclude_caution": exclude_caution,
    }
    points = catalog.filter(**filters)
    if not points:
        raise UsageError("no point matches these filters: nothing to build (see: acupoints list with the same filters)")
    _check_target(target, force)
    env = _environment()
    site = _Site(catalog, points, {k: list(v) for k, v in filters.items() if v})
    parent = target.parent if str(target.parent) else Path(".")
    import tempfile

    try:
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp"))
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from None
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it private; a site is as readable as any folder
        files = site.write(env, tmp)
        size = sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file())
        _swap(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):  # a full disk, a folder made read-only meanwhile: one line, nothing left
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    return Built(target, site.counts(), files, size, time.perf_counter() - start)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _check_target(target: Path, force: bool) -> None:
    """Refuse before any work: an existing file, a non-empty folder without --force, a folder that
    is no site with it, a missing parent folder."""
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"cannot write {target}: folder {parent} does not exist")
    if target.resolve() == Path.cwd().resolve() or target.resolve() == Path.home().resolve():
        raise OutputError(f"will not write a site over {target}: name a new folder, e.g. -o atlas")
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink():
        raise OutputError(f"{target} is a symbolic link; name a new folder")
    if not target.is_dir():
        raise OutputError(f"{target} exists and is not a folder; name a new folder")
    if not any(target.iterdir()):
        return  # an empty folder: nothing to lose
    if not force:
        raise OutputError(f"{target} exists; use --force to replace it")
    if not (target / MARKER).is_file():
        raise OutputError(
            f"{target} is not a site acupoints built (no {MARKER} file): it is never replaced; name a new folder"
        )


def _swap(tmp: Path, target: Path) -> None:
    """Put the new site in place: the old one (if any) is moved aside first and removed last."""
    if not target.exists():
        os.rename(tmp, target)
        return
    old = tmp.with_name(tmp.name.removesuffix(".tmp") + ".old")
    os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _environment() -> Any:
    try:
        import jinja2
    except ImportError:
        raise AcupointsError(INSTALL_HINT) from None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("acupoints.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cjk_runs"] = cjk_runs
    env.filters["human"] = _human
    env.globals["NOTICE"] = NOTICE
    env.globals["version"] = __version__
    return env


def cjk_runs(text: str, lang: str = "zh-Hant") -> list[tuple[str, str | None]]:
    """Text cut into runs, each with the language its characters need: Chinese runs get `lang`,
    the rest None. The templates wrap the Chinese runs in a span with that lang attribute."""
    return [(part, lang if i % 2 else None) for i, part in enumerate(_CJK.split(text)) if part]


def _human(value: Any, column: str) -> str:
    """A table cell in the words the terminal table uses (output.cells.human)."""
    from acupoints.output.cells import human

    return human(column, value)


def safe_name(text: str) -> str:
    """A file name for a code: kept when it is letters, digits, - and _; else cleaned."""
    if _SAFE.fullmatch(text):
        return text
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-_")
    return cleaned or "x"


def study_links(ref: Reference) -> list[tuple[str, str]]:
    """A study's links out: (label, address) for its DOI, PMID and PMC id."""
    out = []
    if ref.doi:
        out.append((f"doi:{ref.doi}", f"https://doi.org/{ref.doi}"))
    if ref.pmid:
        out.append((f"PMID {ref.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"))
    if ref.pmcid:
        out.append((ref.pmcid, f"https://www.ncbi.nlm.nih.gov/pmc/articles/{ref.pmcid}/"))
    return out


@dataclass
class _Chart:
    svg: str
    caption: str
    warnings: list[str] = field(default_factory=list)


class _Site:
    """The pages of one atlas: which exist, where each lives, and what each holds."""

    def __init__(self, catalog: Catalog, points: Sequence[Point], filters: dict[str, list[str]]) -> None:
        from acupoints import model as m

        self.catalog = catalog
        self.points = list(points)
        self.filters = filters
        self.codes = {p.code for p in self.points}
        merids = {p.meridian for p in self.points}
        self.channels = [c for c in m.MERIDIANS if c in merids]
        used = {c for p in self.points for c in p.conditions}
        self.conditions = [c for c in catalog.conditions if c in used]
        kinds = {k for p in self.points for k in p.category_kinds}
        self.categories = [k for k in m.CATEGORIES if k in kinds]
        self._names: dict[tuple[str, str], str] = {}
        self._taken: set[tuple[str, str]] = set()
        self.written: dict[str, int] = {}

    # -- where a page lives (relative to the site's root), or None if this site has no such page
    def _file(self, kind: str, key: str) -> str:
        if (kind, key) not in self._names:
            name = safe_name(key)
            while (kind, name) in self._taken:  # two keys that clean to one name: keep both
                name += "_"
            self._taken.add((kind, name))
            self._names[(kind, key)] = name
        return f"{kind}/{self._names[(kind, key)]}.html"

    def point_url(self, code: str) -> str | None:
        return self._file("points", code) if code in self.codes else None

    def channel_url(self, code: str) -> str | None:
        return self._file("channels", code) if code in self.channels else None

    def condition_url(self, code: str) -> str | None:
        return self._file("conditions", code) if code in self.conditions else None

    def category_url(self, kind: str) -> str | None:
        return self._file("categories", kind) if kind in self.categories else None

    def ref_url(self, rid: str) -> str | None:
        if rid in self.catalog.references:
            return f"references.html#ref-{safe_name(rid)}"
        if rid in self.catalog.sources:
            return f"references.html#src-{safe_name(rid)}"
        return None

    def source_name(self, sid: str) -> str:
        from acupoints.results import sources_text

        return sources_text(self.catalog, [sid])

    def counts(self) -> dict[str, int]:
        return dict(self.written)

    # -- the charts
    def chart(self, chosen: dict[str, set[str] | None], title: str, caption: str, lines: Sequence[str] = ()) -> _Chart:
        from acupoints.map.report import make_report
        from acupoints.map.svg import to_svg

        report = make_report(self.catalog, chosen, None, list(lines))
        svg = to_svg(report.chart, title=title, notice=NOTICE)
        return _Chart(svg, caption, [w.text for w in report.warnings()])

    # -- the pages
    def write(self, env: Any, root: Path) -> int:
        """Render every page into `root`; the number of files written."""
        from acupoints.map.palette import CHANNEL_COLOURS

        from . import searchindex

        files = 0

        def put(rel: str, text: str) -> None:
            nonlocal files
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            files += 1

        def page(template: str, rel: str, counted: str, **context: Any) -> None:
            depth = rel.count("/")
            context.update(root="../" * depth, site=self, here=rel)
            put(rel, env.get_template(template).render(**context))
            self.written[counted] = self.written.get(counted, 0) + 1

        from acupoints.map.landmarks_svg import LANDMARK_TEXT
        from acupoints.map.svg import BODY_FILL

        css = env.get_template("site.css").render(
            labels=_label_colours(CHANNEL_COLOURS), landmark_text=readable(LANDMARK_TEXT, BODY_FILL)
        )
        put("assets/site.css", css)
        from importlib.resources import files as package_files

        for name in STATIC:  # copied as they are: scripts are not templates
            put(f"assets/{name}", package_files("acupoints.site").joinpath("static", name).read_text(encoding="utf-8"))
        index = searchindex.build(self.catalog, self.points, lambda c: self.point_url(c) or "")
        put("assets/search-index.js", searchindex.script(index))
        put(MARKER, "This folder is a site written by `acupoints site`; `--force` may replace it.\n")

        from acupoints.results import PointPages

        pages = PointPages(self.points, self.catalog)
        records = pages.data()
        plain = self.catalog.plain_locations()
        for i, (p, record) in enumerate(zip(self.points, records, strict=True)):
            url = self.point_url(p.code)
            assert url
            page("point.html", url, "point page", **self._point(p, record, pages, plain, i))
        for code in self.channels:
            url = self.channel_url(code)
            assert url
            page("channel.html", url, "channel page", **self._channel(code))
        for cond in self.conditions:
            url = self.condition_url(cond)
            assert url
            page("condition.html", url, "condition page", **self._condition(cond))
        for kind in self.categories:
            url = self.category_url(kind)
            assert url
            page("category.html", url, "category page", **self._category(kind))
        page("references.html", "references.html", "reference page", **self._references())
        page("index.html", "index.html", "index page", **self._index())
        return files

    def _point(self, p: Point, record: dict[str, Any], pages: Any, plain: Mapping[str, str], i: int) -> dict[str, Any]:
        from acupoints import evidence as ev
        from acupoints import model as m

        catalog = self.catalog
        sections = dict(pages.sections(p))
        same = [q for q in self.points if q.meridian == p.meridian]
        at = same.index(p)
        prev_point = same[at - 1] if at > 0 else None
        next_point = same[at + 1] if at + 1 < len(same) else None
        cautions = [
            {
                "kind": c.kind,
                "basis": c.basis,
                "modality": c.modality,
                "structure": c.structure,
                "context": c.context,
                "text": c.text,
                "sources": [(self.source_name(s), self.ref_url(s)) for s in c.sources],
            }
            for c in p.cautions
        ]
        evidence = ev.for_point(catalog, p.code, list(catalog.conditions))
        chart = self.chart(
            {p.code: None},
            f"{p.code} {p.pinyin}: where it lies",
            f"Where {p.code} lies, on every view of the schematic body that shows it "
            f"({'both sides' if p.bilateral else 'the midline'}); positions in WHO proportional cun.",
        )
        return {
            "point": p,
            "record": record,
            "sections": sections,
            "channel_name": m.MERIDIANS.get(p.meridian, p.meridian),
            "cautions": cautions,
            "rulings": self._rulings(p),
            "evidence": self._evidence(evidence),
            "chart": chart,
            "prev_point": prev_point,
            "next_point": next_point,
            "plain": plain.get(p.code),
            "title": f"{p.code} {p.pinyin} ({p.english})",
        }

    def _rulings(self, p: Point) -> list[dict[str, Any]]:
        """What the rule engine (the one `check` and `prescribe` use) adds for a patient with each
        flag, or treated for each condition the point was used for, beyond the point's own cautions:
        each row the option that raises it, the finding, and the modalities it concerns."""
        from acupoints.flags import LIMBS, Flags, specs
        from acupoints.safety import check

        catalog = self.catalog
        mods = list(p.modalities)
        base = {mod: {f.message for f in check(catalog, [p.code], modality=mod)} for mod in mods}
        situations: list[tuple[str, Flags, str | None]] = []
        for s in specs():
            raised: dict[str, Any]
            if s.limbs:  # the rules are the same on either side: the left limbs stand for both
                for limb in (k for k in LIMBS if k.startswith("left-")):
                    other = limb.replace("left-", "right-")
                    raised = {s.name: (limb,)}
                    situations.append((f"{s.option} {limb} (or {other})", Flags(**raised), None))
            else:
                raised = {s.name: True}
                situations.append((s.option, Flags(**raised), None))
        for code in p.conditions:
            if code in catalog.conditions:
                situations.append((f"--condition {code}", Flags(), code))
        found: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], list[str]] = {}
        for option, flags, cond in situations:
            by_finding: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
            for mod in mods:
                for f in check(catalog, [p.code], flags=flags, modality=mod, condition=cond):
                    if f.kind == "modality" or f.message in base[mod]:
                        continue
                    by_finding.setdefault((f.message, f.effect, f.sources), []).append(mod)
            # one row for a finding that several options raise alike (--diabetic-foot, --condition DPN)
            for (message, effect, sources), used in by_finding.items():
                found.setdefault((message, effect, sources, tuple(used)), []).append(option)
        return [
            {
                "options": options,
                "effect": effect,
                "message": message,
                "modalities": list(used),
                "sources": [(self.source_name(s), self.ref_url(s)) for s in sources],
            }
            for (message, effect, sources, used), options in found.items()
        ]

    def _evidence(self, view: EvidenceView) -> list[dict[str, Any]]:
        """An evidence view's sections with each study ready to show (links, result class)."""
        from acupoints.prescribe import RESULT_LABELS

        out = []
        for s in view.sections:
            studies = []
            for r in s.studies:
                studies.append(
                    {
                        "ref": r,
                        "url": self.ref_url(r.id),
                        "anchor": f"ref-{safe_name(r.id)}",
                        "design": r.study_type,
                        "result": RESULT_LABELS.get(r.result or "", ""),
                        "points": [(c, self.point_url(c)) for c in r.codes],
                        "uncertain": [(c, self.point_url(c)) for c in r.uncertain_codes],
                        "secondary": r.points_source == "secondary",
                        "links": study_links(r),
                    }
                )
            out.append(
                {
                    "title": s.title,
                    "condition": s.condition,
                    "condition_url": self.condition_url(s.condition) if s.condition else None,
                    "summary": list(s.summary),
                    "notes": list(s.notes),
                    "studies": studies,
                }
            )
        return out

    def _channel(self, code: str) -> dict[str, Any]:
        from acupoints.results import ChannelView

        view = self.catalog.channel(code)
        points = [p for p in view["points"] if p.code in self.codes]
        result = ChannelView(view["channel"], points)
        chart = self.chart(
            {p.code: None for p in points},
            f"{result.heading()}",
            f"The {code} points of this atlas on the schematic body"
            + ("; the line joins the channel's points in WHO order." if code != "EX" else "."),
            [code],
        )
        return {
            "channel": view["channel"],
            "result": result,
            "rows": result.rows(),
            "columns": result.columns,
            "points": points,
            "total": len(view["points"]),
            "chart": chart,
            "title": result.heading(),
        }

    def _condition(self, cond: str) -> dict[str, Any]:
        from acupoints import evidence as ev
        from acupoints.prescribe import course_plan, describe_plan

        catalog = self.catalog
        info = catalog.conditions[cond]
        view = ev.for_conditions(catalog, [cond])
        refs = catalog.references

        def name(i: str) -> str:
            return refs[i].short if i in refs else i

        courses = [
            (label, describe_plan(course_plan(catalog, cond, mod), name))
            for label, mod in (
                ("Needles, with or without current (electroacupuncture)", "electro"),
                ("Acupressure", "acupressure"),
                ("Moxibustion", "moxibustion"),
            )
        ]
        cautions = [
            {
                "kind": c["kind"],
                "text": " ".join(str(c["text"]).split()),
                "sources": [
                    (self.source_name(s), self.ref_url(s))
                    for s in tuple(c.get("sources") or ()) + tuple(c.get("references") or ())
                ],
            }
            for c in info.get("cautions") or ()
        ]
        points = [p for p in self.points if cond in p.conditions]
        chart = self.chart(
            {p.code: None for p in points},
            f"{cond}: the points its studies used",
            f"The points the {cond} studies used, on the schematic body. That a study chose a point "
            "does not show that the point works.",
        )
        return {
            "code": cond,
            "info": info,
            "evidence": self._evidence(view),
            "courses": courses,
            "cautions": cautions,
            "points": [(p, [(r, self.ref_url(r)) for r in p.conditions[cond]]) for p in points],
            "chart": chart,
            "title": f"{cond}: {info['name']}",
        }

    def _category(self, kind: str) -> dict[str, Any]:
        points = [p for p in self.points if kind in p.category_kinds]
        rows = [(p, [c for c in p.categories if c.kind == kind]) for p in points]
        chart = self.chart(
            {p.code: None for p in points},
            f"{kind} points",
            f"The {kind} points of this atlas on the schematic body.",
        )
        return {"kind": kind, "rows": rows, "chart": chart, "title": f"{kind} points"}

    def _references(self) -> dict[str, Any]:
        from acupoints import evidence as ev

        catalog = self.catalog
        view = ev.for_conditions(catalog, list(catalog.conditions))
        sources = [
            {
                "id": sid,
                "anchor": f"src-{safe_name(sid)}",
                "short": src.get("short") or sid,
                "cite": src.get("cite") or "",
                "url": src.get("url"),
                "kind": src.get("kind") or "",
                "note": " ".join(str(src.get("note") or "").split()),
            }
            for sid, src in catalog.sources.items()
        ]
        return {"evidence": self._evidence(view), "sources": sources, "title": "References"}

    def _index(self) -> dict[str, Any]:
        from acupoints import model as m

        catalog = self.catalog
        by_channel = [(c, m.MERIDIANS[c], [p for p in self.points if p.meridian == c]) for c in self.channels]
        return {
            "by_channel": by_channel,
            "conditions": [(c, catalog.conditions[c]["name"]) for c in self.conditions],
            "categories": [(k, sum(k in p.category_kinds for p in self.points)) for k in self.categories],
            "filters": self.filters,
            "total": len(self.points),
            "catalog_total": len(catalog),
            "title": "Acupoints atlas",
        }


def _label_colours(colours: dict[str, str]) -> list[tuple[str, str]]:
    """Each channel's colour, darkened where needed until text in it reaches WCAG AA (4.5:1) on
    white: the chart's labels sit on a white halo, and the map's palette is tuned for markers."""
    return [(code, readable(colour)) for code, colour in colours.items()]


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(colour: str, background: str = "#ffffff", ratio: float = 4.5) -> str:
    """`colour`, or the first darker shade of it that reaches `ratio` against `background`."""
    h = colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) for i in (0, 2, 4)]
    shade = colour
    for step in range(0, 101):
        f = 1 - step / 100
        shade = "#" + "".join(f"{round(c * f):02x}" for c in rgb)
        if contrast(shade, background) >= ratio:
            return shade
    return shade
