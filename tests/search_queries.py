"""The search query set: what a student, a practitioner or a script types, and the points a
textbook would expect among the first five. Used by tests/test_search.py (with a threshold) and
by hand to compare rankings before and after a change."""

QUERIES: list[tuple[str, set[str]]] = [
    # symptoms
    ("headache", {"GB20", "LI4", "GV20", "EX-HN5", "LR3", "TE5", "LU7"}),
    ("migraine", {"GB20", "EX-HN5", "TE5", "GB41", "GB8", "LR3"}),
    ("toothache", {"LI4", "ST6", "ST7", "ST44", "LI3"}),
    ("nausea", {"PC6", "ST36", "CV12", "PC5"}),
    ("motion sickness", {"PC6"}),
    ("vomiting", {"PC6", "ST36", "CV12"}),
    ("insomnia", {"HT7", "SP6", "EX-HN16", "EX-HN22", "PC6", "BL62", "KI6", "GV20", "EX-HN3"}),
    ("cough", {"LU5", "LU7", "LU1", "BL13", "CV22", "LU9", "CV17", "LU6"}),
    ("low back pain", {"BL23", "BL40", "BL25", "GV4", "EX-B7", "EX-UE7", "BL52"}),
    ("knee pain", {"ST35", "EX-LE5", "EX-LE4", "SP9", "GB34", "ST34", "EX-LE2"}),
    ("sore throat", {"LU11", "LI4", "LU10", "KI6", "CV22", "SI17"}),
    ("tinnitus", {"TE17", "SI19", "GB2", "TE3", "TE21"}),
    ("numb toes", {"EX-LE10", "LR3", "ST41"}),
    ("numbness of the fingers", {"EX-UE9", "EX-UE11", "TE5", "LI4", "EX-UE12"}),
    ("constipation", {"ST25", "TE6", "ST37", "BL25", "SP15"}),
    ("diarrhoea", {"ST25", "ST37", "SP9", "ST36", "CV8", "BL25"}),
    ("palpitations", {"HT7", "PC6", "PC4", "HT5", "BL15"}),
    ("hiccups", {"BL17", "PC6", "CV22", "ST36", "CV12"}),
    # conditions and codes
    ("neuropathy", {"ST36", "SP6", "LR3", "LI4", "EX-LE10", "EX-UE9"}),
    ("CIPN", {"LI4", "LR3", "ST36", "EX-LE10", "EX-UE9", "SP6", "LI11"}),
    ("shingles", {"LI4", "LI11", "SP10", "PC6", "LR2", "ST44", "CV12", "CV4"}),
    ("herpes zoster", {"LI4", "LI11", "SP10", "PC6", "LR2", "ST44", "CV12", "CV4"}),
    # names, characters, codes
    ("zusanli", {"ST36"}),
    ("足三里", {"ST36"}),
    ("合谷", {"LI4"}),
    ("Hegu", {"LI4"}),
    ("Leg Three Miles", {"ST36"}),
    ("Spirit Gate", {"HT7"}),
    ("UB40", {"BL40"}),
    ("st-36", {"ST36"}),
    ("Baxie", {"EX-UE9"}),
    # typos
    ("zusnli", {"ST36"}),
    ("headach", {"GB20", "LI4", "GV20", "EX-HN5", "LR3", "TE5", "LU7"}),
    ("insomina", {"HT7", "SP6", "EX-HN16", "EX-HN22", "PC6", "BL62", "KI6", "GV20", "EX-HN3"}),
]


def hit_rate(search, n: int = 5) -> tuple[int, list[str]]:
    """How many queries have an expected point in their first n; and the queries that miss."""
    misses = []
    for q, want in QUERIES:
        got = [p.code for p, _ in search(q, n)]
        if not want & set(got):
            misses.append(f"{q!r}: {got}")
    return len(QUERIES) - len(misses), misses
