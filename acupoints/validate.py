"""Validation of the data files: every problem at once, each as `FILE:LINE: WHO: message`.

The catalog is four files, checked here together with every cross-reference between them:
points.yaml, references.yaml (the studies), safety-sources.yaml (the sources of cautions) and
conditions.yaml (which conditions exist, where each is felt, its evidence and cautions). The
fifth, positions.yaml, is checked as it is resolved (`check_positions`, in `positions`).
Runs only when a catalog is read afresh (the cache holds data that already passed), so it
may be thorough rather than quick. Messages speak of YAML (text, a list, a mapping), never of
the Python objects the YAML was read into.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _store
from . import codes as codes_mod
from . import model as m
from .errors import CatalogError

if TYPE_CHECKING:
    from .map.positions import Positions

POINT_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "code": str,
    "meridian": str,
    "number": int,
    "pinyin": str,
    "hanzi": str,
    "english": str,
    "aliases": list,
    "bilateral": bool,
    "region": str,
    "location": str,
    "needling": dict,
    "actions": list,
    "indications": list,
    "categories": list,
    "modalities": list,
    "cautions": list,
}
POINT_OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "hanzi_simplified": str,
    "ambiguous_aliases": list,
    "element": str,
    "conditions": dict,
}
POINT_FIELDS = {**POINT_REQUIRED, **POINT_OPTIONAL}
NEEDLING_FIELDS = {"angle", "depth_cun", "source", "note"}
CAUTION_REQUIRED = {"kind", "basis", "modality", "text", "sources"}
CAUTION_FIELDS = CAUTION_REQUIRED | {"structure", "context"}
CATEGORY_FIELDS = {"kind", "of", "partner"}
TOP_FIELDS = {"catalog", "data_version", "points"}

REFERENCE_REQUIRED = ("id", "condition", "authors", "year", "title", "journal", "study_type", "verdict", "finding")
REFERENCE_FIELDS = set(REFERENCE_REQUIRED) | {
    "volume_pages",
    "doi",
    "pmid",
    "pmcid",
    "n",
    "points",
    "codes",
    "uncertain_codes",
    "points_source",
    "modality",
    "parameters",
    "verdict",
    "applied",
    "comparator",
    "result",
}

_TONE_MARKS = frozenset("\u0300\u0301\u0304\u030c")  # grave, acute, macron, caron


CONDITION_FIELDS: dict[str, type] = {
    "code": str,
    "name": str,
    "felt": str,
    "regions": list,
    "evidence": dict,
    "cautions": list,
}
# Optional: regions where the condition dulls sensation (moxibustion there is left out: heat on
# numb skin burns unnoticed).
CONDITION_OPTIONAL: dict[str, type] = {"reduced_sensation": list, "patient": list}
EVIDENCE_FIELDS: dict[str, type] = {"direction": str, "details": list}
DETAIL_FIELDS: dict[str, type] = {"text": str, "cites": list}
CONDITION_CAUTION_REQUIRED: dict[str, type] = {"kind": str, "text": str}
CONDITION_CAUTION_FIELDS: dict[str, type] = {**CONDITION_CAUTION_REQUIRED, "sources": list, "references": list}
# A condition's code is typed on the command line and is a key in points.yaml: short capitals.
_CONDITION_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")
_KIND_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

_TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a mapping"}


def _type_name(t: type | tuple[type, ...]) -> str:
    return _TYPE_NAMES.get(t, "a value") if isinstance(t, type) else " or ".join(_TYPE_NAMES[x] for x in t)


def describe(value: object) -> str:
    """What a value read from YAML is, in YAML's words: `text 'x'`, `a list`, `a mapping`,
    `the number 3`, `true`, `empty`; never a Python class name or repr of a container."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    return "a value of another kind"


