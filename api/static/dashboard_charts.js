// The round page's charts, drawn by Chart.js from the JSON block the page carries (no inline
// script: the content policy forbids it). Every chart's numbers are also on the page as text.
(function () {
  "use strict";
  var block = document.getElementById("dashboard-charts");
  if (!block || typeof window.Chart === "undefined") return;
  var data = JSON.parse(block.textContent);
  var colours = ["#0b5394", "#b3541e", "#38761d", "#741b47", "#7f6000"];
  var common = { responsive: true, maintainAspectRatio: false, animation: false };

  function bars(name, horizontal, max) {
    var d = data[name];
    var canvas = document.querySelector('canvas[data-chart="' + name + '"]');
    if (!canvas || !d || !d.labels.length) return;
    var scale = { beginAtZero: true };
    if (max) scale.max = max;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: d.labels,
        datasets: [{ label: d.label, data: d.values, backgroundColor: colours[0] }]
      },
      options: Object.assign({}, common, {
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: horizontal ? { x: scale } : { y: scale }
      })
    });
  }

  bars("share", true, 100);
  bars("reasons", false);
  bars("load", true);

  var months = data.months;
  var monthCanvas = document.querySelector('canvas[data-chart="months"]');
  if (monthCanvas && months.labels.length) {
    new window.Chart(monthCanvas, {
      type: "bar",
      data: {
        labels: months.labels,
        datasets: months.series.map(function (s, i) {
          return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] };
        })
      },
      options: Object.assign({}, common, {
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }
      })
    });
  }

  var cof = data.cofinancing;
  var cofCanvas = document.querySelector('canvas[data-chart="cofinancing"]');
  if (cofCanvas) {
    new window.Chart(cofCanvas, {
      type: "bar",
      data: {
        labels: cof.labels,
        datasets: [{ label: cof.label, data: cof.values, backgroundColor: [colours[2], "#999999"] }]
      },
      options: Object.assign({}, common, {
        indexAxis: "y",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true } }
      })
    });
  }
})();
