// SVG line charts in the browser, drawn exactly as src/spanvero_site/core/charts.py draws them at
// build time (same geometry, same classes; colours come from the stylesheet), so a page can
// redraw a built chart for new inputs. No inline styles: it works under default-src 'self'.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var WIDTH = 640, HEIGHT = 300, LEFT = 64, RIGHT = 16, TOP = 16, BOTTOM = 44;

  function niceTicks(low, high, count) {
    count = count || 5;
    if (high <= low) high = low + 1;
    var raw = (high - low) / count;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw; })[0];
    var ticks = [];
    for (var value = Math.floor(low / step) * step; value <= high + step * 1e-9; value += step) {
      ticks.push(Math.round(value * 1e10) / 1e10);
    }
    if (ticks[ticks.length - 1] < high) ticks.push(Math.round((ticks[ticks.length - 1] + step) * 1e10) / 1e10);
    return ticks;
  }

  function logTicks(low, high) {
    var ticks = [];
    for (var e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++) ticks.push(Math.pow(10, e));
    return ticks;
  }

  function n(value) {
    var text = value.toFixed(1);
    return text.slice(-2) === ".0" ? text.slice(0, -2) : text;
  }

  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Replace the contents of `svg` (an <svg class="chart"> built by charts.py) with a chart of
  // `spec`: {title, desc, series: [{key, label, points: [[x, y], ...]}], markers: [{x, y, label}],
  // levels: [{y, label}], logX, xTicks (optional), xFormat(x), yFormat(y)}. Axis labels are kept from the built chart.
  function draw(svg, spec) {
    var xs = [], ys = [];
    spec.series.forEach(function (s) { s.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
    (spec.markers || []).forEach(function (m) { xs.push(m.x); ys.push(m.y); });
    (spec.levels || []).forEach(function (l) { ys.push(l.y); });
    if (!xs.length) return;
    var xTicks = spec.xTicks && spec.xTicks.length ? spec.xTicks : spec.logX ? logTicks(Math.min.apply(null, xs), Math.max.apply(null, xs))
      : niceTicks(Math.min.apply(null, xs), Math.max.apply(null, xs));
    var yTicks = niceTicks(0, ys.length ? Math.max.apply(null, ys) : 1);
    var xLow = xTicks[0], xHigh = xTicks[xTicks.length - 1], yHigh = yTicks[yTicks.length - 1];
    var plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM, bottom = TOP + plotH;
    function sx(x) {
      if (spec.logX) return LEFT + (Math.log10(x) - Math.log10(xLow)) / (Math.log10(xHigh) - Math.log10(xLow)) * plotW;
      return LEFT + (x - xLow) / (xHigh - xLow) * plotW;
    }
    function sy(y) { return TOP + plotH - Math.min(y, yHigh) / yHigh * plotH; }

    var labels = Array.prototype.slice.call(svg.querySelectorAll(".axis-label"));
    var id = svg.id;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.appendChild(el("title", { id: id + "-title" }, spec.title));
    svg.appendChild(el("desc", { id: id + "-desc" }, spec.desc));
    var grid = el("g", { "class": "grid", "aria-hidden": "true" });
    yTicks.forEach(function (y) {
      grid.appendChild(el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: n(sy(y)), y2: n(sy(y)) }));
      grid.appendChild(el("text", { "class": "tick", x: LEFT - 6, y: n(sy(y) + 4), "text-anchor": "end" }, spec.yFormat(y)));
    });
    xTicks.forEach(function (x) {
      grid.appendChild(el("line", { x1: n(sx(x)), x2: n(sx(x)), y1: TOP, y2: bottom }));
      grid.appendChild(el("text", { "class": "tick", x: n(sx(x)), y: bottom + 16, "text-anchor": "middle" }, spec.xFormat(x)));
    });
    labels.forEach(function (label) { grid.appendChild(label); });
    svg.appendChild(grid);
    (spec.levels || []).forEach(function (l) {
      var g = el("g", { "class": "level", "aria-hidden": "true" });
      g.appendChild(el("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: n(sy(l.y)), y2: n(sy(l.y)) }));
      g.appendChild(el("text", { x: WIDTH - RIGHT - 4, y: n(sy(l.y) - 4), "text-anchor": "end" }, l.label));
      svg.appendChild(g);
    });
    spec.series.forEach(function (s) {
      var points = s.points.map(function (p) { return n(sx(p[0])) + "," + n(sy(p[1])); }).join(" ");
      svg.appendChild(el("polyline", { "class": "line series-" + s.key, points: points, "aria-hidden": "true" }));
    });
    (spec.markers || []).forEach(function (m) {
      var g = el("g", { "class": "marker", "aria-hidden": "true" });
      g.appendChild(el("circle", { cx: n(sx(m.x)), cy: n(sy(m.y)), r: 5 }));
      g.appendChild(el("text", { x: n(sx(m.x)), y: n(sy(m.y) - 10), "text-anchor": "middle" }, m.label));
      svg.appendChild(g);
    });
  }

  window.SpanveroCharts = { draw: draw };
})();
