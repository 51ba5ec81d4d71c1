"""Loading the catalog, and asking it questions: get, resolve, filter, search, vocabularies.

Reading YAML costs ~50 ms for 400 points (more without libyaml) and validation as much again,
which is most of a command's budget. So a validated catalog is kept in the user's cache as
plain data in marshal's format (dicts, lists, strings and numbers; no pickle, nothing that runs
code), under a key made of the bytes of every file it came from, the package version and the
Python version: an edited file, another catalog, a new release or another Python can never be
served stale data. marshal reads a 40,000-point catalog about six times faster than JSON.
Points are built into objects only when asked for, so `show ST36` on such a catalog builds one.
"""

from __future__ import annotations

import contextlib
import difflib
import marshal
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from . import codes as codes_mod
from . import model as m

CACHE_FORMAT = 3
_HERE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The shipped data: inside the package in a wheel, the repository's data/ in a checkout."""
    for d in (_HERE / "_data", _HERE.parent / "data"):
        if (d / "points.yaml").is_file():
            return d
    return _HERE.parent / "data"


def default_catalog_path() -> Path:
    env = os.environ.get("ACUPOINTS_CATALOG")
    return Path(env) if env else data_dir() / "points.yaml"


def _companion(points_path: Path, name: str) -> Path:
    """references.yaml and safety-sources.yaml beside a catalog, else the shipped ones."""
    beside = points_path.parent / name
    return beside if beside.is_file() else data_dir() / name


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise m.CatalogError([f"{_display(path)}: no such file"]) from None
    except IsADirectoryError:
        raise m.CatalogError([f"{_display(path)}: is a folder, not a catalog file"]) from None
    except OSError as exc:
        raise m.CatalogError([f"{_display(path)}: cannot read: {exc.strerror}"]) from None


