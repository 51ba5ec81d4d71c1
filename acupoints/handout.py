"""What a patient is told about their prescription: clinical content, as data.

The Markdown writer lays this out and adds no words of its own. The handout is written for the
treatment actually used (needles, current, moxibustion, acupressure or cupping: a moxibustion
handout never speaks of needles), in plain words: each point's place from plain-locations.yaml,
what the patient's flags changed, what fits the condition (conditions.yaml `patient`), what a
session feels like, honest expectations, when to call, and the notice. It states no figure no
study gave, shows no study id, and never writes a range as "30 to 30".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .prescribe import PrescriptionReport

MEASURE_NOTE = (
    "A thumb-width is the width of your own thumb at the knuckle; finger-widths are your own fingers held "
    "together. Your practitioner finds each point by touch, so it may sit a little to one side of these words."
)
NEEDLES = ("manual", "electro")
TITLES = {
    "manual": "acupuncture",
    "electro": "acupuncture",
    "moxibustion": "moxibustion",
    "acupressure": "acupressure",
    "cupping": "cupping",
}
# What a session is like, for each treatment: what is done, and what it feels like.
SESSION = {
    "manual": (
        "You lie or sit comfortably. Fine, sterile, single-use needles go in at each point; most people feel "
        "little more than a prick, then a dull ache, tingling or heaviness around the needle. Tell your "
        "practitioner at once if anything feels sharp or hot.",
    ),
    "electro": (
        "You lie or sit comfortably. Fine, sterile, single-use needles go in at each point; most people feel "
        "little more than a prick, then a dull ache, tingling or heaviness around the needle.",
        "Some needles are joined in pairs to a small battery device that sends a gentle pulsing current; it "
        "should feel like tapping or buzzing, never painful. Say so at once if it hurts.",
    ),
    "moxibustion": (
        "Nothing goes through the skin. Your practitioner warms each point with moxa, a dried herb that "
        "smoulders slowly, held above the skin. You should feel a gentle, spreading warmth, never burning: say "
        "so at once if it feels hot. There is a smell of smoke.",
    ),
    "acupressure": (
        "Nothing goes through the skin. Your practitioner presses each point firmly with a thumb or finger for a "
        "minute or two. It may feel achy but should never hurt; say so if it does. You may be shown how to do "
        "it yourself at home.",
    ),
    "cupping": (
        "Nothing goes through the skin. Small cups are placed on the skin and gentle suction holds them for a few "
        "minutes. It feels like a firm pull; say so if it hurts.",
    ),
}
AFTERWARDS = {
    "manual": "Common and mild: a small bruise or a drop of blood where a needle was, brief soreness, feeling "
    "tired or light-headed for a while. These pass on their own.",
    "electro": "Common and mild: a small bruise or a drop of blood where a needle was, brief soreness, feeling "
    "tired or light-headed for a while. These pass on their own.",
    "moxibustion": "The skin may look pink and feel warm for a while. A blister is not expected: if one appears, "
    "leave it alone, keep it clean and tell your practitioner.",
    "acupressure": "The points may feel tender for a day. This passes on its own.",
    "cupping": "Round red or purple marks where the cups were are expected; they fade within one to two weeks. "
    "The skin may feel tender.",
}
FAINTING = (
    "A few people feel faint, dizzy, sick or sweaty during a session, most often the first one. That is why "
    "the first sessions are done lying down: tell your practitioner at once if you feel this way."
)
EXPECTATIONS = (
    "The studies of this treatment for your condition are small and their results are mixed: it helps some "
    "people and not others, and it does not replace your other treatment. Keep taking your medicines unless "
    "your doctor tells you otherwise."
)
NO_STUDIES = (
    "No study of this treatment for your condition was found, so no one can say how well it works for it. It "
    "does not replace your other treatment. Keep taking your medicines unless your doctor tells you otherwise."
)
# The notice, in words for a patient (the practitioner's formats carry the tool's own notice).
PATIENT_NOTICE = "This page is information, not medical advice: follow what your own doctor and practitioner tell you."
SIDES = {"both": "both sides", "left": "left side only", "right": "right side only", "midline": "middle of the body"}


@dataclass(frozen=True)
class Handout:
    title: str
    intro: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    after_table: tuple[str, ...]
    # (heading, paragraphs, bullet items)
    sections: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    notice: str = PATIENT_NOTICE


def _span(v: object, unit: str, one: str | None = None) -> str | None:
    """'3 sessions a week', '1 session a week' or '2 to 3 sessions a week', from the studies' figures,
    without their ids."""
    if not isinstance(v, Mapping) or not v:
        return None
    lo, hi = v["min"], v["max"]
    if lo == hi:
        return f"{lo:g} {one if (one and lo == 1) else unit}"
    return f"{lo:g} to {hi:g} {unit}"


def handout(report: PrescriptionReport) -> Handout:
    rx, catalog = report.rx, report.catalog
    used = rx.modality_used
    info = catalog.conditions[rx.condition]
    plain = catalog.plain_locations()
    rows = []
    for c in rx.points:
        p = catalog.point(c.code)
        where = plain.get(p.code) or "Your practitioner will show you where it is."
        rows.append((p.code, f"{p.english} ({p.pinyin})", where, SIDES.get(c.sides, c.sides)))

    session = list(SESSION.get(used, SESSION["manual"]))
    minutes = _span(rx.plan.get("minutes_per_session"), "minutes")
    if minutes and used in NEEDLES:
        session.append(f"In the studies of this treatment for your condition, the needles stayed in for {minutes}.")
    course = [
        x
        for x in (
            _span(rx.plan.get("sessions_per_week"), "sessions a week", "session a week"),
            _span(rx.plan.get("weeks"), "weeks", "week"),
            _span(rx.plan.get("sessions_total"), "sessions in all", "session in all"),
        )
        if x
    ]
    if course:
        session.append("In those studies the course was " + "; ".join(course) + ".")
    else:
        session.append("Your practitioner will agree with you how many sessions to try.")

    call = [
        "a treated spot becomes red, hot, swollen or starts to weep;",
        "numbness, weakness or pain gets clearly worse;",
        "anything else worries you.",
    ]
    urgent = (
        ("Get urgent help (emergency services) for chest pain or sudden breathlessness after a session.",)
        if used in NEEDLES
        else ()
    )
    changed = tuple(rx.flags.for_patient())
    sections: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    if changed:
        sections.append(("What we changed for you", (), changed))
    sections += [
        ("What a session is like", (), tuple(session)),
        ("If you feel faint", (FAINTING,), ()),
        ("Afterwards", (AFTERWARDS.get(used, AFTERWARDS["manual"]),), ()),
    ]
    from .prescribe import applies_class

    studied = any(
        r.condition == rx.condition and r.applied and applies_class(r, used) for r in catalog.references.values()
    )
    advice = tuple(info.get("patient") or ())
    if advice:
        sections.append((f"With {report.condition_name()}", (), advice))
    sections += [
        ("What to expect", (EXPECTATIONS if studied else NO_STUDIES,), ()),
        ("Call your practitioner if", (), tuple(call)),
    ]
    if urgent:
        sections.append(("", urgent, ()))
    sections.append(
        (
            "Please tell your practitioner",
            (
                "about any change in your medicines (especially blood thinners), a pacemaker or other implant, "
                "pregnancy, swelling of an arm or leg, and any sore, cut or ulcer on your feet or hands.",
            ),
            (),
        )
    )
    return Handout(
        title=f"Your {TITLES.get(used, 'treatment')} points: {report.condition_name()}",
        intro=(
            f"Prepared on {rx.created}. Your practitioner chose these points for you; this page helps you "
            "remember them and know what to expect.",
        ),
        columns=("Point", "Name", "Where it is", "Sides"),
        rows=tuple(rows),
        after_table=(MEASURE_NOTE,),
        sections=tuple(sections),
    )
