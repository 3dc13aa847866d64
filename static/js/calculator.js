// The Spanvero cost calculator. Plain JavaScript, no build step.
// The formulas mirror src/spanvero_site/data/costs.py exactly (shared test vectors prove it); the
// constants and prices come from the JSON block the build embeds, so nothing is typed twice.
(function (root) {
  "use strict";

  var GB = 1e9;

  // --- costs.py ---------------------------------------------------------------------------

  function weightsGb(paramsB, precision, C) {
    return (paramsB * C.precisions[precision].bits) / 8;
  }

  function kvCacheBytes(model, contextTokens, concurrency, kvType, C) {
    var element = C.kv_bits[kvType] / 8;
    var perSequence;
    if (model.attention === "mla") {
      var width = (model.kv_lora_rank || 0) + (model.rope_head_dim || 0);
      perSequence = model.layers * width * element * contextTokens;
    } else {
      var perLayerToken = 2 * model.kv_heads * model.head_dim * element;
      var windowed = model.sliding_window ? model.sliding_window_layers : 0;
      var windowTokens = Math.min(contextTokens, model.sliding_window || contextTokens);
      perSequence =
        perLayerToken * ((model.layers - windowed) * contextTokens + windowed * windowTokens);
    }
    return perSequence * concurrency;
  }

  function memoryNeed(model, precision, contextTokens, concurrency, kvType, C) {
    var weights = weightsGb(model.params_b, precision, C);
    var kv = kvCacheBytes(model, contextTokens, concurrency, kvType, C) / GB;
    var overhead = Math.max(C.overhead_fraction * (weights + kv), C.overhead_min_gb);
    return { weights_gb: weights, kv_gb: kv, overhead_gb: overhead, total_gb: weights + kv + overhead };
  }

  function fits(need, gpu) {
    return need.total_gb <= gpu.vram_gib * gpu.usable_fraction;
  }

  function decodeCeilingTps(model, gpu, precision, contextTokens, kvType, C) {
    return throughputTps(model, gpu, precision, contextTokens, 1, kvType, C, 1.0);
  }

  // Aggregate decode tokens/s with `concurrency` sequences sharing each weight read; the
  // efficiency defaults to the middle of the realistic range, as in costs.throughput_tps.
  function throughputTps(model, gpu, precision, contextTokens, concurrency, kvType, C, efficiency) {
    if (efficiency === undefined) efficiency = (C.efficiency_low + C.efficiency_high) / 2;
    var active = weightsGb(model.active_params_b, precision, C) * GB;
    var kv = kvCacheBytes(model, contextTokens, 1, kvType, C);
    return (efficiency * concurrency * gpu.bandwidth_gbps * GB) / (active + concurrency * kv);
  }

  function perMtok(monthly, totalMtok) {
    return monthly !== null && totalMtok > 0 ? monthly / totalMtok : null;
  }

  function compareStrings(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function compare(s, data) {
    var C = data.constants;
    var model = data.models[s.model];
    var need = memoryNeed(model, s.precision, s.context, s.concurrency, s.kv_type, C);
    var totalMtok = s.input_mtok + s.output_mtok;
    var local = localCost(s, model, data.gpus[s.gpu], need, totalMtok, C);
    var offers = data.rental
      .filter(function (p) { return p.tier === s.tier && data.gpus[p.gpu]; })
      .map(function (p) { return rentalCost(s, model, data.gpus[p.gpu], p, need, totalMtok, C); });
    offers.sort(function (a, b) {
      var an = a.monthly_usd === null, bn = b.monthly_usd === null;
      if (an !== bn) return an ? 1 : -1;
      return (a.monthly_usd || 0) - (b.monthly_usd || 0) ||
        compareStrings(a.provider, b.provider) || compareStrings(a.gpu, b.gpu);
    });
    var apis = data.api
      .filter(function (p) { return p.model === s.model; })
      .map(function (p) { return apiCost(s, p, totalMtok); });
    apis.sort(function (a, b) {
      return a.monthly_usd - b.monthly_usd || compareStrings(a.provider, b.provider);
    });
    return {
      memory_gb: need.total_gb,
      local: local,
      rental: offers,
      api: apis,
      cheapest: cheapest(local, offers, apis),
      break_even: breakEven(s, local, offers, apis),
    };
  }

  function localCost(s, model, gpu, need, totalMtok, C) {
    var result = {
      gpu: s.gpu,
      fits: fits(need, gpu),
      tps_low: null,
      tps_high: null,
      throughput_tps: null,
      hours_needed: null,
      hours_available: (s.hours_per_day * C.hours_per_month) / 24,
      capacity_mtok: null,
      keeps_up: false,
      electricity_usd: null,
      electricity_usd_per_mtok: null,
      hardware_usd: s.hardware_usd / s.amortization_months,
      monthly_usd: null,
      usd_per_mtok: null,
    };
    if (!result.fits) return result;
    var ceiling = decodeCeilingTps(model, gpu, s.precision, s.context, s.kv_type, C);
    var tps = throughputTps(model, gpu, s.precision, s.context, s.concurrency, s.kv_type, C);
    var hours = (s.output_mtok * 1e6) / (tps * 3600);
    var busy = Math.min(hours, result.hours_available);
    var electricity = (gpu.power_w / 1000) * busy * s.usd_per_kwh;
    var monthly = electricity + result.hardware_usd;
    var outputShare = totalMtok > 0 ? s.output_mtok / totalMtok : 1.0;
    result.tps_low = ceiling * C.efficiency_low;
    result.tps_high = ceiling * C.efficiency_high;
    result.throughput_tps = tps;
    result.capacity_mtok = outputShare ? (tps * 3600 * result.hours_available) / 1e6 / outputShare : null;
    result.hours_needed = hours;
    result.keeps_up = hours <= result.hours_available;
    result.electricity_usd = electricity;
    result.electricity_usd_per_mtok = perMtok((gpu.power_w / 1000) * hours * s.usd_per_kwh, totalMtok);
    result.monthly_usd = monthly;
    result.usd_per_mtok = perMtok(monthly, totalMtok);
    return result;
  }

  function rentalCost(s, model, gpu, price, need, totalMtok, C) {
    var result = {
      gpu: price.gpu,
      provider: price.provider,
      tier: price.tier,
      usd_per_hour: price.usd_per_hour,
      fits: fits(need, gpu),
      throughput_tps: null,
      hours_needed: null,
      hours_billed: null,
      keeps_up: false,
      monthly_usd: null,
      usd_per_mtok: null,
    };
    if (!result.fits) return result;
    var tps = throughputTps(model, gpu, s.precision, s.context, s.concurrency, s.kv_type, C);
    var hours = (s.output_mtok * 1e6) / (tps * 3600);
    var billed = s.billing === "hourly" ? hours : C.hours_per_month;
    var monthly = price.usd_per_hour * billed;
    result.throughput_tps = tps;
    result.hours_needed = hours;
    result.hours_billed = billed;
    result.keeps_up = hours <= C.hours_per_month;
    result.monthly_usd = monthly;
    result.usd_per_mtok = perMtok(monthly, totalMtok);
    return result;
  }

  function apiCost(s, price, totalMtok) {
    var usdIn = price.usd_per_mtok_input || 0.0;
    var usdOut = price.usd_per_mtok_output || 0.0;
    var monthly = s.input_mtok * usdIn + s.output_mtok * usdOut;
    return {
      provider: price.provider,
      usd_per_mtok_input: usdIn,
      usd_per_mtok_output: usdOut,
      monthly_usd: monthly,
      usd_per_mtok: perMtok(monthly, totalMtok),
    };
  }

  function cheapest(local, offers, apis) {
    var options = [];
    if (local.fits && local.keeps_up) options.push([local.monthly_usd, 0, "local", local.gpu]);
    offers.forEach(function (o) {
      if (o.fits && o.keeps_up) options.push([o.monthly_usd, 1, "rental", o.provider + "/" + o.gpu]);
    });
    apis.forEach(function (a) { options.push([a.monthly_usd, 2, "api", a.provider]); });
    if (!options.length) return null;
    options.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || compareStrings(a[3], b[3]);
    });
    return { kind: options[0][2], option: options[0][3], monthly_usd: options[0][0] };
  }

  function breakEven(s, local, offers, apis) {
    var total = s.input_mtok + s.output_mtok;
    var result = { local_vs_api_mtok: null, rental_vs_api_mtok: null };
    if (!apis.length || total <= 0) return result;
    var cheapestApi = apis.slice().sort(function (a, b) {
      return a.monthly_usd - b.monthly_usd || compareStrings(a.provider, b.provider);
    })[0];
    var blended = cheapestApi.monthly_usd / total;
    if (local.fits && blended > local.electricity_usd_per_mtok) {
      result.local_vs_api_mtok = local.hardware_usd / (blended - local.electricity_usd_per_mtok);
    }
    var fitting = offers.filter(function (o) { return o.fits; });
    if (s.billing === "always-on" && fitting.length && blended > 0) {
      fitting.sort(function (a, b) {
        return a.monthly_usd - b.monthly_usd ||
          compareStrings(a.provider, b.provider) || compareStrings(a.gpu, b.gpu);
      });
      result.rental_vs_api_mtok = fitting[0].monthly_usd / blended;
    }
    return result;
  }

  // --- formatting.py ----------------------------------------------------------------------

  // Halves round up, as formatting._fixed does, so both sides print the same text.
  function grouped(value, digits) {
    var scale = Math.pow(10, digits);
    var rounded = Math.floor(value * scale + 0.5) / scale;
    return rounded.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function gb(value) {
    return value < 100 ? grouped(value, 1) + " GB" : grouped(value, 0) + " GB";
  }

  function usd(value) {
    return value < 100 ? "$" + grouped(value, 2) : "$" + grouped(value, 0);
  }

  function money(value) {
    if (value === null) return "—";
    if (value > 0 && value < 0.005) return "<$0.01";
    return usd(value);
  }

  function amount(value) {
    if (value === null) return "—";
    if (value >= 10) return grouped(value, 0);
    var text = grouped(value, 1);
    return text.slice(-2) === ".0" ? text.slice(0, -2) : text;
  }

  // --- calculator_views.present ------------------------------------------------------------

  function present(result, s, data) {
    var names = providerNames(data);
    var local = result.local;
    var gpu = data.gpus[s.gpu].name;
    var serving = {};
    data.api.forEach(function (p) { if (p.model === s.model && p.serving) serving[p.provider] = p.serving; });
    var billing = s.billing === "hourly" ? "billed by the hour" : "always on";
    var rows = [{
      group: "Your own hardware",
      label: gpu + " (yours)",
      key: "local/" + s.gpu,
      fits: fitsText(local.fits, local.keeps_up),
      speed: local.throughput_tps,
      hours: local.hours_needed,
      monthly: local.monthly_usd,
      per_mtok: local.usd_per_mtok,
    }];
    result.rental.forEach(function (o) {
      rows.push({
        group: "Rented GPU (" + s.tier + ", " + billing + ")",
        label: names[o.provider] + ": " + data.gpus[o.gpu].name,
        key: "rental/" + o.provider + "/" + o.gpu,
        fits: fitsText(o.fits, o.keeps_up),
        speed: o.throughput_tps,
        hours: o.hours_billed,
        monthly: o.monthly_usd,
        per_mtok: o.usd_per_mtok,
      });
    });
    result.api.forEach(function (a) {
      rows.push({
        group: "Hosted API",
        label: names[a.provider] + (serving[a.provider] ? " (" + serving[a.provider] + ")" : ""),
        key: "api/" + a.provider,
        fits: "Yes",
        speed: null,
        hours: null,
        monthly: a.monthly_usd,
        per_mtok: a.usd_per_mtok,
      });
    });
    var cheapestKey = null;
    if (result.cheapest) {
      cheapestKey = { local: "local/", rental: "rental/", api: "api/" }[result.cheapest.kind] + result.cheapest.option;
    }
    var group = null;
    var label = null;
    rows.forEach(function (row) {
      row.first_of = row.group !== group ? row.group : null;
      group = row.group;
      row.cheapest = row.key === cheapestKey;
      if (row.cheapest && label === null) label = row.label;
    });
    return {
      rows: rows,
      cheapest: result.cheapest ? { label: label, monthly_usd: result.cheapest.monthly_usd } : null,
      memory_gb: result.memory_gb,
      notes: notes(result, s, gpu, names, data.constants),
    };
  }

  function providerNames(data) {
    var names = {};
    data.rental.concat(data.api).forEach(function (p) { names[p.provider] = p.provider_name; });
    return names;
  }

  function fitsText(fitsFlag, keepsUp) {
    if (!fitsFlag) return "No";
    return keepsUp ? "Yes" : "Yes, too slow";
  }

  function notes(result, s, gpu, names, C) {
    var local = result.local, apis = result.api, be = result.break_even;
    var low = Math.round(C.efficiency_low * 100), high = Math.round(C.efficiency_high * 100);
    var out = [];
    if (local.fits) {
      out.push("One stream on your " + gpu + " decodes about " + amount(local.tps_low) + "–" +
        amount(local.tps_high) + " tokens/s: " + low + "–" + high + "% of its " +
        "memory-bandwidth ceiling, an estimate rather than a benchmark.");
      if (local.capacity_mtok !== null) {
        out.push("At " + amount(s.hours_per_day) + " hours a day it can process about " +
          amount(local.capacity_mtok) + "M tokens a month in this input/output mix.");
      }
    } else {
      out.push("The model does not fit on your " + gpu + " at this precision and context: it needs " +
        "about " + gb(result.memory_gb) + ".");
    }
    if (apis.length && local.fits) {
      var cheapestApi = names[apis[0].provider];
      if (be.local_vs_api_mtok !== null) {
        out.push("Your " + gpu + " costs less than the cheapest API (" + cheapestApi + ") above about " +
          amount(be.local_vs_api_mtok) + "M tokens a month.");
      } else {
        out.push("Your " + gpu + " never costs less than the cheapest API (" + cheapestApi + ") here: " +
          "its electricity alone costs more per token.");
      }
    }
    if (apis.length && be.rental_vs_api_mtok !== null) {
      out.push("The cheapest always-on rental costs less than the cheapest API above about " +
        amount(be.rental_vs_api_mtok) + "M tokens a month.");
    } else if (apis.length && s.billing === "hourly" && result.rental.some(function (o) { return o.fits; })) {
      out.push("Billed by the hour, a rented GPU costs the same per token at any volume, so it " +
        "never catches up with a cheaper API; more requests at once raise its throughput.");
    }
    return out;
  }

  var api = {
    weightsGb: weightsGb,
    kvCacheBytes: kvCacheBytes,
    memoryNeed: memoryNeed,
    fits: fits,
    compare: compare,
    present: present,
    format: { gb: gb, usd: usd, money: money, amount: amount },
  };

  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  }

  // --- the page: form <-> URL <-> results ---------------------------------------------------

  var FIELDS = [
    // [form name, scenario key, kind, min, max]
    ["model", "model", "choice"],
    ["precision", "precision", "choice"],
    ["in", "input_mtok", "number", 0, 1e6],
    ["out", "output_mtok", "number", 0, 1e6],
    ["ctx", "context", "integer", 1, null],
    ["conc", "concurrency", "integer", 1, 4096],
    ["kv", "kv_type", "choice"],
    ["gpu", "gpu", "choice"],
    ["hours", "hours_per_day", "number", 0.1, 24],
    ["kwh", "usd_per_kwh", "number", 0, 10],
    ["hw", "hardware_usd", "number", 0, 1e7],
    ["months", "amortization_months", "integer", 1, 240],
    ["tier", "tier", "choice"],
    ["billing", "billing", "choice"],
  ];

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&#34;").replace(/'/g, "&#39;");
  }

  function renderResults(p, s) {
    var html = '<p id="calc-summary" class="summary">';
    if (p.cheapest) {
      html += "Cheapest option that fits: <strong>" + escapeHtml(p.cheapest.label) + "</strong>, " +
        escapeHtml(money(p.cheapest.monthly_usd)) + " a month.";
    } else {
      html += "Nothing listed can run this workload.";
    }
    html += " The model needs about " + escapeHtml(gb(p.memory_gb)) + " of memory for it.</p>\n";
    html += '<div class="table-wrap">\n<table class="results" id="calc-table">\n<caption>Monthly cost of ' +
      escapeHtml(amount(s.input_mtok)) + "M input and " + escapeHtml(amount(s.output_mtok)) +
      "M output tokens</caption>\n<thead>\n<tr><th scope=\"col\">Option</th><th scope=\"col\">Fits?</th>" +
      '<th scope="col" class="num">Tokens/s</th><th scope="col" class="num">Hours a month</th>' +
      '<th scope="col" class="num">Per month</th><th scope="col" class="num">Per 1M tokens</th></tr>\n' +
      "</thead>\n<tbody>\n";
    p.rows.forEach(function (row) {
      if (row.first_of) {
        html += '<tr class="group"><th scope="colgroup" colspan="6">' + escapeHtml(row.first_of) + "</th></tr>\n";
      }
      html += "<tr" + (row.cheapest ? ' class="cheapest"' : "") + '><th scope="row">' + escapeHtml(row.label) +
        (row.cheapest ? ' <span class="badge">Cheapest</span>' : "") + "</th><td>" + escapeHtml(row.fits) +
        '</td><td class="num">' + escapeHtml(amount(row.speed)) + '</td><td class="num">' +
        escapeHtml(amount(row.hours)) + '</td><td class="num">' + escapeHtml(money(row.monthly)) +
        '</td><td class="num">' + escapeHtml(money(row.per_mtok)) + "</td></tr>\n";
    });
    html += '</tbody>\n</table>\n</div>\n<ul id="calc-notes" class="notes">\n';
    p.notes.forEach(function (note) { html += "<li>" + escapeHtml(note) + "</li>\n"; });
    return html + "</ul>\n";
  }

  function parseValue(raw, field, data, model) {
    var kind = field[2];
    var text = String(raw).trim().replace(/,/g, "");
    if (kind === "choice") return { value: text };
    if (text === "") return { error: "Enter a value." };
    if (!/^[0-9]*\.?[0-9]+(e[0-9]+)?$/i.test(text) && !/^[0-9]+\.$/.test(text)) {
      return { error: /^-/.test(text) ? "Enter a number that is not negative." : "Enter a number, using digits only." };
    }
    var value = Number(text);
    if (!isFinite(value)) return { error: "Enter a smaller number." };
    if (kind === "integer" && Math.floor(value) !== value) return { error: "Enter a whole number." };
    var min = field[3];
    var max = field[4];
    if (field[0] === "ctx" && model) max = model.context_length;
    if (value < min) return { error: "Enter at least " + min.toLocaleString("en-US") + "." };
    if (max !== null && value > max) {
      var why = field[0] === "ctx" && model ? " (" + model.name + "’s longest context)" : "";
      return { error: "Enter at most " + max.toLocaleString("en-US") + why + "." };
    }
    return { value: value };
  }

  function startPage() {
    var form = document.getElementById("calc-form");
    var dataBlock = document.getElementById("calc-data");
    var output = document.getElementById("calc-output");
    var status = document.getElementById("calc-status");
    if (!form || !dataBlock || !output || !status) return;
    var data = JSON.parse(dataBlock.textContent);
    var defaults = data.defaults;

    function choiceValid(name, value) {
      var select = form.elements[name];
      return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    }

    // Preset the form from the query string; unknown or malformed values are ignored.
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (field) {
      if (!params.has(field[0])) return;
      var value = params.get(field[0]);
      if (field[2] === "choice" && !choiceValid(field[0], value)) return;
      form.elements[field[0]].value = value;
    });
    if (params.has("gpu") && !params.has("hw")) setHardwarePrice();

    function setHardwarePrice() {
      var gpu = data.gpus[form.elements.gpu.value];
      if (gpu && gpu.price_usd) form.elements.hw.value = String(gpu.price_usd);
    }

    function read() {
      var scenario = {};
      var errors = 0;
      var model = data.models[form.elements.model.value];
      FIELDS.forEach(function (field) {
        var input = form.elements[field[0]];
        var parsed = parseValue(input.value, field, data, model);
        var message = document.getElementById("calc-" + field[0] + "-error");
        if (parsed.error) {
          errors += 1;
          input.setAttribute("aria-invalid", "true");
          if (message) message.textContent = parsed.error;
        } else {
          input.removeAttribute("aria-invalid");
          if (message) message.textContent = "";
          scenario[field[1]] = parsed.value;
        }
      });
      return errors ? null : scenario;
    }

    function updateUrl(scenario) {
      var query = new URLSearchParams();
      FIELDS.forEach(function (field) {
        if (scenario[field[1]] !== defaults[field[1]]) query.set(field[0], String(scenario[field[1]]));
      });
      var search = query.toString();
      var url = window.location.pathname + (search ? "?" + search : "");
      window.history.replaceState(null, "", url);
      document.getElementById("calc-share").setAttribute("href", url);
    }

    var announceTimer = null;
    function announce(text) {
      window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(function () { status.textContent = text; }, 400);
    }

    function update() {
      var scenario = read();
      if (!scenario) {
        output.classList.add("stale");
        announce("Fix the highlighted field to update the results.");
        return;
      }
      output.classList.remove("stale");
      var presented = present(compare(scenario, data), scenario, data);
      output.innerHTML = renderResults(presented, scenario);
      updateUrl(scenario);
      announce(presented.cheapest
        ? "Cheapest: " + presented.cheapest.label + ", " + money(presented.cheapest.monthly_usd) + " a month."
        : "Nothing listed can run this workload.");
    }

    form.addEventListener("input", update);
    form.addEventListener("change", function (event) {
      if (event.target === form.elements.gpu) setHardwarePrice();
      update();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    document.getElementById("calc-reset").addEventListener("click", function (event) {
      event.preventDefault();
      FIELDS.forEach(function (field) {
        var value = defaults[field[1]];
        form.elements[field[0]].value = field[2] === "choice" ? value : amount(value).replace(/,/g, "");
      });
      form.elements.kwh.value = String(defaults.usd_per_kwh);
      form.elements.hw.value = String(defaults.hardware_usd);
      update();
    });
    form.hidden = false;
    var note = document.getElementById("calc-nojs");
    if (note) note.hidden = true;
    update();
  }

  if (typeof document !== "undefined") {
    root.SpanveroCalculator = api;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startPage);
    else startPage();
  }
})(typeof window !== "undefined" ? window : globalThis);
