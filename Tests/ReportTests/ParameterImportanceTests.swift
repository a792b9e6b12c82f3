import Store
import XCTest

@testable import Report

/// η² against hand-computed shares.
final class ParameterImportanceTests: XCTestCase {
    /// Metric 1, 2, 3, 4 (mean 2.5, total sum of squares 5) in groups a = {1, 2}, b = {3, 4}: between-group sum of
    /// squares 2·(1.5 − 2.5)² + 2·(3.5 − 2.5)² = 4 ⇒ η² = 0.8. Swapping the groups' members lowers it: {1, 3}, {2, 4}:
    /// 2·(2 − 2.5)² + 2·(3 − 2.5)² = 1 ⇒ 0.2.
    func testCategoricalGroups() {
        XCTAssertEqual(ParameterImportance.correlationRatio(metric: [1, 2, 3, 4], values: ["a", "a", "b", "b"].map(SQLValue.text)), 0.8, accuracy: 1e-12)
        XCTAssertEqual(ParameterImportance.correlationRatio(metric: [1, 2, 3, 4], values: ["a", "b", "a", "b"].map(SQLValue.text)), 0.2, accuracy: 1e-12)
        XCTAssertEqual(ParameterImportance.correlationRatio(metric: [3, 3, 3], values: ["a", "b", "c"].map(SQLValue.text)), 0, "no variance")
    }

    /// Eight numbers fall into 4 equal-count bins by rank ({0.1, 0.2}, {0.3, 0.4}, …): a metric constant within bins is
    /// explained fully; a metric that alternates within every bin not at all (every bin's mean is the overall mean).
    func testNumbersAreBinnedByRank() {
        let values = [0.8, 0.1, 0.5, 0.2, 0.7, 0.3, 0.6, 0.4].map(SQLValue.real)
        let byBin: [Double] = [4, 1, 3, 1, 4, 2, 3, 2]
        XCTAssertEqual(ParameterImportance.correlationRatio(metric: byBin, values: values), 1, accuracy: 1e-12)
        let alternating: [Double] = [0, 0, 0, 1, 1, 1, 1, 0]  // bins {0.1:0, 0.2:1}, {0.3:1, 0.4:0}, {0.5:0, 0.6:1}, {0.7:1, 0.8:0}
        XCTAssertEqual(ParameterImportance.correlationRatio(metric: alternating, values: values), 0, accuracy: 1e-12)
        // Four distinct numbers or fewer are groups of their own.
        XCTAssertEqual(ParameterImportance.groupKeys([1, 2, 2, 3].map(SQLValue.integer)), ["1", "2", "2", "3"])
    }

    /// The chance share (k − 1)/(n − 1) is the mean of η² over every relabelling: all 720 orders of six metric values
    /// over groups of sizes 2, 2, 2 give a mean of 2/5; sizes 1, 2, 3 (unequal) give it too; four trials in two groups
    /// 1/3; every trial its own group 1.
    func testChanceShareIsTheMeanOverEveryRelabelling() {
        let metric: [Double] = [0.1, 0.5, 0.2, 0.9, 0.3, 0.35]
        for labels in [["a", "a", "b", "b", "c", "c"], ["a", "b", "b", "c", "c", "c"]] {
            let values = labels.map(SQLValue.text)
            var total = 0.0
            var count = 0
            var orders = Set<[Double]>()
            forEachPermutation(of: metric) { order in
                total += ParameterImportance.correlationRatio(metric: order, values: values)
                count += 1
                orders.insert(order)
            }
            XCTAssertEqual(count, 720)
            XCTAssertEqual(orders.count, 720, "every order once")
            XCTAssertEqual(ParameterImportance.groupCount(values), 3)
            XCTAssertEqual(total / Double(count), 0.4, accuracy: 1e-12, "\(labels)")
            XCTAssertEqual(ParameterImportance.chanceShare(groups: 3, trials: 6), 0.4, accuracy: 1e-15)
        }
        XCTAssertEqual(ParameterImportance.chanceShare(groups: 2, trials: 4), 1.0 / 3.0, accuracy: 1e-15)
        XCTAssertEqual(ParameterImportance.chanceShare(groups: 3, trials: 3), 1)
        XCTAssertEqual(ParameterImportance.chanceShare(groups: 1, trials: 1), 0)
        // Eight distinct numbers in four bins: four groups.
        XCTAssertEqual(ParameterImportance.groupCount([0.8, 0.1, 0.5, 0.2, 0.7, 0.3, 0.6, 0.4].map(SQLValue.real)), 4)
    }

    /// Heap's algorithm: `body` gets every ordering of `items` once.
    private func forEachPermutation(of items: [Double], _ body: ([Double]) -> Void) {
        var items = items
        func generate(_ count: Int) {
            if count <= 1 { return body(items) }
            generate(count - 1)
            for index in 0..<(count - 1) {
                items.swapAt(count % 2 == 0 ? index : 0, count - 1)
                generate(count - 1)
            }
        }
        generate(items.count)
    }
}
