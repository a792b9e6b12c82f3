extension DashboardScript {
    /// The sweep pages' starters in `Logbook.pages` (after `pages`, which declares the object and runs them).
    static let sweepPages = #"""
/** The sweep page: draws the three views from `/api/sweeps/ID/parallel` (the `parallelCoordinates` options
 *  object): the parallel coordinates (brushing selects runs to compare), one scatter per numeric hyperparameter,
 *  and the batch size × learning rate heatmap of mean metric. {sweepID} */
pages.sweep = function (page) {
  fetch("/api/sweeps/" + encodeURIComponent(page.sweepID) + "/parallel").then(function (r) { return r.json(); }).then(function (data) {
    const plot = Logbook.parallelCoordinates(document.getElementById("parallel"), data);
    const link = document.getElementById("compare-selected"), count = document.getElementById("selected-count");
    plot.onFilter(function (ids) {
      count.textContent = ids.length + " runs selected;";
      link.href = "/compare?runs=" + ids.slice(0, 20).join(",");
    });
    const scatters = document.getElementById("scatters");
    data.axes.forEach(function (axis, index) {
      if (axis.kind === "categorical") return;
      const box = document.createElement("div"); box.className = "chart scatter"; scatters.appendChild(box);
      Logbook.scatter(box, {xName: axis.name, yName: data.metricName, logX: axis.kind === "log",
        points: data.rows.filter(function (row) { return row.metric !== null && row.values[index] !== null; })
          .map(function (row) { return {x: row.values[index], y: row.metric, id: row.id}; })});
    });
    const names = data.axes.map(function (axis) { return axis.name; });
    const b = names.indexOf("batch_size"), l = names.indexOf("learning_rate");
    if (b < 0 || l < 0) { document.getElementById("heatmap").textContent = "batch_size and learning_rate were not both swept."; return; }
    // A parameter the spec draws per trial (random, TPE) is binned, as the report bins it: a row per trial shows nothing.
    const rows = data.rows.filter(function (row) { return row.metric !== null && row.values[b] !== null && row.values[l] !== null; });
    const xs = Logbook.valueGroups(rows.map(function (row) { return row.values[b]; }), {drawn: !!data.axes[b].distribution});
    const ys = Logbook.valueGroups(rows.map(function (row) { return row.values[l]; }), {drawn: !!data.axes[l].distribution});
    const sums = {};
    rows.forEach(function (row, i) {
      const x = xs.labels[i], y = ys.labels[i], key = x + "|" + y;
      sums[key] = sums[key] || {x: x, y: y, total: 0, n: 0}; sums[key].total += row.metric; sums[key].n += 1;
    });
    Logbook.heatmap(document.getElementById("heatmap"), {xName: "batch_size", yName: "learning_rate",
      xValues: xs.order, yValues: ys.order, cells: Object.keys(sums).map(function (k) {
        return {x: sums[k].x, y: sums[k].y, value: sums[k].total / sums[k].n}; })});
  });
};

/** The sweeps page: polls `/api/sweeps` every 2 s and rewrites the live cells with `textContent` (no HTML is built
 *  from the data). {} */
pages.sweeps = function () {
  function refresh() {
    fetch("/api/sweeps").then(function (r) { return r.json(); }).then(function (sweeps) {
      sweeps.forEach(function (sweep) {
        const row = document.querySelector("tr[data-sweep='" + Number(sweep.id) + "']");
        if (!row) return;
        const finished = sweep.finished, bar = row.querySelector("progress");
        bar.value = finished; row.querySelector(".finished").textContent = finished;
        row.querySelector(".counts").textContent = Object.keys(sweep.counts)
          .map(function (k) { return k + " " + sweep.counts[k]; }).join(", ");
        if (sweep.best) row.querySelector(".best").textContent = sweep.best.value + " (run " + sweep.best.run + ")"
          + (sweep.best.metric !== row.dataset.metric ? " by " + sweep.best.metric + " (no validation rows)" : "");
      });
    }).catch(function () {});
  }
  setInterval(refresh, 2000);
};
"""#
}
