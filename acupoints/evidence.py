"""What the studies say: a condition's summary and its studies, or the studies that used a point.

The summary comes from conditions.yaml, the studies from references.yaml; negative and
inconclusive results stand beside the positive ones, and that a study chose a point is said
not to show that the point works.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from .results import NOTICE_MESSAGE, STUDY_FIELDS, Message, MessageKind, Result, study_record

if TYPE_CHECKING:
    from .catalog import Catalog
    from .model import Reference

SECONDARY_NOTE = "Point lists marked [secondary summary] come from a third-party summary, not the paper."
CHOSEN_NOTE = "That a study chose a point does not show that the point works."


@dataclass(frozen=True)
class Section:
    title: str
    condition: str | None
    summary: tuple[str, ...]
    studies: tuple[Reference, ...]
    notes: tuple[str, ...] = ()
    point: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title}
        if self.condition is not None:
            out["condition"] = self.condition
        if self.point is not None:
            out["point"] = self.point
        out["summary"] = list(self.summary)
        out["notes"] = list(self.notes)
        out["studies"] = [study_record(r) for r in self.studies]
        return out


@dataclass(frozen=True)
class EvidenceView(Result):
    sections: tuple[Section, ...] = ()
    columns = STUDY_FIELDS
    # a list of sections, each with its summary and notes: only the notice goes to stderr
    held_by_data: ClassVar[frozenset[MessageKind]] = frozenset(MessageKind) - {MessageKind.NOTICE}

    def data(self) -> list[dict[str, Any]]:
        return [s.to_dict() for s in self.sections]

    def rows(self) -> list[dict[str, Any]]:
        return [study_record(r) for s in self.sections for r in s.studies]

    def messages(self) -> list[Message]:
        out: list[Message] = []
        for s in self.sections:
            out.append(Message(MessageKind.HEADING, s.title))
            out += [Message(MessageKind.SUMMARY, line) for line in s.summary]
            out += [Message(MessageKind.NOTE, line) for line in s.notes]
        out.append(NOTICE_MESSAGE)
        return out


def for_conditions(catalog: Catalog, conditions: list[str]) -> EvidenceView:
    """Each condition's summary (direction, details, where it is felt), then its studies, newest first."""
    sections = []
    for cond in conditions:
        info = catalog.conditions[cond]
        refs = sorted((r for r in catalog.references.values() if r.condition == cond), key=lambda r: -r.year)
        summary = [info["evidence"]["direction"]]
        summary += [
            f"- {d['text']} ({', '.join(catalog.references[i].short for i in d['cites'])})"
            for d in info["evidence"]["details"]
        ]
        summary.append(f"Where it is felt: {' '.join(info['felt'].split())}")
        notes = [SECONDARY_NOTE] if any(r.points_source == "secondary" for r in refs) else []
        sections.append(Section(f"{cond}: {info['name']}", cond, tuple(summary), tuple(refs), tuple(notes)))
    return EvidenceView(tuple(sections))


def for_point(catalog: Catalog, text: str, conditions: list[str]) -> EvidenceView:
    """The studies of each condition that used a point, or named it uncertainly."""
    p = catalog.lookup(text)
    sections = []
    for cond in conditions:
        used = [r for r in catalog.references.values() if r.condition == cond and p.code in r.codes]
        maybe = [r for r in catalog.references.values() if r.condition == cond and p.code in r.uncertain_codes]
        if not used and not maybe:
            continue
        notes = [
            f"{r.short} names '{' or '.join(r.uncertain_codes)}': whether it used {p.code} is uncertain." for r in maybe
        ]
        if any(r.points_source == "secondary" for r in used):
            notes.append(SECONDARY_NOTE)
        notes.append(CHOSEN_NOTE)
        summary = (f"{len(used)} {cond} stud{'y' if len(used) == 1 else 'ies'} used {p.code}.",)
        sections.append(
            Section(f"{p.code} {p.pinyin} in {cond} studies", cond, summary, tuple(used + maybe), tuple(notes), p.code)
        )
    if not sections:
        sections.append(
            Section(f"{p.code} {p.pinyin}", None, (f"No study in the references used {p.code}.",), (), (), p.code)
        )
    return EvidenceView(tuple(sections))
