import Engine
import Foundation

/// Configurations decoded from stored JSON, by the JSON text, shared by every store of the process: decoding one
/// takes tens of microseconds (JSONDecoder), looking one up a hash of its text. At most `capacity` are kept; past
/// that the cache starts again empty (a sweep larger than that decodes its configurations once per refill).
final class DecodedConfigurations: @unchecked Sendable {
    static let shared = DecodedConfigurations()
    static let capacity = 20_000

    private let lock = NSLock()
    private var configurations: [String: TrainingConfiguration] = [:]

    func configuration(for json: String) -> TrainingConfiguration? {
        lock.withLock { configurations[json] }
    }

    func keep(_ configuration: TrainingConfiguration, for json: String) {
        lock.withLock {
            if configurations.count >= Self.capacity { configurations.removeAll(keepingCapacity: true) }
            configurations[json] = configuration
        }
    }

    /// How many are kept (for tests).
    var count: Int { lock.withLock { configurations.count } }
}
