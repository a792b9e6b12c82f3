/// Iteration rows as `iteration_blocks` rows (schema version 4) in `COPY … (FORMAT binary)`: runs of consecutive
/// steps, at most `maximumSteps` each, one row per run — `(run_id, first_step, last_step, losses, learning_rates)`.
///
/// The binary format: the signature, flags 0, no header extension; per row a field count (int16) and each field as
/// a byte length (int32; -1 = NULL) and its value, big-endian (`bigint` 8 bytes, `double precision` its IEEE 754
/// bits); a `double precision[]` is `ndim` 1, a has-NULLs flag, the element type (701), the length and lower
/// bound 1, then each element as a length (-1 = NULL) and 8 bytes; the trailer is a field count of -1. No number
/// is formatted or parsed as text.
struct PostgreSQLIterationBlocks {
    /// Steps per block: the most that keeps a block, with both arrays full, well inside one 8 kB heap page (PLAIN
    /// storage: 256 × 2 × 12 bytes + headers ≈ 6.2 kB).
    static let maximumSteps = 256
    static let copySQL =
        "COPY iteration_blocks (run_id, first_step, last_step, losses, learning_rates) FROM STDIN (FORMAT binary)"

    private static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0, 0, 0, 0, 0]
    private static let float8ArrayType: Int32 = 701

    /// The COPY data so far (header included); `isEmpty` until a step was added.
    private(set) var data: [UInt8] = []
    private(set) var rowCount = 0
    private var runID: Int64
    /// The block being filled: its first step, last step, losses and learning rates (nil = NULL).
    private var firstStep: Int64 = 0
    private var lastStep: Int64 = 0
    private var losses: [Double?] = []
    private var learningRates: [Double?] = []

    init(runID: Int64, expectedSteps: Int = 0) {
        self.runID = runID
        data.reserveCapacity(Self.header.count + expectedSteps * 13 + 64)
        losses.reserveCapacity(Self.maximumSteps)
        learningRates.reserveCapacity(Self.maximumSteps)
    }

    /// Adds one step (steps strictly increasing; a gap or a full block starts a new block). `loss` nil = NULL (NaN);
    /// `learningRate` nil = the run's rate.
    mutating func append(step: Int64, loss: Double?, learningRate: Double?) {
        if !losses.isEmpty && (step != lastStep + 1 || losses.count == Self.maximumSteps) { flushBlock() }
        if losses.isEmpty { firstStep = step }
        lastStep = step
        losses.append(loss)
        learningRates.append(learningRate)
        rowCount += 1
    }

    /// The steps that follow belong to `runID` (`db copy` sends several runs in one COPY): the block being filled
    /// is closed first.
    mutating func startRun(_ runID: Int64) {
        guard runID != self.runID else { return }
        flushBlock()
        self.runID = runID
    }

    /// The finished COPY data (the last block and the trailer), or nil when no step was added.
    mutating func finish() -> [UInt8]? {
        flushBlock()
        guard !data.isEmpty else { return nil }
        put(Int16(-1))
        return data
    }

    private mutating func flushBlock() {
        guard !losses.isEmpty else { return }
        if data.isEmpty { data += Self.header }
        put(Int16(5))
        put(Int32(8))
        put(runID)
        put(Int32(8))
        put(firstStep)
        put(Int32(8))
        put(lastStep)
        putArray(losses)
        if learningRates.contains(where: { $0 != nil }) {
            putArray(learningRates)
        } else {
            put(Int32(-1))  // NULL: every step at the run's learning rate
        }
        losses.removeAll(keepingCapacity: true)
        learningRates.removeAll(keepingCapacity: true)
    }

    private mutating func putArray(_ values: [Double?]) {
        let nulls = values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        put(Int32(20 + values.count * 4 + (values.count - nulls) * 8))
        put(Int32(1))
        put(Int32(nulls > 0 ? 1 : 0))
        put(Self.float8ArrayType)
        put(Int32(values.count))
        put(Int32(1))
        for value in values {
            if let value {
                put(Int32(8))
                put(value.bitPattern)
            } else {
                put(Int32(-1))
            }
        }
    }

    private mutating func put<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) }
    }
}
