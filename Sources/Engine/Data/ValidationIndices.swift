import Foundation

/// A validation split given as a file of sample indices (`validation_indices: PATH`): the way to evaluate on the very
/// samples another tool or a paper held out (scikit-learn's `PredefinedSplit`, a NumPy script's seeded split), so
/// that validation figures compare on the same images.
///
/// The file holds zero-based indices into the data source's samples (before any split), separated by whitespace or
/// commas — one per line as `numpy.savetxt(path, indices, fmt="%d")` writes them. Each is in `0 ..< N`, none twice,
/// at least one. Those samples are the validation set, in increasing order; the rest are split by `test_fraction`
/// into training and test exactly as a split without validation would split them (seeded, stratified when asked),
/// unless the test set is separate (`test_data`, `mnist:DIR`).
public enum ValidationIndices {
    /// The indices `path` lists, checked against a source of `sampleCount` samples. Throws a one-line
    /// `EngineError` naming the field, the file and the offending entry.
    public static func read(_ path: String, sampleCount: Int) throws -> [Int] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw problem(path, "cannot be read (\(error.localizedDescription))")
        }
        var indices: [Int] = []
        var seen = [Bool](repeating: false, count: sampleCount)
        let separators = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ","))
        for item in text.components(separatedBy: separators) where !item.isEmpty {
            guard let index = Int(item) else {
                throw problem(path, "item \(indices.count + 1) '\(item.prefix(40))' is not a sample index")
            }
            guard (0..<sampleCount).contains(index) else {
                throw problem(path, "index \(index) (item \(indices.count + 1)) is outside 0..<\(sampleCount), the source's samples")
            }
            guard !seen[index] else { throw problem(path, "index \(index) is listed twice") }
            seen[index] = true
            indices.append(index)
        }
        guard !indices.isEmpty else { throw problem(path, "lists no sample index") }
        return indices.sorted()
    }

    /// Why a file of indices cannot stand beside `validationFraction` (nil when the fraction is 0): the one rule
    /// the configuration's check and the pipeline both apply.
    static func conflict(validationFraction: Double) -> String? {
        guard validationFraction > 0 else { return nil }
        return "excludes validation_fraction \(ParameterValue.format(validationFraction)) (give one of them)"
    }

    static func problem(_ path: String, _ reason: String) -> EngineError {
        EngineError("invalid validation_indices '\(path)': \(reason)")
    }
}

extension DataSplit {
    /// The split with `validation` (sorted indices, from `ValidationIndices.read`) as the validation set; the other
    /// samples split into training and test as `indices(…validationFraction: 0…)` splits them.
    public static func indices(
        sampleCount: Int, labels: [Int32]?, validation: [Int], testFraction: Double, stratify: Bool, seed: UInt64
    ) throws -> SplitIndices {
        var held = [Bool](repeating: false, count: sampleCount)
        for index in validation { held[index] = true }
        let rest = (0..<sampleCount).filter { !held[$0] }
        guard !rest.isEmpty else {
            throw EngineError("invalid validation_indices: all \(sampleCount) samples are held out, none is left to train on")
        }
        let split = try indices(
            sampleCount: rest.count, labels: labels.map { labels in rest.map { labels[$0] } }, validationFraction: 0,
            testFraction: testFraction, stratify: stratify, seed: seed)
        return SplitIndices(train: split.train.map { rest[$0] }, validation: validation, test: split.test.map { rest[$0] })
    }
}
