import Foundation

/// A line chart: several named series of (x, y) points, optionally with a min–max band each and marker-only
/// series (e.g. epoch means), linear x, linear or logarithmic y, labelled axes and a legend. Internal to Report (its
/// sections draw it), so the memberwise initialisers serve.
struct LineChart: Sendable {
    struct Series: Sendable {
        var name: String
        var points: [(x: Double, y: Double)]
        /// Optional envelope drawn as a translucent band under the line: (x, low, high).
        var band: [(x: Double, low: Double, high: Double)] = []
        /// Draw markers only (no line).
        var markersOnly: Bool = false
        var dashed: Bool = false
        /// Palette index; series that share one read as one configuration.
        var colourIndex: Int
        /// Listed in the legend (companion series, e.g. epoch-mean dots of a listed line, may stay out).
        var inLegend: Bool = true
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    /// nil: automatic — logarithmic when every y is positive and max/min spans more than 1.5 decades.
    var logarithmicY: Bool? = nil
    var width: Double = 720
    /// Height of the plot area's surroundings excluding the legend (which adds 16 per row).
    var height: Double = 340

    /// Whether the y axis is logarithmic (see `logarithmicY`).
    var usesLogarithmicY: Bool {
        if let logarithmicY { return logarithmicY }
        let ys = allY.filter { $0.isFinite }
        guard let low = ys.min(), let high = ys.max(), low > 0 else { return false }
        return log10(high / low) > 1.5
    }

    private var allY: [Double] { series.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.low, $0.high] } } }

    func svg() -> String {
        let legend = series.filter(\.inLegend)
        let legendColumns = legend.contains { $0.name.count > 48 } ? 1 : 2
        let legendRows = (legend.count + legendColumns - 1) / legendColumns
        let left = 70.0, right = 20.0, top = 34.0, bottom = 48.0 + Double(legendRows) * 16
        let height = self.height + Double(legendRows) * 16
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let logY = usesLogarithmicY
        let xs = series.flatMap { $0.points.map(\.x) + $0.band.map(\.x) }.filter(\.isFinite)
        let ys = allY.filter { $0.isFinite && (!logY || $0 > 0) }
        var output = SVG.open(width: width, height: height, title: title)
        output += SVG.text(title, x: width / 2, y: 20, size: 14, weight: "bold")
        guard let xLow = xs.min(), let xHigh = xs.max(), let yLow = ys.min(), let yHigh = ys.max() else {
            return output + SVG.text("no data", x: width / 2, y: height / 2) + "</svg>"
        }
        let xSpan = xHigh > xLow ? xHigh - xLow : 1
        let (yMin, yMax): (Double, Double) = logY ? (log10(yLow), log10(yHigh)) : SVG.comparableRange(yLow, yHigh)
        let ySpan = yMax > yMin ? yMax - yMin : 1
        func px(_ x: Double) -> Double { left + (x - xLow) / xSpan * plotWidth }
        func py(_ y: Double) -> Double {
            let value = logY ? log10(max(y, yLow)) : y
            return top + plotHeight - (value - yMin) / ySpan * plotHeight
        }
        // Axes and grid.
        output += "<g class=\"axes\">"
        for tick in SVG.linearTicks(xLow, xHigh) {
            output += SVG.line(px(tick), top, px(tick), top + plotHeight, stroke: "#eeeeee")
            output += SVG.text(SVG.tickLabel(tick), x: px(tick), y: top + plotHeight + 16)
        }
        let yTicks = logY ? SVG.logTicks(yLow, yHigh) : SVG.linearTicks(yMin, yMax)
        for tick in yTicks {
            output += SVG.line(left, py(tick), left + plotWidth, py(tick), stroke: "#eeeeee")
            output += SVG.text(SVG.tickLabel(tick), x: left - 6, y: py(tick) + 4, anchor: "end")
        }
        output += SVG.line(left, top + plotHeight, left + plotWidth, top + plotHeight, stroke: "#444444")
        output += SVG.line(left, top, left, top + plotHeight, stroke: "#444444")
        output += SVG.text(xLabel, x: left + plotWidth / 2, y: top + plotHeight + 34)
        output += SVG.text(yLabel + (logY ? " (log scale)" : ""), x: 16, y: top + plotHeight / 2, rotate: -90)
        output += "</g>"
        // Bands, then lines and markers.
        for series in series where !series.band.isEmpty {
            let upper = series.band.map { "\(SVG.number(px($0.x))),\(SVG.number(py($0.high)))" }
            let lower = series.band.reversed().map { "\(SVG.number(px($0.x))),\(SVG.number(py($0.low)))" }
            output += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(SVG.colour(series.colourIndex))\" fill-opacity=\"0.18\" stroke=\"none\"/>"
        }
        for series in series {
            let colour = SVG.colour(series.colourIndex)
            let points = series.points.filter { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) }
            if series.markersOnly {
                output += "<g fill=\"\(colour)\" stroke=\"#ffffff\" stroke-width=\"0.8\">"
                for point in points { output += "<circle cx=\"\(SVG.number(px(point.x)))\" cy=\"\(SVG.number(py(point.y)))\" r=\"3.5\"/>" }
                output += "</g>"
            } else if !points.isEmpty {
                let path = points.map { "\(SVG.number(px($0.x))),\(SVG.number(py($0.y)))" }.joined(separator: " ")
                let dash = series.dashed ? " stroke-dasharray=\"6 3\"" : ""
                output += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.6\"\(dash)/>"
            }
        }
        // Legend under the plot, in one or two columns.
        for (index, series) in legend.enumerated() {
            let x = left + Double(index % legendColumns) * plotWidth / 2
            let y = top + plotHeight + 52 + Double(index / legendColumns) * 16
            let colour = SVG.colour(series.colourIndex)
            if series.markersOnly {
                output += "<circle cx=\"\(SVG.number(x + 9))\" cy=\"\(SVG.number(y - 4))\" r=\"3.5\" fill=\"\(colour)\"/>"
            } else {
                output += "<line x1=\"\(SVG.number(x))\" y1=\"\(SVG.number(y - 4))\" x2=\"\(SVG.number(x + 18))\" y2=\"\(SVG.number(y - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"\(series.dashed ? " stroke-dasharray=\"6 3\"" : "")/>"
            }
            output += SVG.text(series.name, x: x + 24, y: y, anchor: "start", size: 11)
        }
        return output + "</svg>"
    }
}
