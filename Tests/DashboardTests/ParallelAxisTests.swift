import Report
import Store
import XCTest

@testable import Dashboard

/// The parallel-coordinates axis takes the spec's distribution when the spec draws the parameter from one, and
/// judges from the values otherwise.
final class ParallelAxisTests: XCTestCase {
    func testTheSpecsDistributionChoosesTheScale() {
        let momentum = [0.004, 0.5, 0.99].map(SQLValue.real)  // spans 247×: the values alone would say log
        XCTAssertEqual(ParallelAxis(name: "momentum", values: momentum).kind, .log)
        XCTAssertEqual(ParallelAxis(name: "momentum", values: momentum, distribution: "uniform").kind, .linear)
        let rates = [0.01, 0.05, 0.1].map(SQLValue.real)  // spans 10×: the values alone would say linear
        XCTAssertEqual(ParallelAxis(name: "learning_rate", values: rates).kind, .linear)
        XCTAssertEqual(ParallelAxis(name: "learning_rate", values: rates, distribution: "log_uniform").kind, .log)
        XCTAssertEqual(ParallelAxis(name: "hidden", values: [8, 512].map(SQLValue.integer), distribution: "int_uniform").kind, .linear)
        XCTAssertEqual(ParallelAxis(name: "x", values: [0, 1].map(SQLValue.real), distribution: "log_uniform").kind, .linear, "0 has no place on a log axis")
        XCTAssertEqual(ParallelAxis(name: "init", values: [.text("he"), .text("zeros")], distribution: "uniform").kind, .categorical)

        let spec = #"{"method":"tpe","parameters":[{"name":"batch_size","values":[8,16]},{"distribution":"log_uniform","min":0.001,"max":1,"name":"learning_rate"},{"name":"epochs","value":2},{"distribution":"uniform","min":0,"max":0.99,"name":"momentum"}]}"#
        XCTAssertEqual(SweptParameters.specDistributions(spec), ["learning_rate": "log_uniform", "momentum": "uniform"])
        XCTAssertEqual(SweptParameters.specDistributions("not json"), [:])
    }
}
