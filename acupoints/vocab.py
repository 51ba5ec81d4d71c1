"""The closed vocabularies, as enums: what a value may be is declared once, here.

The catalog stores plain strings (JSON, YAML and the cache stay plain data); these enums are
what the code compares them with, and what the validator, the CLI's completion and `vocab`
list. Conditions are not here: they are data (data/conditions.yaml), so that adding one needs
no code.
"""

from __future__ import annotations

from enum import StrEnum


class Meridian(StrEnum):
    """The channels by WHO code, in WHO order, and EX for the extra points."""

    LU = "LU"
    LI = "LI"
    ST = "ST"
    SP = "SP"
    HT = "HT"
    SI = "SI"
    BL = "BL"
    KI = "KI"
    PC = "PC"
    TE = "TE"
    GB = "GB"
    LR = "LR"
    GV = "GV"
    CV = "CV"
    EX = "EX"


class CategoryKind(StrEnum):
    """The kinds of point category (model.Category.kind)."""

    JING_WELL = "jing-well"
    YING_SPRING = "ying-spring"
    SHU_STREAM = "shu-stream"
    JING_RIVER = "jing-river"
    HE_SEA = "he-sea"
    YUAN_SOURCE = "yuan-source"
    LUO_CONNECTING = "luo-connecting"
    XI_CLEFT = "xi-cleft"
    BACK_SHU = "back-shu"
    FRONT_MU = "front-mu"
    LOWER_HE_SEA = "lower-he-sea"
    INFLUENTIAL = "influential"
    CONFLUENT = "confluent"


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


class Limb(StrEnum):
    """A limb a patient flag names (`--lymphoedema left-arm`)."""

    LEFT_ARM = "left-arm"
    RIGHT_ARM = "right-arm"
    LEFT_LEG = "left-leg"
    RIGHT_LEG = "right-leg"


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


# What a study did and found, as data (references.yaml), so that the ranking counts only what
# supports a point for the treatment asked for, and shows the rest as context.
class Applied(StrEnum):
    """What the study applied to the points."""

    NEEDLING = "needling"  # manual acupuncture (needles, no current)
    ELECTRO = "electroacupuncture"  # needles with current
    ACUPRESSURE = "acupressure"
    MOXIBUSTION = "moxibustion"
    APPLICATION = "acupoint-application"  # herbal patches or pastes on the points: no needle
    NOT_APPLIED = "none"  # a review, a guideline or data mining: nothing applied by the study


class Comparator(StrEnum):
    """What the treatment was compared with."""

    SHAM = "sham"  # sham or placebo procedure
    USUAL_CARE = "usual-care"  # usual care, wait-list or no treatment
    ACTIVE = "active"  # an active treatment, such as a drug
    OTHER_ACUPUNCTURE = "other-acupuncture"  # another style of acupuncture
    NONE = "none"  # no comparison (a protocol, a review, a single arm)


class ResultClass(StrEnum):
    """What the study found, in the classes the ranking uses."""

    BETTER_THAN_SHAM = "better-than-sham"
    BETTER_THAN_ACTIVE = "better-than-active"
    BETTER_THAN_USUAL_CARE = "better-than-usual-care"  # better than usual care only: not blinded
    NO_DIFFERENT_FROM_ACTIVE = "no-different-from-active"
    INCONCLUSIVE = "inconclusive"  # inconclusive or mixed
    NEGATIVE = "negative"
    NO_RESULTS = "no-results"  # a protocol, or results not yet published
    REVIEW = "review"  # a review or data mining: a summary of other studies, not a test of points
    GUIDELINE = "guideline"  # a guideline's recommendation (or its absence)
