"""What a command has to say, as one object: its records, and everything beside them.

Every command's domain call returns a Result. A writer (acupoints.output) turns it into a
format; it decides layout only. The rule that keeps formats honest lives here, in data:

- `data()` is the whole result for json and yaml;
- `rows()` with `columns` are the records for plain and csv;
- `messages()` is everything that is not a record (warnings, exclusions, notes, the course,
  the notice). A writer whose document does not hold a message sends it to stderr, one line
  each, so nothing one format shows is lost in another.

Nothing here prints, imports rich, or knows a CLI option.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from .errors import NOTICE

if TYPE_CHECKING:
    from .catalog import Catalog
    from .model import FrozenDict, Point, Reference


class MessageKind(StrEnum):
    """The kinds of what is not a record; the stderr line of a message starts with its kind."""

    HEADING = "heading"
    SUMMARY = "summary"
    NOTE = "note"
    WARNING = "warning"
    LEFT_OUT = "left out"
    PAIR = "pair"
    COURSE = "course"
    NOTICE = "notice"


class Message(NamedTuple):
    kind: MessageKind
    text: str

    def line(self) -> str:
        return f"{self.kind.value}: {' '.join(self.text.split())}"


NOTICE_MESSAGE = Message(MessageKind.NOTICE, NOTICE)

# The point fields a table or plain listing shows when --fields does not choose.
DEFAULT_FIELDS: tuple[str, ...] = ("code", "pinyin", "hanzi", "english", "region", "categories")
CHANNEL_FIELDS: tuple[str, ...] = ("number", "code", "pinyin", "hanzi", "english", "region", "categories")
# A study's columns for plain and csv: what the table shows first, then the rest of its record, so
# that a csv holds every key the json does.
STUDY_FIELDS: tuple[str, ...] = (
    *("year", "id", "design", "n", "verdict", "points", "finding", "identifier"),
    *("condition", "authors", "title", "journal", "uncertain_points", "points_source", "modality", "doi", "pmid"),
)


class Result:
    """Base of every result. Subclasses fill in records, data and messages.

    A result is made once and never changes: its __init__ sets its fields (tuples, FrozenDicts and
    other immutable values, so it is immutable all the way down), and once the outermost __init__
    has returned, setting or deleting an attribute raises AttributeError. Two results are equal when
    they are of one class and hold equal fields, and hash alike then (a catalog counts by identity).
    Results that are frozen dataclasses get the same from the dataclass.
    """

    # The formats a command offers for this result, and the one it takes on a terminal.
    formats: ClassVar[tuple[str, ...]] = ("table", "plain", "json", "csv", "yaml")  # = RecordFormat
    # The kinds of message that data() itself holds (an object has keys for them). Where the data
    # is a list, a published shape that cannot grow keys, the others go to stderr instead.
    held_by_data: ClassVar[frozenset[MessageKind]] = frozenset(MessageKind)
    columns: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Seal each instance when the __init__ of its own class returns (not when a base's
        __init__, called from it, returns: the subclass still has fields to set)."""
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return

        @functools.wraps(init)
        def sealing_init(self: Result, *args: Any, **kw: Any) -> None:
            init(self, *args, **kw)
            if type(self).__init__ is sealing_init:
                object.__setattr__(self, "_sealed", True)

        setattr(cls, "__init__", sealing_init)  # noqa: B010  (mypy refuses assigning a method)

    def __setattr__(self, name: str, value: object) -> None:
        if self.__dict__.get("_sealed"):
            raise AttributeError(f"{type(self).__name__} cannot be changed")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} cannot be changed")

    def _fields(self) -> tuple[tuple[str, object], ...]:
        return tuple((k, v) for k, v in vars(self).items() if k != "_sealed")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self), self._fields()))

    def data(self) -> Any:
        raise NotImplementedError

    def rows(self) -> list[dict[str, Any]]:
        return []

    def messages(self) -> list[Message]:
        return []


