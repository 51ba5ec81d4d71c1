"""`acupoints site`: the built atlas, checked without a browser.

Every page parses with a sound structure (one h1, a title, lang, the notice, nothing loaded
from elsewhere); every link and anchor resolves inside the site; every point has its page,
holding what `show` gives, its chart and its cautions; Chinese text carries its lang; the
search index is JSON; colours pass WCAG AA; and the folder is written all or nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from acupoints.errors import NOTICE

pytest.importorskip("jinja2", reason="the site needs the `site` extra (jinja2); the test extra includes it")

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class Page(HTMLParser):
    """One page's structure: nesting errors, headings, ids, links, resources, text and langs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang)
        self.errors: list[str] = []
        self.h1 = 0
        self.title = ""
        self.html_lang: str | None = None
        self.ids: list[str] = []
        self.links: list[str] = []  # a href
        self.resources: list[str] = []  # what the page loads: script src, link href, img src
        self.text: list[str] = []  # text outside the chart
        self.unmarked_cjk: list[str] = []  # Chinese text with no zh lang around it
        self.svg_depth = 0
        self.charts = 0
        self.headings: list[int] = []  # h1-h6 levels in document order
        self.untitled_charts = 0  # an svg whose first child is not its <title>
        self._svg_opened = False

    def lang(self) -> str | None:
        return next((lang for _, lang in reversed(self.stack) if lang), None)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "h1":
            self.h1 += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("script", "img", "iframe", "embed", "source") and a.get("src"):
            self.resources.append(a["src"])
        if tag == "link" and a.get("href"):
            self.resources.append(a["href"])
        if self._svg_opened and tag != "title":
            self.untitled_charts += 1
        self._svg_opened = tag == "svg"
        if tag == "svg":
            self.svg_depth += 1
            self.charts += 1
            if a.get("role") != "img":
                self.untitled_charts += 1
        if tag not in VOID:
            self.stack.append((tag, a.get("lang")))

    def handle_startendtag(self, tag, attrs):
        if "id" in dict(attrs):
            self.ids.append(dict(attrs)["id"])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()
        if tag == "svg":
            self.svg_depth -= 1

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "title" and len(self.stack) == 3:
            self.title += data
        if self.svg_depth or (self.stack and self.stack[-1][0] in ("script", "style")):
            return
        self.text.append(data)
        if CJK.search(data) and not (self.lang() or "").startswith("zh"):
            self.unmarked_cjk.append(data.strip())

    def close(self):
        super().close()
        if self.stack:
            self.errors.append(f"unclosed: {[t for t, _ in self.stack]}")

    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.fixture(scope="module")
def atlas(tmp_path_factory, catalog):
    from acupoints.site import build_site

    out = tmp_path_factory.mktemp("site") / "atlas"
    built = build_site(catalog, out)
    return out, built


@pytest.fixture(scope="module")
def pages(atlas):
    root, _ = atlas
    return {p.relative_to(root).as_posix(): parse(p) for p in sorted(root.rglob("*.html"))}


def test_every_point_channel_condition_and_category_has_a_page(atlas, catalog):
    root, built = atlas
    assert sorted(p.stem for p in (root / "points").glob("*.html")) == sorted(catalog.codes)
    assert len(catalog.codes) == 409
    assert sorted(p.stem for p in (root / "channels").glob("*.html")) == sorted(
        "LU LI ST SP HT SI BL KI PC TE GB LR GV CV EX".split()
    )
    assert sorted(p.stem for p in (root / "conditions").glob("*.html")) == sorted(catalog.conditions)
    kinds = {k for p in catalog.points for k in p.category_kinds}
    assert {p.stem for p in (root / "categories").glob("*.html")} == kinds
    assert (root / "index.html").is_file() and (root / "references.html").is_file()
    assert built.pages["point page"] == 409 and built.pages["channel page"] == 15
    assert (root / ".acupoints-site").is_file()


def test_every_page_is_well_formed(pages):
    assert len(pages) > 440
    for name, page in pages.items():
        assert not page.errors, (name, page.errors[:3])
        assert page.html_lang == "en", name
        assert page.h1 == 1, (name, page.h1)
        assert page.title.strip().endswith("Acupoints atlas"), name
        assert NOTICE in page.plain(), name  # the notice on every page
        assert len(page.ids) == len(set(page.ids)), (name, [i for i in page.ids if page.ids.count(i) > 1][:3])
        assert not page.untitled_charts, name  # every chart an image with its title first
        # headings in order: the h1 first, and never a level skipped on the way down
        assert page.headings[0] == 1, name
        for a, b in pairwise(page.headings):
            assert b <= a + 1, (name, page.headings)


