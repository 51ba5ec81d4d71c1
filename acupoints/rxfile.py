"""A saved prescription read back (`check rx.yaml`, `show rx.yaml`, `map rx.yaml`), and pairs as
people write them (`LR3-GB42:left`).

The file has a schema: wrong types, unknown keys or limbs, `pregnant: "no"`, a pair of one point
or of a point with itself are each one `FILE:LINE: message` (a UsageError: exit status 2), never
a traceback and never a silent misreading.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import UsageError
from .results import NOTICE_MESSAGE, Message, MessageKind, Result

if TYPE_CHECKING:
    from .catalog import Catalog
    from .flags import Flags

PAIR_SIDES = ("both", "left", "right")
POINT_SIDES = ("both", "left", "right", "midline")
TOP_KEYS = frozenset(
    {
        "format",
        "created",
        "acupoints_version",
        "catalog_version",
        "condition",
        "modality",
        "modality_used",
        "flags",
        "points",
        "pairs",
        "excluded",
        "warnings",
        "plan",
        "notes",
        "ranking",
        "evidence",
        "notice",
    }
)
POINT_KEYS = frozenset({"code", "sides", "score", "reasons", "studies", "modalities", "cautions"})
PAIR_KEYS = frozenset({"points", "sides"})


# NamedTuples, not dataclasses: `show ST36` imports this module to ask is_rx_file, and should not pay
# for dataclasses or the flags.
class SavedPoint(NamedTuple):
    code: str
    sides: str | None  # both, left, right or midline; None when the file does not say


class SavedPrescription(NamedTuple):
    path: str
    condition: str | None
    modality: str | None  # the modality asked for
    modality_used: str | None  # the one the prescription uses (None in a file that does not say)
    flags: Flags
    points: tuple[SavedPoint, ...]
    pairs: tuple[tuple[str, str, str], ...]
    data: Mapping[str, Any]  # the file as read (frozen once a SavedView holds it)

    def point_texts(self) -> list[str]:
        """'CODE:side' for each point, as `check` reads them."""
        return [f"{p.code}:{p.sides}" if p.sides else p.code for p in self.points]


SAVE_FORMAT = "acupoints-prescription/1"  # the same as prescribe.SAVE_FORMAT (a test keeps them equal)


def is_rx_file(text: str) -> bool:
    """A saved prescription: any argument ending in .yaml or .yml (no point name does)."""
    return text.lower().endswith((".yaml", ".yml"))


class _Bad(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message


def _line(obj: Any, key: str | None = None) -> int:
    if key is not None and hasattr(obj, "line_of"):
        return int(obj.line_of(key))
    return int(getattr(obj, "line", 0))


def read(path: str) -> SavedPrescription:
    """Read and check a saved prescription; UsageError 'FILE:LINE: message' for anything unusable."""
    from . import _yamlload

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file (a saved prescription is read from a .yaml file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data, dupes = _yamlload.load(text)
    except _yamlload.YamlProblem as exc:
        raise UsageError(f"{path}:{exc.line}: {exc.message}") from None
    if dupes:
        line, message = dupes[0]
        raise UsageError(f"{path}:{line}: {message}")
    try:
        return _saved(path, data)
    except _Bad as exc:
        raise UsageError(f"{path}:{exc.line}: {exc.message}") from None


def _text(obj: Any, key: str, *, required: bool = False, choices: tuple[str, ...] = ()) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise _Bad(_line(obj), f"missing {key!r}")
        return None
    if not isinstance(value, str):
        raise _Bad(_line(obj, key), f"{key} must be text")
    if choices and value not in choices:
        raise _Bad(_line(obj, key), f"{key} {value!r} is not one of {', '.join(choices)}")
    return value


def _unknown(obj: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    for key in obj:
        if key not in allowed:
            raise _Bad(_line(obj, key), f"unknown key {key!r} in {where} (known: {', '.join(sorted(allowed))})")


def _saved(path: str, data: Any) -> SavedPrescription:
    from .flags import Flags
    from .model import MODALITIES

    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise _Bad(
            _line(data, "format") if isinstance(data, dict) else 1,
            f"not a saved prescription (expected format: {SAVE_FORMAT})",
        )
    _unknown(data, TOP_KEYS, "the prescription")
    modality = _text(data, "modality", choices=MODALITIES)
    used = _text(data, "modality_used", choices=MODALITIES)
    condition = _text(data, "condition")
    flags_data = data.get("flags")
    if isinstance(flags_data, dict):  # each key checked where it stands, for its line
        from .flags import specs

        known = {sp.name: sp for sp in specs()}
        for key, value in flags_data.items():
            sp = known.get(key)
            if sp is None:
                raise _Bad(_line(flags_data, key), f"flags: unknown flag {key!r}; flags are {', '.join(known)}")
            if not sp.limbs and not isinstance(value, bool):
                raise _Bad(_line(flags_data, key), f"flags: {key} must be true or false, not {value!r}")
    try:
        flags = Flags.from_mapping(flags_data)
    except UsageError as exc:
        raise _Bad(_line(data, "flags"), str(exc)) from None
    raw_points = data.get("points")
    if not isinstance(raw_points, list):
        raise _Bad(_line(data, "points"), "points must be a list, each with a code")
    points = []
    for item in raw_points:
        if not isinstance(item, dict):
            raise _Bad(_line(data, "points"), "each point must be a mapping with a code")
        _unknown(item, POINT_KEYS, "a point")
        code = _text(item, "code", required=True)
        assert code is not None
        points.append(SavedPoint(code, _text(item, "sides", choices=POINT_SIDES)))
    pairs = []
    raw_pairs = data.get("pairs") or []
    if not isinstance(raw_pairs, list):
        raise _Bad(_line(data, "pairs"), "pairs must be a list")
    for pr in raw_pairs:
        if not isinstance(pr, dict):
            raise _Bad(_line(data, "pairs"), "each pair must be a mapping: {points: [A, B], sides: left}")
        _unknown(pr, PAIR_KEYS, "a pair")
        ends = pr.get("points")
        if not isinstance(ends, list) or len(ends) != 2 or not all(isinstance(e, str) and e for e in ends):
            raise _Bad(_line(pr, "points"), "a pair needs 'points: [A, B]', two point codes")
        if ends[0].strip().upper() == ends[1].strip().upper():
            raise _Bad(_line(pr, "points"), f"a pair joins two different points, not {ends[0]} with itself")
        side = _text(pr, "sides", choices=PAIR_SIDES) or "both"
        pairs.append((ends[0], ends[1], side))
    return SavedPrescription(path, condition, modality, used, flags, tuple(points), tuple(pairs), data)


def parse_pair(spec: str, known: Any = None) -> tuple[str, str, str]:
    """'LR3-GB42:left' -> ('LR3', 'GB42', 'left'); the side defaults to both.

    Extra-point codes hold hyphens (EX-LE10), so where `known` (a callable: does this text name a
    point?) is given, the split is the one whose two halves both name points."""
    ends, _, side = spec.partition(":")
    side = side.strip().lower() or "both"
    if side not in PAIR_SIDES:
        raise UsageError(f"{spec!r}: the side is left, right or both, e.g. LR3-GB42:left")
    cuts = [i for i, ch in enumerate(ends) if ch == "-"]
    options = [(ends[:i].strip(), ends[i + 1 :].strip()) for i in cuts]
    options = [(a, b) for a, b in options if a and b]
    if known is not None:
        named = [(a, b) for a, b in options if known(a) and known(b)]
        options = named or options
    if not options:
        raise UsageError(f"{spec!r}: write two points joined by '-', e.g. LR3-GB42:left")
    a, b = options[0]
    return a, b, side


class SavedView(Result):
    """`show rx.yaml`: the prescription as saved, its points with their sides, pairs, flags and plan."""

    # code and sides as resolved (a hand-written file may say st-36, or leave the sides out), the
    # point's names, then each key a saved point has, holding what the file holds
    columns = ("code", "sides", "pinyin", "english", "cautions", "score", "reasons", "studies", "modalities")
    table_columns = columns[:5]  # for people: the points, their sides and cautions; the reasons are prescribe's

    def __init__(self, saved: SavedPrescription, catalog: Catalog) -> None:
        from .model import freeze

        # the file's data, frozen: a result is immutable all the way down
        self.saved, self.catalog = saved._replace(data=freeze(saved.data)), catalog

    def data(self) -> dict[str, Any]:
        from .model import thaw

        out: dict[str, Any] = {k: thaw(v) for k, v in self.saved.data.items()}
        return out

    def rows(self) -> list[dict[str, Any]]:
        from .model import thaw

        out = []
        # read() made one SavedPoint for each mapping of `points`, in order
        for sp, item in zip(self.saved.points, self.saved.data["points"], strict=True):
            p = self.catalog.lookup(sp.code)
            row: dict[str, Any] = thaw(item)  # type: ignore[assignment]  # a mapping thaws to a dict
            sides = sp.sides or ("both" if p.bilateral else "midline")
            row.update(code=p.code, sides=sides, pinyin=p.pinyin, english=p.english)
            out.append(row)
        return out

    def messages(self) -> list[Message]:
        from .prescribe import describe_plan

        s = self.saved
        flags = [
            k.replace("_", "-") + (f" {', '.join(v)}" if isinstance(v, list) else "")
            for k, v in s.flags.to_dict().items()
            if v
        ]
        out = [
            Message(
                MessageKind.HEADING,
                f"Saved prescription {s.path}: {s.condition or 'no condition'}; modality: "
                f"{s.modality_used or s.modality or 'any'}; patient flags: {', '.join(flags) or 'none'}",
            )
        ]
        out += [Message(MessageKind.PAIR, f"{a} - {b} ({side})") for a, b, side in s.pairs]
        refs = self.catalog.references
        plan = s.data.get("plan")
        if isinstance(plan, Mapping):
            out += [
                Message(MessageKind.COURSE, line)
                for line in describe_plan(plan, lambda i: refs[i].short if i in refs else i)
            ]
        for w in s.data.get("warnings") or []:
            if isinstance(w, Mapping) and w.get("message"):
                out.append(Message(MessageKind.WARNING, f"{w.get('kind')}: {w['message']}"))
        return [*out, NOTICE_MESSAGE]
