"""The closed vocabularies, as enums: what a value may be is declared once, here.

The catalog stores plain strings (JSON, YAML and the cache stay plain data); these enums are
what the code compares them with, and what the validator, the CLI's completion and `vocab`
list. Conditions are not here: they are data (data/conditions.yaml), so that adding one needs
no code.
"""

from __future__ import annotations

from enum import StrEnum


class Modality(StrEnum):
    MANUAL = "manual"
    ELECTRO = "electro"
    MOXIBUSTION = "moxibustion"
    ACUPRESSURE = "acupressure"
    CUPPING = "cupping"


class Region(StrEnum):
    """Every body region; model.REGION_TREE says which region holds which."""

    HEAD_NECK = "head-neck"
    HEAD = "head"
    FACE = "face"
    NECK = "neck"
    TRUNK = "trunk"
    CHEST = "chest"
    ABDOMEN = "abdomen"
    BACK = "back"
    UPPER_BACK = "upper-back"
    LOWER_BACK = "lower-back"
    PERINEUM = "perineum"
    UPPER_LIMB = "upper-limb"
    SHOULDER = "shoulder"
    AXILLA = "axilla"
    UPPER_ARM = "upper-arm"
    ELBOW = "elbow"
    FOREARM = "forearm"
    WRIST = "wrist"
    HAND = "hand"
    LOWER_LIMB = "lower-limb"
    HIP = "hip"
    THIGH = "thigh"
    KNEE = "knee"
    LOWER_LEG = "lower-leg"
    ANKLE = "ankle"
    FOOT = "foot"


class CautionKind(StrEnum):
    PREGNANCY = "pregnancy"
    PNEUMOTHORAX = "pneumothorax"
    VESSEL = "vessel"
    NERVE = "nerve"
    ORGAN = "organ"
    EYE = "eye"
    CNS = "cns"
    NO_MOXIBUSTION = "no-moxibustion"
    NO_NEEDLING = "no-needling"
    OTHER = "other"


class CautionBasis(StrEnum):
    TRADITIONAL = "traditional"
    ANATOMICAL = "anatomical"
    DEVICE = "device"
    EVIDENCE = "evidence"


class CautionModality(StrEnum):
    NEEDLE = "needle"
    MOXIBUSTION = "moxibustion"
    ELECTRO = "electro"
    CUPPING = "cupping"
    BLEEDING = "bleeding"
    ANY = "any"


class Verdict(StrEnum):
    """What a study says for acupuncture, so that negative and inconclusive results are never hidden."""

    POSITIVE = "positive"
    MIXED = "mixed"
    NEGATIVE = "negative"
    INCONCLUSIVE = "inconclusive"
    NO_RECOMMENDATION = "no-recommendation"
    PROTOCOL = "protocol"
    UNVERIFIED = "unverified"
    OTHER = "other"


class FindingKind(StrEnum):
    """What the rules report about a point, a pair or a plan (besides the kinds of the catalog's
    own cautions, and of a condition's cautions, which are data)."""

    AVOID = "avoid"
    PREGNANCY = "pregnancy"
    LYMPHOEDEMA = "lymphoedema"
    DIABETIC_FOOT = "diabetic-foot"
    BLEEDING = "bleeding"
    IMPLANTED_DEVICE = "implanted-device"
    ANTICOAGULANTS = "anticoagulants"
    LOW_PLATELETS = "low-platelets"
    BURNS = "burns"
    NO_MOXIBUSTION = "no-moxibustion"
    EA_CIRCUIT = "ea-circuit"
    MODALITY = "modality"
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"
    DUPLICATE = "duplicate"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The plain strings of an enum, in declaration order."""
    return tuple(e.value for e in enum)
