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

    static func configuration(fromJSON json: String, runID: Int64) throws -> TrainingConfiguration {
        do {
            return try JSONDecoder().decode(TrainingConfiguration.self, from: Data(json.utf8))
        } catch {
            throw StoreError("run \(runID) has an unreadable configuration: \(error)")
        }
    }

    /// Every field of the configuration JSON (from `json(_:)`) as (snake_case key, typed value): booleans as 0/1,
    /// integer lists (layers) as `64-128-10`. Parsed with JSONSerialization (Codable's failed attempts cost ≈ 10×).
    static func parameters(fromJSON json: String) throws -> [(String, SQLValue)] {
        guard let fields = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw StoreError("configuration is not a JSON object")
        }
        return fields.keys.sorted().map { key in (snakeCase(key), value(fields[key]!)) }
    }

    private static func value(_ field: Any) -> SQLValue {
        switch field {
        case let text as String: return .text(text)
        case let list as [Any]: return .text(list.map { "\(value($0).description)" }.joined(separator: "-"))
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
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
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
