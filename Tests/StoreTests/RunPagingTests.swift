import Engine
import Foundation
import XCTest

@testable import Store
import StoreTesting

/// `RunQuery.offset` and `runCount` (the dashboard's paged runs table), on both stores.
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
}
