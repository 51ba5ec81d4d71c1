"""How one value sits in one cell.

For scripts (plain, csv) the rule is one and documented: text as it is (runs of white space
folded to one space), numbers as numbers, true/false, nothing for null, and a list or mapping
as compact JSON. JSON can always be read back and never collides with the data: caution texts
contain '; ', so joining with any separator could not. For people (the table) lists are one
item a line, in the words `show` uses.
"""

from __future__ import annotations

import json
from typing import Any

from acupoints import model as m


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
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
        return "\n".join(f"{c['kind']}: {c['text']} [{', '.join(c['sources'])}]" for c in value)
    if isinstance(value, list | tuple):
        return "\n".join(" ".join(str(v).split()) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {cell(v)}" for k, v in value.items())
    return " ".join(str(value).split())
