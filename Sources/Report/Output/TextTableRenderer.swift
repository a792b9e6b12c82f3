import Foundation
import Store

/// Renders a `ResultTable` as an aligned plain-text table:
///
///     run_id  initializer  test_accuracy
///     ------  -----------  -------------
///          1  he-uniform          0.9123
///
/// Columns are separated by two spaces; a column whose non-null values are all numbers is right-aligned, others
/// left-aligned; width = the longest of the header and the cells (in characters). Trailing spaces are trimmed.
/// A line break inside a cell shows as `⏎`. With `colour`, the header is bold and highlighted rows are yellow (ANSI SGR); the alignment is unchanged.
///
/// The `plain` style — leaderboards, sweep lists, sweep plans — has no rule under the header and aligns every
/// column left:
///
///     #  trial  batch_size  test_accuracy
///     1  7,15   32          0.7667 ± 0.0943
public struct TextTableRenderer: Sendable {
    public enum Style: Sendable {
        /// A `---` rule under the header; numeric columns right-aligned (query results).
        case ruled
        /// No rule; every column left-aligned.
        case plain
    }

    public var colour: Bool
    public var style: Style

    public init(colour: Bool = false, style: Style = .ruled) {
        self.colour = colour
        self.style = style
    }

    public func render(_ table: ResultTable) -> String {
        let cells = table.rows.map { $0.map { CellText.human($0).replacingOccurrences(of: "\n", with: "⏎") } }
        let columnCount = table.columns.count
        var widths = table.columns.map(\.count)
        var numeric = [Bool](repeating: true, count: columnCount)
        var hasValue = [Bool](repeating: false, count: columnCount)
        for (rowIndex, row) in table.rows.enumerated() {
            for column in 0..<min(columnCount, row.count) {
                widths[column] = max(widths[column], cells[rowIndex][column].count)
                if row[column] != .null {
                    hasValue[column] = true
                    if !CellText.isNumeric(row[column]) { numeric[column] = false }
                }
            }
        }
        let rightAligned = (0..<columnCount).map { style == .ruled && numeric[$0] && hasValue[$0] }

        func line(_ values: [String]) -> String {
            var parts: [String] = []
            for column in 0..<columnCount {
                let value = column < values.count ? values[column] : ""
                let padding = String(repeating: " ", count: max(0, widths[column] - value.count))
                parts.append(rightAligned[column] ? padding + value : value + padding)
            }
            return trimTrailingSpaces(parts.joined(separator: "  "))
        }

        var lines: [String] = []
        let header = line(table.columns)
        lines.append(colour ? "\u{1B}[1m\(header)\u{1B}[0m" : header)
        if style == .ruled { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        for (rowIndex, row) in cells.enumerated() {
            let text = line(row)
            lines.append(colour && table.highlightedRows.contains(rowIndex) ? "\u{1B}[33;1m\(text)\u{1B}[0m" : text)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func trimTrailingSpaces(_ text: String) -> String {
        var text = Substring(text)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
