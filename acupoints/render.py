"""Writers, one per format, and the one place that decides terminal or pipe.

The only module that imports rich, and only inside the functions that draw a table or panel:
JSON, CSV, YAML and plain output never pay for it. Renderers format what they are given; they
never filter or reorder.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import model as m

FORMATS = ("table", "plain", "json", "csv", "yaml")
SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".yaml": "yaml", ".yml": "yaml", ".tsv": "plain", ".txt": "plain"}
DEFAULT_FIELDS = ("code", "pinyin", "hanzi", "english", "region", "categories")


def is_terminal(stream: Any = None) -> bool:
    """Whether output goes to a person; tests patch this one function."""
    stream = stream if stream is not None else sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def pick_format(fmt: str | None, output: str | None) -> str:
    """The format asked for; else by the output file's suffix; else table on a terminal, plain in a pipe."""
    if fmt:
        return fmt
    if output and output != "-":
        return SUFFIX_FORMATS.get(Path(output).suffix.lower(), "plain")
    return "table" if is_terminal() else "plain"


def check_fields(fields: str | None) -> tuple[str, ...] | None:
    if not fields:
        return None
    chosen = tuple(f.strip() for f in fields.split(",") if f.strip())
    for f in chosen:
        if f not in m.EXPORT_FIELDS:
            import difflib

            close = difflib.get_close_matches(f, m.EXPORT_FIELDS, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise m.UsageError(f"unknown field {f!r}{hint} (fields: {', '.join(m.EXPORT_FIELDS)})")
    return chosen


# -- flattening for one-line formats ------------------------------------------------------
def flat(field: str, value: Any) -> str:
    """One field of an export record as one line of text (for plain, csv and table cells)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if field == "needling":
        n = m.Needling(value["angle"], tuple(value["depth_cun"]), value["source"], value.get("note"))  # type: ignore[arg-type]
        return f"{n.describe()} [{n.source}]"
    if field == "categories":
        return "; ".join(m.Category(c["kind"], c.get("of"), c.get("partner")).describe() for c in value)
    if field == "conditions":
        return "; ".join(f"{k}: {', '.join(v)}" for k, v in value.items())
    if field == "cautions":
        return "; ".join(f"{c['kind']}: {c['text']} [{', '.join(c['sources'])}]" for c in value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return " ".join(str(value).split())


def records(points: Iterable[m.Point], fields: Sequence[str] | None) -> list[dict[str, Any]]:
    out = []
    for p in points:
        d = p.to_dict()
        out.append({f: d[f] for f in fields} if fields else d)
    return out


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_yaml(data: Any) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def to_csv(rows: list[dict[str, Any]], fields: Sequence[str]) -> str:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(fields)
    for r in rows:
        writer.writerow([flat(f, r.get(f)) for f in fields])
    return buf.getvalue()


def to_plain(rows: list[dict[str, Any]], fields: Sequence[str]) -> str:
    lines = ["\t".join(flat(f, r.get(f)).replace("\t", " ") for f in fields) for r in rows]
    return "".join(line + "\n" for line in lines)


def point_list(points: Sequence[m.Point], fmt: str, fields: Sequence[str] | None, *, title: str = "") -> Any:
    """A list of points in one format: text, or a Rich renderable for the table."""
    if fmt in ("json", "yaml"):
        data = records(points, fields)
        return to_json(data) if fmt == "json" else to_yaml(data)
    cols = tuple(fields) if fields else DEFAULT_FIELDS
    rows = records(points, cols)
    if fmt == "csv":
        return to_csv(rows, cols)
    if fmt == "plain":
        return to_plain(rows, cols)
    return _table(rows, cols, title=title)


def _table(rows: list[dict[str, Any]], cols: Sequence[str], *, title: str = "") -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=title or None, box=box.SIMPLE_HEAD, header_style="bold", title_justify="left")
    for c in cols:
        table.add_column(c, no_wrap=c in ("code", "hanzi", "pinyin"), style="bold cyan" if c == "code" else None)
    for r in rows:
        table.add_row(*(flat(c, r.get(c)) for c in cols))
    return table


def vocab_table(kind: str, rows: list[tuple[str, int, str]], fmt: str) -> Any:
    data = [{"value": v, "points": n, "about": about} for v, n, about in rows]
    fields = ("value", "points", "about")
    if fmt == "json":
        return to_json(data)
    if fmt == "yaml":
        return to_yaml(data)
    if fmt == "csv":
        return to_csv(data, fields)
    if fmt == "plain":
        return to_plain(data, fields)
    from rich import box
    from rich.table import Table

    table = Table(title=kind, box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("value", style="bold cyan")
    table.add_column("points", justify="right")
    table.add_column("includes" if kind == "region" else "about")
    for v, n, about in rows:
        indent = "  " if kind == "region" and v not in m.ROOT_REGIONS else ""
        indent = "    " if kind == "region" and v in m.REGION_TREE["back"] else indent
        table.add_row(indent + v, str(n), about)
    return table


CHANNEL_FIELDS = ("number", "code", "pinyin", "hanzi", "english", "region", "categories")


def channel_view(view: dict[str, Any], fmt: str, fields: Sequence[str] | None) -> Any:
    """A channel: its summary and its points (json and yaml keep both; the rest list the points)."""
    ch, points = view["channel"], view["points"]
    if fmt in ("json", "yaml"):
        data = {"channel": ch, "points": records(points, fields)}
        return to_json(data) if fmt == "json" else to_yaml(data)
    cols = tuple(fields) if fields else CHANNEL_FIELDS
    if fmt in ("csv", "plain"):
        return point_list(points, fmt, cols)
    from rich.console import Group
    from rich.text import Text

    lines = [Text.assemble((f"{ch['code']}  ", "bold cyan"), (ch.get("traditional") or ch["name"], "bold"))]
    facts = [f"{ch['points']} points"]
    if ch.get("starts"):
        facts.append(
            f"from {ch['starts']['code']} ({ch['starts']['region']}) to {ch['ends']['code']} ({ch['ends']['region']})"
        )
    if ch.get("organ"):
        facts.append(f"organ: {ch['organ']}; phase: {ch['element']}; {ch['polarity']}")
    if ch.get("paired"):
        facts.append(f"paired with {ch['paired']}")
    lines.append(Text("; ".join(facts)))
    return Group(*lines, point_list(points, "table", cols))


# -- show ---------------------------------------------------------------------------------
def _source_short(catalog: Any, sid: str) -> str:
    src = catalog.sources.get(sid, {})
    return str(src.get("short") or sid)


def point_sections(p: m.Point, catalog: Any) -> list[tuple[str, list[str]]]:
    """The sections of one point's page, as (heading, lines): shared by panel and plain text."""
    refs = catalog.references
    out: list[tuple[str, list[str]]] = []
    also = list(p.aliases + p.ambiguous_aliases)
    if p.hanzi_simplified:
        also.insert(0, f"{p.hanzi_simplified} (simplified)")
    if also:
        out.append(("Also", ["; ".join(also)]))
    out += [
        ("Channel", [f"{m.MERIDIANS.get(p.meridian, p.meridian)}, point {p.number}"]),
        ("Region", [f"{p.region}, {'both sides' if p.bilateral else 'midline'}"]),
        ("Location", [p.location]),
        ("Needling", [f"{p.needling.describe()} ({_source_short(catalog, p.needling.source)})"]),
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
            cited = ", ".join(f"{refs[i].short} ({refs[i].study_type.split(' (')[0]})" if i in refs else i for i in ids)
            lines.append(f"{cond}: used by {cited}")
        lines.append("(that a study chose a point is not proof that the point works)")
        out.append(("Used for", lines))
    if p.cautions:
        lines = []
        for c in p.cautions:
            srcs = "; ".join(_source_short(catalog, s) for s in c.sources)
            extra = f", {c.structure}" if c.structure else ""
            extra += f", {c.context}" if c.context else ""
            lines.append(f"[{c.kind}: {c.basis}, {c.modality}{extra}] {c.text} (sources: {srcs})")
        out.append(("Cautions", lines))
    return out


def show_points(points: Sequence[m.Point], catalog: Any, fmt: str) -> Any:
    if fmt in ("json", "yaml", "csv"):
        return point_list(points, fmt, None if fmt != "csv" else m.EXPORT_FIELDS)
    if fmt == "plain":
        blocks = []
        for p in points:
            lines = [f"{p.code}\t{p.pinyin}\t{p.hanzi}\t{p.english}"]
            for head, body in point_sections(p, catalog):
                lines += [f"{head}: {body[0]}"] + [f"  {b}" for b in body[1:]]
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + f"\n\n{m.NOTICE}\n"
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    panels = []
    for p in points:
        rows = []
        for head, body in point_sections(p, catalog):
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


# -- writing ------------------------------------------------------------------------------
def console(file: Any = None, *, width: int | None = None) -> Any:
    from rich.console import Console

    # Rich itself honours NO_COLOR, FORCE_COLOR and COLUMNS.
    # markup off: point texts contain [brackets] that are words, not styles
    return Console(file=file, width=width, soft_wrap=False, highlight=False, markup=False, emoji=False)


def emit(result: Any, output: str | None = None, *, force: bool = False) -> None:
    """Send text, bytes or a Rich renderable to stdout, or atomically to a file (never over one
    without force)."""
    if output and output != "-":
        if isinstance(result, bytes | str):
            text = result
        else:
            buf = io.StringIO()
            console(buf, width=int(os.environ.get("COLUMNS", "100"))).print(result)
            text = buf.getvalue()
        write_file(Path(output), text, force=force)
        return
    try:
        if isinstance(result, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(result)
            sys.stdout.buffer.flush()
        elif isinstance(result, str):
            sys.stdout.write(result)
            sys.stdout.flush()
        else:
            console().print(result)
    except BrokenPipeError:
        # The reader (head, less) has gone: stop quietly, and keep Python's final flush quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def write_file(path: Path, text: str | bytes, *, force: bool = False) -> None:
    if path.exists() and not force:
        raise m.OutputError(f"{path} exists; use --force to replace it")
    if path.is_dir():
        raise m.OutputError(f"{path} is a folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise m.OutputError(f"cannot write {path}: folder {parent} does not exist")
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise m.OutputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# -- evidence -----------------------------------------------------------------------------
def study_record(ref: m.Reference) -> dict[str, Any]:
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


STUDY_FIELDS = ("year", "id", "design", "n", "verdict", "points", "finding", "identifier")


def evidence_view(sections: list[dict[str, Any]], fmt: str) -> Any:
    """sections: each {"title", "summary" (lines), "studies" [Reference], "notes" (lines)}."""
    if fmt in ("json", "yaml"):
        data = [
            {k: v for k, v in s.items() if k != "studies"} | {"studies": [study_record(r) for r in s["studies"]]}
            for s in sections
        ]
        return to_json(data) if fmt == "json" else to_yaml(data)
    rows = [study_record(r) for s in sections for r in s["studies"]]
    if fmt == "csv":
        return to_csv(rows, STUDY_FIELDS)
    if fmt == "plain":
        # the summary travels with the rows as comment lines: honest context survives a pipe
        out = []
        for s in sections:
            out += [f"# {s['title']}"] + [f"# {line}" for line in s.get("summary", []) + s.get("notes", [])]
            out.append(to_plain([study_record(r) for r in s["studies"]], STUDY_FIELDS).rstrip("\n"))
        return "\n".join(x for x in out if x) + "\n"
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    verdict_style = {
        "positive": "green",
        "negative": "red",
        "mixed": "yellow",
        "inconclusive": "yellow",
        "no-recommendation": "magenta",
    }
    for s in sections:
        body = Text()
        for i, line in enumerate(s.get("summary", [])):
            body.append(("\n" if i else "") + line, style="bold" if i == 0 else "")
        parts.append(Panel(body, title=Text(s["title"], style="bold cyan"), title_align="left"))
        table = Table(box=box.SIMPLE_HEAD, show_lines=True, expand=True)
        # the finding is what a reader came for: it gets most of the width
        widths = {"study": 2, "design": 3, "n": 2, "points": 3, "finding": 9, "id": 3}
        for col in ("year", "study", "design", "n", "verdict", "points", "finding", "id"):
            table.add_column(col, overflow="fold", no_wrap=col in ("year", "verdict"), ratio=widths.get(col))
        for r in s["studies"]:
            pts = ", ".join(r.codes) or "-"
            if r.uncertain_codes:
                pts += f" (uncertain: {' or '.join(r.uncertain_codes)})"
            if r.points_source == "secondary" and r.codes:
                pts += " [secondary summary]"
            table.add_row(
                str(r.year),
                r.short,
                r.study_type.split(" (")[0],
                r.n or "-",
                Text(r.verdict, style=verdict_style.get(r.verdict, "")),
                pts,
                r.finding,
                r.identifier(),
            )
        parts.append(table)
        for note in s.get("notes", []):
            parts.append(Text(note, style="dim"))
    parts.append(Text(m.NOTICE, style="dim"))
    return Group(*parts)


# -- prescriptions and checks -------------------------------------------------------------
def _sources_text(catalog: Any, ids: Sequence[str]) -> str:
    names = []
    for i in ids:
        if i in catalog.sources:
            names.append(_source_short(catalog, i))
        elif i in catalog.references:
            names.append(catalog.references[i].short)
        else:
            names.append(i)
    return "; ".join(names)


def finding_line(f: Any, catalog: Any) -> str:
    """kind: message (sources: ...), naming only the sources the message does not already cite."""
    where = f"{f.code}: " if f.code else ""
    missing = [i for i in f.sources if _sources_text(catalog, [i]).split()[0] not in f.message]
    src = f" (sources: {_sources_text(catalog, missing)})" if missing else ""
    return f"{where}{f.kind}: {f.message}{src}"


def prescription_view(rx: Any, catalog: Any, fmt: str) -> Any:
    if fmt in ("json", "yaml"):
        data = rx.to_dict()
        return to_json(data) if fmt == "json" else to_yaml(data)
    rows = [
        {"rank": i, "code": c.code, "english": catalog.point(c.code).english, "sides": c.sides, "reasons": c.reasons}
        for i, c in enumerate(rx.points, 1)
    ]
    if fmt == "csv":
        return to_csv(rows, ("rank", "code", "english", "sides", "reasons"))
    if fmt == "plain":
        return to_plain(rows, ("rank", "code", "english", "sides", "reasons"))
    if fmt == "markdown":
        return handout(rx, catalog)
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .prescribe import describe_plan

    flags = [
        k.replace("_", "-") + (f" {', '.join(v)}" if isinstance(v, list) else "")
        for k, v in rx.flags.to_dict().items()
        if v
    ]
    head = Text.assemble(
        ("Prescription for " + rx.condition, "bold cyan"),
        f"  ({m.CONDITIONS[rx.condition]})",
        f"\nmodality: {rx.modality or 'any'}; patient flags: {', '.join(flags) or 'none'}",
    )
    parts: list[Any] = [head]
    table = Table(box=box.SIMPLE_HEAD, title="Points, best supported first", title_justify="left")
    for col in ("#", "point", "name", "sides", "why"):
        table.add_column(col, overflow="fold", no_wrap=col in ("#", "point"))
    for r in rows:
        p = catalog.point(r["code"])
        table.add_row(
            str(r["rank"]), r["code"], f"{p.pinyin} {p.hanzi}\n{p.english}", r["sides"], "\n".join(r["reasons"])
        )
    parts.append(table)
    from .prescribe import SECONDARY_MARK

    parts.append(
        Text(
            "The ranking counts which studies chose a point, weighed by design and result; it does not show "
            f"that a point works. {SECONDARY_MARK}.",
            style="dim",
        )
    )
    if rx.modality == "electro" or rx.pairs:
        pairs = [f"{p.a} - {p.b} ({p.sides})" for p in rx.pairs] or ["none"]
        parts.append(Text("Electroacupuncture pairs (same limb, same side): " + "; ".join(pairs)))
    for note in rx.notes:
        parts.append(Text(note, style="bold yellow"))
    if rx.excluded:
        parts.append(Text("Left out:", style="bold"))
        parts += [Text("  " + finding_line(f, catalog)) for f in rx.excluded]
    parts.append(Text("Course the studies used:", style="bold"))
    parts += [Text("  " + line) for line in describe_plan(rx.plan)]
    if rx.warnings:
        parts.append(Text("Warnings:", style="bold yellow"))
        parts += [Text("  " + finding_line(f, catalog), style="yellow") for f in rx.warnings]
    parts.append(Text(m.NOTICE, style="dim"))
    return Group(*parts)


CUN_NOTE = "A cun is the patient's own measure: about the width of the thumb at its knuckle."


def handout(rx: Any, catalog: Any) -> str:
    """A printable Markdown page for the patient: plain words, no jargon beyond the point names."""
    from .prescribe import describe_plan

    name = m.CONDITIONS[rx.condition]
    minutes = rx.plan.get("minutes_per_session")
    length = f"{minutes['min']:g} to {minutes['max']:g} minutes" if minutes else "20 to 40 minutes"
    lines = [
        f"# Your acupuncture points: {name}",
        "",
        f"Prepared on {rx.created}. Your practitioner chose these points for you; this page helps you",
        "remember them and know what to expect.",
        "",
        "| Point | Name | Where it is | Sides |",
        "|---|---|---|---|",
    ]
    for c in rx.points:
        p = catalog.point(c.code)
        where = p.location.replace("B-cun", "cun").replace("|", "/")
        lines.append(f"| {p.code} | {p.english} ({p.pinyin}) | {where} | {c.sides} |")
    lines += [
        "",
        CUN_NOTE,
        "",
        "## What a session is like",
        "",
        "- You lie or sit comfortably. Fine, sterile, single-use needles go in; most people feel little more",
        "  than a prick, then a dull ache, tingling or heaviness around the needle. Tell your practitioner",
        "  if anything feels sharp or hot.",
        f"- The needles usually stay in for {length}.",
    ]
    if rx.pairs:
        lines.append(
            "- Some needles are joined to a small battery device that sends a gentle pulsing current; "
            "it should feel like tapping or buzzing, never painful."
        )
    plan = describe_plan(rx.plan)
    if plan:
        lines += ["- In the studies of this condition the course was: " + "; ".join(plan[:3]) + "."]
    lines += [
        "",
        "## Afterwards",
        "",
        "Common and mild: a small bruise or a drop of blood where a needle was, brief soreness, feeling",
        "tired or light-headed for a while. These pass on their own.",
        "",
        "## Call your practitioner if",
        "",
        "- a needle site becomes red, hot, swollen or starts to weep;",
        "- numbness, weakness or pain gets clearly worse;",
        "- you have a fever, especially during chemotherapy.",
        "",
        "Get urgent help (emergency services) for chest pain or sudden breathlessness after a session.",
        "",
        "## Please tell your practitioner",
        "",
        "about any change in your medicines (especially blood thinners), a pacemaker or other implant,",
        "pregnancy, swelling of an arm or leg, and any sore, cut or ulcer on your feet or hands.",
        "",
        f"*{m.NOTICE}*",
        "",
    ]
    return "\n".join(lines)


def check_view(findings: list[Any], checked: list[str], catalog: Any, fmt: str) -> Any:
    data = [f.to_dict() for f in findings]
    if fmt == "json":
        return to_json({"checked": checked, "findings": data, "ok": not findings})
    if fmt == "yaml":
        return to_yaml({"checked": checked, "findings": data, "ok": not findings})
    if fmt == "csv":
        return to_csv(data, ("point", "kind", "message", "sources"))
    if fmt == "plain":
        text = "".join(finding_line(f, catalog) + "\n" for f in findings)
        return text or f"no problems found in {', '.join(checked)}\n"
    from rich.console import Group
    from rich.text import Text

    if not findings:
        return Group(
            Text(f"No problems found in {', '.join(checked) or 'nothing'}.", style="green"), Text(m.NOTICE, style="dim")
        )
    head = Text(
        f"{len(findings)} finding{'s' if len(findings) > 1 else ''} for {', '.join(checked)}:", style="bold yellow"
    )
    return Group(head, *[Text("  " + finding_line(f, catalog)) for f in findings], Text(m.NOTICE, style="dim"))


# -- flashcards ---------------------------------------------------------------------------
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


# -- the map's terminal preview -----------------------------------------------------------
_KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def map_keys(chart: Any) -> dict[str, str]:
    """A letter for each chosen point, in the legend's order; '+' past the 62nd."""
    return {e.code: (_KEYS[i] if i < len(_KEYS) else "+") for i, e in enumerate(chart.entries)}


def _raster(panel: Any, scale: float) -> tuple[list[list[int]], int, int]:
    """Pixels of a panel: 0 empty, 1 body, 2 body edge. A pixel is 1/scale cun square."""
    from .body import inside

    x0, y0, x1, y1 = panel.box
    w = max(1, int((x1 - x0) * scale) + 1)
    h = max(2, int((y1 - y0) * scale) + 1)
    h += h % 2
    grid = [[0] * w for _ in range(h)]
    for o in panel.outlines:
        xs = [p[0] for p in o.points]
        ys = [p[1] for p in o.points]
        for j in range(max(0, int((y1 - max(ys)) * scale)), min(h, int((y1 - min(ys)) * scale) + 2)):
            cy = y1 - (j + 0.5) / scale
            for i in range(max(0, int((min(xs) - x0) * scale)), min(w, int((max(xs) - x0) * scale) + 2)):
                if inside(o.points, x0 + (i + 0.5) / scale, cy):
                    grid[j][i] = 1
    for j in range(h):
        for i in range(w):
            if grid[j][i] and any(
                not (0 <= j + dj < h and 0 <= i + di < w) or grid[j + dj][i + di] == 0
                for dj, di in ((0, 1), (0, -1), (1, 0), (-1, 0))
            ):
                grid[j][i] = 2
    return grid, w, h


def _panel_cells(panel: Any, scale: float) -> tuple[list[list[Any]], int]:
    """Rows of cells; a cell is (top pixel, bottom pixel) or a point's code."""
    grid, w, h = _raster(panel, scale)
    rows: list[list[Any]] = [[(grid[2 * r][i], grid[2 * r + 1][i]) for i in range(w)] for r in range(h // 2)]
    x0, _, _, y1 = panel.box
    taken: set[tuple[int, int]] = set()
    for mk in panel.marks:
        col = min(w - 1, max(0, int((mk.x - x0) * scale)))
        row = min(h // 2 - 1, max(0, int((y1 - mk.y) * scale) // 2))
        for dr, dc in ((0, 0), (0, 1), (0, -1), (-1, 0), (1, 0)):
            r, c = row + dr, col + dc
            if 0 <= r < h // 2 and 0 <= c < w and (r, c) not in taken:
                rows[r][c] = mk.code
                taken.add((r, c))
                break
    return rows, w


def map_preview(chart: Any, *, width: int, colour: bool, rows: int = 22) -> Any:
    """The chart as text: each view drawn with half blocks (colour) or plain letters, and a legend."""
    from .svg import colour as channel_colour

    keys = map_keys(chart)
    meridian = {e.code: e.meridian for e in chart.entries}
    blocks: list[tuple[str, list[list[Any]], int]] = []
    for view in chart.views:
        height = rows if view.overview else max(8, rows // 2)
        spans = [(p.box[2] - p.box[0], p.box[3] - p.box[1]) for p in view.panels]
        scale = min(2 * height / max(h, 1e-6) for _, h in spans)
        total = sum(sw * scale for sw, _ in spans) + 2 * (len(spans) - 1)
        if total > width - 2:  # a narrow terminal: make the view smaller, not wrapped
            scale *= (width - 2) / total
        for p in view.panels:
            cells, w = _panel_cells(p, scale)
            name = view.name + (f" ({p.side})" if p.side else "")
            blocks.append((name, cells, w))
    shade = {0: None, 1: "grey62", 2: "grey39"}
    ascii_cell = {(0, 0): " ", (1, 0): "'", (0, 1): ".", (1, 1): ":"}

    def cell_text(c: Any) -> tuple[str, str | None]:
        if isinstance(c, str):
            style = f"bold white on {channel_colour(meridian[c])}" if colour else None
            return keys[c], style
        top, bottom = c
        if not colour:
            return ascii_cell[(1 if top else 0, 1 if bottom else 0)], None
        t, bt = shade[top], shade[bottom]
        if t and bt:
            return "▀", f"{t} on {bt}"
        if t:
            return "▀", t
        if bt:
            return "▄", bt
        return " ", None

    # lay the blocks out in rows that fit the width
    lines: list[Any] = []
    from rich.text import Text

    row: list[tuple[str, list[list[Any]], int]] = []
    used = 0

    def flush() -> None:
        if not row:
            return
        height = max(len(cells) for _, cells, _ in row)
        head = Text()
        for name, _, w in row:
            col_w = max(w, len(name))
            head.append(name.ljust(col_w + 2), style="bold" if colour else None)
        lines.append(head)
        for r in range(height):
            t = Text()
            for name, cells, w in row:
                col_w = max(w, len(name))
                if r < len(cells):
                    for c in cells[r]:
                        ch, style = cell_text(c)
                        t.append(ch, style=style)
                    t.append(" " * (col_w - w + 2))
                else:
                    t.append(" " * (col_w + 2))
            lines.append(t)
        lines.append(Text(""))

    for block in blocks:
        need = max(block[2], len(block[0])) + 2
        if row and used + need > width:
            flush()
            row, used = [], 0
        row.append(block)
        used += need
    flush()
    for e in chart.entries:
        t = Text()
        t.append(f"{keys[e.code]} ", style=f"bold white on {channel_colour(e.meridian)}" if colour else None)
        t.append(f" {e.code:<8}", style="bold cyan" if colour else None)
        t.append(f"{e.pinyin} {e.hanzi}  {e.english}  ({e.shown()})")
        lines.append(t)
    if chart.unplaced:
        lines.append(Text(f"Not drawn (no position yet): {', '.join(chart.unplaced)}"))
    lines.append(Text("Write the full chart with -o chart.svg.  " + m.NOTICE, style="dim" if colour else None))
    if not colour:
        return "".join(line.plain.rstrip() + "\n" for line in lines)
    from rich.console import Group

    return Group(*lines)


def map_preview_for(chart: Any, output: str | None) -> Any:
    """The preview sized and coloured for where it goes: the terminal's width and colours, or plain."""
    if output and output != "-":
        return map_preview(chart, width=int(os.environ.get("COLUMNS", "100")), colour=False)
    c = console()
    return map_preview(chart, width=c.width, colour=c.color_system is not None and not c.no_color)
