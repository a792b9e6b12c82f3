import Foundation

/// Shared pieces of the SVG charts: XML escaping, number formatting, the palette and axis ticks.
public enum SVG {
    /// The Okabe–Ito palette: distinguishable under the common colour-vision deficiencies.
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    /// Dash patterns that pair with the palette, so lines stay distinct in greyscale too.
    public static let dashes = ["", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2", "8 3 2 3"]

    public static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// Escapes text for XML content and attribute values.
    public static func escape(_ text: String) -> String { TextEscaping.escape(text) { xmlEntities[$0] } }

    private static let xmlEntities: [Unicode.Scalar: String] = [
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;",
    ]

    /// A coordinate with two decimals (compact, enough for screen pixels).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded)
    }

    /// A tick label: `%g`-style with up to 3 significant digits (`0.001`, `0.25`, `1e+04`).
    public static func tickLabel(_ value: Double) -> String {
        if value == 0 { return "0" }
        return String(format: "%.3g", value)
    }

    /// The range a value axis shows so that the data's differences can be compared. Zero stays the baseline only
    /// when the data come close to it: for positive data when `low ≤ 0.2·high` (for negative data, mirrored), and
    /// always when the data straddle zero. Otherwise the axis spans the data plus 5 % of their spread on each side,
    /// so that 0.97 against 0.99 fills the plot: `(low − 0.05·(high − low), high + 0.05·(high − low))`; equal values
    /// get ± 1 % of their magnitude. (0.05 … 2.3 → 0 … 2.3; 0.97 … 0.99 → 0.969 … 0.991.)
    public static func comparableRange(_ low: Double, _ high: Double) -> (low: Double, high: Double) {
        guard low.isFinite, high.isFinite, low <= high else { return (0, 1) }
        if low == 0 && high == 0 { return (0, 1) }
        if low <= 0 && high >= 0 { return (low, high) }
        if low > 0 && low <= 0.2 * high { return (0, high) }
        if high < 0 && -high <= 0.2 * -low { return (low, 0) }
        let padding = high > low ? 0.05 * (high - low) : 0.01 * max(abs(low), abs(high))
        return (low - padding, high + padding)
    }

    /// "Nice" linear ticks within `low…high`: the step of 1, 2, 5 or 10 × 10ᵏ that gives closest to `count` ticks.
    public static func linearTicks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard low.isFinite, high.isFinite else { return [] }
        if high <= low { return [low] }
        let raw = (high - low) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.min {
            abs((high - low) / $0 - Double(count)) < abs((high - low) / $1 - Double(count))
        }!
        var ticks: [Double] = []
        var index = ceil(low / step - 1e-9)
        while index * step <= high + step * 1e-9 {
            ticks.append(Double(String(format: "%.12g", index * step))! + 0)
            index += 1
        }
        return ticks
    }

    /// Powers of ten within `low…high` (both > 0) for a log axis; adds 2× and 5× when it spans at most 3 decades.
    public static func logTicks(_ low: Double, _ high: Double) -> [Double] {
        guard low > 0, high > low else { return [low] }
        let first = Int(floor(log10(low)))
        let last = Int(ceil(log10(high)))
        let multipliers: [Double] = last - first <= 3 ? [1, 2, 5] : [1]
        var ticks: [Double] = []
        for exponent in first...last {
            for multiplier in multipliers {
                let value = multiplier * pow(10, Double(exponent))
                if value >= low * (1 - 1e-9) && value <= high * (1 + 1e-9) { ticks.append(value) }
            }
        }
        return ticks
    }

    /// The opening `<svg>` tag with its size, viewBox, an accessible title, and the shared style.
    static func open(width: Double, height: Double, title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(number(width))" height="\(number(height))" \
        viewBox="0 0 \(number(width)) \(number(height))" role="img" font-family="sans-serif" font-size="12">\
        <title>\(escape(title))</title><rect x="0" y="0" width="\(number(width))" height="\(number(height))" fill="#ffffff"/>
        """
    }

    static func text(
        _ content: String, x: Double, y: Double, anchor: String = "middle", size: Double? = nil, weight: String? = nil,
        rotate: Double? = nil, fill: String = "#222222"
    ) -> String {
        var attributes = "x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if let size { attributes += " font-size=\"\(number(size))\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let rotate { attributes += " transform=\"rotate(\(number(rotate)) \(number(x)) \(number(y)))\"" }
        return "<text \(attributes)>\(escape(content))</text>"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#888888", width: Double = 1) -> String {
        "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(number(width))\"/>"
    }
}
