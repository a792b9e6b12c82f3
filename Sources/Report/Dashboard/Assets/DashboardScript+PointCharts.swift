extension DashboardScript {
    /// `Logbook.scatter` (the metric against one hyperparameter) and `Logbook.heatmap` (batch size × learning rate).
    static let pointCharts = #"""
/** Logbook.scatter(container, {xName, yName, logX, points: [{x, y, id}]}): one <circle class="point" data-id> per
 *  point with finite coordinates (x > 0 on a log axis); both axes fitted to the data (nice ticks, log10 ticks when
 *  logX); hovering a point shows its id and values. */
function scatter(container, options = {}) {
  const width = options.width ?? 420;
  const height = options.height ?? 300;
  const frame = makeFrame(container, 'scatter', width, height, { left: 64, right: 16, top: 12, bottom: 48 });
  const { svg, plot } = frame;
  const points = (options.points || []).map((p) => ({ x: Number(p.x), y: Number(p.y), id: String(p.id) }));
  const x = makeScale(options.logX ? 'log' : 'linear', points.map((p) => p.x), [plot.left, plot.right], 5);
  const y = makeScale('linear', points.map((p) => p.y), [plot.bottom, plot.top], 5);
  drawAxis(svg, x, 'x', plot, options.xName ?? 'x');
  drawAxis(svg, y, 'y', plot, options.yName ?? 'y');
  const tooltip = makeTooltip(frame.root);
  const layer = svgElement('g', { class: 'points' }, svg);
  for (const point of points) {
    const cx = x(point.x);
    const cy = y(point.y);
    if (!Number.isFinite(cx) || !Number.isFinite(cy)) continue;
    const circle = svgElement('circle', { class: 'point', 'data-id': point.id, cx, cy, r: 4 }, layer);
    const text = `${point.id}: ${options.xName ?? 'x'} ${formatNumber(point.x)}, ${options.yName ?? 'y'} ${formatNumber(point.y)}`;
    circle.addEventListener('pointerenter', () => tooltip.show([{ text }], cx + 8, cy));
    circle.addEventListener('pointerleave', () => tooltip.hide());
  }
  return { tooltip };
}
Logbook.scatter = scatter;

/** Viridis-like colour scale: t in [0, 1] interpolated linearly in RGB between five stops. */
const HEAT_STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function heatColor(t) {
  const u = Number.isFinite(t) ? Math.min(Math.max(t, 0), 1) * (HEAT_STOPS.length - 1) : 0;
  const index = Math.min(Math.floor(u), HEAT_STOPS.length - 2);
  const f = u - index;
  const [a, b] = [HEAT_STOPS[index], HEAT_STOPS[index + 1]];
  return `rgb(${[0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * f)).join(',')})`;
}

/** Logbook.heatmap(container, {xName, yName, xValues, yValues, cells: [{x, y, value}]}): one
 *  <rect class="cell" data-x data-y data-value> per cell with a finite value, coloured by
 *  t = (value − min) / (max − min) over the cells; a legend bar from min to max; the value on hover (and as text in
 *  the cell). Rows are yValues top to bottom, columns xValues left to right. */
function heatmap(container, options = {}) {
  const xValues = (options.xValues || []).map(String);
  const yValues = (options.yValues || []).map(String);
  const cellWidth = 64;
  const cellHeight = 32;
  // Room for the longest row label (≈ 7 px a character at the tick size), so a range such as 0.001005–0.1263 fits.
  const margin = { left: Math.max(80, 12 + 7 * Math.max(0, ...yValues.map((v) => v.length))), right: 90, top: 12, bottom: 48 };
  const width = margin.left + cellWidth * xValues.length + margin.right;
  const height = margin.top + cellHeight * yValues.length + margin.bottom;
  const frame = makeFrame(container, 'heatmap', width, height, margin);
  const { svg, plot } = frame;
  const cells = (options.cells || []).map((c) => ({ x: String(c.x), y: String(c.y), value: Number(c.value) }))
    .filter((c) => Number.isFinite(c.value) && xValues.includes(c.x) && yValues.includes(c.y));
  const low = Math.min(...cells.map((c) => c.value));
  const high = Math.max(...cells.map((c) => c.value));
  const t = (value) => (high > low ? (value - low) / (high - low) : 0.5);
  const tooltip = makeTooltip(frame.root);
  const layer = svgElement('g', { class: 'cells' }, svg);
  for (const cell of cells) {
    const left = plot.left + cellWidth * xValues.indexOf(cell.x);
    const top = plot.top + cellHeight * yValues.indexOf(cell.y);
    const rect = svgElement('rect', {
      class: 'cell', 'data-x': cell.x, 'data-y': cell.y, 'data-value': cell.value,
      x: left, y: top, width: cellWidth - 1, height: cellHeight - 1, fill: heatColor(t(cell.value)),
    }, layer);
    const text = `${options.xName ?? 'x'} ${cell.x}, ${options.yName ?? 'y'} ${cell.y}: ${formatNumber(cell.value)}`;
    svgElement('title', {}, rect, text);
    svgElement('text', {
      class: t(cell.value) > 0.6 ? 'cell-label dark' : 'cell-label', x: left + cellWidth / 2, y: top + cellHeight / 2 + 4,
      'text-anchor': 'middle',
    }, layer, formatNumber(cell.value));
    rect.addEventListener('pointerenter', () => tooltip.show([{ text }], left + cellWidth, top));
    rect.addEventListener('pointerleave', () => tooltip.hide());
  }
  xValues.forEach((value, i) => svgElement('text', {
    class: 'tick', x: plot.left + cellWidth * (i + 0.5), y: plot.bottom + 18, 'text-anchor': 'middle',
  }, svg, value));
  yValues.forEach((value, i) => svgElement('text', {
    class: 'tick', x: plot.left - 6, y: plot.top + cellHeight * (i + 0.5) + 4, 'text-anchor': 'end',
  }, svg, value));
  svgElement('text', { class: 'axis-title', x: (plot.left + plot.right) / 2, y: plot.bottom + 36,
    'text-anchor': 'middle' }, svg, options.xName ?? 'x');
  svgElement('text', { class: 'axis-title', x: -(plot.top + plot.bottom) / 2, y: 14, transform: 'rotate(-90)',
    'text-anchor': 'middle' }, svg, options.yName ?? 'y');
  drawHeatLegend(svg, plot, low, high);
  return { tooltip };
}
Logbook.heatmap = heatmap;

/** The colour legend: a vertical gradient bar right of the cells, max at the top, min at the bottom. */
function drawHeatLegend(svg, plot, low, high) {
  if (!Number.isFinite(low)) return;
  const gradientId = `logbook-heat-${Math.random().toString(36).slice(2)}`;
  const gradient = svgElement('linearGradient', { id: gradientId, x1: 0, y1: 1, x2: 0, y2: 0 },
    svgElement('defs', {}, svg));
  HEAT_STOPS.forEach((_, i) => svgElement('stop', {
    offset: `${(100 * i) / (HEAT_STOPS.length - 1)}%`, 'stop-color': heatColor(i / (HEAT_STOPS.length - 1)),
  }, gradient));
  const legend = svgElement('g', { class: 'color-legend' }, svg);
  const x = plot.right + 16;
  svgElement('rect', { x, y: plot.top, width: 12, height: plot.bottom - plot.top, fill: `url(#${gradientId})` }, legend);
  svgElement('text', { x: x + 16, y: plot.top + 10 }, legend, formatNumber(high));
  svgElement('text', { x: x + 16, y: plot.bottom }, legend, formatNumber(low));
}
"""#
}
