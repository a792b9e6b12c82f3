import Foundation

/// A heatmap of a metric over two parameters: one cell per (row, column) value, coloured on the cividis-like
/// sequential scale (dark blue → yellow, readable with colour-vision deficiencies), with the value printed.
/// Internal to Report (its sections draw it), so the memberwise initialiser serves.
struct Heatmap: Sendable {
    var title: String
    var rowLabel: String
    var columnLabel: String
    var valueLabel: String
    var rows: [String]
    var columns: [String]
    /// `values[row][column]`; NaN for an empty cell.
    var values: [[Double]]
    var cellWidth: Double = 90
    var cellHeight: Double = 36

    /// Interpolates the scale at `t` ∈ [0, 1].
    static func colour(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [(0, 34, 78), (87, 92, 109), (124, 123, 120), (188, 175, 111), (253, 234, 69)]
        let clamped = min(1, max(0, t.isFinite ? t : 0)) * Double(stops.count - 1)
        let index = min(stops.count - 2, Int(clamped))
        let fraction = clamped - Double(index)
        let a = stops[index], b = stops[index + 1]
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * fraction).rounded()) }
        return String(format: "#%02X%02X%02X", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    func svg() -> String {
        let left = 110.0, top = 58.0
        let width = max(left + Double(columns.count) * cellWidth + 20, Double(title.count) * 7.5 + 40, left + 340)
        let height = top + Double(rows.count) * cellHeight + 64
        var output = SVG.open(width: width, height: height, title: title)
        output += SVG.text(title, x: width / 2, y: 20, size: 14, weight: "bold")
        output += SVG.text(columnLabel, x: left + Double(columns.count) * cellWidth / 2, y: 40)
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        let span = high > low ? high - low : 1
        for (columnIndex, column) in columns.enumerated() {
            output += SVG.text(column, x: left + (Double(columnIndex) + 0.5) * cellWidth, y: top - 4, size: 11)
        }
        for (rowIndex, row) in rows.enumerated() {
            let y = top + Double(rowIndex) * cellHeight
            output += SVG.text(row, x: left - 8, y: y + cellHeight / 2 + 4, anchor: "end", size: 11)
            for columnIndex in columns.indices {
                let value = rowIndex < values.count && columnIndex < values[rowIndex].count ? values[rowIndex][columnIndex] : .nan
                let x = left + Double(columnIndex) * cellWidth
                let t = (value - low) / span
                let fill = value.isFinite ? Heatmap.colour(t) : "#f4f4f4"
                output += "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(y))\" width=\"\(SVG.number(cellWidth - 2))\" height=\"\(SVG.number(cellHeight - 2))\" fill=\"\(fill)\"/>"
                if value.isFinite {
                    output += SVG.text(SVG.tickLabel(value), x: x + cellWidth / 2 - 1, y: y + cellHeight / 2 + 4, size: 11, fill: t > 0.55 ? "#000000" : "#ffffff")
                }
            }
        }
        output += SVG.text(rowLabel, x: 14, y: top + Double(rows.count) * cellHeight / 2, rotate: -90)
        // Colour scale.
        let scaleY = top + Double(rows.count) * cellHeight + 16
        for step in 0..<10 {
            output += "<rect x=\"\(SVG.number(left + Double(step) * 20))\" y=\"\(SVG.number(scaleY))\" width=\"20\" height=\"10\" fill=\"\(Heatmap.colour(Double(step) / 9))\"/>"
        }
        output += SVG.text(SVG.tickLabel(low), x: left, y: scaleY + 24, anchor: "start", size: 10)
        output += SVG.text(SVG.tickLabel(high), x: left + 200, y: scaleY + 24, anchor: "end", size: 10)
        output += SVG.text(valueLabel, x: left + 210, y: scaleY + 9, anchor: "start", size: 11)
        return output + "</svg>"
    }
}
