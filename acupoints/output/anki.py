"""Flashcards: a tab-separated file that Anki imports as it is."""

from __future__ import annotations

from collections.abc import Sequence

from acupoints import model as m


def anki_deck(points: Sequence[m.Point]) -> str:
    """A tab-separated file Anki imports as it is: one Basic note a point (Front, Back, Tags).

    The header lines are Anki's own file headers (Anki 2.1.55 and later); fields are HTML, so
    text is escaped and lines are joined with <br>. Chinese characters stay as they are.
    """
    from html import escape

    lines = [
        "#separator:tab",
        "#html:true",
        "#notetype:Basic",
        "#deck:Acupoints",
        "#columns:Front\tBack\tTags",
        "#tags column:3",
    ]
    for p in points:
        front = f"{escape(p.code)}<br>{escape(p.hanzi)}"
        back = [
            f"<b>{escape(p.pinyin)}</b> {escape(p.hanzi)} &middot; {escape(p.english)}",
            f"{escape(m.MERIDIANS.get(p.meridian, p.meridian))}, point {p.number}; {escape(p.region)}",
            escape(p.location),
        ]
        if p.categories:
            back.append("Categories: " + escape(", ".join(c.describe() for c in p.categories)))
        back.append("Actions: " + escape("; ".join(p.actions)))
        tags = ["acupoints", f"meridian::{p.meridian}", f"region::{p.region}"]
        tags += [f"category::{c.kind}" for c in p.categories] + [f"condition::{c}" for c in p.conditions]
        fields = [front, "<br>".join(back), " ".join(tags)]
        lines.append("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields))
    return "\n".join(lines) + "\n"
