// Shows only the fields the chosen legal form needs (2.2); the server validates the same rule.
(function () {
  var form = document.getElementById("subscriber-form");
  if (!form) return;
  var needs = {
    individual: ["iin"],
    entrepreneur: ["name", "iin"],
    legal_entity: ["name", "bin"]
  };
  function update() {
    var checked = form.querySelector("input[name=legal_form]:checked");
    var chosen = checked ? checked.value : (form.querySelector("[name=legal_form]") || {}).value;
    ["name", "iin", "bin"].forEach(function (name) {
      var row = form.querySelector('[data-field="' + name + '"]');
      if (row) row.hidden = !!chosen && needs[chosen] && needs[chosen].indexOf(name) === -1;
    });
  }
  form.addEventListener("change", update);
  update();
})();
