"""Names students type: a channel in words before a number (`Stomach 36`), a channel alone in words
(`acupoints meridian stomach`), and comma lists for every option that repeats."""

import json

import pytest

from acupoints import UsageError, codes

# What students type, and the point they mean.
TYPED = [
    ("Stomach 36", "ST36"),
    ("stomach 36", "ST36"),
    ("STOMACH36", "ST36"),
    ("Stomach-36", "ST36"),
    ("Stomach channel 36", "ST36"),
    ("Liver 3", "LR3"),
    ("Large Intestine 4", "LI4"),
    ("large-intestine 4", "LI4"),
    ("Lung 7", "LU7"),
    ("Conception Vessel 12", "CV12"),
    ("Governing Vessel 20", "GV20"),
    ("Governor Vessel 20", "GV20"),
    ("Du Mai 20", "GV20"),
    ("Ren Mai 12", "CV12"),
    ("Triple Energizer 5", "TE5"),
    ("San Jiao 5", "TE5"),
    ("Sanjiao 5", "TE5"),
    ("Triple Burner 5", "TE5"),
    ("Triple Warmer 5", "TE5"),
    ("Pericardium 6", "PC6"),
    ("Gallbladder 34", "GB34"),
    ("Gall Bladder 34", "GB34"),
    ("Urinary Bladder 40", "BL40"),
    ("Bladder 60", "BL60"),
    ("Spleen 6", "SP6"),
    ("Heart 7", "HT7"),
    ("Small Intestine 3", "SI3"),
    ("Kidney 3", "KI3"),
    ("Kidney 03", "KI3"),
]


@pytest.mark.parametrize(("text", "code"), TYPED)
def test_a_channel_name_and_a_number_name_the_point(catalog, text, code):
    assert [p.code for p in catalog.resolve(text)] == [code]
    assert catalog[text].code == code


def test_the_older_codes_and_toneless_ambiguity_are_unchanged(catalog):
    assert {p.code for p in catalog.resolve("Futu")} == {"LI18", "ST32"}
    assert {p.code for p in catalog.resolve("P6")} == {"PC6", "LU6"}
    assert [p.code for p in catalog.resolve("UB40")] == ["BL40"]
    assert [p.code for p in catalog.resolve("Liv3")] == ["LR3"]


def test_a_channel_name_with_a_number_it_does_not_have_gets_the_nearest(catalog):
    with pytest.raises(UsageError, match=r"no point 'Stomach 63'; did you mean ST36\?"):
        catalog.lookup("Stomach 63")
    assert catalog.resolve("Stomach 99") == ()
    assert catalog.resolve("Stomachache 3") == ()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("stomach", "ST"),
        ("Stomach", "ST"),
        ("STOMACH", "ST"),
        ("stomach channel", "ST"),
        ("Stomach Meridian", "ST"),
        ("gall bladder", "GB"),
        ("Gallbladder", "GB"),
        ("san jiao", "TE"),
        ("triple energizer", "TE"),
        ("urinary bladder", "BL"),
        ("governing vessel", "GV"),
        ("conception vessel", "CV"),
        ("large intestine", "LI"),
        ("liver", "LR"),
        ("pericardium", "PC"),
        ("extra", "EX"),
        ("UB", "BL"),
        ("SJ", "TE"),
        ("Du", "GV"),
        ("Ren", "CV"),
        ("Liv", "LR"),
        ("ex", "EX"),
    ],
)
def test_a_channel_in_words_or_in_any_system(catalog, text, code):
    assert codes.meridian_from(text) == (code,)
    assert catalog.channel(text)["channel"]["code"] == code
    assert [p.code for p in catalog.filter(meridian=text)] == [p.code for p in catalog.filter(meridian=code)]


def test_an_unknown_channel_gets_the_nearest(catalog):
    with pytest.raises(UsageError, match=r"no channel 'stomack'; did you mean ST\?"):
        catalog.channel("stomack")
    with pytest.raises(UsageError, match=r"unknown meridian 'livr'; did you mean LR\?"):
        catalog.filter(meridian="livr")
    with pytest.raises(UsageError, match=r"unknown meridian 'XX' \(see: acupoints vocab meridian\)"):
        catalog.filter(meridian="XX")


def test_the_command_line_takes_the_names(cli):
    code, out, err = cli("show", "Stomach 36", "Gall Bladder 34", "-f", "json")
    assert code == 0, err
    assert [r["code"] for r in json.loads(out)] == ["ST36", "GB34"]
    code, by_name, _ = cli("meridian", "stomach", "-f", "json")
    assert code == 0 and by_name == cli("meridian", "ST", "-f", "json")[1]
    assert cli("meridian", "Gall Bladder", "-f", "json")[1] == cli("meridian", "GB", "-f", "json")[1]
    code, _, err = cli("meridian", "stomack")
    channels = ", ".join(codes_all())
    assert code == 2 and err == f"acupoints: error: no channel 'stomack'; did you mean ST? (channels: {channels})\n"
    assert cli("list", "--meridian", "stomach", "-f", "json")[1] == cli("list", "--meridian", "ST", "-f", "json")[1]
    code, out, err = cli("check", "Liver 3", "San Jiao 5", "-f", "json")
    assert code == 0, err
    assert json.loads(out)["checked"] == ["Liver 3", "San Jiao 5"]


def codes_all():
    from acupoints.model import MERIDIANS

    return list(MERIDIANS)


