import Engine
import Foundation
import Store

extension SyntheticSweep {
    func writeRun(
        _ runID: Int64, _ configuration: TrainingConfiguration, startedAt: Double, connection: SQLiteConnection
    ) throws {
        let batchSize = configuration.batchSize
        let steps = stepsPerEpoch ?? (trainSize + batchSize - 1) / batchSize
        let totalSteps = steps * epochs
        var random = SyntheticRandom(seed: configuration.seed &* 0x9E37_79B9 &+ UInt64(batchSize) &+ UInt64(configuration.learningRate * 1e6))
        let initialLoss = log(Double(classCount))
        let learns = configuration.initializer != .zeros
        let floor = 0.05 + 0.02 * log(Double(batchSize) / 16)
        let rate = 6 * (configuration.learningRate / 0.1).squareRoot() * pow(16 / Double(batchSize), 0.25) / Double(totalSteps)
        let noiseScale = 0.25 / Double(batchSize).squareRoot()
        let samplesPerSecond = 20_000 * (Double(batchSize) / 16).squareRoot()
        let chance = 1 / Double(classCount)

        func accuracy(_ loss: Double) -> Double { min(0.99, max(chance, 1 - 0.9 * loss / initialLoss)) }

        // Iterations, in chunks of `insertChunk` rows per statement.
        let chunk = max(1, insertChunk)
        let fullSQL = "INSERT INTO iterations (run_id, step, loss) VALUES " + Array(repeating: "(?, ?, ?)", count: chunk).joined(separator: ", ")
        let full = try connection.cachedStatement(fullSQL)
        var pending: [(Int, Double)] = []
        pending.reserveCapacity(chunk)
        var epochLosses = [Double](repeating: 0, count: epochs)
        func flush(_ rows: [(Int, Double)]) throws {
            let statement = rows.count == chunk ? full : try connection.makeStatement(
                "INSERT INTO iterations (run_id, step, loss) VALUES " + Array(repeating: "(?, ?, ?)", count: rows.count).joined(separator: ", "))
            for (offset, row) in rows.enumerated() {
                let base = Int32(offset * 3)
                statement.bind(runID, at: base + 1)
                statement.bind(row.0, at: base + 2)
                statement.bind(row.1, at: base + 3)
            }
            try statement.execute()
        }
        for step in 1...totalSteps {
            let clean = learns ? floor + (initialLoss - floor) * exp(-Double(step) * rate) : initialLoss
            let loss = max(1e-4, clean + random.normal() * noiseScale * clean)
            epochLosses[(step - 1) / steps] += loss / Double(steps)
            pending.append((step, loss))
            if pending.count == chunk {
                try flush(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { try flush(pending) }

        // Epochs.
        let secondsPerEpoch = Double(steps * batchSize) / samplesPerSecond
        let gap = 0.02 * log(Double(batchSize)) / log(16.0)
        for epoch in 1...epochs {
            let loss = epochLosses[epoch - 1]
            try connection.execute(
                """
                INSERT INTO epochs (run_id, epoch, step, train_loss, train_accuracy, validation_loss, validation_accuracy,
                    learning_rate, seconds, samples_per_second)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [.integer(runID), .integer(Int64(epoch)), .integer(Int64(epoch * steps)), .real(loss), .real(accuracy(loss)),
                 .real(loss * 1.1), .real(max(chance, accuracy(loss) - gap / 2)), .real(configuration.learningRate),
                 .real(secondsPerEpoch), .real(samplesPerSecond)])
        }

        // The test evaluation, with a confusion matrix whose diagonal holds the accuracy.
        let finalLoss = epochLosses[epochs - 1]
        let trainAccuracy = accuracy(finalLoss)
        let perClass = testSize / classCount
        let correctPerClass = learns ? Int((Double(perClass) * max(chance, trainAccuracy - gap)).rounded()) : (perClass + classCount - 1) / classCount
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for actual in 0..<classCount {
            confusion[actual][actual] = correctPerClass
            for wrong in 0..<(perClass - correctPerClass) { confusion[actual][(actual + 1 + wrong) % classCount] += 1 }
        }
        let sampleCount = perClass * classCount
        let testAccuracy = Double(correctPerClass * classCount) / Double(sampleCount)
        let testLoss = finalLoss * 1.15
        let confusionJSON = "[" + confusion.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        let duration = secondsPerEpoch * Double(epochs) + 0.5
        try connection.execute(
            """
            INSERT INTO evaluations (run_id, split, epoch, sample_count, loss, accuracy, confusion, created_at)
            VALUES (?, 'test', ?, ?, ?, ?, ?, ?)
            """,
            [.integer(runID), .integer(Int64(epochs)), .integer(Int64(sampleCount)), .real(testLoss), .real(testAccuracy),
             .text(confusionJSON), .real(startedAt + duration)])
        try connection.execute(
            """
            UPDATE runs SET status = 'completed', stop_reason = 'max_epochs', started_at = ?, ended_at = ?, duration = ?,
                heartbeat_at = ?, steps_per_epoch = ?, train_size = ?, test_size = ?, validation_size = 0,
                parameter_count = ?, epochs_completed = ?, steps_completed = ?, final_train_loss = ?,
                final_train_accuracy = ?, test_loss = ?, test_accuracy = ?, worker = 'synthetic'
            WHERE id = ?
            """,
            [.real(startedAt), .real(startedAt + duration), .real(duration), .real(startedAt + duration),
             .integer(Int64(steps)), .integer(Int64(stepsPerEpoch.map { $0 * batchSize } ?? trainSize)),
             .integer(Int64(sampleCount)), .integer(Int64(64 * 32 + 32 + 32 * classCount + classCount)),
             .integer(Int64(epochs)), .integer(Int64(totalSteps)), .real(finalLoss), .real(trainAccuracy), .real(testLoss),
             .real(testAccuracy), .integer(runID)])
    }
}

/// SplitMix64 with Box–Muller normals: small, fast, deterministic.
struct SyntheticRandom {
    var state: UInt64
    private var spare: Double?

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    mutating func uniform() -> Double { (Double(next() >> 11) + 1) / 9_007_199_254_740_992 }

    mutating func normal() -> Double {
        if let value = spare {
            spare = nil
            return value
        }
        let radius = (-2 * log(uniform())).squareRoot()
        let angle = 2 * Double.pi * uniform()
        spare = radius * sin(angle)
        return radius * cos(angle)
    }
}
