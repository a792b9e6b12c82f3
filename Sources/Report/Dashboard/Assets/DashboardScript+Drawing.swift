extension DashboardScript {
    /// The DOM and SVG helpers the charts share: elements (text only through `textContent`/`setAttribute`), axes,
    /// paths, the colour palette and the hover tooltip.
    static let drawing = #"""
const SVG_NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
  '#bcbd22', '#7f7f7f'];

/** Creates an element (SVG when `namespace` is given), sets attributes with setAttribute and text with textContent:
 *  data never goes through innerHTML, so a run named "<script>alert(1)<\/script>" renders as text. No `style`
 *  attribute: the pages' policy (style-src 'self') refuses inline styles; colours go through `element.style`. */
function makeElement(namespace, name, attributes, parent, text) {
  const element = namespace ? document.createElementNS(namespace, name) : document.createElement(name);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null) element.setAttribute(key, String(value));
  }
  if (text !== undefined) element.textContent = String(text);
  if (parent) parent.appendChild(element);
  return element;
}
const svgElement = (name, attributes, parent, text) => makeElement(SVG_NS, name, attributes, parent, text);
const htmlElement = (name, attributes, parent, text) => makeElement(null, name, attributes, parent, text);

function removeChildren(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function seriesColor(index) {
  return PALETTE[index % PALETTE.length];
}

/** The chart's frame: a root div (position: relative) holding an SVG with a viewBox of width × height and an inner
 *  plot area inset by `margin`. */
function makeFrame(container, className, width, height, margin) {
  removeChildren(container);
  const root = htmlElement('div', { class: `logbook-chart ${className}` }, container);
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' }, root);
  const plot = { left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom };
  return { root, svg, plot, width, height };
}

/** An axis along the bottom ('x') or left ('y') edge of the plot area: a line, one tick and label per tick value,
 *  and the axis title. */
function drawAxis(svg, scale, orientation, plot, title) {
  const axis = svgElement('g', { class: `axis axis-${orientation}` }, svg);
  const horizontal = orientation === 'x';
  if (horizontal) {
    svgElement('line', { x1: plot.left, x2: plot.right, y1: plot.bottom, y2: plot.bottom }, axis);
  } else {
    svgElement('line', { x1: plot.left, x2: plot.left, y1: plot.top, y2: plot.bottom }, axis);
  }
  for (const value of scale.ticks) {
    const position = scale(value);
    if (!Number.isFinite(position)) continue;
    const tick = svgElement('g', { class: 'tick', 'data-value': value }, axis);
    const label = scale.kind === 'categorical' ? String(value) : formatNumber(value);
    if (horizontal) {
      svgElement('line', { x1: position, x2: position, y1: plot.bottom, y2: plot.bottom + 5 }, tick);
      svgElement('text', { x: position, y: plot.bottom + 18, 'text-anchor': 'middle' }, tick, label);
    } else {
      svgElement('line', { class: 'grid', x1: plot.left, x2: plot.right, y1: position, y2: position }, tick);
      svgElement('text', { x: plot.left - 6, y: position + 4, 'text-anchor': 'end' }, tick, label);
    }
  }
  if (title) {
    const attributes = horizontal
      ? { class: 'axis-title', x: (plot.left + plot.right) / 2, y: plot.bottom + 36, 'text-anchor': 'middle' }
      : { class: 'axis-title', x: -(plot.top + plot.bottom) / 2, y: 14, transform: 'rotate(-90)',
          'text-anchor': 'middle' };
    svgElement('text', attributes, axis, title);
  }
  return axis;
}

/** An SVG path through [x, y] pixel pairs; a pair that is not finite breaks the line (a new "M" after it). */
function pathData(pairs) {
  let d = '';
  let pen = false;
  for (const [x, y] of pairs) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${x.toFixed(2)},${y.toFixed(2)}`;
    pen = true;
  }
  return d;
}

/** The pointer's position in the SVG's own coordinates (the viewBox), whatever size the SVG is shown at. */
function pointerPosition(svg, event, width, height) {
  const box = svg.getBoundingClientRect();
  const scaleX = box.width > 0 ? width / box.width : 1;
  const scaleY = box.height > 0 ? height / box.height : 1;
  return { x: (event.clientX - box.left) * scaleX, y: (event.clientY - box.top) * scaleY };
}

/** The hover box: a div inside the chart's root, filled with lines of text (textContent). */
function makeTooltip(root) {
  const tooltip = htmlElement('div', { class: 'tooltip', hidden: '' }, root);
  return {
    element: tooltip,
    show(lines, left, top) {
      removeChildren(tooltip);
      for (const line of lines) {
        const row = htmlElement('div', { class: 'tooltip-line' }, tooltip);
        if (line.color) htmlElement('span', { class: 'swatch' }, row).style.background = line.color;
        htmlElement('span', {}, row, line.text);
      }
      tooltip.style.left = `${left}px`;
      tooltip.style.top = `${top}px`;
      tooltip.hidden = false;
    },
    hide() { tooltip.hidden = true; },
  };
}
"""#
}
