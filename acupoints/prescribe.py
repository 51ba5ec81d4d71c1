"""Point prescriptions for a neuropathy: ranked points with reasons, electroacupuncture pairs,
the course the studies used, and the warnings the patient's flags raise.

The ranking says which points the studies chose, weighted by how much each study can tell; it
is not a measure of whether a point works, and every reason says which studies it rests on.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import model as m
from ._many import OneOrMany, many
from ._version import __version__
from .results import NOTICE_MESSAGE, Message, MessageKind, Result, finding_line
from .rules import CAUTION, EXCLUDE, Patient, effective_modality, judge, judge_pair, limb_of, sides_left
from .safety import WARNING, Finding, Flags, flag_warnings, sides_label
from .vocab import FindingKind as FK

if TYPE_CHECKING:
    from .catalog import Catalog
    from .records import ChosenRecord, Frozen, PairRecord, PrescriptionRecord


SAVE_FORMAT = "acupoints-prescription/1"

# Which studies can support a point for a modality: what they applied must be of its class.
# Needles with and without current are one class (both put needles in the point); a patch,
# pressure or heat supports nothing but itself.
SUPPORT_CLASSES: dict[str, frozenset[str]] = {
    "manual": frozenset({"needling", "electroacupuncture"}),
    "electro": frozenset({"electroacupuncture", "needling"}),
    "moxibustion": frozenset({"moxibustion"}),
    "acupressure": frozenset({"acupressure"}),
    "cupping": frozenset(),
}
# What a positive controlled result is worth. Beating sham says most; beating an active treatment
# less (no blinding to the treatment); beating usual care or a wait-list least (unblinded, so
# expectation can explain it). Anything else (negative, inconclusive, no different from a drug,
# a protocol, a review, a guideline) is context and never raises a rank.
RESULT_WEIGHTS = {"better-than-sham": 3.0, "better-than-active": 2.0, "better-than-usual-care": 1.5}
PILOT_WEIGHT = 0.75  # a pilot was sized to plan a trial, not to answer the question
SECONDARY_WEIGHT = 0.8  # the point list came from a third-party summary
LOCAL_BONUS = 0.5  # the point lies where the condition is felt (Dimitrova 2018: local needling)
RESULT_LABELS = {
    "better-than-sham": "better than sham",
    "better-than-active": "better than an active treatment",
    "better-than-usual-care": "better than usual care only",
    "no-different-from-active": "no different from an active treatment",
    "inconclusive": "inconclusive",
    "negative": "negative",
    "no-results": "protocol, no results",
    "review": "reviews (which points were chosen, not whether they work)",
    "guideline": "guidelines",
}


def design_label(ref: m.Reference) -> str:
    return ref.study_type.split(" (")[0]


def supports(ref: m.Reference, modality: str) -> bool:
    """Whether a study can support a point for this modality: it applied that class of treatment
    and found it better than a control."""
    return ref.result in RESULT_WEIGHTS and bool(set(ref.applied) & SUPPORT_CLASSES.get(modality, frozenset()))


def applies_class(ref: m.Reference, modality: str) -> bool:
    """The study applied this modality's class of treatment (or, for a catalog without that data,
    is not known not to)."""
    return not ref.applied or bool(set(ref.applied) & SUPPORT_CLASSES.get(modality, frozenset()))


def _proposes(ref: m.Reference, modality: str) -> bool:
    """A study whose point list can propose candidates for this modality: one that applied its class
    (a review's list is a tally of such studies, so it proposes for needles)."""
    if ref.applied and "none" in ref.applied:
        return modality in ("manual", "electro")
    return applies_class(ref, modality)


def support_weight(ref: m.Reference) -> float:
    w = RESULT_WEIGHTS.get(ref.result or "", 0.0)
    if "pilot" in ref.study_type.lower():
        w *= PILOT_WEIGHT
    if ref.points_source == "secondary":
        w *= SECONDARY_WEIGHT
    return w


def _study_name(ref: m.Reference) -> str:
    return ref.short + ("*" if ref.points_source == "secondary" else "")


def study_classes(refs: list[m.Reference], modality: str) -> str:
    """'better than sham: Xu 2025; better than usual care only: Bao 2020; ...' in that order."""
    groups: dict[str, list[str]] = {}
    other: list[str] = []
    for ref in refs:
        if ref.applied and "none" not in ref.applied and not applies_class(ref, modality):
            other.append(f"{_study_name(ref)} ({', '.join(ref.applied)})")
            continue
        label = RESULT_LABELS.get(ref.result or "", f"verdict {ref.verdict}")
        groups.setdefault(label, []).append(_study_name(ref))
    order = list(RESULT_LABELS.values())
    parts = [
        f"{k}: {', '.join(v)}"
        for k, v in sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    ]
    if other:
        parts.append("another treatment: " + ", ".join(other))
    return "; ".join(parts)


@dataclass(frozen=True)
class Chosen:
    code: str
    sides: str
    score: float
    reasons: tuple[str, ...]
    studies: tuple[str, ...]
    modalities: tuple[str, ...]
    cautions: tuple[Finding, ...] = ()

    def to_dict(self) -> ChosenRecord:
        return {
            "code": self.code,
            "sides": self.sides,
            "score": round(self.score, 2),
            "reasons": list(self.reasons),
            "studies": list(self.studies),
            "modalities": list(self.modalities),
            "cautions": [f.to_dict() for f in self.cautions],
        }


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    sides: str

    def to_dict(self) -> PairRecord:
        return {"points": [self.a, self.b], "sides": self.sides}


SUPPORTED_HEADING = "Points, best supported first"
USED_HEADING = "Points the studies used"
SECONDARY_MARK = "* point list from a secondary summary, not the paper"


@dataclass(frozen=True)
class Prescription:
    """A prescription as `prescribe` makes it: immutable all the way down (the course plan is a
    FrozenDict), compared and hashed by value. `to_dict()` is what `-o rx.yaml` saves."""

    condition: str
    modality: str | None
    flags: Flags
    points: tuple[Chosen, ...]
    pairs: tuple[Pair, ...]
    excluded: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    plan: m.FrozenDict[str, Frozen]  # the course: each figure with the studies it came from
    notes: tuple[str, ...] = ()
    created: str = field(default_factory=lambda: _dt.date.today().isoformat())
    catalog_version: str | None = None
    modality_used: str = "manual"
    heading: str = USED_HEADING
    about: str = ""
    evidence: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.plan, m.FrozenDict):  # given as plain data: frozen, so nothing can change it
            object.__setattr__(self, "plan", m.freeze(self.plan))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.points)

    def modality_label(self) -> str:
        """'manual', or 'manual (asked: electro)' when the rules changed the modality asked for."""
        if self.modality_used == (self.modality or "manual"):
            return self.modality_used
        return f"{self.modality_used} (asked: {self.modality})"

    def to_dict(self) -> PrescriptionRecord:
        return {
            "format": SAVE_FORMAT,
            "created": self.created,
            "acupoints_version": __version__,
            "catalog_version": self.catalog_version,
            "condition": self.condition,
            "modality": self.modality,
            "modality_used": self.modality_used,
            "flags": self.flags.to_dict(),
            "points": [c.to_dict() for c in self.points],
            "pairs": [p.to_dict() for p in self.pairs],
            "excluded": [f.to_dict() for f in self.excluded],
            "warnings": [f.to_dict() for f in self.warnings],
            "plan": {k: m.thaw(v) for k, v in self.plan.items()},
            "notes": list(self.notes),
            "ranking": {"heading": self.heading, "about": self.about},
            "evidence": self.evidence,
            "notice": m.NOTICE,
        }