def test_nothing_is_loaded_from_elsewhere(pages):
    for name, page in pages.items():
        for res in page.resources:
            assert not urlsplit(res).scheme and not res.startswith("//"), (name, res)


def _target(root: Path, page: str, href: str) -> tuple[Path, str]:
    parts = urlsplit(href)
    base = (root / page).parent
    path = (base / unquote(parts.path)).resolve() if parts.path else (root / page).resolve()
    return path, parts.fragment


def test_every_link_and_anchor_resolves(atlas, pages):
    root, _ = atlas
    ids = {name: set(p.ids) for name, p in pages.items()}
    checked = 0
    for name, page in pages.items():
        for href in page.links + page.resources:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                assert parts.netloc, (name, href)
                continue
            assert not parts.scheme, (name, href)
            path, fragment = _target(root, name, href)
            assert path.is_file(), (name, href)
            assert root.resolve() in path.parents, (name, href)  # never out of the site
            if fragment:
                rel = path.relative_to(root.resolve()).as_posix()
                assert fragment in ids[rel], (name, href)
            checked += 1
    assert checked > 10000


def test_point_page_holds_what_show_gives(atlas, pages, catalog):
    from acupoints.results import PointPages, sources_text

    for code in ("ST36", "LI4", "BL13", "GB21", "EX-LE10", "GV20"):
        p = catalog.point(code)
        page = pages[f"points/{code}.html"]
        text = page.plain()
        record = PointPages([p], catalog).data()[0]
        assert page.charts == 1
        for key in ("code", "pinyin", "hanzi", "english", "region", "location", "element"):
            if record[key]:
                assert " ".join(str(record[key]).split()) in text, (code, key)
        if record["hanzi_simplified"]:
            assert record["hanzi_simplified"] in text
        for key in ("aliases", "actions", "indications", "modalities"):
            for value in record[key]:
                assert " ".join(value.split()) in text, (code, key, value)
        assert p.needling.describe() in text
        for c in record["categories"]:
            assert c["kind"] in text
        for cond, ids in record["conditions"].items():
            assert cond in text
            for i in ids:
                assert sources_text(catalog, [i]) in text
        for c in record["cautions"]:
            assert " ".join(c["text"].split()) in text, (code, c["kind"])
            for s in c["sources"]:
                assert sources_text(catalog, [s]) in text
        dict_sections = dict(PointPages([p], catalog).sections(p))
        assert dict_sections["Channel"][0] in text and dict_sections["Region"][0] in text


def test_point_page_chart_is_the_map_chart_with_a_title(atlas, catalog):
    root, _ = atlas
    html = (root / "points" / "ST36.html").read_text(encoding="utf-8")
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    import xml.etree.ElementTree as ET

    tree = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert tree.find(f"{ns}title").text.startswith("ST36 Zúsānlǐ")
    groups = [g.get("id") for g in tree.iter(f"{ns}g") if g.get("class") == "point"]
    assert groups == ["pt-ST36"]
    assert tree.get("role") == "img"
    assert 'aria-labelledby="chart-caption"' in html and 'id="chart-caption"' in html


def test_st36_cautions_come_from_the_rule_engine(pages, catalog):
    from acupoints.flags import Flags
    from acupoints.safety import check

    text = pages["points/ST36.html"].plain()
    assert "Cautions" in text
    # ST36 has no caution of its own; what the rules say for a patient is shown, with its source
    for flags, modality in ((Flags(pacemaker=True), "electro"), (Flags(lymphoedema=("left-leg",)), "manual")):
        (finding,) = check(catalog, ["ST36"], flags=flags, modality=modality)
        assert " ".join(finding.message.split()) in text
    assert "--pacemaker" in text and "Cummings 2011" in text
    bl13 = pages["points/BL13.html"].plain()
    assert "pneumothorax" in bl13 and "Peuker" in bl13


def test_studies_that_used_a_point_and_references_with_links(atlas, pages, catalog):
    root, _ = atlas
    text = pages["points/ST36.html"].plain()
    used = [r for r in catalog.references.values() if "ST36" in r.codes]
    assert used
    for r in used:
        assert r.short in text and " ".join(r.finding.split()) in text
    refs = (root / "references.html").read_text(encoding="utf-8")
    for r in catalog.references.values():
        assert f'id="ref-{r.id}"' in refs
        if r.doi:
            assert f'href="https://doi.org/{r.doi}"' in refs
        if r.pmid:
            assert f'href="https://pubmed.ncbi.nlm.nih.gov/{r.pmid}/"' in refs
    for sid in catalog.sources:
        assert f'id="src-{sid}"' in refs


