"""Search: a scored retrieval over each point's fields (BM25F), with words as people write them.

Scoring is BM25F (Robertson and Zaragoza's field-weighted BM25): a word's count in each field is
weighted and length-normalised per field, summed, then saturated (K1) and scaled by how rare the
word is across the catalog (idf). So a word in a point's name outweighs the same word in its
location, a word that fits every point counts for little, and a long field does not win by
length. The field weights say what a searcher means:

- code (8): "st36", "ub40" name one point; an exact code or name match is put first anyway.
- name (6): pinyin (tones folded), characters (one token each), English names and aliases:
  someone who types "hegu" or "spirit gate" wants that point.
- indication (3): the symptom a student or practitioner types ("headache"). Hardly discounted for
  length (b = 0.15): a point with many indications is a much-used point, not a diluted one; a
  word counts once however often the list repeats it, more in the first lines (_rank_weight).
- action (1.5) and class (1.5): what the point does, its categories, the conditions the studies
  used it for (codes and names) and its channel.
- location (0.4): landmarks only, and never their filler words ("depression", "border"), so an
  anatomical "depression" does not answer a search for the mood.

Words are folded (case, accents, tones), lightly stemmed (numbness -> numb, feet -> foot,
headaches -> headache), expanded through data/synonyms.yaml (shingles -> herpes zoster, PHN),
and a word the catalog does not have is matched to its nearest catalog words at half weight, so
a typo never outranks an exact match. The index is built once per catalog and kept in the cache.
"""

from __future__ import annotations

import functools
import marshal
import math
import re
import unicodedata
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalog import Catalog

INDEX_FORMAT = 9
K1 = 1.2
# field: (weight, b): b is how much a longer field is discounted (names are short and equal)
FIELDS: dict[str, tuple[float, float]] = {
    "code": (8.0, 0.0),
    "name": (6.0, 0.3),
    "indication": (3.0, 0.15),
    "action": (1.5, 0.5),
    "class": (1.5, 0.3),
    "location": (0.4, 0.75),
}
FIELD_NAMES = tuple(FIELDS)
INDICATION = FIELD_NAMES.index("indication")
# A point the textbooks give many indications is a much-used point: among points that match a
# symptom equally, it comes first (log, so it orders ties and never outweighs a better match).
PROMINENCE = 0.5
EXACT_BONUS = 100.0  # the text names the point (a code, a name, characters): first, whatever else matches
SYNONYM_WEIGHT = 0.7  # a word the searcher did not type, but means
TYPO_WEIGHT = 0.5  # a near word: always below the exact one
# a narrower word brought in by a broader one (headache -> migraine): enough to lift a point that
# has both, never enough to put a point that has only the narrower one first
INCLUDE_WEIGHT = 0.25
STOPWORDS = frozenset(
    "a an the of and or in on at to with for by from its is be as into onto over under it this that "
    "which when where here there".split()
)
# landmark filler in locations: they place a point, they are not what anyone searches for
LOCATION_STOP = frozenset(
    "depression depressions border borders line level point points midpoint region aspect junction "
    "between below above lateral medial anterior posterior superior inferior proximal distal cun b".split()
)
IRREGULAR = {"feet": "foot", "teeth": "tooth", "children": "child", "women": "woman", "men": "man", "lower": "low"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff\uf900-\ufaff]")


