import XCTest

/// `Logbook.smooth`, `Logbook.niceTicks` and `Logbook.logTicks` run in the browser, against values worked out by hand.
final class DashboardScaleTests: XCTestCase {
    func testSmoothIsTensorBoardsDebiasedMovingAverage() throws {
        let page = try DashboardPage(script: #"""
            const finite = (values) => values.map((v) => (Number.isFinite(v) ? v : String(v)));
            logbookReport({
              half: Logbook.smooth([1, 2, 3], 0.5),
              gap: finite(Logbook.smooth([1, NaN, 3, Infinity], 0.5)),
              none: Logbook.smooth([4, 1, 7], 0),
              heavy: Logbook.smooth([2, 0], 0.9),
            });
            """#)
        // w = 0.5: last = 0.5·0 + 0.5·1 = 0.5, /(1 − 0.5) = 1;
        //          last = 0.25 + 0.5·2 = 1.25, /(1 − 0.25) = 1.6667;
        //          last = 0.625 + 0.5·3 = 2.125, /(1 − 0.125) = 2.4286.
        assertClose(page.numbers("half"), [1, 1.6667, 2.4286])
        // NaN and ∞ pass through and are not folded in: after 1 (last 0.5), 3 is the 2nd value folded:
        // last = 0.25 + 1.5 = 1.75, /(1 − 0.5²) = 2.3333.
        let gap = page.strings("gap")
        XCTAssertEqual([gap[1], gap[3]], ["NaN", "Infinity"])
        assertClose([Double(gap[0]) ?? .nan, Double(gap[2]) ?? .nan], [1, 2.3333])
        // w = 0: no smoothing.
        assertClose(page.numbers("none"), [4, 1, 7])
        // w = 0.9: 0.1·2 = 0.2, /0.1 = 2; last = 0.18 + 0 = 0.18, /(1 − 0.81) = 0.94737.
        assertClose(page.numbers("heavy"), [2, 0.94737])
    }

    func testNiceTicksFitTheDataAndLogTicksAreDecades() throws {
        let page = try DashboardPage(script: #"""
            const t = (a, b) => Logbook.niceTicks(a, b);
            logbookReport({
              close: t(0.97, 0.99).ticks, unit: t(0, 1).ticks, signed: t(-3.2, 17).ticks, loss: t(0.123, 0.987).ticks,
              single: t(5, 5).ticks, decades: Logbook.logTicks(0.001, 0.5).ticks, narrow: Logbook.logTicks(0.02, 0.5).ticks,
            });
            """#)
        // 0.97–0.99: rough step 0.02/4 = 0.005 → 5·10⁻³; the axis does not start at 0.
        assertClose(page.numbers("close"), [0.97, 0.975, 0.98, 0.985, 0.99], accuracy: 1e-12)
        // 0–1: 1/4 = 0.25 → fraction 2.5 < 3 → 2·10⁻¹.
        assertClose(page.numbers("unit"), [0, 0.2, 0.4, 0.6, 0.8, 1], accuracy: 1e-12)
        // −3.2–17: 20.2/4 = 5.05 → 5; floor(−3.2/5) = −1, ceil(17/5) = 4.
        assertClose(page.numbers("signed"), [-5, 0, 5, 10, 15, 20], accuracy: 1e-12)
        // 0.123–0.987: 0.864/4 = 0.216 → 0.2; floor(0.615) = 0, ceil(4.935) = 5.
        assertClose(page.numbers("loss"), [0, 0.2, 0.4, 0.6, 0.8, 1], accuracy: 1e-12)
        // one value 5: 5 ± 0.25 → 0.5/4 = 0.125 → 0.1; floor(47.5) = 47, ceil(52.5) = 53.
        assertClose(page.numbers("single"), [4.7, 4.8, 4.9, 5, 5.1, 5.2, 5.3], accuracy: 1e-12)
        // 0.001–0.5 → decades 10⁻³…10⁰ (three decades: powers of ten only).
        assertClose(page.numbers("decades"), [0.001, 0.01, 0.1, 1], accuracy: 1e-15)
        // 0.02–0.5 → 10⁻²…10⁰, fewer than three decades: 1, 2, 5 in each.
        assertClose(page.numbers("narrow"), [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1], accuracy: 1e-15)
    }

    /// `Logbook.formatNumber`: the report's rule (`SVG.compactNumber`) with 4 significant digits, worked by hand.
    func testFormatNumberIsShortAndReadable() throws {
        let inputs = "[0, 0.001, 0.25, 0.98317, 0.0005, 1500, 1234.4, 999.96, 10000, 153095, 1500000, 999999, -20000, "
            + "3.7e9, 1e-5, 2.5e-7, 3e15, NaN, Infinity, -Infinity, 'he-uniform']"
        let page = try DashboardPage(script: "logbookReport({ labels: \(inputs).map(Logbook.formatNumber) });")
        XCTAssertEqual(page.strings("labels"), [
            "0", "0.001", "0.25", "0.9832", "0.0005", "1500", "1234", "1000", "10k", "153.1k", "1.5M", "1M", "-20k",
            "3.7G", "1e-5", "2.5e-7", "3e+15", "NaN", "∞", "-∞", "he-uniform",
        ])
    }
}
