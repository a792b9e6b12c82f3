extension DashboardStylesheet {
    /// The pages: type, navigation, tables, forms, inline errors. System fonts only (nothing fetched).
    static let page = #"""
:root {
  --text: #1b1f24; --muted: #59636e; --line: #d0d7de; --background: #ffffff; --panel: #f6f8fa;
  --accent: #0969da; --error: #cf222e;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --text: #e6edf3; --muted: #9198a1; --line: #3d444d; --background: #0d1117; --panel: #151b23;
    --accent: #4493f8; --error: #f85149; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--text);
  background: var(--background); }
header, nav { display: flex; gap: 1rem; align-items: baseline; padding: 0.6rem 1.2rem;
  border-bottom: 1px solid var(--line); background: var(--panel); }
main { padding: 1rem 1.2rem; max-width: 1400px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
a[aria-disabled="true"] { color: var(--muted); pointer-events: none; }
h1, h2, h3 { line-height: 1.2; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid var(--line); text-align: left;
  font-variant-numeric: tabular-nums; }
th { background: var(--panel); position: sticky; top: 0; }
th[aria-sort="ascending"] a::after { content: " ▲"; }
th[aria-sort="descending"] a::after { content: " ▼"; }
input, select, button { font: inherit; }
input[type="search"], input[type="text"] { min-width: 28rem; padding: 0.25rem 0.4rem; }
.error { color: var(--error); white-space: pre-wrap; }
.muted { color: var(--muted); }
.column-chooser { display: inline-block; margin: 0.3rem 1rem 0.3rem 0; }
.column-chooser label { display: block; padding-left: 0.5rem; }
a.compare { font-weight: 600; }
.controls { display: flex; gap: 1rem; align-items: center; margin: 0.5rem 0; }
"""#

    /// The charts' classes (the names `Logbook`'s functions give their elements).
    static let charts = #"""
.logbook-chart { position: relative; display: inline-block; margin: 0.5rem 0; }
.logbook-chart svg { max-width: 100%; height: auto; overflow: visible; font-size: 11px; }
.logbook-chart text { fill: var(--muted); }
.logbook-chart .axis line { stroke: var(--line); }
.logbook-chart .axis line.grid { stroke-opacity: 0.5; }
.logbook-chart .axis-title { fill: var(--text); font-size: 12px; }
.series path { fill: none; stroke-width: 1.5; }
.series path.raw { stroke-opacity: 0.25; stroke-width: 1; }
.series path.band { stroke: none; fill-opacity: 0.12; }
.series path.smoothed { stroke-width: 2; }
.hover-target { fill: transparent; pointer-events: all; }
.hover-line { stroke: var(--muted); stroke-dasharray: 3 3; pointer-events: none; }
.tooltip { position: absolute; z-index: 2; padding: 0.3rem 0.5rem; background: var(--background);
  border: 1px solid var(--line); border-radius: 4px; box-shadow: 0 2px 6px rgb(0 0 0 / 0.15);
  font-size: 12px; white-space: nowrap; pointer-events: none; }
.tooltip[hidden] { display: none; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.35em; border-radius: 2px; }
.legend { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; font-size: 12px; }
.legend-item { display: inline-flex; align-items: center; }
.parallel-coordinates path.row { fill: none; stroke-width: 1.2; stroke-opacity: 0.7; }
.parallel-coordinates path.row.dimmed { stroke: var(--line); stroke-opacity: 0.25; }
.pc-axis line { stroke: var(--muted); }
.pc-axis .brush-area { fill: transparent; cursor: crosshair; }
.pc-axis .brush { fill: var(--accent); fill-opacity: 0.2; stroke: var(--accent); pointer-events: none; }
.scatter circle.point { fill: var(--accent); fill-opacity: 0.7; }
.heatmap .cell-label { fill: #ffffff; font-size: 11px; pointer-events: none; }
.heatmap .cell-label.dark { fill: #1b1f24; }
"""#
}
