import Engine
import Foundation

/// How iteration rows go into PostgreSQL fastest (`logbook bench ingest`): `COPY … FROM STDIN` (what the recorder
/// uses) against multi-row `INSERT … VALUES (…), …` of 1,000 bound rows, each committed every 4,096 rows, and the
/// recorder end to end (`RunRecorder`: buffer, writer thread, COPY, commits, an epoch event every 1,000 steps).
public enum PostgreSQLIngestBenchmark {
    public struct Result: Sendable {
        public var method: String
        public var rows: Int
        public var seconds: Double
        public var rowsPerSecond: Double { Double(rows) / seconds }
    }

    public static func run(url: String, rows: Int) throws -> [Result] {
        let store = try PostgreSQLStore(url: url)
        let connection = try store.makeConnection()
        let batch = 4096
        var results: [Result] = []
        for method in ["copy", "insert"] {
            let runID = try store.createRun(Synthetic.configuration)
            let started = Date()
            var step = 0
            while step < rows {
                let count = min(batch, rows - step)
                try connection.transaction {
                    if method == "copy" {
                        var data: [UInt8] = []
                        for offset in 0..<count { data += "\(runID)\t\(step + offset + 1)\t\(loss(step + offset))\t\\N\n".utf8 }
                        try connection.copyIn("COPY iterations (run_id, step, loss, learning_rate) FROM STDIN", data: data)
                    } else {
                        var first = 0
                        while first < count {
                            let chunk = min(1000, count - first)
                            let values = (0..<chunk).map { "($\($0 * 3 + 1), $\($0 * 3 + 2), $\($0 * 3 + 3), NULL)" }
                            var arguments: [SQLValue] = []
                            for offset in first..<(first + chunk) {
                                arguments += [.integer(runID), .integer(Int64(step + offset + 1)), .real(loss(step + offset))]
                            }
                            try connection.execute(
                                "INSERT INTO iterations (run_id, step, loss, learning_rate) VALUES " + values.joined(separator: ", "),
                                arguments)
                            first += chunk
                        }
                    }
                }
                step += count
            }
            results.append(Result(method: method, rows: rows, seconds: Date().timeIntervalSince(started)))
        }
        let runID = try store.createRun(Synthetic.configuration)
        let recorder = try store.recorder(for: runID)
        let started = Date()
        for step in 1...rows {
            try recorder.handle(.iteration(IterationEnded(step: step, epoch: 1, batchIndex: step - 1, loss: Float(loss(step)), learningRate: 0.1)))
            if step % 1000 == 0 {
                try recorder.handle(
                    .epoch(EpochEnded(epoch: step / 1000, step: step, trainLoss: 1, trainAccuracy: nil, validationLoss: nil,
                                      validationAccuracy: nil, learningRate: 0.1, seconds: 0, samplesPerSecond: 0)))
            }
        }
        try recorder.close()
        results.append(Result(method: "recorder", rows: rows, seconds: Date().timeIntervalSince(started)))
        return results
    }

    private static func loss(_ step: Int) -> Double { 2.0 / Double(step + 1) }

    private enum Synthetic {
        static var configuration: TrainingConfiguration {
            var configuration = TrainingConfiguration()
            configuration.data = "xor"
            configuration.learningRate = 0.1
            return configuration
        }
    }
}
