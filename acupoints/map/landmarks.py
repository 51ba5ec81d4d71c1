"""The landmarks a chart draws: which named places of `data/positions.yaml` each one joins.

Every drawn landmark is built from landmarks (and, for the brows, points) of the positions
file, so a point and the landmark it is measured from are computed from the same body and
cannot drift apart. A name with a leading `~` is the right-side twin of a left-side place (for
a shape that crosses the midline, the mouth or a hairline). Shapes on a limb, or off the
midline of the trunk and head, are drawn on both sides. No drawing and no printing here.
"""

from __future__ import annotations

from typing import NamedTuple


class Drawn(NamedTuple):
    id: str  # the SVG group's id, after "lm-"
    title: str  # what it is, in words
    kind: str  # dot, line, ring (a closed outline) or digit (a finger or toe)
    paths: tuple[tuple[str, ...], ...]  # each a run of names; a dot is a path of one
    midline: bool = False  # drawn once (it crosses or lies on the midline)
    label: str = ""  # a short label drawn beside it (the spinous process levels)


def _toe(n: int, mtp: str) -> tuple[tuple[str, ...], ...]:
    return ((mtp, f"toe{n}-tip"), (f"sole-toe{n}-mtp", f"sole-toe{n}-tip"))


def _finger(name: str, tip: str) -> tuple[tuple[str, ...], ...]:
    return ((f"{name}-mcp", f"{name}-back-tip"), (f"palm-{name}-base", tip))