def point_records(points: Sequence[Point], fields: Sequence[str] | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in points:
        d: dict[str, Any] = dict(p.to_dict())
        out.append({f: d[f] for f in fields} if fields else d)
    return out


class PointList(Result):
    """Points in a listing (list, search): records only."""

    held_by_data: ClassVar[frozenset[MessageKind]] = frozenset()

    def __init__(
        self,
        points: Sequence[Point],
        fields: tuple[str, ...] | None = None,
        title: str = "",
        default_columns: tuple[str, ...] = DEFAULT_FIELDS,
        notes: tuple[Message, ...] = (),
    ) -> None:
        self.points, self.fields, self.title, self.notes = tuple(points), fields, title, tuple(notes)
        self.columns = fields or default_columns

    def data(self) -> list[dict[str, Any]]:
        return point_records(self.points, self.fields)

    def rows(self) -> list[dict[str, Any]]:
        return point_records(self.points, self.columns)

    def messages(self) -> list[Message]:
        return list(self.notes)


class PointPages(Result):
    """Everything about some points (show): a page each for people, full records for scripts.

    With `fields` (show --fields) the chosen fields only, as records in every format."""

    held_by_data: ClassVar[frozenset[MessageKind]] = frozenset()

    def __init__(self, points: Sequence[Point], catalog: Catalog, fields: tuple[str, ...] | None = None) -> None:
        from .model import EXPORT_FIELDS

        self.points, self.catalog, self.fields = tuple(points), catalog, fields
        self.columns = fields or EXPORT_FIELDS

    def data(self) -> list[dict[str, Any]]:
        return point_records(self.points, self.fields)

    def rows(self) -> list[dict[str, Any]]:
        return self.data()

    def messages(self) -> list[Message]:
        return [NOTICE_MESSAGE]

    def sections(self, p: Point) -> list[tuple[str, list[str]]]:
        """The sections of one point's page, as (heading, lines)."""
        from .model import MERIDIANS

        catalog = self.catalog
        refs = catalog.references
        out: list[tuple[str, list[str]]] = []
        also = list(p.aliases + p.ambiguous_aliases)
        if p.hanzi_simplified:
            also.insert(0, f"{p.hanzi_simplified} (simplified)")
        if also:
            out.append(("Also", ["; ".join(also)]))
        out += [
            ("Channel", [f"{MERIDIANS.get(p.meridian, p.meridian)}, point {p.number}"]),
            ("Region", [f"{p.region}, {'both sides' if p.bilateral else 'midline'}"]),
            ("Location", [p.location]),
            ("Needling", [f"{p.needling.describe()} ({source_short(catalog, p.needling.source)})"]),
            ("Actions", list(p.actions)),
            ("Indications", list(p.indications)),
        ]
        if p.categories:
            cats = [c.describe() for c in p.categories]
            if p.element:
                cats.append(f"element: {p.element}")
            out.append(("Categories", ["; ".join(cats)]))
        out.append(("Modalities", [", ".join(p.modalities)]))
        if p.conditions:
            lines = []
            for cond, ids in p.conditions.items():
                cited = ", ".join(
                    f"{refs[i].short} ({refs[i].study_type.split(' (')[0]})" if i in refs else i for i in ids
                )
                lines.append(f"{cond}: used by {cited}")
            lines.append("(that a study chose a point is not proof that the point works)")
            out.append(("Used for", lines))
        if p.cautions:
            lines = []
            for c in p.cautions:
                srcs = "; ".join(source_short(catalog, s) for s in c.sources)
                extra = f", {c.structure}" if c.structure else ""
                extra += f", {c.context}" if c.context else ""
                cited = f" (sources: {srcs})" if srcs else ""  # none: the text says "conventional practice"
                lines.append(f"[{c.kind}: {c.basis}, {c.modality}{extra}] {c.text}{cited}")
            out.append(("Cautions", lines))
        return out


class ChannelView(Result):
    """A channel as it is learned: a summary, then its points in order."""

    def __init__(
        self, channel: Mapping[str, object], points: Sequence[Point], fields: tuple[str, ...] | None = None
    ) -> None:
        from .model import freeze

        self.channel: FrozenDict[str, Any] = freeze(channel)
        self.points, self.fields = tuple(points), fields
        self.columns = fields or CHANNEL_FIELDS

    def data(self) -> dict[str, Any]:
        from .model import thaw

        return {"channel": thaw(self.channel), "points": point_records(self.points, self.fields)}

    def rows(self) -> list[dict[str, Any]]:
        return point_records(self.points, self.columns)

    def heading(self) -> str:
        ch = self.channel
        return f"{ch['code']}  {ch.get('traditional') or ch['name']}"

    def facts(self) -> str:
        ch = self.channel
        facts = [f"{ch['points']} points"]
        if ch.get("starts"):
            starts, ends = ch["starts"], ch["ends"]
            facts.append(f"from {starts['code']} ({starts['region']}) to {ends['code']} ({ends['region']})")
        if ch.get("organ"):
            facts.append(f"organ: {ch['organ']}; phase: {ch['element']}; {ch['polarity']}")
        if ch.get("paired"):
            facts.append(f"paired with {ch['paired']}")
        return "; ".join(facts)

    def messages(self) -> list[Message]:
        return [Message(MessageKind.HEADING, self.heading()), Message(MessageKind.SUMMARY, self.facts())]


class Vocabularies(Result):
    """The values filters take, with how many points each has: one vocabulary, or all of them."""

    def __init__(self, tables: Sequence[tuple[str, Sequence[tuple[str, int, str]]]], single: bool) -> None:
        self.tables = tuple((kind, tuple(rows)) for kind, rows in tables)
        self.single = single
        self.columns = ("value", "points", "about") if single else ("kind", "value", "points", "about")

    def data(self) -> Any:
        by_kind = {k: [{"value": v, "points": n, "about": a} for v, n, a in rows] for k, rows in self.tables}
        return next(iter(by_kind.values())) if self.single else by_kind

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for kind, rows in self.tables:
            for v, n, a in rows:
                row = {"value": v, "points": n, "about": a}
                out.append(row if self.single else {"kind": kind, **row})
        return out


def source_short(catalog: Catalog, sid: str) -> str:
    src = catalog.sources.get(sid)
    return str(src.get("short") or sid) if src else sid


def sources_text(catalog: Catalog, ids: Sequence[str]) -> str:
    """Sources and studies by their short names: 'Deadman; Carr 2015'."""
    names = []
    for i in ids:
        if i in catalog.sources:
            names.append(source_short(catalog, i))
        elif i in catalog.references:
            names.append(catalog.references[i].short)
        else:
            names.append(i)
    return "; ".join(names)


def study_record(ref: Reference) -> dict[str, Any]:
    return {
        "id": ref.id,
        "condition": ref.condition,
        "year": ref.year,
        "authors": ref.authors,
        "title": ref.title,
        "journal": ref.journal,
        "design": ref.study_type,
        "n": ref.n,
        "verdict": ref.verdict,
        "points": list(ref.codes),
        "uncertain_points": list(ref.uncertain_codes),
        "points_source": ref.points_source,
        "modality": ref.modality,
        "finding": ref.finding,
        "doi": ref.doi,
        "pmid": ref.pmid,
        "identifier": ref.identifier(),
    }


def finding_line(f: Any, catalog: Catalog, *, with_code: bool = True) -> str:
    """'CODE: kind: message (sources: ...)', naming only the sources the message does not already cite."""
    where = f"{f.code}: " if f.code and with_code else ""
    missing = [i for i in f.sources if sources_text(catalog, [i]).split()[0] not in f.message]
    src = f" (sources: {sources_text(catalog, missing)})" if missing else ""
    return f"{where}{f.kind}: {f.message}{src}"


class SearchResults(PointList):
    """Search hits: the point records, each with its score and the fields that matched."""

    def __init__(
        self,
        points: Sequence[Point],
        hits: Sequence[Any],
        fields: tuple[str, ...] | None,
        query: str,
        suggestions: Sequence[str] = (),
    ) -> None:
        self.hits = tuple(hits)
        notes: tuple[Message, ...] = ()
        if not self.hits:
            tail = f"; the catalog has words like: {', '.join(suggestions)}" if suggestions else ""
            notes = (Message(MessageKind.NOTE, f"no point matches {query!r}{tail}"),)
        point_fields = tuple(f for f in fields if f not in SEARCH_FIELDS) if fields else None
        super().__init__(points, point_fields, title=f"best matches for {query!r}", notes=notes)
        self.asked = fields
        if fields:
            self.columns = fields

    def _with_scores(self, records: list[dict[str, Any]], fields: Sequence[str] | None) -> list[dict[str, Any]]:
        out = []
        for rec, hit in zip(records, self.hits, strict=True):
            extra = {"score": hit.score, "matched": list(hit.matched)}
            if fields:
                rec = {f: (extra[f] if f in extra else rec[f]) for f in fields}
            else:
                rec = {**rec, **extra}
            out.append(rec)
        return out

    def data(self) -> list[dict[str, Any]]:
        return self._with_scores(point_records(self.points, None), self.asked)

    def rows(self) -> list[dict[str, Any]]:
        return self._with_scores(point_records(self.points, None), self.columns)


SEARCH_FIELDS = ("score", "matched")
