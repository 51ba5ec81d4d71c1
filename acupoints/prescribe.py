"""Point prescriptions for a neuropathy: ranked points with reasons, electroacupuncture pairs,
the course the studies used, and the warnings the patient's flags raise.

The ranking says which points the studies chose, weighted by how much each study can tell; it
is not a measure of whether a point works, and every reason says which studies it rests on.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import model as m
from ._version import __version__
from .results import NOTICE_MESSAGE, Message, MessageKind, Result, finding_line
from .rxfile import SAVE_FORMAT
from .safety import Finding, Flags, allowed_sides, exclusions, flag_warnings, limb_of, pair_problem, removed_modalities
from .safety import sides_label as _sides_label
from .vocab import FindingKind as FK

if TYPE_CHECKING:
    from .catalog import Catalog


# How much one study's choice of a point counts, by design. A trial that randomised patients
# says more than a review that tallied choices, and a protocol (no results yet) least.
DESIGN_WEIGHTS = (
    ("protocol", 0.5),
    ("narrative review", 0.5),
    ("data mining", 1.0),
    ("meta-analysis", 1.0),
    ("systematic review", 1.0),
    ("pilot", 1.5),
    ("rct", 2.0),
)
# A study whose result went against acupuncture still chose the point, but says less for it.
VERDICT_WEIGHTS = {"positive": 1.0, "mixed": 0.7, "inconclusive": 0.5, "negative": 0.3, "protocol": 1.0}
SECONDARY_WEIGHT = 0.8  # the point list came from a third-party summary
LOCAL_BONUS = 0.5  # the point lies where the condition is felt (Dimitrova 2018: local needling)


def design_weight(study_type: str) -> float:
    t = study_type.lower()
    for key, weight in DESIGN_WEIGHTS:
        if key in t:
            return weight
    return 1.0


def design_label(ref: m.Reference) -> str:
    return ref.study_type.split(" (")[0]


@dataclass(frozen=True)
class Chosen:
    code: str
    sides: str
    score: float
    reasons: tuple[str, ...]
    studies: tuple[str, ...]
    modalities: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "sides": self.sides,
            "score": round(self.score, 2),
            "reasons": list(self.reasons),
            "studies": list(self.studies),
            "modalities": list(self.modalities),
        }


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    sides: str

    def to_dict(self) -> dict[str, Any]:
        return {"points": [self.a, self.b], "sides": self.sides}


@dataclass(frozen=True)
class Prescription:
    condition: str
    modality: str | None
    flags: Flags
    points: tuple[Chosen, ...]
    pairs: tuple[Pair, ...]
    excluded: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    plan: dict[str, Any]
    notes: tuple[str, ...] = ()
    created: str = field(default_factory=lambda: _dt.date.today().isoformat())
    catalog_version: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.points)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": SAVE_FORMAT,
            "created": self.created,
            "acupoints_version": __version__,
            "catalog_version": self.catalog_version,
            "condition": self.condition,
            "modality": self.modality,
            "flags": self.flags.to_dict(),
            "points": [c.to_dict() for c in self.points],
            "pairs": [p.to_dict() for p in self.pairs],
            "excluded": [f.to_dict() for f in self.excluded],
            "warnings": [f.to_dict() for f in self.warnings],
            "plan": self.plan,
            "notes": list(self.notes),
            "ranking": RANKING_NOTE,
            "notice": m.NOTICE,
        }


def course_plan(catalog: Catalog, condition: str, modality: str | None) -> dict[str, Any]:
    """The schedules the studies of a condition reported, as ranges with the study behind each value."""
    per_week, weeks, minutes, total, freq = [], [], [], [], []
    for ref in catalog.references.values():
        if ref.condition != condition or not ref.parameters:
            continue
        p = ref.parameters
        if p.get("sessions_per_week") is not None:
            per_week.append((p["sessions_per_week"], ref.id))
        if p.get("weeks") is not None:
            weeks.append((p["weeks"], ref.id))
        mins = p.get("session_min", p.get("ea_duration_min"))
        if mins is not None:
            minutes.append((mins, ref.id))
        if p.get("sessions_total") is not None:
            total.append((p["sessions_total"], ref.id))
        if p.get("ea_frequency"):
            freq.append((p["ea_frequency"], ref.id))

    def span(values: list[tuple[Any, str]]) -> dict[str, Any] | None:
        if not values:
            return None
        nums = [v for v, _ in values]
        return {"min": min(nums), "max": max(nums), "studies": {i: v for v, i in values}}

    plan: dict[str, Any] = {
        "sessions_per_week": span(per_week),
        "weeks": span(weeks),
        "minutes_per_session": span(minutes),
        "sessions_total": span(total),
    }
    if modality == "electro":
        plan["ea_frequency"] = {i: v for v, i in freq} or None
    plan["maintenance"] = (
        "None of these studies tested a maintenance schedule; sessions every 2-4 weeks after the course are "
        "common practice, not a finding."
    )
    return {k: v for k, v in plan.items() if v is not None}


def describe_plan(plan: dict[str, Any], name: Callable[[str], str] = str) -> list[str]:
    """The course as lines, each figure with the study it came from (`name` turns an id into a name)."""
    lines = []

    def rng(key: str, unit: str) -> None:
        v = plan.get(key)
        if v:
            val = f"{v['min']:g}" if v["min"] == v["max"] else f"{v['min']:g}-{v['max']:g}"
            studies = ", ".join(f"{name(k)}: {x:g}" for k, x in v["studies"].items())
            lines.append(f"{val} {unit} ({studies})")

    rng("sessions_per_week", "sessions a week")
    rng("weeks", "weeks")
    rng("minutes_per_session", "minutes a session")
    rng("sessions_total", "sessions in all")
    if plan.get("ea_frequency"):
        lines.append("electroacupuncture at " + "; ".join(f"{v} ({name(k)})" for k, v in plan["ea_frequency"].items()))
    if plan.get("maintenance"):
        lines.append(plan["maintenance"])
    return lines


def _study_note(ref: m.Reference) -> str:
    """Lu 2020* (* the point list is from a secondary summary), with any result that was not positive."""
    note = ref.short + ("*" if ref.points_source == "secondary" else "")
    if ref.verdict != "positive":
        note += f" ({ref.verdict})"
    return note


SECONDARY_MARK = "* point list from a secondary summary, not the paper"
RANKING_NOTE = (
    "The ranking counts which studies chose a point, weighed by design and result; it does not show "
    f"that a point works. {SECONDARY_MARK}."
)


def prescribe(
    catalog: Catalog,
    condition: str,
    *,
    modality: str | None = None,
    region: tuple[str, ...] = (),
    max_points: int = 8,
    include: tuple[str, ...] = (),
    avoid: tuple[str, ...] = (),
    flags: Flags | None = None,
) -> Prescription:
    """Rank the points the studies of a condition used, under the patient's flags."""
    flags = flags or Flags()
    condition = catalog.check_value("condition", condition)
    if modality:
        modality = catalog.check_value("modality", modality)
    regions: set[str] = set()
    for r in region:
        regions |= m.region_parts(catalog.check_value("region", r))
    if max_points < 1:
        raise m.UsageError("max_points must be 1 or more")
    info = catalog.conditions[condition]
    felt = set(info["regions"])
    include_codes = [catalog.lookup(t).code for t in include]
    avoid_codes = {catalog.lookup(t).code for t in avoid}

    notes: list[str] = []
    effective = modality
    if modality == "electro" and flags.pacemaker:
        effective = "manual"
        notes.append("Electroacupuncture was asked for, but the patient has an implanted device: manual needling only.")

    candidates = [p for p in catalog if condition in p.conditions]
    for code in include_codes:
        if code not in {p.code for p in candidates}:
            candidates.append(catalog.point(code))

    excluded: list[Finding] = []
    ranked: list[tuple[float, int, Chosen]] = []
    for order, p in enumerate(candidates):
        if p.code in avoid_codes:
            excluded.append(Finding(FK.AVOID, "left out at your request", p.code))
            continue
        if regions and p.region not in regions:
            continue
        why_not = exclusions(p, flags)
        if why_not:
            excluded.extend(why_not)
            continue
        removed = removed_modalities(p, flags)
        mods = tuple(x for x in p.modalities if x not in removed)
        if effective and effective not in mods:
            if effective in removed:
                excluded.append(removed[effective])
            continue
        sides = allowed_sides(p, flags)
        studies = [catalog.references[i] for i in p.conditions.get(condition, ())]
        score = 0.0
        for ref in studies:
            w = design_weight(ref.study_type) * VERDICT_WEIGHTS.get(ref.verdict, 0.5)
            score += w * (SECONDARY_WEIGHT if ref.points_source == "secondary" else 1.0)
        reasons = []
        if studies:
            trials = sum(design_weight(r.study_type) >= 1.5 for r in studies)
            reasons.append(
                f"used by {len(studies)} {condition} stud{'y' if len(studies) == 1 else 'ies'} "
                f"({trials} trial{'s' if trials != 1 else ''}): " + ", ".join(_study_note(r) for r in studies)
            )
        if p.region in felt:
            score += LOCAL_BONUS
            reasons.append(f"local: on the {p.region}, where {condition} is felt")
        roles = [c.describe() for c in p.categories]
        if roles:
            reasons.append("classical role: " + ", ".join(roles))
        if p.code in include_codes:
            score += 100  # asked for by name: first, whatever the studies say
            reasons.insert(0, "included at your request")
        if len(sides) == 1 and p.bilateral:
            gone = "left" if sides == ("right",) else "right"
            reasons.append(f"{gone} side left out: lymphoedema ({', '.join(flags.lymphoedema)})")
        chosen = Chosen(p.code, _sides_label(sides), score, tuple(reasons), tuple(r.id for r in studies), mods)
        ranked.append((score, order, chosen))

    ranked.sort(key=lambda x: (-x[0], x[1]))
    points = tuple(c for _, _, c in ranked[:max_points])
    pairs = electro_pairs(catalog, points, flags) if effective == "electro" else ()
    if effective == "electro" and not pairs:
        notes.append("No two chosen points share a limb and side, so no electroacupuncture pair can be formed.")
    warnings = flag_warnings(flags, effective)
    raised = {w.kind for w in warnings}
    for c in info["cautions"]:
        if c["kind"] in raised:  # the flag's own warning already says it, for this patient
            continue
        cited = tuple(c.get("sources", ())) + tuple(c.get("references", ()))
        warnings.append(Finding(c["kind"], c["text"], None, cited))
    return Prescription(
        condition=condition,
        modality=modality,
        flags=flags,
        points=points,
        pairs=pairs,
        excluded=tuple(excluded),
        warnings=tuple(warnings),
        plan=course_plan(catalog, condition, effective),
        notes=tuple(notes),
        catalog_version=catalog.data_version,
    )


