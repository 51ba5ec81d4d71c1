"""The one rule engine: for a point, on its sides, with a modality, for a patient, whether it is
excluded, allowed with a caution, or allowed; and whether an electroacupuncture pair may be used.

`prescribe` ranks only what these rules allow and shows every caution beside its point; `check`
runs the same rules on what it is given (sides and pairs included). So a saved prescription,
checked with the same flags, finds nothing it did not already show.

Every rule is listed in POINT_RULES or PAIR_RULES with what triggers it and its source; the
README's table is tested against these lists. A source is cited only for what its note in
safety-sources.yaml says it covers; a rule that rests on no listed source says "conventional
practice" and cites none (or cites a study only as the evidence beside it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from . import model as m
from .flags import LIMBS, Flags
from .vocab import FindingKind as FK

if TYPE_CHECKING:
    from .records import FindingRecord

EXCLUDE = "exclude"
CAUTION = "caution"

NEEDLES = frozenset({"manual", "electro"})
# Which modalities a caution's `modality` speaks for.
CAUTION_APPLIES: dict[str, frozenset[str]] = {
    "needle": NEEDLES,
    "electro": frozenset({"electro"}),
    "moxibustion": frozenset({"moxibustion"}),
    "cupping": frozenset({"cupping"}),
    "bleeding": frozenset(),  # a bleeding technique: none of the modalities prescribed here
    "any": frozenset(m.MODALITIES),
}
ANATOMICAL = ("pneumothorax", "vessel", "organ", "eye", "cns", "nerve")
# WHO 1999 (II 2.1) names the lower abdomen and the lumbosacral region from the start of pregnancy,
# and the upper abdomen from the fourth month: our regions abdomen and lower-back.
WHO_PREGNANCY_REGIONS = frozenset({"abdomen", "lower-back"})


@dataclass(frozen=True)
class Finding:
    """One thing a practitioner must know: about a point, a pair, or the plan as a whole.

    `effect`: exclude (the rules rule it out: `check` exits 1), caution (allowed, with this said
    beside it), or warning (about the whole session)."""

    kind: str
    message: str
    code: str | None = None
    sources: tuple[str, ...] = field(default_factory=tuple)
    effect: str = EXCLUDE

    def to_dict(self) -> FindingRecord:
        return {
            "kind": str(self.kind),
            "point": self.code,
            "message": self.message,
            "sources": list(self.sources),
            "effect": self.effect,
        }


@dataclass(frozen=True)
class Ruling:
    """What one rule says about one point (or pair): exclude it, or allow it with a caution."""

    rule: str
    effect: str  # EXCLUDE or CAUTION
    kind: str
    message: str
    code: str
    sources: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()  # the sides it concerns; () for the whole point

    def finding(self) -> Finding:
        where = f"{self.code} ({', '.join(self.sides)})" if self.sides else self.code
        return Finding(self.kind, self.message, where if self.sides else self.code, self.sources)


@dataclass(frozen=True)
class Patient:
    """Everything the rules look at besides the point: the flags, the modality actually used, and
    the condition's regions of reduced sensation."""

    flags: Flags = field(default_factory=Flags)
    modality: str = "manual"
    numb_regions: frozenset[str] = frozenset()


class Rule(NamedTuple):
    id: str
    trigger: str  # in words, for the README
    source: str  # in words: the sources cited, or "conventional practice"
    judge: Callable[[m.Point, tuple[str, ...], Patient], list[Ruling]]


def limb_of(point: m.Point) -> str | None:
    for limb in ("upper-limb", "lower-limb"):
        if point.region in m.region_parts(limb):
            return limb
    return None


def all_sides(point: m.Point) -> tuple[str, ...]:
    return ("left", "right") if point.bilateral else ("midline",)


def _applies(caution: m.Caution, modality: str) -> bool:
    return modality in CAUTION_APPLIES.get(caution.modality, frozenset())


