import Store

/// JSON output: an array of objects, one per row, keys in column order (stable), pretty-printed one row per line:
///
///     [
///       {"run_id": 1, "initializer": "he-uniform", "test_accuracy": 0.9123},
///       {"run_id": 2, "initializer": "zeros", "test_accuracy": null}
///     ]
///
/// Integers and finite reals are JSON numbers (reals in shortest round-trip form); NaN and ±∞ become `null`
/// (JSON has no spelling for them); blobs are hex strings. Strings are escaped per RFC 8259.
public enum JSONWriter {
    public static func render(_ table: ResultTable) -> String {
        if table.rows.isEmpty { return "[]\n" }
        let keys = table.columns.map(quote)
        let objects = table.rows.map { row in
            "  {" + zip(keys, row).map { "\($0): \(value($1))" }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// One value as JSON.
    public static func value(_ value: SQLValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let integer): return String(integer)
        case .real(let real): return real.isFinite ? CellText.exactReal(real) : "null"
        case .text(let text): return quote(text)
        case .blob: return quote(CellText.exact(value))
        }
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t`, … or `\u00XX`.
    public static func quote(_ text: String) -> String {
        "\"" + TextEscaping.escape(text, escaped) + "\""
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{08}": return "\\b"
        case "\u{0C}": return "\\f"
        case let control where control.value < 0x20:
            let hex = String(control.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: return nil
        }
    }
}

/// The formats every listing command offers.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, json, markdown

    /// Renders `table`; `colour` only affects the text table.
    public func render(_ table: ResultTable, colour: Bool = false) -> String {
        switch self {
        case .table: return TextTableRenderer(colour: colour).render(table)
        case .csv: return CSVWriter.render(table)
        case .json: return JSONWriter.render(table)
        case .markdown: return MarkdownTableWriter.render(table)
        }
    }
}
