/*
 * Home dashboard charts (templates/home.html). The numbers come from the
 * <script type="application/json" id="dashboard-data"> block (json_script: data, never executed,
 * so the strict CSP holds). Every bar is a link: clicking it opens the filtered list behind it,
 * the same URL as the number printed beside the chart.
 */
(function () {
  "use strict";

  var COLORS = {
    blue: "#1a56db",
    green: "#198754",
    grey: "#ced4da",
    amber: "#e0a800",
    teal: "#0f8b8d",
  };

  function readData() {
    var el = document.getElementById("dashboard-data");
    if (!el) return null;
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  function go(url) {
    if (url) window.location.assign(url);
  }

  /** Options shared by every chart: bars are clickable, the pointer says so. */
  function baseOptions(urlFor, extra) {
    var options = {
      responsive: true,
      maintainAspectRatio: true,
      animation: false,
      plugins: { legend: { display: false } },
      onClick: function (event, elements) {
        if (!elements.length) return;
        go(urlFor(elements[0].datasetIndex, elements[0].index));
      },
      onHover: function (event, elements) {
        var target = event.native && event.native.target;
        if (target) target.style.cursor = elements.length ? "pointer" : "default";
      },
    };
    Object.keys(extra || {}).forEach(function (key) { options[key] = extra[key]; });
    return options;
  }

  function make(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return null;
    return new window.Chart(canvas, config);
  }

  function draw(data) {
    if (!window.Chart) return;
    window.Chart.defaults.font.size = 12;

    make("chart-funnel", {
      type: "bar",
      data: {
        labels: data.funnel.labels,
        datasets: [{ label: "Count", data: data.funnel.values, backgroundColor: COLORS.blue }],
      },
      options: baseOptions(function (d, i) { return data.funnel.urls[i]; }, {
        indexAxis: "y",
        aspectRatio: 1.5,
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      }),
    });

    make("chart-coverage", {
      type: "bar",
      data: {
        labels: data.coverage.labels,
        datasets: [
          { label: "Filled", data: data.coverage.filled, backgroundColor: COLORS.green },
          { label: "Open", data: data.coverage.open, backgroundColor: COLORS.grey },
        ],
      },
      options: baseOptions(function (d, i) { return data.coverage.urls[i]; }, {
        indexAxis: "y",
        aspectRatio: 1.6,
        plugins: { legend: { display: true, position: "bottom" } },
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          y: { stacked: true },
        },
      }),
    });

    make("chart-renewals", {
      type: "bar",
      data: {
        labels: data.renewals.labels,
        datasets: [
          { label: "Renewals", data: data.renewals.renewals, backgroundColor: COLORS.teal },
          { label: "Ready to launch", data: data.renewals.ready, backgroundColor: COLORS.green },
        ],
      },
      options: baseOptions(
        function (d, i) { return d === 1 ? data.renewals.ready_urls[i] : data.renewals.urls[i]; },
        {
          // A 5:1 strip is 60 px high on a phone: taller there.
          aspectRatio: window.matchMedia("(max-width: 575.98px)").matches ? 1.6 : 5,
          plugins: { legend: { display: true, position: "bottom" } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        }
      ),
    });

    make("chart-queues", {
      type: "bar",
      data: {
        labels: data.queues.labels,
        datasets: [{ label: "Due", data: data.queues.values, backgroundColor: COLORS.amber }],
      },
      options: baseOptions(function (d, i) { return data.queues.urls[i]; }, {
        indexAxis: "y",
        aspectRatio: 1.6,
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      }),
    });
  }

  function start() {
    var data = readData();
    if (data) draw(data);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
