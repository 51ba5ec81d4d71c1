"""A script written against the public API as the README documents it. tests/test_consumer.py
type-checks it with `mypy --strict` and runs it: the API must type as it behaves."""

from __future__ import annotations

import acupoints
from acupoints import Finding, Flags, Limb, Meridian, Modality, Point, Prescription, Region


def main() -> None:
    catalog = acupoints.load_catalog()  # the shipped catalog

    # one point, by any name
    st36: Point = catalog.lookup("zusanli")
    assert catalog.get("no such point") is None
    assert catalog["Stomach 36"] == catalog["st-36"] == st36
    assert "ST36" in catalog and st36 in catalog and "ST63" not in catalog
    try:
        catalog["ST63"]
    except KeyError as exc:
        assert str(exc) == "no point 'ST63'; did you mean ST36?"
    print(st36.code, st36.pinyin, st36.location)

    # its fields are typed and immutable
    depth: tuple[float, float] = st36.needling.depth_cun
    studies: tuple[str, ...] = st36.conditions.get("DPN", ())
    record = st36.to_dict()
    angle: str = record["needling"]["angle"]
    print(depth, len(studies), angle)

    # filters: one value, a comma list, many values, the enums
    cipn: list[Point] = catalog.filter(condition="CIPN")
    legs = catalog.filter(condition=["CIPN", "DPN"], region=Region.LOWER_LIMB, modality=Modality.ELECTRO)
    channels = catalog.filter(meridian="ST,SP")
    stomach = catalog.filter(meridian=Meridian.ST)
    assert set(stomach) < set(channels)

    # points go into sets and are keys
    chosen: set[Point] = set(cipn) & set(legs)
    names: dict[Point, str] = {p: p.english for p in chosen}
    print(sorted(p.code for p in names))

    for p, score in catalog.search("numb toes", limit=3):
        print(p.code, round(score, 2))

    # a channel in words
    channel = catalog.channel("stomach")
    print(channel["channel"]["code"], channel["channel"]["points"], channel["points"][0].code)

    # flags from their documented strings, then prescribe and check
    flags = Flags(lymphoedema="left-arm")
    assert flags == Flags(lymphoedema=[Limb.LEFT_ARM]) and flags.lymphoedema == ("left-arm",)
    rx: Prescription = catalog.prescribe("CIPN", modality="electro", flags=flags, include="LI4")
    saved = rx.to_dict()
    print(rx.codes, [(p.a, p.b, p.sides) for p in rx.pairs], saved["plan"].get("weeks"), saved["flags"])
    assert len({rx, rx}) == 1

    findings: list[Finding] = catalog.check(["GB21", "LI4"], flags=Flags(pregnant=True))
    for finding in findings:
        print(finding.code, finding.kind, finding.effect, finding.message[:40])
    assert catalog.check("LI4:right", flags=Flags(lymphoedema="left arm")) == []


if __name__ == "__main__":
    main()
