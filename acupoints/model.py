"""The catalog's data types, vocabularies and errors.

Immutable records and string constants: no I/O, and nothing here imports yaml or rich.
The records are typing.NamedTuple rather than frozen dataclasses: every command loads this
module, and five frozen dataclasses cost about 6 ms to define (they exec ~30 generated
methods), NamedTuples about 3 ms, a quarter of `python -c pass` on this machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple, TypeVar, overload

from .errors import (  # noqa: F401  (re-exported: the errors are part of the model's API)
    NOTICE,
    AcupointsError,
    AmbiguousPointError,
    CatalogError,
    ExitCode,
    OutputError,
    UnknownPointError,
    UsageError,
)
from .vocab import CategoryKind, CautionBasis, CautionKind, CautionModality, Modality, Verdict, values

if TYPE_CHECKING:
    from .records import JSON, CategoryRecord, Frozen, PointRecord

_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenDict(Mapping[_K, _V]):
    """A mapping that cannot change, and so can be hashed: what a record holds where a dict would
    let a caller change the catalog's own data through it (`point.conditions["DPN"] = ...`).

    Equal to any mapping with the same items (`FrozenDict() == {}`), like a dict; its hash is that
    of its items, so two equal FrozenDicts hash alike whatever their order.
    """

    __slots__ = ("_d", "_hash")
    _d: dict[_K, _V]
    _hash: int | None

    def __init__(self, items: Mapping[_K, _V] | Iterable[tuple[_K, _V]] = ()) -> None:
        object.__setattr__(self, "_d", dict(items))
        object.__setattr__(self, "_hash", None)

    def __getitem__(self, key: _K) -> _V:
        return self._d[key]

    def __iter__(self) -> Iterator[_K]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __contains__(self, key: object) -> bool:
        return key in self._d

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenDict):
            return self._d == other._d
        if isinstance(other, Mapping):
            return self._d == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(frozenset(self._d.items())))
        return self._hash  # type: ignore[return-value]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} cannot be changed")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} cannot be changed")

    def __repr__(self) -> str:
        return f"FrozenDict({self._d!r})"

    def __reduce__(self) -> tuple[type[FrozenDict[_K, _V]], tuple[dict[_K, _V]]]:
        return (type(self), (self._d,))


@overload
def freeze(value: Mapping[str, object]) -> FrozenDict[str, Frozen]: ...
@overload
def freeze(value: object) -> Frozen: ...
def freeze(value: object) -> Frozen:
    """Plain data (dicts, lists, text, numbers) made immutable all the way down: mappings become
    FrozenDicts, lists and tuples tuples. Other hashable values (a date YAML read) are kept as
    they are; anything else (a set, an object that cannot be hashed) is refused, so nothing mutable
    hides inside."""
    if isinstance(value, Mapping):
        return FrozenDict({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    if isinstance(value, set | frozenset) or getattr(type(value), "__hash__", None) is None:
        raise TypeError(f"cannot freeze {type(value).__name__}")
    return value  # type: ignore[return-value]  # e.g. datetime.date: immutable, and JSON-ready once written


def thaw(value: object) -> JSON:
    """Frozen data back as plain data (mappings as dicts, tuples as lists) for to_dict() and the
    writers: JSON and YAML take it as it is."""
    if isinstance(value, Mapping):
        return {str(k): thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    return value  # type: ignore[return-value]  # a scalar


MERIDIANS: dict[str, str] = {
    "LU": "Lung",
    "LI": "Large Intestine",
    "ST": "Stomach",
    "SP": "Spleen",
    "HT": "Heart",
    "SI": "Small Intestine",
    "BL": "Bladder",
    "KI": "Kidney",
    "PC": "Pericardium",
    "TE": "Triple Energizer (Sanjiao)",
    "GB": "Gallbladder",
    "LR": "Liver",
    "GV": "Governor Vessel (Du)",
    "CV": "Conception Vessel (Ren)",
    "EX": "Extra points",
}

# The channels as students learn them: (traditional name, organ, phase, yin/yang, paired channel).
# The pericardium and sanjiao belong to fire (minister fire); GV and CV have no organ or phase
# and are paired with each other.
CHANNELS: dict[str, tuple[str, str | None, str | None, str, str]] = {
    "LU": ("Hand Taiyin Lung Channel", "lung", "metal", "yin", "LI"),
    "LI": ("Hand Yangming Large Intestine Channel", "large-intestine", "metal", "yang", "LU"),
    "ST": ("Foot Yangming Stomach Channel", "stomach", "earth", "yang", "SP"),
    "SP": ("Foot Taiyin Spleen Channel", "spleen", "earth", "yin", "ST"),
    "HT": ("Hand Shaoyin Heart Channel", "heart", "fire", "yin", "SI"),
    "SI": ("Hand Taiyang Small Intestine Channel", "small-intestine", "fire", "yang", "HT"),
    "BL": ("Foot Taiyang Bladder Channel", "bladder", "water", "yang", "KI"),
    "KI": ("Foot Shaoyin Kidney Channel", "kidney", "water", "yin", "BL"),
    "PC": ("Hand Jueyin Pericardium Channel", "pericardium", "fire", "yin", "TE"),
    "TE": ("Hand Shaoyang Sanjiao Channel", "sanjiao", "fire", "yang", "PC"),
    "GB": ("Foot Shaoyang Gallbladder Channel", "gallbladder", "wood", "yang", "LR"),
    "LR": ("Foot Jueyin Liver Channel", "liver", "wood", "yin", "GB"),
    "GV": ("Governor Vessel (Du Mai)", None, None, "yang", "CV"),
    "CV": ("Conception Vessel (Ren Mai)", None, None, "yin", "GV"),
}

# WHO point counts; the order is WHO's channel order, and extra groups follow.
CHANNEL_SIZES: dict[str, int] = {
    "LU": 11,
    "LI": 20,
    "ST": 45,
    "SP": 21,
    "HT": 9,
    "SI": 19,
    "BL": 67,
    "KI": 27,
    "PC": 9,
    "TE": 23,
    "GB": 44,
    "LR": 14,
    "GV": 28,
    "CV": 24,
}
EXTRA_GROUPS: dict[str, tuple[str, int]] = {
    "HN": ("head and neck", 15),
    "CA": ("chest and abdomen", 1),
    "B": ("back", 9),
    "UE": ("upper extremity", 11),
    "LE": ("lower extremity", 12),
}

# Each region with its parts; a filter on a region includes all of them.
REGION_TREE: dict[str, tuple[str, ...]] = {
    "head-neck": ("head", "face", "neck"),
    "trunk": ("chest", "abdomen", "back", "perineum"),
    "back": ("upper-back", "lower-back"),
    "upper-limb": ("shoulder", "axilla", "upper-arm", "elbow", "forearm", "wrist", "hand"),
    "lower-limb": ("hip", "thigh", "knee", "lower-leg", "ankle", "foot"),
}
ROOT_REGIONS = ("head-neck", "trunk", "upper-limb", "lower-limb")


def _all_regions() -> tuple[str, ...]:
    seen: list[str] = []

    def walk(name: str) -> None:
        seen.append(name)
        for part in REGION_TREE.get(name, ()):
            walk(part)

    for root in ROOT_REGIONS:
        walk(root)
    return tuple(seen)


REGIONS: tuple[str, ...] = _all_regions()


def region_parts(region: str) -> frozenset[str]:
    """The region itself and every region inside it."""
    out = {region}
    for part in REGION_TREE.get(region, ()):
        out |= region_parts(part)
    return frozenset(out)


CATEGORIES: tuple[str, ...] = values(CategoryKind)
TRANSPORTING: tuple[str, ...] = CATEGORIES[:5]
ELEMENTS: tuple[str, ...] = ("wood", "fire", "earth", "metal", "water")
ORGANS: tuple[str, ...] = (
    "lung",
    "large-intestine",
    "stomach",
    "spleen",
    "heart",
    "small-intestine",
    "bladder",
    "kidney",
    "pericardium",
    "sanjiao",
    "gallbladder",
    "liver",
)
TISSUES: tuple[str, ...] = (
    "zang-organs",
    "fu-organs",
    "qi",
    "blood",
    "sinews",
    "vessels",
    "bone",
    "marrow",
)
VESSELS: tuple[str, ...] = ("du", "ren", "chong", "dai", "yinqiao", "yangqiao", "yinwei", "yangwei")
# What `of` may name, per category kind.
CATEGORY_OF: dict[str, tuple[str, ...]] = {
    "back-shu": ORGANS,
    "front-mu": ORGANS,
    "lower-he-sea": ORGANS,
    "influential": TISSUES,
    "confluent": VESSELS,
    "xi-cleft": VESSELS,
    "luo-connecting": VESSELS + ("great-luo-of-spleen",),
}
MODALITIES: tuple[str, ...] = values(Modality)
VERDICTS: tuple[str, ...] = values(Verdict)
CAUTION_KINDS: tuple[str, ...] = values(CautionKind)
CAUTION_BASES: tuple[str, ...] = values(CautionBasis)
CAUTION_MODALITIES: tuple[str, ...] = values(CautionModality)
ANGLES: tuple[str, ...] = ("perpendicular", "oblique", "transverse", "intradermal", "prick", "none")


class Needling(NamedTuple):
    angle: str
    depth_cun: tuple[float, float]
    source: str
    note: str | None = None

    def describe(self) -> str:
        if self.angle == "none":
            text = "not needled"
        else:
            lo, hi = (_num(x) for x in self.depth_cun)
            depth = f"{lo} cun" if lo == hi else f"{lo}-{hi} cun"
            text = f"{self.angle}, {depth}"
        if self.note:
            text += f"; {self.note}"
        return text


def _num(x: float) -> str:
    return f"{x:g}"


class Category(NamedTuple):
    kind: str
    of: str | None = None
    partner: str | None = None

    def to_dict(self) -> CategoryRecord:
        out: CategoryRecord = {"kind": self.kind}
        if self.of:
            out["of"] = self.of
        if self.partner:
            out["partner"] = self.partner
        return out

    def describe(self) -> str:
        text = self.kind
        if self.of:
            text += f" ({self.of}"
            text += f", with {self.partner})" if self.partner else ")"
        return text


class Caution(NamedTuple):
    kind: str
    basis: str
    modality: str
    text: str
    sources: tuple[str, ...]
    structure: str | None = None
    context: str | None = None


class Point(NamedTuple):
    """One point of the catalog, immutable all the way down (tuples, and a FrozenDict for
    `conditions`), so it can go into a set or be a dict key.

    Equality and hash are by value, as for any tuple: two points are equal when every field is. A
    catalog holds one point a code, so within a catalog that is equality by code; a point from an
    edited catalog is not equal to the shipped point with the same code (compare `.code` for that).
    """

    code: str
    meridian: str
    number: int
    pinyin: str
    hanzi: str
    english: str
    region: str
    location: str
    needling: Needling
    actions: tuple[str, ...]
    indications: tuple[str, ...]
    modalities: tuple[str, ...]
    bilateral: bool = True
    hanzi_simplified: str | None = None
    aliases: tuple[str, ...] = ()
    ambiguous_aliases: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()
    element: str | None = None
    cautions: tuple[Caution, ...] = ()
    # condition -> the studies that used the point; a FrozenDict, so nothing can change the catalog's
    # own data through a point, and a point can be hashed (put in a set, used as a key)
    conditions: FrozenDict[str, tuple[str, ...]] = FrozenDict()

    @property
    def category_kinds(self) -> tuple[str, ...]:
        return tuple(c.kind for c in self.categories)

    @property
    def caution_kinds(self) -> tuple[str, ...]:
        return tuple(c.kind for c in self.cautions)

    @property
    def references(self) -> tuple[str, ...]:
        """Every reference id this point cites, for any condition, in first-cited order."""
        seen: dict[str, None] = {}
        for refs in self.conditions.values():
            seen.update(dict.fromkeys(refs))
        return tuple(seen)

    def to_dict(self) -> PointRecord:
        """The stable export record: key order and names are part of the interface."""
        return {
            "code": self.code,
            "meridian": self.meridian,
            "number": self.number,
            "pinyin": self.pinyin,
            "hanzi": self.hanzi,
            "hanzi_simplified": self.hanzi_simplified,
            "english": self.english,
            "aliases": list(self.aliases + self.ambiguous_aliases),
            "bilateral": self.bilateral,
            "region": self.region,
            "location": self.location,
            "needling": {
                "angle": self.needling.angle,
                "depth_cun": list(self.needling.depth_cun),
                "source": self.needling.source,
                "note": self.needling.note,
            },
            "actions": list(self.actions),
            "indications": list(self.indications),
            "categories": [c.to_dict() for c in self.categories],
            "element": self.element,
            "modalities": list(self.modalities),
            "conditions": {k: list(v) for k, v in self.conditions.items()},
            "cautions": [
                {
                    "kind": c.kind,
                    "basis": c.basis,
                    "modality": c.modality,
                    "text": c.text,
                    "sources": list(c.sources),
                    "structure": c.structure,
                    "context": c.context,
                }
                for c in self.cautions
            ],
            "references": list(self.references),
        }


EXPORT_FIELDS: tuple[str, ...] = (
    "code",
    "meridian",
    "number",
    "pinyin",
    "hanzi",
    "hanzi_simplified",
    "english",
    "aliases",
    "bilateral",
    "region",
    "location",
    "needling",
    "actions",
    "indications",
    "categories",
    "element",
    "modalities",
    "conditions",
    "cautions",
    "references",
)


class Reference(NamedTuple):
    id: str
    condition: str
    authors: str
    year: int
    title: str
    journal: str
    study_type: str
    finding: str
    verdict: str = "other"
    codes: tuple[str, ...] = ()
    uncertain_codes: tuple[str, ...] = ()
    volume_pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    n: str | None = None
    points: tuple[str, ...] = ()
    points_source: str | None = None
    modality: str | None = None
    parameters: FrozenDict[str, Frozen] = FrozenDict()  # the course as the study gave it
    applied: tuple[str, ...] = ()  # vocab.Applied: what the study put on the points
    comparator: str | None = None  # vocab.Comparator
    result: str | None = None  # vocab.ResultClass

    @property
    def short(self) -> str:
        first = self.authors.split(",")[0].split(" ")[0]
        return f"{first} {self.year}"

    def identifier(self) -> str:
        if self.doi:
            return f"doi:{self.doi}"
        if self.pmid:
            return f"PMID {self.pmid}"
        return f"{self.journal} {self.volume_pages}"
