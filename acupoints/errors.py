"""Errors and exit codes: cheap to import, so the CLI can map failures without loading the model."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Point

NOTICE = "A reference, not medical advice: needling and moxibustion belong in trained hands."


class ExitCode(IntEnum):
    OK = 0
    DATA = 1
    USAGE = 2
    INTERRUPTED = 130


class AcupointsError(Exception):
    """Base of every error the domain raises; the CLI maps each to one line and an exit code."""

    exit_code = ExitCode.DATA


class UsageError(AcupointsError):
    """Something the user typed cannot be used (an unknown vocabulary value, a bad option)."""

    exit_code = ExitCode.USAGE


class _NoPoint(KeyError):
    """A lookup that found no one point is a KeyError too, so `catalog[text]` fails as a mapping
    does; its message is the sentence, not KeyError's quoted repr of it."""

    __str__ = BaseException.__str__


class UnknownPointError(UsageError, _NoPoint):
    def __init__(self, text: str, suggestions: tuple[str, ...] = ()) -> None:
        self.text = text
        self.suggestions = suggestions
        msg = f"no point {text!r}"
        if suggestions:
            msg += f"; did you mean {_or_list(suggestions)}?"
        super().__init__(msg)


class AmbiguousPointError(UsageError, _NoPoint):
    def __init__(self, text: str, candidates: tuple[Point, ...]) -> None:
        self.text = text
        self.candidates = candidates
        named = _and_list(tuple(f"{p.code} ({p.pinyin} {p.hanzi}, {p.english})" for p in candidates))
        super().__init__(f"{text!r} names {len(candidates)} points: {named}; give a code to pick one")


class CatalogError(AcupointsError):
    """The catalog file cannot be read or does not validate; `problems` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = problems[0] if len(problems) == 1 else f"{len(problems)} problems in the catalog"
        super().__init__(head)


class OutputError(AcupointsError):
    """An output file cannot be written (exists without --force, or the folder is missing)."""


def _or_list(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _and_list(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
