"""Every caution in the shipped data claims of a source only what that source's note says it covers.

The notes are in data/safety-sources.yaml. A caution that rests on no listed source says
"conventional practice" in its text and cites nothing; a traditional ban is cited to the text that
makes it, for the points that text names.
"""

import re

import pytest

from acupoints.catalog import data_dir
from acupoints.validate import CONVENTIONAL


def _cautions(catalog):
    """(where, text, sources, kind) for every caution of a point and of a condition."""
    out = []
    for p in catalog:
        for c in p.cautions:
            out.append((f"{p.code} {c.kind}", " ".join(c.text.split()), tuple(c.sources), c.kind))
    for code, cond in catalog.conditions.items():
        for c in cond["cautions"]:
            cited = tuple(c.get("sources", ())) + tuple(c.get("references", ()))
            out.append((f"{code} {c['kind']}", " ".join(c["text"].split()), cited, c["kind"]))
    return out


@pytest.fixture(scope="module")
def cautions(catalog):
    found = _cautions(catalog)
    assert len(found) > 100  # the points' and the conditions' cautions are both here
    return found


def says_conventional(text):
    return CONVENTIONAL in text.casefold()


# WHO 1999: read were 1.2-1.5 (asepsis), 2.1 (pregnancy), 3.3, 3.6-3.7, 3.9 (moxibustion burns) and 5
# (organ injury). Not read: 2.4 (bleeding disorders), 3.8 (local infection), 4 (electrical stimulation),
# 5.1; and nothing seen on pacemakers, anticoagulants, ulcers or broken skin, diabetes, blood counts,
# lymphoedema or shingles.
WHO_NOT_COVERED = re.compile(
    r"bleed|anticoagul|pacemaker|defibrillat|implanted|ulcer|broken skin|lymph(o)?edema|shingles|herpe"
    r"|platelet|neutrophil|blood count|diabet|electr",
    re.IGNORECASE,
)


def test_who1999_is_not_cited_for_what_was_not_read(cautions):
    wrong = [
        (where, WHO_NOT_COVERED.search(text).group())
        for where, text, sources, _ in cautions
        if "who1999" in sources and WHO_NOT_COVERED.search(text)
    ]
    assert not wrong, wrong


def test_lymphoedema_avoidance_is_conventional_practice_with_cassileth_beside_it(cautions):
    about = [(where, text, sources) for where, text, sources, _ in cautions if re.search(r"lymph(o)?edema", text, re.I)]
    assert about, "the CIPN lymphoedema caution is expected in the shipped data"
    for where, text, _ in about:
        assert says_conventional(text), f"{where}: the avoidance of a lymphoedematous limb is conventional practice"
    for where, text in [(w, t) for w, t, s, _ in cautions if "cassileth2011" in s]:
        assert says_conventional(text), f"{where}: Cassileth 2011 is cited only beside the conventional advice"
        # the sentence that names the pilot reports it; it is never the ground of a prohibition
        sentence = next(s for s in re.split(r"(?<=\.)\s+", text) if "Cassileth" in s)
        assert not re.search(r"\b(do not|don't|never|avoid|advise|must not|should not)\b", sentence, re.I), where
        assert re.search(r"no serious", sentence), f"{where}: Cassileth is cited for what it found: no serious harm"


def test_a_caution_that_cites_nothing_says_conventional_practice(cautions):
    bare = [where for where, text, sources, _ in cautions if not sources and not says_conventional(text)]
    assert not bare, bare


# Cheng 1987 names these points for pregnancy: LI4 and SP6 in their entries, BL60 and BL67 as points
# of strong sensation, CV2-CV13 for great care. It does NOT name GB21.
CHENG_PREGNANCY = {"LI4", "SP6", "BL60", "BL67", *(f"CV{n}" for n in range(2, 14))}


def test_cheng1987_is_cited_for_pregnancy_only_at_the_points_it_names(catalog):
    gb21 = catalog.point("GB21")
    pregnancy = [c for c in gb21.cautions if c.kind == "pregnancy"]
    assert pregnancy and all("cheng1987" not in c.sources and "Cheng" not in c.text for c in pregnancy)
    for p in catalog:
        for c in p.cautions:
            if c.kind == "pregnancy" and "cheng1987" in c.sources:
                assert p.code in CHENG_PREGNANCY, f"{p.code}: Cheng 1987 does not name this point for pregnancy"


def test_narrow_sources_are_cited_only_within_their_notes(catalog):
    """Sources whose note covers one subject are cited only for cautions on that subject."""
    chest_and_back = {"chest", "upper-back", "lower-back", "back"}
    for p in catalog:
        for c in p.cautions:
            s = set(c.sources)
            if "peuker2003" in s:  # depth of the pleura under chest and back points; safe angles
                assert c.kind == "pneumothorax" and p.region in chest_and_back, p.code
            if "chen2018gb21" in s:  # the pleura's depth under GB21
                assert (p.code, c.kind) == ("GB21", "pneumothorax"), p.code
            if "zhang2010" in s:  # pneumothorax and CNS injury among the reported serious events
                assert c.kind in ("pneumothorax", "cns"), p.code
            if "carr2015" in s:  # the forbidden points in pregnancy
                assert c.kind == "pregnancy", p.code
            if "mcculloch2015" in s:
                assert "anticoagul" in c.text.casefold(), p.code
            if "cummings2011ea" in s:
                assert "electro" in c.text.casefold(), p.code
            assert "cassileth2011" not in s, f"{p.code}: Cassileth 2011 is a lymphoedema pilot, not a point's source"


def test_the_shipped_sources_keep_the_notes_that_limit_them():
    """The shipped copy of the sources carries the notes these rules rest on."""
    import yaml

    sources = {s["id"]: s for s in yaml.safe_load((data_dir() / "safety-sources.yaml").read_text(encoding="utf-8"))}
    assert "NOT to be cited" in sources["who1999"]["note"] and "lymphoedema" in sources["who1999"]["note"]
    assert "does NOT name GB21" in sources["cheng1987"]["note"]
    assert "counter-evidence" in sources["cassileth2011"]["note"]
