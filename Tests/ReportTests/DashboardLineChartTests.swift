import XCTest

/// `Logbook.lineChart` in the browser: its DOM, its axes, its hover, live growth, and names as text.
final class DashboardLineChartTests: XCTestCase {
    /// Three runs whose accuracies differ in the second decimal (0.97 against 0.99), one named like a script.
    static let setUp = #"""
        window.alerted = false;
        window.alert = () => { window.alerted = true; };
        const curve = (values) => values.map((mean, i) => ({ x: i + 1, mean, min: mean - 0.001, max: mean + 0.001 }));
        const chart = Logbook.lineChart(document.getElementById('chart'), {
          series: [
            { id: 1, name: 'run 1', points: curve([0.971, 0.972, 0.975, 0.974]) },
            { id: 2, name: '<script>alert(1)<\/script>', points: curve([0.981, 0.984, 0.986, 0.985]) },
            { id: 3, name: 'run 3', points: curve([0.975, 0.982, 0.987, 0.989]) },
          ],
          xLabel: 'epoch', yLabel: 'accuracy', smoothing: 0.5,
        });
        const ticks = () => [...document.querySelectorAll('.axis-y .tick')].map((t) => Number(t.getAttribute('data-value')));
        const vertices = (id) => (document.querySelector(`g.series[data-id="${id}"] path.raw`).getAttribute('d')
          .match(/[ML]/g) || []).length;
        """#

    func testDrawsOneGroupPerSeriesOnAnAxisFittedToTheData() throws {
        let page = try DashboardPage(body: #"<div id="chart"></div>"#, script: Self.setUp + #"""
            logbookReport({
              groups: [...document.querySelectorAll('g.series')].map((g) => g.getAttribute('data-id')),
              parts: [...document.querySelectorAll('g.series')].map((g) =>
                ['raw', 'band', 'smoothed'].filter((c) => g.querySelector(`path.${c}`)?.getAttribute('d')).length),
              legend: [...document.querySelectorAll('.legend-name')].map((n) => n.textContent),
              yTicks: ticks(),
              xTicks: [...document.querySelectorAll('.axis-x .tick')].map((t) => Number(t.getAttribute('data-value'))),
              scripts: document.querySelectorAll('script').length,
              alerted: window.alerted,
            });
            """#)
        XCTAssertEqual(page.strings("groups"), ["1", "2", "3"])
        XCTAssertEqual(page.numbers("parts"), [3, 3, 3])  // each with a raw line, a band and a smoothed line
        // The name renders as text: no script element was added, nothing ran.
        XCTAssertEqual(page.strings("legend"), ["run 1", "<script>alert(1)</script>", "run 3"])
        XCTAssertEqual(page.number("scripts"), 3)  // the page's own: the report helper, the assets, the test
        XCTAssertEqual(page.value["alerted"] as? Bool, false)
        XCTAssertTrue(page.dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // y from min − 0.001 = 0.970 to max + 0.001 = 0.990: rough step 0.02/4 = 0.005, not forced to start at 0.
        assertClose(page.numbers("yTicks"), [0.97, 0.975, 0.98, 0.985, 0.99], accuracy: 1e-12)
        // x 1…4 with 6 ticks wanted: 3/5 = 0.6 → 0.5.
        assertClose(page.numbers("xTicks"), [1, 1.5, 2, 2.5, 3, 3.5, 4], accuracy: 1e-12)
    }

    func testHoverShowsEachSeriesAtTheNearestX() throws {
        let page = try DashboardPage(body: #"<div id="chart"></div>"#, script: Self.setUp + #"""
            const byApi = chart.hoverAt(2.3);
            const target = document.querySelector('rect.hover-target');
            const box = target.getBoundingClientRect();
            // The plot spans x 1…4: three quarters of the way is x = 3.25, nearest 3.
            target.dispatchEvent(new PointerEvent('pointermove', {
              bubbles: true, clientX: box.left + box.width * 0.75, clientY: box.top + box.height / 2,
            }));
            const tooltip = document.querySelector('.tooltip');
            logbookReport({
              byApi,
              byPointer: [...tooltip.querySelectorAll('.tooltip-line')].map((l) => l.textContent),
              visible: !tooltip.hidden,
            });
            """#)
        // x 2.3 → nearest 2. Smoothed (w 0.5) at the 2nd point: (0.25·m1 + 0.5·m2) / 0.75.
        //   run 1: (0.24275 + 0.486) / 0.75 = 0.97167; run 2: (0.24525 + 0.492) / 0.75 = 0.983; run 3: 0.97967.
        XCTAssertEqual(page.strings("byApi"), [
            "epoch 2",
            "run 1: 0.9717 (raw 0.972) [0.971 – 0.973]",
            "<script>alert(1)</script>: 0.983 (raw 0.984) [0.983 – 0.985]",
            "run 3: 0.9797 (raw 0.982) [0.981 – 0.983]",
        ])
        // x 3: run 1 (0.125·0.971 + 0.25·0.972 + 0.5·0.975) / 0.875 = (0.121375 + 0.243 + 0.4875) / 0.875 = 0.97357.
        XCTAssertEqual(page.strings("byPointer").first, "epoch 3")
        XCTAssertEqual(page.strings("byPointer").dropFirst().first, "run 1: 0.9736 (raw 0.975) [0.974 – 0.976]")
        XCTAssertEqual(page.value["visible"] as? Bool, true)
    }

    func testAppendPointsGrowsTheCurveAndLogYUsesDecades() throws {
        let page = try DashboardPage(body: #"<div id="chart"></div>"#, script: Self.setUp + #"""
            const before = vertices(1);
            chart.appendPoints(1, [{ x: 5, mean: 0.976, min: 0.976, max: 0.976 }]);
            chart.appendPoints(1, [{ x: 6, mean: 0.977, min: 0.977, max: 0.977 }]);
            chart.appendPoints('new', [{ x: 1, mean: 0.5, min: 0.5, max: 0.5 }, { x: 2, mean: 0.05, min: 0.05, max: 0.05 }]);
            const sameFrame = vertices(1);
            // The redraw comes at the next animation frame, or after 100 ms at the latest (a hidden tab, or a
            // headless browser under load that draws no frame within the virtual-time budget): wait past both.
            setTimeout(() => {
              const grown = vertices(1);
              chart.setOptions({ logY: true });
              logbookReport({
                before, sameFrame, grown, groups: document.querySelectorAll('g.series').length, logTicks: ticks(),
              });
            }, 150);
            """#)
        XCTAssertEqual(page.number("before"), 4)
        XCTAssertEqual(page.number("sameFrame"), 4)  // drawn at the next frame, once for all three calls
        XCTAssertEqual(page.number("grown"), 6)
        XCTAssertEqual(page.number("groups"), 4)
        // Values 0.05…0.991 on a log axis: decades 10⁻²…10⁰, fewer than three: 1, 2, 5 in each.
        assertClose(page.numbers("logTicks"), [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1], accuracy: 1e-12)
    }
}