# -- point rules -------------------------------------------------------------------------------
def _suited(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    if pt.modality in p.modalities:
        return []
    msg = f"not a point for {pt.modality} (the catalog gives it: {', '.join(p.modalities) or 'none'})"
    return [Ruling("modality", EXCLUDE, FK.MODALITY, msg, p.code)]


def _no_needling(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    if pt.modality not in NEEDLES:
        return []
    for c in p.cautions:
        if c.kind == "no-needling":
            return [Ruling("no-needling", EXCLUDE, "no-needling", c.text, p.code, c.sources)]
    if p.needling.angle == "none":
        return [Ruling("no-needling", EXCLUDE, "no-needling", "the catalog gives no needling for this point", p.code)]
    return []


def _no_moxibustion(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    if pt.modality != "moxibustion":
        return []
    return [
        Ruling("no-moxibustion", EXCLUDE, FK.NO_MOXIBUSTION, c.text, p.code, c.sources)
        for c in p.cautions
        if c.kind == "no-moxibustion"
    ][:1]


def _pregnancy_tradition(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    if not pt.flags.pregnant:
        return []
    for c in p.cautions:
        if c.kind != "pregnancy":
            continue
        if _applies(c, pt.modality):
            return [Ruling("pregnancy-tradition", EXCLUDE, FK.PREGNANCY, c.text, p.code, c.sources)]
        # the tradition speaks of needles (or heat): gentler touch is not covered, so a caution
        return [
            Ruling(
                "pregnancy-tradition",
                CAUTION,
                FK.PREGNANCY,
                f"tradition forbids this point in pregnancy for {c.modality}; its sources say nothing of "
                f"{pt.modality}: use gentle stimulation. {c.text}",
                p.code,
                c.sources,
            )
        ]
    return []


def _pregnancy_region(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    if not pt.flags.pregnant or p.region not in WHO_PREGNANCY_REGIONS:
        return []
    if pt.modality in NEEDLES or pt.modality == "moxibustion":
        return [
            Ruling(
                "pregnancy-region",
                EXCLUDE,
                FK.PREGNANCY,
                "on the abdomen or lumbosacral region: WHO's guidelines advise no needling or moxibustion of the "
                "lower abdomen and lumbosacral region in the first three months of pregnancy, and of the upper "
                "abdomen too from the fourth month; they name regions, not points",
                p.code,
                ("who1999",),
            )
        ]
    if pt.modality == "cupping":
        return [
            Ruling(
                "pregnancy-region",
                EXCLUDE,
                FK.PREGNANCY,
                "no cupping on the abdomen or sacrum in pregnancy (Cheng 1987)",
                p.code,
                ("cheng1987",),
            )
        ]
    return [
        Ruling(
            "pregnancy-region",
            CAUTION,
            FK.PREGNANCY,
            "on the abdomen or lumbosacral region in pregnancy: WHO's guidelines name this region for needles and "
            "moxibustion; for acupressure use gentle pressure only (conventional practice)",
            p.code,
            ("who1999",),
        )
    ]


def _lymphoedema(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    limb = limb_of(p)
    out = []
    for name in pt.flags.lymphoedema:
        side, at_risk = LIMBS[name]
        if limb != at_risk or side not in sides:
            continue
        out.append(
            Ruling(
                "lymphoedema",
                EXCLUDE,
                FK.LYMPHOEDEMA,
                f"on the {name.replace('-', ' ')}, which has or is at risk of lymphoedema: conventional practice in "
                "cancer care keeps needles, cups, heat and firm pressure off that limb; a small pilot found no serious "
                "harm from needling near a lymphoedematous arm (Cassileth 2011)",
                p.code,
                ("cassileth2011",),
                (side,),
            )
        )
    return out


def _diabetic_foot(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    if not pt.flags.diabetic_foot or p.region != "foot" or pt.modality == "acupressure":
        return []
    return [
        Ruling(
            "diabetic-foot",
            EXCLUDE,
            FK.DIABETIC_FOOT,
            "on the foot of a patient with a neuropathic diabetic foot: numb skin that heals slowly and infects "
            "easily; conventional practice keeps needles and cups off it",
            p.code,
        )
    ]


def _numb_heat(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    if pt.modality != "moxibustion":
        return []
    numb = p.region in pt.numb_regions or (pt.flags.diabetic_foot and limb_of(p) == "lower-limb")
    if not numb:
        return []
    return [
        Ruling(
            "reduced-sensation-heat",
            EXCLUDE,
            FK.BURNS,
            f"on the {p.region}, where this patient's sensation is reduced: numb skin cannot feel a burn coming, so "
            "leaving it out is conventional practice; WHO's guidelines ask for special care with moxibustion where "
            "sensation is reduced",
            p.code,
            ("who1999",),
        )
    ]


def _vessel(p: m.Point) -> m.Caution | None:
    return next((c for c in p.cautions if c.kind == "vessel"), None)


def _bleeding_vessel(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    f = pt.flags
    vessel = _vessel(p)
    if not (f.anticoagulants or f.low_platelets) or vessel is None or pt.modality not in NEEDLES | {"cupping"}:
        return []
    what = "anticoagulants or a bleeding disorder" if f.anticoagulants else "a low platelet count"
    text = (
        f"beside a major vessel ({vessel.structure or 'named in its cautions'}) in a patient with {what}: "
        "conventional practice is to choose another point"
    )
    sources = vessel.sources
    if f.anticoagulants:
        text += "; in the reports reviewed bleeding events were few and minor (McCulloch 2015)"
        sources = ("mcculloch2015", *sources)
    return [Ruling("bleeding-vessel", EXCLUDE, FK.BLEEDING, text, p.code, sources)]


def _cupping(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    if pt.modality != "cupping":
        return []
    f = pt.flags
    if f.anticoagulants or f.low_platelets:
        return [
            Ruling(
                "cupping",
                EXCLUDE,
                FK.BLEEDING,
                "no cupping with a tendency to bleed (Cheng 1987)",
                p.code,
                ("cheng1987",),
            )
        ]
    if _vessel(p) is not None:
        return [
            Ruling(
                "cupping", EXCLUDE, FK.BLEEDING, "no cupping over a large vessel (Cheng 1987)", p.code, ("cheng1987",)
            )
        ]
    return []


def _device(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    if not pt.flags.pacemaker or pt.modality != "electro":
        return []
    return [
        Ruling(
            "implanted-device",
            EXCLUDE,
            FK.IMPLANTED_DEVICE,
            "no electroacupuncture with an implanted electronic device (pacemaker or defibrillator)",
            p.code,
            ("cummings2011ea",),
        )
    ]


def _moxa_care(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    if pt.modality != "moxibustion":
        return []
    if p.region == "face" or _vessel(p) is not None:
        where = "the face" if p.region == "face" else "a large blood vessel"
        return [
            Ruling(
                "moxibustion-care",
                CAUTION,
                FK.BURNS,
                f"over {where}: WHO's guidelines advise no direct moxibustion there; indirect only",
                p.code,
                ("who1999",),
            )
        ]
    return []


def _anatomy(p: m.Point, sides: tuple[str, ...], pt: Patient) -> list[Ruling]:
    return [
        Ruling("anatomy", CAUTION, c.kind, c.text, p.code, c.sources)
        for c in p.cautions
        if c.kind in ANATOMICAL and _applies(c, pt.modality)
    ]


POINT_RULES: tuple[Rule, ...] = (
    Rule(
        "no-needling",
        "needles (manual or electro) at a point the catalog bars from needling",
        "the point's caution",
        _no_needling,
    ),
    Rule(
        "no-moxibustion",
        "moxibustion at a point the catalog bars from moxibustion",
        "the point's caution",
        _no_moxibustion,
    ),
    Rule("modality", "the point is not one for the modality used", "the catalog's modalities", _suited),
    Rule("implanted-device", "electroacupuncture with an implanted device", "Cummings 2011", _device),
    Rule(
        "pregnancy-tradition",
        "pregnancy, at a point tradition forbids (excluded for the modality its caution names; a caution otherwise)",
        "the point's caution (Cheng 1987, Deadman; Carr 2015 beside it)",
        _pregnancy_tradition,
    ),
    Rule(
        "pregnancy-region",
        "pregnancy, at a point on the abdomen or lumbosacral region (needles, moxibustion, cupping)",
        "WHO 1999 (needles, moxibustion); Cheng 1987 (cupping)",
        _pregnancy_region,
    ),
    Rule(
        "lymphoedema",
        "a side of a limb with or at risk of lymphoedema (that side only, every modality)",
        "conventional practice; Cassileth 2011 as the evidence beside it",
        _lymphoedema,
    ),
    Rule(
        "diabetic-foot", "a neuropathic diabetic foot, at a point on the foot", "conventional practice", _diabetic_foot
    ),
    Rule(
        "reduced-sensation-heat",
        "moxibustion where the condition or a diabetic foot dulls sensation",
        "WHO 1999 (moxibustion)",
        _numb_heat,
    ),
    Rule(
        "bleeding-vessel",
        "anticoagulants or low platelets, at a point beside a major vessel (needles, cupping)",
        "conventional practice; McCulloch 2015 beside it",
        _bleeding_vessel,
    ),
    Rule("cupping", "cupping with a bleeding risk, or over a large vessel", "Cheng 1987", _cupping),
    Rule("moxibustion-care", "moxibustion on the face or over a large vessel (a caution)", "WHO 1999", _moxa_care),
    Rule(
        "anatomy",
        "a point over the lung, a major vessel or nerve, an organ, the eye or the spinal cord (a caution)",
        "the point's caution",
        _anatomy,
    ),
)


def judge(point: m.Point, sides: tuple[str, ...] | None, patient: Patient) -> list[Ruling]:
    """Every ruling on a point used on these sides (default: all of them) for this patient."""
    used = sides or all_sides(point)
    out: list[Ruling] = []
    for rule in POINT_RULES:
        out += rule.judge(point, used, patient)
    return out


def sides_left(point: m.Point, sides: tuple[str, ...] | None, rulings: list[Ruling]) -> tuple[str, ...]:
    """The sides no ruling excludes: () when the whole point is excluded."""
    if any(r.effect == EXCLUDE and not r.sides for r in rulings):
        return ()
    gone = {s for r in rulings if r.effect == EXCLUDE for s in r.sides}
    return tuple(s for s in (sides or all_sides(point)) if s not in gone)


# -- pair rules (electroacupuncture) -----------------------------------------------------------
PairJudge = Callable[[m.Point, m.Point, str, Patient], "Ruling | None"]


def _pair(code: str, message: str, sources: tuple[str, ...] = (), rule: str = "pair") -> Ruling:
    return Ruling(rule, EXCLUDE, FK.EA_CIRCUIT, message, code, sources)


def _pair_device(a: m.Point, b: m.Point, side: str, pt: Patient) -> Ruling | None:
    if pt.flags.pacemaker:
        return Ruling(
            "pair-device",
            EXCLUDE,
            FK.IMPLANTED_DEVICE,
            "no electroacupuncture with an implanted electronic device",
            f"{a.code}-{b.code}",
            ("cummings2011ea",),
        )
    return None


def _pair_same(a: m.Point, b: m.Point, side: str, pt: Patient) -> Ruling | None:
    if a.code != b.code:
        return None
    return _pair(
        f"{a.code}-{b.code}",
        f"a pair joins two different points; {a.code} to {a.code} can only run from one side of the body to the other, "
        "across the chest or the spine",
        ("cummings2011ea",),
        "pair-same-point",
    )


def _pair_trunk(a: m.Point, b: m.Point, side: str, pt: Patient) -> Ruling | None:
    la, lb = limb_of(a), limb_of(b)
    if la is not None and lb is not None:
        return None
    trunk = a if la is None else b
    where = "chest" if trunk.region in ("chest", "upper-back") else trunk.region
    return _pair(
        f"{a.code}-{b.code}",
        f"{trunk.code} is on the {where}, not a limb: a circuit there may cross the chest or the spine. Pairs stay on "
        "one limb (Cummings 2011 on current across the chest; keeping current off the spine is conventional practice)",
        ("cummings2011ea",),
        "pair-trunk",
    )


def _pair_limbs(a: m.Point, b: m.Point, side: str, pt: Patient) -> Ruling | None:
    la, lb = limb_of(a), limb_of(b)
    if la is None or lb is None or la == lb:
        return None
    return _pair(
        f"{a.code}-{b.code}",
        f"{a.code} is on the {la} and {b.code} on the {lb}: a circuit between them runs through the trunk",
        ("cummings2011ea",),
        "pair-limbs",
    )


def _pair_side(a: m.Point, b: m.Point, side: str, pt: Patient) -> Ruling | None:
    if side in ("left", "right", "both"):
        return None
    return _pair(
        f"{a.code}-{b.code}", "a pair is on one side: left, right, or both (two circuits, one a side)", rule="pair-side"
    )


def _pair_points(a: m.Point, b: m.Point, side: str, pt: Patient) -> Ruling | None:
    """Each end must itself be allowed for electroacupuncture on the pair's side(s)."""
    sides = ("left", "right") if side == "both" else (side,)
    ea = Patient(pt.flags, "electro", pt.numb_regions)
    for p in (a, b):
        rulings = judge(p, sides, ea)
        bad = [r for r in rulings if r.effect == EXCLUDE and r.rule != "implanted-device"]
        if bad:
            return Ruling(
                "pair-points",
                EXCLUDE,
                bad[0].kind,
                f"{p.code} may not carry current here: {bad[0].message}",
                f"{a.code}-{b.code}",
                bad[0].sources,
            )
    return None


PAIR_RULES: tuple[tuple[str, str, str, Callable[[m.Point, m.Point, str, Patient], Ruling | None]], ...] = (
    ("pair-device", "any pair, with an implanted device", "Cummings 2011", _pair_device),
    (
        "pair-same-point",
        "a point paired with itself (left to right runs across the trunk)",
        "Cummings 2011",
        _pair_same,
    ),
    (
        "pair-trunk",
        "an end off the limbs (a circuit may cross the chest or spine)",
        "Cummings 2011; own caution (spine)",
        _pair_trunk,
    ),
    ("pair-limbs", "ends on different limbs (the circuit runs through the trunk)", "Cummings 2011", _pair_limbs),
    ("pair-side", "a side that is not left, right or both", "this tool's pair format", _pair_side),
    (
        "pair-points",
        "an end the point rules exclude for electroacupuncture on that side (lymphoedema, no-needling, ...)",
        "as the point rule",
        _pair_points,
    ),
)


def judge_pair(a: m.Point, b: m.Point, side: str, patient: Patient) -> list[Ruling]:
    out = []
    for _id, _trigger, _source, rule in PAIR_RULES:
        found = rule(a, b, side, patient)
        if found is not None:
            out.append(found)
            break  # the first reason is enough: a pair is out
    return out


def effective_modality(asked: str | None, flags: Flags) -> tuple[str, str | None]:
    """The modality actually used, and a note when it differs from the one asked for."""
    if asked == "electro" and flags.pacemaker:
        return (
            "manual",
            "Electroacupuncture was asked for, but the patient has an implanted device: manual needling only.",
        )
    return asked or "manual", None


def rules_table() -> list[dict[str, Any]]:
    """Every rule, for the README's table (a test checks it names each): id, what triggers it, its source."""
    rows = [{"rule": r.id, "applies to": "point", "trigger": r.trigger, "source": r.source} for r in POINT_RULES]
    rows += [{"rule": i, "applies to": "pair", "trigger": t, "source": s} for i, t, s, _ in PAIR_RULES]
    return rows
