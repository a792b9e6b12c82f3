/// The `--where` filter language of `logbook runs` (and other run queries).
///
/// Grammar (keywords case-insensitive; precedence, loosest first: `or`, `and`, `not`, comparison):
///
///     expression  := disjunction
///     disjunction := conjunction ("or" conjunction)*
///     conjunction := negation ("and" negation)*
///     negation    := "not" negation | primary
///     primary     := "(" expression ")" | predicate
///     predicate   := FIELD ("=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=") literal
///                  | FIELD ["not"] "in" "(" literal ("," literal)* ")"
///                  | FIELD ["not"] "like" STRING
///                  | FIELD "is" ["not"] "null"
///     literal     := NUMBER | STRING | "null" | "true" | "false"
///
/// Strings are quoted with `'…'` (a doubled `''` is one quote) or `"…"` (a doubled `""` is one quote). Numbers are
/// decimal, optionally signed, with an optional fraction and exponent (`64`, `-0.5`, `1e-3`). `field = null` means
/// `field is null`. The parsed `FilterExpression` is compiled by `FilterCompiler` into a parameterized SQL fragment:
/// fields are checked against a whitelist and every literal becomes a `?` binding, so no user text reaches the SQL.
public enum FilterLanguage {
    /// Parses `text` into an expression tree; throws `FilterError` naming the offending token and its position.
    public static func parse(_ text: String) throws -> FilterExpression {
        let tokens = try FilterTokenizer.tokenize(text)
        var parser = FilterParser(tokens: tokens)
        return try parser.parseAll()
    }

    /// Parses and compiles `text` against `fields`.
    public static func compile(_ text: String, fields: FilterFields) throws -> CompiledFilter {
        try FilterCompiler(fields: fields).compile(parse(text))
    }
}

/// A literal value in a filter: the SQLite storage classes a filter can compare against.
public enum FilterValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null

    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        case .null: return "null"
        }
    }
}

/// Comparison operators; `sql` is the SQLite spelling.
public enum FilterComparison: String, Sendable, Equatable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    public var sql: String { rawValue }
}

/// The parsed form of a filter.
public indirect enum FilterExpression: Sendable, Equatable {
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)
    case not(FilterExpression)
    /// `field op value`; never holds `.null` (that parses to `isNull`).
    case comparison(field: String, FilterComparison, FilterValue)
    /// `field in (values)` or, when `negated`, `field not in (values)`.
    case membership(field: String, values: [FilterValue], negated: Bool)
    /// `field like pattern` (SQLite `LIKE`: `%` any run, `_` one character, ASCII case-insensitive).
    case like(field: String, pattern: String, negated: Bool)
    /// `field is null` or, when `negated`, `field is not null`.
    case isNull(field: String, negated: Bool)
}

/// A filter that could not be parsed or compiled. `description` is one line naming the problem and the text at fault.
public struct FilterError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    /// Zero-based character offset in the filter text, when the error has one.
    public var position: Int?
    /// The field name that is not on the whitelist, for an unknown-field error.
    public var unknownField: String?

    public init(_ message: String, position: Int? = nil, unknownField: String? = nil) {
        self.message = message
        self.position = position
        self.unknownField = unknownField
    }

    public var description: String {
        if let position { return "invalid filter: \(message) (at character \(position + 1))" }
        return "invalid filter: \(message)"
    }

    /// The one line that refuses a `where` text (`logbook runs --where`, the dashboard's search box):
    /// `invalid --where "TEXT": MESSAGE (at character N)`.
    public func refusingWhere(_ filter: String) -> String {
        "invalid --where \"\(filter)\": \(message)\(position.map { " (at character \($0 + 1))" } ?? "")"
    }

    /// The one line that refuses a sort key: `invalid --sort 'KEY': MESSAGE`.
    public func refusingSort(_ key: String) -> String { "invalid --sort '\(key)': \(message)" }
}
