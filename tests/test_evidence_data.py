"""The evidence class of every shipped study (references.yaml: applied, comparator, result) is
there, is consistent with the study's design, and agrees with its one-word verdict."""

from __future__ import annotations

import pytest
import yaml

from acupoints.catalog import data_dir
from acupoints.vocab import Applied, Comparator, ResultClass, Verdict, values

BETTER = {"better-than-sham", "better-than-active", "better-than-usual-care"}

# Which verdicts each result class may carry. A trial that beat its comparator is positive; a
# negative trial is negative; a protocol has no results. Found no different from an active
# treatment is never positive: it may read as negative (no advantage over the drug) or as
# inconclusive/mixed. A review or meta-analysis keeps the verdict of its own conclusion (it is
# not a test of points); a guideline makes a recommendation, makes none, or was not read.
VERDICTS_OF_RESULT: dict[str, set[str]] = {
    "better-than-sham": {"positive"},
    "better-than-active": {"positive"},
    "better-than-usual-care": {"positive"},
    "negative": {"negative"},
    "no-different-from-active": {"negative", "inconclusive", "mixed"},
    "inconclusive": {"inconclusive", "mixed"},
    "no-results": {"protocol"},
    "review": {"positive", "mixed", "negative", "inconclusive", "other", "unverified"},
    "guideline": {"positive", "negative", "no-recommendation", "unverified"},
}


def _refs() -> list[dict]:
    with open(data_dir() / "references.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


REFS = _refs()
BY_ID = {r["id"]: r for r in REFS}


def test_the_mapping_covers_every_result_class_and_only_known_verdicts():
    assert set(VERDICTS_OF_RESULT) == set(values(ResultClass))
    for verdicts in VERDICTS_OF_RESULT.values():
        assert verdicts <= set(values(Verdict))


def test_every_reference_has_its_evidence_class():
    assert len(REFS) == 36
    for r in REFS:
        assert isinstance(r.get("applied"), list) and r["applied"], r["id"]
        assert set(r["applied"]) <= set(values(Applied)), r["id"]
        assert r.get("comparator") in values(Comparator), r["id"]
        assert r.get("result") in values(ResultClass), r["id"]


@pytest.mark.parametrize("ref", REFS, ids=lambda r: r["id"])
def test_verdict_agrees_with_result(ref):
    assert ref["verdict"] in VERDICTS_OF_RESULT[ref["result"]], (ref["verdict"], ref["result"])


@pytest.mark.parametrize("ref", REFS, ids=lambda r: r["id"])
def test_class_fits_the_design(ref):
    design = ref["study_type"].lower()
    applied, comparator, result = ref["applied"], ref["comparator"], ref["result"]
    if "protocol" in design or ref["verdict"] == "protocol":
        assert result == "no-results"
        assert comparator != "none", "a protocol records the comparator it was designed with"
    if result == "no-results":
        assert "protocol" in design
    if "review" in design or "meta-analysis" in design or "data mining" in design:
        assert result == "review"
    if "guideline" in design:
        assert result == "guideline"
    if result in ("review", "guideline"):
        assert applied == ["none"], "a review or guideline applied nothing to points itself"
        assert comparator == "none"
    else:
        assert "none" not in applied, "a study that tested points applied something"
        assert comparator != "none", "a study that tested points compared them with something"
    if result == "better-than-sham":
        assert comparator == "sham"
    if result == "better-than-usual-care":
        assert comparator == "usual-care"
    if result in ("better-than-active", "no-different-from-active"):
        assert comparator == "active"


def test_named_classifications():
    assert BY_ID["zhu2026"]["applied"] == ["acupoint-application"], "herbal patches, no needle"
    assert BY_ID["greenlee2016"]["result"] == "negative"
    assert BY_ID["greenlee2016"]["comparator"] == "sham"
    # Bao 2020's significant differences were against usual care, not its sham arm.
    assert (BY_ID["bao2020"]["comparator"], BY_ID["bao2020"]["result"]) == ("usual-care", "better-than-usual-care")
    assert (BY_ID["ahn2007"]["comparator"], BY_ID["ahn2007"]["result"]) == ("other-acupuncture", "inconclusive")
    assert (BY_ID["iravani2020"]["comparator"], BY_ID["iravani2020"]["result"]) == ("active", "better-than-active")
    assert (BY_ID["xu2025"]["comparator"], BY_ID["xu2025"]["result"]) == ("sham", "better-than-sham")
    assert BY_ID["ursini2011"]["result"] == "no-different-from-active"
    assert BY_ID["lewith1983"]["result"] == "negative"
    assert BY_ID["loprinzi2020"]["result"] == "guideline"


def test_no_needling_trial_for_phn_is_positive():
    """conditions.yaml says so in PHN's direction; keep the data and the sentence together."""
    for r in REFS:
        if r["condition"] == "PHN" and {"needling", "electroacupuncture"} & set(r["applied"]):
            assert r["result"] not in BETTER, r["id"]


def test_the_catalog_carries_the_class(catalog):
    ref = catalog.references["zhu2026"]
    assert (ref.applied, ref.comparator, ref.result) == (("acupoint-application",), "sham", "better-than-sham")