def fold(text: str) -> str:
    """NFKC, lower case, accents and tone marks removed: 'Zúsānlǐ' -> 'zusanli'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def stem(word: str) -> str:
    """A light English stemmer: plurals, -ness, -ing, -ed; enough for symptom words."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if _CJK.match(word) or word.isdigit() or len(word) <= 3:
        return word
    for suffix, repl, keep in (
        ("nesses", "", 4),
        ("ness", "", 3),
        ("ies", "y", 3),
        ("sses", "ss", 3),
        ("ches", "ch", 3),
        ("shes", "sh", 3),
        ("ing", "", 4),
        ("ed", "", 4),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            return word[: -len(suffix)] + repl
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        return word[:-1]
    return word


def tokens(text: str, *, location: bool = False) -> list[str]:
    return list(_tokens(text, location))


@functools.lru_cache(maxsize=1 << 16)
def _tokens(text: str, location: bool) -> tuple[str, ...]:
    # catalogs repeat their phrases ("headache", "On the anterior leg"): each is analysed once
    out = []
    for w in _WORD.findall(fold(text)):
        if w in STOPWORDS or (location and w in LOCATION_STOP):
            continue
        out.append(stem(w))
    return tuple(out)


def _rank_weight(line: int) -> float:
    """Indications are listed main ones first (the textbooks' order): a word in the first lines
    counts fully, each later line a tenth less, so among points that all list "tinnitus" the one
    that lists it first comes first. Never below half."""
    return max(0.5, 1.0 - 0.1 * line)


def _point_fields(raw: dict[str, Any], conditions: Mapping[str, Any], channel: str) -> list[list[Any]]:
    code = raw["code"]
    codes = [code.casefold().replace("-", ""), code.casefold()]
    names = [raw["pinyin"], raw["english"], raw["hanzi"], raw.get("hanzi_simplified") or ""]
    names += list(raw.get("aliases") or []) + list(raw.get("ambiguous_aliases") or [])
    name_tokens = [t for n in names for t in tokens(n)]
    name_tokens += [fold(raw["pinyin"]).replace(" ", "")]  # the whole toneless name: "zusanli"
    classes = []
    for c in raw.get("categories") or []:
        classes += [c["kind"]] + ([c["of"]] if c.get("of") else [])
    for cond in raw.get("conditions") or {}:
        info = conditions.get(cond, {})
        classes += [cond, str(info.get("name", ""))]
    classes.append(channel)
    return [
        [t for c in codes for t in _WORD.findall(c)] + codes,
        name_tokens,
        [(t, _rank_weight(i)) for i, line in enumerate(raw.get("indications") or []) for t in tokens(line)],
        [t for line in raw.get("actions") or [] for t in tokens(line)],
        [t for c in classes for t in tokens(c)],
        tokens(raw.get("location") or "", location=True),
    ]


def build_index(catalog: Catalog) -> dict[str, Any]:
    """The postings (word -> [(point, counts per field)]), field lengths and their averages."""
    from .model import MERIDIANS

    postings: dict[str, list[tuple[int, tuple[float, ...]]]] = {}
    lengths: list[tuple[int, ...]] = []
    codes: list[str] = []
    prominence: list[float] = []
    conditions = catalog.conditions
    for i, (code, raw) in enumerate(catalog._raws()):
        fields = _point_fields(raw, conditions, MERIDIANS.get(raw["meridian"], raw["meridian"]))
        codes.append(code)
        lengths.append(tuple(len(f) for f in fields))
        prominence.append(round(math.log1p(len(raw.get("indications") or ())), 4))
        counts: dict[str, list[float]] = {}
        for fi, words in enumerate(fields):
            for w in words:
                word, weight = w if isinstance(w, tuple) else (w, 1.0)
                per = counts.setdefault(word, [0.0] * len(FIELDS))
                if fi == INDICATION:
                    # presence, at its first (strongest) line: how often a word recurs in a list of
                    # indications says how it was written, not how well the point treats it
                    per[fi] = max(per[fi], weight)
                else:
                    per[fi] += weight
        for w, c in counts.items():
            postings.setdefault(w, []).append((i, tuple(c)))
    n = max(len(lengths), 1)
    avg = tuple(max(sum(ln[f] for ln in lengths) / n, 1.0) for f in range(len(FIELDS)))
    # each word's postings are a marshal blob of their own: a query decodes only its own words
    # (40,000 points: 50 MB of postings, of which a five-word query reads a few kB)
    terms = {w: marshal.dumps(p) for w, p in postings.items()}
    # each field's weight over its length normalisation, per point, computed once here; packed
    # arrays decode in a millisecond where 40,000 tuples take 30
    norms = array("d")
    for ln in lengths:
        for f, name in enumerate(FIELD_NAMES):
            w, b = FIELDS[name]
            norms.append(w / (1 - b + b * ln[f] / avg[f]))
    return {
        "format": INDEX_FORMAT,
        "codes": codes,
        "terms": terms,
        "norms": norms.tobytes(),
        "avg": avg,
        "prominence": array("d", prominence).tobytes(),
    }


@dataclass(frozen=True)
class Hit:
    code: str
    score: float
    matched: tuple[str, ...]  # the fields that matched, strongest first


class Searcher:
    def __init__(self, index: dict[str, Any], synonyms: list[list[str]]) -> None:
        self.codes: list[str] = index["codes"]
        self.postings: dict[str, bytes] = index["terms"]
        self.norms = array("d")
        self.norms.frombytes(index["norms"])
        self.prominence = array("d")
        self.prominence.frombytes(index["prominence"])
        self.n = len(self.codes)
        self.avg = index["avg"]
        self._by_initial: dict[str, list[str]] | None = None
        # each synonym group as token tuples; a group marked ">" goes one way: its first term
        # (broader) brings in the rest (narrower), not the other way round
        self.groups: list[list[tuple[str, ...]]] = []
        self.includes: list[tuple[tuple[str, ...], list[tuple[str, ...]]]] = []
        for group in synonyms:
            if group and group[0] == ">":
                self.includes.append((tuple(tokens(group[1])), [tuple(tokens(t)) for t in group[2:]]))
            else:
                self.groups.append([tuple(tokens(term)) for term in group])

    def _near(self, word: str) -> list[tuple[str, float]]:
        """Catalog words one or two typos from `word` (same first letter, similar length)."""
        import difflib

        if len(word) < 4 or _CJK.match(word):
            return []
        if self._by_initial is None:
            self._by_initial = {}
            for w in self.postings:
                self._by_initial.setdefault(w[:1], []).append(w)
        pool = [w for w in self._by_initial.get(word[:1], ()) if abs(len(w) - len(word)) <= 2]
        out = []
        for cand in difflib.get_close_matches(word, pool, n=2, cutoff=0.8):
            out.append((cand, difflib.SequenceMatcher(None, word, cand).ratio()))
        return out

    def expand(self, query: str) -> dict[str, float]:
        """Query words with their weights: as typed (1), synonyms (0.7), near words for unknown ones (0.5)."""
        words = tokens(query)
        weights: dict[str, float] = {}

        def add(w: str, weight: float) -> None:
            weights[w] = max(weights.get(w, 0.0), weight)

        for w in words:
            add(w, 1.0)
        for group in self.groups:
            for term in group:
                if term and _contains(words, term):
                    # a phrase triggers its group; only one-word members are added, since the words of
                    # a phrase alone ("head" of "head pain") would mean something else
                    for other in group:
                        if len(other) == 1:
                            add(other[0], SYNONYM_WEIGHT)
                    break
        for broad, narrower in self.includes:
            if broad and _contains(words, broad):
                for term in narrower:
                    if len(term) == 1:
                        add(term[0], INCLUDE_WEIGHT)
        for w in words:  # only the words typed: a synonym the catalog lacks is no typo
            if w not in self.postings:
                for cand, ratio in self._near(w):
                    add(cand, TYPO_WEIGHT * ratio)
        return weights

    def search(self, query: str, exact: Iterable[str] = (), limit: int | None = None) -> list[Hit]:
        scores: dict[int, float] = {}
        best: dict[int, list[float]] = {}
        nf = len(FIELDS)
        norms = self.norms
        for word, qw in self.expand(query).items():
            blob = self.postings.get(word)
            if not blob:
                continue
            plist: list[tuple[int, tuple[float, ...]]] = marshal.loads(blob)
            idf = math.log(1 + (self.n - len(plist) + 0.5) / (len(plist) + 0.5))
            for doc, counts in plist:
                base = doc * nf
                tf = 0.0
                per = best.get(doc)
                if per is None:
                    per = best[doc] = [0.0] * nf
                for f, c in enumerate(counts):
                    if c:
                        part = c * norms[base + f]
                        tf += part
                        per[f] += part * qw
                scores[doc] = scores.get(doc, 0.0) + qw * idf * tf * (K1 + 1) / (tf + K1)
        for doc, per in best.items():
            if per[INDICATION] > 0:
                scores[doc] += PROMINENCE * self.prominence[doc]
        index_of = {c: i for i, c in enumerate(self.codes)} if exact else {}
        for code in exact:
            i = index_of.get(code)
            if i is not None:
                scores[i] = scores.get(i, 0.0) + EXACT_BONUS
                best.setdefault(i, [0.0] * nf)[0] += EXACT_BONUS

        # ties broken by how strongly the best field matched, then by catalog order
        def key(doc: int) -> tuple[float, float, int]:
            return (-round(scores[doc], 9), -max(best[doc]), doc)

        if limit is not None and len(scores) > 4 * limit:
            import heapq

            # the best few by score alone, then every point tied with the last of them, in full order
            top = heapq.nlargest(limit, scores.values())
            floor = round(top[-1], 9)
            docs = sorted((d for d, sc in scores.items() if round(sc, 9) >= floor), key=key)[:limit]
        else:
            docs = sorted(scores, key=key)[:limit]
        hits = []
        for doc in docs:
            per = best[doc]
            matched = tuple(FIELD_NAMES[f] for f in sorted(range(nf), key=lambda f: -per[f]) if per[f] > 0)
            hits.append(Hit(self.codes[doc], round(scores[doc], 3), matched))
        return hits

    def suggest(self, query: str, n: int = 5) -> list[str]:
        """Catalog words nearest to the query's words, for a query that matched nothing."""
        import difflib

        out: list[str] = []
        words = [x for x in self.postings if not x.isdigit() and not _CJK.match(x)]
        for w in tokens(query):
            # the nearest words, however far: a searcher who missed needs somewhere to go
            for cand in difflib.get_close_matches(w, words, n=n, cutoff=0.0):
                if cand not in out:
                    out.append(cand)
        return out[:n]


def _contains(words: list[str], term: tuple[str, ...]) -> bool:
    if len(term) == 1:
        return term[0] in words
    k = len(term)
    return any(tuple(words[i : i + k]) == term for i in range(len(words) - k + 1))