def _treated(ref: m.Reference, modality: str) -> bool:
    """A study whose schedule can stand for a course: it treated the condition (not a prevention
    trial, not a protocol without results) with this class of treatment."""
    if "prevent" in ref.study_type.lower() or ref.result in ("no-results", "review", "guideline"):
        return False
    if ref.verdict == "protocol":
        return False
    return applies_class(ref, modality)


def course_plan(catalog: Catalog, condition: str, modality: str | None) -> dict[str, Any]:
    """The schedules the studies that treated the condition reported, as ranges with the study
    behind each value; none invented where no study gives one."""
    used = modality or "manual"
    per_week, weeks, minutes, total, freq, intensity = [], [], [], [], [], []
    for ref in catalog.references.values():
        if ref.condition != condition or not ref.parameters or not _treated(ref, used):
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
        if p.get("intensity"):
            intensity.append((p["intensity"], ref.id))

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
    if used == "electro":
        plan["ea_frequency"] = {i: v for v, i in freq} or None
        plan["ea_intensity"] = {i: v for v, i in intensity} or None
    plan["maintenance"] = (
        "None of these studies tested a maintenance schedule; sessions every 2-4 weeks after the course are "
        "common practice, not a finding."
    )
    return {k: v for k, v in plan.items() if v is not None}


