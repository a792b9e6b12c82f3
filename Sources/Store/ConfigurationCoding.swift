import Engine
import Foundation

/// How a `TrainingConfiguration` is stored: whole as JSON in `runs.config` (camel-case keys, decodable back), and
/// field by field in `params` (snake-case keys: the names of sweep specs and the query language).
enum ConfigurationCoding {
    static func json(_ configuration: TrainingConfiguration) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }

    /// Decodes a stored configuration. Fields missing from it (written by an older Logbook, before the field
    /// existed) take today's defaults; fields this version does not know are ignored.
    static func configuration(fromJSON json: String, runID: Int64) throws -> TrainingConfiguration {
        do {
            let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfiguration()))
            let stored = try JSONSerialization.jsonObject(with: Data(json.utf8))
            guard let defaultFields = defaults as? [String: Any], let storedFields = stored as? [String: Any] else {
                throw StoreError("not a JSON object")
            }
            let merged = defaultFields.merging(storedFields) { $1 }
            let data = try JSONSerialization.data(withJSONObject: merged)
            return try JSONDecoder().decode(TrainingConfiguration.self, from: data)
        } catch {
            throw StoreError("run \(runID) has an unreadable configuration: \(error)")
        }
    }

    /// Every field of the configuration JSON (from `json(_:)`) as (snake_case key, typed value): booleans as 0/1,
    /// integer lists (layers) as `64-128-10`; nil optionals are absent from the JSON and so from the result.
    /// Measured (perf, release): parsing the JSON once costs less than `Mirror` (≈ 2×) or a Codable decode with
    /// failed type attempts (≈ 10×).
    static func parameters(fromJSON json: String) throws -> [(String, SQLValue)] {
        guard let fields = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw StoreError("configuration is not a JSON object")
        }
        return fields.keys.sorted().map { key in (snakeCase(key), value(fields[key]!)) }
    }

    private static func value(_ field: Any) -> SQLValue {
        switch field {
        case let text as String: return .text(text)
        case let list as [Any]: return .text(list.map { value($0).description }.joined(separator: "-"))
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": return .integer(number.boolValue ? 1 : 0)
            case "d", "f": return .real(number.doubleValue)
            case "Q": return .integer(Int64(bitPattern: number.uint64Value))
            default: return .integer(number.int64Value)
            }
        default: return .null
        }
    }

    /// `learningRate` → `learning_rate` (the key strategy of `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`
    /// for plain camel-case names).
    static func snakeCase(_ name: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count + 4)
        for byte in name.utf8 {
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                bytes.append(UInt8(ascii: "_"))
                bytes.append(byte + 32)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension SQLValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return value
        case .blob(let value): return "<\(value.count) bytes>"
        }
    }
}
