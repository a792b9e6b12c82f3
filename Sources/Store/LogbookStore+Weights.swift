import Engine
import Foundation

extension LogbookStore {
    /// The final weights of a run (parameters and buffers, in model order), e.g. for `--init run:ID`.
    /// Throws when the run does not exist or has no final weights (it has not finished).
    public func finalWeights(run runID: Int64) throws -> [NamedTensor] {
        try weights(run: runID, kind: .final)
    }

    /// The `initial` or `final` tensors of a run, in model order; bit-exact copies of what the recorder received.
    public func weights(run runID: Int64, kind: WeightsSnapshot.Kind) throws -> [NamedTensor] {
        try read { connection in
            guard try connection.scalarInt("SELECT count(*) FROM runs WHERE id = ?", [.integer(runID)]) == 1 else {
                throw StoreError.unknownRun(runID)
            }
            var tensors: [NamedTensor] = []
            try connection.forEachRow(
                "SELECT name, role, shape, dtype, data FROM weights WHERE run_id = ? AND kind = ? ORDER BY position",
                [.integer(runID), .text(kind.rawValue)]
            ) { row in
                let (name, role, shape, dtype) = (row.text(0), row.text(1), row.text(2), row.text(3))
                tensors.append(try row.withBlob(4) {
                    try LogbookStore.storedTensor(name: name, role: role, shape: shape, dtype: dtype, data: $0, runID: runID)
                })
            }
            try LogbookStore.requireWeights(tensors, kind: kind, runID: runID)
            return tensors
        }
    }

    /// Writes a snapshot's tensors (replacing an earlier snapshot of the same kind). Call inside a transaction.
    static func insertWeights(_ snapshot: WeightsSnapshot, runID: Int64, connection: SQLiteConnection) throws {
        try connection.execute(
            "DELETE FROM weights WHERE run_id = ? AND kind = ?", [.integer(runID), .text(snapshot.kind.rawValue)])
        let statement = try connection.cachedStatement(
            "INSERT INTO weights (run_id, kind, position, name, role, shape, dtype, data) VALUES (?, ?, ?, ?, ?, ?, 'F32', ?)")
        for (position, tensor) in snapshot.tensors.enumerated() {
            guard tensor.values.count == tensor.shape.reduce(1, *) else {
                throw StoreError("tensor '\(tensor.name)': \(tensor.values.count) values do not fill shape \(tensor.shape)")
            }
            statement.reset(clearBindings: true)
            statement.bind(runID, at: 1)
            statement.bind(snapshot.kind.rawValue, at: 2)
            statement.bind(position, at: 3)
            statement.bind(tensor.name, at: 4)
            statement.bind(tensor.role.rawValue, at: 5)
            statement.bind("[" + tensor.shape.map(String.init).joined(separator: ",") + "]", at: 6)
            Float32Blob.withBytes(of: tensor.values) { statement.bindBlob($0, at: 7) }
            try statement.execute()
        }
    }

    /// One row of `weights` as a tensor (both stores): a known role, dtype F32, a well-formed shape that `data`
    /// (little-endian Float32) fills exactly; throws naming the run and the tensor otherwise.
    static func storedTensor(
        name: String, role: String, shape: String, dtype: String, data: UnsafeRawBufferPointer, runID: Int64
    ) throws -> NamedTensor {
        guard let role = NamedTensor.Role(rawValue: role) else {
            throw StoreError("run \(runID) tensor '\(name)' has an unknown role '\(role)'")
        }
        guard dtype == "F32" else {
            throw StoreError("run \(runID) tensor '\(name)' has dtype '\(dtype)'; only F32 is supported")
        }
        let shape = try decodeShape(shape, tensor: name, runID: runID)
        let values = Float32Blob.floats(from: data)
        guard values.count == shape.reduce(1, *), data.count % 4 == 0 else {
            throw StoreError("run \(runID) tensor '\(name)': \(values.count) values do not fill shape \(shape)")
        }
        return NamedTensor(name: name, role: role, shape: shape, values: values)
    }

    /// Throws when a run's snapshot of `kind` has no tensor (it has not finished, or failed before).
    static func requireWeights(_ tensors: [NamedTensor], kind: WeightsSnapshot.Kind, runID: Int64) throws {
        if tensors.isEmpty {
            throw StoreError("run \(runID) has no \(kind.rawValue) weights (it has not finished, or failed before)")
        }
    }

    static func decodeShape(_ text: String, tensor: String, runID: Int64) throws -> [Int] {
        guard let shape = try? JSONDecoder().decode([Int].self, from: Data(text.utf8)), shape.allSatisfy({ $0 >= 0 }) else {
            throw StoreError("run \(runID) tensor '\(tensor)' has a malformed shape '\(text)'")
        }
        return shape
    }
}
