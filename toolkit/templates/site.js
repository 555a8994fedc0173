// Material's search dialog has no accessible name (axe-core: aria-dialog-name): give it the
// label of the search field it holds, in the site's language.
document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
  var field = dialog.querySelector(".md-search__input");
  if (field && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", field.getAttribute("aria-label"));
  }
});

// On a phone (site.css), a table too wide for the page becomes one card per row, each cell
// labelled with its column's header as visible text (read aloud too, where a screen reader
// drops the semantics of a restyled table): no sideways scrolling, no column one word wide.
(function () {
  var labelledTables = Array.prototype.filter.call(document.querySelectorAll(".md-typeset table"), function (table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, column) {
        if (headers[column]) cell.setAttribute("data-label", headers[column]);
      });
    });
    return headers.length > 0;
  });

  function stackWideTables() {
    labelledTables.forEach(function (table) { table.removeAttribute("data-stacked"); });
    labelledTables.filter(function (table) { return Math.max(table.offsetWidth, table.scrollWidth) > table.closest(".md-typeset").clientWidth; })
      .forEach(function (table) { table.setAttribute("data-stacked", ""); });
  }

  var stackPending = 0;
  function stackSoon() {
    cancelAnimationFrame(stackPending);
    stackPending = requestAnimationFrame(stackWideTables);
  }
  stackWideTables();
  window.addEventListener("load", stackWideTables);
  window.addEventListener("resize", stackSoon);
  document.addEventListener("toggle", stackSoon, true); // a table in a closed <details> has no width until opened
})();
