import Engine
import Foundation

/// A worker's prepared datasets, kept across trials: a trial whose data settings (source, test source, label column,
/// task, synthetic size, validation and test fractions, validation indices file, stratification, scaling, seed — everything
/// `DataPipeline.prepare` reads) equal an earlier trial's trains on the same `PreparedData` instead of loading,
/// splitting and scaling again. `prepare` is a pure function of those settings, and the trainer never mutates its
/// data, so a cached dataset is bit for bit the one a fresh load would give.
///
/// At most `capacity` datasets are kept (the most recently used; MNIST is ≈ 200 MB as Float32), so a sweep over
/// several sources or seeds does not grow without bound. Thread-safe.
public final class PreparedDataCache: @unchecked Sendable {
    public let capacity: Int
    private let lock = NSLock()
    private var entries: [(settings: DataSettings, data: PreparedData)] = []
    public private(set) var hits = 0
    public private(set) var misses = 0

    public init(capacity: Int = 1) {
        self.capacity = max(1, capacity)
    }

    /// The process's cache, used by sweep workers (`EngineTrialTraining`).
    public static let shared = PreparedDataCache()

    /// The prepared data for `settings`: cached, or prepared now (and cached, dropping the least recently used).
    public func data(for settings: DataSettings) throws -> PreparedData {
        lock.lock()
        defer { lock.unlock() }
        if let index = entries.firstIndex(where: { $0.settings == settings }) {
            hits += 1
            let entry = entries.remove(at: index)
            entries.append(entry)
            return entry.data
        }
        misses += 1
        let data = try DataPipeline.prepare(settings)
        entries.append((settings, data))
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        return data
    }
}