def test_channel_and_condition_pages_hold_their_views(pages, catalog):
    from acupoints import evidence as ev
    from acupoints.prescribe import course_plan, describe_plan
    from acupoints.results import ChannelView

    st = pages["channels/ST.html"]
    view = catalog.channel("ST")
    assert ChannelView(view["channel"], view["points"]).facts() in st.plain()
    assert st.charts == 1
    cipn = pages["conditions/CIPN.html"]
    text = cipn.plain()
    section = ev.for_conditions(catalog, ["CIPN"]).sections[0]
    assert section.summary[0] in text
    for r in section.studies:
        assert r.short in text
    for line in describe_plan(course_plan(catalog, "CIPN", "electro"), lambda i: catalog.references[i].short):
        assert line in text
    for c in catalog.conditions["CIPN"]["cautions"]:
        assert " ".join(c["text"].split()) in text
    assert cipn.charts == 1


def test_chinese_text_carries_its_lang(atlas, pages):
    root, _ = atlas
    for name, page in pages.items():
        assert not page.unmarked_cjk, (name, page.unmarked_cjk[:3])
    html = (root / "points" / "GV20.html").read_text(encoding="utf-8")
    assert '<span class="hanzi" lang="zh-Hant">百會</span>' in html
    assert '<span lang="zh-Hans">百会</span>' in html


def test_search_index_is_json_after_the_assignment(atlas, catalog):
    from acupoints.site import searchindex

    root, _ = atlas
    text = (root / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.ACUPOINTS_INDEX = ")
    index = searchindex.parse(text)
    assert [p["code"] for p in index["points"]] == list(catalog.codes)
    for p in index["points"]:
        assert (root / p["url"]).is_file()
    # the resolver's keys: codes in every system, pinyin with and without tones, characters, English
    st36 = list(catalog.codes).index("ST36")
    for key in ("p:zusanli", "t:zúsānlǐ", "h:足三里", "n:legthreemiles"):
        assert st36 in index["names"][key], key
    assert index["prefixes"]["ub"] == ["BL"] and index["prefixes"]["e"] == ["ST"]
    # the words `acupoints search` ranks, with the command's weights
    assert "headache" in index["terms"] and "numb" in index["terms"]
    assert any(g for g in index["groups"] if ["shingle"] in g)


def test_site_css_colours_pass_wcag_aa(atlas):
    from acupoints.map.palette import CHANNEL_COLOURS
    from acupoints.site.build import contrast

    root, _ = atlas
    css = (root / "assets" / "site.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6});", css))
    pairs = re.findall(r"--([a-z-]+) on --([a-z-]+)", css)
    assert len(pairs) >= 8
    for fg, bg in pairs:
        assert contrast(colours[fg], colours[bg]) >= 4.5, (fg, bg)
    labels = dict(re.findall(r'data-meridian="([A-Z]+)"\] text\.label \{ fill: (#[0-9a-f]{6}); \}', css))
    assert set(labels) == set(CHANNEL_COLOURS)
    for code, shade in labels.items():
        assert contrast(shade, "#ffffff") >= 4.5, code
    from acupoints.map.svg import BODY_FILL

    (landmark,) = re.findall(r"g\.landmark text \{ fill: (#[0-9a-f]{6}); \}", css)
    assert contrast(landmark, BODY_FILL) >= 4.5
    assert "@media print" in css


def test_a_filtered_site_holds_only_its_points_and_its_links_resolve(tmp_path, cli, catalog):
    out = tmp_path / "cipn"
    code, stdout, err = cli("site", "-o", str(out), "--condition", "CIPN", "--meridian", "ST")
    assert code == 0 and stdout == ""
    assert err.startswith(f"acupoints: note: wrote {out}:")
    chosen = {p.code for p in catalog.filter(condition=["CIPN"], meridian=["ST"])}
    assert {p.stem for p in (out / "points").glob("*.html")} == chosen
    assert {p.stem for p in (out / "channels").glob("*.html")} == {"ST"}
    for page in out.rglob("*.html"):
        parsed = parse(page)
        assert not parsed.errors
        for href in parsed.links + parsed.resources:
            if urlsplit(href).scheme:
                continue
            path, _ = _target(out, page.relative_to(out).as_posix(), href)
            assert path.is_file(), (page.name, href)
    assert "--condition CIPN" in (out / "index.html").read_text(encoding="utf-8")


