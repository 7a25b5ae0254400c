// 4.3: the ticket form suggests knowledge-base articles while the subject is typed.
(function () {
  "use strict";
  var subject = document.querySelector("[data-suggest=articles]");
  var box = document.getElementById("article-suggestions");
  if (!subject || !box) { return; }
  var url = box.getAttribute("data-url"), list = box.querySelector("ul"), timer = null;
  subject.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = subject.value.trim();
      if (q.length < 3) { box.hidden = true; return; }
      fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          list.textContent = "";
          data.articles.forEach(function (a) {
            var li = document.createElement("li"), link = document.createElement("a");
            link.href = a.url; link.target = "_blank"; link.textContent = a.title;
            li.appendChild(link); list.appendChild(li);
          });
          box.hidden = data.articles.length === 0;
        });
    }, 300);
  });
})();
