import Engine
import Report
import Store

/// A JSON value as the API answers it, rendered compactly with the report's JSON writer (keys in the order given;
/// NaN and ±∞ as `null`, which JSON cannot spell).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (left: JSONValue, right: JSONValue) -> Bool { left.text == right.text }

    /// A store value as JSON (blobs as hex text).
    public init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .integer(let integer): self = .integer(integer)
        case .real(let real): self = .number(real)
        case .text(let text): self = .string(text)
        case .blob: self = .string(CellText.exact(value))
        }
    }

    /// A hyperparameter's (or a `run_summary` column's) value as JSON: a flag of the registry (`batch_norm`,
    /// `shuffle`, …), which the store keeps as INTEGER 0 or 1 and shows as the text `true` or `false`, as a JSON
    /// boolean; every other value as `init(_:)` gives it.
    static func parameter(_ key: String, _ value: SQLValue) -> JSONValue {
        guard Hyperparameter.flagNames.contains(key) else { return JSONValue(value) }
        switch value {
        case .integer(let flag): return .bool(flag != 0)
        case .text("true"): return .bool(true)
        case .text("false"): return .bool(false)
        default: return JSONValue(value)
        }
    }

    static func optional(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
    static func optional(_ value: Int?) -> JSONValue { value.map { .integer(Int64($0)) } ?? .null }
    static func optional(_ value: Int64?) -> JSONValue { value.map(JSONValue.integer) ?? .null }
    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// Compact JSON text.
    public var text: String {
        var output = ""
        write(into: &output)
        return output
    }

    func write(into output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += JSONWriter.value(.real(value))
        case .integer(let value): output += String(value)
        case .string(let value): output += JSONWriter.quote(value)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                output += JSONWriter.quote(member.0) + ":"
                member.1.write(into: &output)
            }
            output += "}"
        }
    }
}
