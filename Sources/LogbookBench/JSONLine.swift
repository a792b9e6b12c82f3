import Report

/// One measurement as a line of JSON, `{"key": value, …}`, with the keys in the order they were given (unlike
/// `JSONSerialization`), so that lines of one kind line up when printed one after the other.
public struct JSONLine: Sendable, Equatable {
    /// Each key with its value already encoded as JSON.
    public private(set) var encodedFields: [String] = []

    public init(_ fields: KeyValuePairs<String, any JSONScalar>) {
        for (key, value) in fields { append(key, value) }
    }

    public mutating func append(_ key: String, _ value: any JSONScalar) {
        encodedFields.append(key.jsonText + ": " + value.jsonText)
    }

    public var text: String { "{" + encodedFields.joined(separator: ", ") + "}" }
}

/// A value a benchmark line can hold: text, a whole number, a number, a flag.
public protocol JSONScalar: Sendable {
    /// The value as JSON.
    var jsonText: String { get }
}

extension String: JSONScalar {
    /// A JSON string (Report's `JSONWriter.quote`: quotes, backslashes and control characters escaped).
    public var jsonText: String { JSONWriter.quote(self) }
}

extension Int: JSONScalar {
    public var jsonText: String { String(self) }
}

extension Double: JSONScalar {
    /// The shortest text that reads back as the same number; `null` for NaN and infinities (JSON has neither).
    public var jsonText: String { isFinite ? "\(self)" : "null" }
}

extension Bool: JSONScalar {
    public var jsonText: String { self ? "true" : "false" }
}
