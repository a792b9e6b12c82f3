import Engine
import Foundation

/// The validation split of `../shared/peers/search_stack.py`, reproduced so that `bench search` validates on the
/// very images the peer validates on (two seeded 10 % splits differ in difficulty by about as much as the searches
/// differ; comparing best validation accuracies across them compares the splits). The peer's rule:
///
///     rng = numpy.random.default_rng(0)
///     for c in 0 … 9:  idx = rng.permutation(flatnonzero(y == c));  k = round(0.1 · len(idx))  (half to even)
///                      validation += idx[:k];  train += idx[k:]
///
/// — 5,999 of MNIST's 60,000 training images (`NumpyGenerator` is NumPy's generator).
enum PeerSplit {
    static func validationIndices(labels: [Int32], classCount: Int, seed: UInt64 = 0, fraction: Double = 0.1) -> [Int] {
        var generator = NumpyGenerator(seed: seed)
        var validation: [Int] = []
        for label in 0..<Int32(classCount) {
            let members = labels.indices.filter { labels[$0] == label }
            let shuffled = generator.permutation(members)
            let count = Int((Double(members.count) * fraction).rounded(.toNearestOrEven))
            validation += shuffled[..<count]
        }
        return validation
    }

    /// Writes the peer's validation indices of the MNIST training images in `mnistDirectory` to `file`, one per line
    /// (the form `validation_indices` reads); returns how many.
    @discardableResult
    static func write(mnistDirectory: String, to file: URL) throws -> Int {
        let training = try DataPipeline.load("mnist:\(mnistDirectory)", settings: DataSettings(data: "mnist:\(mnistDirectory)"))
        guard let labels = training.labels else { throw BenchError("bench search: MNIST in \(mnistDirectory) has no labels") }
        let indices = validationIndices(labels: labels, classCount: training.classCount)
        try (indices.map(String.init).joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return indices.count
    }
}
