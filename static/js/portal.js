// Small behaviours of the portal's pages, declared with data attributes so the pages need no
// inline scripts or event handlers (the Content-Security-Policy forbids them):
//   <select data-autosubmit>                 submits its form when the choice changes;
//   <form data-confirm="Question?">          asks before submitting;
//   <button data-set-field="name" data-set-value="v">  sets the form's field before submitting.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target.closest && event.target.closest("select[data-autosubmit]");
    if (select && select.form) { select.form.submit(); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-set-field]");
    if (!button || !button.form) { return; }
    var field = button.form.elements[button.getAttribute("data-set-field")];
    if (field) { field.value = button.getAttribute("data-set-value"); }
  });
})();
