import Foundation

/// Reading a run's steps straight from its `iteration_blocks` rows, in binary: `first_step` as a big-endian int8
/// and `losses` as a binary `double precision[]` (`ndim` 1, a has-NULLs flag, the element type, length and lower
/// bound, then each element's length — -1 for NULL — and its 8 bytes), the format `COPY` writes them in. No
/// `unnest`, no sort and no number as text: the `iterations` view makes the server unnest every block of the run
/// and sort the rows (a 100,000-step run: 38 ms on the server, then 100,000 rows parsed from text here), where the
/// blocks are 391 rows read in key order (under a millisecond).
extension PostgreSQLIterationBlocks {
    /// Every recorded step of `runID`, in order, as `body(step, loss)` (loss nil where it was NULL: NaN). Through a
    /// binary cursor (`PostgreSQLStore.forEachRow`, 1,000 blocks a fetch) inside the caller's transaction: a whole
    /// curve in O(blocks fetched) memory.
    static func forEachLoss(run runID: Int64, connection: PostgreSQLConnection, _ body: (Int64, Double?) throws -> Void) throws {
        try PostgreSQLStore.forEachRow(
            "SELECT first_step, losses FROM iteration_blocks WHERE run_id = $1 ORDER BY first_step",
            [.integer(runID)], connection: connection, batch: 1000, binary: true
        ) { result, row in
            let (blockStart, losses) = try block(result, row: row)
            for (offset, loss) in losses.enumerated() { try body(blockStart + Int64(offset), loss) }
            return true
        }
    }

    /// Row `row` of a binary `SELECT first_step, losses …` (the two columns from `column` on): the block's first
    /// step and its losses.
    static func block(_ result: PostgreSQLResult, row: Int, column: Int = 0) throws -> (firstStep: Int64, losses: [Double?]) {
        (try result.withBinary(row: row, column: column) { try decodeInteger($0) },
         try result.withBinary(row: row, column: column + 1) { try decodeDoubles($0) })
    }

    /// The first `count` recorded losses at or after `firstStep`, in step order (NaN where NULL; across a gap in the
    /// steps, as many rows as asked, as SQLite's `LIMIT` gives them): plain binary statements of a few blocks each,
    /// no cursor and no transaction. The first asks for as many blocks as `count` needs when they are full (one
    /// round trip for a finished run's 256-step blocks); while short blocks leave the window unfilled, the next
    /// asks for twice as many after the last step read. Blocks are only ever appended, so a later statement
    /// continues what the earlier one read.
    static func losses(run runID: Int64, fromStep firstStep: Int64, count: Int, connection: PostgreSQLConnection) throws -> [Double] {
        var losses: [Double] = []
        losses.reserveCapacity(min(count, 100_000))
        var blocks = count / maximumSteps + 2
        var after = max(firstStep, 1) - 1  // steps start at 1
        while true {
            let result = try connection.execute(
                """
                SELECT first_step, losses FROM iteration_blocks
                WHERE run_id = $1 AND last_step > $2 ORDER BY first_step LIMIT $3
                """, [.integer(runID), .integer(after), .integer(Int64(blocks))], binaryResults: true)
            for row in 0..<result.rowCount {
                let (blockStart, blockLosses) = try block(result, row: row)
                for (offset, loss) in blockLosses.enumerated() where blockStart + Int64(offset) > after {
                    losses.append(loss ?? .nan)
                    if losses.count == count { return losses }
                }
                after = max(after, blockStart + Int64(blockLosses.count) - 1)
            }
            if result.rowCount < blocks { return losses }
            blocks = min(blocks * 2, 1000)
        }
    }

    /// Windows read at once by `losses(windows:connection:)`: a statement's arrays and result stay a few MB.
    static let windowsPerStatement = 500

    /// Each window as `losses(run:fromStep:count:connection:)` reads it, from one statement per
    /// `windowsPerStatement` windows: the blocks that can hold steps `firstStep … firstStep + count − 1` of every
    /// window of the chunk, by window then step (`unnest … WITH ORDINALITY` joined to the blocks' primary key). Steps
    /// are consecutive in a run the engine recorded, so that fills every window; one left short (a gap in the steps,
    /// or a run still recording) goes on the one-window way from the last step read, so the answer is always
    /// `losses(run:fromStep:count:)`'s.
    static func losses(windows: [LossWindow], connection: PostgreSQLConnection) throws -> [[Double]] {
        var results = [[Double]](repeating: [], count: windows.count)
        var after = windows.map { Int64(max($0.firstStep, 1) - 1) }  // the last step read (steps start at 1)
        let wanted = windows.indices.filter { windows[$0].count > 0 }
        for chunkStart in stride(from: 0, to: wanted.count, by: windowsPerStatement) {
            let chunk = Array(wanted[chunkStart..<min(chunkStart + windowsPerStatement, wanted.count)])
            func array(_ values: (Int) -> Int64) -> SQLValue { .text("{" + chunk.map { String(values($0)) }.joined(separator: ",") + "}") }
            let result = try connection.execute(
                """
                SELECT w.ordinal, b.first_step, b.losses
                FROM unnest($1::int8[], $2::int8[], $3::int8[]) WITH ORDINALITY AS w(run_id, after_step, through_step, ordinal)
                JOIN iteration_blocks b ON b.run_id = w.run_id AND b.last_step > w.after_step AND b.first_step <= w.through_step
                ORDER BY w.ordinal, b.first_step
                """,
                [array { windows[$0].run }, array { after[$0] }, array { after[$0] + Int64(windows[$0].count) }],
                binaryResults: true)
            for row in 0..<result.rowCount {
                let index = chunk[Int(try result.withBinary(row: row, column: 0) { try decodeInteger($0) }) - 1]
                let (blockStart, blockLosses) = try block(result, row: row, column: 1)
                for (offset, loss) in blockLosses.enumerated() where blockStart + Int64(offset) > after[index] {
                    guard results[index].count < windows[index].count else { break }
                    results[index].append(loss ?? .nan)
                    after[index] = blockStart + Int64(offset)
                }
            }
        }
        for index in wanted where results[index].count < windows[index].count {
            results[index] += try losses(
                run: windows[index].run, fromStep: after[index] + 1, count: windows[index].count - results[index].count,
                connection: connection)
        }
        return results
    }

    /// A binary int8.
    static func decodeInteger(_ bytes: UnsafeRawBufferPointer) throws -> Int64 {
        guard bytes.count == 8 else { throw StoreError("iteration_blocks: an int8 of \(bytes.count) bytes") }
        return Int64(bigEndian: bytes.loadUnaligned(as: Int64.self))
    }

    /// A binary one-dimensional `double precision[]` (nil for a NULL element).
    static func decodeDoubles(_ bytes: UnsafeRawBufferPointer) throws -> [Double?] {
        var offset = 0
        func int32() throws -> Int32 {
            guard offset + 4 <= bytes.count else { throw StoreError("iteration_blocks: a truncated array") }
            defer { offset += 4 }
            return Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self))
        }
        let dimensions = try int32()
        _ = try int32()  // has NULLs
        let elementType = try int32()
        guard dimensions == 1, elementType == 701 else {
            throw StoreError("iteration_blocks: an array of \(dimensions) dimensions, element type \(elementType)")
        }
        let count = Int(try int32())
        _ = try int32()  // lower bound
        var values: [Double?] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            let length = try int32()
            if length == -1 {
                values.append(nil)
                continue
            }
            guard length == 8, offset + 8 <= bytes.count else { throw StoreError("iteration_blocks: a float8 of \(length) bytes") }
            values.append(Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
            offset += 8
        }
        return values
    }
}
