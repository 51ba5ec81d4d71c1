"""The patient's handout: written for the treatment used, in plain words, with what the flags
changed and what fits the condition; no study ids, no invented figures, no '30 to 30'."""

from __future__ import annotations

import re

import pytest

from acupoints.flags import Flags
from acupoints.handout import handout
from acupoints.prescribe import PrescriptionReport, prescribe

STUDY_ID = re.compile(r"\b[a-z]+20\d\d[a-z_]*\b|\b[a-z]+19\d\d\b")
JARGON = ("B-cun", "medial", "lateral", "malleolus", "metacarpal", "intercostal", "umbilicus", "anterior")


def _md(cli, *args):
    code, out, err = cli("prescribe", *args, "-f", "markdown")
    assert code == 0, err
    return out, err


@pytest.mark.parametrize("condition", ["DPN", "CIPN", "PHN"])
@pytest.mark.parametrize("modality", ["manual", "electro", "moxibustion", "acupressure", "cupping"])
def test_every_handout_is_plain_and_honest(cli, condition, modality):
    out, err = _md(cli, "--condition", condition, "--modality", modality, "--max", "12")
    assert not STUDY_ID.search(out), STUDY_ID.search(out)
    assert not re.search(r"\b(\d+) to \1\b", out)  # never "30 to 30"
    assert not any(word in out for word in JARGON), [w for w in JARGON if w in out]
    assert "not medical advice" in out and "## What to expect" in out and "## If you feel faint" in out
    if modality in ("moxibustion", "acupressure", "cupping"):
        assert "needl" not in out.lower(), modality
    # the practitioner's lines are not lost: they go to stderr
    assert "acupoints: notice: A reference, not medical advice" in err


def test_every_point_a_prescription_can_hold_has_plain_words(catalog):
    assert set(catalog.plain_locations()) == set(catalog.codes)


def test_the_handout_says_what_the_flags_changed(catalog):
    rx = prescribe(catalog, "CIPN", flags=Flags(lymphoedema=("left-arm",), anticoagulants=True))
    h = handout(PrescriptionReport(rx, catalog))
    changed = dict((s[0], s[2]) for s in h.sections)["What we changed for you"]
    assert "Nothing is done on your left arm, to protect it from swelling." in changed
    assert any("blood thinners" in line for line in changed)


@pytest.mark.parametrize(
    ("condition", "says"),
    [
        ("DPN", "Look at your feet after each session"),
        ("CIPN", "Tell us your latest blood counts"),
        ("PHN", "Nothing goes into blisters, scabs or broken skin"),
    ],
)
def test_the_handout_fits_the_condition(cli, condition, says):
    out, _ = _md(cli, "--condition", condition)
    assert says in out
    if condition != "CIPN":
        assert "chemotherapy" not in out  # no fever-during-chemotherapy advice outside CIPN


def test_the_handout_describes_the_treatment_used_not_the_one_asked_for(cli):
    out, err = _md(cli, "--condition", "DPN", "--modality", "electro", "--pacemaker")
    assert "current" not in out.split("## What a session is like")[1].split("##")[0]
    assert "no electrical current is used" in out
