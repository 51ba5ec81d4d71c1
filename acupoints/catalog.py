"""Loading the catalog, and asking it questions: get, resolve, filter, search, vocabularies.

Reading YAML costs ~50 ms for 400 points (more without libyaml) and validation as much again,
which is most of a command's budget. So a validated catalog is kept in the user's cache (see
`_store`) as plain data in marshal's format, under a key made of the bytes of every file it came
from: marshal reads a 40,000-point catalog about six times faster than JSON. Points are built
into objects only when asked for, so `show ST36` on such a catalog builds one.
"""

from __future__ import annotations

import difflib
import marshal
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import _store
from . import codes as codes_mod
from . import model as m
from ._many import OneOrMany, many
from ._store import data_dir as data_dir  # re-exported: scripts and tests ask the catalog for it

if TYPE_CHECKING:
    from .flags import Flags
    from .map.positions import Positions
    from .prescribe import Prescription
    from .records import Channel, ChannelSummary, ConditionInfo, SourceInfo
    from .safety import Finding
    from .search import Hit, Searcher

CACHE_FORMAT = 4
# The data files a catalog is made of, by the name the validator knows each by.
FILES = {
    "points": "points.yaml",
    "references": "references.yaml",
    "sources": "safety-sources.yaml",
    "conditions": "conditions.yaml",
}


def default_catalog_path() -> Path:
    env = os.environ.get("ACUPOINTS_CATALOG")
    return Path(env) if env else data_dir() / "points.yaml"


def _companion(points_path: Path, name: str) -> Path:
    """references.yaml, safety-sources.yaml, conditions.yaml and positions.yaml beside a catalog,
    else the shipped ones."""
    beside = points_path.parent / name
    return beside if beside.is_file() else data_dir() / name


def parse_files(points_path: Path, blobs: dict[str, tuple[Path, bytes]]) -> dict[str, Any]:
    """Parse and validate the catalog's files; raises CatalogError listing every problem."""
    import gc

    from . import validate

    # Parsing builds millions of small objects, and the cyclic collector would rescan them again
    # and again (40,000 points: 17 s with it, 9 s without). Nothing here makes cycles to collect.
    enabled = gc.isenabled()
    gc.disable()
    try:
        data = validate.check_catalog(points_path, blobs)
    finally:
        if enabled:
            gc.enable()
    return {
        "format": CACHE_FORMAT,
        **data,
        "index": codes_mod.build_index(data["points"]),
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


def load_catalog(path: str | os.PathLike[str] | None = None, *, cache: bool = True) -> Catalog:
    """Read a catalog (the shipped one by default), validated; CatalogError if it is not valid."""
    points_path = Path(path) if path is not None else default_catalog_path()
    files = {name: points_path if name == "points" else _companion(points_path, f) for name, f in FILES.items()}
    blobs = {name: (p, _store.read_bytes(p)) for name, p in files.items()}
    cache_file = _store.cache_file("catalog", [b for _, b in blobs.values()], CACHE_FORMAT) if cache else None
    cached = _store.cache_load(cache_file, CACHE_FORMAT)
    if cached is not None:
        try:
            return _with_search_cache(Catalog(cached, path=points_path), cache_file)
        except (KeyError, TypeError, ValueError):
            pass  # a damaged cache: read the files afresh
    data = parse_files(points_path, blobs)
    if cache_file is not None:  # packing for the cache is work: none when there is no cache
        _store.cache_save(cache_file, _for_cache(data))
    return _with_search_cache(Catalog(data, path=points_path), cache_file)


def _with_search_cache(catalog: Catalog, cache_file: Path | None) -> Catalog:
    """The catalog's cache file names the files it came from: the search index's key starts there."""
    catalog._search_cache = cache_file
    return catalog


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
        conditions=m.FrozenDict({k: tuple(v) for k, v in d["conditions"].items()}),
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
        parameters=m.freeze(d.get("parameters") or {}),
        applied=tuple(d.get("applied") or ()),
        comparator=d.get("comparator"),
        result=d.get("result"),
    )