def _shown(value: object) -> str:
    """A value as it would be written in YAML's flow style when it is short and simple (a list of
    numbers, a word), else described (see `describe`)."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list) and all(isinstance(v, int | float | str) and not isinstance(v, bool) for v in value):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return describe(value)


def _is(value: object, typ: type | tuple[type, ...]) -> bool:
    """isinstance, except that true and false are not numbers (bool is an int in Python)."""
    return isinstance(value, typ) and not (isinstance(value, bool) and typ in (int, float, (int, float)))


def _suggest(word: object, options: Collection[str]) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class Problems:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.items: list[tuple[int, str]] = []

    def add(self, line: int, who: str, message: str) -> None:
        self.items.append((line, f"{self.filename}:{line}: {who}: {message}"))

    def sorted(self) -> list[str]:
        return [text for _, text in sorted(self.items, key=lambda x: x[0])]


def _line(obj: object, key: str | None = None) -> int:
    return _store.line_of(obj, key)


def _who(value: object, fallback: str) -> str:
    return value if isinstance(value, str) and value else fallback


_PLACEHOLDERS = frozenset({"TODO", "TBD", "FIXME", "XXX"})


def _text_ok(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    v = value.strip()
    return v != "" and (len(v) > 5 or v.upper() not in _PLACEHOLDERS)


def _check_text_list(probs: Problems, who: str, point: dict, key: str, minimum: int) -> list[str]:
    value = point.get(key)
    if not isinstance(value, list):
        return []
    good = []
    for item in value:
        if _text_ok(item):
            good.append(item.strip())
        else:
            probs.add(_line(point, key), who, f"{key}: every item must be non-empty text, not {describe(item)}")
    if len(good) < minimum:
        probs.add(_line(point, key), who, f"{key}: needs at least {minimum} item{'s' if minimum > 1 else ''}")
    return good


def check_points(
    data: Any,
    probs: Problems,
    reference_ids: dict[str, Any],
    source_ids: set[str],
    condition_codes: Collection[str] | None,
) -> list[dict[str, Any]]:
    """Check the parsed points file; returns the points as clean plain dicts (problems go to probs).
    `condition_codes` are the conditions conditions.yaml declares (None: that file is unusable,
    and says so itself)."""
    if not isinstance(data, dict):
        probs.add(1, "file", f"the top level must be a mapping with a 'points' list, not {describe(data)}")
        return []
    for key in data:
        if key not in TOP_FIELDS:
            probs.add(_line(data, key), "file", f"unknown top-level field {_shown(key)}{_suggest(key, TOP_FIELDS)}")
    points = data.get("points")
    if not isinstance(points, list):
        probs.add(_line(data, "points"), "file", "'points' must be a list of point mappings")
        return []

    clean: list[dict[str, Any]] = []
    seen_codes: dict[str, int] = {}
    seen_hanzi: dict[str, str] = {}
    for i, raw in enumerate(points, 1):
        if not isinstance(raw, dict):
            probs.add(_line(data, "points"), f"point #{i}", "each point must be a mapping")
            continue
        who = _who(raw.get("code"), f"point #{i}")
        point = _check_point(raw, who, probs, reference_ids, source_ids, condition_codes)
        code = raw.get("code")
        if isinstance(code, str):
            if code in seen_codes:
                probs.add(_line(raw, "code"), who, f"duplicate code (first at line {seen_codes[code]})")
            else:
                seen_codes[code] = _line(raw, "code")
        for key in ("hanzi", "hanzi_simplified"):
            h = raw.get(key)
            if isinstance(h, str):
                norm = unicodedata.normalize("NFKC", h)
                other = seen_hanzi.get(norm)
                if other and other != who:
                    probs.add(_line(raw, key), who, f"{key} {h} is already used by {other}")
                seen_hanzi.setdefault(norm, str(who))
        if point is not None:
            if clean and codes_mod.who_order_key(point["code"]) < codes_mod.who_order_key(clean[-1]["code"]):
                probs.add(_line(raw, "code"), who, f"out of WHO order: comes after {clean[-1]['code']}")
            clean.append(point)

    codes = {p["code"] for p in clean}
    _check_cross(clean, points, probs, codes, reference_ids)
    return clean


def _check_point(
    raw: dict[str, Any],
    who: str,
    probs: Problems,
    reference_ids: dict[str, Any],
    source_ids: set[str],
    condition_codes: Collection[str] | None,
) -> dict[str, Any] | None:
    ok = True
    for key in raw:
        if key not in POINT_FIELDS:
            probs.add(_line(raw, key), who, f"unknown field {_shown(key)}{_suggest(key, POINT_FIELDS)}")
            ok = False
    for key, typ in POINT_FIELDS.items():
        if key not in raw:
            if key in POINT_REQUIRED:
                probs.add(_line(raw), who, f"missing field {key!r}")
                ok = False
            continue
        value = raw[key]
        if not _is(value, typ):
            probs.add(_line(raw, key), who, f"{key} must be {_type_name(typ)}, not {describe(value)}")
            ok = False
        elif typ is str and not _text_ok(value):
            probs.add(_line(raw, key), who, f"{key} must not be empty or a placeholder")
            ok = False
    if not ok:
        return None

    code, meridian, number = raw["code"], raw["meridian"], raw["number"]
    match = codes_mod.who_code_match(code)
    if not match:
        probs.add(_line(raw, "code"), who, "code must be a WHO code such as ST36 or EX-LE10")
        return None
    if meridian not in m.MERIDIANS:
        probs.add(_line(raw, "meridian"), who, f"unknown meridian {meridian!r}{_suggest(meridian, m.MERIDIANS)}")
    elif (match.group(1) or "EX") != meridian:
        probs.add(_line(raw, "meridian"), who, f"meridian {meridian} does not match the code")
    if int(match.group(2) or match.group(4)) != number:
        probs.add(_line(raw, "number"), who, f"number {number} does not match the code")
    # WHO's channel sizes are checked over the shipped catalog by the tests, not here:
    # a practitioner's own catalog (or the benchmark's generated one) may number further.
    if number < 1:
        probs.add(_line(raw, "number"), who, "number must be 1 or more")

    pinyin = raw["pinyin"]
    if _TONE_MARKS.isdisjoint(unicodedata.normalize("NFD", pinyin)):
        probs.add(_line(raw, "pinyin"), who, f"pinyin {pinyin!r} has no tone marks")
    for key in ("hanzi", "hanzi_simplified"):
        h = raw.get(key)
        if isinstance(h, str) and not codes_mod.all_cjk(h):
            probs.add(_line(raw, key), who, f"{key} must be Chinese characters only, not {h!r}")
    if raw.get("hanzi_simplified") == raw["hanzi"]:
        probs.add(_line(raw, "hanzi_simplified"), who, "hanzi_simplified is the same as hanzi: leave it out")

    if raw["region"] not in m.REGIONS:
        probs.add(_line(raw, "region"), who, f"unknown region {raw['region']!r}{_suggest(raw['region'], m.REGIONS)}")

    aliases = _check_text_list(probs, who, raw, "aliases", 0)
    ambiguous = _check_text_list(probs, who, raw, "ambiguous_aliases", 0) if "ambiguous_aliases" in raw else []
    actions = _check_text_list(probs, who, raw, "actions", 1)
    indications = _check_text_list(probs, who, raw, "indications", 2)

    modalities = raw["modalities"]
    if not modalities:
        probs.add(_line(raw, "modalities"), who, "modalities must name at least one")
    for mod in modalities:
        if mod not in m.MODALITIES:
            probs.add(_line(raw, "modalities"), who, f"unknown modality {_shown(mod)}{_suggest(mod, m.MODALITIES)}")
    if len({_shown(x) for x in modalities}) != len(modalities):
        probs.add(_line(raw, "modalities"), who, "modalities lists one twice")

    needling = _check_needling(raw, who, probs, source_ids)
    categories = _check_categories(raw, who, probs)
    cautions = _check_cautions(raw, who, probs, source_ids)

    kinds = [c["kind"] for c in categories]
    element = raw.get("element")
    transporting = [k for k in kinds if k in m.TRANSPORTING]
    if element is not None and element not in m.ELEMENTS:
        probs.add(_line(raw, "element"), who, f"unknown element {_shown(element)}{_suggest(element, m.ELEMENTS)}")
    if transporting and element is None:
        probs.add(_line(raw, "categories"), who, f"a {transporting[0]} point needs its element")
    if element is not None and not transporting:
        probs.add(_line(raw, "element"), who, "element belongs only on the five transporting points")

    conditions: dict[str, list[str]] = {}
    for cond, refs in (raw.get("conditions") or {}).items():
        line = _line(raw, "conditions")
        if condition_codes is not None and cond not in condition_codes:
            probs.add(line, who, _unknown_condition(cond, condition_codes))
            continue
        if not isinstance(refs, list) or not refs:
            probs.add(line, who, f"conditions.{cond} must be a non-empty list of reference ids")
            continue
        good = []
        for ref in refs:
            if not isinstance(ref, str) or ref not in reference_ids:
                probs.add(line, who, f"unknown reference {_shown(ref)} under {cond}{_suggest(ref, reference_ids)}")
            elif reference_ids[ref]["condition"] != cond:
                probs.add(line, who, f"reference {ref!r} is about {reference_ids[ref]['condition']}, not {cond}")
            else:
                good.append(ref)
        conditions[cond] = good

    point: dict[str, Any] = {
        "code": code,
        "meridian": meridian,
        "number": number,
        "pinyin": pinyin,
        "hanzi": raw["hanzi"],
        "english": raw["english"],
        "region": raw["region"],
        "location": " ".join(raw["location"].split()),
        "needling": needling,
        "actions": actions,
        "indications": indications,
        "modalities": list(modalities),
        "bilateral": raw["bilateral"],
        "aliases": aliases,
        "categories": categories,
        "cautions": cautions,
        "conditions": conditions,
    }
    for key in ("hanzi_simplified", "element"):
        if raw.get(key) is not None:
            point[key] = raw[key]
    if ambiguous:
        point["ambiguous_aliases"] = ambiguous
    return point


def _check_needling(raw: dict[str, Any], who: str, probs: Problems, source_ids: set[str]) -> dict[str, Any]:
    n = raw["needling"]
    line = _line(raw, "needling")
    for key in n:
        if key not in NEEDLING_FIELDS:
            probs.add(_line(n, key), who, f"needling: unknown field {_shown(key)}{_suggest(key, NEEDLING_FIELDS)}")
    angle, depth, source = n.get("angle"), n.get("depth_cun"), n.get("source")
    if angle not in m.ANGLES:
        probs.add(
            _line(n, "angle") or line, who, f"needling.angle must be one of {', '.join(m.ANGLES)}, not {_shown(angle)}"
        )
    good_depth = (
        isinstance(depth, list)
        and len(depth) == 2
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in depth)
        and 0 <= depth[0] <= depth[1] <= 10
    )
    if not good_depth:
        probs.add(
            _line(n, "depth_cun") or line, who, f"needling.depth_cun must be [min, max] in cun, not {_shown(depth)}"
        )
        depth = [0, 0]
    elif (angle == "none") != (depth[1] == 0):
        probs.add(_line(n, "depth_cun") or line, who, "needling: depth [0, 0] goes with angle none, and only with it")
    if not isinstance(source, str) or source not in source_ids:
        probs.add(_line(n, "source") or line, who, f"needling.source {_shown(source)} is not in the safety sources")
    note = n.get("note")
    if "note" in n and not _text_ok(note):
        probs.add(_line(n, "note") or line, who, "needling.note must not be empty")
        note = None
    return {"angle": angle, "depth_cun": [float(x) for x in depth], "source": source, "note": note}


def _check_categories(raw: dict[str, Any], who: str, probs: Problems) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    line = _line(raw, "categories")
    for item in raw["categories"]:
        entry = {"kind": item} if isinstance(item, str) else item
        if not isinstance(entry, dict):
            probs.add(line, who, f"a category must be a name or a mapping with 'kind', not {describe(item)}")
            continue
        for key in entry:
            if key not in CATEGORY_FIELDS:
                probs.add(_line(entry, key) or line, who, f"category: unknown field {_shown(key)}")
        kind, of, partner = entry.get("kind"), entry.get("of"), entry.get("partner")
        if kind not in m.CATEGORIES:
            probs.add(_line(entry) or line, who, f"unknown category {_shown(kind)}{_suggest(kind, m.CATEGORIES)}")
            continue
        allowed = m.CATEGORY_OF.get(kind, ())
        if of is not None and of not in allowed:
            hint = f" (one of {', '.join(allowed)})" if allowed else " (this kind takes no 'of')"
            probs.add(_line(entry, "of") or line, who, f"{kind}: 'of' cannot be {_shown(of)}{hint}")
        if kind in ("back-shu", "front-mu", "lower-he-sea", "influential", "confluent") and of is None:
            probs.add(_line(entry) or line, who, f"{kind} must say what it is of (`of:`)")
        if (kind == "confluent") != (partner is not None):
            probs.add(_line(entry) or line, who, "a confluent point, and only one, names its partner")
        if [c["kind"] for c in out].count(kind) and of is None:
            probs.add(_line(entry) or line, who, f"category {kind} is listed twice")
        clean = {"kind": kind}
        if of is not None:
            clean["of"] = of
        if partner is not None:
            clean["partner"] = partner
        out.append(clean)
    return out


# A caution that rests on no listed source says so in its text, in these words, and cites nothing.
CONVENTIONAL = "conventional practice"
NO_SOURCE_MESSAGE = f"caution: sources is empty; a caution that cites no source must say {CONVENTIONAL!r} in its text"


def says_conventional(text: object) -> bool:
    """Whether a caution's text says it rests on conventional practice (the only leave to cite nothing)."""
    return isinstance(text, str) and CONVENTIONAL in " ".join(text.split()).casefold()


