// The compensation report page: poll the build's progress and reload when it is ready.
(function () {
  "use strict";
  var bar = document.querySelector("progress[data-report-progress]");
  if (!bar) { return; }
  var url = bar.getAttribute("data-report-progress");
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.progress;
        if (data.status === "ready" || data.status === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      });
  }
  var status = bar.getAttribute("data-report-status");
  if (status === "queued" || status === "running") { window.setTimeout(poll, 1500); }
})();