def describe_plan(plan: Mapping[str, Any], name: Callable[[str], str] = str) -> list[str]:
    """The course as lines, each figure with the study it came from (`name` turns an id into a name)."""
    lines = []

    def rng(key: str, unit: str) -> None:
        v = plan.get(key)
        if v:
            val = f"{v['min']:g}" if v["min"] == v["max"] else f"{v['min']:g}-{v['max']:g}"
            studies = ", ".join(f"{name(k)}: {x:g}" for k, x in v["studies"].items())
            lines.append(f"{val} {unit} ({studies})")

    rng("sessions_per_week", "session(s) a week")
    rng("weeks", "weeks")
    rng("minutes_per_session", "minutes a session")
    rng("sessions_total", "sessions in all")
    if plan.get("ea_frequency"):
        lines.append("electroacupuncture at " + "; ".join(f"{v} ({name(k)})" for k, v in plan["ea_frequency"].items()))
    if plan.get("ea_intensity"):
        lines.append("current: " + "; ".join(f"{v} ({name(k)})" for k, v in plan["ea_intensity"].items()))
    if not any(plan.get(k) for k in ("sessions_per_week", "weeks", "minutes_per_session", "sessions_total")):
        lines.append("No study of this treatment for this condition here reports a schedule.")
    if plan.get("maintenance"):
        lines.append(plan["maintenance"])
    return lines