def _check_cautions(raw: dict[str, Any], who: str, probs: Problems, source_ids: set[str]) -> list[dict[str, Any]]:
    out = []
    line = _line(raw, "cautions")
    for c in raw["cautions"]:
        if not isinstance(c, dict):
            probs.add(line, who, f"a caution must be a mapping, not {describe(c)}")
            continue
        cl = _line(c) or line
        for key in c:
            if key not in CAUTION_FIELDS:
                probs.add(_line(c, key), who, f"caution: unknown field {_shown(key)}{_suggest(key, CAUTION_FIELDS)}")
        missing = CAUTION_REQUIRED - set(c)
        if missing:
            probs.add(cl, who, f"caution: missing {', '.join(sorted(missing))}")
            continue
        for key, vocab in (("kind", m.CAUTION_KINDS), ("basis", m.CAUTION_BASES), ("modality", m.CAUTION_MODALITIES)):
            if c[key] not in vocab:
                probs.add(_line(c, key), who, f"caution {key} {_shown(c[key])} is not one of {', '.join(vocab)}")
        sources = c["sources"]
        if not isinstance(sources, list):
            probs.add(_line(c, "sources"), who, "caution: sources must be a list of source ids")
            sources = []
        elif not sources and not says_conventional(c["text"]):
            probs.add(_line(c, "sources"), who, NO_SOURCE_MESSAGE)
        for s in sources:
            if not isinstance(s, str) or s not in source_ids:
                probs.add(_line(c, "sources"), who, f"caution: unknown source {_shown(s)}{_suggest(s, source_ids)}")
        for key in ("text", "structure", "context"):
            if key in c and not _text_ok(c[key]):
                probs.add(_line(c, key), who, f"caution: {key} must be non-empty text")
        entry = {k: c[k] for k in ("kind", "basis", "modality")}
        entry["text"] = " ".join(str(c["text"]).split())
        entry["sources"] = list(sources)
        for key in ("structure", "context"):
            if c.get(key) is not None:
                entry[key] = c[key]
        out.append(entry)
    return out


