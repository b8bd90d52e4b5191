/* Progress of background jobs (imports, exports, model training), on every page that has one.
 *
 * Markup: an element with data-job-status-url="<status JSON URL>" holding any of
 *   <progress>, [data-job-state] (status label), [data-job-count] (done/total), [data-job-text] (message),
 *   [data-job-link] (shown with the job's download_url when it has one).
 * The status JSON is {status, status_label, done, total, percent, message, download_url?}; polling stops when
 * status is "done" or "failed" (every 1 s, backing off to 5 s after a network error).
 */
(function () {
  "use strict";

  function follow(box) {
    var url = box.getAttribute("data-job-status-url");
    function set(selector, text) {
      var el = box.querySelector(selector);
      if (el) { el.textContent = text; }
    }
    function update(job) {
      var bar = box.querySelector("progress");
      if (bar) { bar.value = job.percent; bar.textContent = job.percent + "%"; }
      set("[data-job-state]", job.status_label);
      set("[data-job-count]", job.done + "/" + job.total);
      set("[data-job-text]", job.message || "");
      var link = box.querySelector("[data-job-link]");
      if (link && job.download_url) { link.href = job.download_url; link.hidden = false; }
      return job.status === "done" || job.status === "failed";
    }
    function poll() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (job) { if (!update(job)) { window.setTimeout(poll, 1000); } })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    if (box.getAttribute("data-job-finished") !== "1") { window.setTimeout(poll, 500); }
  }

  function init() {
    var boxes = document.querySelectorAll("[data-job-status-url]");
    for (var i = 0; i < boxes.length; i += 1) { follow(boxes[i]); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
