"""How one value sits in one cell.

For scripts (plain, csv) there is one rule, and it reads back: an empty cell is null; a cell
that parses as JSON is that JSON value (a number, true/false, a list or a mapping); any other
cell is the text itself. So a text goes in as it is, unless it would read back as something
else (empty, a number such as a PMID, true, null, or text starting with [ { or a quote) or holds
a tab or a line break: then it goes in as a JSON string, in quotes. Every cell is one line of
one column, in csv and plain alike; lists and mappings are never joined with a separator, which
would collide with the data (caution texts contain '; ').

    def decode(cell):
        if cell == "":
            return None
        try:
            return json.loads(cell)
        except ValueError:
            return cell

For people (the table) lists are one item a line, in the words `show` uses.
"""

from __future__ import annotations

import json
import re
from typing import Any

from acupoints import model as m

# JSON escapes the C0 controls itself; these also break a line for some readers (str.splitlines,
# editors), so a cell carries them escaped too.
_BREAKS = re.compile("[\x7f-\x9f\u2028\u2029]")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return _BREAKS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _reads_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def cell(value: Any) -> str:
    """A value as a csv or plain cell; `decode` in the docstring above gives it back."""
    if value is None:
        return ""
    if isinstance(value, str):
        if value and not _UNSAFE.search(value) and not _reads_as_json(value):
            return value
        return _json(value)
    if isinstance(value, tuple):
        value = list(value)
    return _json(value)


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def human(field: str, value: Any) -> str:
    """A cell of a table for people."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if field == "needling":
        n = m.Needling(value["angle"], tuple(value["depth_cun"]), value["source"], value.get("note"))
        return f"{n.describe()} [{n.source}]"
    if field == "categories":
        return "\n".join(m.Category(c["kind"], c.get("of"), c.get("partner")).describe() for c in value)
    if field == "conditions":
        return "\n".join(f"{k}: {', '.join(v)}" for k, v in value.items())
    if field == "cautions" and all(isinstance(c, dict) for c in value):
        # a point's cautions have a text, a finding (a saved prescription's cautions) a message
        return "\n".join(
            f"{c.get('kind')}: {c.get('text', c.get('message'))} [{', '.join(c.get('sources') or ())}]" for c in value
        )
    if isinstance(value, list | tuple):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_text(v) if isinstance(v, str) else cell(v)}" for k, v in value.items())
    return _text(value)
