"""Patient flags, declared once.

Each field of `Flags` carries its option, its help and what it rules out. The CLI builds its
options from these fields, the saved prescription's `flags:` mapping is read and checked
against them, and the README's list is tested against them: a new flag is one new field here
and its rule in the rule engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from ._many import OneOrMany, many
from .errors import UsageError

if TYPE_CHECKING:
    from .records import FlagsRecord

LIMBS: dict[str, tuple[str, str]] = {
    "left-arm": ("left", "upper-limb"),
    "right-arm": ("right", "upper-limb"),
    "left-leg": ("left", "lower-limb"),
    "right-leg": ("right", "lower-limb"),
}


def parse_limb(text: str) -> str:
    """'left arm', 'Left_Arm', 'arm-left' -> 'left-arm'; UsageError for anything else."""
    if not isinstance(text, str):
        raise UsageError(f"a limb is written as text: one of {', '.join(LIMBS)}")
    key = text.strip().lower().replace(" ", "-").replace("_", "-")
    key = {"arm-left": "left-arm", "arm-right": "right-arm", "leg-left": "left-leg", "leg-right": "right-leg"}.get(
        key, key
    )
    if key not in LIMBS:
        raise UsageError(f"unknown limb {text!r}; use one of {', '.join(LIMBS)}")
    return key


class FlagSpec(NamedTuple):
    name: str  # the field, and the key in a saved prescription's flags
    option: str  # the command-line option
    help: str
    excludes: str  # what the flag rules out, in a sentence (README, help)
    limbs: bool  # False: a yes/no flag; True: a list of limbs
    patient: str  # what the patient's handout says when the flag is raised ({limb} for a limb)


def _flag(option: str, help: str, excludes: str, patient: str) -> Any:
    return field(default=False, metadata={"option": option, "help": help, "excludes": excludes, "patient": patient})


@dataclass(frozen=True, init=False)
class Flags:
    """What the practitioner knows about the patient that changes which points may be used.

    The yes/no flags take True or False and nothing else (`pregnant="no"` is refused, not read as
    pregnant); `lymphoedema` takes the limbs in their documented forms, one or many:
    `Flags(lymphoedema="left-arm")`, `"left arm, right-leg"`, `["left-arm", Limb.RIGHT_LEG]`.
    Immutable, compared and hashed by value.
    """

    pregnant: bool = _flag(
        "--pregnant",
        "The patient is pregnant.",
        "points that tradition forbids in pregnancy, and the lower abdomen and lumbosacral region (WHO 1999)",
        "Because you are pregnant, points that tradition advises against in pregnancy, and your belly and lower "
        "back, are left out.",
    )
    pacemaker: bool = _flag(
        "--pacemaker",
        "Any implanted electronic device (pacemaker, defibrillator).",
        "all electroacupuncture",
        "Because you have a pacemaker or another implanted device, no electrical current is used.",
    )
    anticoagulants: bool = _flag(
        "--anticoagulants",
        "Takes anticoagulants, or has a bleeding disorder.",
        "points beside a major vessel, and cupping",
        "Because you take blood thinners (or bleed easily), treatment is kept gentle, points near large blood "
        "vessels are left out, and small bruises are more likely.",
    )
    lymphoedema: tuple[str, ...] = field(
        default=(),
        metadata={
            "option": "--lymphoedema",
            "help": "A limb with or at risk of lymphoedema: left-arm, right-arm, left-leg, right-leg (repeatable).",
            "excludes": "every point on that limb, and pairs on it",
            "patient": "Nothing is done on your {limb}, to protect it from swelling.",
        },
    )
    diabetic_foot: bool = _flag(
        "--diabetic-foot",
        "A neuropathic diabetic foot.",
        "points on the foot, and moxibustion on the legs and feet",
        "Nothing is done on your feet, which heal slowly and may not feel an injury; please look at them every day.",
    )
    low_platelets: bool = _flag(
        "--low-platelets",
        "A low platelet count.",
        "points beside a major vessel, and cupping",
        "Because your platelet count is low, treatment is kept gentle; please tell us your latest blood count "
        "before each session.",
    )

    def __init__(
        self,
        *,
        pregnant: bool = False,
        pacemaker: bool = False,
        anticoagulants: bool = False,
        lymphoedema: OneOrMany = (),
        diabetic_foot: bool = False,
        low_platelets: bool = False,
    ) -> None:
        # one argument a field (a test holds them to the fields): the limbs as their canonical names,
        # each once; a yes/no flag only as a bool
        given: dict[str, Any] = {
            "pregnant": pregnant,
            "pacemaker": pacemaker,
            "anticoagulants": anticoagulants,
            "lymphoedema": lymphoedema,
            "diabetic_foot": diabetic_foot,
            "low_platelets": low_platelets,
        }
        for s in specs():
            value = given[s.name]
            if s.limbs:
                limbs = many(value, s.name)
                value = tuple(dict.fromkeys(parse_limb(x) for x in limbs))
            elif not isinstance(value, bool):
                raise UsageError(f"{s.name} is True or False, not {value!r}")
            object.__setattr__(self, s.name, value)

    def to_dict(self) -> FlagsRecord:
        """The flags as a prescription saves them: name -> true or false, or the list of limbs."""
        out = {s.name: (list(v) if isinstance(v := getattr(self, s.name), tuple) else v) for s in specs()}
        return cast("FlagsRecord", out)

    def merged(self, other: Flags) -> Flags:
        """Both sets of flags: a flag raised in either holds."""
        values: dict[str, Any] = {}
        for s in specs():
            a, b = getattr(self, s.name), getattr(other, s.name)
            values[s.name] = tuple(dict.fromkeys(a + b)) if s.limbs else (a or b)
        return Flags(**values)

    def for_patient(self) -> list[str]:
        """What each raised flag changes, in the patient's words."""
        out = []
        for s in specs():
            value = getattr(self, s.name)
            if s.limbs:
                out += [s.patient.format(limb=v.replace("-", " ")) for v in value]
            elif value:
                out.append(s.patient)
        return out

    def names(self) -> list[str]:
        """The flags raised, as options without dashes: ['pregnant', 'lymphoedema left-arm']."""
        out = []
        for k, v in self.to_dict().items():
            if v:
                out.append(k.replace("_", "-") + (f" {', '.join(v)}" if isinstance(v, list) else ""))
        return out

    @property
    def any(self) -> bool:
        return any(self.to_dict().values())

    @classmethod
    def from_mapping(cls, data: object) -> Flags:
        """Flags from a saved prescription's mapping; UsageError naming the key for anything
        that is not exactly a flag's type (`pregnant: "no"` is not read as pregnant)."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise UsageError("flags: expected a mapping of flag names to values")
        by_name = {s.name: s for s in specs()}
        values: dict[str, Any] = {}
        for key, value in data.items():
            spec = by_name.get(key)
            if spec is None:
                raise UsageError(f"flags: unknown flag {key!r}; flags are {', '.join(by_name)}")
            if spec.limbs:
                if value is None:
                    value = []
                if not isinstance(value, list):
                    raise UsageError(f"flags: {key} must be a list of limbs, e.g. [left-arm]")
                values[key] = tuple(parse_limb(x) for x in value)
            else:
                if not isinstance(value, bool):
                    raise UsageError(f"flags: {key} must be true or false, not {value!r}")
                values[key] = value
        return cls(**values)


def specs() -> tuple[FlagSpec, ...]:
    """Every flag, in the order options are listed."""
    return tuple(
        FlagSpec(
            f.name,
            f.metadata["option"],
            f.metadata["help"],
            f.metadata["excludes"],
            isinstance(f.default, tuple),
            f.metadata["patient"],
        )
        for f in fields(Flags)
    )
