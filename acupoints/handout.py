"""What a patient is told about their prescription: clinical content, as data.

The Markdown writer lays this out; it adds no words of its own. The handout states no figure
that no study gave (no invented session length) and shows no study ids: a patient reads the
studies' figures as ranges, and the practitioner's copy (every other format) names the studies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import NOTICE

if TYPE_CHECKING:
    from .prescribe import PrescriptionReport

CUN_NOTE = "A cun is the patient's own measure: about the width of the thumb at its knuckle."


@dataclass(frozen=True)
class Handout:
    title: str
    intro: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    after_table: tuple[str, ...]
    # (heading, paragraphs, bullet items)
    sections: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    notice: str = NOTICE


def _span(v: dict[str, Any] | None, unit: str) -> str | None:
    """'3 sessions a week' or '2 to 3 sessions a week', from the studies' figures, without their ids."""
    if not v:
        return None
    lo, hi = v["min"], v["max"]
    return f"{lo:g} {unit}" if lo == hi else f"{lo:g} to {hi:g} {unit}"


def handout(report: PrescriptionReport) -> Handout:
    rx, catalog = report.rx, report.catalog
    rows = []
    for c in rx.points:
        p = catalog.point(c.code)
        where = p.location.replace("B-cun", "cun")
        rows.append((p.code, f"{p.english} ({p.pinyin})", where, c.sides))
    minutes = _span(rx.plan.get("minutes_per_session"), "minutes")
    session = [
        "You lie or sit comfortably. Fine, sterile, single-use needles go in; most people feel little more "
        "than a prick, then a dull ache, tingling or heaviness around the needle. Tell your practitioner "
        "if anything feels sharp or hot.",
        f"In the studies of this condition the needles stayed in for {minutes}."
        if minutes
        else "Your practitioner will tell you how long the needles stay in.",
    ]
    if rx.pairs:
        session.append(
            "Some needles are joined to a small battery device that sends a gentle pulsing current; "
            "it should feel like tapping or buzzing, never painful."
        )
    course = [
        x
        for x in (
            _span(rx.plan.get("sessions_per_week"), "sessions a week"),
            _span(rx.plan.get("weeks"), "weeks"),
            _span(rx.plan.get("sessions_total"), "sessions in all"),
        )
        if x
    ]
    if course:
        session.append("In the studies of this condition the course was: " + "; ".join(course) + ".")
    sections = (
        ("What a session is like", (), tuple(session)),
        (
            "Afterwards",
            (
                "Common and mild: a small bruise or a drop of blood where a needle was, brief soreness, feeling "
                "tired or light-headed for a while. These pass on their own.",
            ),
            (),
        ),
        (
            "Call your practitioner if",
            (),
            (
                "a needle site becomes red, hot, swollen or starts to weep;",
                "numbness, weakness or pain gets clearly worse;",
                "you have a fever, especially during chemotherapy.",
            ),
        ),
        ("", ("Get urgent help (emergency services) for chest pain or sudden breathlessness after a session.",), ()),
        (
            "Please tell your practitioner",
            (
                "about any change in your medicines (especially blood thinners), a pacemaker or other implant, "
                "pregnancy, swelling of an arm or leg, and any sore, cut or ulcer on your feet or hands.",
            ),
            (),
        ),
    )
    return Handout(
        title=f"Your acupuncture points: {report.condition_name()}",
        intro=(
            f"Prepared on {rx.created}. Your practitioner chose these points for you; this page helps you "
            "remember them and know what to expect.",
        ),
        columns=("Point", "Name", "Where it is", "Sides"),
        rows=tuple(rows),
        after_table=(CUN_NOTE,),
        sections=sections,
    )
