// The /search/ page: answers a query from the index `spanvero build` writes under
// /search-index/ (core/search.py; the format is in docs/architecture.md), with no library and
// nothing but same-origin fetches, so it runs under `default-src 'self'`. The query comes from
// ?q= (the header's search box submits there) and from typing. Without JavaScript, or without
// an index (the live preview builds none), the page lists every explainer and model instead.
//
// Test seam: window.spanveroSearch = {tokenize, stem}; tests/browser/test_search.py
// holds tokenize and stem to core/search.py's tokenize(text, compounds=False) and stem(word).
(function () {
  "use strict";

  // --- Terms: core/search.py's tokenize and stem, rule for rule --------------------------

  var WORD = /[\p{L}\p{N}]+/gu;
  // Letters or digits joined by a single hyphen: the index also holds the joined compound
  // ("fine-tuning" -> "finetun"), so the excerpt marks a word typed either way.
  var HYPHEN = /([\p{L}\p{N}])-(?=[\p{L}\p{N}])/gu;
  var EDGES = /^([^\p{L}\p{N}]*)([\s\S]*?)([^\p{L}\p{N}]*)$/u;
  var ASCII_WORD = /^[a-z]+$/;
  var FILE_KEY = /^[a-z0-9]{2}/;
  var MIN_TOKEN = 2;
  var MAX_TOKEN = 40;
  var STEM_RULES = [
    ["izations", "iz"], ["ization", "iz"],
    ["ations", "at"], ["ation", "at"], ["ments", ""], ["ment", ""],
    ["ings", ""], ["ing", ""], ["ions", ""], ["ion", ""],
    ["ies", "y"], ["ied", "y"], ["ers", ""], ["er", ""], ["edly", ""], ["ed", ""],
    ["es", ""], ["ly", ""], ["s", ""], ["e", ""],
  ];

  // As core/search.py's SPELLING_RULES: a British spelling read as the American one first.
  var SPELLING_RULES = [
    [/^([a-z]{3,})is(e|ed|es|ing|er|ers|ation|ations)$/, "$1iz$2"],
    [/^([a-z]{2,})ys(e|ed|es|ing|er|ers)$/, "$1yz$2"],
    [/^([a-z]{3,})our(s|ed|ing|ite|ites|able|ful|less)?$/, "$1or$2"],
    [/^([a-z]{2,}[tb])re(s?)$/, "$1er$2"],
    [/^([a-z]{2,}[tb])red$/, "$1ered"],
    [/^([a-z]{3,})ogue(s?)$/, "$1og$2"],
    [/^(lic|def|off|pret)enc(e|es|ed|ing)$/, "$1ens$2"],
    [/^([a-z]{3,}e)ll(ed|ing|er|ers)$/, "$1l$2"],
  ];

  function endsWith(word, suffix) {
    return word.length >= suffix.length && word.slice(word.length - suffix.length) === suffix;
  }

  function stem(word) {
    if (word.length < 4 || !ASCII_WORD.test(word)) return word;
    for (var j = 0; j < SPELLING_RULES.length; j++) {
      if (SPELLING_RULES[j][0].test(word)) {
        word = word.replace(SPELLING_RULES[j][0], SPELLING_RULES[j][1]);
        break;
      }
    }
    for (var i = 0; i < STEM_RULES.length; i++) {
      var suffix = STEM_RULES[i][0], replacement = STEM_RULES[i][1];
      if (!endsWith(word, suffix) || word.length - suffix.length + replacement.length < 3) continue;
      // "glass" and "analysis" keep their s; "gpus" loses it, as core/search.py does.
      if (suffix === "s" && (endsWith(word, "ss") || endsWith(word, "is"))) continue;
      return word.slice(0, word.length - suffix.length) + replacement;
    }
    return word;
  }

  // Python counts code points, JavaScript UTF-16 units: a letter beyond U+FFFF (CJK Extension
  // B, say) is one character to the index and two to .length.
  function codePoints(text) {
    var count = 0;
    for (var i = 0; i < text.length; i++) {
      var unit = text.charCodeAt(i);
      if (unit < 0xdc00 || unit > 0xdfff) count++;
    }
    return count;
  }

  // The query side of core/search.py's tokenize: words only, no hyphenated compounds (a query
  // "fine-tuning" looks up "fine" and "tun"; "finetuning" looks up the compound).
  function tokenize(text) {
    var words = String(text).normalize("NFKC").toLowerCase().match(WORD) || [];
    var terms = [];
    for (var i = 0; i < words.length; i++) {
      var term = stem(words[i]);
      var length = codePoints(term);
      if (length >= MIN_TOKEN && length <= MAX_TOKEN) terms.push(term);
    }
    return terms;
  }

  function unique(items) {
    return items.filter(function (item, i) { return items.indexOf(item) === i; });
  }

  function fileKey(term) {
    return FILE_KEY.test(term) ? term.slice(0, 2) : "_";
  }

  // --- Ranking: BM25 over the postings, as the index format describes --------------------

  var K1 = 1.2;
  var B = 0.75;
  var PREFIX_TERMS = 50;
  var PREFIX_FACTOR = 0.6;
  var TITLE_BONUS = K1 + 1; // a title match counts as much as the most a body's count can
  var hasOwn = Object.prototype.hasOwnProperty;

  // Python's order for strings, by code point; JavaScript's < compares UTF-16 units, which
  // differs only where a surrogate meets a unit above U+DFFF.
  function codePointOrder(unit) {
    if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
    return unit >= 0xe000 ? unit - 0x800 : unit;
  }

  function compareTerms(a, b) {
    var byLength = codePoints(a) - codePoints(b);
    if (byLength) return byLength;
    for (var i = 0; i < a.length && i < b.length; i++) {
      if (a.charCodeAt(i) !== b.charCodeAt(i)) {
        return codePointOrder(a.charCodeAt(i)) - codePointOrder(b.charCodeAt(i));
      }
    }
    return a.length - b.length;
  }

  // The terms a query token stands for: itself, and the shortest up to PREFIX_TERMS that it
  // begins, so a word still being typed ("quant") already finds "quantiz". Only the last
  // token, or one that is no term at all ("safeten"), stands for longer terms: a finished
  // word ("fine" in "fine tuning") is meant as typed, not as "find" or "final".
  function matchingTerms(token, terms, last) {
    var found = [];
    if (!terms) return found;
    var exact = hasOwn.call(terms, token);
    if (exact) found.push({ term: token, factor: 1 });
    if (codePoints(token) < 3 || (exact && !last)) return found;
    var longer = Object.keys(terms).filter(function (term) {
      return term !== token && term.lastIndexOf(token, 0) === 0;
    });
    longer.sort(compareTerms);
    longer.slice(0, PREFIX_TERMS).forEach(function (term) {
      found.push({ term: term, factor: PREFIX_FACTOR });
    });
    return found;
  }

  // `meta` is meta.json; `files[i]` the terms file of tokens[i] (null when none exists).
  // Returns the matching page ids, best first, and the terms that matched, each with the idf
  // of its token, for marking the excerpts and choosing where they centre.
  // A token and the terms it stands for count as one term of BM25: its frequency in a page
  // is the sum of theirs (a longer term's at PREFIX_FACTOR), its document frequency the
  // pages holding any of them. Scored one by one, a rare longer term ("lorastyl") would
  // outrank the word itself on its rarity alone. A weight is twice the count in the body
  // plus one when the term is in the page's title, which adds TITLE_BONUS (times the best
  // factor of a term in the title): counts saturate, so without it a page that uses a word
  // often would rank level with the page named after it.
  function rank(meta, tokens, files) {
    var count = meta.pages, lengths = meta.lengths, average = meta.average || 1;
    var matched = {}, score = {}, terms = {};
    tokens.forEach(function (token, i) {
      var frequency = {}, titled = {};
      var found = matchingTerms(token, files[i], i === tokens.length - 1);
      found.forEach(function (match) {
        var postings = files[i][match.term];
        for (var p = 0; p < postings.length; p += 2) {
          var id = postings[p], weight = postings[p + 1];
          frequency[id] = (frequency[id] || 0) + match.factor * Math.floor(weight / 2);
          if (weight % 2 && !(titled[id] >= match.factor)) titled[id] = match.factor;
        }
      });
      var ids = Object.keys(frequency);
      var idf = Math.log(1 + (count - ids.length + 0.5) / (ids.length + 0.5));
      found.forEach(function (match) {
        terms[match.term] = Math.max(terms[match.term] || 0, idf);
      });
      ids.forEach(function (id) {
        var tf = frequency[id];
        var norm = K1 * (1 - B + B * lengths[id] / average);
        var part = tf * (K1 + 1) / (tf + norm) + TITLE_BONUS * (titled[id] || 0);
        matched[id] = (matched[id] || 0) + 1;
        score[id] = (score[id] || 0) + idf * part;
      });
    });
    var ids = Object.keys(matched).map(Number);
    ids.sort(function (a, b) {
      return matched[b] - matched[a] || score[b] - score[a] || a - b;
    });
    return { ids: ids, terms: terms };
  }

  window.spanveroSearch = { tokenize: tokenize, stem: stem };

  // --- The page --------------------------------------------------------------------------

  var root = document.getElementById("search");
  var fallback = document.getElementById("search-fallback");
  if (!root) return;
  var indexUrl = root.getAttribute("data-index");
  var base = root.getAttribute("data-base");
  var SHOWN = 10;
  var EXCERPT_WORDS = 30;
  var BEFORE_MATCH = 8;
  var DEBOUNCE_MS = 150;
  // Results wait up to this long for their excerpts, so the list does not jump as each one
  // arrives; a slower excerpt is filled in when it comes.
  var EXCERPT_WAIT_MS = 400;
  var EXCLUDED = "table, time, nav, figure, svg, script, style, template, noscript, .meta, " +
    "[data-search-ignore]";
  // As core/search.py: every other element's text is a word apart from its neighbours'.
  var INLINE = {
    a: 1, abbr: 1, b: 1, bdi: 1, bdo: 1, cite: 1, code: 1, data: 1, dfn: 1, em: 1, i: 1,
    kbd: 1, mark: 1, q: 1, s: 1, samp: 1, small: 1, span: 1, strong: 1, sub: 1, sup: 1, u: 1,
    var: 1,
  };
  var MISSING = "The search index is missing here (the live preview does not build it). " +
    "Everything on the site is listed below.";

  var files = new Map();   // index file name -> promise of its JSON
  var texts = new Map();   // page URL -> promise of its indexed text, for excerpts
  var latest = 0;          // the newest query's number: an older one's answer is dropped
  var timer = null;
  var more = null;         // what "Show more results" adds: {found, next, run}

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var form = element("form", { role: "search", class: "search-form", "aria-label": "Search this site" });
  var label = element("label", { for: "search-q" }, "Search explainers, models, prices and tools");
  // No autofocus: a reader starts at the page's name and the skip link, as on every page, and
  // one opened with a query stays on its results; the box is the first stop after the skip link.
  var input = element("input", {
    id: "search-q", name: "q", type: "search", autocomplete: "off", spellcheck: "false",
    enterkeyhint: "search",
  });
  var status = element("p", { id: "search-status", class: "status", role: "status", "aria-live": "polite" });
  var list = element("ol", { id: "search-results", class: "search-results" });
  var button = element("button", { type: "button", class: "search-more" }, "Show more results");
  button.hidden = true;
  form.appendChild(label);
  form.appendChild(input);
  root.appendChild(form);
  root.appendChild(status);
  root.appendChild(list);
  root.appendChild(button);

  function load(name) {
    if (!files.has(name)) {
      var request = fetch(indexUrl + name).then(function (response) {
        if (!response.ok) throw new Error(name + ": HTTP " + response.status);
        return response.json();
      });
      // A file that failed is asked for again by the next query, not remembered as missing.
      request.catch(function () { files.delete(name); });
      files.set(name, request);
    }
    return files.get(name);
  }

  var ready = load("meta.json").then(function (meta) {
    if (meta.version !== 1) throw new Error("meta.json: format " + meta.version);
    meta.hasFile = {};
    meta.shards.forEach(function (key) { meta.hasFile[key] = true; });
    return meta;
  });
  // The list goes in the same frame as the form comes, so the page moves once; it comes back,
  // with a note, only when there is no index to search.
  if (fallback) fallback.hidden = true;
  ready.catch(function () {
    root.hidden = true;
    if (fallback) {
      fallback.hidden = false;
      fallback.insertBefore(element("p", { class: "search-missing" }, MISSING), fallback.firstChild);
    }
  });

  function plural(count) {
    if (count === 0) return "No results";
    return count === 1 ? "1 result" : count + " results";
  }

  function search(query) {
    var run = ++latest;
    var tokens = unique(tokenize(query));
    if (!query.trim()) {
      list.textContent = "";
      button.hidden = true;
      status.textContent = "";
      return;
    }
    ready.then(function (meta) {
      var wanted = tokens.map(function (token) {
        var key = fileKey(token);
        return meta.hasFile[key] ? load("terms-" + key + ".json") : null;
      });
      return Promise.all(wanted).then(function (loaded) {
        var found = rank(meta, tokens, loaded);
        found.meta = meta;
        return pages(found, 0).then(function (rows) { return { found: found, rows: rows }; });
      });
    }).then(function (answer) {
      if (run !== latest) return;
      status.textContent = plural(answer.found.ids.length) + " for “" + query.trim() + "”";
      list.textContent = "";
      more = { found: answer.found, next: 0, run: run };
      show(answer.rows);
    }).catch(function () {
      if (run !== latest) return;
      status.textContent = "The search index could not be read. Try again in a moment.";
    });
  }

  function hrefOf(row) {
    return base + row[0].replace(/^\/+/, "");
  }

  // The [url, title, length] rows of the next SHOWN results, from the page files they are in,
  // once their excerpts are in or EXCERPT_WAIT_MS has passed.
  function pages(found, from) {
    var ids = found.ids.slice(from, from + SHOWN);
    var chunk = found.meta.chunk;
    return Promise.all(ids.map(function (id) {
      return load("pages-" + Math.floor(id / chunk) + ".json").then(function (rows) {
        return rows[id % chunk];
      });
    })).then(function (rows) {
      var excerpts = rows.map(function (row) {
        return pageText(hrefOf(row)).catch(function () { return ""; });
      });
      var timeout = new Promise(function (resolve) { window.setTimeout(resolve, EXCERPT_WAIT_MS); });
      return Promise.race([Promise.all(excerpts), timeout]).then(function () { return rows; });
    });
  }

  function show(rows) {
    var first = null;
    rows.forEach(function (row) {
      var href = hrefOf(row);
      var item = element("li", { class: "search-result" });
      var heading = element("h2", { class: "search-result-title" });
      var link = element("a", { class: "search-result-link", href: href }, row[1]);
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(element("p", { class: "search-result-path" }, href));
      list.appendChild(item);
      addExcerpt(item, href, more.found.terms);
      if (!first) first = link;
    });
    more.next += rows.length;
    button.hidden = more.next >= more.found.ids.length;
    return first;
  }

  button.addEventListener("click", function () {
    var state = more;
    if (!state) return;
    pages(state.found, state.next).then(function (rows) {
      if (state !== more || state.run !== latest) return;
      var first = show(rows);
      // Keyboard and screen-reader users land on the first new result, not past the list.
      if (first) first.focus();
    }).catch(function () {
      if (state.run === latest) status.textContent = "More results could not be loaded. Try again.";
    });
  });

  // --- Excerpts: the result's own page, as the index read it ------------------------------

  function indexedText(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var body = doc.querySelector("[data-search-body]");
    if (!body) return "";
    Array.prototype.forEach.call(body.querySelectorAll(EXCLUDED), function (node) {
      if (node.parentNode) node.parentNode.removeChild(node);
    });
    var title = body.querySelector("h1");
    if (title) title.parentNode.removeChild(title);
    Array.prototype.forEach.call(body.querySelectorAll("*"), function (node) {
      if (INLINE[node.localName]) return;
      node.parentNode.insertBefore(doc.createTextNode(" "), node);
      node.parentNode.insertBefore(doc.createTextNode(" "), node.nextSibling);
    });
    return body.textContent.replace(/\s+/g, " ").trim();
  }

  function pageText(href) {
    if (!texts.has(href)) {
      var request = fetch(href).then(function (response) {
        if (!response.ok) throw new Error(href + ": HTTP " + response.status);
        return response.text();
      }).then(indexedText);
      request.catch(function () { texts.delete(href); });
      texts.set(href, request);
    }
    return texts.get(href);
  }

  // The matched terms this run of text (one word between spaces, with its punctuation) holds.
  function matchedTerms(word, terms) {
    var tokens = tokenize(word).concat(tokenize(word.normalize("NFKC").replace(HYPHEN, "$1")));
    return tokens.filter(function (token) { return hasOwn.call(terms, token); });
  }

  function matches(word, terms) {
    return matchedTerms(word, terms).length > 0;
  }

  // Where an excerpt of `words` centres: the first place of the matched term that counts most
  // in this page, by its count here times its idf. "for" in "vram for a 70b model" is on
  // every page, and an excerpt around it says nothing; "what" in "what is lora" is rarer
  // across the site than "lora", but not on the page about LoRA. -1 when nothing matches.
  function centre(words, terms) {
    var found = words.map(function (word) { return matchedTerms(word, terms); });
    var count = {}, first = {};
    found.forEach(function (tokens, i) {
      tokens.forEach(function (token) {
        count[token] = (count[token] || 0) + 1;
        if (!hasOwn.call(first, token)) first[token] = i;
      });
    });
    var hit = -1, best = 0;
    Object.keys(first).sort(function (a, b) { return first[a] - first[b]; }).forEach(function (token) {
      var weight = count[token] * terms[token];
      if (weight > best) { best = weight; hit = first[token]; }
    });
    return hit;
  }

  function addExcerpt(item, href, terms) {
    pageText(href).then(function (text) {
      if (!item.parentNode || !text) return;  // a newer query's results replaced this one
      var words = text.split(" ");
      var hit = centre(words, terms);
      var start = hit < 0 ? 0 : Math.max(0, Math.min(hit - BEFORE_MATCH, words.length - EXCERPT_WORDS));
      var end = Math.min(words.length, start + EXCERPT_WORDS);
      var excerpt = element("p", { class: "search-result-excerpt" });
      var plain = start > 0 ? "… " : "";
      for (var w = start; w < end; w++) {
        if (w > start) plain += " ";
        if (hit >= 0 && matches(words[w], terms)) {
          var parts = EDGES.exec(words[w]);
          excerpt.appendChild(document.createTextNode(plain + parts[1]));
          excerpt.appendChild(element("mark", {}, parts[2]));
          plain = parts[3];
        } else {
          plain += words[w];
        }
      }
      excerpt.appendChild(document.createTextNode(plain + (end < words.length ? " …" : "")));
      item.appendChild(excerpt);
    }, function () {
      // No excerpt: the title and the path still lead to the page.
    });
  }

  // --- The query: ?q= on arrival, then typing, kept in the address for reload and Back ----

  // The header's own search box shows the query too, so the page never shows two answers
  // to "what am I searching for".
  var header = document.getElementById("site-search-q");

  function remember(query) {
    if (header) header.value = query;
    var params = new URLSearchParams(window.location.search);
    if (query) params.set("q", query);
    else params.delete("q");
    var rest = params.toString();
    var address = window.location.pathname + (rest ? "?" + rest : "") + window.location.hash;
    window.history.replaceState(null, "", address);
  }

  function now() {
    window.clearTimeout(timer);
    remember(input.value);
    search(input.value);
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(now, DEBOUNCE_MS);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    now();
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    if (header) header.value = initial;
    search(initial);
  }
})();
