extension DashboardScript {
    /// The line chart's hover: a vertical guide and a tooltip with each series' value at the nearest x.
    static let lineChartHover = #"""
/** The index of the point whose x is nearest `target` in points sorted by x (binary search), or −1 if none. */
function nearestIndex(points, target) {
  if (points.length === 0) return -1;
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (points[middle].x < target) low = middle + 1; else high = middle;
  }
  if (low > 0 && Math.abs(points[low - 1].x - target) <= Math.abs(points[low].x - target)) return low - 1;
  return low;
}

/** Installs the hover on a drawn line chart. The pointer's pixel → a data x (x.invert) → the nearest x among all
 *  series' points → for each series, its point nearest that x: its smoothed and raw mean (and min–max when the
 *  bucket has a spread). */
function installLineHover(frame, x, state) {
  const { svg, plot } = frame;
  const guide = svgElement('line', { class: 'hover-line', y1: plot.top, y2: plot.bottom, visibility: 'hidden' }, svg);
  const target = svgElement('rect', {
    class: 'hover-target', x: plot.left, y: plot.top, width: plot.right - plot.left, height: plot.bottom - plot.top,
  }, svg);
  const tooltip = makeTooltip(frame.root);

  function linesAt(pixel) {
    const wanted = x.invert(pixel);
    let nearestX = NaN;
    for (const one of state.series) {
      const index = nearestIndex(one.points, wanted);
      if (index < 0) continue;
      const candidate = one.points[index].x;
      if (!Number.isFinite(nearestX) || Math.abs(candidate - wanted) < Math.abs(nearestX - wanted)) nearestX = candidate;
    }
    if (!Number.isFinite(nearestX)) return { nearestX, lines: [] };
    const lines = [{ text: `${state.xLabel || 'x'} ${formatNumber(nearestX)}` }];
    for (const one of state.series) {
      const index = nearestIndex(one.points, nearestX);
      if (index < 0) continue;
      const point = one.points[index];
      let text = `${one.name}: ${formatNumber(one.smoothed[index])}`;
      if (state.smoothing > 0) text += ` (raw ${formatNumber(point.mean)})`;
      if (point.min !== point.max) text += ` [${formatNumber(point.min)} – ${formatNumber(point.max)}]`;
      lines.push({ text, color: one.color });
    }
    return { nearestX, lines };
  }

  function showAt(pixel) {
    const { nearestX, lines } = linesAt(pixel);
    if (lines.length === 0) { hide(); return []; }
    const guideX = x(nearestX);
    guide.setAttribute('x1', guideX);
    guide.setAttribute('x2', guideX);
    guide.setAttribute('visibility', 'visible');
    const box = svg.getBoundingClientRect();
    const shown = box.width > 0 ? box.width / frame.width : 1;
    const left = guideX * shown + 12;
    tooltip.show(lines, guideX > frame.width * 0.6 ? Math.max(left - 240, 0) : left, plot.top * shown);
    return lines.map((line) => line.text);
  }

  function hide() {
    guide.setAttribute('visibility', 'hidden');
    tooltip.hide();
  }

  target.addEventListener('pointermove', (event) => {
    showAt(pointerPosition(svg, event, frame.width, frame.height).x);
  });
  target.addEventListener('pointerleave', hide);
  return { showAt, hide };
}
"""#
}
