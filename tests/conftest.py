import os
import sys
import textwrap
from pathlib import Path

import pytest

# Every test reads its own cache folder and a fixed terminal width, so a developer's
# ~/.cache or terminal never changes a result.
os.environ["COLUMNS"] = "100"
os.environ.pop("ACUPOINTS_CATALOG", None)
os.environ.pop("FORCE_COLOR", None)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("ACUPOINTS_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("ACUPOINTS_CATALOG", raising=False)


@pytest.fixture(scope="session")
def catalog():
    from acupoints import load_catalog

    return load_catalog()


@pytest.fixture
def cli():
    """Run the app in-process: returns (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    from acupoints.cli import app

    runner = CliRunner()

    def run(*args, input=None, env=None):
        result = runner.invoke(app, list(args), input=input, env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return run


def acupoints_exe() -> str:
    """The installed command, next to the interpreter running the tests."""
    exe = Path(sys.executable).parent / "acupoints"
    return str(exe) if exe.exists() else "acupoints"


MINI_SOURCES = """\
- id: cheng1987
  short: Cheng 1987
  kind: textbook
  cite: "Cheng Xinnong (ed.). Chinese Acupuncture and Moxibustion. 1987."
- id: carr2015
  short: Carr 2015
  kind: review
  cite: "Carr DJ. Acupunct Med. 2015;33:413-419."
"""

MINI_REFERENCES = """\
- id: trial2020
  condition: DPN
  authors: Doe J, Roe R
  year: 2020
  title: A trial
  journal: A Journal
  volume_pages: 1(2):3-4
  doi: null
  study_type: RCT
  n: 10
  points: [ST36]
  codes: [ST36]
  verdict: positive
  finding: Something was found.
"""

MINI_POINTS = """\
catalog: acupoints
points:
- code: LI4
  meridian: LI
  number: 4
  pinyin: Hégǔ
  hanzi: 合谷
  english: Joining Valley
  aliases: [Union Valley]
  bilateral: true
  region: hand
  location: On the back of the hand, beside the middle of the second metacarpal.
  needling:
    angle: perpendicular
    depth_cun: [0.5, 1.0]
    source: cheng1987
  actions:
  - relieves pain
  indications:
  - headache
  - toothache
  categories: [yuan-source]
  modalities: [manual, electro]
  cautions:
  - kind: pregnancy
    basis: traditional
    modality: needle
    text: Traditionally avoided in pregnancy; evidence of harm is weak.
    sources: [cheng1987, carr2015]
- code: ST36
  meridian: ST
  number: 36
  pinyin: Zúsānlǐ
  hanzi: 足三里
  english: Leg Three Miles
  aliases: []
  bilateral: true
  region: lower-leg
  location: On the front of the leg, 3 B-cun below ST35.
  needling:
    angle: perpendicular
    depth_cun: [0.5, 1.3]
    source: cheng1987
  actions:
  - tonifies qi
  indications:
  - stomach pain
  - knee pain
  categories:
  - he-sea
  - {kind: lower-he-sea, of: stomach}
  element: earth
  modalities: [manual, moxibustion]
  cautions: []
  conditions:
    DPN: [trial2020]
"""


@pytest.fixture
def mini(tmp_path):
    """A two-point catalog with its own references and sources; returns its points.yaml path."""
    (tmp_path / "safety-sources.yaml").write_text(MINI_SOURCES, encoding="utf-8")
    (tmp_path / "references.yaml").write_text(MINI_REFERENCES, encoding="utf-8")
    path = tmp_path / "points.yaml"
    path.write_text(MINI_POINTS, encoding="utf-8")
    return path


def dedent(text: str) -> str:
    return textwrap.dedent(text)
