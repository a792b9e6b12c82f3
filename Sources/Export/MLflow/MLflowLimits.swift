/// What an MLflow tracking server accepts (`mlflow/utils/validation.py`): per `runs/log-batch` call at most 1000
/// metrics and 100 params or tags; keys of at most 250 characters made of letters, digits, `_ - . / :` and spaces,
/// that stay themselves as a path (`a/../b` or `/a` are refused); param values of at most 6000 characters, tag
/// values of at most 8000; finite metric values.
enum MLflowLimits {
    static let metricsPerBatch = 1000
    static let paramsOrTagsPerBatch = 100
    static let keyLength = 250
    static let paramValueLength = 6000
    static let tagValueLength = 8000

    /// Why MLflow would refuse `key` as a metric, param or tag name (nil when it accepts it).
    static func keyProblem(_ key: String) -> String? {
        if key.isEmpty { return "an empty name" }
        if key.count > keyLength { return "a name longer than \(keyLength) characters" }
        let allowed = key.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil || "_-./: ".unicodeScalars.contains(scalar)
        }
        if !allowed { return "characters MLflow forbids in names (only letters, digits, _ - . / : and spaces)" }
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        if key.hasPrefix("/") || parts.contains(where: { $0 == "." || $0 == ".." || $0.isEmpty }) {
            return "a name that is not a plain path"
        }
        return nil
    }
}