def _check_cross(
    clean: list[dict[str, Any]], raw_points: list[Any], probs: Problems, codes: set[str], reference_ids: dict[str, Any]
) -> None:
    """Checks across points: partners, aliases claimed twice, condition links both ways."""
    raw_by_code = {r["code"]: r for r in raw_points if isinstance(r, dict) and isinstance(r.get("code"), str)}
    for p in clean:
        raw = raw_by_code.get(p["code"], {})
        for c in p["categories"]:
            if c.get("partner") and c["partner"] not in codes:
                probs.add(
                    _line(raw, "categories"),
                    p["code"],
                    f"confluent partner {_shown(c['partner'])} is not in the catalog",
                )

    # An alias (or English name) two points claim must be marked ambiguous on both.
    claims: dict[str, list[tuple[str, bool]]] = {}
    for p in clean:
        names = [(p["english"], False)] + [(a, False) for a in p["aliases"]]
        names += [(a, True) for a in p.get("ambiguous_aliases", [])]
        for name, marked in names:
            key = codes_mod.name_key(name)
            if key:
                claims.setdefault(key, []).append((p["code"], marked))
    for key, owners in claims.items():
        owner_codes = {c for c, _ in owners}
        if len(owner_codes) > 1:
            for code, marked in owners:
                if not marked:
                    others = ", ".join(sorted(owner_codes - {code}))
                    probs.add(
                        _line(raw_by_code.get(code, {}), "aliases"),
                        code,
                        f"name {key!r} is also claimed by {others}; list it under ambiguous_aliases on each",
                    )

    # Conditions: a point cites exactly the references whose studies named it.
    named_by: dict[str, dict[str, set[str]]] = {}
    for ref_id, ref in reference_ids.items():
        if not isinstance(ref["condition"], str):
            continue  # reported with the reference
        for code in ref.get("codes") or []:
            if isinstance(code, str):
                named_by.setdefault(code, {}).setdefault(ref["condition"], set()).add(ref_id)
    for p in clean:
        raw = raw_by_code.get(p["code"], {})
        have = {cond: set(refs) for cond, refs in p["conditions"].items()}
        want = named_by.get(p["code"], {})
        for cond in sorted(set(have) | set(want)):
            extra = have.get(cond, set()) - want.get(cond, set())
            missing = want.get(cond, set()) - have.get(cond, set())
            line = _line(raw, "conditions") or _line(raw)
            for ref in sorted(extra):
                if ref in reference_ids and reference_ids[ref]["condition"] == cond:
                    probs.add(
                        line, p["code"], f"conditions.{cond} cites {ref}, but that study does not name this point"
                    )
            for ref in sorted(missing):
                probs.add(line, p["code"], f"conditions.{cond} is missing {ref}, whose study names this point")


