// Sorting and filtering for the /models/ table. The table is complete without this script;
// it only adds sort buttons to the column headers and shows the filter form. The filters live
// in the address (?min=30&max=80&license=…&gpu=…), so a filtered list can be shared or reloaded.
(function () {
  "use strict";
  var table = document.getElementById("model-table");
  var form = document.getElementById("model-filters");
  var status = document.getElementById("model-status");
  if (!table || !form || !status) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

  function cellValue(row, index, kind) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-value");
    if (raw === null) raw = cell.textContent.trim();
    return kind === "number" ? parseFloat(raw) : raw.toLowerCase();
  }

  function label(th) {
    return th.querySelector("button").firstChild.textContent.trim();
  }

  function sortBy(index, direction) {
    var kind = headers[index].getAttribute("data-sort");
    var factor = direction === "ascending" ? 1 : -1;
    rows.sort(function (a, b) {
      var x = cellValue(a, index, kind);
      var y = cellValue(b, index, kind);
      if (x < y) return -factor;
      if (x > y) return factor;
      return 0;
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
    headers.forEach(function (th, i) {
      if (i === index) th.setAttribute("aria-sort", direction);
      else th.removeAttribute("aria-sort");
    });
    announce("Sorted by " + label(headers[index]) + ", " + direction + ".");
  }

  headers.forEach(function (th, index) {
    var button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener("click", function () {
      var next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      sortBy(index, next);
    });
  });

  function number(input) {
    var value = input.value.trim();
    if (value === "") return null;
    var parsed = Number(value);
    return isFinite(parsed) && parsed >= 0 ? parsed : NaN;
  }

  var FIELDS = ["min", "max", "license", "gpu"];

  function remember() {
    var params = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value === "") params.delete(name);
      else params.set(name, value);
    });
    var query = params.toString();
    var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(null, "", address);
  }

  // Preset the filters from the address. A value a filter cannot take (an unknown GPU or
  // licence, a number field given words) is named above the table, as the calculator and the
  // advisor name theirs: a mistyped or outdated link must not pass the whole list off as the
  // filtered one it asked for.
  function restore() {
    var params = new URLSearchParams(window.location.search);
    var notes = [];
    FIELDS.forEach(function (name) {
      var value = params.get(name);
      if (value === null || value.trim() === "") return;
      var field = form.elements[name];
      var shown = value.length > 40 ? value.slice(0, 40) + "…" : value;
      var label = form.querySelector('label[for="' + field.id + '"]').textContent.replace(/\s+/g, " ").trim();
      if (params.getAll(name).some(function (other) { return other !== value; })) {
        notes.push("The link gives " + name + " more than once, so the table used the first, " + shown + ".");
      }
      var known = field.tagName !== "SELECT" ||
        Array.prototype.some.call(field.options, function (o) { return o.value === value; });
      if (known) field.value = field.tagName === "SELECT" ? value : value.trim();
      // A number field keeps only what it reads as a number, and empties itself otherwise.
      if (!known || field.value === "") {
        field.value = "";
        notes.push("The link’s " + name + "=" + shown + " is not " +
          (field.tagName === "SELECT" ? "one of the choices for" : "a number for") + " “" + label +
          "”, so the table is not filtered by it.");
      }
    });
    var note = document.getElementById("model-link-note");
    if (note && notes.length) {
      notes.forEach(function (text) {
        var line = document.createElement("p");
        line.textContent = text;
        note.appendChild(line);
      });
      note.hidden = false;
    }
  }

  function applyFilters() {
    remember();
    var min = number(form.elements.min);
    var max = number(form.elements.max);
    var license = form.elements.license.value;
    var gpuOption = form.elements.gpu.selectedOptions[0];
    var usable = gpuOption && gpuOption.value ? parseFloat(gpuOption.getAttribute("data-usable-gib")) : null;
    if (Number.isNaN(min) || Number.isNaN(max)) {
      announce("Enter parameter counts as positive numbers, in billions.");
      return;
    }
    if (min !== null && max !== null && min > max) {
      announce("“From” (" + min + "B) is larger than “to” (" + max + "B), so no model can match. Swap them to see models between " + max + "B and " + min + "B.");
      rows.forEach(function (row) { row.hidden = true; });
      return;
    }
    var shown = 0;
    rows.forEach(function (row) {
      var params = parseFloat(row.getAttribute("data-params"));
      var visible =
        (min === null || params >= min) &&
        (max === null || params <= max) &&
        (license === "" || row.getAttribute("data-license") === license) &&
        (usable === null || parseFloat(row.getAttribute("data-q4")) <= usable);
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    if (shown === 0) announce("No model matches these filters (0 of " + rows.length + "). Clear a filter to see more.");
    else announce(shown + " of " + rows.length + " models shown.");
  }

  var timer = null;
  function announce(text) {
    // Clearing first makes screen readers repeat an identical message.
    status.textContent = "";
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { status.textContent = text; }, 50);
  }

  form.addEventListener("input", applyFilters);
  form.addEventListener("change", applyFilters);
  form.addEventListener("reset", function () { window.setTimeout(applyFilters, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  status.textContent = "";
  if (window.location.search) {
    restore();
    applyFilters();
  }
})();
