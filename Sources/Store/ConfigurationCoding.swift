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

    /// Every field as (snake_case key, typed value): booleans as 0/1, integer lists (layers) as `64-128-10`.
    static func parameters(_ configuration: TrainingConfiguration) throws -> [(String, SQLValue)] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let fields = try JSONDecoder().decode([String: ParameterValue].self, from: encoder.encode(configuration))
        return fields.keys.sorted().map { ($0, fields[$0]!.value) }
    }

    private struct ParameterValue: Decodable {
        var value: SQLValue

        init(from decoder: Decoder) throws {
            if var list = try? decoder.unkeyedContainer() {
                var parts: [String] = []
                while !list.isAtEnd {
                    if let integer = try? list.decode(Int64.self) { parts.append(String(integer)) }
                    else { parts.append(String(describing: try list.decode(Double.self))) }
                }
                value = .text(parts.joined(separator: "-"))
                return
            }
            let single = try decoder.singleValueContainer()
            if single.decodeNil() { value = .null }
            else if let flag = try? single.decode(Bool.self) { value = .integer(flag ? 1 : 0) }
            else if let integer = try? single.decode(Int64.self) { value = .integer(integer) }
            else if let integer = try? single.decode(UInt64.self) { value = .integer(Int64(bitPattern: integer)) }
            else if let real = try? single.decode(Double.self) { value = .real(real) }
            else { value = .text(try single.decode(String.self)) }
        }
    }
}
