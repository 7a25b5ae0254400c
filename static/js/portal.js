// Small behaviours of the portal's pages, declared with data attributes so the pages need no
// inline scripts or event handlers (the Content-Security-Policy forbids them):
//   <select data-autosubmit>                 submits its form when the choice changes;
//   <form data-confirm="Question?">          asks before submitting;
//   <button data-set-field="name" data-set-value="v">  sets the form's field before submitting;
//   <button data-menu-toggle aria-controls="id">  shows or hides the collapsed menu (phones);
//   <button data-copy="text">                copies the text to the clipboard and says so;
//   <table class="table">                    its cells get data-label from the header, so on a
//                                            phone each row reflows into labelled lines.
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
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-menu-toggle]");
    if (!toggle) { return; }
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) { return; }
    var open = menu.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) { return; }
    var text = button.getAttribute("data-copy");
    var done = button.getAttribute("data-copied") || "OK";
    var label = button.textContent;
    function said() {
      button.textContent = done;
      window.setTimeout(function () { button.textContent = label; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(said, function () { fallback(text); said(); });
    } else { fallback(text); said(); }
  });
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (ignored) { /* the text stays selectable */ }
    document.body.removeChild(area);
  }
  function labelTables() {
    var tables = document.querySelectorAll("table.table");
    for (var t = 0; t < tables.length; t++) {
      var table = tables[t];
      var head = table.tHead && table.tHead.rows[0];
      if (!head) { continue; }
      var labels = [];
      for (var h = 0; h < head.cells.length; h++) {
        var cell = head.cells[h];
        for (var span = 0; span < (cell.colSpan || 1); span++) { labels.push(cell.textContent.trim()); }
      }
      for (var b = 0; b < table.tBodies.length; b++) {
        var rows = table.tBodies[b].rows;
        for (var r = 0; r < rows.length; r++) {
          var column = 0;
          for (var c = 0; c < rows[r].cells.length; c++) {
            var td = rows[r].cells[c];
            if (!td.hasAttribute("data-label") && td.colSpan === 1) {
              td.setAttribute("data-label", labels[column] || "");
            }
            column += td.colSpan || 1;
          }
        }
      }
      table.classList.add("reflow");
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", labelTables);
  } else { labelTables(); }
})();
