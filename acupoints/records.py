"""The shapes of the records the API hands out as plain data: `Point.to_dict()`, `Finding.to_dict()`,
`Prescription.to_dict()`, `Catalog.channel()`, `Catalog.conditions`, ... They are the JSON that
`-f json` prints, so their keys are an interface scripts rely on (see the README's JSON fields).

Nothing imports this module at run time: the package names these types in annotations only, so a
type checker knows what each key holds while a command pays nothing for them. A script may import
it for its own annotations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NotRequired, TypeAlias, TypedDict

if TYPE_CHECKING:
    from .model import FrozenDict, Point

# Plain data as JSON and YAML carry it.
JSON: TypeAlias = "str | int | float | bool | None | list[JSON] | dict[str, JSON]"
# The same, immutable all the way down (what a record holds where data has no fixed shape).
Frozen: TypeAlias = "str | int | float | bool | None | tuple[Frozen, ...] | FrozenDict[str, Frozen]"


class NeedlingRecord(TypedDict):
    angle: str
    depth_cun: list[float]  # [min, max]
    source: str
    note: str | None


class CategoryRecord(TypedDict):
    kind: str
    of: NotRequired[str]
    partner: NotRequired[str]


class CautionRecord(TypedDict):
    kind: str
    basis: str
    modality: str
    text: str
    sources: list[str]
    structure: str | None
    context: str | None


class PointRecord(TypedDict):
    """`Point.to_dict()`: one record of `list -f json` and `show -f json`, keys in this order."""

    code: str
    meridian: str
    number: int
    pinyin: str
    hanzi: str
    hanzi_simplified: str | None
    english: str
    aliases: list[str]
    bilateral: bool
    region: str
    location: str
    needling: NeedlingRecord
    actions: list[str]
    indications: list[str]
    categories: list[CategoryRecord]
    element: str | None
    modalities: list[str]
    conditions: dict[str, list[str]]
    cautions: list[CautionRecord]
    references: list[str]


class FindingRecord(TypedDict):
    """`Finding.to_dict()`: one finding of `check -f json`, a caution or an exclusion of a prescription."""

    kind: str
    point: str | None
    message: str
    sources: list[str]
    effect: str  # exclude, caution or warning


class FlagsRecord(TypedDict):
    pregnant: bool
    pacemaker: bool
    anticoagulants: bool
    lymphoedema: list[str]
    diabetic_foot: bool
    low_platelets: bool


class ChosenRecord(TypedDict):
    code: str
    sides: str
    score: float
    reasons: list[str]
    studies: list[str]
    modalities: list[str]
    cautions: list[FindingRecord]


class PairRecord(TypedDict):
    points: list[str]  # [A, B]
    sides: str


class RankingRecord(TypedDict):
    heading: str
    about: str


class PrescriptionRecord(TypedDict):
    """`Prescription.to_dict()`: what `prescribe -o rx.yaml` saves (format acupoints-prescription/1)."""

    format: str
    created: str
    acupoints_version: str
    catalog_version: str | None
    condition: str
    modality: str | None
    modality_used: str
    flags: FlagsRecord
    points: list[ChosenRecord]
    pairs: list[PairRecord]
    excluded: list[FindingRecord]
    warnings: list[FindingRecord]
    plan: dict[str, JSON]  # the course: each figure with the studies it came from
    notes: list[str]
    ranking: RankingRecord
    evidence: str
    notice: str


class ChannelEnd(TypedDict):
    code: str
    region: str


class ChannelSummary(TypedDict):
    """What `meridian -f json` says of a channel before its points."""

    code: str
    name: str
    points: int
    traditional: NotRequired[str]
    organ: NotRequired[str | None]
    element: NotRequired[str | None]
    polarity: NotRequired[str]
    paired: NotRequired[str]
    starts: NotRequired[ChannelEnd]
    ends: NotRequired[ChannelEnd]


class Channel(TypedDict):
    """`Catalog.channel()`: a channel's summary and its points in order."""

    channel: ChannelSummary
    points: list[Point]


class EvidenceDetail(TypedDict):
    text: str
    cites: list[str]


class ConditionEvidence(TypedDict):
    direction: str
    details: list[EvidenceDetail]


class ConditionCaution(TypedDict):
    kind: str
    text: str
    sources: NotRequired[list[str]]
    references: NotRequired[list[str]]


class ConditionInfo(TypedDict):
    """One condition of conditions.yaml, as `Catalog.conditions` gives it."""

    code: str
    name: str
    felt: str
    regions: list[str]
    evidence: ConditionEvidence
    cautions: list[ConditionCaution]
    reduced_sensation: NotRequired[list[str]]
    patient: NotRequired[list[str]]


class SourceInfo(TypedDict):
    """One caution source of safety-sources.yaml, as `Catalog.sources` gives it."""

    id: str
    cite: str
    short: NotRequired[str]
    kind: NotRequired[str]
    url: NotRequired[str]
    note: NotRequired[str]
