import Engine
import Foundation
import Store

/// The content hashes of a sweep's data sources that live in files (`csv:`, `idx:`, `mnist:`, `*.csv`), taken when
/// the sweep is planned and kept in its stored spec (`sweeps.spec`, `"data_hashes"`): on many machines every worker
/// loads the data on its own host, and a trial whose data differs from what the sweep was planned on fails with one
/// line instead of training on other data. Bundled and synthetic sources are not recorded: they are decided by the
/// configuration (synthetic ones by their seed: same seed ⇒ same data ⇒ same hash), not by a host's files.
///
/// The hash is `DatasetSummary.contentHash` (the loaded data before splitting, then the separate test set, then the
/// validation indices of a `validation_indices` file), which for a file source depends only on the source, the test
/// source, the label column, the task and the indices file — the key.
public struct SweepDataHashes: Sendable, Equatable {
    /// Key (`DataSettings` → `key(_:)`) → content hash.
    public var hashes: [String: String] = [:]

    public init(hashes: [String: String] = [:]) { self.hashes = hashes }

    /// The key of a file-backed setting; nil when neither the source, the test source nor validation indices are files.
    public static func key(_ settings: DataSettings) -> String? {
        guard isFile(settings.data) || settings.testData.map(isFile) == true || settings.validationIndices != nil else {
            return nil
        }
        var parts = [settings.data, settings.testData ?? "", settings.labelColumn ?? "", settings.task?.rawValue ?? ""]
        if let indices = settings.validationIndices { parts.append(indices) }
        return parts.joined(separator: "|")
    }

    static func isFile(_ source: String) -> Bool {
        let name = source.split(separator: ":", maxSplits: 1).first.map(String.init) ?? source
        return !DataPipeline.bundledNames.contains(source) && !DataPipeline.syntheticNames.contains(name)
    }

    /// Records the hash of `summary`, loaded for `settings`, when the setting is file-backed.
    mutating func record(_ summary: DatasetSummary, for settings: DataSettings) {
        if let key = SweepDataHashes.key(settings) { hashes[key] = summary.contentHash }
    }

    /// Throws when `summary` (the data this host loaded for `settings`) differs from the hash the sweep recorded:
    /// `dataset 'csv:/data/x.csv' on host B differs from the sweep's (hash H here, G recorded)`.
    public func check(_ summary: DatasetSummary, for settings: DataSettings, host: String = Provenance.hostName) throws {
        guard let key = SweepDataHashes.key(settings), let recorded = hashes[key], recorded != summary.contentHash else { return }
        throw SweepError(
            "dataset '\(settings.data)' on host \(host) differs from the sweep's (hash \(summary.contentHash) here, \(recorded) recorded)")
    }

    /// The hashes kept in a stored spec; empty when it has none (sweeps planned before, or without file sources).
    public static func stored(json: String) -> SweepDataHashes {
        struct Holder: Decodable {
            var dataHashes: [String: String]?
            enum CodingKeys: String, CodingKey { case dataHashes = "data_hashes" }
        }
        let holder = try? JSONDecoder().decode(Holder.self, from: Data(json.utf8))
        return SweepDataHashes(hashes: holder?.dataHashes ?? [:])
    }
}
