/* The presiding officer's live turnout: polls the vote's turnout JSON every 3 seconds and updates the
 * figures ({voted, electorate, open, closed}); stops when the vote is closed. */
(function () {
  "use strict";
  var box = document.getElementById("turnout");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (t) {
        box.querySelector("[data-voted]").textContent = t.voted;
        box.querySelector("[data-electorate]").textContent = t.electorate;
        if (!t.closed) { window.setTimeout(poll, 3000); }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 3000);
})();
