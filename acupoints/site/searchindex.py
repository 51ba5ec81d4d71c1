"""The search index the atlas's search box reads: `acupoints search`'s own index, exported.

The choice: export, not precompute. The browser gets the very index `acupoints search` scores
with (search.build_index: each word's postings with its counts per field, each point's field
norms, the prominence of its indications), the synonym groups as the Searcher has tokenised
them, and the name resolver's keys (codes.build_index) with the code prefixes of every system
(codes.PREFIXES). assets/search.js then runs the same steps as Searcher.search and
codes.resolve: fold, drop stop words, stem, expand by synonyms, match unknown words to near
catalog words (difflib's ratio, ported), score by BM25F, and put a point the text names first.
Precomputing answers would need the queries in advance; exporting keeps one scoring, and a
browser test checks that the page ranks as the command does.

Two things differ, both said in the README: a last word that is not a catalog word also
matches the catalog words it begins (so "zusa" finds Zúsānlǐ while it is being typed), and a
site built with filters holds only its own points (the words and their rarity stay the
catalog's, so the order among them is the command's).

The file is a script assigning one JSON object (`window.ACUPOINTS_INDEX = {...};`): a page
opened from disk may load a script beside it, where fetch() of a JSON file is refused.
"""

from __future__ import annotations

import json
import marshal
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from acupoints.catalog import Catalog
    from acupoints.model import Point

INDEX_FORMAT = 1
VARIABLE = "window.ACUPOINTS_INDEX"


def _number(x: float) -> float | int:
    """A count or weight as JSON writes it shortest, unrounded (the page must score as the command
    does): 1.0 as 1, 0.7000000000000001 as it is."""
    return int(x) if x == int(x) else x


def build(catalog: Catalog, points: Sequence[Point], url: Callable[[str], str]) -> dict[str, Any]:
    """The index as one JSON-ready object, for the points of the site (`url`: a point's page)."""
    from acupoints import codes, search

    searcher = catalog.searcher()
    postings, all_codes = searcher.postings, searcher.codes
    norms, prominence = searcher.norms, searcher.prominence
    nf = len(search.FIELDS)
    doc_of = {code: i for i, code in enumerate(all_codes)}
    site = [p.code for p in points]
    here = {doc_of[c]: i for i, c in enumerate(site)}  # catalog doc -> site doc, catalog order kept
    n = len(all_codes)

    terms: dict[str, list[Any]] = {}
    for word, blob in postings.items():
        plist: list[tuple[int, tuple[float, ...]]] = marshal.loads(blob)
        # the word's rarity in the whole catalog, so a filtered site ranks as the command does
        df = len(plist)
        kept = []
        for doc, counts in plist:
            if doc in here:
                row: list[float] = [here[doc]]
                for f, c in enumerate(counts):
                    if c:
                        row += [f, _number(c)]
                kept.append(row)
        terms[word] = [df, kept]

    names: dict[str, list[int]] = {}
    site_index = {c: i for i, c in enumerate(site)}
    for key, found in codes.build_index(raw for _, raw in catalog._raws()).items():
        docs = [site_index[c] for c in found if c in site_index]
        if docs:
            names[key] = docs

    return {
        "format": INDEX_FORMAT,
        "n": n,  # points in the catalog: the idf counts against all of them
        "k1": search.K1,
        "fields": list(search.FIELD_NAMES),
        "indication": search.INDICATION,
        "prominence_weight": search.PROMINENCE,
        "exact_bonus": search.EXACT_BONUS,
        "synonym_weight": search.SYNONYM_WEIGHT,
        "typo_weight": search.TYPO_WEIGHT,
        "include_weight": search.INCLUDE_WEIGHT,
        "stopwords": sorted(search.STOPWORDS),
        "irregular": search.IRREGULAR,
        "points": [
            {
                "code": p.code,
                "pinyin": p.pinyin,
                "hanzi": p.hanzi,
                "english": p.english,
                "url": url(p.code),
                "norms": [_number(norms[doc_of[p.code] * nf + f]) for f in range(nf)],
                "prominence": _number(prominence[doc_of[p.code]]),
            }
            for p in points
        ],
        "terms": terms,
        "groups": [[list(t) for t in group] for group in searcher.groups],
        "includes": [[list(broad), [list(t) for t in narrower]] for broad, narrower in searcher.includes],
        "names": names,
        "catalog_codes": list(all_codes),  # a code of the catalog resolves even where the site lacks it
        "prefixes": {k: list(v) for k, v in codes.PREFIXES.items()},
    }


def script(index: dict[str, Any]) -> str:
    """The index as a script a page loads from disk."""
    body = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    return f"{VARIABLE} = {body};\n"


def parse(text: str) -> dict[str, Any]:
    """The JSON object of a script written by `script` (for tests and tools)."""
    head = f"{VARIABLE} = "
    if not text.startswith(head) or not text.rstrip().endswith(";"):
        raise ValueError("not a search index script")
    loaded: dict[str, Any] = json.loads(text[len(head) :].rstrip().rstrip(";"))
    return loaded
