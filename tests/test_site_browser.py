"""The atlas in a real browser: headless Chromium opens the built site from disk.

It searches for zusanli on the index (index.html?q=zusanli: the page reads the query and runs
its search, as when the box is used), follows the first result to ST36's page and finds its
chart, location, cautions and studies there; checks that the page ranks as `acupoints search`
does; and prints point pages to PDF to count their sheets. Chromium comes from the system's
packages (Debian: apt-get install chromium); without it these tests are skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest

pytest.importorskip("jinja2", reason="the site needs the `site` extra (jinja2); the test extra includes it")

BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium on this machine (Debian: apt-get install chromium): browser tests skipped"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


def chromium(tmp: Path, *args: str) -> str:
    """Run headless Chromium with a fresh profile; its stdout."""
    profile = tmp / "profile"
    assert BROWSER
    done = subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Dom(HTMLParser):
    """What the tests read from a dumped DOM: result links, ids, chart groups, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hits: list[tuple[str, str]] = []  # (data-code, href) of the search results
        self.ids: set[str] = set()
        self.points: list[str] = []  # the chart's point groups
        self.status = ""
        self._in_status = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("class") == "hit":
            self.hits.append((a.get("data-code") or "", a.get("href") or ""))
        if tag == "g" and a.get("class") == "point":
            self.points.append(a.get("id") or "")
        self._in_status = a.get("id") == "search-status" or (self._in_status and tag != "p")

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_status = False

    def handle_data(self, data):
        if self._in_status:
            self.status += data
        self.text.append(data)

    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def dom(tmp: Path, url: str) -> Dom:
    page = Dom()
    page.feed(chromium(tmp, "--virtual-time-budget=5000", "--dump-dom", url))
    return page


@pytest.fixture(scope="module")
def atlas(tmp_path_factory, catalog):
    from acupoints.site import build_site

    out = tmp_path_factory.mktemp("site") / "atlas"
    build_site(catalog, out)
    return out


def test_search_for_zusanli_leads_to_st36_with_its_chart_location_cautions_and_studies(atlas, tmp_path, catalog):
    index = (atlas / "index.html").as_uri()
    found = dom(tmp_path, index + "?q=zusanli")
    assert found.hits, found.status
    code, href = found.hits[0]
    assert code == "ST36" and href == "points/ST36.html"
    assert "zusanli" in found.status
    page = dom(tmp_path, urljoin(index, href))  # follow the link, as a click would
    st36 = catalog.point("ST36")
    text = page.plain()
    assert page.points == ["pt-ST36"]  # the chart, inline
    assert "chart" in page.ids
    assert " ".join(st36.location.split()) in text
    assert "cautions" in page.ids and "Cautions" in text and "--pacemaker" in text
    assert "studies" in page.ids and "Garrow 2014" in text and "Molassiotis 2019" in text
    assert "A reference, not medical advice" in text


QUERIES = (
    "zusanli",
    "Zú Sān Lǐ",
    "足三里",
    "leg three miles",
    "st-36",
    "UB40",
    "Ma36",
    "headache",
    "numb toes",
    "shingles",
    "zusnli",
    "motion sickness",
)


def test_the_page_ranks_as_the_command(atlas, tmp_path, catalog):
    from concurrent.futures import ThreadPoolExecutor

    index = (atlas / "index.html").as_uri()

    def run(i: int) -> Dom:  # a browser a query, three at a time, each with its own profile
        return dom(tmp_path / str(i), index + "?q=" + quote(QUERIES[i]))

    with ThreadPoolExecutor(3) as pool:
        pages = list(pool.map(run, range(len(QUERIES))))
    for query, page in zip(QUERIES, pages, strict=True):
        expected = [h.code for h in catalog.search_hits(query, limit=20)]
        assert [c for c, _ in page.hits] == expected, query


def test_a_query_that_matches_nothing_says_so_with_words_to_try(atlas, tmp_path, catalog):
    page = dom(tmp_path, (atlas / "index.html").as_uri() + "?q=" + quote("xqzv"))
    assert page.hits == []
    words = catalog.searcher().suggest("xqzv")
    assert page.status.startswith("No point matches") and ", ".join(words) in page.status


def test_a_name_is_found_while_it_is_typed(atlas, tmp_path):
    page = dom(tmp_path, (atlas / "index.html").as_uri() + "?q=zusa")
    assert page.hits and page.hits[0][0] == "ST36"


def _sheets(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def test_a_point_page_prints_on_one_sheet(atlas, tmp_path, catalog):
    # ST36, and the points with the most to say (the most words on their pages)
    def words(code: str) -> int:
        html = (atlas / "points" / f"{code}.html").read_text(encoding="utf-8")
        html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
        return len(re.sub(r"<[^>]+>", " ", html).split())

    heaviest = sorted(catalog.codes, key=words, reverse=True)[:3]
    for code in dict.fromkeys(["ST36", *heaviest]):
        pdf = tmp_path / f"{code}.pdf"
        page = (atlas / "points" / f"{code}.html").as_uri()
        chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page)
        assert _sheets(pdf) == 1, code


# The page, copied beside itself with a script that reports how wide it is laid out, shown in a
# frame as wide as a phone (headless Chromium's window is never narrower than 500 px)
PROBE = "<script>parent.postMessage(document.documentElement.scrollWidth + ' ' + window.innerWidth, '*');</script>"
FRAME = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>probe</title></head><body>
<iframe src="{src}" style="width:360px;height:700px;border:0"></iframe>
<script>
window.addEventListener("message", function (e) {{ document.body.setAttribute("data-width", e.data); }});
</script>
</body></html>"""


@pytest.mark.parametrize("page", ["points/ST36.html", "index.html", "conditions/CIPN.html", "channels/BL.html"])
def test_pages_fit_a_phone_without_scrolling_sideways(atlas, tmp_path, page):
    original = atlas / page
    probe = original.with_name("probe-" + original.name)
    frame = original.with_name("frame-" + original.name)
    probe.write_text(original.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    frame.write_text(FRAME.format(src=probe.name), encoding="utf-8")
    try:
        html = chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", frame.as_uri())
    finally:
        probe.unlink()
        frame.unlink()
    width, viewport = map(int, re.search(r'data-width="(\d+) (\d+)"', html).groups())
    assert viewport == 360 and width <= viewport, (page, width)
