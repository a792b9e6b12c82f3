import Engine
import Foundation

extension SweepSpec {
    /// The spec as JSON for `sweeps.spec`, in the YAML spec's vocabulary (parameters in spec order as a list):
    /// `{"name":…,"method":"grid","metric":{"name":…,"goal":…},"seeds":1,"seed":0,"run_cap":null,
    ///   "parameters":[{"name":"batch_size","values":[16,32]}, {"name":"lr","distribution":"log_uniform","min":…}],
    ///   "base":{…TrainingConfiguration…}}`. `base` holds the settings the spec leaves to defaults or flags;
    /// `"data_hashes":{key: hash}` the file-backed data sources' hashes at planning (`SweepDataHashes`), when any.
    public func json(base: TrainingConfiguration, dataHashes: SweepDataHashes = SweepDataHashes()) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var document = Document(spec: self, base: base)
        document.dataHashes = dataHashes.hashes.isEmpty ? nil : dataHashes.hashes
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    /// The varied parameter names of a stored spec (`sweeps.spec`), for leaderboards; empty when unreadable.
    public static func variedParameterNames(fromJSON json: String) -> [String] {
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(json.utf8)) else { return [] }
        return document.parameters.filter { entry in
            if entry.value != nil { return false }
            if let values = entry.values { return values.count > 1 }
            return true
        }.map(\.name)
    }

    struct Document: Codable {
        struct Metric: Codable { var name: String; var goal: String }
        struct Entry: Codable {
            var name: String
            var value: ParameterValue?
            var values: [ParameterValue]?
            var distribution: String?
            var min: Double?
            var max: Double?
            var q: Double?
        }
        var name: String
        var method: String
        var metric: Metric
        var seeds: Int
        var seed: UInt64
        var runCap: Int?
        var parameters: [Entry]
        var base: TrainingConfiguration?
        /// Absent for sweeps without early termination (and in specs stored before it existed).
        var earlyTerminate: EarlyTerminateEntry?
        /// Present for method tpe only.
        var tpe: TPEEntry?
        /// Absent when the sweep has no file-backed data source (and in specs stored before it existed).
        var dataHashes: [String: String]?

        enum CodingKeys: String, CodingKey {
            case name, method, metric, seeds, seed, parameters, base, tpe
            case dataHashes = "data_hashes"
            case runCap = "run_cap"
            case earlyTerminate = "early_terminate"
        }

        init(spec: SweepSpec, base: TrainingConfiguration) {
            name = spec.name
            method = spec.method.rawValue
            metric = Metric(name: spec.metric.name, goal: spec.metric.goal.rawValue)
            seeds = spec.seeds
            seed = spec.sweepSeed
            runCap = spec.runCap
            self.base = base
            earlyTerminate = spec.earlyTermination.map(EarlyTerminateEntry.init)
            tpe = spec.method == .tpe ? TPEEntry(spec.tpe) : nil
            parameters = spec.parameters.map { parameter in
                var entry = Entry(name: parameter.name)
                switch parameter.domain {
                case .fixed(let value): entry.value = value
                case .values(let values): entry.values = values
                case .uniform(let min, let max): (entry.distribution, entry.min, entry.max) = ("uniform", min, max)
                case .logUniform(let min, let max): (entry.distribution, entry.min, entry.max) = ("log_uniform", min, max)
                case .intUniform(let min, let max):
                    (entry.distribution, entry.min, entry.max) = ("int_uniform", Double(min), Double(max))
                case .qUniform(let min, let max, let q):
                    (entry.distribution, entry.min, entry.max, entry.q) = ("q_uniform", min, max, q)
                }
                return entry
            }
        }
    }
}
