"""Search: ranking that means something, words as people write them, scores for scripts."""

from __future__ import annotations

import json

import pytest
from search_queries import QUERIES, hit_rate


def _codes(cli, *args):
    code, out, err = cli("search", *args, "--fields", "code", "-f", "plain")
    assert code == 0, err
    return out.split()


def test_the_query_set(catalog):
    hits, misses = hit_rate(lambda q, n: catalog.search(q, limit=n))
    # symptoms, conditions, names, characters and typos: an expected point in the first five
    assert hits >= len(QUERIES) - 1, misses


@pytest.mark.parametrize(
    ("query", "n", "expected"),
    [
        (("headache",), 5, {"GB20", "LI4"}),
        (("motion", "sickness"), 3, {"PC6"}),
        (("numb", "toes"), 5, {"EX-LE10"}),
    ],
)
def test_the_issue_s_queries(cli, query, n, expected):
    assert expected <= set(_codes(cli, *query, "-n", str(n)))


@pytest.mark.parametrize(("query", "condition"), [("shingles", "PHN"), ("herpes zoster", "PHN"), ("neuropathy", None)])
def test_conditions_and_their_synonyms_find_the_condition_s_points(cli, catalog, query, condition):
    got = _codes(cli, *query.split(), "-n", "8")
    linked = {p.code for p in catalog if (condition in p.conditions if condition else p.conditions)}
    assert got and set(got) <= linked | {p.code for p in catalog if query.split()[0] in " ".join(p.indications)}
    assert len(set(got) & linked) >= 5


def test_characters_and_codes_put_their_point_first(cli):
    assert _codes(cli, "足三里")[0] == "ST36"
    assert _codes(cli, "UB40")[0] == "BL40"
    assert _codes(cli, "zusanli")[0] == "ST36"


def test_a_typo_is_forgiven_below_the_exact_word(catalog):
    exact = catalog.search_hits("insomnia", limit=3)
    typo = catalog.search_hits("insomina", limit=3)
    assert exact[0].code == typo[0].code
    assert typo[0].score < exact[0].score


def test_a_location_word_is_not_a_symptom(catalog):
    """'depression' is in dozens of location texts; only the mood counts."""
    mood = ("depression", "low mood", "low spirits", "melancholy")
    hits = catalog.search_hits("depression")
    assert hits
    for hit in hits:
        assert "location" not in hit.matched
        assert any(word in line for line in catalog.point(hit.code).indications for word in mood), hit


def test_json_gives_scores_and_the_fields_that_matched(cli):
    code, out, _ = cli("search", "headache", "-n", "3", "-f", "json")
    data = json.loads(out)
    assert [d["code"] for d in data][:1] == ["GB20"]
    assert all(isinstance(d["score"], float) and d["matched"] for d in data)
    assert data == sorted(data, key=lambda d: -d["score"])
    code, out, _ = cli("search", "headache", "--min-score", "4", "-f", "json")
    assert all(d["score"] >= 4 for d in json.loads(out)) and json.loads(out)


def test_a_miss_says_so_with_words_to_try(cli):
    code, out, err = cli("search", "xylophone")
    assert code == 0 and out == ""
    assert "acupoints: note: no point matches 'xylophone'; the catalog has words like:" in err


def test_an_empty_query_is_a_usage_error(cli):
    code, out, err = cli("search", "")
    assert code == 2 and "give words to search for" in err


def test_the_index_is_kept_in_the_cache(tmp_path, monkeypatch):
    from acupoints import load_catalog

    monkeypatch.setenv("ACUPOINTS_CACHE_DIR", str(tmp_path))
    first = load_catalog()
    first.search("headache")
    assert list(tmp_path.glob("search-*"))
    again = load_catalog()
    assert again.search_hits("headache", 5) == first.search_hits("headache", 5)


def test_synonyms_are_data(catalog):
    groups = catalog.synonyms()
    assert any("shingles" in g and "PHN" in g for g in groups)
    assert any(g[:2] == [">", "headache"] for g in groups)
