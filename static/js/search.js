// The /search/ page: loads Pagefind's UI from the index `spanvero build` writes, and runs the
// query typed into the header's search box (?q=). Without JavaScript the page lists every
// explainer and model, to search with the browser's find.
(function () {
  "use strict";
  var root = document.getElementById("search");
  var fallback = document.getElementById("search-fallback");
  if (!root) return;
  var bundle = root.getAttribute("data-bundle");
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = function () {
    // A large site's index comes in shards: shards.json lists the bundles to merge.
    fetch(bundle + "shards.json")
      .then(function (response) { return response.ok ? response.json() : []; })
      .catch(function () { return []; })
      .then(start);
  };
  function start(shards) {
    /* global PagefindUI */
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: root.getAttribute("data-base"),
      showImages: false,
      autofocus: true,
      mergeIndex: (Array.isArray(shards) ? shards : []).map(function (path) {
        return { bundlePath: bundle + path, baseUrl: root.getAttribute("data-base") };
      }),
    });
    var input = root.querySelector("input[type=text], input[type=search]");
    if (input) input.setAttribute("aria-label", "Search explainers, models, prices and tools");
    if (fallback) fallback.hidden = true;
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }
  script.onerror = function () {
    if (fallback) {
      var note = document.createElement("p");
      note.textContent = "The search index is missing here (the live preview does not build it). Everything on the site is listed below.";
      fallback.insertBefore(note, fallback.firstChild);
    }
  };
  document.head.appendChild(script);
})();
