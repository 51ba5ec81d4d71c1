"""Quiz, flashcards, shell completion, the Python API and the generated CLI reference (issue 5)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, acupoints_exe


def test_quiz_piped_answers_give_a_score(cli):
    answers = "ST36\nzusanli\nxx\nLR3\nHegu\n"
    code, out, _ = cli("quiz", "--seed", "1", "--count", "5", "--meridian", "ST", input=answers)
    assert code == 0
    assert "5/5." in out
    score = [line for line in out.splitlines() if line.startswith("Score:")]
    assert score and score[0].startswith("Score: ") and score[0].split()[1].endswith("/5")


def test_quiz_same_seed_same_questions(cli):
    def questions(seed):
        _, out, _ = cli("quiz", "--seed", str(seed), "--count", "5", "--meridian", "ST", input="\n" * 5)
        return [line for line in out.splitlines() if line[:1].isdigit() and "/5." in line]

    assert questions(1) == questions(1)
    assert len(questions(1)) == 5


def test_quiz_accepts_any_spelling_of_the_answer(catalog):
    from acupoints.quiz import Question, is_right

    q = Question("code-to-name", "What is the name of ST36?", "ST36")
    for answer in ("Zusanli", "zú sān lǐ", "足三里", "Leg Three Miles", "st-36"):
        assert is_right(catalog, q, answer), answer
    assert not is_right(catalog, q, "Hegu")
    assert not is_right(catalog, q, "")


def test_quiz_category_questions_have_one_answer(catalog):
    from acupoints.quiz import make_questions

    pts = catalog.filter(meridian=["ST"])
    for q in make_questions(catalog, pts, 40, 3, ("category",)):
        assert catalog.point(q.code).categories
        assert "point of" in q.prompt


def test_quiz_stops_at_end_of_input_with_the_score_so_far(cli):
    code, out, _ = cli("quiz", "--seed", "2", "--count", "4", input="ST36\n")
    assert code == 0 and "(stopped after 1 of 4)" in out


def test_quiz_ctrl_c_ends_with_score_and_no_traceback():
    """A real SIGINT to the installed command while it waits for the second answer."""
    import signal
    import time

    proc = subprocess.Popen(
        [acupoints_exe(), "quiz", "--seed", "1", "--count", "3"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdin.write(b"ST36\n")
    proc.stdin.flush()
    out = b""
    deadline = time.monotonic() + 20
    while b"2/3." not in out and time.monotonic() < deadline:
        out += os.read(proc.stdout.fileno(), 4096)
    time.sleep(0.2)  # let it reach the prompt
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=20)
    text = (out + rest).decode()
    assert proc.returncode == 130
    assert "Score: " in text and "(stopped after 1 of 3)" in text
    assert b"Traceback" not in err


def test_quiz_kind_with_nothing_to_ask(cli):
    code, out, _ = cli(
        "quiz", "--meridian", "LU", "--region", "chest", "--kind", "category", "--count", "1", input="LU1\n"
    )
    assert code == 0 and "front-mu point of the lung" in out and "Score: 1/1" in out  # LU1: one answer
    code, _, err = cli("quiz", "--meridian", "LU", "--region", "upper-arm", "--kind", "category")
    assert code == 2 and "nothing to ask" in err


def test_quiz_with_no_matching_points(cli):
    code, _, err = cli("quiz", "--meridian", "LU", "--region", "foot")
    assert code == 2 and "nothing to ask" in err


def test_anki_deck(cli, catalog, tmp_path):
    path = tmp_path / "deck.txt"
    code, _, err = cli("export", "--format", "anki", "-o", str(path))
    assert code == 0, err
    lines = path.read_text(encoding="utf-8").splitlines()
    headers = [line for line in lines if line.startswith("#")]
    notes = [line for line in lines if not line.startswith("#")]
    assert "#separator:tab" in headers and "#html:true" in headers and "#tags column:3" in headers
    assert len(notes) == len(catalog)
    for note in notes:
        front, back, tags = note.split("\t")
        assert front and back and tags.startswith("acupoints ")
    st36 = [n for n in notes if n.startswith("ST36<br>")][0]
    assert "足三里" in st36 and "Zúsānlǐ" in st36 and "meridian::ST" in st36
    code, _, err = cli("export", "--format", "anki", "-o", str(path))
    assert code == 1 and "--force" in err


def test_anki_deck_filters(cli):
    code, out, _ = cli("export", "--format", "anki", "--meridian", "ST")
    notes = [line for line in out.splitlines() if not line.startswith("#")]
    assert notes and all(n.startswith("ST") for n in notes)


def complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "_ACUPOINTS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = subprocess.run([acupoints_exe()], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout.split()


def test_completion_offers_point_codes():
    assert "ST36" in complete("acupoints show ST3", 2)
    assert all(c.startswith("ST3") for c in complete("acupoints show ST3", 2))


def test_completion_offers_commands_and_values():
    assert "show" in complete("acupoints sh", 1)
    assert set(complete("acupoints list --region lower", 3)) == {"lower-back", "lower-limb", "lower-leg"}
    assert complete("acupoints prescribe --condition C", 3) == ["CIPN"]


def test_python_api_as_a_library():
    import acupoints

    catalog = acupoints.load_catalog()
    assert catalog.get("zusanli").code == "ST36"
    assert [p.code for p in catalog.filter(condition=["CIPN"], region=["foot"])]
    assert catalog.search("leg three miles", limit=1)[0][0].code == "ST36"
    rx = catalog.prescribe("DPN", max_points=3)
    assert len(rx.points) == 3 and rx.to_dict()["condition"] == "DPN"
    found = catalog.check(["GB21", "ST36"], flags=acupoints.Flags(pregnant=True))
    assert {f.kind for f in found if f.code == "GB21"} >= {"pregnancy", "pneumothorax"}
    with pytest.raises(acupoints.UnknownPointError):
        catalog.lookup("ST99")
    assert (Path(acupoints.__file__).parent / "py.typed").exists()


def test_python_one_liner_from_the_issue():
    out = subprocess.run(
        [sys.executable, "-c", "import acupoints; print(acupoints.load_catalog().get('zusanli').code)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == "ST36\n"


def test_cli_reference_matches_the_code(tmp_path):
    """docs/cli.md is generated from the app; regenerate it with the command in its header."""
    fresh = tmp_path / "cli.md"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "typer",
            "acupoints.cli",
            "utils",
            "docs",
            "--name",
            "acupoints",
            "--output",
            str(fresh),
        ],
        check=True,
        capture_output=True,
    )
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        "docs/cli.md is out of date: python -m typer acupoints.cli utils docs --name acupoints --output docs/cli.md"
    )
