"""Rich views for people: one per kind of result. Each shows every message the result holds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from acupoints import model as m
from acupoints.results import ChannelView, PointList, PointPages, Result, Vocabularies

from .cells import human


def table(result: Result) -> Any:
    for cls in type(result).__mro__:
        view = VIEWS.get(cls.__name__)
        if view is not None:
            return view(result)
    return _records(result)


def _records(result: Result) -> Any:
    """Any result without a view of its own: its messages, then its records as a table."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from acupoints.results import MessageKind

    head = [Text(m.text, style="bold cyan") for m in result.messages() if m.kind is MessageKind.HEADING]
    t = Table(box=box.SIMPLE_HEAD, header_style="bold")
    columns = getattr(result, "table_columns", result.columns)  # a table may show fewer than a csv holds
    for c in columns:
        t.add_column(c, no_wrap=c == "code", style="bold cyan" if c == "code" else None)
    for r in result.rows():
        t.add_row(*(human(c, r.get(c)) for c in columns))
    rest = [
        Text(f"{m.kind.value}: {m.text}", style="dim" if m.kind is MessageKind.NOTICE else "")
        for m in result.messages()
        if m.kind is not MessageKind.HEADING
    ]
    return Group(*head, t, *rest)


def _points_table(rows: list[dict[str, Any]], cols: Sequence[str], *, title: str = "") -> Any:
    from rich import box
    from rich.table import Table

    t = Table(title=title or None, box=box.SIMPLE_HEAD, header_style="bold", title_justify="left")
    for c in cols:
        t.add_column(c, no_wrap=c in ("code", "hanzi", "pinyin"), style="bold cyan" if c == "code" else None)
    for r in rows:
        t.add_row(*(human(c, r.get(c)) for c in cols))
    return t


def _point_list(result: Result) -> Any:
    assert isinstance(result, PointList)
    from rich.console import Group
    from rich.text import Text

    t = _points_table(result.rows(), result.columns, title=result.title)
    if not result.notes:
        return t
    return Group(t, *(Text(n.text, style="dim") for n in result.notes))


def _vocabularies(result: Result) -> Any:
    assert isinstance(result, Vocabularies)
    from rich import box
    from rich.console import Group
    from rich.table import Table

    parts = []
    for kind, rows in result.tables:
        t = Table(title=kind, box=box.SIMPLE_HEAD, title_justify="left")
        t.add_column("value", style="bold cyan")
        t.add_column("points", justify="right")
        t.add_column("includes" if kind == "region" else "about")
        for v, n, about in rows:
            indent = "  " if kind == "region" and v not in m.ROOT_REGIONS else ""
            indent = "    " if kind == "region" and v in m.REGION_TREE["back"] else indent
            t.add_row(indent + v, str(n), about)
        parts.append(t)
    return parts[0] if len(parts) == 1 else Group(*parts)


def _channel(result: Result) -> Any:
    assert isinstance(result, ChannelView)
    from rich.console import Group
    from rich.text import Text

    ch = result.channel
    head = Text.assemble((f"{ch['code']}  ", "bold cyan"), (ch.get("traditional") or ch["name"], "bold"))
    return Group(head, Text(result.facts()), _points_table(result.rows(), result.columns))


