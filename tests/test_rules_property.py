"""The invariants of the rule engine over generated patients: every condition, every modality,
flag combinations, --include and --avoid samples.

- a prescription, saved and read back, passes its own check with the same flags: nothing
  excluded, and every caution check lists was already shown beside its point;
- no point or pair on a lymphoedema limb's side; no pair with an implanted device; pairs on one
  limb and one side;
- reasons cite only shipped references, and a point is called supported only by a study of the
  class of treatment used.
"""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acupoints import rxfile
from acupoints.flags import LIMBS, Flags
from acupoints.prescribe import RESULT_LABELS, SUPPORT_CLASSES, prescribe
from acupoints.rules import EXCLUDE, limb_of
from acupoints.safety import check

CONDITIONS = ("DPN", "CIPN", "PHN")
MODALITIES = (None, "manual", "electro", "moxibustion", "acupressure", "cupping")
POOL = ("GB21", "LI4", "ST36", "CV8", "ST17", "BL13", "LR3", "SP6", "PC6", "KI1", "EX-LE10", "ST25", "LU9", "GB34")

flags_st = st.builds(
    Flags,
    pregnant=st.booleans(),
    pacemaker=st.booleans(),
    anticoagulants=st.booleans(),
    lymphoedema=st.lists(st.sampled_from(sorted(LIMBS)), max_size=2, unique=True).map(tuple),
    diabetic_foot=st.booleans(),
    low_platelets=st.booleans(),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    condition=st.sampled_from(CONDITIONS),
    modality=st.sampled_from(MODALITIES),
    flags=flags_st,
    include=st.lists(st.sampled_from(POOL), max_size=3, unique=True),
    avoid=st.lists(st.sampled_from(POOL), max_size=2, unique=True),
    max_points=st.integers(1, 12),
)
def test_a_prescription_passes_its_own_check(catalog, condition, modality, flags, include, avoid, max_points):
    rx = prescribe(
        catalog,
        condition,
        modality=modality,
        flags=flags,
        include=tuple(include),
        avoid=tuple(avoid),
        max_points=max_points,
    )
    # saved and read back through the file's schema, as `check rx.yaml` reads it
    text = yaml.safe_dump(rx.to_dict(), sort_keys=False, allow_unicode=True)
    from acupoints import _yamlload

    saved = rxfile._saved("rx.yaml", _yamlload.load(text)[0])
    assert saved.modality_used == rx.modality_used
    findings = check(
        catalog,
        saved.point_texts(),
        pairs=saved.pairs,
        flags=flags.merged(saved.flags),
        modality=saved.modality_used,
        condition=saved.condition,
    )
    excluded = [f for f in findings if f.effect == EXCLUDE]
    assert not excluded, excluded
    shown = {(f.code, f.message) for c in rx.points for f in c.cautions}
    for f in findings:  # a caution check lists was shown beside its point
        assert (f.code, f.message) in shown, f

    on_limb = {(LIMBS[name][1], LIMBS[name][0]) for name in flags.lymphoedema}
    for c in rx.points:
        p = catalog.point(c.code)
        sides = ("left", "right") if c.sides == "both" else (c.sides,)
        assert not any((limb_of(p), s) in on_limb for s in sides), (c.code, c.sides, flags.lymphoedema)
        assert set(c.studies) <= set(catalog.references)
        for reason in c.reasons:
            for label in ("better than sham", "better than an active treatment", "better than usual care only"):
                if reason.startswith(f"{condition} studies") and f"{label}:" in reason:
                    named = reason.split(f"{label}:")[1].split(";")[0]
                    for ref_id in c.studies:
                        ref = catalog.references[ref_id]
                        if ref.short in named:
                            assert RESULT_LABELS[ref.result] == label
                            assert set(ref.applied) & SUPPORT_CLASSES[rx.modality_used]
    if flags.pacemaker:
        assert rx.pairs == () and rx.modality_used != "electro"
    for pair in rx.pairs:
        a, b = catalog.point(pair.a), catalog.point(pair.b)
        assert limb_of(a) is not None and limb_of(a) == limb_of(b) and pair.a != pair.b
        assert pair.sides in ("left", "right", "both")
        sides = ("left", "right") if pair.sides == "both" else (pair.sides,)
        assert not any((limb_of(a), s) in on_limb for s in sides)