def prescribe(
    catalog: Catalog,
    condition: str,
    *,
    modality: str | None = None,
    region: OneOrMany = (),
    max_points: int = 8,
    include: OneOrMany = (),
    avoid: OneOrMany = (),
    flags: Flags | None = None,
) -> Prescription:
    """Rank the points the studies of a condition used, under the one rule engine.

    Only what the rules allow is ranked; every caution is kept beside its point. A point's rank
    counts only studies that applied this modality's class of treatment and found it better than
    a control; the rest are named as context."""
    flags = flags or Flags()
    condition = catalog.check_value("condition", condition)
    if modality:
        modality = catalog.check_value("modality", modality)
    regions: set[str] = set()
    for r in many(region, "region"):
        regions |= m.region_parts(catalog.check_value("region", r))
    if max_points < 1:
        raise m.UsageError("max_points must be 1 or more")
    info = catalog.conditions[condition]
    felt = set(info["regions"])
    include_codes = list(dict.fromkeys(catalog.lookup(t).code for t in many(include, "include")))
    avoid_codes = {catalog.lookup(t).code for t in many(avoid, "avoid")}
    used, downgrade = effective_modality(modality, flags)
    patient = Patient(flags, used, frozenset(info.get("reduced_sensation") or ()))
    notes: list[str] = [downgrade] if downgrade else []

    refs_of = {
        p.code: [catalog.references[i] for i in p.conditions.get(condition, ()) if i in catalog.references]
        for p in catalog
        if condition in p.conditions
    }
    # candidates: points a study of this class of treatment used (a patch trial proposes no needling point);
    # where no study applied it (moxibustion, acupressure, cupping here), the points the needling studies used,
    # said so, and never counted as support
    candidates = [catalog.point(c) for c, refs in refs_of.items() if any(_proposes(r, used) for r in refs)]
    if not candidates and used not in ("manual", "electro"):
        candidates = [catalog.point(c) for c, refs in refs_of.items() if any(_proposes(r, "manual") for r in refs)]
        if candidates:
            notes.append(
                f"No {condition} study here applied {used}: these are points that studies with needles used. "
                f"None of them is evidence for {used}."
            )
    known = {p.code for p in candidates}
    for code in include_codes:
        if code not in known:
            candidates.append(catalog.point(code))

    excluded: list[Finding] = []
    ranked: list[tuple[float, int, int, Chosen]] = []
    for order, p in enumerate(candidates):
        asked = p.code in include_codes
        if p.code in avoid_codes:
            excluded.append(Finding(FK.AVOID, "left out at your request", p.code))
            continue
        if regions and p.region not in regions and not asked:
            continue
        rulings = judge(p, None, patient)
        sides = sides_left(p, None, rulings)
        if not sides:
            for ruling in rulings:
                if ruling.effect == EXCLUDE:
                    f = ruling.finding()
                    why = ("asked for, but " + f.message) if asked else f.message
                    excluded.append(Finding(f.kind, why, p.code, f.sources))
                    break
            continue
        cautions = tuple(replace(r.finding(), effect=CAUTION) for r in rulings if r.effect == CAUTION)
        studies = refs_of.get(p.code, [])
        support = sum(support_weight(r) for r in studies if supports(r, used))
        score = support
        reasons = []
        if studies:
            reasons.append(f"{condition} studies that used it: " + study_classes(studies, used))
        if p.region in felt:
            score += LOCAL_BONUS
            reasons.append(f"local: on the {p.region}, where {condition} is felt")
        roles = [c.describe() for c in p.categories]
        if roles:
            reasons.append("classical role: " + ", ".join(roles))
        if asked:
            score += 100  # asked for by name: first, whatever the studies say
            outside = " (outside the regions asked for)" if regions and p.region not in regions else ""
            reasons.insert(0, f"included at your request{outside}")
        for ruling in rulings:
            if ruling.effect == EXCLUDE and ruling.sides:
                reasons.append(f"{', '.join(ruling.sides)} side left out: {ruling.message}")
        allowed = tuple(
            mod
            for mod in p.modalities
            if sides_left(p, None, judge(p, None, Patient(flags, mod, patient.numb_regions)))
        )
        chosen = Chosen(
            p.code, sides_label(sides), score, tuple(reasons), tuple(r.id for r in studies), allowed, cautions
        )
        ranked.append((score, len(studies), order, chosen))

    ranked.sort(key=lambda x: (-x[0], -x[1], x[2]))
    points = tuple(c for *_, c in ranked[:max_points])
    pairs = electro_pairs(catalog, points, patient) if used == "electro" else ()
    if used == "electro" and not pairs:
        notes.append("No two chosen points share a limb and side, so no electroacupuncture pair can be formed.")
    if not points:
        if excluded:
            notes.append("No point is left: the rules left out every candidate (see Left out).")
        elif regions:
            notes.append(f"No point is left: no {condition} study used a point in the regions asked for.")
        else:
            notes.append(f"No point is left: no {condition} study here applied this kind of treatment ({used}).")
    supported = any(_supported(catalog, c, used) for c in points)
    label = {"manual": "needling", "electro": "needling or electroacupuncture"}.get(used, used)
    if supported:
        heading = SUPPORTED_HEADING
        about = (
            "Ranked by the controlled trials of this kind of treatment that found it better than a control "
            "(sham counts most, usual care least); negative and inconclusive studies, protocols and reviews are "
            "named but never raise a rank. That a trial used a point does not show that the point works. "
            f"{SECONDARY_MARK}."
        )
    else:
        heading = USED_HEADING
        about = (
            f"No controlled trial of {label} for {condition} here found it better than a control with these points, so "
            "this is not a ranking by evidence: the order follows where the condition is felt and how many studies "
            f"chose a point, which says nothing about whether it works. {SECONDARY_MARK}."
        )
    warnings = flag_warnings(flags, used)
    raised = {w.kind for w in warnings}
    for c in info["cautions"]:
        if c["kind"] in raised:  # the flag's own warning already says it, for this patient
            continue
        cited = tuple(c.get("sources", ())) + tuple(c.get("references", ()))
        warnings.append(Finding(c["kind"], c["text"], None, cited, WARNING))
    return Prescription(
        condition=condition,
        modality=modality,
        flags=flags,
        points=points,
        pairs=pairs,
        excluded=tuple(excluded),
        warnings=tuple(warnings),
        plan=m.freeze(course_plan(catalog, condition, used)),
        notes=tuple(notes),
        catalog_version=catalog.data_version,
        modality_used=used,
        heading=heading,
        about=about,
        evidence=" ".join(str(info["evidence"]["direction"]).split()),
    )


