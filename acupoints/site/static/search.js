/* The atlas's search box: `acupoints search` and the name resolver, run in the page.
 *
 * It reads window.ACUPOINTS_INDEX (assets/search-index.js, written with the site: the index
 * `acupoints search` scores with, its synonyms, and the resolver's keys) and repeats the steps
 * of acupoints/search.py (Searcher.expand, Searcher.search, Searcher.suggest) and of
 * acupoints/codes.py (resolve): fold, stop words, stemming, synonyms, near words by difflib's
 * ratio, BM25F, and a point the text names put first. Keep the two in step: a browser test
 * compares this page's ranking with the command's.
 *
 * One addition: a last word that is not a catalog word also matches the catalog words it
 * begins, so a name is found while it is being typed ("zusa" finds Zusanli).
 *
 * No network, no libraries; the DOM is built with textContent, never from markup.
 */
(function () {
  "use strict";
  var X = window.ACUPOINTS_INDEX;
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  if (!X || !input || !list || !status) return;

  var LIMIT = 20;
  var NF = X.fields.length;
  var STOP = new Set(X.stopwords);
  var WORD = /[a-z0-9]+|[\u3400-\u9fff\uf900-\ufaff]/g;
  var CJK_START = /^[\u3400-\u9fff\uf900-\ufaff]/;
  var ANY_CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;
  var SEPARATORS = /[\s\-_.\u00b7/]+/g;
  var CODE_TEXT = /^(3e|[a-z\u00fc]+)0*(\d+)$/;
  var TONES = /[\u0300\u0301\u0304\u030c]/;
  var SUFFIXES = [["nesses", "", 4], ["ness", "", 3], ["ies", "y", 3], ["sses", "ss", 3],
                  ["ches", "ch", 3], ["shes", "sh", 3], ["ing", "", 4], ["ed", "", 4]];

  var docOfCode = {};
  X.points.forEach(function (p, i) { docOfCode[p.code] = i; });
  var catalogCodes = new Set(X.catalog_codes);
  var byInitial = null;

  // -- words, as search.py analyses them
  function fold(text) {
    return text.normalize("NFKC").toLowerCase().normalize("NFD").replace(/\p{Mn}/gu, "");
  }
  function stem(word) {
    if (Object.prototype.hasOwnProperty.call(X.irregular, word)) return X.irregular[word];
    if (CJK_START.test(word) || /^[0-9]+$/.test(word) || word.length <= 3) return word;
    for (var i = 0; i < SUFFIXES.length; i++) {
      var s = SUFFIXES[i];
      if (word.endsWith(s[0]) && word.length - s[0].length >= s[2]) {
        return word.slice(0, word.length - s[0].length) + s[1];
      }
    }
    if (word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us") && !word.endsWith("is") && word.length > 4) {
      return word.slice(0, -1);
    }
    return word;
  }
  function tokens(text) {
    var out = [];
    (fold(text).match(WORD) || []).forEach(function (w) {
      if (!STOP.has(w)) out.push(stem(w));
    });
    return out;
  }
  function contains(words, term) {
    if (term.length === 1) return words.indexOf(term[0]) >= 0;
    for (var i = 0; i + term.length <= words.length; i++) {
      var ok = true;
      for (var k = 0; k < term.length; k++) if (words[i + k] !== term[k]) { ok = false; break; }
      if (ok) return true;
    }
    return false;
  }

  // -- difflib.SequenceMatcher(None, a, b).ratio(), for words (no junk: they are short)
  function ratio(a, b) {
    var b2j = {};
    for (var j = 0; j < b.length; j++) (b2j[b[j]] = b2j[b[j]] || []).push(j);
    function longest(alo, ahi, blo, bhi) {
      var besti = alo, bestj = blo, bestsize = 0, j2len = {};
      for (var i = alo; i < ahi; i++) {
        var next = {}, js = b2j[a[i]] || [];
        for (var n = 0; n < js.length; n++) {
          var jj = js[n];
          if (jj < blo) continue;
          if (jj >= bhi) break;
          var k = (j2len[jj - 1] || 0) + 1;
          next[jj] = k;
          if (k > bestsize) { besti = i - k + 1; bestj = jj - k + 1; bestsize = k; }
        }
        j2len = next;
      }
      while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) { besti--; bestj--; bestsize++; }
      while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
      return [besti, bestj, bestsize];
    }
    var matched = 0, queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      var q = queue.pop(), m = longest(q[0], q[1], q[2], q[3]), i0 = m[0], j0 = m[1], k0 = m[2];
      if (k0) {
        matched += k0;
        if (q[0] < i0 && q[2] < j0) queue.push([q[0], i0, q[2], j0]);
        if (i0 + k0 < q[1] && j0 + k0 < q[3]) queue.push([i0 + k0, q[1], j0 + k0, q[3]]);
      }
    }
    var total = a.length + b.length;
    return total ? 2 * matched / total : 1;
  }
  // difflib.get_close_matches(word, pool, n, cutoff): best first, ties to the greater word
  function closeMatches(word, pool, n, cutoff) {
    var found = [];
    pool.forEach(function (x) {
      var r = ratio(x, word);
      if (r >= cutoff) found.push([r, x]);
    });
    found.sort(function (p, q) { return q[0] - p[0] || (q[1] > p[1] ? 1 : q[1] < p[1] ? -1 : 0); });
    return found.slice(0, n).map(function (f) { return f[1]; });
  }
  function near(word) {
    if (word.length < 4 || CJK_START.test(word)) return [];
    if (byInitial === null) {
      byInitial = {};
      Object.keys(X.terms).forEach(function (w) { (byInitial[w[0]] = byInitial[w[0]] || []).push(w); });
    }
    var pool = (byInitial[word[0]] || []).filter(function (w) { return Math.abs(w.length - word.length) <= 2; });
    return closeMatches(word, pool, 2, 0.8).map(function (c) { return [c, ratio(word, c)]; });
  }

  // -- Searcher.expand, and the words a query still being typed begins
  function expand(query) {
    var words = tokens(query), weights = new Map();
    function add(w, weight) { weights.set(w, Math.max(weights.get(w) || 0, weight)); }
    words.forEach(function (w) { add(w, 1); });
    X.groups.forEach(function (group) {
      for (var t = 0; t < group.length; t++) {
        if (group[t].length && contains(words, group[t])) {
          group.forEach(function (other) { if (other.length === 1) add(other[0], X.synonym_weight); });
          break;
        }
      }
    });
    X.includes.forEach(function (inc) {
      if (inc[0].length && contains(words, inc[0])) {
        inc[1].forEach(function (term) { if (term.length === 1) add(term[0], X.include_weight); });
      }
    });
    words.forEach(function (w) {
      if (!Object.prototype.hasOwnProperty.call(X.terms, w)) {
        near(w).forEach(function (c) { add(c[0], X.typo_weight * c[1]); });
      }
    });
    var last = words[words.length - 1];
    if (last && last.length >= 3 && !/\s$/.test(query) && !Object.prototype.hasOwnProperty.call(X.terms, last)) {
      Object.keys(X.terms).forEach(function (w) {
        if (w.length > last.length && w.startsWith(last)) add(w, X.typo_weight * last.length / w.length);
      });
    }
    return weights;
  }

  // -- codes.resolve: the points a text names
  function nfkc(text) { return text.normalize("NFKC").trim(); }
  function tonelessKey(text) {
    return nfkc(text).toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/[^0-9a-z]+/g, "");
  }
  function tonedKey(text) {
    return Array.from(nfkc(text).toLowerCase().normalize("NFC")).filter(function (c) {
      return /[\p{L}\p{N}]/u.test(c);
    }).join("");
  }
  function hanziKey(text) { return nfkc(text).replace(/\s+/g, ""); }
  function codeCandidates(text) {
    var t = nfkc(text).toLowerCase().replace(SEPARATORS, "");
    var m = CODE_TEXT.exec(t);
    if (!m) return [];
    var merids = Object.prototype.hasOwnProperty.call(X.prefixes, m[1]) ? X.prefixes[m[1]] : [];
    return merids.map(function (mer) { return mer + String(parseInt(m[2], 10)); });
  }
  function resolve(text) {
    var t = nfkc(text);
    if (!t) return [];
    if (catalogCodes.has(t.toUpperCase())) return docsOf([t.toUpperCase()]);
    var found = codeCandidates(t).filter(function (c) { return catalogCodes.has(c); });
    if (found.length) return docsOf(found);
    if (ANY_CJK.test(t)) return X.names["h:" + hanziKey(t)] || [];
    var key = tonelessKey(t);
    if (!key) return [];
    if (TONES.test(nfkc(t).normalize("NFD"))) {
      var hit = X.names["t:" + tonedKey(t)];
      if (hit && hit.length) return hit;
    }
    var out = [];
    (X.names["n:" + key] || []).concat(X.names["p:" + key] || []).forEach(function (d) {
      if (out.indexOf(d) < 0) out.push(d);
    });
    return out;
  }
  function docsOf(codes) {
    return codes.filter(function (c) { return c in docOfCode; }).map(function (c) { return docOfCode[c]; });
  }

  // -- Searcher.search
  function round(x, places) { var f = Math.pow(10, places); return Math.round(x * f) / f; }
  function search(query) {
    var scores = new Map(), best = new Map(), n = X.n;
    expand(query).forEach(function (qw, word) {
      var entry = X.terms[word];
      if (!Object.prototype.hasOwnProperty.call(X.terms, word)) return;
      var df = entry[0], rows = entry[1];
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      rows.forEach(function (row) {
        var doc = row[0], norms = X.points[doc].norms, tf = 0, per = best.get(doc);
        if (!per) { per = new Array(NF).fill(0); best.set(doc, per); }
        for (var k = 1; k < row.length; k += 2) {
          var part = row[k + 1] * norms[row[k]];
          tf += part;
          per[row[k]] += part * qw;
        }
        scores.set(doc, (scores.get(doc) || 0) + qw * idf * tf * (X.k1 + 1) / (tf + X.k1));
      });
    });
    best.forEach(function (per, doc) {
      if (per[X.indication] > 0) scores.set(doc, scores.get(doc) + X.prominence_weight * X.points[doc].prominence);
    });
    resolve(query).forEach(function (doc) {
      scores.set(doc, (scores.get(doc) || 0) + X.exact_bonus);
      if (!best.has(doc)) best.set(doc, new Array(NF).fill(0));
      best.get(doc)[0] += X.exact_bonus;
    });
    var docs = Array.from(scores.keys());
    docs.sort(function (a, b) {
      return (round(scores.get(b), 9) - round(scores.get(a), 9)) ||
        (Math.max.apply(null, best.get(b)) - Math.max.apply(null, best.get(a))) || (a - b);
    });
    return docs.slice(0, LIMIT).map(function (doc) {
      var per = best.get(doc);
      var fields = [];
      for (var f = 0; f < NF; f++) fields.push(f);
      fields.sort(function (a, b) { return per[b] - per[a]; });
      return {
        doc: doc,
        score: round(scores.get(doc), 3),
        matched: fields.filter(function (f) { return per[f] > 0; }).map(function (f) { return X.fields[f]; })
      };
    });
  }
  // Searcher.suggest: the catalog words nearest the query's, for a query that matched nothing
  function suggest(query) {
    var words = Object.keys(X.terms).filter(function (w) { return !/^[0-9]+$/.test(w) && !CJK_START.test(w); });
    var out = [];
    tokens(query).forEach(function (w) {
      closeMatches(w, words, 5, 0).forEach(function (c) { if (out.indexOf(c) < 0) out.push(c); });
    });
    return out.slice(0, 5);
  }

  // -- the page
  function show(query) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var q = query.trim();
    if (!q) {
      status.textContent = "Type a code, a name or a symptom in the box above.";
      return [];
    }
    var hits = search(query);
    hits.forEach(function (h) {
      var p = X.points[h.doc];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = p.url;
      a.className = "hit";
      a.setAttribute("data-code", p.code);
      var code = document.createElement("span");
      code.className = "code";
      code.textContent = p.code;
      var hanzi = document.createElement("span");
      hanzi.lang = "zh-Hant";
      hanzi.textContent = p.hanzi;
      a.append(code, " " + p.pinyin + " ", hanzi);
      var english = document.createElement("span");
      english.className = "english";
      english.textContent = " " + p.english;
      var matched = document.createElement("span");
      matched.className = "matched";
      matched.textContent = " matched: " + h.matched.join(", ");
      li.append(a, english, matched);
      list.appendChild(li);
    });
    if (hits.length) {
      status.textContent = hits.length + (hits.length === LIMIT ? " best matches" : hits.length === 1 ? " point matches" : " points match") +
        " \u201c" + q + "\u201d, best first.";
    } else {
      var words = suggest(query);
      status.textContent = "No point matches \u201c" + q + "\u201d" +
        (words.length ? "; the catalog has words like: " + words.join(", ") + "." : ".");
    }
    return hits;
  }

  var form = input.form;
  input.addEventListener("input", function () { show(input.value); });
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var hits = show(input.value);
      try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* file:// may refuse */ }
      var first = list.querySelector("a");
      if (hits.length && first) first.focus();
    });
  }
  input.addEventListener("keydown", function (event) {
    var first = list.querySelector("a");
    if (event.key === "ArrowDown" && first) { event.preventDefault(); first.focus(); }
  });
  list.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    event.preventDefault();
    if (event.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
    else if (event.key === "ArrowUp") (at > 0 ? links[at - 1] : input).focus();
  });
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    input.value = asked;
    show(asked);
  }
})();
