import Store

/// CSV with RFC 4180 quoting: a field containing a comma, a double quote, CR or LF is enclosed in double quotes
/// and its quotes doubled; other fields are written bare. One header line, then one line per row, each ending in
/// `\n`. NULL is an empty field; reals are written exactly (`CellText.exact`).
public enum CSVWriter {
    public static func render(_ table: ResultTable) -> String {
        var output = table.columns.map(quote).joined(separator: ",") + "\n"
        for row in table.rows {
            output += row.map { quote(CellText.exact($0)) }.joined(separator: ",") + "\n"
        }
        return output
    }

    public static func quote(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A GitHub-flavoured Markdown table: numeric columns right-aligned (`---:`), `|` escaped as `\|`, newlines as
/// `<br>`, highlighted rows in bold. Values as in the text table (`CellText.human`).
public enum MarkdownTableWriter {
    public static func render(_ table: ResultTable) -> String {
        let numeric = (0..<table.columns.count).map { column in
            let values = table.rows.compactMap { column < $0.count ? $0[column] : nil }.filter { $0 != .null }
            return !values.isEmpty && values.allSatisfy(CellText.isNumeric)
        }
        var lines = ["| " + table.columns.map(escape).joined(separator: " | ") + " |"]
        lines.append("|" + numeric.map { $0 ? " ---: |" : " --- |" }.joined())
        for (rowIndex, row) in table.rows.enumerated() {
            let highlighted = table.highlightedRows.contains(rowIndex)
            let cells = row.map { value -> String in
                let text = escape(CellText.human(value))
                return highlighted && !text.isEmpty ? "**\(text)**" : text
            }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r\n", with: "<br>")
            .replacingOccurrences(of: "\n", with: "<br>")
    }
}
