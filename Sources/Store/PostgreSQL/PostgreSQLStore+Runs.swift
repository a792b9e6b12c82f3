import Engine
import Foundation

/// Runs, their final status, weights and loss curves on PostgreSQL (the SQL of `LogbookStore+Runs.swift` and
/// `+Weights.swift` in PostgreSQL's dialect, times from the server's clock).
extension PostgreSQLStore {
    @discardableResult
    public func createRun(_ run: NewRun) throws -> Int64 { try write { try PostgreSQLStore.insertRun(run, connection: $0) } }

    /// The insert behind `createRun` (inside the caller's transaction): the row, then every hyperparameter into
    /// `params` in one statement (`jsonb_each` of a JSON object of them).
    static func insertRun(_ run: NewRun, connection: PostgreSQLConnection) throws -> Int64 {
        let placeholders = (1...run.bindings.count).map { "$\($0)" }.joined(separator: ", ")
        let running = "$\(run.bindings.count + 1)::boolean"
        let result = try connection.execute(
            """
            INSERT INTO runs (\(NewRun.columns), created_at, started_at, heartbeat_at)
            VALUES (\(placeholders), \(now), CASE WHEN \(running) THEN \(now) END, CASE WHEN \(running) THEN \(now) END)
            RETURNING id
            """, run.bindings + [.text(run.isRunning ? "true" : "false")])
        let id = result.int64(row: 0, column: 0)
        if run.name == nil {
            try connection.execute("UPDATE runs SET name = 'run-' || id WHERE id = $1", [.integer(id)])
        }
        try connection.execute(
            "INSERT INTO params (run_id, key, value) SELECT $1, key, value FROM jsonb_each($2::text::jsonb)",
            [.integer(id), .text(PostgreSQLStore.jsonObject(run.parameters))])
        return id
    }

