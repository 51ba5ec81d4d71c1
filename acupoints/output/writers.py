"""One writer a format. A writer lays out what a Result holds and says which of its messages the
document carries; `write` sends the rest to stderr, one line each."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acupoints.errors import OutputError
from acupoints.results import Message, MessageKind, PointPages, Result

from .cells import cell
from .formats import Format

if TYPE_CHECKING:
    from acupoints.handout import Handout

ALL = frozenset(MessageKind)
NONE: frozenset[MessageKind] = frozenset()

# A writer: (result, the output file or None) -> (the document: text, bytes or a Rich renderable;
# the message kinds it holds)
Writer = Callable[[Result, str | None], tuple[Any, frozenset[MessageKind]]]


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_yaml(data: Any) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100))


def to_csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([cell(r.get(c)) for c in columns])
    return buf.getvalue()


def to_plain(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    # a cell never holds a tab or a line break (cells.py): one record a line, one field a column
    return "".join("\t".join(cell(r.get(c)) for c in columns) + "\n" for r in rows)


def _json(result: Result, output: str | None) -> tuple[Any, frozenset[MessageKind]]:
    return to_json(result.data()), result.held_by_data


def _yaml(result: Result, output: str | None) -> tuple[Any, frozenset[MessageKind]]:
    return to_yaml(result.data()), result.held_by_data


def _csv(result: Result, output: str | None) -> tuple[Any, frozenset[MessageKind]]:
    return to_csv(result.rows(), result.columns), NONE


def _plain(result: Result, output: str | None) -> tuple[Any, frozenset[MessageKind]]:
    if isinstance(result, PointPages) and not result.fields:  # show --fields: records, as list gives them
        return _pages_text(result), NONE
    return to_plain(result.rows(), result.columns), NONE


def _pages_text(result: PointPages) -> str:
    """show in a pipe: a block a point, its sections as 'Heading: line' with continuation lines."""
    blocks = []
    for p in result.points:
        lines = [f"{p.code}\t{p.pinyin}\t{p.hanzi}\t{p.english}"]
        for head, body in result.sections(p):
            lines += [f"{head}: {body[0]}"] + [f"  {b}" for b in body[1:]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _table(result: Result, output: str | None) -> tuple[Any, frozenset[MessageKind]]:
    from .views import table

    return table(result), ALL


def _markdown(result: Result, output: str | None) -> tuple[Any, frozenset[MessageKind]]:
    from acupoints.handout import handout
    from acupoints.prescribe import PrescriptionReport

    assert isinstance(result, PrescriptionReport)
    # the handout is the patient's: every line for the practitioner (the tool's notice too) goes to stderr
    return markdown(handout(result)), NONE


def markdown(h: Handout) -> str:
    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"

    lines = [f"# {h.title}", ""]
    lines += [*h.intro, ""]
    lines += [row(h.columns), "|" + "---|" * len(h.columns)]
    lines += [row(r) for r in h.rows]
    lines += ["", *h.after_table, ""]
    for heading, paragraphs, items in h.sections:
        if heading:
            lines += [f"## {heading}", ""]
        lines += [x for p in paragraphs for x in (p, "")]
        if items:
            lines += [f"- {i}" for i in items] + [""]
    lines += [f"*{h.notice}*", ""]
    return "\n".join(lines)


def _anki(result: Result, output: str | None) -> tuple[Any, frozenset[MessageKind]]:
    from .anki import anki_deck

    return anki_deck(getattr(result, "points", ())), NONE


WRITERS: dict[Format, Writer] = {
    Format.JSON: _json,
    Format.YAML: _yaml,
    Format.CSV: _csv,
    Format.PLAIN: _plain,
    Format.TABLE: _table,
    Format.MARKDOWN: _markdown,
    Format.ANKI: _anki,
}


def register(fmt: Format, writer: Writer) -> None:
    """A format that belongs to one kind of result (the map's svg, png and preview) is registered
    by the module that makes that result, so this package never imports it."""
    WRITERS[fmt] = writer


# The formats a spreadsheet opens: --bom puts a UTF-8 byte order mark before them, which Excel on
# Windows needs to read the file as UTF-8 (without it, 足三里 comes out as mojibake).
BOM_FORMATS = frozenset({Format.CSV, Format.PLAIN})


def write(result: Result, fmt: Format, output: str | None = None, *, force: bool = False, bom: bool = False) -> None:
    """Write a result in a format to stdout or a file; what the document does not hold, to stderr.

    With `bom`, csv and plain are written as UTF-8 bytes after a byte order mark, whatever the
    terminal's encoding; other formats are left as they are (a BOM is not valid JSON)."""
    document, held = WRITERS[fmt](result, output)
    if bom and fmt in BOM_FORMATS and isinstance(document, str):
        document = ("\ufeff" + document).encode("utf-8")
    emit(document, output, force=force)
    tell([msg for msg in result.messages() if msg.kind not in held])


def tell(messages: list[Message]) -> None:
    for msg in messages:
        sys.stderr.write(f"acupoints: {msg.line()}\n")
    sys.stderr.flush()


def console(file: Any = None, *, width: int | None = None) -> Any:
    from rich.console import Console

    # Rich itself honours NO_COLOR, FORCE_COLOR and COLUMNS.
    # markup off: point texts contain [brackets] that are words, not styles
    return Console(file=file, width=width, soft_wrap=False, highlight=False, markup=False, emoji=False)


def emit(document: Any, output: str | None = None, *, force: bool = False) -> None:
    """Send text, bytes or a Rich renderable to stdout, or atomically to a file (never over one
    without force)."""
    if output and output != "-":
        if isinstance(document, bytes | str):
            text = document
        else:
            buf = io.StringIO()
            console(buf, width=int(os.environ.get("COLUMNS", "100"))).print(document)
            text = buf.getvalue()
        write_file(Path(output), text, force=force)
        return
    try:
        if isinstance(document, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(document)
            sys.stdout.buffer.flush()
        elif isinstance(document, str):
            sys.stdout.write(document)
            sys.stdout.flush()
        else:
            console().print(document)
    except BrokenPipeError:
        # The reader (head, less) has gone: stop quietly, and keep Python's final flush quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def write_file(path: Path, text: str | bytes, *, force: bool = False) -> None:
    """Write to a temporary file beside `path`, then rename it: never a half-written file."""
    if path.exists() and not force:
        raise OutputError(f"{path} exists; use --force to replace it")
    if path.is_dir():
        raise OutputError(f"{path} is a folder")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: folder {parent} does not exist")
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
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
