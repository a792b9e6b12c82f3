import Engine
import Foundation
import XCTest

@testable import Store
import StoreTesting

/// `RunQuery.offset`, `runCount` and `runPage` (the dashboard's paged runs table), on both stores.
final class RunPagingTests: StoreContractTestCase {
    /// Seven runs with batch sizes 10, 20, …, 70 and, for the odd ones, a `warmup_steps` only in `params`.
    func makeRuns(_ store: any LogbookStoring) throws {
        for index in 1...7 {
            var configuration = TrainingConfiguration()
            configuration.batchSize = index * 10
            configuration.warmupSteps = index % 2 == 1 ? 5 : 0
            try store.createRun(configuration, name: "run-\(index)", status: .completed)
        }
    }

    func testOffsetPagesThroughTheSortedRowsAndCountIgnoresPaging() throws {
        try forEachStore { _, store in
            try makeRuns(store)
            let query = RunQuery(
                filter: "batch_size >= 30", sort: [SortKey(field: "batch_size", descending: true)], limit: 2,
                columns: ["run_id", "batch_size"], offset: 1)
            let page = try store.runSummaries(query)
            XCTAssertEqual(page.rows.map { $0[1] }, [.integer(60), .integer(50)])
            XCTAssertEqual(try store.runCount(query), 5)  // 30, 40, 50, 60, 70
            var last = query
            last.offset = 4
            XCTAssertEqual(try store.runSummaries(last).rows.map { $0[1] }, [.integer(30)])
            last.offset = 9
            XCTAssertEqual(try store.runSummaries(last).rows.count, 0)
            XCTAssertEqual(try store.runCount(RunQuery()), 7)
        }
    }

    /// A hyperparameter column (a bound subquery) and a `params`-only key in the filter count the same rows.
    func testCountWithParameterColumnsAndFilters() throws {
        try forEachStore { _, store in
            try makeRuns(store)
            let query = RunQuery(filter: "warmup_steps = 5 and batch_size > 10", columns: ["run_id", "warmup_steps"])
            XCTAssertEqual(try store.runCount(query), 3)  // 30, 50, 70
            XCTAssertEqual(try store.runSummaries(query).rows.count, 3)
            XCTAssertThrowsError(try store.runSummaries(RunQuery(limit: 1, offset: -1))) { error in
                XCTAssertEqual("\(error)", "invalid offset -1: must be 0 or more")
            }
        }
    }

    /// `runPage`: the same rows and columns as `runSummaries`, and the total `runCount` gives, for a page inside
    /// the rows, the last page, an offset past the end, a limit of 0, a filter that selects nothing and a
    /// hyperparameter column.
    func testRunPageGivesTheRowsOfRunSummariesAndTheTotalOfRunCount() throws {
        try forEachStore { _, store in
            try makeRuns(store)
            let sorted = [SortKey(field: "batch_size", descending: true)]
            let cases: [(query: RunQuery, rows: Int, total: Int)] = [
                (RunQuery(filter: "batch_size >= 30", sort: sorted, limit: 2, columns: ["run_id", "batch_size"], offset: 1), 2, 5),
                (RunQuery(filter: "batch_size >= 30", sort: sorted, limit: 2, columns: ["run_id", "batch_size"], offset: 4), 1, 5),
                (RunQuery(filter: "batch_size >= 30", sort: sorted, limit: 2, columns: ["run_id", "batch_size"], offset: 9), 0, 5),
                (RunQuery(filter: "batch_size >= 30", limit: 0), 0, 5),
                (RunQuery(filter: "batch_size > 70", limit: 10), 0, 0),
                (RunQuery(filter: "warmup_steps = 5", limit: 2, columns: ["run_id", "warmup_steps"]), 2, 4),
                (RunQuery(), 7, 7),
            ]
            for (query, rows, total) in cases {
                let page = try store.runPage(query)
                let expected = try store.runSummaries(query)
                XCTAssertEqual(page.table, expected, "\(query)")
                XCTAssertEqual(page.table.rows.count, rows, "\(query)")
                XCTAssertEqual(page.total, total, "\(query)")
                XCTAssertEqual(page.total, try store.runCount(query), "\(query)")
            }
            XCTAssertEqual(try store.runPage(RunQuery(limit: 1)).table.columns, RunQuery.defaultColumns)
        }
    }

    /// A page and its total come from one snapshot: while a second connection inserts runs one transaction at a
    /// time, every unlimited page holds exactly as many rows as its total says (two snapshots, one per statement,
    /// would let a run land between the rows and the count).
    func testRunPageAndItsTotalAreReadFromOneSnapshotWhileRunsAreInserted() throws {
        try forEachStore { location, store in
            let writer = try location.open()
            let inserts = 400
            let done = DispatchSemaphore(value: 0)
            let failure = LockedBox<String?>(nil)
            DispatchQueue.global().async {
                defer { done.signal() }
                do {
                    for index in 0..<inserts {
                        try writer.createRun(TrainingConfiguration(), name: "inserted-\(index)", status: .completed)
                    }
                } catch {
                    failure.set("\(error)")
                }
            }
            var pages = 0
            var mismatches: [String] = []
            while done.wait(timeout: .now()) == .timedOut {
                let page = try store.runPage(RunQuery(columns: ["run_id"]))
                if page.table.rows.count != page.total { mismatches.append("\(page.table.rows.count) rows, total \(page.total)") }
                pages += 1
            }
            XCTAssertNil(failure.get())
            XCTAssertGreaterThan(pages, 10, "the reader must overlap the inserts")
            XCTAssertEqual(mismatches.count, 0, "of \(pages) pages these disagree: \(mismatches.prefix(5))")
            XCTAssertEqual(try store.runPage(RunQuery()).total, inserts)
        }
    }
}

/// A value shared between the test and the writer thread.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