def electro_pairs(catalog: Catalog, points: tuple[Chosen, ...], flags: Flags) -> tuple[Pair, ...]:
    """Pair points on the same limb and side, in rank order; trunk and head points stay unpaired."""
    pairs: list[Pair] = []
    waiting: dict[tuple[str, str], Chosen] = {}
    for c in points:
        p = catalog.point(c.code)
        limb = limb_of(p)
        if limb is None or "electro" not in c.modalities or c.sides in ("midline", "none"):
            continue
        key = (limb, c.sides)
        other = waiting.pop(key, None)
        if other is None:
            waiting[key] = c
            continue
        if pair_problem(catalog.point(other.code), p, c.sides, flags) is None:
            pairs.append(Pair(other.code, c.code, c.sides))
    return tuple(pairs)


ROW_FIELDS = ("rank", "code", "english", "sides", "reasons")


@dataclass
class PrescriptionReport(Result):
    """A prescription as a command shows it: the ranked points as records, the rest beside them."""

    rx: Prescription
    catalog: Catalog
    columns = ROW_FIELDS
    formats = ("table", "plain", "json", "csv", "yaml", "markdown")

    def data(self) -> dict[str, Any]:
        return self.rx.to_dict()

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "rank": i,
                "code": c.code,
                "english": self.catalog.point(c.code).english,
                "sides": c.sides,
                "reasons": list(c.reasons),
            }
            for i, c in enumerate(self.rx.points, 1)
        ]

    def condition_name(self) -> str:
        return str(self.catalog.conditions[self.rx.condition]["name"])

    def flag_names(self) -> list[str]:
        return [
            k.replace("_", "-") + (f" {', '.join(v)}" if isinstance(v, list) else "")
            for k, v in self.rx.flags.to_dict().items()
            if v
        ]

    def heading(self) -> str:
        rx = self.rx
        return (
            f"Prescription for {rx.condition} ({self.condition_name()}); modality: {rx.modality or 'any'}; "
            f"patient flags: {', '.join(self.flag_names()) or 'none'}"
        )

    def pair_lines(self) -> list[str]:
        """The electroacupuncture pairs, when electroacupuncture was asked for or pairs were made."""
        if self.rx.modality != "electro" and not self.rx.pairs:
            return []
        pairs = [f"{p.a} - {p.b} ({p.sides})" for p in self.rx.pairs] or ["none"]
        return ["Electroacupuncture pairs (same limb, same side): " + "; ".join(pairs)]

    def course(self) -> list[str]:
        refs = self.catalog.references
        return describe_plan(self.rx.plan, lambda i: refs[i].short if i in refs else i)

    def messages(self) -> list[Message]:
        rx, catalog = self.rx, self.catalog
        out = [Message(MessageKind.HEADING, self.heading()), Message(MessageKind.NOTE, RANKING_NOTE)]
        out += [Message(MessageKind.PAIR, line) for line in self.pair_lines()]
        out += [Message(MessageKind.NOTE, note) for note in rx.notes]
        out += [Message(MessageKind.LEFT_OUT, finding_line(f, catalog)) for f in rx.excluded]
        out += [Message(MessageKind.COURSE, line) for line in self.course()]
        out += [Message(MessageKind.WARNING, finding_line(f, catalog)) for f in rx.warnings]
        out.append(NOTICE_MESSAGE)
        return out