def _decode(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise m.CatalogError([f"{_display(path)}:{line}: file: not UTF-8 text (byte 0x{raw[exc.start]:02x})"]) from None
    if not text.strip() or all(ln.lstrip().startswith("#") or not ln.strip() for ln in text.splitlines()):
        raise m.CatalogError([f"{_display(path)}: file: the file is empty"])
    return text.removeprefix("\ufeff")


def _cache_dir() -> Path | None:
    env = os.environ.get("ACUPOINTS_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None  # empty: no cache
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "acupoints"


def _cache_key(blobs: Sequence[bytes]) -> str:
    try:  # the module behind hashlib.blake2b, without hashlib's OpenSSL start-up (~3 ms)
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import blake2b
    h = blake2b(digest_size=20)
    h.update(f"{__version__}\0{CACHE_FORMAT}\0{marshal.version}\0{sys.version_info[:2]}\0".encode())
    for blob in blobs:
        h.update(len(blob).to_bytes(8, "little"))
        h.update(blob)
    return h.hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def parse_files(points_path: Path, blobs: dict[str, tuple[Path, bytes]]) -> dict[str, Any]:
    """Parse and validate the three files; raises CatalogError listing every problem."""
    import gc

    # Parsing builds millions of small objects, and the cyclic collector would rescan them again
    # and again (40,000 points: 17 s with it, 9 s without). Nothing here makes cycles to collect.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse_files(points_path, blobs)
    finally:
        if enabled:
            gc.enable()


def _parse_files(points_path: Path, blobs: dict[str, tuple[Path, bytes]]) -> dict[str, Any]:
    from . import _yamlload, validate

    parsed: dict[str, Any] = {}
    problems: list[str] = []
    probs_by_file: dict[str, validate.Problems] = {}
    for name, (path, raw) in blobs.items():
        probs = probs_by_file[name] = validate.Problems(_display(path))
        try:
            data, dupes = _yamlload.load(_decode(raw, path))
        except _yamlload.YamlProblem as exc:
            problems.append(f"{_display(path)}:{exc.line}: file: {exc.message}")
            continue
        if data is None:
            problems.append(f"{_display(path)}: file: the file is empty")
            continue
        for line, message in dupes:
            probs.add(line, "file", message)
        parsed[name] = data
    if problems:
        raise m.CatalogError(problems)

    sources = validate.check_sources(parsed["sources"], probs_by_file["sources"])
    references = validate.check_references(parsed["references"], probs_by_file["references"])
    points = validate.check_points(parsed["points"], probs_by_file["points"], references, set(sources))
    # A study must name points of the catalog it ships with; a private catalog read with the
    # shipped references need not hold every point those studies used.
    if points and blobs["references"][0].parent == points_path.parent:
        validate.check_reference_codes(references, {p["code"] for p in points}, probs_by_file["references"])
    for probs in probs_by_file.values():
        problems += probs.sorted()
    if problems:
        raise m.CatalogError(problems)
    if not points:
        raise m.CatalogError([f"{_display(points_path)}: file: the catalog has no points"])
    data_version = parsed["points"].get("data_version") if isinstance(parsed["points"], dict) else None
    return {
        "format": CACHE_FORMAT,
        "points": points,
        "references": _plain(references),
        "sources": _plain(sources),
        "index": codes_mod.build_index(points),
        "data_version": str(data_version) if data_version is not None else None,
    }


def _for_cache(data: dict[str, Any]) -> dict[str, Any]:
    """The cache keeps each point, and the name index, as a marshal blob of its own: a cache hit
    then creates one bytes object per point instead of a dict tree, and `show ST36` decodes one
    point (40,000 points: ~20 ms instead of ~300 ms)."""
    out = {k: v for k, v in data.items() if k not in ("points", "index")}
    out["codes"] = [p["code"] for p in data["points"]]
    out["blobs"] = [marshal.dumps(p) for p in data["points"]]
    out["index_blob"] = marshal.dumps(data["index"])
    out["facets"] = [_facets(p) for p in data["points"]]
    return out


def _facets(p: dict[str, Any]) -> list[Any]:
    """What the filters look at, kept beside the blobs so `list` decodes only the points it shows."""
    return [
        list(p["conditions"]),
        p["region"],
        list(p["modalities"]),
        p["meridian"],
        [c["kind"] for c in p["categories"]],
        [c["kind"] for c in p["cautions"]],
    ]


def _plain(obj: Any) -> Any:
    """The same data without LineDict, which marshal (rightly) refuses: it takes only exact types."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def load_catalog(path: str | os.PathLike[str] | None = None, *, cache: bool = True) -> Catalog:
    """Read a catalog (the shipped one by default), validated; CatalogError if it is not valid."""
    points_path = Path(path) if path is not None else default_catalog_path()
    files = {
        "points": points_path,
        "references": _companion(points_path, "references.yaml"),
        "sources": _companion(points_path, "safety-sources.yaml"),
    }
    blobs = {name: (p, _read_bytes(p)) for name, p in files.items()}
    cache_dir = _cache_dir() if cache else None
    cache_file = None
    if cache_dir is not None:
        cache_file = cache_dir / f"catalog-{_cache_key([b for _, b in blobs.values()])}.marshal"
        try:
            cached = marshal.loads(cache_file.read_bytes())
            if isinstance(cached, dict) and cached.get("format") == CACHE_FORMAT:
                return Catalog(cached, path=points_path)
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            pass  # no cache yet, or a damaged one: read the files afresh
    data = parse_files(points_path, blobs)
    if cache_file is not None:
        try:
            _write_atomic(cache_file, marshal.dumps(_for_cache(data)))
        except (OSError, ValueError):
            pass  # a read-only home is no reason to fail a lookup
    return Catalog(data, path=points_path)


def _build_point(d: dict[str, Any]) -> m.Point:
    n = d["needling"]
    return m.Point(
        code=d["code"],
        meridian=d["meridian"],
        number=d["number"],
        pinyin=d["pinyin"],
        hanzi=d["hanzi"],
        hanzi_simplified=d.get("hanzi_simplified"),
        english=d["english"],
        aliases=tuple(d["aliases"]),
        ambiguous_aliases=tuple(d.get("ambiguous_aliases", ())),
        bilateral=d["bilateral"],
        region=d["region"],
        location=d["location"],
        needling=m.Needling(n["angle"], (n["depth_cun"][0], n["depth_cun"][1]), n["source"], n.get("note")),
        actions=tuple(d["actions"]),
        indications=tuple(d["indications"]),
        categories=tuple(m.Category(c["kind"], c.get("of"), c.get("partner")) for c in d["categories"]),
        element=d.get("element"),
        modalities=tuple(d["modalities"]),
        cautions=tuple(
            m.Caution(
                c["kind"],
                c["basis"],
                c["modality"],
                c["text"],
                tuple(c["sources"]),
                c.get("structure"),
                c.get("context"),
            )
            for c in d["cautions"]
        ),
        conditions={k: tuple(v) for k, v in d["conditions"].items()},
    )


def _build_reference(d: dict[str, Any]) -> m.Reference:
    return m.Reference(
        id=d["id"],
        condition=d["condition"],
        authors=d["authors"],
        year=int(d["year"]),
        title=d["title"],
        journal=d["journal"],
        study_type=d["study_type"],
        finding=d["finding"],
        verdict=d["verdict"],
        codes=tuple(d.get("codes") or ()),
        uncertain_codes=tuple(d.get("uncertain_codes") or ()),
        volume_pages=d.get("volume_pages"),
        doi=d.get("doi"),
        pmid=d.get("pmid"),
        pmcid=d.get("pmcid"),
        n=str(d["n"]) if d.get("n") is not None else None,
        points=tuple(d.get("points") or ()),
        points_source=d.get("points_source"),
        modality=d.get("modality"),
        parameters=dict(d.get("parameters") or {}),
    )


class Catalog:
    """The points, their references and caution sources, and the ways to find points."""

    def __init__(self, data: dict[str, Any], path: Path | None = None) -> None:
        self.path = path
        self.data_version: str | None = data.get("data_version")
        # the validator has put the points in WHO order already; from the cache, each point is
        # still a marshal blob until it is first used (see _for_cache)
        if "blobs" in data:
            self._raw: dict[str, Any] = dict(zip(data["codes"], data["blobs"], strict=True))
            self._index_data: Any = data["index_blob"]
            self._facet_list: list[Any] = data["facets"]
        else:
            self._raw = {p["code"]: p for p in data["points"]}
            self._index_data = data["index"]
            self._facet_list = [_facets(p) for p in data["points"]]
        self._built: dict[str, m.Point] = {}
        self._references_raw: dict[str, dict[str, Any]] = data["references"]
        self._references: dict[str, m.Reference] | None = None
        self._positions: Any = None
        self.sources: dict[str, dict[str, Any]] = data["sources"]
        self._conditions: dict[str, dict[str, Any]] | None = None

    # -- points -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._raw)

    def __iter__(self) -> Iterator[m.Point]:
        return (self.point(code) for code in self._raw)

    def __contains__(self, code: object) -> bool:
        return code in self._raw

    def positions(self) -> Any:
        """Where the points are, for `map`: positions.yaml beside this catalog (which must match
        it), else the shipped one (points this catalog lacks are left out). Read on first use."""
        if self._positions is None:
            from .positions import load_positions

            path = _companion(self.path, "positions.yaml")
            bilateral = {p.code: p.bilateral for p in self.points}
            self._positions = load_positions(path, bilateral, strict=path.parent == self.path.parent)
        return self._positions

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._raw)

    @property
    def points(self) -> tuple[m.Point, ...]:
        return tuple(self)

    def point(self, code: str) -> m.Point:
        """The point with exactly this WHO code (KeyError if there is none)."""
        built = self._built.get(code)
        if built is None:
            built = self._built[code] = _build_point(self._raw_of(code))
        return built

    def _raw_of(self, code: str) -> dict[str, Any]:
        raw = self._raw[code]
        if raw.__class__ is bytes:
            raw = self._raw[code] = marshal.loads(raw)
        return raw

    def _raws(self) -> Iterator[tuple[str, dict[str, Any]]]:
        return ((code, self._raw_of(code)) for code in self._raw)

    def _index(self) -> dict[str, list[str]]:
        if self._index_data.__class__ is bytes:
            self._index_data = marshal.loads(self._index_data)
        return self._index_data

    @property
    def references(self) -> dict[str, m.Reference]:
        if self._references is None:
            self._references = {k: _build_reference(v) for k, v in self._references_raw.items()}
        return self._references

    @property
    def conditions(self) -> dict[str, dict[str, Any]]:
        """What conditions.yaml says of each condition (read when first asked for; checked then)."""
        if self._conditions is None:
            self._conditions = _load_conditions(self)
        return self._conditions

    # -- finding one --------------------------------------------------------------------
    def resolve(self, text: str) -> tuple[m.Point, ...]:
        """Every point the text may name (a code in any system, a name, characters); () if none."""
        return tuple(self.point(c) for c in codes_mod.resolve(text, self._index, self._raw))

    def lookup(self, text: str) -> m.Point:
        """The one point the text names; UnknownPointError or AmbiguousPointError otherwise."""
        found = self.resolve(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise m.AmbiguousPointError(text, found)
        raise m.UnknownPointError(text, self.suggest(text))

    def get(self, text: str, default: m.Point | None = None) -> m.Point | None:
        """Like lookup, but `default` when no point has that name (ambiguity still raises)."""
        try:
            return self.lookup(text)
        except m.UnknownPointError:
            return default

    def suggest(self, text: str) -> tuple[str, ...]:
        return codes_mod.suggest(text, self._index(), self._raw)

    # -- vocabularies -------------------------------------------------------------------
    def check_value(self, kind: str, value: str) -> str:
        """A filter value in its canonical spelling, or UsageError with the nearest ones."""
        v = value.strip()
        if kind == "meridian":
            found = codes_mod.meridian_from(v)
            if len(found) == 1:
                return found[0]
            options: Iterable[str] = m.MERIDIANS
        else:
            options = {
                "condition": m.CONDITIONS,
                "region": m.REGIONS,
                "modality": m.MODALITIES,
                "category": m.CATEGORIES,
                "caution": m.CAUTION_KINDS,
            }[kind]
            for o in options:
                if o.casefold() == v.casefold():
                    return o
        close = difflib.get_close_matches(v.casefold(), [o.casefold() for o in options], n=1, cutoff=0.5)
        hint = f"; did you mean {[o for o in options if o.casefold() == close[0]][0]}?" if close else ""
        raise m.UsageError(f"unknown {kind} {value!r}{hint} (see: acupoints vocab {kind})")

    def vocabulary(self, kind: str) -> list[tuple[str, int, str]]:
        """(value, number of points, description) for one vocabulary."""
        pts = self.points
        if kind == "region":
            return [
                (r, sum(p.region in m.region_parts(r) for p in pts), ", ".join(m.REGION_TREE.get(r, ())))
                for r in m.REGIONS
            ]
        if kind == "meridian":
            return [(k, sum(p.meridian == k for p in pts), v) for k, v in m.MERIDIANS.items()]
        if kind == "category":
            return [(k, sum(k in p.category_kinds for p in pts), "") for k in m.CATEGORIES]
        if kind == "modality":
            return [(k, sum(k in p.modalities for p in pts), "") for k in m.MODALITIES]
        if kind == "condition":
            return [(k, sum(k in p.conditions for p in pts), v) for k, v in m.CONDITIONS.items()]
        if kind == "caution":
            return [(k, sum(k in p.caution_kinds for p in pts), "") for k in m.CAUTION_KINDS]
        raise m.UsageError(f"unknown vocabulary {kind!r}")

    def channel(self, text: str) -> dict[str, Any]:
        """A channel as students learn it: a summary and its points in order."""
        found = codes_mod.meridian_from(text)
        if len(found) != 1:
            hint = difflib.get_close_matches(text.upper(), list(m.MERIDIANS), n=1, cutoff=0.5)
            more = f"; did you mean {hint[0]}?" if hint else ""
            raise m.UsageError(f"no channel {text!r}{more} (channels: {', '.join(m.MERIDIANS)})")
        code = found[0]
        points = [p for p in self if p.meridian == code]
        summary: dict[str, Any] = {"code": code, "name": m.MERIDIANS[code], "points": len(points)}
        if code in m.CHANNELS:
            full, organ, element, polarity, paired = m.CHANNELS[code]
            summary.update(traditional=full, organ=organ, element=element, polarity=polarity, paired=paired)
        if points:
            summary["starts"] = {"code": points[0].code, "region": points[0].region}
            summary["ends"] = {"code": points[-1].code, "region": points[-1].region}
        return {"channel": summary, "points": points}

    def prescribe(self, condition: str, **options: Any) -> Any:
        """A point prescription (see acupoints.prescribe.prescribe for the options)."""
        from .prescribe import prescribe

        return prescribe(self, condition, **options)

    def check(self, points: Iterable[str], **options: Any) -> list[Any]:
        """Everything wrong with these points for a patient (see acupoints.safety.check); [] if nothing."""
        from .safety import check

        return check(self, list(points), **options)

    # -- many ---------------------------------------------------------------------------
    def filter(
        self,
        *,
        condition: Sequence[str] = (),
        region: Sequence[str] = (),
        modality: Sequence[str] = (),
        meridian: Sequence[str] = (),
        category: Sequence[str] = (),
        exclude_caution: Sequence[str] = (),
    ) -> list[m.Point]:
        """Points matching every given filter (any of the values given for one filter), WHO order."""
        conds = {self.check_value("condition", v) for v in condition}
        regions: set[str] = set()
        for v in region:
            regions |= m.region_parts(self.check_value("region", v))
        mods = {self.check_value("modality", v) for v in modality}
        merids = {self.check_value("meridian", v) for v in meridian}
        cats = {self.check_value("category", v) for v in category}
        excluded = {self.check_value("caution", v) for v in exclude_caution}
        out = []
        for code, (f_conds, f_region, f_mods, f_merid, f_cats, f_cauts) in zip(
            self._raw, self._facet_list, strict=True
        ):
            if conds and not conds.intersection(f_conds):
                continue
            if regions and f_region not in regions:
                continue
            if mods and not mods.intersection(f_mods):
                continue
            if merids and f_merid not in merids:
                continue
            if cats and not cats.intersection(f_cats):
                continue
            if excluded and excluded.intersection(f_cauts):
                continue
            out.append(self.point(code))
        return out

    def search(self, text: str, limit: int | None = None) -> list[tuple[m.Point, float]]:
        """Points ranked by how well the text matches, best first; typos still match by similarity.

        Weights: a code or whole name counts most (someone who types "hegu" wants LI4), a word of
        a name next, a word of the location, actions or indications least. A word that is only
        similar (ratio >= 0.8, about one typo in five letters) earns its weight times the ratio
        halved, so an exact word always outranks a near one.
        """
        words = [w for w in (codes_mod.toneless_key(x) for x in text.split()) if w]
        if not words:
            return []
        exact = {p.code for p in self.resolve(text)}
        scored = []
        for code, raw in self._raws():
            names = _name_words(raw)
            body = _body_words(raw)
            score = 100.0 if code in exact else 0.0
            joined = codes_mod.toneless_key(text)
            if joined and joined in {codes_mod.toneless_key(raw["pinyin"]), codes_mod.name_key(raw["english"])}:
                score += 40
            for w in words:
                score += _word_score(w, names, 20.0) or _word_score(w, body, 5.0)
            if score > 0:
                scored.append((score, code))
        scored.sort(key=lambda x: -x[0])  # stable: ties stay in WHO order
        ranked = [(self.point(c), s) for s, c in scored]
        return ranked[:limit] if limit else ranked


def _load_conditions(catalog: Catalog) -> dict[str, dict[str, Any]]:
    from . import _yamlload, validate

    base = catalog.path if catalog.path is not None else default_catalog_path()
    path = _companion(base, "conditions.yaml")
    probs = validate.Problems(_display(path))
    try:
        data, dupes = _yamlload.load(_decode(_read_bytes(path), path))
    except _yamlload.YamlProblem as exc:
        raise m.CatalogError([f"{_display(path)}:{exc.line}: file: {exc.message}"]) from None
    for line, message in dupes:
        probs.add(line, "file", message)
    out: dict[str, dict[str, Any]] = {}
    items = data.get("conditions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise m.CatalogError([f"{_display(path)}:1: file: expected a mapping with a 'conditions' list"])
    for c in items:
        code = c.get("code") if isinstance(c, dict) else None
        if code not in m.CONDITIONS:
            probs.add(validate._line(c), str(code), f"unknown condition {code!r}")
            continue
        for key in ("name", "felt", "regions", "evidence", "cautions"):
            if key not in c:
                probs.add(validate._line(c), code, f"missing field {key!r}")
        for r in c.get("regions", ()):
            if r not in m.REGIONS:
                probs.add(validate._line(c, "regions"), code, f"unknown region {r!r}")
        cited = [i for d in (c.get("evidence") or {}).get("details", ()) for i in d.get("cites", ())]
        for caution in c.get("cautions", ()):
            cited += caution.get("references", ())
            for s in caution.get("sources", ()):
                if s not in catalog.sources:
                    probs.add(validate._line(caution), code, f"unknown source {s!r}")
            if not caution.get("sources") and not caution.get("references"):
                probs.add(validate._line(caution), code, "a caution needs its sources or references")
        for ref in cited:
            if ref not in catalog.references:
                probs.add(validate._line(c, "evidence"), code, f"unknown reference {ref!r}")
            elif catalog.references[ref].condition != code:
                probs.add(
                    validate._line(c, "evidence"), code, f"{ref} is a study of {catalog.references[ref].condition}"
                )
        out[code] = c
    if probs.items:
        raise m.CatalogError(probs.sorted())
    return out


def _words(texts: Iterable[str]) -> set[str]:
    out = set()
    for t in texts:
        for w in t.replace("/", " ").replace("-", " ").split():
            k = codes_mod.toneless_key(w)
            if len(k) > 1:
                out.add(k)
    return out


def _name_words(raw: dict[str, Any]) -> set[str]:
    names = [raw["english"], *raw["aliases"], *raw.get("ambiguous_aliases", ())]
    return _words(names) | {codes_mod.toneless_key(raw["pinyin"]), raw["code"].casefold().replace("-", "")}


def _body_words(raw: dict[str, Any]) -> set[str]:
    return _words([raw["location"], *raw["actions"], *raw["indications"]])


def _word_score(word: str, pool: set[str], weight: float) -> float:
    if word in pool:
        return weight
    if len(word) < 4:
        return 0.0
    best = 0.0
    for cand in pool:
        if abs(len(cand) - len(word)) > 2:
            continue
        r = difflib.SequenceMatcher(None, word, cand).ratio()
        if r > best:
            best = r
    return weight * best / 2 if best >= 0.8 else 0.0