    /// `{"key": value, …}`, each value as `jsonValue` writes it.
    static func jsonObject(_ parameters: [(String, SQLValue)]) throws -> String {
        let members = try parameters.map { key, value in try jsonString(key) + ":" + jsonValue(value, key: key) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A hyperparameter's value as JSON text for a jsonb `params.value`: numbers as JSON numbers (`jsonNumber`),
    /// text and the non-finite reals (`NaN`, `Infinity`, as to_jsonb of a float8 writes them) as JSON strings.
    static func jsonValue(_ value: SQLValue, key: String) throws -> String {
        switch value {
        case .null: return "null"
        case .integer(let integer): return String(integer)
        case .real(let real) where real.isFinite: return jsonNumber(real)
        case .real(let real): return try jsonString(PostgreSQLParameters.text(real))
        case .text(let text): return try jsonString(text)
        case .blob: throw StoreError("hyperparameter '\(key)' is binary: cannot store it")
        }
    }

    private static func jsonString(_ text: String) throws -> String {
        String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
    }

    /// A finite real as a JSON number that stays a real through jsonb: shortest round-trip digits, and an integral
    /// one written out with a fraction (`1.0`, `10000000000000000.0`), since jsonb keeps a number's scale but not
    /// its exponent and `PostgreSQLResult.jsonScalar` reads a number without a fraction as an integer.
    static func jsonNumber(_ real: Double) -> String {
        real == real.rounded() ? String(format: "%.1f", real) : "\(real)"
    }

    public func run(id: Int64) throws -> RunRecord {
        try read { try PostgreSQLStore.runRecord(id: id, connection: $0) }
    }

    static func runRecord(id: Int64, connection: PostgreSQLConnection) throws -> RunRecord {
        let result = try connection.execute(RunRecord.selectSQL + " WHERE id = $1", [.integer(id)])
        guard result.rowCount == 1 else { throw StoreError.unknownRun(id) }
        return try RunRecord(result, row: 0)
    }

    public func runs(sweepID: Int64?, status: RunStatus?, limit: Int) throws -> [RunRecord] {
        try read { connection in
            let result = try connection.execute(
                RunRecord.selectSQL
                    + " WHERE ($1::bigint IS NULL OR sweep_id = $1) AND ($2::text IS NULL OR status = $2) ORDER BY id DESC"
                    + (limit >= 0 ? " LIMIT \(limit)" : ""),
                [sweepID.map(SQLValue.integer) ?? .null, status.map { .text($0.rawValue) } ?? .null])
            return try (0..<result.rowCount).map { try RunRecord(result, row: $0) }
        }
    }

    public func markRunFailed(_ runID: Int64, message: String) throws {
        try setFinalStatus(runID, status: .failed, stopReason: nil, error: message)
    }

    public func setFinalStatus(_ runID: Int64, status: RunStatus, stopReason: String?, error: String?) throws {
        try write { connection in
            let result = try connection.execute(
                """
                UPDATE runs SET status = $1, stop_reason = COALESCE($2, stop_reason), error = COALESCE($3, error),
                    ended_at = \(PostgreSQLStore.now), duration = COALESCE(duration, \(PostgreSQLStore.now) - started_at)
                WHERE id = $4
                """,
                [.text(status.rawValue), stopReason.map(SQLValue.text) ?? .null, error.map(SQLValue.text) ?? .null,
                 .integer(runID)])
            if result.changedRows == 0 { throw StoreError.unknownRun(runID) }
        }
    }

    /// `running` runs whose heartbeat is older than `seconds` by the server's clock become `interrupted`.
    @discardableResult
    public func markStaleRunsInterrupted(olderThan seconds: Double) throws -> [Int64] {
        try write { connection in
            let result = try connection.execute(
                """
                UPDATE runs SET status = 'interrupted', stop_reason = 'heartbeat_lost', ended_at = heartbeat_at,
                    duration = heartbeat_at - started_at
                WHERE status = 'running' AND COALESCE(heartbeat_at, created_at) < \(PostgreSQLStore.now) - $1
                RETURNING id
                """, [.real(seconds)])
            return (0..<result.rowCount).map { result.int64(row: $0, column: 0) }.sorted()
        }
    }

    public func weights(run runID: Int64, kind: WeightsSnapshot.Kind) throws -> [NamedTensor] {
        try readTransaction { connection in
            try PostgreSQLStore.requireRun(runID, connection: connection)
            let result = try connection.execute(
                "SELECT name, role, shape, dtype, data FROM weights WHERE run_id = $1 AND kind = $2 ORDER BY position",
                [.integer(runID), .text(kind.rawValue)])
            var tensors: [NamedTensor] = []
            for row in 0..<result.rowCount {
                let bytes = result.bytes(row: row, column: 4)
                tensors.append(try bytes.withUnsafeBytes {
                    try LogbookStore.storedTensor(
                        name: result.text(row: row, column: 0), role: result.text(row: row, column: 1),
                        shape: result.text(row: row, column: 2), dtype: result.text(row: row, column: 3), data: $0,
                        runID: runID)
                })
            }
            try LogbookStore.requireWeights(tensors, kind: kind, runID: runID)
            return tensors
        }
    }

    /// Writes a snapshot's tensors (replacing an earlier one of the same kind), inside the caller's transaction.
    static func insertWeights(_ snapshot: WeightsSnapshot, runID: Int64, connection: PostgreSQLConnection) throws {
        try connection.execute(
            "DELETE FROM weights WHERE run_id = $1 AND kind = $2", [.integer(runID), .text(snapshot.kind.rawValue)])
        for (position, tensor) in snapshot.tensors.enumerated() {
            guard tensor.values.count == tensor.shape.reduce(1, *) else {
                throw StoreError("tensor '\(tensor.name)': \(tensor.values.count) values do not fill shape \(tensor.shape)")
            }
            let bytes = Float32Blob.withBytes(of: tensor.values) { [UInt8]($0) }
            try connection.execute(
                "INSERT INTO weights (run_id, kind, position, name, role, shape, dtype, data) VALUES ($1, $2, $3, $4, $5, $6, 'F32', $7)",
                [.integer(runID), .text(snapshot.kind.rawValue), .integer(Int64(position)), .text(tensor.name),
                 .text(tensor.role.rawValue), .text("[" + tensor.shape.map(String.init).joined(separator: ",") + "]"),
                 .blob(bytes)])
        }
    }

    public func lossCurve(run runID: Int64) throws -> [Float] {
        try readTransaction { connection in
            try PostgreSQLStore.requireRun(runID, connection: connection)
            let result = try connection.execute(
                "SELECT loss FROM iterations WHERE run_id = $1 ORDER BY step", [.integer(runID)])
            return (0..<result.rowCount).map {
                result.isNull(row: $0, column: 0) ? .nan : Float(result.double(row: $0, column: 0))
            }
        }
    }
}

extension RunRecord {
    /// A record from a row of `RunRecord.selectSQL` on PostgreSQL.
    init(_ result: PostgreSQLResult, row: Int) throws {
        func text(_ column: Int) -> String { result.text(row: row, column: column) }
        func optionalText(_ column: Int) -> String? { result.optionalText(row: row, column: column) }
        func optionalInt(_ column: Int) -> Int? { result.optionalInt(row: row, column: column) }
        func optionalDouble(_ column: Int) -> Double? { result.optionalDouble(row: row, column: column) }
        let id = result.int64(row: row, column: 0)
        guard let status = RunStatus(rawValue: text(2)) else {
            throw StoreError("run \(id) has an unknown status '\(text(2))'")
        }
        self.init(
            id: id, name: text(1), status: status, sweepID: result.optionalInt64(row: row, column: 3),
            trialIndex: optionalInt(4), seed: UInt64(bitPattern: result.int64(row: row, column: 5)),
            configuration: try ConfigurationCoding.configuration(fromJSON: text(6), runID: id),
            model: text(7), dataset: text(8), stepsPerEpoch: optionalInt(9),
            parentRunID: result.optionalInt64(row: row, column: 10), worker: optionalText(11), host: optionalText(12),
            logbookVersion: text(13), createdAt: result.double(row: row, column: 14), startedAt: optionalDouble(15),
            endedAt: optionalDouble(16), duration: optionalDouble(17), heartbeatAt: optionalDouble(18),
            stopReason: optionalText(19), error: optionalText(20), epochsCompleted: optionalInt(21),
            stepsCompleted: optionalInt(22), finalTrainLoss: optionalDouble(23), finalTrainAccuracy: optionalDouble(24),
            finalValidationLoss: optionalDouble(25), finalValidationAccuracy: optionalDouble(26),
            testLoss: optionalDouble(27), testAccuracy: optionalDouble(28), parameterCount: optionalInt(29),
            trainSize: optionalInt(30), validationSize: optionalInt(31), testSize: optionalInt(32))
    }
}