def _supported(catalog: Catalog, chosen: Chosen, modality: str) -> bool:
    """Whether a controlled trial of this modality's class found a chosen point's treatment better."""
    return any(supports(catalog.references[i], modality) for i in chosen.studies if i in catalog.references)


def electro_pairs(catalog: Catalog, points: tuple[Chosen, ...], patient: Patient) -> tuple[Pair, ...]:
    """Pair points on the same limb and side, in rank order, where the pair rules allow it; trunk
    and head points stay unpaired."""
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
        if not judge_pair(catalog.point(other.code), p, c.sides, patient):
            pairs.append(Pair(other.code, c.code, c.sides))
        else:
            waiting[key] = other
    return tuple(pairs)


# A prescribed point's columns for plain and csv: its rank and name, then every key of its JSON
# record, each holding what the JSON holds (cautions as objects, as `check` gives them).
ROW_FIELDS = ("rank", "code", "english", "sides", "reasons", "cautions", "score", "studies", "modalities")


@dataclass(frozen=True)
class PrescriptionReport(Result):
    """A prescription as a command shows it: the ranked points as records, the rest beside them."""

    rx: Prescription
    catalog: Catalog
    columns = ROW_FIELDS
    formats = ("table", "plain", "json", "csv", "yaml", "markdown")

    def data(self) -> PrescriptionRecord:
        return self.rx.to_dict()

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"rank": i, "english": self.catalog.point(c.code).english, **c.to_dict()}
            for i, c in enumerate(self.rx.points, 1)
        ]

    def condition_name(self) -> str:
        return str(self.catalog.conditions[self.rx.condition]["name"])

    def flag_names(self) -> list[str]:
        return self.rx.flags.names()

    def heading(self) -> str:
        rx = self.rx
        used = (
            rx.modality_used
            if rx.modality_used == (rx.modality or "manual")
            else f"{rx.modality_used} (asked: {rx.modality})"
        )
        return (
            f"Prescription for {rx.condition} ({self.condition_name()}); modality: {used}; "
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
        out = [Message(MessageKind.HEADING, self.heading())]
        if rx.evidence:
            out.append(Message(MessageKind.SUMMARY, f"the evidence for {rx.condition}: {rx.evidence}"))
        out.append(Message(MessageKind.NOTE, f"{rx.heading}: {rx.about}"))
        out += [Message(MessageKind.PAIR, line) for line in self.pair_lines()]
        out += [Message(MessageKind.NOTE, note) for note in rx.notes]
        out += [Message(MessageKind.LEFT_OUT, finding_line(f, catalog)) for f in rx.excluded]
        out += [Message(MessageKind.COURSE, line) for line in self.course()]
        out += [Message(MessageKind.WARNING, finding_line(f, catalog)) for f in rx.warnings]
        out.append(NOTICE_MESSAGE)
        return out
