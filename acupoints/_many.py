"""One value or many: the one splitter behind every repeatable option and every API argument that
takes several values.

`--meridian ST,SP`, `--meridian ST --meridian SP`, `filter(meridian="ST")`, `filter(meridian=["ST",
"SP"])` and `filter(meridian="ST,SP")` all mean the same two channels. A str is one value (or a
comma list), never a sequence of letters: `filter(condition="CIPN")` once looked for conditions
C, I, P and N. No code, name, limb, view or vocabulary value contains a comma, so splitting on
commas loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import UsageError

# What an argument that takes several values accepts: a str (StrEnum members are str) or any
# iterable of them, each of which may itself be a comma list.
OneOrMany = str | Iterable[str]


def many(values: OneOrMany | None, what: str = "value") -> tuple[str, ...]:
    """The values, split on commas and stripped, blanks dropped, in the order given; UsageError
    naming `what` for anything that is not text."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = (values,)
    elif not isinstance(values, Iterable):
        raise UsageError(f"{what}: give text or a list of texts, not {type(values).__name__}")
    out: list[str] = []
    for v in values:
        if not isinstance(v, str):
            raise UsageError(f"{what}: {v!r} is not text")
        out += [x.strip() for x in v.split(",") if x.strip()]
    return tuple(out)
