"""Drill questions for students: code to name, name to code, location to code, categories.

The quiz only makes questions and marks answers; the CLI asks them. Any spelling the name
resolver accepts counts as right (st-36, Zusanli, 足三里, Leg Three Miles).
"""

from __future__ import annotations

import random
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
    pool = list(points)
    rng.shuffle(pool)
    out: list[Question] = []
    i = 0
    while len(out) < count:
        p = pool[i % len(pool)]
        i += 1
        kind = rng.choice(kinds)
        if kind == "category":
            prompts = [q for c in p.categories if (q := _category_prompt(p, c))]
            # a question must have one answer: leave out any another point also fits
            prompts = [q for q in prompts if _only_answer(catalog, q, p.code)]
            if not prompts:
                kind = "name-to-code"
            else:
                out.append(Question("category", rng.choice(prompts), p.code))
                continue
        if kind == "code-to-name":
            out.append(Question(kind, f"What is the name of {p.code}? (pinyin, characters or English)", p.code))
        elif kind == "name-to-code":
            out.append(Question(kind, f"Which point is {p.pinyin} ({p.hanzi}, {p.english})? Give its code.", p.code))
        else:
            out.append(Question("location-to-code", f"Which point is this? {p.location}", p.code))
        if i > count * 50:  # pragma: no cover - guards against a pool that cannot fill the count
            break
    return out


def _only_answer(catalog: Any, prompt: str, code: str) -> bool:
    others = 0
    for p in catalog:
        for c in p.categories:
            if _category_prompt(p, c) == prompt and p.code != code:
                others += 1
    return others == 0


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
