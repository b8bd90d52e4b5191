/* Smart pages: the hot-topics trend chart (Chart.js from /static/vendor/chartjs/), the progress of a training
 * job, and the live "possible duplicates" list while a proposal is being written.
 *
 * Topics: #topics-data (json_script) = {periods: ["YYYY-MM", ...], topics: [{label, series: {period: n}}]}.
 * Job: #smart-job[data-status-url] is refreshed every second until finished.
 * Live duplicates: #smart-live[data-similar-url] is filled from GET ?title=&text= when the title or the
 * text fields of the surrounding page change (debounced).
 */
(function () {
  "use strict";

  var PALETTE = ["#1f5fa8", "#d9822b", "#2e8b57", "#b03a2e", "#7d5ba6", "#8c8c8c"];

  function drawTopics() {
    var node = document.getElementById("topics-data");
    var canvas = document.getElementById("chart-topics");
    if (!node || !canvas || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var datasets = data.topics.map(function (t, i) {
      return {label: t.label, data: data.periods.map(function (p) { return t.series[p] || 0; }),
              borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], tension: 0.2};
    });
    new window.Chart(canvas, {type: "line", data: {labels: data.periods, datasets: datasets},
      options: {responsive: true, maintainAspectRatio: false, animation: false,
                scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}});
  }

  function liveSimilar() {
    var box = document.getElementById("smart-live");
    if (!box) { return; }
    var form = box.closest("main") || document;
    var title = form.querySelector("[name$='title']");
    var texts = Array.prototype.slice.call(form.querySelectorAll("textarea[name$='situation'], textarea[name$='suggestions']"));
    if (!title) { return; }
    var timer = null;
    function run() {
      var text = texts.map(function (t) { return t.value; }).join("\n");
      var url = box.dataset.similarUrl + "?title=" + encodeURIComponent(title.value) + "&text=" + encodeURIComponent(text.slice(0, 3000));
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var list = document.getElementById("smart-live-list");
          list.textContent = "";
          data.results.forEach(function (hit) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = hit.url; a.textContent = hit.title;
            var small = document.createElement("small");
            small.className = "muted";
            small.textContent = " " + hit.kind_label + " · 相似度 " + hit.score.toFixed(2) + " · " + hit.state +
              (hit.duplicate_label ? " · " + hit.duplicate_label : "");
            li.appendChild(a); li.appendChild(small); list.appendChild(li);
          });
          box.hidden = data.results.length === 0;
        })
        .catch(function () { box.hidden = true; });
    }
    function later() { clearTimeout(timer); timer = setTimeout(run, 600); }
    [title].concat(texts).forEach(function (el) { el.addEventListener("input", later); });
    if (title.value) { run(); }
  }

  function start() { drawTopics(); liveSimilar(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
