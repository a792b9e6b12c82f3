import XCTest

@testable import Engine

/// A dataset's non-zeros kept once (`SparseRows`, `Dataset.sparseFeatures`) against compressing every batch as it
/// comes: the same entries, the same decisions, bit-identical training and evaluation.
final class SparseRowsTests: XCTestCase {
    /// 300 samples of 200 features, ≈ 20 % non-zero, 10 classes; the first `denseRows` rows wholly non-zero.
    private func mostlyZeroDataset(denseRows: Int = 0) -> Dataset {
        var generator = Xoshiro256StarStar(seed: 11, stream: "test")
        let (samples, features) = (300, 200)
        let values: [Float] = (0..<(samples * features)).map { index in
            let nonZero = index / features < denseRows || generator.nextUnit() < 0.2
            return nonZero ? Float(generator.nextUnit()) + 0.01 : 0
        }
        return Dataset(
            name: "mostly-zero", features: Matrix(rows: samples, columns: features, values: values),
            labels: (0..<samples).map { Int32($0 % 10) }, classCount: 10)
    }

    func testTheRowsHoldWhatCompressingTheMatrixFinds() throws {
        let dataset = mostlyZeroDataset()
        let rows = try XCTUnwrap(SparseRows(dataset.features))
        XCTAssertEqual(rows.nonZeroCount, dataset.features.values.filter { $0 != 0 }.count)
        for row in [0, 7, 299] {
            let dense = Array(dataset.features.values[(row * 200)..<((row + 1) * 200)])
            let range = Int(rows.rowStart[row])..<Int(rows.rowStart[row + 1])
            XCTAssertEqual(rows.columns[range].map(Int.init), dense.indices.filter { dense[$0] != 0 })
            XCTAssertEqual(Array(rows.values[range]), dense.filter { $0 != 0 })
        }
        // Too dense as a whole (all ones): no rows kept, batches take the GEMM.
        XCTAssertNil(SparseRows(Matrix(rows: 4, columns: 5, repeating: 1)))
    }

    /// Gathering rows 5, 2, 9 of the kept non-zeros equals compressing those rows gathered dense; a batch over the
    /// density limit is refused by both.
    func testGatheringEqualsCompressingTheGatheredRows() throws {
        let dataset = mostlyZeroDataset(denseRows: 3)
        let rows = try XCTUnwrap(SparseRows(dataset.features))
        let (gathered, compressed) = (SparseBatch(), SparseBatch())
        let order = [5, 2, 9]
        XCTAssertTrue(gathered.gather(rows, count: 2, row: { [5, 9][$0] }))
        XCTAssertFalse(gathered.gather(rows, count: 3, row: { order[$0] }), "row 2 is wholly non-zero: 40 % of the batch")
        let denseBatch = dataset.features.gatherRows(order).values
        XCTAssertFalse(denseBatch.withUnsafeBufferPointer { compressed.compress($0.baseAddress!, rows: 3, columns: 200) })

        let layer = { () -> Dense in
            let dense = Dense(inputWidth: 200, outputWidth: 70)
            dense.acceptsSparseInput = true
            var generator = Xoshiro256StarStar(seed: 3, stream: "weights")
            dense.weight.values = (0..<(200 * 70)).map { _ in Float(generator.nextUnit()) - 0.5 }
            return dense
        }
        let (fromRows, fromDense) = (layer(), layer())
        let sparseOutput = try XCTUnwrap(fromRows.forward(sparse: rows, batch: 2, row: { [5, 9][$0] }))
        let expected = dataset.features.gatherRows([5, 9]).values.withUnsafeBufferPointer {
            Array(UnsafeBufferPointer(start: fromDense.forward($0.baseAddress!, batch: 2, training: true), count: 140))
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: sparseOutput, count: 140)), expected)
    }

    /// Two epochs, batch 32, shuffled and in order, with plain SGD (the fused update) and with momentum (backward,
    /// then the step); in order, the first batch (20 wholly non-zero rows) is too dense for the sparse products:
    /// the same losses and test evaluation to the bit with and without the kept non-zeros.
    func testTrainingAndEvaluationAreBitIdenticalWithTheKeptNonZeros() throws {
        let dataset = mostlyZeroDataset(denseRows: 20)
        for (optimizer, shuffle) in [(OptimizerKind.sgd, true), (.sgd, false), (.momentum, true), (.momentum, false)] {
            func run(keepNonZeros: Bool) throws -> TrainingResult {
                let train = keepNonZeros ? dataset.withSparseFeatures() : dataset
                XCTAssertEqual(train.sparseFeatures != nil, keepNonZeros)
                var configuration = TrainingConfiguration()
                configuration.layers = [0, 70, 0]
                configuration.epochs = 2
                configuration.batchSize = 32
                configuration.learningRate = 0.05
                configuration.optimizer = optimizer
                configuration.momentum = optimizer == .momentum ? 0.9 : 0
                configuration.shuffle = shuffle
                let summary = DatasetSummary(
                    name: "mostly-zero", contentHash: "", featureCount: 200, classCount: 10, trainSize: 300, validationSize: 0,
                    testSize: 300)
                return try Trainer(configuration: configuration, data: PreparedData(train: train, validation: nil, test: train, summary: summary)).run()
            }
            let (kept, compressedPerBatch) = (try run(keepNonZeros: true), try run(keepNonZeros: false))
            XCTAssertEqual(kept.losses.count, 20)
            XCTAssertEqual(kept.losses, compressedPerBatch.losses, "\(optimizer), shuffle \(shuffle)")
            XCTAssertEqual(kept.test?.loss, compressedPerBatch.test?.loss)
            XCTAssertEqual(kept.test?.accuracy, compressedPerBatch.test?.accuracy)
        }
    }
}
