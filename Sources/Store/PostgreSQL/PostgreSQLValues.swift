import CPostgreSQL
import Foundation

/// The rows of one statement (libpq text format), read as `SQLValue`s by column type: integers (int2/4/8), reals
/// (float4/8, numeric with a fraction), booleans as 0/1, bytea as blobs, jsonb scalars as what they hold, the rest
/// as text. Owns the libpq result.
final class PostgreSQLResult {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { PQclear(handle) }

    var rowCount: Int { Int(PQntuples(handle)) }
    var columnCount: Int { Int(PQnfields(handle)) }
    /// Rows a command changed (`UPDATE`, `INSERT`, `DELETE`); 0 when it says nothing.
    var changedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }
    var columnNames: [String] { (0..<columnCount).map { String(cString: PQfname(handle, Int32($0))) } }

    func isNull(row: Int, column: Int) -> Bool { PQgetisnull(handle, Int32(row), Int32(column)) == 1 }

    func text(row: Int, column: Int) -> String { String(cString: PQgetvalue(handle, Int32(row), Int32(column))) }
    func optionalText(row: Int, column: Int) -> String? { isNull(row: row, column: column) ? nil : text(row: row, column: column) }
    func int64(row: Int, column: Int) -> Int64 { Int64(text(row: row, column: column)) ?? 0 }
    func optionalInt64(row: Int, column: Int) -> Int64? { isNull(row: row, column: column) ? nil : int64(row: row, column: column) }
    func int(row: Int, column: Int) -> Int { Int(int64(row: row, column: column)) }
    func optionalInt(row: Int, column: Int) -> Int? { optionalInt64(row: row, column: column).map(Int.init) }
    func double(row: Int, column: Int) -> Double { PostgreSQLResult.parseDouble(text(row: row, column: column)) }
    func optionalDouble(row: Int, column: Int) -> Double? { isNull(row: row, column: column) ? nil : double(row: row, column: column) }

    /// The bytes of a bytea column (text format: `\x` and hex digits).
    func bytes(row: Int, column: Int) -> [UInt8] {
        var length = 0
        guard let escaped = PQgetvalue(handle, Int32(row), Int32(column)),
            let raw = escaped.withMemoryRebound(to: UInt8.self, capacity: 1, { PQunescapeBytea($0, &length) })
        else { return [] }
        defer { PQfreemem(raw) }
        return [UInt8](UnsafeBufferPointer(start: raw, count: length))
    }

    /// The raw bytes of a value of a binary result (a `BINARY` cursor's rows), for `body` only.
    func withBinary<T>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        guard PQfformat(handle, Int32(column)) == 1 else { throw StoreError("expected a binary result column") }
        guard let value = PQgetvalue(handle, Int32(row), Int32(column)) else { throw StoreError("no value") }
        return try body(UnsafeRawBufferPointer(start: value, count: Int(PQgetlength(handle, Int32(row), Int32(column)))))
    }

    /// The value as Logbook's stores type it.
    func value(row: Int, column: Int) -> SQLValue {
        if isNull(row: row, column: column) { return .null }
        let text = self.text(row: row, column: column)
        switch PQftype(handle, Int32(column)) {
        case 20, 21, 23, 26: return .integer(Int64(text) ?? 0)
        case 700, 701: return .real(PostgreSQLResult.parseDouble(text))
        case 1700: return Int64(text).map(SQLValue.integer) ?? .real(PostgreSQLResult.parseDouble(text))
        case 16: return .integer(text == "t" ? 1 : 0)
        case 17: return .blob(bytes(row: row, column: column))
        case 114, 3802: return PostgreSQLResult.jsonScalar(text)
        default: return .text(text)
        }
    }

    func row(_ row: Int) -> [SQLValue] { (0..<columnCount).map { value(row: row, column: $0) } }

    static func parseDouble(_ text: String) -> Double {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text) ?? .nan
        }
    }

    /// A JSON scalar as a value: numbers as integers when integral in form, strings as text, booleans as 0/1.
    static func jsonScalar(_ json: String) -> SQLValue {
        if json == "null" { return .null }
        if json == "true" { return .integer(1) }
        if json == "false" { return .integer(0) }
        if let integer = Int64(json) { return .integer(integer) }
        if let real = Double(json) { return .real(real) }
        if json.hasPrefix("\""), let string = try? JSONDecoder().decode(String.self, from: Data(json.utf8)) {
            return .text(string)
        }
        return .text(json)
    }
}

