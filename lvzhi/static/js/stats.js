/* Statistics charts (Chart.js, served from /static/vendor/chartjs/) and the progress of background exports.
 *
 * Charts: the page embeds its figures with json_script as #stats-data:
 *   {category: {labels, counts, filed}, kind: {labels, counts}, grade: {labels, counts},
 *    satisfaction: {labels, counts},
 *    channel: {labels, counts, series},                  citizens' messages by channel (series: dataset label)
 *    level: {labels, instructions, reports, series: [2]}} instructions on reports by level
 * Export progress is followed by jobs.js (loaded on every page).
 */
(function () {
  "use strict";

  var PALETTE = ["#1f5fa8", "#d9822b", "#2e8b57", "#b03a2e", "#7d5ba6", "#8c8c8c", "#c9a227", "#3a9bb5"];

  function colours(n) {
    var out = [];
    for (var i = 0; i < n; i += 1) { out.push(PALETTE[i % PALETTE.length]); }
    return out;
  }

  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || typeof window.Chart === "undefined") { return null; }
    config.options = Object.assign({responsive: true, maintainAspectRatio: false, animation: false}, config.options || {});
    return new window.Chart(canvas, config);
  }

  function percentTooltip(context) {
    var data = context.dataset.data;
    var total = data.reduce(function (a, b) { return a + b; }, 0);
    var value = context.parsed;
    var share = total ? (100 * value / total).toFixed(1) + "%" : "—";
    return context.label + "：" + value + "（" + share + "）";
  }

  function drawCharts() {
    var node = document.getElementById("stats-data");
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    chart("chart-category", {
      type: "bar",
      data: {labels: data.category.labels, datasets: [
        {label: "收到", data: data.category.counts, backgroundColor: PALETTE[0]},
        {label: "立案", data: data.category.filed, backgroundColor: PALETTE[1]}
      ]},
      options: {scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}
    });
    chart("chart-kind", {
      type: "doughnut",
      data: {labels: data.kind.labels, datasets: [{data: data.kind.counts, backgroundColor: colours(data.kind.counts.length)}]},
      options: {plugins: {tooltip: {callbacks: {label: percentTooltip}}}}
    });
    chart("chart-grade", {
      type: "pie",
      data: {labels: data.grade.labels, datasets: [{data: data.grade.counts, backgroundColor: colours(data.grade.counts.length)}]},
      options: {plugins: {tooltip: {callbacks: {label: percentTooltip}}}}
    });
    chart("chart-satisfaction", {
      type: "bar",
      data: {labels: data.satisfaction.labels, datasets: [
        {label: "件数", data: data.satisfaction.counts, backgroundColor: ["#2e8b57", "#c9a227", "#b03a2e"]}
      ]},
      options: {indexAxis: "y", plugins: {legend: {display: false}}, scales: {x: {beginAtZero: true, ticks: {precision: 0}}}}
    });
    if (data.channel) {
      chart("chart-channel", {
        type: "doughnut",
        data: {labels: data.channel.labels, datasets: [
          {label: data.channel.series, data: data.channel.counts, backgroundColor: colours(data.channel.counts.length)}
        ]},
        options: {plugins: {tooltip: {callbacks: {label: percentTooltip}}}}
      });
    }
    if (data.level) {
      chart("chart-level", {
        type: "bar",
        data: {labels: data.level.labels, datasets: [
          {label: data.level.series[0], data: data.level.instructions, backgroundColor: PALETTE[0]},
          {label: data.level.series[1], data: data.level.reports, backgroundColor: PALETTE[1]}
        ]},
        options: {scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}
      });
    }
  }

  function init() {
    drawCharts();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