def check_references(data: Any, probs: Problems, condition_codes: Collection[str] | None) -> dict[str, dict[str, Any]]:
    """Check the parsed references file; `condition_codes` are those conditions.yaml declares
    (None: that file is unusable, and says so itself)."""
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(data, list):
        probs.add(1, "file", "the references file must be a list of references")
        return out
    for i, ref in enumerate(data, 1):
        if not isinstance(ref, dict):
            probs.add(0, f"reference #{i}", "each reference must be a mapping")
            continue
        who = _who(ref.get("id"), f"reference #{i}")
        bad = False
        for key in ref:
            if key not in REFERENCE_FIELDS:
                probs.add(_line(ref, key), who, f"unknown field {_shown(key)}{_suggest(key, REFERENCE_FIELDS)}")
        for key in REFERENCE_REQUIRED:
            if ref.get(key) in (None, ""):
                probs.add(_line(ref), who, f"missing field {key!r}")
                bad = True
        if bad:
            continue
        cond = ref["condition"]
        if condition_codes is not None and (not isinstance(cond, str) or cond not in condition_codes):
            probs.add(_line(ref, "condition"), who, _unknown_condition(cond, condition_codes))
        if ref.get("verdict") not in m.VERDICTS:
            probs.add(_line(ref, "verdict") or _line(ref), who, f"verdict must be one of {', '.join(m.VERDICTS)}")
        _check_evidence_class(ref, who, probs)
        if not (ref.get("doi") or ref.get("pmid") or ref.get("volume_pages")):
            probs.add(_line(ref), who, "a reference needs a DOI, a PMID or journal volume and pages")
        if who in out:
            probs.add(_line(ref, "id"), who, "duplicate reference id")
        for key in ("codes", "uncertain_codes"):
            listed = ref.get(key)
            if listed is not None and not isinstance(listed, list):
                probs.add(_line(ref, key), who, f"{key} must be a list of WHO codes, not {describe(listed)}")
                ref[key] = []  # checked: what follows reads a list
                continue
            for code in listed or []:
                if not isinstance(code, str) or not codes_mod.who_code_match(code):
                    probs.add(_line(ref, key), who, f"{key}: {_shown(code)} is not a WHO code")
        out[who] = ref
    return out