def test_text_is_escaped(tmp_path, mini):
    from acupoints import load_catalog
    from acupoints.site import build_site

    text = mini.read_text(encoding="utf-8").replace(
        "On the back of the hand, beside", "On the <b>back</b> & <script>alert(1)</script> of the hand, beside"
    )
    mini.write_text(text, encoding="utf-8")
    build_site(load_catalog(mini, cache=False), tmp_path / "site")
    html = (tmp_path / "site" / "points" / "LI4.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<b>back" not in html
    assert "&lt;b&gt;back&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_existing_folder_is_replaced_only_with_force(tmp_path, cli):
    out = tmp_path / "atlas"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    code, _, err = cli("site", "-o", str(out), "--meridian", "LU")
    assert code == 1 and err == f"acupoints: error: {out} exists; use --force to replace it\n"
    code, _, err = cli("site", "-o", str(out), "--meridian", "LU", "--force")
    assert code == 1 and "is not a site acupoints built" in err and err.count("\n") == 1
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"  # never removed
    site = tmp_path / "site"
    assert cli("site", "-o", str(site), "--meridian", "LU")[0] == 0
    assert cli("site", "-o", str(site), "--meridian", "HT")[0] == 1
    assert (site / "points" / "LU1.html").is_file()
    assert cli("site", "-o", str(site), "--meridian", "HT", "--force")[0] == 0
    assert (site / "points" / "HT1.html").is_file() and not (site / "points" / "LU1.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas", "site"]  # no temporary folder left
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("site", "-o", str(empty), "--meridian", "LU")[0] == 0  # an empty folder holds nothing to lose


def test_a_failed_build_leaves_nothing(tmp_path, cli, monkeypatch):
    from acupoints.site import build as site_build

    site = tmp_path / "site"
    assert cli("site", "-o", str(site), "--meridian", "LU")[0] == 0
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    calls = {"n": 0}
    real = site_build._Site._channel

    def fails(self, code):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(28, "No space left on device")
        return real(self, code)

    monkeypatch.setattr(site_build._Site, "_channel", fails)
    code, _, err = cli("site", "-o", str(site), "--meridian", "HT", "--force")
    assert code == 1 and err == f"acupoints: error: cannot write {site}: No space left on device\n"
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before  # the old site stands
    fresh = tmp_path / "fresh"
    code, _, _ = cli("site", "-o", str(fresh), "--meridian", "HT")
    assert code == 0 and calls["n"] == 2
    calls["n"] = 0
    gone = tmp_path / "gone"
    assert cli("site", "-o", str(gone), "--meridian", "HT")[0] == 1
    assert not gone.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "site"]


def test_bad_input_is_one_line(tmp_path, cli):
    code, _, err = cli("site", "-o", str(tmp_path / "x"), "--meridian", "XX")
    assert code == 2 and err.startswith("acupoints: error: unknown meridian 'XX'") and err.count("\n") == 1
    code, _, err = cli("site", "-o", str(tmp_path / "x"), "--meridian", "ST", "--region", "hand")
    assert code == 2 and "no point matches these filters" in err
    missing = tmp_path / "no"
    code, _, err = cli("site", "-o", str(missing / "x"))
    assert code == 1 and err == f"acupoints: error: cannot write {missing / 'x'}: folder {missing} does not exist\n"
    file = tmp_path / "file"
    file.write_text("x", encoding="utf-8")
    code, _, err = cli("site", "-o", str(file), "--force")
    assert code == 1 and "exists and is not a folder" in err
    code, _, err = cli("site")
    assert code == 2 and "Missing option '--output'" in err
    assert not (tmp_path / "x").exists()


def test_without_jinja2_one_line_says_how_to_install_it(tmp_path, cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "jinja2", None)  # import jinja2 now raises ImportError
    code, out, err = cli("site", "-o", str(tmp_path / "atlas"))
    assert code == 1 and out == ""
    assert err == "acupoints: error: a site needs Jinja2: pip install 'acupoints[site]'\n"
    assert not (tmp_path / "atlas").exists()


def test_the_cli_does_not_import_jinja2_or_the_site_at_start_up():
    probe = "import sys, acupoints.cli; print(sorted(m for m in ('jinja2', 'acupoints.site') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_site_is_readable_by_others_as_any_new_folder(tmp_path, cli):
    old = os.umask(0o022)
    try:
        assert cli("site", "-o", str(tmp_path / "atlas"), "--meridian", "LU")[0] == 0
    finally:
        os.umask(old)
    assert (tmp_path / "atlas").stat().st_mode & 0o777 == 0o755
