"""Apply a reviewed patch file to data/points.yaml without reflowing the rest of the file.

    python tools/apply_point_patch.py PATCH.yaml [PATCH.yaml ...]

A patch maps a point code to changes: `add` (cautions to append), `replace` (a list of
{kind, with}: the point's caution of that kind replaced), `remove_modalities`, `pinyin`,
`hanzi`, `hanzi_simplified`, `add_aliases`, `indications` (the whole new list). Other keys
(`why`, `source`) are for the reviewer and ignored. Each point's block is rewritten in the
file's own block style; every other line stays as it is.
Run `acupoints validate` afterwards. A contributor tool: not shipped in the wheel.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

POINTS = Path(__file__).resolve().parent.parent / "data" / "points.yaml"
CAUTION_ORDER = ("kind", "basis", "modality", "text", "sources", "structure", "context")


def _scalar(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=10**6, default_flow_style=True).strip().removesuffix("\n...")


def _caution_lines(c: dict) -> list[str]:
    lines = []
    for i, key in enumerate(k for k in CAUTION_ORDER if k in c and c[k] is not None):
        lead = "  - " if i == 0 else "    "
        value = c[key]
        text = _scalar(list(value)) if key == "sources" else _scalar(value)
        lines.append(f"{lead}{key}: {text}")
    return lines


def _blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """code -> (first line, end line) of each point block."""
    starts = [(i, line.split(":", 1)[1].strip()) for i, line in enumerate(lines) if line.startswith("- code: ")]
    out = {}
    for n, (i, code) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        out[code] = (i, end)
    return out


def _field_span(block: list[str], key: str) -> tuple[int, int] | None:
    """The lines of one top-level field of a point block (its key line and its continuation)."""
    for i, line in enumerate(block):
        if line.startswith(f"  {key}:"):
            j = i + 1
            while j < len(block) and (block[j].startswith("   ") or block[j].startswith("  - ")):
                j += 1
            return i, j
    return None


def apply(patch: dict, text: str) -> str:
    lines = text.split("\n")
    data = {p["code"]: p for p in yaml.safe_load(text)["points"]}
    for code in reversed(list(_blocks(lines))):  # bottom up: earlier line numbers stay valid
        change = patch.get(code)
        if not change:
            continue
        start, end = _blocks(lines)[code]
        block = lines[start:end]
        point = data[code]
        if "pinyin" in change:
            span = _field_span(block, "pinyin")
            assert span, code
            block[span[0] : span[1]] = [f"  pinyin: {_scalar(change['pinyin'])}"]
        if "hanzi" in change:
            span = _field_span(block, "hanzi")
            assert span, code
            block[span[0] : span[1]] = [f"  hanzi: {_scalar(change['hanzi'])}"]
        if "hanzi_simplified" in change:
            span = _field_span(block, "hanzi_simplified")
            line = f"  hanzi_simplified: {_scalar(change['hanzi_simplified'])}"
            if span:
                block[span[0] : span[1]] = [line]
            else:  # the field follows hanzi
                at = _field_span(block, "hanzi")
                assert at, code
                block[at[1] : at[1]] = [line]
        if change.get("add_aliases"):
            aliases = list(point.get("aliases") or [])
            aliases += [a for a in change["add_aliases"] if a not in aliases]
            span = _field_span(block, "aliases")
            assert span, code
            block[span[0] : span[1]] = [f"  aliases: {_scalar(aliases)}"]
        if "indications" in change:
            span = _field_span(block, "indications")
            assert span, code
            block[span[0] : span[1]] = ["  indications:"] + [f"  - {_scalar(x)}" for x in change["indications"]]
        if change.get("remove_modalities"):
            mods = [m for m in point["modalities"] if m not in change["remove_modalities"]]
            span = _field_span(block, "modalities")
            assert span, code
            block[span[0] : span[1]] = [f"  modalities: {_scalar(mods)}"]
        if change.get("add") or change.get("replace"):
            cautions = [dict(c) for c in point.get("cautions") or []]
            for rep in change.get("replace") or []:
                idx = next((i for i, c in enumerate(cautions) if c["kind"] == rep["kind"]), None)
                if idx is None:
                    cautions.append(rep["with"])
                else:
                    cautions[idx] = rep["with"]
            cautions += list(change.get("add") or [])
            span = _field_span(block, "cautions")
            assert span, code
            new = ["  cautions:"] + [x for c in cautions for x in _caution_lines(c)] if cautions else ["  cautions: []"]
            block[span[0] : span[1]] = new
        lines[start:end] = block
    return "\n".join(lines)


def main(paths: list[str]) -> int:
    text = POINTS.read_text(encoding="utf-8")
    for path in paths:
        patch = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        text = apply(patch, text)
    POINTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
