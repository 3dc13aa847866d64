// The Spanvero advisor in the browser: walks the questions of content/data/advisor.yaml in
// place, with the answers in the query string (/advisor/?task=docs&...). The same rules make
// the static pages that work without JavaScript; src/spanvero_site/sections/advisor/engine.py is the model
// this mirrors, and shared vectors hold the two to the same answers.
(function (root) {
  "use strict";

  var calculator = typeof module !== "undefined" && module.exports
    ? require("./calculator.js")
    : root.SpanveroCalculator;

  // --- advisor.py ---------------------------------------------------------------------------

  function matches(when, answers) {
    return when.every(function (cond) { return cond[1].indexOf(answers[cond[0]]) !== -1; });
  }

  function asked(advisor, answers) {
    return advisor.questions.filter(function (q) { return matches(q.ask_if, answers); });
  }

  function nextQuestion(advisor, answers) {
    var open = asked(advisor, answers).filter(function (q) { return !(q.id in answers); });
    return open.length ? open[0] : null;
  }

  function findOption(question, id) {
    return question.options.filter(function (o) { return o.id === id; })[0] || null;
  }

  function answeredOptions(advisor, answers) {
    var found = [];
    asked(advisor, answers).forEach(function (q) {
      var option = findOption(q, answers[q.id]);
      if (option) found.push([q, option]);
    });
    return found;
  }

  function attribute(options, name) {
    for (var i = 0; i < options.length; i++) {
      if (options[i][name] !== null && options[i][name] !== undefined) return options[i][name];
    }
    return null;
  }

  function sizesOf(advisor) {
    var sizes = {};
    advisor.model_sizes.forEach(function (pair) { sizes[pair[0]] = pair[1]; });
    return sizes;
  }

  function recommend(data, answers) {
    var advisor = data.advisor, calc = data.calc, K = data.constants;
    var matched = advisor.rules.filter(function (r) { return matches(r.when, answers); });
    var approaches = [];
    advisor.approaches.forEach(function (a) {
      var reasons = matched.filter(function (r) { return r.approach === a.id; })
        .map(function (r) { return r.reason; });
      if (reasons.length) approaches.push({ id: a.id, title: a.title, reasons: reasons, learn: a.learn.slice() });
    });
    if (!approaches.length) {
      var first = advisor.approaches[0];
      approaches = [{ id: first.id, title: first.title, reasons: [advisor.default_reason], learn: first.learn.slice() }];
    }
    var sizes = sizesOf(advisor);
    var wanted = matched.filter(function (r) { return r.model_size; }).map(function (r) { return sizes[r.model_size]; });
    var all = Object.keys(sizes).map(function (k) { return sizes[k]; });
    var sizeCap = wanted.length ? Math.min.apply(null, wanted) : Math.max.apply(null, all);
    var placement = advisor.placement.filter(function (p) { return matches(p.when, answers); })[0];
    var run = placement.run, runReason = placement.reason;

    var options = answeredOptions(advisor, answers).map(function (pair) { return pair[1]; });
    var ownedGpu = attribute(options, "gpu");
    var volume = attribute(options, "monthly_mtok") || 1.0;
    var budget = attribute(options, "usd");
    var gpuId = ownedGpu && calc.gpus[ownedGpu] ? ownedGpu : K.gpu_to_buy;
    var gpu = calc.gpus[gpuId];

    var candidates = pickCandidates(run, sizeCap, gpuId, calc, K);
    if (run === "local" && !candidates.length) {
      run = "rented";
      runReason = advisor.no_local_fit;
      candidates = pickCandidates(run, sizeCap, gpuId, calc, K);
    }
    var result = {
      approaches: approaches,
      notes: matched.filter(function (r) { return r.note; }).map(function (r) { return r.note; }),
      run: run,
      run_reason: runReason,
      size_cap_b: sizeCap,
      candidates: candidates,
      scenario: null,
      cost: null,
      memory_bound: false,
      over_budget: false,
      calculator_url: null,
    };
    if (!candidates.length) return result;
    // As engine.py: the reader's own GPU at no extra cost; with none, a GPU to buy only when
    // the answer is to run locally, otherwise no hardware at all.
    var own = ownedGpu || run === "local" ? 1 : 0;
    var hardware = ownedGpu || !own ? 0.0 : (gpu.price_usd || 0.0);
    var tried = K.concurrency.map(function (concurrency) {
      var s = {
        model: candidates[0],
        precision: K.precision,
        input_mtok: volume * K.input_share,
        output_mtok: volume * (1 - K.input_share),
        context: Math.min(K.context_tokens, calc.models[candidates[0]].context_length),
        concurrency: concurrency,
        kv_type: "f16",
        gpu: gpuId,
        gpus: own,
        hours_per_day: K.hours_per_day,
        usd_per_kwh: calc.defaults.usd_per_kwh,
        hardware_usd: hardware,
        amortization_months: K.payback_months,
        tier: K.tier,
        billing: K.billing,
      };
      var compared = calculator.compare(s, calc);
      return { scenario: s, cost: pickCost(run, compared), fits: fitsWhere(run, compared) };
    });
    var best = bestOf(tried);
    var scenario = best.scenario, cost = best.cost;
    result.memory_bound = best.memory_bound;
    result.scenario = {
      model: scenario.model,
      input_mtok: scenario.input_mtok,
      output_mtok: scenario.output_mtok,
      concurrency: scenario.concurrency,
      billing: scenario.billing,
      gpu: scenario.gpu,
      gpus: scenario.gpus,
      hardware_usd: scenario.hardware_usd,
      amortization_months: scenario.amortization_months,
    };
    result.cost = cost;
    result.over_budget = Boolean(cost && budget !== null && cost.monthly_usd > budget);
    result.calculator_url = "/calculator/?model=" + scenario.model + "&precision=" + K.precision +
      "&ctx=" + scenario.context + "&hours=" + String(scenario.hours_per_day) +
      "&months=" + scenario.amortization_months + "&tier=" + scenario.tier +
      "&in=" + String(scenario.input_mtok) + "&out=" + String(scenario.output_mtok) +
      "&conc=" + scenario.concurrency + "&gpu=" + scenario.gpu + "&gpus=" + scenario.gpus +
      "&hw=" + String(scenario.hardware_usd) + "&billing=" + scenario.billing;
    return result;
  }

  function pickCandidates(run, sizeCap, gpuId, calc, K) {
    var rentalGpus = {};
    // As engine._candidates: only offers that can be had count.
    calc.rental.forEach(function (p) { if (p.status === "ok" && calc.gpus[p.gpu]) rentalGpus[p.gpu] = true; });
    var apiModels = {};
    calc.api.forEach(function (p) { if (p.status === "ok") apiModels[p.model] = true; });
    // Largest first; of two the same size, the newer release; then by id.
    var ids = Object.keys(calc.models).sort(function (a, b) {
      var x = calc.models[a], y = calc.models[b];
      return y.params_b - x.params_b ||
        (x.released < y.released ? 1 : x.released > y.released ? -1 : 0) ||
        (a < b ? -1 : a > b ? 1 : 0);
    });
    var hosted = [], other = [];
    ids.forEach(function (id) {
      var model = calc.models[id];
      if (model.params_b > sizeCap) return;
      var ok;
      // As engine.py: a model that reads fewer tokens than the assumed context is sized at its maximum.
      var context = Math.min(K.context_tokens, model.context_length);
      if (run === "local") {
        ok = calculator.fits(calculator.memoryNeed(model, K.precision, context, 1, "f16", calc.constants, 1), calc.gpus[gpuId]);
      } else {
        ok = Object.keys(rentalGpus).sort().some(function (g) {
          return calculator.gpusNeeded(model, calc.gpus[g], K.precision, context, 1, "f16", calc.constants, 1) !== null;
        });
      }
      if (run === "cheapest" && apiModels[id]) hosted.push(id);
      else if (ok) other.push(id);
    });
    return hosted.concat(other).slice(0, K.candidates);
  }

  // As engine._best: the cheapest place over every concurrency, quoted at the lowest
  // concurrency at which it is still the answer; with none, the highest that still fits in
  // memory, so the calculator link shows why.
  function bestOf(tried) {
    var pick = -1;
    tried.forEach(function (t, i) {
      if (t.cost && (pick < 0 || t.cost.monthly_usd < tried[pick].cost.monthly_usd)) pick = i;
    });
    if (pick >= 0) {
      var place = placeOf(tried[pick].cost);
      var first = tried.filter(function (t) { return t.cost && placeOf(t.cost) === place; })[0];
      return { scenario: first.scenario, cost: first.cost, memory_bound: false };
    }
    var last = 0;
    tried.forEach(function (t, i) { if (t.fits) last = i; });
    return { scenario: tried[last].scenario, cost: null, memory_bound: last < tried.length - 1 };
  }

  // As engine._place: where a cost is paid (kind, option and number of GPUs).
  function placeOf(cost) {
    return cost.kind + " " + cost.option + " " + cost.gpus;
  }

  function fitsWhere(run, compared) {
    var local = run !== "rented" && Boolean(compared.local.fits);
    var rented = run !== "local" && compared.rental.some(function (o) { return o.fits && o.status === "ok"; });
    return local || rented;
  }

  function pickCost(run, compared) {
    if (run === "local") {
      var local = compared.local;
      return local.monthly_usd !== null
        ? { kind: "local", option: local.gpu, gpus: local.gpus, monthly_usd: local.monthly_usd } : null;
    }
    if (run === "rented") {
      var offers = compared.rental.filter(function (o) { return o.monthly_usd !== null && o.status === "ok"; });
      if (!offers.length) return null;
      var best = offers[0];
      var key = best.provider + "/" + best.gpu + (best.unit_gpus > 1 ? "/x" + best.unit_gpus : "");
      return { kind: "rental", option: key, gpus: best.gpus, monthly_usd: best.monthly_usd };
    }
    return compared.cheapest;
  }

  // --- advisor_views.present ------------------------------------------------------------------

  function served(concurrency) {
    return concurrency === 1 ? "one request at a time" : concurrency + " requests at once";
  }

  function noKeepUp(rec, model, names) {
    var scenario = rec.scenario;
    var at = rec.memory_bound
      ? " at " + served(scenario.concurrency) + ", the most that fits in memory"
      : ", even at " + served(scenario.concurrency);
    if (rec.run === "local") {
      var owner = scenario.hardware_usd > 0
        ? "A new " + names[scenario.gpu] + " bought for it" : "Your " + names[scenario.gpu];
      return owner + " cannot keep up with this volume of " + model + at +
        ": plan for more GPUs or a smaller model.";
    }
    return "No single GPU machine we list keeps up with this volume of " + model + at +
      ": plan for several machines" + (rec.run === "cheapest" ? ", or a hosted API" : "") + ".";
  }

  function present(rec, names, titles, K) {
    var money = calculator.format.money;
    var cost = rec.cost;
    var model = rec.candidates.length ? names[rec.candidates[0]] : null;
    var costText;
    if (model === null) {
      costText = "None of the options we list can run a model of the right size for this.";
    } else if (cost === null) {
      costText = noKeepUp(rec, model, names);
    } else {
      var where;
      if (cost.kind === "local") {
        where = rec.scenario.hardware_usd > 0
          ? "on a new " + names[cost.option] + " bought for it (its price over " +
            rec.scenario.amortization_months + " months, plus electricity)"
          : "on your " + names[cost.option] + " (electricity only: you own it)";
      } else if (cost.kind === "rental") {
        var parts = cost.option.split("/");
        where = "on " + names[parts[0]] + "'s " + (cost.gpus > 1 ? cost.gpus + "× " : "") + names[parts[1]] +
          ", " + K.billed[rec.scenario.billing];
      } else {
        where = "through " + names[cost.option] + "'s API";
      }
      var batch = rec.scenario.concurrency;
      var served = batch > 1 ? ", serving " + batch + " requests at once" : "";
      costText = "With " + model + ": about " + money(cost.monthly_usd) + " a month " + where + served + ".";
    }
    return {
      approaches: rec.approaches.map(function (a) {
        return {
          title: a.title,
          reasons: a.reasons,
          learn: a.learn.filter(function (s) { return s in titles; })
            .map(function (s) { return { title: titles[s], url: "/learn/" + s + "/" }; }),
        };
      }),
      notes: rec.notes,
      run_title: K.run_titles[rec.run],
      run_reason: rec.run_reason,
      models: rec.candidates.map(function (m) { return { name: names[m], url: "/models/" + m + "/" }; }),
      cost_text: costText,
      budget_text: rec.over_budget ? "That is more than the budget you gave." : "",
      calculator_url: rec.calculator_url,
    };
  }

  var api = { matches: matches, nextQuestion: nextQuestion, recommend: recommend, present: present };
  if (typeof module !== "undefined" && module.exports) module.exports = api;

  // --- the page: the markup of advisor_question.html, and the recommendation in full ------

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&#34;").replace(/'/g, "&#39;");
  }

  function startPage() {
    var box = document.getElementById("advisor");
    var block = document.getElementById("advisor-data");
    if (!box || !block) return;
    var data = JSON.parse(block.textContent);
    var first = box.querySelector("a.advisor-option").getAttribute("href");
    var base = first.slice(0, first.indexOf("advisor/"));
    var link = function (url) { return base + url.replace(/^\//, ""); };

    // The answers of the address, walking the questions in order and keeping only answers
    // that are asked and valid, with a note for each answer it names that was not used: a
    // mistyped or stitched-together link must not silently open at another step.
    function stateFromUrl() {
      var params = new URLSearchParams(window.location.search);
      var answers = {};
      var notes = [];
      var q;
      for (;;) {
        q = nextQuestion(data.advisor, answers);
        if (!q || !params.has(q.id)) break;
        if (!findOption(q, params.get(q.id))) {
          notes.push("The link’s " + q.id + "=" + params.get(q.id) + " is not one of the answers to “" +
            q.text + "”, so the advisor asks it again.");
          break;
        }
        answers[q.id] = params.get(q.id);
      }
      data.advisor.questions.forEach(function (question) {
        if (!params.has(question.id) || question.id in answers || (q && question.id === q.id)) return;
        notes.push("The link’s " + question.id + "=" + params.get(question.id) +
          " was left out: the advisor does not ask it after the answers before it.");
      });
      return { answers: answers, notes: notes };
    }

    function notesHtml(notes) {
      if (!notes.length) return "";
      return '<div id="advisor-link-note" class="admonition admonition-warning">\n' +
        notes.map(function (n) { return "<p>" + escapeHtml(n) + "</p>\n"; }).join("") + "</div>\n";
    }

    function queryFor(answers) {
      var query = new URLSearchParams();
      answeredOptions(data.advisor, answers).forEach(function (pair) { query.set(pair[0].id, pair[1].id); });
      var search = query.toString();
      return window.location.pathname + (search ? "?" + search : "");
    }

    function answersBefore(answers, questionId) {
      var kept = {};
      var pairs = answeredOptions(data.advisor, answers);
      for (var i = 0; i < pairs.length && pairs[i][0].id !== questionId; i++) kept[pairs[i][0].id] = pairs[i][1].id;
      return kept;
    }

    function answersHtml(answers) {
      var pairs = answeredOptions(data.advisor, answers);
      if (!pairs.length) return "";
      var html = '<section class="answers" aria-labelledby="answers-title">\n<h2 id="answers-title">Your answers</h2>\n<dl>\n';
      pairs.forEach(function (pair) {
        html += "<dt>" + escapeHtml(pair[0].text) + "</dt>\n<dd>" + escapeHtml(pair[1].label) +
          ' <a href="' + escapeHtml(queryFor(answersBefore(answers, pair[0].id))) + '" data-state="' +
          escapeHtml(JSON.stringify(answersBefore(answers, pair[0].id))) + '">Change this answer</a></dd>\n';
      });
      return html + '</dl>\n<p><a href="' + escapeHtml(window.location.pathname) + '" data-state="{}">Start over</a></p>\n</section>\n';
    }

    function render(answers, moveFocus, notes) {
      var question = nextQuestion(data.advisor, answers);
      var html;
      if (question) {
        var number = answeredOptions(data.advisor, answers).length + 1;
        html = "<h1>The Spanvero advisor</h1>\n" +
          (number === 1 ? '<p class="lead">' + escapeHtml(data.advisor.intro) + "</p>\n" : "") +
          '<section aria-labelledby="question-title">\n<h2 id="question-title" tabindex="-1"><span class="step">Question ' +
          number + ".</span> " + escapeHtml(question.text) + '</h2>\n<ul class="advisor-options">\n';
        question.options.forEach(function (o) {
          var next = {};
          Object.keys(answers).forEach(function (k) { next[k] = answers[k]; });
          next[question.id] = o.id;
          html += '<li><a class="advisor-option" href="' + escapeHtml(queryFor(next)) + '" data-state="' +
            escapeHtml(JSON.stringify(next)) + '">' + escapeHtml(o.label) + "</a></li>\n";
        });
        html += "</ul>\n</section>\n" + answersHtml(answers);
        document.title = "Advisor, question " + number + ": " + question.text + " · " + document.title.split(" · ").pop();
      } else {
        var p = present(recommend(data, answers), data.names, data.titles, data.constants);
        html = '<h1 tabindex="-1">Your recommendation</h1>\n<section aria-labelledby="approach-title">\n' +
          '<h2 id="approach-title">What to do</h2>\n<ol class="ladder">\n';
        p.approaches.forEach(function (a) {
          html += "<li>\n<h3>" + escapeHtml(a.title) + "</h3>\n";
          a.reasons.forEach(function (r) { html += "<p>" + escapeHtml(r) + "</p>\n"; });
          html += '<p class="meta">Why: ' + a.learn.map(function (l) {
            return '<a href="' + escapeHtml(link(l.url)) + '">' + escapeHtml(l.title) + "</a>";
          }).join(" · ") + "</p>\n</li>\n";
        });
        html += "</ol>\n";
        p.notes.forEach(function (n) {
          html += '<aside class="admonition admonition-warning" aria-label="Caveat"><p>' + escapeHtml(n) + "</p></aside>\n";
        });
        html += '</section>\n<section aria-labelledby="run-title">\n<h2 id="run-title">' + escapeHtml(p.run_title) +
          "</h2>\n<p>" + escapeHtml(p.run_reason) + "</p>\n";
        if (p.models.length) {
          html += "<p>Models to consider: " + p.models.map(function (m) {
            return '<a href="' + escapeHtml(link(m.url)) + '">' + escapeHtml(m.name) + "</a>";
          }).join(" · ") + "</p>\n";
        }
        html += '<p class="summary">' + escapeHtml(p.cost_text) + (p.budget_text ? " " + escapeHtml(p.budget_text) : "") + "</p>\n";
        if (p.calculator_url) {
          html += '<p><a class="calculator-link" href="' + escapeHtml(link(p.calculator_url)) + '">Check the numbers in the calculator →</a></p>\n';
        }
        html += "</section>\n" + answersHtml(answers);
        document.title = "Your recommendation · " + document.title.split(" · ").pop();
      }
      // The notes on the address go right after the page's heading.
      box.innerHTML = html.replace("</h1>\n", "</h1>\n" + notesHtml(notes || []));
      if (moveFocus) {
        var heading = box.querySelector("[tabindex='-1']");
        if (heading) heading.focus();
      }
    }

    box.addEventListener("click", function (event) {
      var target = event.target.closest("a");
      if (!target || !box.contains(target)) return;
      var state = target.getAttribute("data-state");
      var answers;
      if (state !== null) {
        answers = JSON.parse(state);
      } else if (target.hasAttribute("data-option")) {
        answers = {};
        answers[target.getAttribute("data-question")] = target.getAttribute("data-option");
      } else {
        return;  // an ordinary link (explainers, models, the calculator)
      }
      event.preventDefault();
      window.history.pushState(answers, "", queryFor(answers));
      render(answers, true);
    });
    window.addEventListener("popstate", function () {
      var state = stateFromUrl();
      render(state.answers, true, state.notes);
    });
    var initial = stateFromUrl();
    if (Object.keys(initial.answers).length || initial.notes.length) render(initial.answers, false, initial.notes);
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startPage);
    else startPage();
  }
})(typeof window !== "undefined" ? window : globalThis);