DRAWN: tuple[Drawn, ...] = (
    # lower limb
    Drawn(
        "patella",
        "patella",
        "ring",
        (
            (
                "patella-base-medial",
                "patella-base",
                "patella-base-lateral",
                "patella-lateral",
                "patella-apex",
                "patella-medial",
            ),
        ),
    ),
    Drawn(
        "tibial-crest",
        "tibial crest (anterior border of the tibia)",
        "line",
        (("tibial-tuberosity", "tibial-crest-lower"),),
    ),
    Drawn("fibula-head", "head of the fibula", "dot", (("fibula-head",),)),
    Drawn("lateral-malleolus", "lateral malleolus", "dot", (("lateral-malleolus",),)),
    Drawn("medial-malleolus", "medial malleolus", "dot", (("medial-malleolus",),)),
    Drawn(
        "calcaneal-tendon",
        "calcaneal (Achilles) tendon",
        "line",
        (("calcaneal-tendon-top", "calcaneal-tendon-insertion"),),
    ),
    Drawn(
        "popliteal-crease",
        "popliteal crease",
        "line",
        (("popliteal-crease-lateral", "popliteal-crease", "popliteal-crease-medial"),),
    ),
    Drawn("greater-trochanter", "greater trochanter", "dot", (("greater-trochanter",),)),
    Drawn("big-toe", "great toe", "digit", _toe(1, "big-toe-mtp")),
    Drawn("toe-2", "second toe", "digit", _toe(2, "toe2-mtp")),
    Drawn("toe-3", "third toe", "digit", _toe(3, "toe3-mtp")),
    Drawn("toe-4", "fourth toe", "digit", _toe(4, "toe4-mtp")),
    Drawn("toe-5", "little toe", "digit", _toe(5, "toe5-mtp")),
    Drawn("metatarsal-1", "1st metatarsal", "line", (("metatarsal1-base", "big-toe-mtp"),)),
    Drawn("metatarsal-2", "2nd metatarsal", "line", (("metatarsal2-base", "toe2-mtp"),)),
    Drawn("metatarsal-3", "3rd metatarsal", "line", (("metatarsal3-base", "toe3-mtp"),)),
    Drawn("metatarsal-4", "4th metatarsal", "line", (("metatarsal4-base", "toe4-mtp"),)),
    Drawn("metatarsal-5", "5th metatarsal", "line", (("metatarsal5-base", "toe5-mtp"),)),
    # upper limb
    Drawn(
        "cubital-crease",
        "cubital crease",
        "line",
        (("cubital-crease-lateral", "cubital-crease", "cubital-crease-medial"),),
    ),
    Drawn(
        "wrist-crease",
        "palmar wrist crease",
        "line",
        (("wrist-crease-lateral", "wrist-crease", "wrist-crease-medial"),),
    ),
    Drawn(
        "dorsal-wrist-crease",
        "dorsal wrist crease",
        "line",
        (("dorsal-wrist-crease-lateral", "dorsal-wrist-crease", "dorsal-wrist-crease-medial"),),
    ),
    Drawn("thumb", "thumb", "digit", (("thumb-mcp", "thumb-palm-tip"), ("thumb-mcp", "thumb-back-tip"))),
    Drawn("index-finger", "index finger", "digit", _finger("index", "index-tip")),
    Drawn("middle-finger", "middle finger", "digit", _finger("middle", "middle-tip")),
    Drawn("ring-finger", "ring finger", "digit", _finger("ring", "ring-tip")),
    Drawn("little-finger", "little finger", "digit", _finger("little", "little-tip")),
    Drawn("metacarpal-1", "1st metacarpal", "line", (("thumb-back-base", "thumb-mcp"),)),
    Drawn("metacarpal-2", "2nd metacarpal", "line", (("metacarpal2-base", "index-mcp"),)),
    Drawn("metacarpal-3", "3rd metacarpal", "line", (("metacarpal3-base", "middle-mcp"),)),
    Drawn("metacarpal-4", "4th metacarpal", "line", (("metacarpal4-base", "ring-mcp"),)),
    Drawn("metacarpal-5", "5th metacarpal", "line", (("metacarpal5-base", "little-mcp"),)),
    # trunk
    Drawn("navel", "navel (umbilicus)", "dot", (("umbilicus",),), midline=True),
    Drawn("nipple", "nipple", "dot", (("nipple",),)),
    Drawn("clavicle", "clavicle", "line", (("clavicle-sternal-end", "clavicle-middle", "clavicle-lateral-end"),)),
    Drawn(
        "sternum",
        "sternum",
        "ring",
        (("sternum-top-edge", "sternum-lower-edge", "~sternum-lower-edge", "~sternum-top-edge"),),
        midline=True,
    ),
    Drawn(
        "xiphoid",
        "xiphoid process",
        "line",
        (("sternum-lower-edge", "xiphoid-tip", "~sternum-lower-edge"),),
        midline=True,
    ),
    Drawn(
        "costal-margin",
        "costal margin",
        "line",
        (("xiphisternal-junction", "costal-margin-1", "costal-margin-2", "costal-margin-3", "costal-margin-4"),),
    ),
    Drawn(
        "scapula-spine",
        "spine of the scapula",
        "line",
        (("scapula-spine-root", "scapula-spine-middle", "acromial-angle"),),
    ),
    Drawn(
        "scapula-medial-border",
        "medial border of the scapula",
        "line",
        (("scapula-superior-angle", "scapula-spine-root", "scapula-medial-border-lower", "scapula-inferior-angle"),),
    ),
    Drawn(
        "scapula-inferior-angle", "inferior angle of the scapula (level of T7)", "dot", (("scapula-inferior-angle",),)
    ),
    *(
        Drawn(f"spinous-{lv}", f"spinous process of {lv}", "dot", ((f"spinous-{lv}",),), midline=True, label=lv)
        for lv in ("C7", "T3", "T7", "L2", "L4")
    ),
    Drawn("spinous-S1", "median sacral crest at S1", "dot", (("spinous-S1",),), midline=True, label="S1"),
    Drawn(
        "iliac-crest",
        "iliac crest",
        "line",
        (
            (
                "posterior-superior-iliac-spine",
                "iliac-crest-posterior",
                "iliac-crest-top",
                "iliac-crest-lateral",
                "anterior-superior-iliac-spine",
            ),
        ),
    ),
    # head
    Drawn("eye", "eye", "ring", (("inner-canthus", "upper-eyelid", "outer-canthus", "lower-eyelid"),)),
    Drawn("brow", "eyebrow", "line", (("brow-medial", "brow-middle", "brow-lateral"),)),
    Drawn(
        "nose",
        "nose",
        "line",
        (("nose-root", "nose-tip"), ("nose-wing", "philtrum-top", "~nose-wing")),
        midline=True,
    ),
    Drawn("mouth", "mouth", "ring", (("mouth-corner", "upper-lip", "~mouth-corner", "lower-lip"),), midline=True),
    Drawn(
        "jaw",
        "lower border of the jaw (mandible)",
        "line",
        (
            (
                "jaw-condyle",
                "jaw-ramus",
                "mandible-angle",
                "chin-side",
                "chin",
                "~chin-side",
                "~mandible-angle",
                "~jaw-ramus",
                "~jaw-condyle",
            ),
        ),
        midline=True,
    ),
    Drawn(
        "ear",
        "ear (auricle)",
        "ring",
        (("ear-apex", "ear-front-top", "tragus", "earlobe", "ear-back-lower", "ear-back"),),
    ),
    Drawn(
        "anterior-hairline",
        "anterior hairline",
        "line",
        (
            (
                "~temple-hairline",
                "~forehead-hairline-corner",
                "anterior-hairline",
                "forehead-hairline-corner",
                "temple-hairline",
            ),
        ),
        midline=True,
    ),
    Drawn(
        "posterior-hairline",
        "posterior hairline",
        "line",
        (("~mastoid-tip", "~nape-hairline-side", "posterior-hairline", "nape-hairline-side", "mastoid-tip"),),
        midline=True,
    ),
    Drawn("mastoid-process", "mastoid process", "line", (("mastoid-top", "mastoid-tip"),)),
    Drawn(
        "external-occipital-protuberance",
        "external occipital protuberance",
        "dot",
        (("external-occipital-protuberance",),),
        midline=True,
    ),
)
