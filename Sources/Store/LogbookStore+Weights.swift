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
                let name = row.text(0)
                guard let role = NamedTensor.Role(rawValue: row.text(1)) else {
                    throw StoreError("run \(runID) tensor '\(name)' has an unknown role '\(row.text(1))'")
                }
                guard row.text(3) == "F32" else {
                    throw StoreError("run \(runID) tensor '\(name)' has dtype '\(row.text(3))'; only F32 is supported")
                }
                let shape = try LogbookStore.decodeShape(row.text(2), tensor: name, runID: runID)
                let values = row.withBlob(4) { Float32Blob.floats(from: $0) }
                guard values.count == shape.reduce(1, *), row.withBlob(4, { $0.count }) % 4 == 0 else {
                    throw StoreError("run \(runID) tensor '\(name)': \(values.count) values do not fill shape \(shape)")
                }
                tensors.append(NamedTensor(name: name, role: role, shape: shape, values: values))
            }
            if tensors.isEmpty {
                throw StoreError("run \(runID) has no \(kind.rawValue) weights (it has not finished, or failed before)")
            }
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

    static func decodeShape(_ text: String, tensor: String, runID: Int64) throws -> [Int] {
        guard let shape = try? JSONDecoder().decode([Int].self, from: Data(text.utf8)), shape.allSatisfy({ $0 >= 0 }) else {
            throw StoreError("run \(runID) tensor '\(tensor)' has a malformed shape '\(text)'")
        }
        return shape
    }
}
