// aftale serve: the little the pages do with scripts on (they read the same without).
// "/" focuses the search box; a click on a column heading of a .sortable table sorts it.
"use strict";
document.addEventListener("keydown", function (e) {
  var q = document.getElementById("q");
  if (e.key === "/" && q && document.activeElement !== q && !/INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName)) {
    e.preventDefault();
    q.focus();
  }
});
function cellValue(row, i) {
  var cell = row.children[i];
  if (!cell) return "";
  var n = cell.getAttribute("data-hours");
  if (n !== null) return n === "" ? Infinity : parseFloat(n);
  var t = cell.textContent.trim();
  var f = parseFloat(t.replace(",", "."));
  return (/^-?[\d.,]+/.test(t) && !isNaN(f)) ? f : t.toLowerCase();
}
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, i) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var asc = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = cellValue(a, i), y = cellValue(b, i);
        var c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "da");
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
