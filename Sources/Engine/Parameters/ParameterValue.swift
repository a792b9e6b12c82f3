/// One value of a hyperparameter, as written in a sweep spec, on the command line, or in the store's `params` table.
///
/// Numbers keep the kind they were written with (`32` is `.int`, `0.1` is `.double`); the mapping onto
/// `TrainingConfiguration` (`setParameter`) converts where the field asks for it (an integral `.double` fits an
/// `Int` field, an `.int` fits a `Double` field, `"true"` fits a `Bool` field).
public enum ParameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)

    /// Reads a value typed on the command line: `true`/`false` ⇒ `.bool`, an integer ⇒ `.int`, another number
    /// (`0.1`, `1e-3`) ⇒ `.double`, anything else ⇒ `.string` (`he-uniform`, `64-64-10`).
    public init(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "true" || trimmed == "false" {
            self = .bool(trimmed == "true")
        } else if let integer = Int(trimmed) {
            self = .int(integer)
        } else if let number = Double(trimmed), trimmed.rangeOfCharacter(from: .letters.subtracting(["e", "E"])) == nil {
            self = .double(number)
        } else {
            self = .string(trimmed)
        }
    }

    /// The value as the user would type it: `32`, `0.1`, `he-uniform`, `true`.
    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .double(let value): return ParameterValue.format(value)
        case .string(let value): return value
        case .bool(let value): return value ? "true" : "false"
        }
    }

    /// For tables: like `description`, with non-integral numbers cut to 4 significant digits (`0.05061`).
    public var displayText: String {
        if case .double(let value) = self, value != value.rounded() { return String(format: "%.4g", value) }
        return description
    }

    /// The value as a Double when it is a number (`.int` or `.double`).
    public var number: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        case .string(let value): return Double(value)
        case .bool: return nil
        }
    }

    /// Shortest text that reads back to the same Double (`0.1`, `1e-05`, `3`).
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(format: "%.0f", value) }
        return "\(value)"
    }

    // Codable: a bare JSON scalar (`32`, `0.1`, `"relu"`, `true`), the form the spec's JSON copy in the store uses.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}

import Foundation
