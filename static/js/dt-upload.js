/* The resumable .dt upload (templates/infobases/upload.html, infobases/views/uploads.py).
 *
 * The file goes in parts: for each part the page asks the portal where to PUT it (a presigned
 * S3 URL on object storage, the portal's own part endpoint on the file system) and sends it
 * there. SHA-256 is computed as the parts go (js-sha256, static/vendor). Which parts are stored
 * is asked of the server, so after a dropped connection or a reload the same file continues:
 * stored parts are only re-read for the checksum, never sent again. A part that fails is
 * retried a few times; then the page says how to continue.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-dt-upload]");
  if (!form) {
    return;
  }
  var fileInput = form.querySelector("input[type=file]");
  var bar = form.querySelector(".upload-progress");
  var status = form.querySelector(".upload-status");
  var button = form.querySelector("button[type=submit]");
  var csrf = form.dataset.csrf;
  var RETRIES = 3;

  function say(text, isError) {
    status.textContent = text;
    status.className = "upload-status" + (isError ? " message error" : "");
  }

  function storageKey(file) {
    return "onebuh-dt-upload:" + [file.name, file.size, file.lastModified].join(":");
  }

  function sameOrigin(url) {
    return new URL(url, window.location.href).origin === window.location.origin;
  }

  function wait(ms) {
    return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
  }

  function failure(message, fatal) {
    var error = new Error(message);
    error.fatal = fatal;
    return error;
  }

  async function call(url, method, data) {
    var response = await fetch(url, {
      method: method,
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      body: data ? new URLSearchParams(data) : undefined,
      credentials: "same-origin",
    });
    var json = await response.json().catch(function () { return {}; });
    if (!response.ok) {
      throw failure(json.error || response.statusText, response.status < 500);
    }
    return json;
  }

  async function sendPart(session, number, blob) {
    for (var attempt = 0; ; attempt++) {
      try {
        var target = await call(session.part_url.replace(/\/0\/$/, "/" + number + "/"), "POST");
        var local = sameOrigin(target.url);
        var response = await fetch(target.url, {
          method: "PUT",
          body: blob,
          headers: local ? { "X-CSRFToken": csrf } : {},
          credentials: local ? "same-origin" : "omit",
        });
        if (response.ok) {
          return;
        }
        var json = local ? await response.json().catch(function () { return {}; }) : {};
        throw failure(json.error || response.statusText, local && response.status < 500);
      } catch (error) {
        if (error.fatal || attempt >= RETRIES) {
          throw error;
        }
        say(form.dataset.textRetry);
        await wait(1000 * (attempt + 1));
      }
    }
  }

  async function openSession(file) {
    var saved = window.localStorage.getItem(storageKey(file));
    if (saved) {
      var known = await call(saved, "GET").catch(function () { return null; });
      if (known && known.status === "uploading") {
        say(form.dataset.textResumed);
        return known;
      }
    }
    var data = new FormData(form);
    data.delete("file");
    data.set("filename", file.name);
    data.set("size", String(file.size));
    var session = await call(form.dataset.startUrl, "POST", data);
    window.localStorage.setItem(storageKey(file), session.status_url);
    return session;
  }

  async function upload(file) {
    var session = await openSession(file);
    var stored = {};
    session.parts.forEach(function (part) { stored[part.number] = part.size; });
    var hash = sha256.create();
    var partBytes = session.part_bytes;
    var count = Math.ceil(file.size / partBytes);
    var done = 0;
    bar.hidden = false;
    for (var number = 1; number <= count; number++) {
      var blob = file.slice((number - 1) * partBytes, Math.min(number * partBytes, file.size));
      hash.update(await blob.arrayBuffer());
      if (stored[number] !== blob.size) {
        if (!status.classList.contains("error")) {
          say(form.dataset.textHashing);
        }
        await sendPart(session, number, blob);
      }
      done += blob.size;
      bar.value = Math.floor((done * 100) / file.size);
    }
    say(form.dataset.textVerifying);
    var result = await call(session.complete_url, "POST", { sha256: hash.hex() });
    while (result.status === "verifying") {
      await wait(1500);
      result = await call(result.status_url, "GET");
    }
    window.localStorage.removeItem(storageKey(file));
    if (result.status === "done") {
      say(form.dataset.textDone);
      form.dataset.state = "done";
    } else {
      say(result.message, true);
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = fileInput.files[0];
    if (!file) {
      say(form.dataset.textNofile, true);
      return;
    }
    button.disabled = true;
    form.dataset.state = "uploading";
    upload(file)
      .catch(function (error) {
        form.dataset.state = "stopped";
        say(error.fatal ? error.message : form.dataset.textStopped, true);
      })
      .finally(function () { button.disabled = false; });
  });
})();