# -- comma lists wherever an option repeats -------------------------------------------------------
# (command, option, two values, the rest of the command line): each option once with "A,B" must do
# what the option given twice does.
REPEATED = [
    ("list", "--condition", ("DPN", "PHN"), ["-f", "json"]),
    ("list", "--region", ("hand", "foot"), ["-f", "json"]),
    ("list", "--modality", ("cupping", "moxibustion"), ["-f", "json"]),
    ("list", "--meridian", ("ST", "SP"), ["-f", "json"]),
    ("list", "--category", ("he-sea", "jing-well"), ["-f", "json"]),
    ("list", "--exclude-caution", ("pregnancy", "vessel"), ["-f", "json"]),
    ("export", "--condition", ("DPN", "PHN"), []),
    ("export", "--region", ("hand", "foot"), []),
    ("export", "--modality", ("cupping", "moxibustion"), []),
    ("export", "--meridian", ("HT", "PC"), []),
    ("export", "--category", ("he-sea", "jing-well"), []),
    ("quiz", "--kind", ("code-to-name", "category"), ["--seed", "3", "--count", "6"]),
    ("quiz", "--condition", ("DPN", "PHN"), ["--seed", "3", "--count", "6"]),
    ("quiz", "--region", ("hand", "foot"), ["--seed", "3", "--count", "6"]),
    ("quiz", "--meridian", ("HT", "PC"), ["--seed", "3", "--count", "6"]),
    ("quiz", "--category", ("he-sea", "jing-well"), ["--seed", "3", "--count", "6"]),
    ("map", "--condition", ("DPN", "PHN"), ["-f", "json"]),
    ("map", "--meridian", ("HT", "PC"), ["-f", "json"]),
    ("map", "--view", ("front", "back"), ["ST36", "BL23", "-f", "json"]),
    ("prescribe", "--region", ("foot", "hand"), ["--condition", "CIPN", "-f", "json"]),
    ("prescribe", "--include", ("LI4", "GB34"), ["--condition", "CIPN", "-f", "json"]),
    ("prescribe", "--avoid", ("LR3", "ST36"), ["--condition", "CIPN", "-f", "json"]),
    ("prescribe", "--lymphoedema", ("left-arm", "right-leg"), ["--condition", "CIPN", "-f", "json"]),
    ("check", "--pair", ("LR3-GB42:left", "LI4-ST36"), ["LR3", "GB42", "-f", "json"]),
    ("check", "--lymphoedema", ("left-arm", "right-leg"), ["LI4", "ST36", "-f", "json"]),
]


@pytest.mark.parametrize(("command", "option", "values", "rest"), REPEATED)
def test_every_repeatable_option_takes_a_comma_list(cli, command, option, values, rest):
    a, b = values
    twice = cli(command, *rest, option, a, option, b, input="")
    once = cli(command, *rest, option, f"{a},{b}", input="")
    spaced = cli(command, *rest, option, f"{a}, {b}", input="")
    only_a = cli(command, *rest, option, a, input="")
    assert twice[0] in (0, 1), twice[2]  # check exits 1 when it finds an exclusion
    assert once == twice == spaced
    assert twice != only_a  # the second value does change the result


# `site` writes a folder: the same pages must be built whichever way the values are given
SITE_REPEATED = [
    ("site", "--condition", ("DPN", "PHN")),
    ("site", "--region", ("hand", "ankle")),
    ("site", "--modality", ("cupping", "moxibustion")),
    ("site", "--meridian", ("HT", "PC")),
    ("site", "--category", ("jing-well", "he-sea")),
    ("site", "--exclude-caution", ("pregnancy", "vessel")),
]


@pytest.mark.parametrize(("command", "option", "values"), SITE_REPEATED)
def test_site_options_take_a_comma_list(cli, tmp_path, command, option, values):
    pytest.importorskip("jinja2")
    a, b = values
    narrow = [] if option != "--exclude-caution" else ["--meridian", "LU,HT,PC,CV"]

    def pages(*args: str) -> set[str]:
        out = tmp_path / f"s{len(list(tmp_path.iterdir()))}"
        code, _, err = cli(command, "-o", str(out), *narrow, *args)
        assert code == 0, err
        return {str(f.relative_to(out)) for f in out.rglob("*.html")}

    twice = pages(option, a, option, b)
    assert pages(option, f"{a},{b}") == twice
    assert pages(option, a) != twice


def test_every_repeatable_option_is_tested():
    """A new repeatable option must be added to REPEATED, and so take commas."""
    import typer.main

    from acupoints.cli import app

    group = typer.main.get_command(app)
    repeatable = {
        (name, p.opts[0])
        for name, command in group.commands.items()  # type: ignore[attr-defined]
        for p in command.params
        if getattr(p, "multiple", False)
    }
    tested = {(command, option) for command, option, _, _ in REPEATED}
    assert repeatable == tested | {(command, option) for command, option, _ in SITE_REPEATED}


def test_a_comma_list_value_is_checked_one_by_one(cli):
    code, _, err = cli("list", "--meridian", "ST,XX")
    assert code == 2 and err.startswith("acupoints: error: unknown meridian 'XX'")
    code, _, err = cli("quiz", "--kind", "code-to-name,nonsense", input="")
    assert code == 2 and "unknown question kind 'nonsense'" in err
    code, _, err = cli("map", "ST36", "--view", "front,frnt")
    assert code == 2 and "no view 'frnt'; did you mean front?" in err
    code, _, err = cli("prescribe", "--condition", "CIPN", "--lymphoedema", "left-arm,left-foot")
    assert code == 2 and "unknown limb 'left-foot'" in err
