"""Turning what people type into WHO codes.

One resolver for codes in any system and spacing (ST36, st-36, St 36, ST036, UB40, SJ5, Liv3,
Du20, Ren12, K3, French E36, German Ma36), extra points (EX-LE10), pinyin with or without tones,
English names and aliases, and Chinese characters compared after NFKC. It never guesses: a text
that fits several points yields all of them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

# Prefixes people write, mapped to WHO meridians. A prefix that means two channels in two
# systems maps to both, so the answer lists both rather than picking one:
#   P   - English writers use it for the pericardium (P6), French for the lung (poumon);
#   Le  - German for liver (Leber), and also the start of the extra group EX-LE.
# "Du" is the Governor Vessel (its Chinese name); the German small intestine is Dü.
PREFIXES: dict[str, tuple[str, ...]] = {
    # WHO and older English systems
    "lu": ("LU",),
    "li": ("LI",),
    "st": ("ST",),
    "sp": ("SP",),
    "ht": ("HT",),
    "h": ("HT",),
    "si": ("SI",),
    "bl": ("BL",),
    "ub": ("BL",),
    "b": ("BL",),
    "ki": ("KI",),
    "k": ("KI",),
    "kd": ("KI",),
    "pc": ("PC",),
    "te": ("TE",),
    "sj": ("TE",),
    "tw": ("TE",),
    "th": ("TE",),
    "tb": ("TE",),
    "gb": ("GB",),
    "lr": ("LR",),
    "liv": ("LR",),
    "lv": ("LR",),
    "gv": ("GV",),
    "du": ("GV",),
    "dm": ("GV",),
    "cv": ("CV",),
    "ren": ("CV",),
    "rn": ("CV",),
    "cx": ("PC",),
    # French (Nguyen Van Nghi's school)
    "gi": ("LI",),
    "e": ("ST",),
    "rp": ("SP",),
    "c": ("HT",),
    "ig": ("SI",),
    "v": ("BL",),
    "r": ("KI",),
    "mc": ("PC",),
    "tr": ("TE",),
    "vb": ("GB",),
    "f": ("LR",),
    "vg": ("GV",),
    "vc": ("CV",),
    # German
    "di": ("LI",),
    "ma": ("ST",),
    "mp": ("SP",),
    "he": ("HT",),
    "dü": ("SI",),
    "due": ("SI",),
    "ni": ("KI",),
    "ks": ("PC",),
    "pe": ("PC",),
    "3e": ("TE",),
    "le": ("LR", "EX-LE"),
    "lg": ("GV",),
    "kg": ("CV",),
    # ambiguous across systems
    "p": ("PC", "LU"),
    # extra points
    "exhn": ("EX-HN",),
    "exca": ("EX-CA",),
    "exb": ("EX-B",),
    "exue": ("EX-UE",),
    "exle": ("EX-LE",),
}

# Channels by name, as students write them before a number (`Stomach 36`, `Gall Bladder 34`) or
# alone (`acupoints meridian stomach`): compared without case, spaces or hyphens, and with a
# trailing "channel" or "meridian" dropped. The older English names (heart constrictor, triple
# warmer, ...) are those of the books that also use the older codes above.
CHANNEL_NAMES: dict[str, str] = {
    "lung": "LU",
    "largeintestine": "LI",
    "stomach": "ST",
    "spleen": "SP",
    "spleenpancreas": "SP",
    "heart": "HT",
    "smallintestine": "SI",
    "bladder": "BL",
    "urinarybladder": "BL",
    "kidney": "KI",
    "pericardium": "PC",
    "heartconstrictor": "PC",
    "heartprotector": "PC",
    "heartgovernor": "PC",
    "circulationsex": "PC",
    "tripleenergizer": "TE",
    "tripleenergiser": "TE",
    "tripleburner": "TE",
    "triplewarmer": "TE",
    "tripleheater": "TE",
    "sanjiao": "TE",
    "gallbladder": "GB",
    "liver": "LR",
    "governingvessel": "GV",
    "governorvessel": "GV",
    "dumai": "GV",
    "conceptionvessel": "CV",
    "renmai": "CV",
}
_CHANNEL_WORDS = ("channel", "meridian")


def _channels_of(prefix: str) -> tuple[str, ...]:
    """The meridians (or extra groups) a code's prefix names: an abbreviation in any system, or a
    channel's name (`stomach`, `stomach channel`)."""
    found = PREFIXES.get(prefix)
    if found:
        return found
    for word in _CHANNEL_WORDS:
        if prefix.endswith(word) and len(prefix) > len(word):
            prefix = prefix[: -len(word)]
            break
    code = CHANNEL_NAMES.get(prefix)
    return (code,) if code else ()


