"""Patient flags and what they rule out: the checks `prescribe` and `check` share.

Every finding carries its reason and its source, so the output can say why a point was left out
or a pair refused. A traditional caution is reported as the claim of a tradition, with the
evidence beside it, never as settled fact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import model as m
from .flags import LIMBS, Flags, parse_limb  # noqa: F401  (re-exported: part of the API)
from .results import NOTICE_MESSAGE, Message, MessageKind, Result
from .vocab import FindingKind as FK

if TYPE_CHECKING:
    from .catalog import Catalog

SIDES = ("both", "left", "right", "midline")


@dataclass(frozen=True)
class Finding:
    """One thing a practitioner must know: about a point, a pair, or the plan as a whole."""

    kind: str
    message: str
    code: str | None = None
    sources: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, object]:
        return {"kind": str(self.kind), "point": self.code, "message": self.message, "sources": list(self.sources)}


def limb_of(point: m.Point) -> str | None:
    for limb in ("upper-limb", "lower-limb"):
        if point.region in m.region_parts(limb):
            return limb
    return None


def allowed_sides(point: m.Point, flags: Flags) -> tuple[str, ...]:
    """The sides a point may be used on under the flags: () when none is left."""
    if not point.bilateral:
        return ("midline",)
    sides = {"left", "right"}
    limb = limb_of(point)
    for name in flags.lymphoedema:
        side, at_risk = LIMBS[name]
        if limb == at_risk:
            sides.discard(side)
    return tuple(s for s in ("left", "right") if s in sides)


def sides_label(sides: tuple[str, ...]) -> str:
    if sides == ("left", "right"):
        return "both"
    return sides[0] if len(sides) == 1 else "none"


_WHO_PREGNANCY_REGIONS = {"abdomen", "lower-back"}


def exclusions(point: m.Point, flags: Flags) -> list[Finding]:
    """Why this point should not be used at all for this patient; [] when it may be."""
    out: list[Finding] = []
    if flags.pregnant:
        for c in point.cautions:
            if c.kind == "pregnancy":
                out.append(Finding(FK.PREGNANCY, c.text, point.code, c.sources))
        if point.region in _WHO_PREGNANCY_REGIONS and not any(f.kind == "pregnancy" for f in out):
            out.append(
                Finding(
                    FK.PREGNANCY,
                    "WHO's safety guidelines advise against needling the lower abdomen and lumbosacral region "
                    "in early pregnancy, and the upper abdomen from the fourth month; they name regions, not points.",
                    point.code,
                    ("who1999",),
                )
            )
    if flags.lymphoedema and not allowed_sides(point, flags):
        limbs = ", ".join(flags.lymphoedema)
        out.append(
            Finding(
                FK.LYMPHOEDEMA,
                f"on a limb with or at risk of lymphoedema ({limbs}): professional bodies advise against needling it, "
                "though a small pilot found no serious harm (Cassileth 2011)",
                point.code,
                ("cassileth2011",),
            )
        )
    if flags.diabetic_foot and point.region == "foot":
        out.append(
            Finding(
                FK.DIABETIC_FOOT,
                "on the foot of a patient with a neuropathic diabetic foot: numb, slow-healing skin that "
                "infects easily; WHO asks for strict asepsis and special care where sensation is reduced",
                point.code,
                ("who1999",),
            )
        )
    if flags.anticoagulants or flags.low_platelets:
        for c in point.cautions:
            if c.kind == "vessel":
                what = "anticoagulants" if flags.anticoagulants else "low platelets"
                out.append(
                    Finding(
                        FK.BLEEDING,
                        f"beside a major vessel ({c.structure or 'named in its cautions'}) in a patient on {what}: "
                        "bleeding is the risk; choose another point",
                        point.code,
                        ("mcculloch2015", *c.sources) if flags.anticoagulants else ("who1999", *c.sources),
                    )
                )
                break
    return out


def flag_warnings(flags: Flags, modality: str | None) -> list[Finding]:
    """What each flag asks of the whole session."""
    out: list[Finding] = []
    if flags.pacemaker:
        out.append(
            Finding(
                FK.IMPLANTED_DEVICE,
                "implanted electronic device (pacemaker or defibrillator): no electroacupuncture at all; "
                "manual needling only",
                None,
                ("cummings2011ea",),
            )
        )
    if flags.pregnant:
        out.append(
            Finding(
                FK.PREGNANCY,
                "pregnancy: points that tradition forbids are left out. Tradition (Cheng 1987; Deadman) forbids them; "
                "trials and a cohort of 5,885 women found no excess harm after needling them (Carr 2015)",
                None,
                ("cheng1987", "deadman", "carr2015"),
            )
        )
    if flags.anticoagulants:
        out.append(
            Finding(
                FK.ANTICOAGULANTS,
                "anticoagulants: fine needles, shallow insertion, firm pressure after withdrawal; no bleeding "
                "techniques and no cupping. Bleeding events were few and minor in the reports reviewed "
                "(McCulloch 2015)",
                None,
                ("mcculloch2015", "who1999"),
            )
        )
    if flags.low_platelets:
        out.append(
            Finding(
                FK.LOW_PLATELETS,
                "low platelets: check the count before each session; fine needles, shallow, no bleeding techniques "
                "and no cupping; postpone if the count is very low",
                None,
                ("who1999",),
            )
        )
    for limb in flags.lymphoedema:
        out.append(
            Finding(
                FK.LYMPHOEDEMA,
                f"{limb} with or at risk of lymphoedema: no needles, cupping or moxibustion on it (Cassileth 2011)",
                None,
                ("cassileth2011",),
            )
        )
    if flags.diabetic_foot:
        out.append(
            Finding(
                FK.DIABETIC_FOOT,
                "neuropathic diabetic foot: inspect the skin every session; no needles into ulcers, wounds or "
                "infection; no direct moxibustion on numb skin (WHO 1999)",
                None,
                ("who1999",),
            )
        )
    return out


def removed_modalities(point: m.Point, flags: Flags) -> dict[str, Finding]:
    """Modalities a flag takes away from one point, with why."""
    out: dict[str, Finding] = {}
    if flags.pacemaker and "electro" in point.modalities:
        out["electro"] = Finding(
            FK.IMPLANTED_DEVICE, "no electroacupuncture with an implanted device", point.code, ("cummings2011ea",)
        )
    if (flags.anticoagulants or flags.low_platelets) and "cupping" in point.modalities:
        out["cupping"] = Finding(FK.BLEEDING, "no cupping with a bleeding risk", point.code, ("who1999",))
    if flags.diabetic_foot and "moxibustion" in point.modalities and limb_of(point) == "lower-limb":
        out["moxibustion"] = Finding(
            FK.BURNS, "no moxibustion on the numb legs and feet of a neuropathic patient", point.code, ("who1999",)
        )
    for c in point.cautions:
        if c.kind == "no-moxibustion" and "moxibustion" in point.modalities:
            out["moxibustion"] = Finding(FK.NO_MOXIBUSTION, c.text, point.code, c.sources)
    return out


def pair_problem(a: m.Point, b: m.Point, side: str, flags: Flags) -> Finding | None:
    """Why two points may not share an electroacupuncture circuit; None when they may."""
    code = f"{a.code}-{b.code}"
    if flags.pacemaker:
        return Finding(FK.IMPLANTED_DEVICE, "no electroacupuncture with an implanted device", code, ("cummings2011ea",))
    limb_a, limb_b = limb_of(a), limb_of(b)
    if limb_a is None or limb_b is None:
        trunk = a if limb_a is None else b
        where = "chest" if trunk.region in ("chest", "upper-back") else trunk.region
        return Finding(
            FK.EA_CIRCUIT,
            f"{trunk.code} is on the {where}, not a limb: a circuit there may cross the chest or the spine. "
            "Pairs stay on one limb (Cummings 2011 on current across the chest; the spine rule is this tool's "
            "own caution)",
            code,
            ("cummings2011ea",),
        )
    if limb_a != limb_b:
        return Finding(
            FK.EA_CIRCUIT,
            f"{a.code} is on the {limb_a} and {b.code} on the {limb_b}: a circuit between them runs through the trunk",
            code,
            ("cummings2011ea",),
        )
    if side not in ("left", "right", "both"):
        return Finding(FK.EA_CIRCUIT, "a pair must be on one side (left, right, or both as two circuits)", code)
    if "electro" not in a.modalities or "electro" not in b.modalities:
        which = a if "electro" not in a.modalities else b
        return Finding(FK.EA_CIRCUIT, f"{which.code} is not a point for electroacupuncture", code)
    return None


def point_risks(point: m.Point) -> list[Finding]:
    """Anatomical risks worth repeating whenever a point is used: lung, vessels, organs, eyes, CNS."""
    out = []
    for c in point.cautions:
        if c.kind in ("pneumothorax", "vessel", "organ", "eye", "cns", "nerve", "no-needling"):
            out.append(Finding(c.kind, c.text, point.code, c.sources))
    return out


def check(
    catalog: Catalog,
    texts: list[str],
    *,
    pairs: tuple[tuple[str, str, str], ...] = (),
    flags: Flags | None = None,
    modality: str | None = None,
) -> list[Finding]:
    """Everything wrong with a list of points (and pairs) for this patient; [] when nothing is."""
    flags = flags or Flags()
    out: list[Finding] = []
    seen: dict[str, str] = {}
    points: list[m.Point] = []
    for text in texts:
        try:
            p = catalog.lookup(text)
        except m.AmbiguousPointError as exc:
            out.append(Finding(FK.AMBIGUOUS, str(exc), None))
            continue
        except m.UnknownPointError as exc:
            out.append(Finding(FK.UNKNOWN, str(exc), None))
            continue
        if p.code in seen:
            out.append(Finding(FK.DUPLICATE, f"listed twice (as {seen[p.code]!r} and {text!r})", p.code))
            continue
        seen[p.code] = text
        points.append(p)
    if modality == "electro" and flags.pacemaker:
        device = "electroacupuncture with an implanted device"
        out.append(Finding(FK.IMPLANTED_DEVICE, device, None, ("cummings2011ea",)))
    for p in points:
        out.extend(exclusions(p, flags))
        out.extend(point_risks(p))
        if modality:
            removed = removed_modalities(p, flags)
            if modality in removed:
                out.append(removed[modality])
            elif modality not in p.modalities:
                out.append(Finding(FK.MODALITY, f"not a point for {modality}", p.code))
    for a_text, b_text, side in pairs:
        try:
            a, b = catalog.lookup(a_text), catalog.lookup(b_text)
        except m.AcupointsError as exc:
            out.append(Finding(FK.UNKNOWN, f"pair {a_text}-{b_text}: {exc}", None))
            continue
        problem = pair_problem(a, b, side, flags)
        if problem:
            out.append(problem)
    return out


@dataclass
class CheckReport(Result):
    """What `check` found in a list of points (and pairs) for a patient."""

    checked: list[str]
    findings: list[Finding]
    catalog: Catalog
    columns = ("point", "kind", "message", "sources")

    @property
    def ok(self) -> bool:
        return not self.findings

    def data(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "findings": [f.to_dict() for f in self.findings],
            "ok": self.ok,
            "notice": m.NOTICE,
        }

    def rows(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self.findings]

    def messages(self) -> list[Message]:
        out = []
        if self.ok:
            out.append(Message(MessageKind.NOTE, f"no problems found in {', '.join(self.checked) or 'nothing'}"))
        return [*out, NOTICE_MESSAGE]