def _check_evidence_class(ref: dict[str, Any], who: str, probs: Problems) -> None:
    """applied (a list), comparator and result: what the ranking needs to count a study honestly.
    Optional while a catalog of one's own has no such data; the shipped one has it for every study."""
    from .vocab import Applied, Comparator, ResultClass, values

    applied = ref.get("applied")
    if applied is not None:
        if not isinstance(applied, list) or not applied:
            probs.add(_line(ref, "applied"), who, "applied must be a list, e.g. [needling, electroacupuncture]")
        else:
            for a in applied:
                if a not in values(Applied):
                    hint = _suggest(str(a), values(Applied))
                    probs.add(_line(ref, "applied"), who, f"applied: unknown {_shown(a)}{hint}")
    for key, enum in (("comparator", Comparator), ("result", ResultClass)):
        v = ref.get(key)
        if v is not None and v not in values(enum):
            probs.add(_line(ref, key), who, f"{key} must be one of {', '.join(values(enum))}, not {_shown(v)}")


def check_reference_codes(references: dict[str, dict[str, Any]], codes: set[str], probs: Problems) -> None:
    """Every point a reference names must be in the catalog (once the catalog is whole)."""
    for ref_id, ref in references.items():
        for key in ("codes", "uncertain_codes"):
            for code in ref.get(key) or []:
                if isinstance(code, str) and code not in codes:
                    probs.add(_line(ref, key), ref_id, f"{key}: {code} is not in the catalog")


def check_sources(data: Any, probs: Problems) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(data, list):
        probs.add(1, "file", "the sources file must be a list of sources")
        return out
    for i, src in enumerate(data, 1):
        if not isinstance(src, dict) or not _text_ok(src.get("id")) or not _text_ok(src.get("cite")):
            probs.add(_line(src) if isinstance(src, dict) else 0, f"source #{i}", "each source needs an id and a cite")
            continue
        if not isinstance(src["id"], str):
            probs.add(_line(src, "id"), f"source #{i}", f"id must be text, not {describe(src['id'])}")
            continue
        if src["id"] in out:
            probs.add(_line(src, "id"), src["id"], "duplicate source id")
        out[src["id"]] = src
    return out


# -- conditions.yaml ------------------------------------------------------------------------------
def _unknown_condition(cond: object, declared: Collection[str]) -> str:
    hint = _suggest(cond, declared) or f" (conditions.yaml declares {', '.join(declared) or 'none'})"
    return f"unknown condition {_shown(cond)}{hint}"


