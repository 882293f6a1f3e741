// Review a draft plan beside its source: hovering or focusing an item highlights the line it came from.
(function () {
  function lineOf(el) { var row = el.closest("[data-line]"); return row ? row.getAttribute("data-line") : null; }
  function show(n, scroll) {
    document.querySelectorAll("#source li.active").forEach(function (li) { li.classList.remove("active"); });
    if (!n) return;
    var li = document.getElementById("L" + n);
    if (!li) return;
    li.classList.add("active");
    if (scroll) li.scrollIntoView({block: "center", behavior: "smooth"});
  }
  document.addEventListener("mouseover", function (e) { var n = lineOf(e.target); if (n) show(n, false); });
  document.addEventListener("click", function (e) {
    var a = e.target.closest("td.line a");
    if (a) { e.preventDefault(); show(lineOf(a), true); }
  });
  document.addEventListener("focusin", function (e) { var n = lineOf(e.target); if (n) show(n, true); });
})();
