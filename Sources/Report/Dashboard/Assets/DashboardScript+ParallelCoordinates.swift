extension DashboardScript {
    /// `Logbook.parallelCoordinates`: one vertical axis per swept hyperparameter plus the metric, one line per trial,
    /// brushing on the axes.
    static let parallelCoordinates = #"""
/** A colour between blue (t = 0) and red (t = 1), by linear interpolation of RGB. */
function rampColor(t) {
  const from = [44, 123, 182];
  const to = [215, 25, 28];
  const u = Number.isFinite(t) ? Math.min(Math.max(t, 0), 1) : 0.5;
  const channel = (i) => Math.round(from[i] + (to[i] - from[i]) * u);
  return `rgb(${channel(0)},${channel(1)},${channel(2)})`;
}

/** Logbook.parallelCoordinates(container, {axes: [{name, kind: "linear"|"log"|"categorical", categories?}],
 *  rows: [{id, values, metric}], metricName}): one axis per entry of `axes` (values[i] on axis i) and a last axis for
 *  the metric; one <path class="row" data-id> per row, coloured by its metric. Dragging along an axis draws a brush
 *  (a range of that axis); a row is kept when, on every axis with a brush, its value lies inside the brush — the
 *  others get class "dimmed". A click without a drag clears that axis' brush.
 *  Returns {onFilter(callback(ids)), brush(axisName, from, to), clearBrushes(), activeIds()}: `brush` takes data
 *  values (categories on a categorical axis) and acts as a drag from `from` to `to` would. */
function parallelCoordinates(container, options = {}) {
  const rows = (options.rows || []).map((row) => ({ id: String(row.id), values: row.values || [], metric: row.metric }));
  const axes = (options.axes || []).map((axis, index) => ({
    name: String(axis.name), kind: axis.kind || 'linear', categories: axis.categories, value: (row) => row.values[index],
  }));
  const metricName = options.metricName ?? 'metric';
  if (rows.some((row) => Number.isFinite(Number(row.metric)))) {
    axes.push({ name: String(metricName), kind: 'linear', value: (row) => row.metric, isMetric: true });
  }
  const width = options.width ?? Math.max(640, 130 * axes.length);
  const height = options.height ?? 360;
  const frame = makeFrame(container, 'parallel-coordinates', width, height, { left: 48, right: 48, top: 32, bottom: 24 });
  const { svg, plot } = frame;
  const step = axes.length > 1 ? (plot.right - plot.left) / (axes.length - 1) : 0;
  axes.forEach((axis, index) => {
    axis.x = axes.length > 1 ? plot.left + step * index : (plot.left + plot.right) / 2;
    const values = rows.map(axis.value);
    if (axis.kind === 'categorical') {
      const categories = axis.categories || [...new Set(values.map(String))];
      axis.scale = makeCategoricalScale(categories, [plot.bottom, plot.top]);
    } else {
      axis.scale = makeScale(axis.kind, values.map(Number), [plot.bottom, plot.top], 5);
    }
  });
  const metrics = rows.map((row) => Number(row.metric)).filter(Number.isFinite);
  const metricLow = Math.min(...metrics);
  const metricHigh = Math.max(...metrics);
  const rowLayer = svgElement('g', { class: 'rows' }, svg);
  const paths = rows.map((row) => {
    const pixels = axes.map((axis) => [axis.x, axis.scale(axis.kind === 'categorical' ? axis.value(row) : Number(axis.value(row)))]);
    const t = metricHigh > metricLow ? (Number(row.metric) - metricLow) / (metricHigh - metricLow) : 0.5;
    const path = svgElement('path', { class: 'row', 'data-id': row.id, d: pathData(pixels), stroke: rampColor(t) }, rowLayer);
    svgElement('title', {}, path, `${row.id}: ${formatNumber(Number(row.metric))}`);
    return { row, pixels, path };
  });

  const brushes = new Map(); // axis index → [top pixel, bottom pixel]
  const listeners = [];
  function activeIds() {
    return paths.filter(({ pixels }) => [...brushes].every(([index, [top, bottom]]) => {
      const pixel = pixels[index][1];
      return Number.isFinite(pixel) && pixel >= top && pixel <= bottom;
    })).map(({ row }) => row.id);
  }
  function apply() {
    const active = new Set(activeIds());
    for (const { row, path } of paths) path.classList.toggle('dimmed', !active.has(row.id));
    axes.forEach((axis, index) => {
      const range = brushes.get(index);
      axis.brush.setAttribute('visibility', range ? 'visible' : 'hidden');
      if (range) { axis.brush.setAttribute('y', range[0]); axis.brush.setAttribute('height', range[1] - range[0]); }
    });
    const ids = [...active];
    for (const listener of listeners) listener(ids);
  }
  function setBrush(index, pixelA, pixelB) {
    if (Math.abs(pixelA - pixelB) < 3) brushes.delete(index);
    else brushes.set(index, [Math.min(pixelA, pixelB), Math.max(pixelA, pixelB)]);
    apply();
  }

  axes.forEach((axis, index) => {
    const group = svgElement('g', { class: 'pc-axis', 'data-name': axis.name, transform: `translate(${axis.x},0)` }, svg);
    svgElement('line', { x1: 0, x2: 0, y1: plot.top, y2: plot.bottom }, group);
    for (const value of axis.scale.ticks) {
      const label = axis.kind === 'categorical' ? String(value) : formatNumber(value);
      svgElement('text', { class: 'tick', x: -6, y: axis.scale(value) + 4, 'text-anchor': 'end' }, group, label);
    }
    svgElement('text', { class: 'axis-title', x: 0, y: plot.top - 12, 'text-anchor': 'middle' }, group, axis.name);
    axis.brush = svgElement('rect', { class: 'brush', x: -9, width: 18, visibility: 'hidden' }, group);
    const area = svgElement('rect', {
      class: 'brush-area', 'data-name': axis.name, x: -14, width: 28, y: plot.top, height: plot.bottom - plot.top,
    }, group);
    area.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      const start = pointerPosition(svg, event, width, height).y;
      const clamp = (pixel) => Math.min(Math.max(pixel, plot.top), plot.bottom);
      const move = (moveEvent) => setBrush(index, clamp(start), clamp(pointerPosition(svg, moveEvent, width, height).y));
      const up = (upEvent) => {
        move(upEvent);
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    });
  });

  /** Data values → the brush's pixel range; on a categorical axis it reaches half a step past each category. */
  function pixelRange(axis, from, to) {
    const ends = axis.kind === 'categorical' ? [axis.scale(from), axis.scale(to)] : [axis.scale(Number(from)), axis.scale(Number(to))];
    const half = axis.kind === 'categorical' ? (plot.bottom - plot.top) / Math.max(axis.scale.ticks.length, 1) / 2 : 0;
    return [Math.min(...ends) - half, Math.max(...ends) + half];
  }
  return {
    onFilter(callback) { listeners.push(callback); },
    brush(axisName, from, to) {
      const index = axes.findIndex((axis) => axis.name === String(axisName));
      if (index < 0) throw new Error(`no axis named ${axisName}`);
      brushes.set(index, pixelRange(axes[index], from, to));
      apply();
    },
    clearBrushes() { brushes.clear(); apply(); },
    activeIds,
  };
}
Logbook.parallelCoordinates = parallelCoordinates;
"""#
}
