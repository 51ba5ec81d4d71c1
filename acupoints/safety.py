"""`check`, and what each patient flag asks of a whole session.

The decisions themselves are the rule engine's (acupoints.rules): `check` runs the same rules as
`prescribe`, on the points, sides and pairs it is given. Every finding carries its reason and its
source. A traditional caution is reported as the claim of a tradition, with the evidence beside
it, never as settled fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import model as m
from .flags import LIMBS, Flags, parse_limb  # noqa: F401  (re-exported: part of the API)
from .results import NOTICE_MESSAGE, Message, MessageKind, Result
from .rules import CAUTION, EXCLUDE, Finding, Patient, all_sides, judge, judge_pair, limb_of  # noqa: F401
from .vocab import FindingKind as FK

if TYPE_CHECKING:
    from .catalog import Catalog

SIDES = ("both", "left", "right", "midline")
WARNING = "warning"


def sides_label(sides: tuple[str, ...]) -> str:
    if sides == ("left", "right"):
        return "both"
    return sides[0] if len(sides) == 1 else "none"


def sides_of(label: str | None, point: m.Point) -> tuple[str, ...]:
    """'both', 'left', 'right', 'midline' (or nothing) as the sides of this point."""
    if not point.bilateral:
        return ("midline",)
    if label in ("left", "right"):
        return (label,)
    return ("left", "right")


def flag_warnings(flags: Flags, modality: str | None) -> list[Finding]:
    """What each flag asks of the whole session."""
    out: list[Finding] = []

    def warn(kind: str, text: str, sources: tuple[str, ...] = ()) -> None:
        out.append(Finding(kind, text, None, sources, WARNING))

    if flags.pacemaker:
        warn(
            FK.IMPLANTED_DEVICE,
            "no electroacupuncture at all with an implanted electronic device (pacemaker or defibrillator); "
            "manual needling only (Cummings 2011)",
            ("cummings2011ea",),
        )
    if flags.pregnant:
        warn(
            FK.PREGNANCY,
            "points that tradition forbids in pregnancy (Cheng 1987; Deadman), and the abdomen and lumbosacral region "
            "that WHO's guidelines name, are left out. A review of trials and a cohort of 5,885 women found no "
            "excess harm after needling the traditional forbidden points (Carr 2015)",
            ("cheng1987", "deadman", "who1999", "carr2015"),
        )
    if flags.anticoagulants:
        warn(
            FK.ANTICOAGULANTS,
            "with anticoagulants or a bleeding disorder: fine needles, shallow insertion and firm pressure after "
            "withdrawal, no bleeding techniques (conventional practice), and no cupping (Cheng 1987). Bleeding "
            "events were few and minor in the reports reviewed (McCulloch 2015)",
            ("cheng1987", "mcculloch2015"),
        )
    if flags.low_platelets:
        warn(
            FK.LOW_PLATELETS,
            "with low platelets: check the count before each session, use fine needles, shallow, with no bleeding "
            "techniques, and postpone if the count is very low (conventional practice); no cupping (Cheng 1987)",
            ("cheng1987",),
        )
    for limb in flags.lymphoedema:
        warn(
            FK.LYMPHOEDEMA,
            f"{limb} with or at risk of lymphoedema: no needles, cupping or moxibustion on it (conventional practice "
            "in cancer care); a small pilot found no serious harm from needling near such an arm (Cassileth 2011)",
            ("cassileth2011",),
        )
    if flags.diabetic_foot:
        warn(
            FK.DIABETIC_FOOT,
            "with a neuropathic diabetic foot: inspect the skin every session, no needles into ulcers, wounds or "
            "infection, and no direct moxibustion on numb skin (conventional practice); keep strict asepsis, and "
            "take special care with moxibustion where sensation is reduced (WHO 1999)",
            ("who1999",),
        )
    return out


def parse_point(text: str) -> tuple[str, str | None]:
    """'LI4:right' -> ('LI4', 'right'); 'LI4' -> ('LI4', None)."""
    name, sep, side = text.rpartition(":")
    if sep and side.strip().lower() in SIDES and name.strip():
        return name.strip(), side.strip().lower()
    return text, None


def check(
    catalog: Catalog,
    texts: list[str],
    *,
    pairs: tuple[tuple[str, str, str], ...] = (),
    flags: Flags | None = None,
    modality: str | None = None,
    condition: str | None = None,
) -> list[Finding]:
    """What the rules say about these points (each 'CODE' or 'CODE:side') and pairs for this
    patient: exclusions (effect 'exclude') and the cautions to keep in mind (effect 'caution').
    [] when there is nothing to say."""
    flags = flags or Flags()
    used = modality or ("electro" if pairs else "manual")
    numb = frozenset(catalog.conditions[condition].get("reduced_sensation") or ()) if condition else frozenset()
    patient = Patient(flags, used, numb)
    out: list[Finding] = []
    seen: dict[str, str] = {}
    for text in texts:
        name, side = parse_point(text)
        try:
            p = catalog.lookup(name)
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
        for r in judge(p, sides_of(side, p), patient):
            f = r.finding()
            out.append(Finding(f.kind, f.message, f.code, f.sources, r.effect))
    for a_text, b_text, side in pairs:
        try:
            a, b = catalog.lookup(a_text), catalog.lookup(b_text)
        except m.AcupointsError as exc:
            out.append(Finding(FK.UNKNOWN, f"pair {a_text}-{b_text}: {exc}", None))
            continue
        for r in judge_pair(a, b, side, patient):
            out.append(Finding(r.kind, r.message, r.code, r.sources, r.effect))
    return out


class CheckReport(Result):
    """What `check` found in a list of points (and pairs) for a patient."""

    columns = ("point", "kind", "message", "sources", "effect")

    def __init__(
        self, checked: Sequence[str], findings: Sequence[Finding], catalog: Catalog, notes: Sequence[str] = ()
    ) -> None:
        self.checked, self.findings, self.catalog, self.notes = tuple(checked), tuple(findings), catalog, tuple(notes)

    @property
    def excluded(self) -> list[Finding]:
        return [f for f in self.findings if f.effect == EXCLUDE]

    @property
    def ok(self) -> bool:
        """Nothing the rules exclude: cautions alone leave the exit status at 0."""
        return not self.excluded

    def data(self) -> dict[str, Any]:
        return {
            "checked": list(self.checked),
            "findings": [f.to_dict() for f in self.findings],
            "ok": self.ok,
            "notes": list(self.notes),
            "notice": m.NOTICE,
        }

    def rows(self) -> list[dict[str, Any]]:
        return [dict(f.to_dict()) for f in self.findings]

    def messages(self) -> list[Message]:
        out = [Message(MessageKind.NOTE, n) for n in self.notes]
        checked = ", ".join(self.checked) or "nothing"
        if not self.findings:
            out.append(Message(MessageKind.NOTE, f"no problems found in {checked}"))
        elif self.ok:
            n = len(self.findings)
            out.append(
                Message(
                    MessageKind.NOTE,
                    f"nothing excluded in {checked}; {n} caution{'s' if n != 1 else ''} to keep in mind",
                )
            )
        else:  # the table heads its list with this; a pipe gets it on stderr
            n = len(self.excluded)
            out.append(Message(MessageKind.NOTE, f"{n} exclusion{'s' if n > 1 else ''} for {checked}"))
        return [*out, NOTICE_MESSAGE]
