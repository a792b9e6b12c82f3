import Foundation
import Store

/// How values read in text formats.
public enum CellText {
    /// For human-facing formats (table, Markdown): reals with 4 significant digits (`0.9123`, `2.303`, `1e-05`),
    /// integers as-is, NULL as an empty cell, blobs as `<N bytes>`.
    public static func human(_ value: SQLValue) -> String {
        text(of: value, real: formatReal, blob: { "<\($0.count) bytes>" })
    }

    /// For machine-facing formats (CSV): reals in their shortest round-tripping form, NULL empty, blobs hex.
    public static func exact(_ value: SQLValue) -> String {
        text(of: value, real: exactReal, blob: { bytes in bytes.map { String(format: "%02x", $0) }.joined() })
    }

    /// The two forms agree on NULL (empty), integers and text (as they are); they differ in reals and blobs.
    private static func text(of value: SQLValue, real: (Double) -> String, blob: ([UInt8]) -> String) -> String {
        switch value {
        case .null: return ""
        case .integer(let integer): return String(integer)
        case .real(let number): return real(number)
        case .text(let text): return text
        case .blob(let bytes): return blob(bytes)
        }
    }

    /// `%.4g` below 10⁴ (`0.9123`, `2.303`, `0.001`, `1e-05`, `1235`); from 10⁴ to 10¹⁵ rounded to a whole number
    /// (`10000`, `824412`: `%.4g` would print `1e+04` and `8.244e+05`); `%.4g` again beyond (`3.2e+20`); `nan`,
    /// `inf`, `-inf` for non-finite values.
    public static func formatReal(_ real: Double) -> String {
        if real.isNaN { return "nan" }
        if real.isInfinite { return real > 0 ? "inf" : "-inf" }
        if abs(real) >= 1e4, abs(real) < 1e15 { return String(format: "%.0f", real) }
        return String(format: "%.4g", real)
    }

    /// Shortest representation that reads back to the same double (`0.1`, `64.0`, `1e-05`).
    public static func exactReal(_ real: Double) -> String {
        if real.isNaN { return "nan" }
        if real.isInfinite { return real > 0 ? "inf" : "-inf" }
        return "\(real)"
    }

    /// Numbers align right in tables.
    public static func isNumeric(_ value: SQLValue) -> Bool {
        switch value {
        case .integer, .real: return true
        default: return false
        }
    }
}
