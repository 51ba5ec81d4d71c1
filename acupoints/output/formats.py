"""The one place that decides the format: what -f asked, else the -o suffix, else terminal or pipe."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

from acupoints.errors import UsageError


class Format(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    JSON = "json"
    CSV = "csv"
    YAML = "yaml"
    MARKDOWN = "markdown"
    ANKI = "anki"
    PREVIEW = "preview"
    SVG = "svg"
    PNG = "png"


# What an output file's suffix asks for; a command offers only some of these.
SUFFIXES: dict[str, Format] = {
    ".json": Format.JSON,
    ".csv": Format.CSV,
    ".yaml": Format.YAML,
    ".yml": Format.YAML,
    ".tsv": Format.PLAIN,
    ".txt": Format.PLAIN,
    ".md": Format.MARKDOWN,
    ".svg": Format.SVG,
    ".png": Format.PNG,
}
BINARY = frozenset({Format.PNG})


def is_terminal(stream: Any = None) -> bool:
    """Whether output goes to a person; tests patch this one function."""
    stream = stream if stream is not None else sys.stdout
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def choose(
    asked: str | None,
    output: str | None,
    offered: tuple[str, ...],
    *,
    terminal: str = Format.TABLE,
    pipe: str = Format.PLAIN,
    suffixes: dict[str, str] | None = None,
) -> Format:
    """The format for this call. An output file whose suffix names no offered format, with no -f,
    is a usage error: never tab-separated text in a file called out.xlsx."""
    if asked:
        if asked not in offered:
            raise UsageError(f"format {asked!r} is not offered here; use {', '.join(offered)}")
        fmt = Format(asked)
    elif output and output != "-":
        table = {**SUFFIXES, **(suffixes or {})}
        found = table.get(Path(output).suffix.lower())
        if found is None or found not in offered:
            known = sorted(s for s, f in table.items() if f in offered)
            raise UsageError(
                f"{output}: the suffix names no format; write a {', '.join(known)} file, or give -f {'|'.join(offered)}"
            )
        fmt = Format(found)
    else:
        fmt = Format(terminal if is_terminal() else pipe)
    if fmt in BINARY and not output and is_terminal():
        raise UsageError(f"a {fmt.value.upper()} is binary: write it to a file with -o FILE.{fmt.value}")
    return fmt


# What each kind of command offers; the CLI's -f choices and the results' formats both come from here.
class RecordFormat(StrEnum):
    table = "table"
    plain = "plain"
    json = "json"
    csv = "csv"
    yaml = "yaml"


class RxFormat(StrEnum):
    table = "table"
    plain = "plain"
    json = "json"
    csv = "csv"
    yaml = "yaml"
    markdown = "markdown"


class MapFormat(StrEnum):
    preview = "preview"
    svg = "svg"
    png = "png"
    json = "json"


class ExportFormat(StrEnum):
    anki = "anki"


def offered(choices: type[StrEnum]) -> tuple[str, ...]:
    return tuple(c.value for c in choices)
