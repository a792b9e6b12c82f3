extension DashboardScript {
    /// `Logbook.lineChart`: overlaid curves, each a faint raw line, a min–max band and a smoothed line.
    static let lineChart = #"""
/** Copies series into a drawable form: points as numbers, sorted by x. */
function normalizeSeries(series) {
  return (series || []).map((one) => ({
    id: String(one.id),
    name: one.name === undefined || one.name === null ? String(one.id) : String(one.name),
    points: normalizePoints(one.points),
  }));
}

function normalizePoints(points) {
  return (points || [])
    .map((p) => ({ x: Number(p.x), mean: Number(p.mean), min: Number(p.min ?? p.mean), max: Number(p.max ?? p.mean) }))
    .filter((p) => Number.isFinite(p.x))
    .sort((a, b) => a.x - b.x);
}

/** Logbook.lineChart(container, {series: [{id, name, points: [{x, mean, min, max}]}], xLabel, yLabel, logY,
 *  smoothing, width, height}) draws one <g class="series" data-id> per series holding
 *    path.band      the min–max envelope of each bucket (noise stays visible after downsampling),
 *    path.raw       the mean, faint,
 *    path.smoothed  Logbook.smooth(mean, smoothing) (TensorBoard's debiased EMA; smoothing 0 draws the raw curve),
 *  an x axis fitted to the data, a y axis fitted to the data (nice ticks; log10 ticks when logY), a legend and a
 *  tooltip with every series' value at the x nearest the pointer.
 *  Returns {setOptions({logY, smoothing, xLabel, yLabel}), setSeries(series), appendPoints(id, points), hoverAt(x),
 *  redraw()}. appendPoints redraws once, at the next animation frame, however many calls came before it. */
function lineChart(container, options = {}) {
  const state = {
    series: normalizeSeries(options.series),
    xLabel: options.xLabel ?? 'step',
    yLabel: options.yLabel ?? '',
    logY: Boolean(options.logY),
    smoothing: options.smoothing ?? 0.6,
    width: options.width ?? 720,
    height: options.height ?? 320,
  };
  let view = null;
  let redrawPending = false;

  function render() {
    redrawPending = false;
    const frame = makeFrame(container, 'line-chart', state.width, state.height,
      { left: 64, right: 16, top: 12, bottom: 48 });
    const { svg, plot } = frame;
    const allX = state.series.flatMap((one) => one.points.map((p) => p.x));
    const allY = state.series.flatMap((one) => one.points.flatMap((p) => [p.mean, p.min, p.max]));
    const x = makeScale('linear', allX, [plot.left, plot.right], 6);
    const y = makeScale(state.logY ? 'log' : 'linear', allY, [plot.bottom, plot.top], 5);
    drawAxis(svg, x, 'x', plot, state.xLabel);
    drawAxis(svg, y, 'y', plot, state.yLabel);
    const legend = htmlElement('div', { class: 'legend' }, frame.root);
    state.series.forEach((one, index) => {
      const color = seriesColor(index);
      one.color = color;
      one.smoothed = smooth(one.points.map((p) => p.mean), state.smoothing);
      const group = svgElement('g', { class: 'series', 'data-id': one.id }, svg);
      const upper = one.points.map((p) => [x(p.x), y(p.max)]);
      const lower = one.points.map((p) => [x(p.x), y(p.min)]).reverse();
      const band = pathData(upper.concat(lower));
      svgElement('path', { class: 'band', d: band ? `${band}Z` : '', fill: color }, group);
      svgElement('path', { class: 'raw', d: pathData(one.points.map((p) => [x(p.x), y(p.mean)])), stroke: color },
        group);
      svgElement('path', {
        class: 'smoothed', d: pathData(one.points.map((p, i) => [x(p.x), y(one.smoothed[i])])), stroke: color,
      }, group);
      const item = htmlElement('span', { class: 'legend-item', 'data-id': one.id }, legend);
      htmlElement('span', { class: 'swatch' }, item).style.background = color;  // CSSOM: allowed by style-src 'self'
      htmlElement('span', { class: 'legend-name' }, item, one.name);
    });
    view = { frame, x, y, hover: installLineHover(frame, x, state) };
  }

  function scheduleRedraw() {
    if (redrawPending) return;
    redrawPending = true;
    const run = () => { if (redrawPending) render(); };
    requestAnimationFrame(run);
    setTimeout(run, 100); // hidden tabs get no animation frames; the data still has to show when they return
  }

  render();
  return {
    setOptions(changes = {}) {
      for (const key of ['logY', 'smoothing', 'xLabel', 'yLabel']) {
        if (changes[key] !== undefined) state[key] = key === 'logY' ? Boolean(changes[key]) : changes[key];
      }
      render();
    },
    setSeries(series) {
      state.series = normalizeSeries(series);
      render();
    },
    appendPoints(id, points) {
      let one = state.series.find((candidate) => candidate.id === String(id));
      if (!one) {
        one = { id: String(id), name: String(id), points: [] };
        state.series.push(one);
      }
      one.points = one.points.concat(normalizePoints(points)).sort((a, b) => a.x - b.x);
      scheduleRedraw();
    },
    /** Shows the tooltip for the data x nearest `xValue`; returns its lines of text. */
    hoverAt(xValue) { return view.hover.showAt(view.x(xValue)); },
    redraw: render,
    get series() { return state.series; },
    get options() { return { logY: state.logY, smoothing: state.smoothing }; },
  };
}
Logbook.lineChart = lineChart;
"""#
}
