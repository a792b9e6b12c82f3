import Foundation
import Store

/// Which hyperparameters a sweep swept: the one rule that the leaderboard, the live sweep display and the sweep
/// report share.
///
/// A parameter is swept when its stored value differs between the sweep's runs — every run the sweep planned,
/// whatever its status — the seed excluded (the replicates of a configuration are pooled, not told apart). Nothing
/// is assumed beyond the runs: a sweep whose runs all agree swept nothing. The keys come in the order of the spec's
/// `parameters` list in `sweeps.spec` (the order the spec was written in; data, layers, batch size, learning rate,
/// initializer, … for a sweep from flags), then any key the spec does not list, by name.
public enum SweptParameters {
    public static func keys(runParameters: [[String: SQLValue]], specJSON: String) -> [String] {
        let keys = Set(runParameters.flatMap(\.keys))
        let varying = keys.filter { key in
            key != "seed" && Set(runParameters.map { $0[key] ?? .null }).count > 1
        }
        let specOrder = specParameterNames(specJSON)
        let listed = specOrder.filter(varying.contains)
        return listed + varying.subtracting(listed).sorted()
    }

    /// The names of the spec's `parameters` list (`[{"name": "batch_size", …}, …]`), in order; empty when the spec
    /// has no such list.
    public static func specParameterNames(_ json: String) -> [String] {
        var seen: Set<String> = []
        return specParameters(json).compactMap { $0["name"] as? String }.filter { seen.insert($0).inserted }
    }

    /// The distribution the spec draws each parameter from (`log_uniform`, `uniform`, `int_uniform`, `q_uniform`), by
    /// name; parameters with grid values or a fixed value are not in it.
    public static func specDistributions(_ json: String) -> [String: String] {
        var distributions: [String: String] = [:]
        for parameter in specParameters(json) {
            if let name = parameter["name"] as? String, let distribution = parameter["distribution"] as? String {
                distributions[name] = distributions[name] ?? distribution
            }
        }
        return distributions
    }

    /// The spec's `parameters` list as JSON objects; empty when the spec has no such list.
    private static func specParameters(_ json: String) -> [[String: Any]] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let parameters = object["parameters"] as? [[String: Any]]
        else { return [] }
        return parameters
    }
}