# Compiled on first use (re caches it): only the validator and sorting need it, not a lookup.
_WHO_CODE = r"^(?:(LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)(\d+)|EX-(HN|CA|B|UE|LE)(\d+))$"


def who_code_match(code: str) -> re.Match[str] | None:
    return re.match(_WHO_CODE, code)


_CHANNEL_ORDER = ("LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR", "GV", "CV")
_EXTRA_ORDER = ("HN", "CA", "B", "UE", "LE")
_CODE_TEXT = re.compile(r"^(3e|[a-zü]+)0*(\d+)$")
_SEPARATORS = re.compile(r"[\s\-_.·/]+")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_TRAILING_NUMBER = re.compile(r"\d+$")
_TONES = {"\u0300", "\u0301", "\u0304", "\u030c"}


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2FA1F or 0xF900 <= o <= 0xFAFF


# ~1.3 ms to compile for its astral range, so compiled on first use (re caches it)
_ALL_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+"


def all_cjk(text: str) -> bool:
    return re.fullmatch(_ALL_CJK, text) is not None


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def who_order_key(code: str) -> tuple[int, int, int]:
    """Sorts WHO codes in WHO order: the 14 channels, then the extra groups; unknown codes last."""
    match = who_code_match(code)
    if not match:
        return (99, 0, 0)
    if match.group(1):
        return (_CHANNEL_ORDER.index(match.group(1)), 0, int(match.group(2)))
    return (len(_CHANNEL_ORDER), _EXTRA_ORDER.index(match.group(3)), int(match.group(4)))


def code_candidates(text: str) -> list[str]:
    """The WHO codes a code-like text may mean (unchecked against the catalog); [] if not code-like."""
    t = _SEPARATORS.sub("", _nfkc(text).casefold())
    match = _CODE_TEXT.match(t)
    if not match:
        return []
    prefix, number = match.groups()
    return [f"{m}{int(number)}" for m in _channels_of(prefix)]


def meridian_from(text: str) -> tuple[str, ...]:
    """Meridians a channel abbreviation in any system (UB -> BL) or a channel's name (stomach,
    Gall Bladder, San Jiao) names; () if unknown."""
    t = _SEPARATORS.sub("", _nfkc(text).casefold())
    if t in ("ex", "extra", "extrapoints"):
        return ("EX",)
    return tuple(m for m in _channels_of(t) if not m.startswith("EX-"))


def nearest_channel(text: str) -> str | None:
    """The channel an unknown channel text most likely meant (a code, or a name: 'stomack'), for a
    suggestion; None if nothing is near."""
    t = _SEPARATORS.sub("", _nfkc(text).casefold())
    pool = {code.casefold(): code for code in _CHANNEL_ORDER} | {name: code for name, code in CHANNEL_NAMES.items()}
    close = difflib.get_close_matches(t, list(pool), n=1, cutoff=0.5 if len(t) <= 3 else 0.75)
    return pool[close[0]] if close else None


def has_tones(text: str) -> bool:
    return any(c in _TONES for c in unicodedata.normalize("NFD", text))


def toneless_key(text: str) -> str:
    """zusanli for Zú Sān Lǐ, Zusanli or zu-san-li."""
    if text.isascii():  # most names and all English: no accents to strip
        return _NON_WORD.sub("", text.lower())
    decomposed = unicodedata.normalize("NFD", _nfkc(text).casefold())
    return _NON_WORD.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


