import Foundation

/// Vertical bars with optional error bars (± one value each), one per category, labelled axes. Internal to Report
/// (its sections draw it), so the memberwise initialiser serves.
///
/// An error bar is clipped to `limits`, the values the quantity can take (0…1 for an accuracy: a group of runs
/// at 0.6 ± 0.45 is drawn from 0.15 to 1, not to 1.05), and a clipped end has no cap; the tooltip keeps the full
/// ± value.
struct BarChart: Sendable {
    struct Bar: Sendable {
        var label: String
        var value: Double
        /// Half-length of the error bar (e.g. a standard deviation); nil or 0 for none.
        var error: Double? = nil
        var colourIndex: Int = 0
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var bars: [Bar]
    /// A horizontal reference line (e.g. chance accuracy) with its label.
    var reference: (value: Double, label: String)? = nil
    /// The values the quantity can take (`BarChart.limits(ofMetric:)`); nil: any.
    var limits: ClosedRange<Double>? = nil
    var width: Double = 560
    var height: Double = 320

    func svg() -> String {
        let left = 70.0, right = 20.0, top = 34.0, bottom = 56.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        var output = SVG.open(width: width, height: height, title: title)
        output += SVG.text(title, x: width / 2, y: 20, size: 14, weight: "bold")
        let tops = bars.map { whisker($0).top }.filter(\.isFinite)
        let bottoms = bars.map { whisker($0).bottom }.filter(\.isFinite)
        guard !bars.isEmpty, let high = tops.max(), let low = bottoms.min() else {
            return output + SVG.text("no data", x: width / 2, y: height / 2) + "</svg>"
        }
        // The axis fits the bars (`SVG.comparableRange`); a reference line outside it is named, not drawn.
        let (yMin, yMax) = SVG.comparableRange(low, high)
        let ticks = SVG.linearTicks(yMin, yMax)
        let span = yMax > yMin ? yMax - yMin : 1
        /// Bars rise from zero when the axis shows it, else from the axis' end nearest to zero.
        let baseline = min(max(0, yMin), yMax)
        func py(_ y: Double) -> Double { top + plotHeight - (y - yMin) / span * plotHeight }
        output += "<g class=\"axes\">"
        for tick in ticks {
            output += SVG.line(left, py(tick), left + plotWidth, py(tick), stroke: "#eeeeee")
            output += SVG.text(SVG.tickLabel(tick), x: left - 6, y: py(tick) + 4, anchor: "end")
        }
        output += SVG.line(left, py(baseline), left + plotWidth, py(baseline), stroke: "#444444")
        output += SVG.line(left, top, left, top + plotHeight, stroke: "#444444")
        output += SVG.text(xLabel, x: left + plotWidth / 2, y: height - 10)
        output += SVG.text(yLabel, x: 16, y: top + plotHeight / 2, rotate: -90)
        output += "</g>"
        let slot = plotWidth / Double(bars.count)
        let barWidth = min(60, slot * 0.6)
        for (index, bar) in bars.enumerated() {
            let centre = left + slot * (Double(index) + 0.5)
            let value = bar.value.isFinite ? bar.value : 0
            let y0 = py(max(baseline, value)), y1 = py(min(baseline, value))
            output += "<rect x=\"\(SVG.number(centre - barWidth / 2))\" y=\"\(SVG.number(y0))\" width=\"\(SVG.number(barWidth))\" height=\"\(SVG.number(max(0.5, y1 - y0)))\" fill=\"\(SVG.colour(bar.colourIndex))\"><title>\(SVG.escape("\(bar.label): \(SVG.tickLabel(value))" + (bar.error.map { " ± \(SVG.tickLabel($0))" } ?? "")))</title></rect>"
            if let error = bar.error, error > 0, error.isFinite, bar.value.isFinite {
                let ends = whisker(bar)
                let yTop = py(ends.top), yBottom = py(ends.bottom)
                output += SVG.line(centre, yTop, centre, yBottom, stroke: "#222222", width: 1.2)
                if ends.top == value + error { output += SVG.line(centre - 6, yTop, centre + 6, yTop, stroke: "#222222", width: 1.2) }
                if ends.bottom == value - error { output += SVG.line(centre - 6, yBottom, centre + 6, yBottom, stroke: "#222222", width: 1.2) }
            }
            output += SVG.text(bar.label, x: centre, y: top + plotHeight + 16)
        }
        if let reference, reference.value < yMin || reference.value > yMax {
            let side = reference.value < yMin ? "below" : "above"
            output += SVG.text("\(reference.label) (\(side) the axis)", x: left + plotWidth - 4, y: top + 12, anchor: "end", size: 11, fill: "#D55E00")
        } else if let reference {
            output += "<line x1=\"\(SVG.number(left))\" y1=\"\(SVG.number(py(reference.value)))\" x2=\"\(SVG.number(left + plotWidth))\" y2=\"\(SVG.number(py(reference.value)))\" stroke=\"#D55E00\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\"/>"
            output += SVG.text(reference.label, x: left + plotWidth - 4, y: py(reference.value) - 4, anchor: "end", size: 11, fill: "#D55E00")
        }
        return output + "</svg>"
    }

    /// The ends of a bar's error bar (the value itself without one), clipped to `limits`.
    func whisker(_ bar: Bar) -> (bottom: Double, top: Double) {
        let error = bar.error.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? 0
        var (bottom, top) = (bar.value - error, bar.value + error)
        if let limits {
            (bottom, top) = (min(max(bottom, limits.lowerBound), limits.upperBound), min(max(top, limits.lowerBound), limits.upperBound))
        }
        return (bottom, top)
    }

    /// The values a metric can take, by its name: 0…1 for an accuracy, 0 and up for a loss, a duration or a
    /// deviation; nil for any other name.
    static func limits(ofMetric name: String) -> ClosedRange<Double>? {
        if name.hasSuffix("accuracy") { return 0...1 }
        if name.hasSuffix("loss") || name == "duration" || name.hasSuffix("seconds") { return 0...Double.greatestFiniteMagnitude }
        return nil
    }
}
