import Foundation
import Store

/// Read helpers of the Report module over a (read-only) store.
extension LogbookStore {
    /// The iteration losses of `runID` downsampled to at most `points` buckets, in one pass over the primary key
    /// range (no sort). Empty when the run has no iterations.
    public func downsampledLosses(run runID: Int64, points: Int) throws -> [SeriesBucket] {
        try read { connection in
            guard let lastStep = try connection.scalarInt("SELECT max(step) FROM iterations WHERE run_id = ?", [.integer(runID)]) else {
                return []
            }
            var sampler = SeriesDownsampler(points: points, lastStep: Int(lastStep))
            try connection.forEachRow("SELECT step, loss FROM iterations WHERE run_id = ? ORDER BY step", [.integer(runID)]) { row in
                sampler.add(step: row.int(0), value: row.isNull(1) ? .nan : row.double(1))
            }
            return sampler.result()
        }
    }

    /// The losses of steps `firstStep…` (at most `count`), in step order.
    public func losses(run runID: Int64, fromStep firstStep: Int, count: Int) throws -> [Double] {
        try read { connection in
            var values: [Double] = []
            values.reserveCapacity(count)
            try connection.forEachRow(
                "SELECT loss FROM iterations WHERE run_id = ? AND step >= ? ORDER BY step LIMIT ?",
                [.integer(runID), .integer(Int64(firstStep)), .integer(Int64(count))]
            ) { values.append($0.isNull(0) ? .nan : $0.double(0)) }
            return values
        }
    }

    /// Throws `no run with id N` unless the run exists.
    public func requireRun(_ runID: Int64) throws {
        let exists = try read { try $0.scalarInt("SELECT count(*) FROM runs WHERE id = ?", [.integer(runID)]) ?? 0 }
        if exists == 0 { throw StoreError.unknownRun(runID) }
    }

    /// Throws `no sweep with id N` unless the sweep exists; returns its metric name and goal.
    public func sweepMetric(_ sweepID: Int64) throws -> (name: String, goal: String) {
        let table = try table("SELECT metric_name, metric_goal FROM sweeps WHERE id = ?", [.integer(sweepID)])
        guard let row = table.rows.first, case .text(let name) = row[0], case .text(let goal) = row[1] else {
            throw StoreError("no sweep with id \(sweepID)")
        }
        return (name, goal)
    }
}

extension SQLValue {
    /// The value as a double (integers converted), nil for NULL, text and blobs.
    public var double: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    /// The value as text for grouping and labels (`CellText.human`).
    public var label: String { CellText.human(self) }
}
