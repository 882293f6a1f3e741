// Report form, for people who type a lot: Enter moves to the next field, Ctrl+S saves the draft.
(function () {
  var form = document.getElementById("entry-form");
  if (!form) return;
  var fields = function () { return Array.prototype.slice.call(form.querySelectorAll("input:not([type=hidden]):not([disabled]), textarea:not([disabled])")); };
  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.tagName === "INPUT") {
      e.preventDefault();
      var list = fields(), i = list.indexOf(e.target);
      if (i >= 0 && i + 1 < list.length) list[i + 1].focus();
    }
  });
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
      e.preventDefault();
      var save = document.getElementById("save");
      if (save) save.click();
    }
  });
  var firstInvalid = form.querySelector("input.invalid");
  (firstInvalid || fields()[0] || {focus: function () {}}).focus();
})();
