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
