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
    from rich.table import Table
    from rich.text import Text

    panels = []
    for p in points:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
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
            grid.add_row(head, text)
        title = Text.assemble((p.code, "bold cyan"), "  ", (p.pinyin, "bold"), "  ", p.hanzi, "  ", p.english)
        panels.append(Panel(grid, title=title, title_align="left"))
    panels.append(Text(m.NOTICE, style="dim"))
    return Group(*panels)


# -- writing ------------------------------------------------------------------------------
def console(file: Any = None, *, width: int | None = None) -> Any:
    from rich.console import Console

    # Rich itself honours NO_COLOR, FORCE_COLOR and COLUMNS.
    # markup off: point texts contain [brackets] that are words, not styles
    return Console(file=file, width=width, soft_wrap=False, highlight=False, markup=False, emoji=False)


def emit(result: Any, output: str | None = None, *, force: bool = False) -> None:
    """Send text or a Rich renderable to stdout, or atomically to a file (never over one without force)."""
    if output and output != "-":
        if isinstance(result, str):
            text = result
        else:
            buf = io.StringIO()
            console(buf, width=int(os.environ.get("COLUMNS", "100"))).print(result)
            text = buf.getvalue()
        write_file(Path(output), text, force=force)
        return
    try:
        if isinstance(result, str):
            sys.stdout.write(result)
            sys.stdout.flush()
        else:
            console().print(result)
    except BrokenPipeError:
        # The reader (head, less) has gone: stop quietly, and keep Python's final flush quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def write_file(path: Path, text: str, *, force: bool = False) -> None:
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
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
