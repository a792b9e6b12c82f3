import Engine
import Foundation

extension SweepSpec.Document {
    /// `{"type":"asha","min_epochs":1,"eta":3}` or `{"type":"median","warmup_epochs":0,"min_trials":5}`.
    struct EarlyTerminateEntry: Codable {
        var type: String
        var warmupEpochs: Int?
        var minTrials: Int?
        var minEpochs: Int?
        var eta: Int?

        enum CodingKeys: String, CodingKey {
            case type, eta
            case warmupEpochs = "warmup_epochs"
            case minTrials = "min_trials"
            case minEpochs = "min_epochs"
        }

        init(_ rule: EarlyTermination) {
            type = rule.kind.rawValue
            switch rule {
            case .median(let warmup, let minTrials): (warmupEpochs, self.minTrials) = (warmup, minTrials)
            case .asha(let minEpochs, let eta), .hyperband(let minEpochs, let eta): (self.minEpochs, self.eta) = (minEpochs, eta)
            }
        }

        var rule: EarlyTermination? {
            EarlyTermination.Kind(rawValue: type).map {
                EarlyTermination.make(kind: $0, warmupEpochs: warmupEpochs, minTrials: minTrials, minEpochs: minEpochs, eta: eta)
            }
        }
    }

    /// `{"startup_trials":10,"candidates":24,"multivariate":false,"constant_liar":true}`.
    struct TPEEntry: Codable {
        var startupTrials: Int
        var candidates: Int
        var multivariate: Bool
        var constantLiar: Bool

        enum CodingKeys: String, CodingKey {
            case candidates, multivariate
            case startupTrials = "startup_trials"
            case constantLiar = "constant_liar"
        }

        init(_ settings: TPESettings) {
            (startupTrials, candidates, multivariate, constantLiar) =
                (settings.startupTrials, settings.candidates, settings.multivariate, settings.constantLiar)
        }

        var settings: TPESettings {
            TPESettings(startupTrials: startupTrials, candidates: candidates, multivariate: multivariate, constantLiar: constantLiar)
        }
    }
}

extension SweepSpec {
    /// A spec read back from its stored JSON (`sweeps.spec`, written by `json(base:)`) with the base configuration it
    /// was planned from: what a worker needs to suggest (tpe) and to prune. Throws when the JSON is not a spec.
    public static func stored(json: String) throws -> (spec: SweepSpec, base: TrainingConfiguration) {
        let document: Document
        do { document = try JSONDecoder().decode(Document.self, from: Data(json.utf8)) } catch {
            throw SweepError("the sweep's stored spec is unreadable: \(error)")
        }
        guard let method = Method(rawValue: document.method), let goal = Goal(rawValue: document.metric.goal) else {
            throw SweepError("the sweep's stored spec has an unknown method '\(document.method)' or goal '\(document.metric.goal)'")
        }
        var spec = SweepSpec(
            name: document.name, method: method, metric: Metric(name: document.metric.name, goal: goal),
            parameters: try document.parameters.map { try $0.parameter }, runCap: document.runCap, seeds: document.seeds,
            sweepSeed: document.seed)
        spec.metricIsExplicit = true
        spec.earlyTermination = document.earlyTerminate?.rule
        spec.tpe = document.tpe?.settings ?? TPESettings()
        return (spec, document.base ?? TrainingConfiguration())
    }
}

extension SweepSpec.Document.Entry {
    var parameter: SweepSpec.Parameter {
        get throws {
            if let value { return .init(name: name, domain: .fixed(value)) }
            if let values { return .init(name: name, domain: .values(values)) }
            guard let distribution, let min, let max else { throw SweepError("the stored parameter '\(name)' has no domain") }
            switch distribution {
            case "uniform": return .init(name: name, domain: .uniform(min: min, max: max))
            case "log_uniform": return .init(name: name, domain: .logUniform(min: min, max: max))
            case "int_uniform": return .init(name: name, domain: .intUniform(min: Int(min), max: Int(max)))
            case "q_uniform": return .init(name: name, domain: .qUniform(min: min, max: max, q: q ?? 1))
            default: throw SweepError("the stored parameter '\(name)' has an unknown distribution '\(distribution)'")
            }
        }
    }
}
