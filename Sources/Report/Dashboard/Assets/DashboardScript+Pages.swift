extension DashboardScript {
    /// `Logbook.pages`: what each page does once loaded. A page names its starter and that starter's parameters in
    /// a JSON data block, `<script type="application/json" id="logbook-page">{"name": "run", "runID": 17}</script>`
    /// (`DashboardPage.document`), which the browser never executes; every script it runs comes from
    /// `/assets/dashboard.js`, so the pages' Content-Security-Policy allows no inline script.
    static let pages = #"""
const pages = {};

/** The run page: draws the downsampled loss curve, then appends the points the event stream pushes after its last
 *  step; once the chart would hold more than 2,000 points it asks the server for the downsampled curve again
 *  instead (a fast run pushes thousands of points a second), and once more when the run ends. {runID} */
pages.run = function (page) {
  const runID = String(page.runID);
  const container = document.getElementById("loss-chart");
  const seriesURL = "/api/runs/" + runID + "/series?metric=loss&x=step&points=1000";
  fetch(seriesURL).then(function (r) { return r.json(); }).then(function (series) {
    const chart = Logbook.lineChart(container, {series: [{id: runID, name: "loss", points: series.points}],
      xLabel: "step", yLabel: "loss", logY: false, smoothing: 0.6});
    let received = 0, shown = series.points.length, refetching = false;
    function refetch() {
      refetching = true;
      fetch(seriesURL).then(function (r) { return r.json(); }).then(function (again) {
        chart.setSeries([{id: runID, name: "loss", points: again.points}]);
        shown = again.points.length; refetching = false;
      });
    }
    const last = series.points.length ? series.points[series.points.length - 1].x : 0;
    Logbook.eventStream("/api/runs/" + runID + "/events?from=" + (last + 1), function (points, status) {
      received += points.length;
      document.querySelector(".live-count").textContent = received;
      if (status) document.querySelector(".status").textContent = status;
      if (status && status !== "running" && status !== "pending") { refetch(); return; }
      if (!points.length) return;
      if (shown + points.length > 2000) { if (!refetching) refetch(); return; }
      chart.appendPoints(runID, points);
      shown += points.length;
    });
  });
};

/** The compare page: fetches every run's series for the chosen metric and x axis; log y and smoothing only restyle
 *  the chart. {runs: [{id, name}]} */
pages.compare = function (page) {
  const runs = page.runs;
  const form = document.querySelector("form.compare-controls");
  const container = document.getElementById("compare-chart");
  let chart = null;
  function load() {
    const metric = form.metric.value, x = form.x.value;
    const width = Math.max(200, Math.min(2000, Math.round(container.clientWidth || 1000)));
    Promise.all(runs.map(function (run) {
      return fetch("/api/runs/" + encodeURIComponent(run.id) + "/series?metric=" + encodeURIComponent(metric)
        + "&x=" + encodeURIComponent(x) + "&points=" + width)
        .then(function (r) { return r.ok ? r.json() : {points: []}; })
        .then(function (s) { return {id: run.id, name: run.name, points: s.points}; });
    })).then(function (series) {
      const options = {series: series, xLabel: x, yLabel: metric, logY: form.logY.checked,
        smoothing: parseFloat(form.smoothing.value)};
      if (chart) chart.setSeries(series); else chart = Logbook.lineChart(container, options);
    });
  }
  form.metric.addEventListener("change", load);
  form.x.addEventListener("change", load);
  form.logY.addEventListener("change", function () { if (chart) chart.setOptions({logY: form.logY.checked}); });
  form.smoothing.addEventListener("input", function () {
    if (chart) chart.setOptions({smoothing: parseFloat(form.smoothing.value)});
  });
  load();
};

/** The runs page: the table's column picker, selection and sorting (`Logbook.runsTable`). {} */
pages.runs = function () {
  runsTable(document.querySelector("form.runs"));
};

/** Runs the starter the page names, once the page has loaded. */
document.addEventListener("DOMContentLoaded", function () {
  const element = document.getElementById("logbook-page");
  if (!element) return;
  const page = JSON.parse(element.textContent);
  if (Object.prototype.hasOwnProperty.call(pages, page.name)) pages[page.name](page);
});
Logbook.pages = pages;
"""#
}