/// Bound parameters in libpq's layout: a type, a value, a length and a format per parameter.
struct PostgreSQLParameters {
    private var types: [UInt32] = []
    private var buffer: [UInt8] = []
    private var offsets: [Int?] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ values: [SQLValue]) {
        for value in values {
            switch value {
            case .null: append(type: 0, bytes: nil, binary: false)
            case .integer(let integer): append(type: 20, bytes: Array(String(integer).utf8), binary: false)
            case .real(let real): append(type: 701, bytes: Array(PostgreSQLParameters.text(real).utf8), binary: false)
            case .text(let text): append(type: 25, bytes: Array(text.utf8), binary: false)
            case .blob(let bytes): append(type: 17, bytes: bytes, binary: true)
            }
        }
    }

    /// A double as PostgreSQL reads it back exactly (shortest round-trip digits; NaN and infinities spelled out).
    static func text(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return "\(value)"
    }

    private mutating func append(type: UInt32, bytes: [UInt8]?, binary: Bool) {
        types.append(type)
        formats.append(binary ? 1 : 0)
        guard let bytes else {
            offsets.append(nil)
            lengths.append(0)
            return
        }
        offsets.append(buffer.count)
        lengths.append(Int32(bytes.count))
        buffer += bytes
        buffer.append(0)
    }

    func withPointers<T>(
        _ body: (
            UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?
        ) throws -> T
    ) rethrows -> T {
        try buffer.withUnsafeBytes { raw in
            let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                guard let offset, let base else { return nil }
                return UnsafePointer(base + offset)
            }
            return try pointers.withUnsafeBufferPointer { values in
                try types.withUnsafeBufferPointer { types in
                    try lengths.withUnsafeBufferPointer { lengths in
                        try formats.withUnsafeBufferPointer { formats in
                            try body(types.baseAddress, values.baseAddress, lengths.baseAddress, formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}

/// PostgreSQL connection URLs: which strings are ones, and the same URL with its password removed.
enum PostgreSQLURL {
    /// True for `postgresql://…` and `postgres://…`.
    static func isPostgreSQL(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// The URL without a password: `postgresql://user:secret@host/db?password=x&sslmode=require` becomes
    /// `postgresql://user@host/db?sslmode=require`.
    static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        var rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        var tail = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            let user = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            authority = String(user) + String(authority[at...])
        }
        if let question = tail.firstIndex(of: "?") {
            let query = tail[tail.index(after: question)...].split(separator: "&")
                .filter { !$0.lowercased().hasPrefix("password=") }
            tail = String(tail[..<question]) + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }
        rest = Substring(authority + tail)
        return String(url[..<schemeEnd.upperBound]) + rest
    }

    /// The password written in the URL (`user:PASSWORD@` or `?password=`), percent-decoded; nil when none.
    static func password(in url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            let encoded = String(authority[authority.index(after: colon)..<at])
            return encoded.removingPercentEncoding ?? encoded
        }
        if let question = rest.firstIndex(of: "?") {
            for item in rest[rest.index(after: question)...].split(separator: "&") where item.lowercased().hasPrefix("password=") {
                let encoded = String(item.dropFirst("password=".count))
                return encoded.removingPercentEncoding ?? encoded
            }
        }
        return nil
    }
}

extension StoreError {
    /// A PostgreSQL error as one line naming the server (never its password); `sqlState` kept in `postgreSQLState`.
    static func postgreSQL(_ message: String, sqlState: String?, url: String) -> StoreError {
        var error = StoreError("PostgreSQL error on \(url): \(message)")
        error.postgreSQLState = sqlState
        return error
    }
}
