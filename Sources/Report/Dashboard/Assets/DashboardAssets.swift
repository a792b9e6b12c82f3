/// The dashboard's browser-side code, embedded in the binary (no SwiftPM resources, no external fonts, scripts or
/// CDNs: the pages work offline). `logbook serve` serves `script` at `/assets/dashboard.js` and `stylesheet` at
/// `/assets/dashboard.css`.
///
/// `script` defines one global, `Logbook` (ES2020, SVG, no dependencies): `lineChart`, `smooth`, `niceTicks`,
/// `logTicks`, `parallelCoordinates`, `scatter`, `heatmap`, `eventStream`, `runsTable`, and `pages` (what each page
/// runs once loaded: the page names its starter in a JSON data block, so no page carries a script of its own). Its
/// parts live in the `DashboardScript+*.swift` files, joined inside one strict-mode function so that they share
/// private helpers. Every text from data reaches the DOM through `textContent` or `setAttribute`, never `innerHTML`.
public enum DashboardAssets {
    /// The JavaScript served at `/assets/dashboard.js`.
    public static let script: String = [
        "(function () {\n'use strict';",
        DashboardScript.scales,
        DashboardScript.drawing,
        DashboardScript.lineChart,
        DashboardScript.lineChartHover,
        DashboardScript.parallelCoordinates,
        DashboardScript.pointCharts,
        DashboardScript.live,
        DashboardScript.runsTable,
        DashboardScript.pages,
        DashboardScript.sweepPages,
        "globalThis.Logbook = Logbook;\n})();",
    ].joined(separator: "\n")

    /// The CSS served at `/assets/dashboard.css`: the pages (tables, forms, errors) and the charts' classes.
    public static let stylesheet: String = [DashboardStylesheet.page, DashboardStylesheet.charts]
        .joined(separator: "\n")
}

/// The parts of `DashboardAssets.script`, one concern per file.
enum DashboardScript {}

/// The parts of `DashboardAssets.stylesheet`.
enum DashboardStylesheet {}