class Catalog:
    """The points, their references and caution sources, and the ways to find points.

    Iterating gives the points in WHO order; `catalog["ST36"]` is `lookup` (any spelling the
    resolver takes; KeyError, with the nearest names, when no one point has it) and `"ST36" in
    catalog` says whether it would give a point. Made by `load_catalog`.
    """

    path: Path | None
    data_version: str | None
    sources: Mapping[str, SourceInfo]

    def __init__(self, data: Mapping[str, object], path: Path | None = None) -> None:
        self._init(data, path)

    def _init(self, data: Any, path: Path | None) -> None:
        self.path = path
        self.data_version = data.get("data_version")
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
        self._positions: Positions | None = None
        self._plain_locations: dict[str, str] | None = None
        self._searcher: Searcher | None = None
        self._search_cache: Path | None = None
        self.sources = MappingProxyType(data["sources"])
        self._conditions: dict[str, ConditionInfo] = data["conditions"]

    # -- points -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._raw)

    def __iter__(self) -> Iterator[m.Point]:
        return (self.point(code) for code in self._raw)

    def __contains__(self, item: object) -> bool:
        """Whether `catalog[item]` gives a point: a text that names exactly one point (a code in any
        spelling, a name), or a Point of this catalog."""
        if isinstance(item, m.Point):
            return item.code in self._raw and self.point(item.code) == item
        if not isinstance(item, str):
            return False
        if item in self._raw:
            return True
        return len(codes_mod.resolve(item, self._index, self._raw)) == 1

    def __getitem__(self, text: str) -> m.Point:
        """The one point the text names (as `lookup`); KeyError (UnknownPointError or
        AmbiguousPointError, which are KeyErrors) saying why and what is near."""
        if not isinstance(text, str):
            raise m.UnknownPointError(str(text))
        built = self._built.get(text)
        return built if built is not None else self.lookup(text)

    def data_file(self, name: str) -> Path:
        """The companion file (conditions.yaml, positions.yaml, ...) this catalog reads: the one
        beside it, else the shipped one."""
        return _companion(self.path if self.path is not None else default_catalog_path(), name)

    def plain_locations(self) -> Mapping[str, str]:
        """Where each point is in a patient's words (plain-locations.yaml beside this catalog, else
        the shipped one), for the handout: code -> text. CatalogError listing every problem."""
        if self._plain_locations is None:
            from . import validate

            path = self.data_file("plain-locations.yaml")
            data, dupes = _store.read(path)
            # the shipped file serves a smaller catalog of one's own: its other points are not errors
            beside = self.path is None or path.parent == self.path.parent
            found, problems = validate.check_plain_locations(data, set(self._raw), _store.display(path), strict=beside)
            problems = [f"{_store.display(path)}:{line}: file: {msg}" for line, msg in dupes] + problems
            if problems:
                raise m.CatalogError(problems)
            self._plain_locations = found
        return MappingProxyType(self._plain_locations)

    def positions(self) -> Positions:
        """Where the points are, for `map`: positions.yaml beside this catalog (which must match
        it), else the shipped one (points this catalog lacks are left out). Read on first use."""
        if self._positions is None:
            from .map.positions import load_positions

            base = self.path if self.path is not None else default_catalog_path()
            path = _companion(base, "positions.yaml")
            bilateral = {p.code: p.bilateral for p in self.points}
            self._positions = load_positions(path, bilateral, strict=path.parent == base.parent)
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
    def references(self) -> Mapping[str, m.Reference]:
        """The studies by id (read-only)."""
        if self._references is None:
            self._references = {k: _build_reference(v) for k, v in self._references_raw.items()}
        return MappingProxyType(self._references)

    @property
    def conditions(self) -> Mapping[str, ConditionInfo]:
        """What conditions.yaml says of each condition, by code, in the file's order: the set of
        conditions is data, so a new one needs no change to the code. Read-only."""
        return MappingProxyType(self._conditions)

    def condition_names(self) -> dict[str, str]:
        """Each declared condition's code and its name in full."""
        return {code: info["name"] for code, info in self._conditions.items()}

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
            near = codes_mod.nearest_channel(v)
            hint = f"; did you mean {near}?" if near else ""
            raise m.UsageError(f"unknown meridian {value!r}{hint} (see: acupoints vocab meridian)")
        options: Iterable[str] = {
            "condition": self._conditions,
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
            return [(k, sum(k in p.conditions for p in pts), v) for k, v in self.condition_names().items()]
        if kind == "caution":
            return [(k, sum(k in p.caution_kinds for p in pts), "") for k in m.CAUTION_KINDS]
        raise m.UsageError(f"unknown vocabulary {kind!r}")

    def channel(self, text: str) -> Channel:
        """A channel as students learn it: a summary and its points in order."""
        found = codes_mod.meridian_from(text)
        if len(found) != 1:
            near = codes_mod.nearest_channel(text)
            more = f"; did you mean {near}?" if near else ""
            raise m.UsageError(f"no channel {text!r}{more} (channels: {', '.join(m.MERIDIANS)})")
        code = found[0]
        points = [p for p in self if p.meridian == code]
        summary: ChannelSummary = {"code": code, "name": m.MERIDIANS[code], "points": len(points)}
        if code in m.CHANNELS:
            full, organ, element, polarity, paired = m.CHANNELS[code]
            summary["traditional"], summary["organ"], summary["element"] = full, organ, element
            summary["polarity"], summary["paired"] = polarity, paired
        if points:
            summary["starts"] = {"code": points[0].code, "region": points[0].region}
            summary["ends"] = {"code": points[-1].code, "region": points[-1].region}
        return {"channel": summary, "points": points}

    def prescribe(
        self,
        condition: str,
        *,
        modality: str | None = None,
        region: OneOrMany = (),
        max_points: int = 8,
        include: OneOrMany = (),
        avoid: OneOrMany = (),
        flags: Flags | None = None,
    ) -> Prescription:
        """A point prescription for a condition (see acupoints.prescribe.prescribe): `region`,
        `include` and `avoid` take one value, a comma list or an iterable of them."""
        from .prescribe import prescribe

        return prescribe(
            self,
            condition,
            modality=modality,
            region=region,
            max_points=max_points,
            include=include,
            avoid=avoid,
            flags=flags,
        )

    def check(
        self,
        points: OneOrMany,
        *,
        pairs: Iterable[tuple[str, str, str]] = (),
        flags: Flags | None = None,
        modality: str | None = None,
        condition: str | None = None,
    ) -> list[Finding]:
        """What the rules say about these points (each a name, optionally with a side: 'LI4:right')
        and electroacupuncture pairs ((A, B, side)) for a patient (see acupoints.safety.check);
        [] if nothing."""
        from .safety import check

        return check(
            self,
            list(many(points, "points")),
            pairs=tuple(pairs),
            flags=flags,
            modality=modality,
            condition=condition,
        )

    # -- many ---------------------------------------------------------------------------
    def filter(
        self,
        *,
        condition: OneOrMany = (),
        region: OneOrMany = (),
        modality: OneOrMany = (),
        meridian: OneOrMany = (),
        category: OneOrMany = (),
        exclude_caution: OneOrMany = (),
    ) -> list[m.Point]:
        """Points matching every given filter (any of the values given for one filter), WHO order.

        Each filter takes one value (`condition="CIPN"`, an enum member such as `Modality.ELECTRO`),
        a comma list (`meridian="ST,SP"`) or an iterable of them; UsageError for an unknown value."""
        conds = {self.check_value("condition", v) for v in many(condition, "condition")}
        regions: set[str] = set()
        for v in many(region, "region"):
            regions |= m.region_parts(self.check_value("region", v))
        mods = {self.check_value("modality", v) for v in many(modality, "modality")}
        merids = {self.check_value("meridian", v) for v in many(meridian, "meridian")}
        cats = {self.check_value("category", v) for v in many(category, "category")}
        excluded = {self.check_value("caution", v) for v in many(exclude_caution, "caution")}
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

    def searcher(self) -> Searcher:
        """The search index and the synonyms: built once, then kept in the cache under a key made of
        the catalog's files and synonyms.yaml's bytes (a search then reads no YAML at all)."""
        if self._searcher is None:
            from . import search as search_mod

            synonyms_raw = _store.read_bytes(self.data_file("synonyms.yaml"))
            path = None
            if self._search_cache is not None:
                path = _store.cache_file(
                    "search", [self._search_cache.name.encode(), synonyms_raw], search_mod.INDEX_FORMAT
                )
            index = _store.cache_load(path, search_mod.INDEX_FORMAT)
            if index is None:
                index = search_mod.build_index(self)
                index["synonyms"] = self.synonyms()
                _store.cache_save(path, index)
            self._searcher = search_mod.Searcher(index, index["synonyms"])
        return self._searcher

    def synonyms(self) -> list[list[str]]:
        """The synonym groups of synonyms.yaml beside this catalog, else the shipped ones."""
        from . import validate

        path = self.data_file("synonyms.yaml")
        data, dupes = _store.read(path)
        groups, problems = validate.check_synonyms(data, _store.display(path))
        if problems or dupes:
            raise m.CatalogError(problems + [f"{_store.display(path)}:{line}: file: {msg}" for line, msg in dupes])
        return groups

    def search_hits(self, text: str, limit: int | None = None, min_score: float | None = None) -> list[Hit]:
        """Scored hits, best first: each with its score and the fields that matched."""
        if not text.strip():
            raise m.UsageError("give words to search for")
        exact = [p.code for p in self.resolve(text)]
        hits = self.searcher().search(text, exact, None if min_score is not None else limit)
        if min_score is not None:
            hits = [h for h in hits if h.score >= min_score]
        return hits[:limit] if limit else hits

    def search(self, text: str, limit: int | None = None) -> list[tuple[m.Point, float]]:
        """Points ranked by how well the text matches, best first, with their scores (see acupoints.search)."""
        return [(self.point(h.code), h.score) for h in self.search_hits(text, limit)]
