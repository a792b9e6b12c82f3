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

    /// A tick label with up to 3 significant digits (`SVG.compactNumber`): `0.001`, `0.25`, `1500`, `20k`, `1.5M`,
    /// `1e-5`.
    public static func tickLabel(_ value: Double) -> String { compactNumber(value, significantDigits: 3) }

    /// A number short enough for an axis or a chart cell, with at most `significantDigits` significant digits
    /// (trailing zeros dropped):
    /// - 10⁻⁴ ≤ |v| < 10⁴: positional (`0.0005`, `0.683`, `1500`; from 1,000 on the whole number);
    /// - 10⁴ ≤ |v| < 10¹⁵: SI prefixes k, M, G, T on the mantissa (`20k`, `153k`, `1.5M`); a mantissa that rounds to
    ///   1,000 takes the next prefix (999,999 → `1M`);
    /// - otherwise mantissa and exponent (`1e-5`, `2.5e-7`, `3e+15`); 0 is `0`, and NaN and ±∞ are `NaN`, `∞`, `-∞`.
    /// The dashboard's `Logbook.formatNumber` follows the same rule with 4 digits.
    public static func compactNumber(_ value: Double, significantDigits digits: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-∞" : "∞" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-4 && magnitude < 1e4 {
            let rounded = Double(String(format: "%.\(digits)g", value)) ?? value
            if abs(rounded) >= 1000 { return String(Int(value.rounded())) }
            return trimmedDecimal(rounded, digits: digits)
        }
        if magnitude >= 1e4 && magnitude < 1e15 {
            var exponent = Int(floor(log10(magnitude) / 3))
            var mantissa = Double(String(format: "%.\(digits)g", value / pow(1000, Double(exponent)))) ?? value
            if abs(mantissa) >= 1000 && exponent < 4 {
                exponent += 1
                mantissa /= 1000
            }
            return trimmedDecimal(mantissa, digits: digits) + ["", "k", "M", "G", "T"][exponent]
        }
        let parts = String(format: "%.\(digits - 1)e", value).split(separator: "e")
        let mantissa = trimmedDecimal(Double(parts[0]) ?? value, digits: digits)
        let exponent = Int(parts[1]) ?? 0
        return "\(mantissa)e\(exponent < 0 ? "-" : "+")\(abs(exponent))"
    }

    /// `value` in positional notation, already rounded to `digits` significant digits, without trailing zeros.
    private static func trimmedDecimal(_ value: Double, digits: Int) -> String {
        let decimals = max(0, digits - 1 - Int(floor(log10(abs(value)))))
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
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
