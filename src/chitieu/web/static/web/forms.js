/* Long form submissions (a province's report): disable the button and say what is happening. */
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.dataset || !form.dataset.busy) return;
    var btn = form.querySelector("button[type=submit]");
    var note = form.querySelector(".busy");
    if (btn) btn.disabled = true;
    if (note) { note.hidden = false; note.textContent = form.dataset.busy; }
  });
})();

/* Filters that apply as soon as they change (no inline handlers: the CSP forbids them). */
(function () {
  "use strict";
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });
})();
