// The Spanvero cost calculator. Plain JavaScript, no build step.
// The formulas mirror src/spanvero_site/data/costs.py exactly (shared test vectors prove it); the
// constants and prices come from the JSON block the build embeds, so nothing is typed twice.
(function (root) {
  "use strict";

  var GB = 1e9;
  var GIB = 1073741824;

  // --- costs.py ---------------------------------------------------------------------------

  function isMoe(model) {
    return model.experts !== null && model.experts !== undefined;
  }

  function bandFor(model, concurrency, C) {
    var streams = concurrency === 1 ? "single" : "batched";
    return C.bands[streams + "-" + (isMoe(model) ? "moe" : "dense")];
  }

  function bandMid(band) {
    return (band.low + band.high) / 2;
  }

  function tensorParallelFactor(gpus, C) {
    return gpus === 1 ? 1.0 : C.tensor_parallel_efficiency;
  }

  function canSplit(gpu) {
    return gpu.kind !== "apple";
  }

  function weightsGib(model, precision, C) {
    if (model.checkpoint && model.checkpoint.format === precision &&
        model.checkpoint.file_gb !== null) {
      return (model.checkpoint.file_gb * GB) / GIB;
    }
    return (model.params_b * 1e9 * C.precisions[precision].bits) / 8 / GIB;
  }

  function expertsTouched(model, concurrency) {
    var experts = model.experts || 1, perToken = model.experts_per_token || 1;
    return experts * (1 - Math.pow(1 - perToken / experts, concurrency));
  }

  function weightsReadGib(model, precision, concurrency, C) {
    var total = weightsGib(model, precision, C);
    if (!isMoe(model) || !model.experts || !model.experts_per_token) return total;
    var expert = (model.params_b - model.active_params_b) / (model.experts - model.experts_per_token);
    var shared = model.active_params_b - model.experts_per_token * expert;
    var read = shared + expertsTouched(model, concurrency) * expert;
    return total * Math.min(read / model.params_b, 1.0);
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

  function memoryNeed(model, precision, contextTokens, concurrency, kvType, C, gpus) {
    if (gpus === undefined) gpus = 1;
    var weights = weightsGib(model, precision, C);
    var kv = kvCacheBytes(model, contextTokens, concurrency, kvType, C) / GIB;
    var overhead = C.overhead_fraction * (weights + kv) + C.overhead_min_gib * gpus;
    return {
      weights_gib: weights, kv_gib: kv, overhead_gib: overhead, gpus: gpus,
      total_gib: weights + kv + overhead,
    };
  }

  function fits(need, gpu) {
    if (need.gpus > 1 && !canSplit(gpu)) return false;
    return need.total_gib <= gpu.vram_gib * gpu.usable_fraction * need.gpus;
  }

  function gpusNeeded(model, gpu, precision, contextTokens, concurrency, kvType, C, atLeast) {
    for (var i = 0; i < C.gpu_counts.length; i++) {
      var count = C.gpu_counts[i];
      if (count < atLeast) continue;
      if (fits(memoryNeed(model, precision, contextTokens, concurrency, kvType, C, count), gpu)) {
        return count;
      }
    }
    return null;
  }

  // A group's dense tensor FLOP/s for a precision, as in costs.compute_flops: FP8 on FP8 tensor
  // cores where the GPU has them, everything else at the 16-bit rate; null when not on file.
  function computeFlops(gpu, precision, gpus, C) {
    var tflops = precision === "fp8" && gpu.tflops_fp8 ? gpu.tflops_fp8 : gpu.tflops_bf16;
    if (tflops === null || tflops === undefined) return null;
    return gpus * tflops * 1e12 * tensorParallelFactor(gpus, C);
  }

  // One decode step at full efficiency (costs.step_seconds): the longer of reading its bytes
  // (weights read + every sequence's KV cache) and computing 2 x active params per sequence.
  function stepSeconds(model, gpu, precision, contextTokens, concurrency, kvType, C, gpus) {
    var read = weightsReadGib(model, precision, concurrency, C) * GIB +
      concurrency * kvCacheBytes(model, contextTokens, 1, kvType, C);
    var seconds = read / (gpus * gpu.bandwidth_gbps * GB * tensorParallelFactor(gpus, C));
    var compute = computeFlops(gpu, precision, gpus, C);
    if (compute) {
      seconds = Math.max(seconds, (concurrency * (2 * model.active_params_b * 1e9)) / compute);
    }
    return seconds;
  }

  // Aggregate decode tokens/s of `concurrency` sequences on `gpus` GPUs, as in
  // costs.throughput_tps; the efficiency defaults to the middle of the setup's band.
  function throughputTps(model, gpu, precision, contextTokens, concurrency, kvType, C, gpus, efficiency) {
    if (efficiency === undefined) efficiency = bandMid(bandFor(model, concurrency, C));
    return (efficiency * concurrency) /
      stepSeconds(model, gpu, precision, contextTokens, concurrency, kvType, C, gpus);
  }

  function perMtok(monthly, mtok) {
    return monthly !== null && mtok > 0 ? monthly / mtok : null;
  }

  function compareStrings(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function offerKey(o) {
    return o.provider + "/" + o.gpu + (o.unit_gpus > 1 ? "/x" + o.unit_gpus : "");
  }

  function compare(s, data) {
    if (!(s.output_mtok > 0)) throw new Error("the workload needs output tokens");
    var C = data.constants;
    var model = data.models[s.model];
    var totalMtok = s.input_mtok + s.output_mtok;
    var local = localCost(s, model, data.gpus[s.gpu], totalMtok, C);
    var offers = data.rental
      .filter(function (o) { return o.tier === s.tier && data.gpus[o.gpu]; })
      .map(function (o) { return rentalCost(s, model, data.gpus[o.gpu], o, totalMtok, C); });
    offers.sort(function (a, b) {
      var an = a.monthly_usd === null, bn = b.monthly_usd === null;
      if (an !== bn) return an ? 1 : -1;
      var as = a.status !== "ok", bs = b.status !== "ok";
      if (as !== bs) return as ? 1 : -1;
      return (a.monthly_usd || 0) - (b.monthly_usd || 0) ||
        compareStrings(a.provider, b.provider) || compareStrings(a.gpu, b.gpu) ||
        (a.gpus || 0) - (b.gpus || 0);
    });
    var apis = data.api
      .filter(function (p) { return p.model === s.model; })
      .map(function (p) { return apiCost(s, p, totalMtok); });
    apis.sort(function (a, b) {
      var as = a.status !== "ok", bs = b.status !== "ok";
      if (as !== bs) return as ? 1 : -1;
      return a.monthly_usd - b.monthly_usd || compareStrings(a.provider, b.provider);
    });
    var need = memoryNeed(model, s.precision, s.context, s.concurrency, s.kv_type, C, 1);
    return {
      memory_gib: need.total_gib,
      local: local,
      rental: offers,
      api: apis,
      cheapest: cheapest(local, offers, apis),
      break_even: breakEven(s, local, offers, apis),
    };
  }

  function workload(s, model, gpu, gpus, hoursAvailable, C) {
    var tps = throughputTps(model, gpu, s.precision, s.context, s.concurrency, s.kv_type, C, gpus);
    var hours = (s.output_mtok * 1e6) / (tps * 3600);
    return [tps, hours, Math.max(1, Math.ceil(hours / hoursAvailable - 1e-9))];
  }

  function localCost(s, model, gpu, totalMtok, C) {
    var hoursAvailable = (s.hours_per_day * C.hours_per_month) / 24;
    var need = memoryNeed(model, s.precision, s.context, s.concurrency, s.kv_type, C, Math.max(s.gpus, 1));
    var owned = s.gpus > 0;
    var result = {
      gpu: s.gpu,
      gpus: s.gpus,
      fits: owned && fits(need, gpu),
      // As costs._local: one machine's need only when several Macs could not be combined.
      not_combined: s.gpus > 1 && !canSplit(gpu) &&
        fits(memoryNeed(model, s.precision, s.context, s.concurrency, s.kv_type, C, 1), gpu),
      gpus_needed: owned ? gpusNeeded(model, gpu, s.precision, s.context, s.concurrency, s.kv_type, C, s.gpus) : null,
      tps_low: null,
      tps_high: null,
      throughput_tps: null,
      hours_needed: null,
      hours_available: hoursAvailable,
      setups_needed: null,
      capacity_mtok: null,
      keeps_up: false,
      electricity_usd: null,
      electricity_usd_per_mtok: null,
      hardware_usd: s.hardware_usd / s.amortization_months,
      monthly_usd: null,
      usd_per_mtok_output: null,
      usd_per_mtok_blended: null,
    };
    if (!result.fits) return result;
    var ceiling = throughputTps(model, gpu, s.precision, s.context, 1, s.kv_type, C, s.gpus, 1.0);
    var band = bandFor(model, 1, C);
    var w = workload(s, model, gpu, s.gpus, hoursAvailable, C);
    var tps = w[0], hours = w[1], setups = w[2];
    var watts = gpu.power_w * s.gpus;
    var outputShare = s.output_mtok / totalMtok;
    result.tps_low = ceiling * band.low;
    result.tps_high = ceiling * band.high;
    result.throughput_tps = tps;
    result.hours_needed = hours;
    result.setups_needed = setups;
    result.capacity_mtok = (tps * 3600 * hoursAvailable) / 1e6 / outputShare;
    result.keeps_up = setups === 1;
    var electricity = (watts / 1000) * hours * s.usd_per_kwh;
    result.electricity_usd_per_mtok = electricity / totalMtok;
    if (setups === 1) {
      var monthly = electricity + result.hardware_usd;
      result.electricity_usd = electricity;
      result.monthly_usd = monthly;
      result.usd_per_mtok_output = perMtok(monthly, s.output_mtok);
      result.usd_per_mtok_blended = perMtok(monthly, totalMtok);
    }
    return result;
  }

  function rentalCost(s, model, gpu, offer, totalMtok, C) {
    var count = gpusNeeded(model, gpu, s.precision, s.context, s.concurrency, s.kv_type, C, offer.unit_gpus);
    if (count !== null && offer.unit_gpus > 1) count = count <= offer.unit_gpus ? offer.unit_gpus : null;
    var result = {
      gpu: offer.gpu,
      provider: offer.provider,
      tier: offer.tier,
      status: offer.status,
      unit_gpus: offer.unit_gpus,
      instance: offer.instance,
      usd_per_gpu_hour: offer.usd_per_hour,
      gpus: count,
      fits: count !== null,
      throughput_tps: null,
      hours_needed: null,
      hours_billed: null,
      setups_needed: null,
      keeps_up: false,
      monthly_usd: null,
      always_on_usd: null,
      usd_per_mtok_output: null,
      usd_per_mtok_blended: null,
    };
    if (count === null) return result;
    var w = workload(s, model, gpu, count, C.hours_per_month, C);
    var hourly = offer.usd_per_hour * count;
    result.throughput_tps = w[0];
    result.hours_needed = w[1];
    result.setups_needed = w[2];
    result.keeps_up = w[2] === 1;
    result.always_on_usd = hourly * C.hours_per_month;
    if (w[2] === 1) {
      var billed = s.billing === "hourly" ? w[1] : C.hours_per_month;
      var monthly = hourly * billed;
      result.hours_billed = billed;
      result.monthly_usd = monthly;
      result.usd_per_mtok_output = perMtok(monthly, s.output_mtok);
      result.usd_per_mtok_blended = perMtok(monthly, totalMtok);
    }
    return result;
  }

  function apiCost(s, price, totalMtok) {
    var usdIn = price.usd_per_mtok_input || 0.0;
    var usdOut = price.usd_per_mtok_output || 0.0;
    var monthly = s.input_mtok * usdIn + s.output_mtok * usdOut;
    return {
      provider: price.provider,
      status: price.status,
      usd_per_mtok_input: usdIn,
      usd_per_mtok_output: usdOut,
      monthly_usd: monthly,
      usd_per_mtok_output_only: perMtok(monthly, s.output_mtok),
      usd_per_mtok_blended: perMtok(monthly, totalMtok),
    };
  }

  function cheapest(local, offers, apis) {
    var options = [];
    if (local.monthly_usd !== null) options.push([local.monthly_usd, 0, "local", local.gpu, local.gpus]);
    offers.forEach(function (o) {
      if (o.monthly_usd !== null && o.status === "ok") options.push([o.monthly_usd, 1, "rental", offerKey(o), o.gpus]);
    });
    apis.forEach(function (a) {
      if (a.status === "ok") options.push([a.monthly_usd, 2, "api", a.provider, 0]);
    });
    if (!options.length) return null;
    options.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || compareStrings(a[2], b[2]) || compareStrings(a[3], b[3]) ||
        a[4] - b[4];
    });
    return { kind: options[0][2], option: options[0][3], gpus: options[0][4], monthly_usd: options[0][0] };
  }

  function breakEven(s, local, offers, apis) {
    var total = s.input_mtok + s.output_mtok;
    var result = { local_vs_api_mtok: null, rental_vs_api_mtok: null };
    var usableApis = apis.filter(function (a) { return a.status === "ok"; });
    if (!usableApis.length) return result;
    var blended = usableApis[0].monthly_usd / total;
    var electricity = local.electricity_usd_per_mtok;
    if (local.fits && electricity !== null && blended > electricity) {
      result.local_vs_api_mtok = local.hardware_usd / (blended - electricity);
    }
    var usable = offers.filter(function (o) { return o.fits && o.status === "ok"; });
    if (s.billing === "always-on" && usable.length && blended > 0) {
      usable.sort(function (a, b) {
        return a.always_on_usd - b.always_on_usd ||
          compareStrings(a.provider, b.provider) || compareStrings(a.gpu, b.gpu);
      });
      result.rental_vs_api_mtok = usable[0].always_on_usd / blended;
    }
    return result;
  }

  // --- formatting.py ----------------------------------------------------------------------

  // Halves round away from zero, as formatting._fixed does, so both sides print the same text;
  // and, as there, a value that is not zero never reads as zero: below the last decimal shown it
  // reads as less than it ("<0.1", "-<0.1").
  function grouped(value, digits) {
    if (value < 0) return "-" + grouped(-value, digits);
    var scale = Math.pow(10, digits);
    var rounded = Math.floor(value * scale + 0.5) / scale;
    if (rounded === 0 && value > 0) return "<" + (1 / scale).toFixed(digits);
    return rounded.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  // `symbol` ("$") before the digits of `number`, after its signs: "-$5", "<$0.01".
  function prefixed(symbol, number) {
    var signs = /^[-<]*/.exec(number)[0];
    return signs + symbol + number.slice(signs.length);
  }

  function gib(value) {
    return grouped(value, Math.abs(value) < 100 ? 1 : 0) + " GiB";
  }

  function usd(value) {
    return prefixed("$", grouped(value, Math.abs(value) < 100 ? 2 : 0));
  }

  function money(value) {
    return value === null ? "—" : usd(value);
  }

  function amount(value) {
    if (value === null) return "—";
    if (Math.abs(value) >= 10) return grouped(value, 0);
    var text = grouped(value, 1);
    return text.slice(-2) === ".0" ? text.slice(0, -2) : text;
  }

  // Six significant figures in plain digits, as calculator/chart.py's _short: 0.00001, never
  // 1e-5; and 0, never -0 (+ 0 makes -0 plain 0).
  function short(value) {
    return (Number(value.toPrecision(6)) + 0).toLocaleString("en-US", { useGrouping: false, maximumSignificantDigits: 6 });
  }

  // formatting.plain: a number exactly, in plain digits ("0.0000001", never "1e-7", which the
  // form reads but a reader would have to decode), for the address a scenario is shared by. String() and
  // Python's repr give the same shortest digits; only where each switches to an exponent
  // differs, and both are written out here in full. -0 + 0 is 0.
  function plain(value) {
    var text = String(value + 0);
    var m = /^(-?)([0-9]+)(?:\.([0-9]+))?e([+-][0-9]+)$/.exec(text);
    if (!m) return text;
    var digits = m[2] + (m[3] || ""), point = m[2].length + Number(m[4]);
    if (point <= 0) return m[1] + "0." + "0".repeat(-point) + digits;
    if (point >= digits.length) return m[1] + digits + "0".repeat(point - digits.length);
    return m[1] + digits.slice(0, point) + "." + digits.slice(point);
  }

  // calculator/chart.py's volume_label and money_label: the cost chart's axis labels.
  function volumeLabel(mtok) {
    return mtok >= 1000 ? short(mtok / 1000) + "B" : short(mtok) + "M";
  }

  function moneyLabel(usd) {
    return usd >= 1000 ? "$" + short(usd / 1000) + "k" : "$" + short(usd);
  }

  // --- calculator_views.present ------------------------------------------------------------

  function countOf(count, gpu) {
    return count === 1 ? gpu : count + "× " + gpu;
  }

  function present(result, s, data) {
    var names = data.provider_names;
    var gpuName = function (id) { return data.gpus[id].name; };
    var serving = {};
    data.api.forEach(function (p) { if (p.model === s.model) serving[p.provider] = p.serving; });
    var local = result.local;
    var gpu = gpuName(s.gpu);
    var billing = s.billing === "hourly" ? "billed by the hour" : "always on";
    var rows = [{
      group: "Your own hardware",
      label: s.gpus ? countOf(s.gpus, gpu) + " (yours)" : "None of your own",
      key: "local/" + s.gpu,
      fits: s.gpus ? localStatus(local, gpu) : "—",
      speed: local.throughput_tps,
      hours: local.keeps_up ? local.hours_needed : null,
      monthly: local.monthly_usd,
      per_output: local.usd_per_mtok_output,
      blended: local.usd_per_mtok_blended,
    }];
    result.rental.forEach(function (o) {
      var unit = " (" + (o.instance || o.unit_gpus + "-GPU unit") + ", rented whole)";
      rows.push({
        group: "Rented GPUs (" + s.tier + ", " + billing + ")",
        label: names[o.provider] + ": " + (o.gpus ? countOf(o.gpus, gpuName(o.gpu)) : gpuName(o.gpu)) +
          (o.unit_gpus > 1 ? unit : ""),
        key: "rental/" + offerKey(o),
        fits: rentalStatus(o),
        speed: o.throughput_tps,
        hours: o.hours_billed,
        monthly: o.monthly_usd,
        per_output: o.usd_per_mtok_output,
        blended: o.usd_per_mtok_blended,
      });
    });
    result.api.forEach(function (a) {
      rows.push({
        group: "Hosted API",
        label: names[a.provider] + (serving[a.provider] ? " (" + serving[a.provider] + ")" : ""),
        key: "api/" + a.provider,
        fits: NOT_OFFERED[a.status] || "Yes",
        speed: null,
        hours: null,
        monthly: a.monthly_usd,
        per_output: a.usd_per_mtok_output_only,
        blended: a.usd_per_mtok_blended,
      });
    });
    if (!result.api.length) {
      rows.push({
        group: "Hosted API", label: "No API sells this model", key: "api/none", fits: "—",
        speed: null, hours: null, monthly: null, per_output: null, blended: null,
      });
    }
    var cheapestKey = result.cheapest ? result.cheapest.kind + "/" + result.cheapest.option : null;
    var group = null;
    var chosen = null;
    rows.forEach(function (row) {
      row.first_of = row.group !== group ? row.group : null;
      group = row.group;
      row.cheapest = row.key === cheapestKey;
      if (row.cheapest) chosen = row;
    });
    return {
      rows: rows,
      cheapest: chosen ? {
        label: chosen.label, monthly_usd: chosen.monthly, per_output: chosen.per_output, blended: chosen.blended,
      } : null,
      memory_gib: result.memory_gib,
      notes: notes(result, s, gpu, names, gpuName, data),
    };
  }

  function localStatus(local, gpu) {
    if (local.not_combined) return "No: Macs are not combined";
    if (!local.fits) return local.gpus_needed ? "No: needs " + local.gpus_needed + "× " + gpu : "No: does not fit";
    if (!local.keeps_up) return "Too slow: would take " + amount(local.setups_needed * local.gpus) + "× " + gpu;
    return "Yes";
  }

  // Why a listed offer is not priced, by its status: the same words for a rental and an API
  // (calculator_views._NOT_OFFERED).
  var NOT_OFFERED = { unavailable: "Unavailable at the source", stale: "Price out of date" };

  function rentalStatus(o) {
    if (NOT_OFFERED[o.status]) return NOT_OFFERED[o.status];
    if (!o.fits) return "No: does not fit" + (o.unit_gpus > 1 ? " the whole unit" : " 8 GPUs");
    if (!o.keeps_up) return "Too slow: would take " + amount(o.setups_needed * o.gpus) + " GPUs";
    return "Yes";
  }

  function notes(result, s, gpu, names, gpuName, data) {
    var local = result.local, be = result.break_even;
    var apis = result.api.filter(function (a) { return a.status === "ok"; });
    var moe = data.models[s.model].experts !== null && data.models[s.model].experts !== undefined;
    var band = data.constants.bands[moe ? "single-moe" : "single-dense"];
    var low = Math.round(band.low * 100), high = Math.round(band.high * 100);
    var yours = countOf(s.gpus, gpu);
    var out = [];
    var best = result.cheapest;
    if (best && best.kind === "rental" && s.billing === "hourly") {
      var offer = result.rental.filter(function (o) { return offerKey(o) === best.option; })[0];
      out.push("Billed by the hour assumes the work can be packed into busy hours and the GPUs " +
        "let go in between. An interactive service is always on: kept on all month, the " +
        "same " + countOf(offer.gpus, gpuName(offer.gpu)) + " at " + names[offer.provider] +
        " costs " + money(offer.always_on_usd) + " a month.");
    }
    if (!s.gpus) {
      out.push("You have no hardware of your own in this scenario; set how many GPUs you own to compare.");
    } else if (local.fits) {
      out.push("One stream on your " + yours + " decodes about " + amount(local.tps_low) + "–" +
        amount(local.tps_high) + " tokens/s: " + low + "–" + high + "% of its " +
        "memory-bandwidth ceiling, an estimate rather than a benchmark.");
      out.push("At " + amount(s.hours_per_day) + " hours a day it can process about " +
        amount(local.capacity_mtok) + "M tokens a month in this input/output mix.");
    } else if (local.not_combined) {
      out.push("Macs are not combined to run one model: one " + gpu + " holds it (it needs about " +
        gib(result.memory_gib) + "), so set How many to 1 to see what it costs.");
    } else {
      out.push("The model does not fit on your " + yours + " at this precision and context: it needs " +
        "about " + gib(result.memory_gib) + " on one GPU.");
    }
    if (apis.length && local.fits) {
      var cheapestApi = names[apis[0].provider];
      if (be.local_vs_api_mtok !== null) {
        out.push("Your " + yours + " costs less than the cheapest API (" + cheapestApi + ") above about " +
          amount(be.local_vs_api_mtok) + "M tokens a month.");
      } else {
        out.push("Your " + yours + " never costs less than the cheapest API (" + cheapestApi + ") here: " +
          "its electricity alone costs more per token.");
      }
    }
    if (apis.length && be.rental_vs_api_mtok !== null) {
      out.push("The cheapest always-on rental costs less than the cheapest API above about " +
        amount(be.rental_vs_api_mtok) + "M tokens a month.");
    }
    return out;
  }

  // The page's result views (the answer card, the results, the cost chart) each carry
  // data-calc-view and data-calc-shows, the scenario they show as its address query (the built
  // page's views show the default scenario, whose query is empty). Whether a view is current is
  // decided here alone, from the form: only a view showing the inputs' scenario, while they are
  // valid, is; any other is marked stale (dimmed, and inert: hidden from screen readers).
  // So a view whose script ran late, or could not draw, never passes for the reader's answer,
  // whatever order the page's scripts ran in. `page` is null until the form is read.
  var page = null;

  function settle() {
    if (!page) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-calc-view]"), function (view) {
      var current = page.inputs !== null && view.getAttribute("data-calc-shows") === page.inputs;
      view.classList.toggle("stale", !current);
      view.toggleAttribute("inert", !current);
    });
  }

  var api = {
    weightsGib: weightsGib,
    kvCacheBytes: kvCacheBytes,
    memoryNeed: memoryNeed,
    fits: fits,
    gpusNeeded: gpusNeeded,
    compare: compare,
    present: present,
    format: {
      gib: gib, usd: usd, money: money, amount: amount, plain: plain, volumeLabel: volumeLabel, moneyLabel: moneyLabel,
    },
    // The newest result worked out on this page ("calc:update"'s detail), or null: a view that
    // starts after it was announced draws it from here.
    latest: function () { return page && page.latest; },
    // A view calls this after drawing a result and stamping data-calc-shows with its key.
    settle: settle,
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
    ["gpus", "gpus", "count"],
    ["hours", "hours_per_day", "number", 0.1, 24],
    ["kwh", "usd_per_kwh", "number", 0, 10],
    ["hw", "hardware_usd", "number", 0, 1e7],
    ["months", "amortization_months", "integer", 1, 240],
    ["tier", "tier", "choice"],
    ["billing", "billing", "choice"],
  ];

  var CTX_FIELD = FIELDS.filter(function (field) { return field[0] === "ctx"; })[0];

  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&#34;").replace(/'/g, "&#39;");
  }

  function renderResults(p, s) {
    var html = '<p id="calc-summary" class="summary">';
    if (p.cheapest) {
      html += "Cheapest option that fits, keeps up and can be had today: <strong>" + escapeHtml(p.cheapest.label) +
        "</strong>, " + escapeHtml(money(p.cheapest.monthly_usd)) + " a month (" +
        escapeHtml(money(p.cheapest.per_output)) + " per 1M output tokens; " +
        escapeHtml(money(p.cheapest.blended)) + " blended, per 1M tokens in and out).";
    } else {
      html += "Nothing listed can run this workload.";
    }
    html += " The model needs about " + escapeHtml(gib(p.memory_gib)) + " of memory for it on one GPU.</p>\n";
    html += '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="calc-caption">\n' +
      '<table class="results" id="calc-table">\n<caption id="calc-caption">Monthly cost of ' +
      escapeHtml(amount(s.input_mtok)) + "M input and " + escapeHtml(amount(s.output_mtok)) +
      "M output tokens</caption>\n<thead>\n<tr><th scope=\"col\">Option</th><th scope=\"col\">Can it do the work?</th>" +
      '<th scope="col" class="num">Tokens/s</th><th scope="col" class="num">Hours a month</th>' +
      '<th scope="col" class="num">Per month</th><th scope="col" class="num">Per 1M output tokens</th>' +
      '<th scope="col" class="num">Blended, per 1M tokens in and out</th></tr>\n' +
      "</thead>\n<tbody>\n";
    p.rows.forEach(function (row) {
      if (row.first_of) {
        html += '<tr class="group"><th scope="colgroup" colspan="7">' + escapeHtml(row.first_of) + "</th></tr>\n";
      }
      html += "<tr" + (row.cheapest ? ' class="cheapest"' : "") + '><th scope="row">' + escapeHtml(row.label) +
        (row.cheapest ? ' <span class="badge">Cheapest</span>' : "") + "</th>" +
        '<td class="fits" data-label="Can it do the work?">' + escapeHtml(row.fits) +
        '</td><td class="num" data-label="Tokens/s">' + escapeHtml(amount(row.speed)) +
        '</td><td class="num" data-label="Hours a month">' + escapeHtml(amount(row.hours)) +
        '</td><td class="num key" data-label="Per month">' + escapeHtml(money(row.monthly)) +
        '</td><td class="num key" data-label="Per 1M output tokens">' + escapeHtml(money(row.per_output)) +
        '</td><td class="num" data-label="Blended, per 1M tokens in and out">' + escapeHtml(money(row.blended)) +
        "</td></tr>\n";
    });
    html += '</tbody>\n</table>\n</div>\n<ul id="calc-notes" class="notes">\n';
    p.notes.forEach(function (note) { html += "<li>" + escapeHtml(note) + "</li>\n"; });
    return html + "</ul>\n";
  }

  // A comma is taken only where it separates thousands ("1,500", "2,500.50"): "0,15" is a
  // decimal comma, and dropping it would read a figure a hundred times too large. The build's
  // check of links into the calculator applies the same rule (calculator/inputs.py GROUPED).
  var GROUPED = /^[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]*)?$/;

  function parseValue(raw, field, data, model) {
    var kind = field[2];
    var text = String(raw).trim();
    if (field[0] === "precision" && model && !data.constants.precisions[text] &&
        !(model.checkpoint && model.checkpoint.format === text)) {
      return { error: model.name + " has no release in this format; choose another precision." };
    }
    if (kind === "choice") return { value: text };
    if (kind === "count") return { value: Number(text) };
    if (text === "") return { error: "Enter a value." };
    if (/^-/.test(text)) return { error: "Enter a number that is not negative." };
    if (text.indexOf(",") !== -1) {
      if (!GROUPED.test(text)) {
        return { error: "Write decimals with a point (0.15); a comma only separates thousands (1,500)." };
      }
      text = text.replace(/,/g, "");
    }
    if (!/^[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?$/i.test(text) && !/^[0-9]+\.$/.test(text)) {
      return { error: "Enter a number, using digits only." };
    }
    var value = Number(text);
    if (!isFinite(value)) return { error: "Enter a smaller number." };
    if (kind === "integer" && Math.floor(value) !== value) return { error: "Enter a whole number." };
    var min = field[3];
    var max = field[4];
    if (field[0] === "ctx" && model) max = model.context_length;
    if (field[0] === "out" && value === 0) {
      return { error: "Enter more than 0: the calculator times the tokens a model generates." };
    }
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

    // Preset the form from the query string. A number the form refuses is shown in its field
    // with the field's error; a choice the form does not offer cannot be shown there, so the
    // field keeps its default and the note above the results says so: a shared or mistyped
    // link must never pass another model's (or GPU's) figures off as its own.
    var params = new URLSearchParams(window.location.search);
    var linkNotes = [];
    FIELDS.forEach(function (field) {
      if (!params.has(field[0])) return;
      var name = field[0];
      var value = params.get(name);
      var shown = value.length > 40 ? value.slice(0, 40) + "…" : value;
      if (params.getAll(name).some(function (other) { return other !== value; })) {
        linkNotes.push("The link gives " + name + " more than once, so the calculator used the first, " +
          shown + ".");
      }
      if ((field[2] === "choice" || field[2] === "count") && !choiceValid(name, value)) {
        var select = form.elements[name];
        var label = form.querySelector('label[for="' + select.id + '"]').textContent.trim();
        linkNotes.push("The link’s " + name + "=" + shown + " is not one of the choices for “" + label +
          "”, so the calculator opened with “" + select.options[select.selectedIndex].text + "”.");
        return;
      }
      form.elements[name].value = value;
    });
    var linkNote = document.getElementById("calc-link-note");
    if (linkNote && linkNotes.length) {
      linkNotes.forEach(function (text) {
        var line = document.createElement("p");
        line.textContent = text;
        linkNote.appendChild(line);
      });
      linkNote.hidden = false;
    }
    if ((params.has("gpu") || params.has("gpus")) && !params.has("hw")) setHardwarePrice();

    // The context the reader asked for (the default, the address's or the last one typed).
    // A model that reads fewer tokens gets its own maximum instead, and the page says so; a
    // model that can take it again gets it back. Never an error the reader did not make, and
    // never another model's figures beside the chosen one.
    var wantedContext = form.elements.ctx.value;
    function fitContext() {
      var model = data.models[form.elements.model.value];
      var note = document.getElementById("calc-ctx-note");
      var wanted = parseValue(wantedContext, CTX_FIELD, data, null);
      if (!model || wanted.error) return;
      var most = model.context_length;
      form.elements.ctx.value = String(Math.min(wanted.value, most));
      note.textContent = wanted.value > most
        ? model.name + " reads at most " + most.toLocaleString("en-US") + " tokens, so the context is set to that."
        : "";
    }
    fitContext();  // a context the model cannot read makes a scenario of its own, computed below

    // Choosing a GPU (or how many) always sets the price from that GPU's listed price, never the
    // previous GPU's. Only GPUs with a price are options (a GPU without one can only be rented),
    // so a shared address naming one is ignored like any unknown choice.
    function setHardwarePrice() {
      var gpu = data.gpus[form.elements.gpu.value];
      var count = Number(form.elements.gpus.value) || 1;
      var price = gpu && gpu.price_usd ? gpu.price_usd * count : 0;
      form.elements.hw.value = String(Math.round(price * 100) / 100);
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

    // A scenario's address query, and its key in data-calc-shows: the fields that differ from
    // the defaults.
    function queryOf(scenario) {
      var query = new URLSearchParams();
      FIELDS.forEach(function (field) {
        var value = scenario[field[1]];
        if (value !== defaults[field[1]]) query.set(field[0], typeof value === "number" ? plain(value) : String(value));
      });
      return query.toString();
    }

    function updateUrl(search) {
      var url = window.location.pathname + (search ? "?" + search : "");
      window.history.replaceState(null, "", url);
      document.getElementById("calc-share").setAttribute("href", url);
    }

    var announceTimer = null;
    function announce(text) {
      window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(function () { status.textContent = text; }, 400);
    }

    var card = document.getElementById("calc-answer");
    var chart = document.getElementById("calc-chart");

    function invalid() {
      page.inputs = null;
      var shownModel = page.latest ? page.latest.scenario.model : defaults.model;
      if (form.elements.model.value !== shownModel && data.models[form.elements.model.value]) {
        // Dimmed figures of another model beside the chosen one would read as its figures.
        var name = escapeHtml(data.models[form.elements.model.value].name);
        output.innerHTML = '<p id="calc-summary" class="summary">Fix the highlighted field to see the results for ' +
          name + ".</p>\n";
        if (card) card.hidden = true;
        if (chart) chart.hidden = true;
      }
      settle();
      announce("Fix the highlighted field to update the results.");
    }

    function show(scenario) {
      var key = queryOf(scenario);
      page.inputs = key;
      if (card) card.hidden = false;
      if (chart) chart.hidden = false;
      var result = compare(scenario, data);
      var presented = present(result, scenario, data);
      output.innerHTML = renderResults(presented, scenario);
      output.setAttribute("data-calc-shows", key);
      updateUrl(key);
      page.latest = {
        key: key, scenario: scenario, data: data, result: result, presented: presented, format: api.format,
      };
      // calc-views.js redraws the answer card and the cost chart from the same figures.
      form.dispatchEvent(new CustomEvent("calc:update", { detail: page.latest }));
      settle();
      announce(presented.cheapest
        ? "Cheapest: " + presented.cheapest.label + ", " + money(presented.cheapest.monthly_usd) + " a month."
        : "Nothing listed can run this workload.");
    }

    function update() {
      var scenario = read();
      if (scenario) show(scenario);
      else invalid();
    }

    form.addEventListener("input", function (event) {
      if (event.target === form.elements.ctx) {
        wantedContext = form.elements.ctx.value;
        document.getElementById("calc-ctx-note").textContent = "";
      }
      if (event.target === form.elements.model) fitContext();
      update();
    });
    form.addEventListener("change", function (event) {
      if (event.target === form.elements.gpu || event.target === form.elements.gpus) setHardwarePrice();
      if (event.target === form.elements.model) fitContext();
      update();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    document.getElementById("calc-reset").addEventListener("click", function (event) {
      event.preventDefault();
      FIELDS.forEach(function (field) {
        var value = defaults[field[1]];
        form.elements[field[0]].value = field[2] === "choice" || field[2] === "count"
          ? String(value) : amount(value).replace(/,/g, "");
      });
      wantedContext = form.elements.ctx.value;
      document.getElementById("calc-ctx-note").textContent = "";
      form.elements.kwh.value = String(defaults.usd_per_kwh);
      form.elements.hw.value = String(defaults.hardware_usd);
      update();
    });
    form.hidden = false;
    var note = document.getElementById("calc-nojs");
    if (note) note.hidden = true;
    // The page was built with the default scenario's results, card and chart (the same figures,
    // held equal by the shared vectors), so only another scenario (from the address, or fields
    // the browser restored) is computed now; recomputing the defaults would only repaint the
    // same page, a long task on a slow phone.
    page = { inputs: null, latest: null };
    var scenario = read();
    if (!scenario) invalid();
    else if (queryOf(scenario) !== "") show(scenario);
    else {
      page.inputs = "";
      updateUrl("");
      settle();
    }
  }

  if (typeof document !== "undefined") {
    root.SpanveroCalculator = api;
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startPage);
    else startPage();
  }
})(typeof window !== "undefined" ? window : globalThis);
