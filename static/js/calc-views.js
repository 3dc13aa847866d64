// The calculator's answer card and its cost-against-volume chart, redrawn whenever
// calculator.js recomputes ("calc:update" on the form, with the scenario, data, result and rows).
// The card mirrors templates/partials/calc_summary.html; the chart mirrors
// sections/calculator/chart.py through charts.js.
//
// The scripts may run in any order: a result worked out before this script listened is read
// from SpanveroCalculator.latest() when it starts, and again once the document and then the
// page have loaded (by then every deferred, then every async, script has run, charts.js
// included). Each view stamps data-calc-shows with the key of the result it drew, and
// calculator.js marks any view whose stamp is not the inputs' key as stale.
(function () {
  "use strict";
  var form = document.getElementById("calc-form");
  var card = document.getElementById("calc-answer");
  var chart = document.getElementById("calc-chart");
  if (!form || !card) return;
  var KINDS = [["local", "Your own hardware"], ["rental", "Rented GPU"], ["api", "API"]];

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function renderCard(presented, money) {
    var rows = presented.rows;
    var best = presented.cheapest ? rows.filter(function (r) { return r.cheapest; })[0] : null;
    while (card.firstChild) card.removeChild(card.firstChild);
    if (!best) {
      card.appendChild(text("p", "summary-option", "Nothing listed can run this workload."));
      return;
    }
    card.appendChild(text("p", "summary-kicker", "Cheapest option that fits"));
    card.appendChild(text("p", "summary-option", best.label));
    var figures = text("dl", "summary-figures");
    [["Per month", best.monthly], ["Per 1M output tokens", best.per_output]].forEach(function (pair) {
      var box = document.createElement("div");
      box.appendChild(text("dt", "", pair[0]));
      box.appendChild(text("dd", "num", money(pair[1])));
      figures.appendChild(box);
    });
    card.appendChild(figures);
    var others = text("ul", "summary-others");
    KINDS.forEach(function (kind) {
      if (best.key.indexOf(kind[0] + "/") === 0) return;
      var pick = null;
      rows.forEach(function (row) {
        if (row.key.indexOf(kind[0] + "/") !== 0 || row.fits !== "Yes" || row.monthly === null) return;
        if (pick === null || row.monthly < pick.monthly) pick = row;
      });
      var item = document.createElement("li");
      item.appendChild(text("span", "summary-kind", kind[1] + ":"));
      if (pick) {
        item.appendChild(document.createTextNode(" " + pick.label + ", "));
        item.appendChild(text("span", "num", money(pick.monthly)));
        item.appendChild(document.createTextNode(" a month, "));
        item.appendChild(text("span", "num", money(pick.per_output)));
        item.appendChild(document.createTextNode(" per 1M output tokens"));
      } else {
        item.appendChild(document.createTextNode(" none fits and keeps up"));
      }
      others.appendChild(item);
    });
    card.appendChild(others);
  }

  // Mirrors sections/calculator/chart.py: the cheapest of each kind at 25 volumes around the
  // reader's, in the same input/output mix, with the break-even volumes marked.
  var POINTS = 25;
  var SERIES = [["local", "Your own GPU"], ["rented", "Cheapest rented GPU"], ["api", "Cheapest API"]];

  function costsAt(result) {
    var rented = result.rental.filter(function (o) { return o.monthly_usd !== null && o.status === "ok"; });
    var min = function (list) { return list.length ? Math.min.apply(null, list) : null; };
    return {
      local: result.local.monthly_usd,
      rented: min(rented.map(function (o) { return o.monthly_usd; })),
      api: min(result.api.filter(function (a) { return a.status === "ok"; })
        .map(function (a) { return a.monthly_usd; })),
    };
  }

  // Draws the chart of `detail`; false when the page cannot (charts.js not run yet).
  function drawChart(detail) {
    var svg = document.getElementById("cost-chart");
    var calc = window.SpanveroCalculator;
    if (!svg || !calc || !window.SpanveroCharts) return false;
    var s = detail.scenario;
    var volumeLabel = detail.format.volumeLabel;
    var total = s.input_mtok + s.output_mtok;
    var here = detail.result;
    var crossings = [here.break_even.local_vs_api_mtok, here.break_even.rental_vs_api_mtok].filter(Boolean);
    var low = Math.min.apply(null, [total].concat(crossings)) / 10;
    var high = Math.max.apply(null, [total].concat(crossings)) * 10;
    var step = (Math.log10(high) - Math.log10(low)) / (POINTS - 1);
    var share = total ? s.input_mtok / total : 0.5;
    var volumes = [], costs = { local: [], rented: [], api: [] };
    for (var i = 0; i < POINTS; i++) {
      var volume = Math.pow(10, Math.log10(low) + i * step);
      var at = Object.assign({}, s, { input_mtok: volume * share, output_mtok: volume * (1 - share) });
      var row = costsAt(calc.compare(at, detail.data));
      volumes.push(volume);
      Object.keys(costs).forEach(function (k) { costs[k].push(row[k]); });
    }
    var series = SERIES.map(function (pair) {
      var points = [];
      volumes.forEach(function (v, j) { if (costs[pair[0]][j]) points.push([v, costs[pair[0]][j]]); });
      return { key: pair[0], label: pair[1], points: points };
    }).filter(function (one) { return one.points.length; });
    var markers = [];
    [["local_vs_api_mtok", "buying pays"], ["rental_vs_api_mtok", "renting pays"]].forEach(function (pair) {
      var volume = here.break_even[pair[0]];
      if (!volume) return;
      var nearest = 0;
      volumes.forEach(function (v, j) {
        if (Math.abs(Math.log10(v) - Math.log10(volume)) < Math.abs(Math.log10(volumes[nearest]) - Math.log10(volume))) nearest = j;
      });
      var api = costs.api[nearest];
      if (api !== null) markers.push({ x: volume, y: api * volume / volumes[nearest], label: pair[1] });
    });
    var described = series.map(function (one) {
      var first = one.points[0], last = one.points[one.points.length - 1];
      return one.label + " from " + detail.format.money(first[1]) + " at " + volumeLabel(+first[0].toPrecision(3)) +
        " to " + detail.format.money(last[1]) + " at " + volumeLabel(+last[0].toPrecision(3)) + " tokens a month";
    }).join("; ");
    var crossed = markers.map(function (m) { return m.label + " above " + volumeLabel(+m.x.toPrecision(3)) + " tokens a month"; });
    var name = (detail.data.models[s.model] || {}).name || s.model;
    window.SpanveroCharts.draw(svg, {
      title: "Monthly cost of " + name + " against monthly volume",
      desc: described + (crossed.length ? ". Break-even: " + crossed.join("; ") : "") + ".",
      series: series, markers: markers, logX: true, xFormat: volumeLabel, yFormat: detail.format.moneyLabel,
    });
    var legend = svg.nextElementSibling;
    if (legend && legend.classList.contains("legend")) {
      while (legend.firstChild) legend.removeChild(legend.firstChild);
      series.forEach(function (one) {
        var item = document.createElement("li");
        item.appendChild(text("span", "swatch series-" + one.key));
        item.appendChild(document.createTextNode(one.label));
        legend.appendChild(item);
      });
    }
    var body = document.getElementById("cost-curve-body");
    if (body) {
      while (body.firstChild) body.removeChild(body.firstChild);
      volumes.forEach(function (v, j) {
        var tr = document.createElement("tr");
        tr.appendChild(text("th", "num", volumeLabel(+v.toPrecision(3))));
        tr.lastChild.setAttribute("scope", "row");
        SERIES.forEach(function (pair) {
          var value = costs[pair[0]][j];
          tr.appendChild(text("td", "num", value === null ? "—" : detail.format.money(value)));
        });
        body.appendChild(tr);
      });
    }
    return true;
  }

  // Draws each view that does not show `detail` yet, then lets calculator.js mark them.
  function show(detail) {
    if (card.getAttribute("data-calc-shows") !== detail.key) {
      renderCard(detail.presented, detail.format.money);
      card.setAttribute("data-calc-shows", detail.key);
    }
    if (chart && chart.getAttribute("data-calc-shows") !== detail.key && drawChart(detail)) {
      chart.setAttribute("data-calc-shows", detail.key);
    }
    window.SpanveroCalculator.settle();
  }

  function catchUp() {
    var latest = window.SpanveroCalculator && window.SpanveroCalculator.latest();
    if (latest) show(latest);
  }

  form.addEventListener("calc:update", function (event) { show(event.detail); });
  catchUp();
  if (document.readyState !== "complete") {
    document.addEventListener("DOMContentLoaded", catchUp);
    window.addEventListener("load", catchUp);
  }
})();
