"""Drill questions for students: code to name, name to code, location to code, categories.

The quiz only makes questions and marks answers; the CLI asks them. Any spelling the name
resolver accepts counts as right (st-36, Zusanli, 足三里, Leg Three Miles).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

from . import model as m

KINDS = ("code-to-name", "name-to-code", "location-to-code", "category")


@dataclass(frozen=True)
class Question:
    kind: str
    prompt: str
    code: str  # the point that answers it

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "prompt": self.prompt, "answer": self.code}


def _category_prompt(p: m.Point, c: m.Category) -> str | None:
    """A category question with exactly one answer, or None."""
    name = m.MERIDIANS[p.meridian].split(" (")[0]
    if c.kind in ("back-shu", "front-mu", "lower-he-sea") and c.of:
        return f"Which point is the {c.kind} point of the {c.of.replace('-', ' ')}?"
    if c.kind == "influential" and c.of:
        return f"Which point is the influential point of the {c.of.replace('-', ' ')}?"
    if c.kind == "confluent" and c.of:
        return f"Which point is the confluent point of the {c.of} vessel?"
    if c.of:  # luo or xi-cleft of an extra vessel: named by what it serves
        return f"Which point is the {c.kind} point of {c.of.replace('-', ' ')}?"
    if p.meridian in m.CHANNELS:
        return f"Which point is the {c.kind} point of the {name} channel?"
    return None


def make_questions(
    catalog: Any, points: list[m.Point], count: int, seed: int | None, kinds: tuple[str, ...] = KINDS
) -> list[Question]:
    """`count` questions about these points, the same ones for the same seed."""
    if not points:
        raise m.UsageError("no points match those filters: nothing to ask")
    rng = random.Random(seed)
    # only the kinds asked for; a point that cannot give one of them (no category with a single
    # answer) is left out rather than asked about in another way
    fits = Counter(q for p in catalog for c in p.categories if (q := _category_prompt(p, c)))
    usable: list[tuple[m.Point, list[str], list[str]]] = []
    for p in points:
        prompts = [q for c in p.categories if (q := _category_prompt(p, c)) and fits[q] == 1]
        ok = [k for k in kinds if k != "category" or prompts]
        if ok:
            usable.append((p, ok, prompts))
    if not usable:
        raise m.UsageError("none of these points can be asked about in that way: nothing to ask")
    rng.shuffle(usable)
    out: list[Question] = []
    for i in range(count):
        p, ok, prompts = usable[i % len(usable)]
        kind = rng.choice(ok)
        if kind == "category":
            out.append(Question("category", rng.choice(prompts), p.code))
        elif kind == "code-to-name":
            out.append(Question(kind, f"What is the name of {p.code}? (pinyin, characters or English)", p.code))
        elif kind == "name-to-code":
            out.append(Question(kind, f"Which point is {p.pinyin} ({p.hanzi}, {p.english})? Give its code.", p.code))
        else:
            out.append(Question("location-to-code", f"Which point is this? {p.location}", p.code))
    return out


def is_right(catalog: Any, question: Question, answer: str) -> bool:
    """Any spelling that names the point counts; an answer that could mean several points counts
    when the right one is among them (Futu for ST32 is right: the student knew the name)."""
    answer = answer.strip()
    if not answer:
        return False
    return question.code in {p.code for p in catalog.resolve(answer)}


def key_facts(p: m.Point) -> str:
    cats = ", ".join(c.describe() for c in p.categories)
    return f"{p.code} {p.pinyin} {p.hanzi} ({p.english}); {p.region}" + (f"; {cats}" if cats else "")
