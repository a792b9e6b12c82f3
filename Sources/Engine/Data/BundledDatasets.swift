/// The small classic datasets compiled into the binary (scikit-learn's copies; attribution in
/// `Sources/Engine/Resources/licenses`). All are classification:
///
/// | name | samples × features | classes |
/// |---|---|---|
/// | `digits` | 1797 × 64 (pixel counts 0–16) | 10 (`0`–`9`) |
/// | `iris` | 150 × 4 | 3 (setosa, versicolor, virginica) |
/// | `wine` | 178 × 13 | 3 (class_0, class_1, class_2) |
/// | `breast-cancer` | 569 × 30 | 2 (malignant, benign) |
public enum BundledDatasets {
    public static let names = ["digits", "iris", "wine", "breast-cancer"]

    /// Loads a bundled dataset by name; an unknown name throws `unknown bundled dataset 'x' (expected one of: …)`.
    public static func load(_ name: String) throws -> Dataset {
        let (bytes, fileName): ([UInt8], String)
        switch name {
        case "digits": (bytes, fileName) = (PackageResources.digits_csv_gz, "digits.csv.gz")
        case "iris": (bytes, fileName) = (PackageResources.iris_csv_gz, "iris.csv.gz")
        case "wine": (bytes, fileName) = (PackageResources.wine_csv_gz, "wine.csv.gz")
        case "breast-cancer": (bytes, fileName) = (PackageResources.breast_cancer_csv_gz, "breast_cancer.csv.gz")
        default:
            throw EngineError("unknown bundled dataset '\(name)' (expected one of: \(names.joined(separator: ", ")))")
        }
        let text = try Gzip.inflate(bytes, name: "bundled \(fileName)")
        var dataset = try CSVLoader.parse(
            text, fileName: "bundled \(fileName)", options: CSVOptions(task: .classification), name: name)
        if name == "digits" {
            dataset.classNames = (0 ..< dataset.classCount).map(String.init)
        }
        return dataset
    }
}
