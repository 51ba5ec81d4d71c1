"""A saved prescription read back (`check rx.yaml`, `show rx.yaml`, `map rx.yaml`), and pairs as
people write them (`LR3-GB42:left`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError
from .flags import Flags

SAVE_FORMAT = "acupoints-prescription/1"
PAIR_SIDES = ("both", "left", "right")


@dataclass(frozen=True)
class SavedPoint:
    code: str
    sides: str | None  # both, left, right or midline; None when the file does not say


@dataclass(frozen=True)
class SavedPrescription:
    path: str
    condition: str | None
    modality: str | None
    flags: Flags
    points: tuple[SavedPoint, ...]
    pairs: tuple[tuple[str, str, str], ...]


def is_rx_file(text: str) -> bool:
    """A saved prescription: any argument ending in .yaml or .yml (no point name does)."""
    return text.lower().endswith((".yaml", ".yml"))


def read(path: str) -> SavedPrescription:
    """Read and check a saved prescription; UsageError naming the file for anything unusable."""
    from . import _yamlload

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file (a saved prescription is read from a .yaml file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data, _ = _yamlload.load(text)
    except _yamlload.YamlProblem as exc:
        raise UsageError(f"{path}:{exc.line}: {exc.message}") from None
    try:
        return _saved(path, data)
    except UsageError as exc:
        raise UsageError(f"{path}: {exc}") from None


def _saved(path: str, data: Any) -> SavedPrescription:
    if not isinstance(data, dict) or data.get("format") != SAVE_FORMAT:
        raise UsageError(f"not a saved prescription (expected format: {SAVE_FORMAT})")
    points = data.get("points")
    if not isinstance(points, list) or not all(isinstance(p, dict) and isinstance(p.get("code"), str) for p in points):
        raise UsageError("a saved prescription needs a list of points, each with a code")
    pairs = []
    for pr in data.get("pairs") or []:
        ends = pr.get("points") if isinstance(pr, dict) else None
        if not isinstance(ends, list) or len(ends) != 2 or not all(isinstance(e, str) for e in ends):
            raise UsageError("each pair needs 'points: [A, B]', two point codes")
        pairs.append((ends[0], ends[1], str(pr.get("sides", "both"))))
    modality = data.get("modality")
    return SavedPrescription(
        path=path,
        condition=data.get("condition") if isinstance(data.get("condition"), str) else None,
        modality=modality if isinstance(modality, str) else None,
        flags=Flags.from_mapping(data.get("flags")),
        points=tuple(
            SavedPoint(p["code"], p.get("sides") if isinstance(p.get("sides"), str) else None) for p in points
        ),
        pairs=tuple(pairs),
    )


def parse_pair(spec: str) -> tuple[str, str, str]:
    """'LR3-GB42:left' -> ('LR3', 'GB42', 'left'); the side defaults to both."""
    ends, _, side = spec.partition(":")
    a, sep, b = ends.partition("-")
    if not sep or not a or not b:
        raise UsageError(f"{spec!r}: write two points joined by '-', e.g. LR3-GB42:left")
    return a, b, side or "both"
