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

    /// Exact permutation p-values by hand. Metric 1…6 in two groups of three: 6! / (3!·3!) = 20 assignments, and η²
    /// depends only on group a's sum S (a's mean against 3.5). Labels a, a, a, b, b, b: S = 6, only {1, 2, 3} and
    /// {4, 5, 6} are as far from 10.5 ⇒ p = 2/20. Labels a, b, a, b, a, b: S = 9, |S − 10.5| = 1.5; of the twenty
    /// 3-subsets of 1…6, seven sum to ≤ 9 (123, 124, 125, 134, 126, 135, 234) and seven to ≥ 12 ⇒ p = 14/20.
    func testPermutationPValueCountsEveryAssignment() {
        let metric: [Double] = [1, 2, 3, 4, 5, 6]
        func p(_ labels: String) -> Double {
            ParameterImportance.permutationPValue(metric: metric, values: labels.map { SQLValue.text(String($0)) })
        }
        XCTAssertEqual(p("aaabbb"), 0.1, accuracy: 1e-15)
        XCTAssertEqual(p("ababab"), 0.7, accuracy: 1e-15)
        XCTAssertEqual(p("aaaaaa"), 1, "one group: η² is 0 whatever the labels")
        XCTAssertEqual(p("abcdef"), 1, "every trial its own group: η² is 1 whatever the labels")
        XCTAssertEqual(ParameterImportance.permutationPValue(metric: [2, 2, 2, 2], values: "aabb".map { SQLValue.text(String($0)) }), 1, "no variance")
        XCTAssertEqual(ParameterImportance.assignmentCount(sizes: [3, 3], limit: 9_999), 20)
        XCTAssertEqual(ParameterImportance.assignmentCount(sizes: [2, 2, 2], limit: 9_999), 90)
        XCTAssertEqual(ParameterImportance.assignmentCount(sizes: [4, 4, 4], limit: 40_000), 34_650)
        XCTAssertNil(ParameterImportance.assignmentCount(sizes: [4, 4, 4], limit: 9_999))
        // Every distinct arrangement of 0, 0, 1, 1, 2 once: 5! / (2!·2!) = 30.
        var labels = [0, 0, 1, 1, 2]
        var seen = Set<[Int]>()
        repeat { XCTAssertTrue(seen.insert(labels).inserted, "\(labels) twice") } while ParameterImportance.nextPermutation(&labels)
        XCTAssertEqual(seen.count, 30)
    }

    /// Twelve trials in three groups of four have 34,650 assignments, more than are enumerated, so the p-value is
    /// estimated from 9,999 seeded shuffles: it lies within 4 standard errors of the exact share, counted here over
    /// every choice of group a's four trials and then b's (C(12, 4)·C(8, 4)), and one seed gives one answer.
    func testPermutationPValueEstimatesTheExactShareWhenThereAreTooManyAssignments() {
        let metric = [0.90, 0.92, 0.88, 0.95, 0.91, 0.93, 0.89, 0.87, 0.94, 0.96, 0.92, 0.90]
        let values = (0..<12).map { SQLValue.text(["a", "b", "c"][$0 / 4]) }
        let observed = ParameterImportance.correlationRatio(metric: metric, values: values)
        var atLeast = 0, total = 0
        for a in subsets(of: Array(0..<12), size: 4) {
            for b in subsets(of: (0..<12).filter { !a.contains($0) }, size: 4) {
                let labels = (0..<12).map { SQLValue.text(a.contains($0) ? "a" : b.contains($0) ? "b" : "c") }
                total += 1
                if ParameterImportance.correlationRatio(metric: metric, values: labels) >= observed * (1 - 1e-9) { atLeast += 1 }
            }
        }
        XCTAssertEqual(total, 34_650)
        let exact = Double(atLeast) / Double(total)
        XCTAssertEqual(exact, 11_808.0 / 34_650.0, accuracy: 1e-15)  // as a Python count of the same table gives
        let estimate = ParameterImportance.permutationPValue(metric: metric, values: values, seed: 7)
        let standardError = (exact * (1 - exact) / Double(ParameterImportance.permutations)).squareRoot()
        XCTAssertEqual(estimate, exact, accuracy: 4 * standardError)
        XCTAssertEqual(ParameterImportance.permutationPValue(metric: metric, values: values, seed: 7), estimate)
        XCTAssertNotEqual(ParameterImportance.permutationPValue(metric: metric, values: values, seed: 8), estimate, "another seed, other shuffles")
    }

    private func subsets(of items: [Int], size: Int) -> [[Int]] {
        guard size > 0 else { return [[]] }
        guard items.count >= size else { return [] }
        let rest = Array(items.dropFirst())
        return subsets(of: rest, size: size - 1).map { [items[0]] + $0 } + subsets(of: rest, size: size)
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