def condition_codes(data: Any) -> dict[str, int] | None:
    """The codes conditions.yaml declares (with their lines), read before anything else is checked:
    the points and the references may name only these. None when the file has no list of
    conditions at all: that is its own problem, not one for every point that names a condition."""
    items = data.get("conditions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    out: dict[str, int] = {}
    for c in items:
        code = c.get("code") if isinstance(c, dict) else None
        if isinstance(code, str) and _CONDITION_CODE.fullmatch(code):
            out.setdefault(code, _line(c, "code"))
    return out


def _check_fields(
    probs: Problems, who: str, obj: Mapping[str, Any], where: str, fields: Mapping[str, type], required: Collection[str]
) -> bool:
    """Unknown, missing and wrongly typed fields of one mapping; True if its fields are usable."""
    ok = True
    prefix = f"{where}: " if where else ""
    for key in obj:
        if key not in fields:
            probs.add(_line(obj, key), who, f"{prefix}unknown field {_shown(key)}{_suggest(key, fields)}")
    for key, typ in fields.items():
        if key not in obj:
            if key in required:
                probs.add(_line(obj), who, f"{prefix}missing field {key!r}")
                ok = False
            continue
        value = obj[key]
        if not _is(value, typ):
            probs.add(_line(obj, key), who, f"{prefix}{key} must be {_type_name(typ)}, not {describe(value)}")
            ok = False
        elif typ is str and not _text_ok(value):
            probs.add(_line(obj, key), who, f"{prefix}{key} must not be empty or a placeholder")
            ok = False
    return ok


def check_conditions(
    data: Any,
    probs: Problems,
    references: Mapping[str, Mapping[str, Any]],
    source_ids: Collection[str],
    *,
    check_references: bool = True,
    check_sources: bool = True,
) -> dict[str, dict[str, Any]]:
    """Check the parsed conditions file; returns each condition by code as plain data.

    A claim's `cites` and a caution's `references` must be studies of that same condition, and a
    caution's `sources` entries of the safety sources. The shipped conditions.yaml read beside a
    private catalog's own references or sources cannot be held to those (its studies need not be
    there): then `check_references` / `check_sources` is False, and an id that is not there is
    left out of the result, so nothing downstream cites what the catalog does not hold.
    """
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(data, dict):
        probs.add(1, "file", f"the top level must be a mapping with a 'conditions' list, not {describe(data)}")
        return out
    for key in data:
        if key != "conditions":
            probs.add(_line(data, key), "file", f"unknown top-level field {_shown(key)}{_suggest(key, ['conditions'])}")
    items = data.get("conditions")
    if not isinstance(items, list) or not items:
        shown = "missing" if "conditions" not in data else describe(items)
        probs.add(_line(data, "conditions") or 1, "file", f"'conditions' must be a list of conditions, not {shown}")
        return out

    def known_ids(who: str, obj: Mapping[str, Any], key: str, code: str, is_ref: bool) -> list[str]:
        """The ids listed under obj[key] that resolve; a problem for each that does not."""
        good: list[str] = []
        for i in obj.get(key) or []:
            if is_ref:
                study = references.get(i) if isinstance(i, str) else None
                if study is None:
                    if check_references:
                        probs.add(_line(obj, key), who, f"unknown reference {_shown(i)}{_suggest(i, references)}")
                    continue
                if study.get("condition") != code:
                    probs.add(_line(obj, key), who, f"{i} is a study of {study.get('condition')}, not of {code}")
                    continue
            elif not isinstance(i, str) or i not in source_ids:
                if check_sources:
                    probs.add(_line(obj, key), who, f"caution: unknown source {_shown(i)}{_suggest(i, source_ids)}")
                continue
            good.append(i)
        return good

    first_line: dict[str, int] = {}
    for n, c in enumerate(items, 1):
        if not isinstance(c, dict):
            probs.add(
                _line(data, "conditions"), f"condition #{n}", f"each condition must be a mapping, not {describe(c)}"
            )
            continue
        who = _who(c.get("code"), f"condition #{n}")
        # every field is checked even when another is wrong, so all problems come at once
        fields_ok = _check_fields(probs, who, c, "", {**CONDITION_FIELDS, **CONDITION_OPTIONAL}, CONDITION_FIELDS)
        code = who  # the code itself when it is text
        if who == c.get("code") and not _CONDITION_CODE.fullmatch(code):
            probs.add(_line(c, "code"), who, "code must be capital letters and digits, such as DPN or CIPN")
            fields_ok = False
        if code in first_line:
            probs.add(_line(c, "code"), who, f"duplicate condition (first at line {first_line[code]})")
            continue
        first_line[code] = _line(c, "code")

        regions: list[str] = []
        given = c.get("regions")
        if isinstance(given, list) and not given:
            probs.add(_line(c, "regions"), who, "regions must name at least one region where it is felt")
        for r in given if isinstance(given, list) else ():
            if isinstance(r, str) and r in m.REGIONS:
                regions.append(r)
            else:
                probs.add(_line(c, "regions"), who, f"unknown region {_shown(r)}{_suggest(r, m.REGIONS)}")

        numb: list[str] = []
        for r in c.get("reduced_sensation") or () if isinstance(c.get("reduced_sensation"), list) else ():
            if isinstance(r, str) and r in m.REGIONS:
                numb.append(r)
            else:
                probs.add(_line(c, "reduced_sensation"), who, f"unknown region {_shown(r)}{_suggest(r, m.REGIONS)}")

        evidence = c.get("evidence")
        details: list[dict[str, Any]] = []
        if isinstance(evidence, dict) and _check_fields(
            probs, who, evidence, "evidence", EVIDENCE_FIELDS, EVIDENCE_FIELDS
        ):
            for d in evidence["details"]:
                if not isinstance(d, dict):
                    probs.add(
                        _line(evidence, "details"), who, f"evidence: a detail must be a mapping, not {describe(d)}"
                    )
                    continue
                if not _check_fields(probs, who, d, "evidence", DETAIL_FIELDS, DETAIL_FIELDS):
                    continue
                if not d["cites"]:
                    probs.add(_line(d, "cites"), who, "evidence: every claim cites the references it rests on")
                    continue
                cites = known_ids(who, d, "cites", code, is_ref=True)
                if cites:  # a claim whose studies are all absent (see above) is left out
                    details.append({"text": d["text"], "cites": cites})

        cautions: list[dict[str, Any]] = []
        given = c.get("cautions")
        for k in given if isinstance(given, list) else ():
            if not isinstance(k, dict):
                probs.add(_line(c, "cautions"), who, f"caution: a caution must be a mapping, not {describe(k)}")
                continue
            if not _check_fields(probs, who, k, "caution", CONDITION_CAUTION_FIELDS, CONDITION_CAUTION_REQUIRED):
                continue
            if not _KIND_WORD.fullmatch(k["kind"]):
                probs.add(_line(k, "kind"), who, f"caution: kind {_shown(k['kind'])} must be a word such as burns")
            if not k.get("sources") and not k.get("references"):
                if "sources" not in k:
                    probs.add(_line(k), who, "caution: needs its sources or references")
                    continue
                if not says_conventional(k["text"]):
                    probs.add(_line(k, "sources"), who, NO_SOURCE_MESSAGE)
                    continue
            caution: dict[str, Any] = {"kind": k["kind"], "text": k["text"]}
            for key, is_ref in (("sources", False), ("references", True)):
                if key in k:
                    caution[key] = known_ids(who, k, key, code, is_ref)
            cautions.append(caution)

        if not fields_ok:
            continue
        entry: dict[str, Any] = {key: c[key] for key in CONDITION_FIELDS}
        entry.update(regions=regions, evidence={"direction": c["evidence"].get("direction"), "details": details})
        entry["cautions"] = cautions
        entry["reduced_sensation"] = numb
        advice = c.get("patient") or []
        if isinstance(advice, list) and not all(isinstance(a, str) and a.strip() for a in advice):
            probs.add(_line(c, "patient"), who, "patient must be a list of lines of text")
        entry["patient"] = (
            [" ".join(a.split()) for a in advice if isinstance(a, str)] if isinstance(advice, list) else []
        )
        out[code] = entry
    return out


# -- the catalog as a whole ----------------------------------------------------------------------
def check_catalog(points_path: Path, blobs: Mapping[str, tuple[Path, bytes]]) -> dict[str, Any]:
    """Read and check the catalog's four files ("points", "references", "sources", "conditions":
    (path, bytes) each) and every reference between them; returns the clean plain data, or raises
    CatalogError listing every problem found."""
    parsed: dict[str, Any] = {}
    problems: list[str] = []
    probs_by_file: dict[str, Problems] = {}
    for name, (path, raw) in blobs.items():
        probs = probs_by_file[name] = Problems(_store.display(path))
        try:
            data, dupes = _store.parse(raw, path)
        except CatalogError as exc:
            problems += exc.problems
            continue
        for line, message in dupes:
            probs.add(line, "file", message)
        parsed[name] = data
    if problems:
        raise CatalogError(problems)

    def together(a: str, b: str) -> bool:
        return blobs[a][0].parent == blobs[b][0].parent

    declared = condition_codes(parsed["conditions"])
    sources = check_sources(parsed["sources"], probs_by_file["sources"])
    references = check_references(parsed["references"], probs_by_file["references"], declared)
    conditions = check_conditions(
        parsed["conditions"],
        probs_by_file["conditions"],
        references,
        set(sources),
        check_references=together("conditions", "references"),
        check_sources=together("conditions", "sources"),
    )
    points = check_points(parsed["points"], probs_by_file["points"], references, set(sources), declared)
    # A study must name points of the catalog it ships with; a private catalog read with the
    # shipped references need not hold every point those studies used.
    if points and together("references", "points"):
        check_reference_codes(references, {p["code"] for p in points}, probs_by_file["references"])
    for probs in probs_by_file.values():
        problems += probs.sorted()
    if problems:
        raise CatalogError(problems)
    if not points:
        raise CatalogError([f"{_store.display(points_path)}: file: the catalog has no points"])
    data_version = parsed["points"].get("data_version") if isinstance(parsed["points"], dict) else None
    return {
        "points": points,
        "references": _store.plain(references),
        "sources": _store.plain(sources),
        "conditions": _store.plain(conditions),
        "data_version": str(data_version) if data_version is not None else None,
    }


def check_positions(path: Path, bilateral: dict[str, bool] | None = None, *, strict: bool = True) -> Positions:
    """Check positions.yaml: every place resolves onto the body, and (with the catalog's points,
    code -> bilateral) names only points of the catalog. Raises CatalogError listing every problem.
    The check is the resolving itself, so it lives with the geometry; this is its door here."""
    from .map.positions import load_positions

    return load_positions(path, bilateral, strict=strict, cache=False)


def check_plain_locations(
    data: Any, codes: Collection[str], filename: str, *, strict: bool = True
) -> tuple[dict[str, str], list[str]]:
    """plain-locations.yaml: `locations:` mapping each point code to one line of plain words.
    Returns the locations and the problems (`FILE:LINE: CODE: message`)."""
    probs = Problems(filename)
    out: dict[str, str] = {}
    items = data.get("locations") if isinstance(data, dict) else None
    if not isinstance(items, dict):
        probs.add(1, "file", "expected a mapping with a 'locations' mapping of point codes to text")
        return out, probs.sorted()
    for code, text in items.items():
        line = _line(items, code)
        if code not in codes:
            if strict:
                probs.add(line, str(code), f"not a point of the catalog{_suggest(str(code), codes)}")
        elif not isinstance(text, str) or not text.strip():
            probs.add(line, str(code), "the location must be one line of text")
        else:
            out[code] = " ".join(text.split())
    return out, probs.sorted()


def check_synonyms(data: Any, filename: str) -> tuple[list[list[str]], list[str]]:
    """synonyms.yaml: `groups:`, a list of groups, each a list of at least two phrases."""
    probs = Problems(filename)
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        probs.add(1, "file", "expected a mapping with a 'groups' list of synonym groups")
        return [], probs.sorted()
    out = []
    for i, g in enumerate(groups, 1):
        if not isinstance(g, list) or len(g) < 2 or not all(isinstance(t, str) and t.strip() for t in g):
            probs.add(_line(data, "groups"), f"group {i}", "a group is a list of at least two words or phrases")
            continue
        out.append([str(t) for t in g])
    includes = data.get("includes") or {}
    if not isinstance(includes, dict):
        probs.add(_line(data, "includes"), "includes", "includes maps a word to a list of narrower words")
        includes = {}
    for broad, narrow in includes.items():
        if not isinstance(narrow, list) or not narrow or not all(isinstance(t, str) and t.strip() for t in narrow):
            probs.add(_line(includes, broad), str(broad), "a word includes a list of at least one narrower word")
            continue
        out.append([">", str(broad), *[str(t) for t in narrow]])  # ">" marks a one-way group
    return out, probs.sorted()
