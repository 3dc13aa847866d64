// Dev server only: shows the current build's errors over the page, as a list of file:line,
// message and hint. The server reloads the page after every rebuild, so the overlay appears
// when a save breaks the build and disappears on the save that fixes it.
(function () {
  "use strict";
  fetch("/_spanvero/status.json", { cache: "no-store" })
    .then(function (response) { return response.json(); })
    .then(function (status) {
      if (!status.errors.length) return;
      var overlay = document.createElement("div");
      overlay.id = "spanvero-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:99999;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,24,.96);color:#f5f5f5;font:15px/1.5 ui-monospace,monospace";
      var title = document.createElement("h2");
      title.textContent = "The build failed: " + status.errors.length + " error" +
        (status.errors.length === 1 ? "" : "s") + (status.served
          ? ". Showing the last good build underneath."
          : ". Nothing is built yet: the site shows once they are fixed.");
      title.style.cssText = "color:#ff8a80;font-size:1.2rem;margin:0 0 1rem";
      overlay.appendChild(title);
      var list = document.createElement("ul");
      list.style.cssText = "list-style:none;padding:0;margin:0";
      status.errors.forEach(function (d) {
        var item = document.createElement("li");
        item.style.cssText = "margin:0 0 1rem";
        var where = document.createElement("strong");
        where.textContent = d.path + ":" + d.line + ":" + d.col + " " + d.code;
        item.appendChild(where);
        item.appendChild(document.createTextNode(" " + d.message));
        if (d.hint) {
          var hint = document.createElement("div");
          hint.textContent = "hint: " + d.hint;
          hint.style.color = "#b0bec5";
          item.appendChild(hint);
        }
        list.appendChild(item);
      });
      overlay.appendChild(list);
      document.body.appendChild(overlay);
    })
    .catch(function () { /* the server is restarting; the next reload will tell */ });
})();