def toned_key(text: str) -> str:
    composed = unicodedata.normalize("NFC", _nfkc(text).casefold())
    return "".join(c for c in composed if c.isalnum())


def name_key(text: str) -> str:
    """The key an English name or alias is compared by: case, spacing and punctuation ignored."""
    return toneless_key(text)


def hanzi_key(text: str) -> str:
    return "".join(c for c in _nfkc(text) if not c.isspace())


def index_entries(point: Mapping) -> Iterable[str]:
    """Every lookup key of one point, each prefixed by its kind."""
    yield "t:" + toned_key(point["pinyin"])
    yield "p:" + toneless_key(point["pinyin"])
    yield "h:" + hanzi_key(point["hanzi"])
    if point.get("hanzi_simplified"):
        yield "h:" + hanzi_key(point["hanzi_simplified"])
    yield "n:" + name_key(point["english"])
    for alias in list(point.get("aliases", ())) + list(point.get("ambiguous_aliases", ())):
        if any(is_cjk(c) for c in alias):
            yield "h:" + hanzi_key(alias)
        else:
            yield "n:" + name_key(alias)


def build_index(points: Iterable[Mapping]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for p in points:
        for key in dict.fromkeys(index_entries(p)):
            index.setdefault(key, []).append(p["code"])
    return index


def resolve(text: str, index: Callable[[], Mapping[str, list[str]]], codes: Mapping[str, object]) -> list[str]:
    """All WHO codes the text may mean, in catalog order of discovery; [] when none.

    `index` is called only when the text is not a code: a large catalog's name index is then
    never loaded for `show ST36`.
    """
    t = _nfkc(text)
    if not t:
        return []
    if t.upper() in codes:
        return [t.upper()]
    found = [c for c in code_candidates(t) if c in codes]
    if found:
        return found
    names = index()
    if any(is_cjk(c) for c in t):
        return list(names.get("h:" + hanzi_key(t), []))
    key = name_key(t)
    if not key:
        return []
    if has_tones(t):
        hit = names.get("t:" + toned_key(t))
        if hit:
            return list(hit)
    by_name = names.get("n:" + key, [])
    by_pinyin = names.get("p:" + key, [])
    return list(dict.fromkeys(by_name + by_pinyin))


def _distance(a: str, b: str) -> float:
    """Edit distance where swapping two neighbours costs half: ST63 is nearest to ST36."""
    prev2: list[float] = []
    prev = [float(j) for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        cur = [float(i)] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0.0 if a[i - 1] == b[j - 1] else 1.0
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 0.5)
        prev2, prev = prev, cur
    return prev[-1]


def suggest(text: str, index: Mapping[str, list[str]], codes: Iterable[str], limit: int = 3) -> tuple[str, ...]:
    """The nearest codes to an unknown text: by code shape if it looks like a code, else by name."""
    t = _SEPARATORS.sub("", _nfkc(text).casefold())
    match = _CODE_TEXT.match(t)
    if match:
        prefix, number = match.groups()
        meridians = _channels_of(prefix)
        pool = [c for c in codes if any(c.startswith(m) and c[len(m) :].isdigit() for m in meridians)]
        if pool:

            def rank(code: str) -> tuple[float, int]:
                num = _TRAILING_NUMBER.search(code).group()  # type: ignore[union-attr]
                return (_distance(str(int(number)), num), abs(int(num) - int(number)))

            ranked = sorted(pool, key=rank)
            best = rank(ranked[0])[0]
            if best <= 2:
                return tuple(c for c in ranked if rank(c)[0] == best)[:limit]
            return ()
        code_keys = {c.casefold().replace("-", ""): c for c in codes}
        close = difflib.get_close_matches(t, list(code_keys), n=limit, cutoff=0.75)
        return tuple(code_keys[k] for k in close)
    key = name_key(text)
    if not key:
        return ()
    names = {k[2:]: v for k, v in index.items() if k[:2] in ("p:", "n:")}
    out: list[str] = []
    for near in difflib.get_close_matches(key, list(names), n=limit, cutoff=0.7):
        for code in names[near]:
            if code not in out:
                out.append(code)
    return tuple(out[:limit])