class _Sections:
    """Headings in a left column, text wrapped beside them with a hanging indent.

    A two-column rich Table would do the same, but importing rich.table costs ~5 ms (it pulls in
    fractions and decimal), a third of the `show` table's margin under its start-up budget.
    """

    GAP = 13

    def __init__(self, rows: list[tuple[str, Any]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.segment import Segment
        from rich.text import Text

        width = max(options.max_width - self.GAP, 20)
        for head, text in self.rows:
            for i, line in enumerate(text.wrap(console, width)):
                left = Text(head.ljust(self.GAP) if i == 0 else " " * self.GAP, style="bold" if i == 0 else "")
                yield from (left + line).render(console)
                yield Segment.line()


def _pages(result: Result) -> Any:
    assert isinstance(result, PointPages)
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    if result.fields:  # show --fields: the chosen fields as a table, as list shows them
        return Group(_points_table(result.rows(), result.columns), Text(m.NOTICE, style="dim"))

    panels: list[Any] = []
    for p in result.points:
        rows = []
        for head, body in result.sections(p):
            style = "yellow" if head == "Cautions" else ""
            text = Text()
            for i, b in enumerate(body):
                if i:
                    text.append("\n")
                if b.startswith("("):
                    text.append(b, style="dim")
                else:
                    text.append(("• " + b) if len(body) > 1 else b, style=style)
            rows.append((head, text))
        title = Text.assemble((p.code, "bold cyan"), "  ", (p.pinyin, "bold"), "  ", p.hanzi, "  ", p.english)
        panels.append(Panel(_Sections(rows), title=title, title_align="left"))
    panels.append(Text(m.NOTICE, style="dim"))
    return Group(*panels)


VERDICT_STYLE = {
    "positive": "green",
    "negative": "red",
    "mixed": "yellow",
    "inconclusive": "yellow",
    "no-recommendation": "magenta",
}


def _evidence(result: Result) -> Any:
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from acupoints.evidence import EvidenceView

    assert isinstance(result, EvidenceView)
    parts: list[Any] = []
    for s in result.sections:
        body = Text()
        for i, line in enumerate(s.summary):
            body.append(("\n" if i else "") + line, style="bold" if i == 0 else "")
        parts.append(Panel(body, title=Text(s.title, style="bold cyan"), title_align="left"))
        t = Table(box=box.SIMPLE_HEAD, show_lines=True, expand=True)
        # the finding is what a reader came for: it gets most of the width
        widths = {"study": 2, "design": 3, "n": 2, "points": 3, "finding": 9, "id": 3}
        for col in ("year", "study", "design", "n", "verdict", "points", "finding", "id"):
            t.add_column(col, overflow="fold", no_wrap=col in ("year", "verdict"), ratio=widths.get(col))
        for r in s.studies:
            pts = ", ".join(r.codes) or "-"
            if r.uncertain_codes:
                pts += f" (uncertain: {' or '.join(r.uncertain_codes)})"
            if r.points_source == "secondary" and r.codes:
                pts += " [secondary summary]"
            t.add_row(
                str(r.year),
                r.short,
                r.study_type.split(" (")[0],
                r.n or "-",
                Text(r.verdict, style=VERDICT_STYLE.get(r.verdict, "")),
                pts,
                r.finding,
                r.identifier(),
            )
        parts.append(t)
        for note in s.notes:
            parts.append(Text(note, style="dim"))
    parts.append(Text(m.NOTICE, style="dim"))
    return Group(*parts)


def _check(result: Result) -> Any:
    from rich.console import Group
    from rich.text import Text

    from acupoints.results import finding_line
    from acupoints.safety import CheckReport

    assert isinstance(result, CheckReport)
    notice = Text(m.NOTICE, style="dim")
    checked = ", ".join(result.checked) or "nothing"
    parts: list[Any] = [Text(n, style="bold yellow") for n in result.notes]
    if not result.findings:
        return Group(*parts, Text(f"No problems found in {checked}.", style="green"), notice)
    excluded = result.excluded
    cautions = [f for f in result.findings if f not in excluded]
    if excluded:
        n = len(excluded)
        parts.append(Text(f"{n} exclusion{'s' if n > 1 else ''} for {checked}:", style="bold red"))
        parts += [Text("  " + finding_line(f, result.catalog)) for f in excluded]
    else:
        parts.append(Text(f"Nothing excluded in {checked}.", style="green"))
    if cautions:
        parts.append(Text("Cautions to keep in mind:", style="bold yellow"))
        parts += [Text("  " + finding_line(f, result.catalog)) for f in cautions]
    return Group(*parts, notice)


def _prescription(result: Result) -> Any:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from acupoints.prescribe import PrescriptionReport
    from acupoints.results import finding_line

    assert isinstance(result, PrescriptionReport)
    rx, catalog = result.rx, result.catalog
    flags = result.flag_names()
    used = (
        rx.modality_used
        if rx.modality_used == (rx.modality or "manual")
        else f"{rx.modality_used} (asked: {rx.modality})"
    )
    head = Text.assemble(
        ("Prescription for " + rx.condition, "bold cyan"),
        f"  ({result.condition_name()})",
        f"\nmodality: {used}; patient flags: {', '.join(flags) or 'none'}",
    )
    parts: list[Any] = [head]
    if rx.evidence:
        parts.append(Text(f"The evidence for {rx.condition}: {rx.evidence}"))
    t = Table(box=box.SIMPLE_HEAD, title=rx.heading, title_justify="left")
    for col in ("#", "point", "name", "sides", "why", "cautions"):
        t.add_column(col, overflow="fold", no_wrap=col in ("#", "point"))
    for rank, c in enumerate(rx.points, 1):
        p = catalog.point(c.code)
        t.add_row(
            str(rank),
            c.code,
            f"{p.pinyin} {p.hanzi}\n{p.english}",
            c.sides,
            "\n".join(c.reasons),
            Text("\n".join(finding_line(f, catalog, with_code=False) for f in c.cautions), style="yellow"),
        )
    parts.append(t)
    parts.append(Text(rx.about, style="dim"))
    parts += [Text(line) for line in result.pair_lines()]
    for note in rx.notes:
        parts.append(Text(note, style="bold yellow"))
    if rx.excluded:
        parts.append(Text("Left out:", style="bold"))
        parts += [Text("  " + finding_line(f, catalog)) for f in rx.excluded]
    parts.append(Text("Course the studies used:", style="bold"))
    parts += [Text("  " + line) for line in result.course()]
    if rx.warnings:
        parts.append(Text("Warnings:", style="bold yellow"))
        parts += [Text("  " + finding_line(f, catalog), style="yellow") for f in rx.warnings]
    parts.append(Text(m.NOTICE, style="dim"))
    return Group(*parts)


VIEWS: dict[str, Callable[[Result], Any]] = {
    "PointList": _point_list,
    "PointPages": _pages,
    "ChannelView": _channel,
    "Vocabularies": _vocabularies,
    "EvidenceView": _evidence,
    "CheckReport": _check,
    "PrescriptionReport": _prescription,
}
