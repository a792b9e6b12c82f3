import XCTest

/// `Logbook.parallelCoordinates`, `Logbook.scatter` and `Logbook.heatmap` in the browser.
final class DashboardSweepChartTests: XCTestCase {
    func testParallelCoordinatesBrushingDimsRowsOutsideEveryBrush() throws {
        let page = try DashboardPage(body: #"<div id="parallel"></div>"#, script: #"""
            const filters = [];
            const chart = Logbook.parallelCoordinates(document.getElementById('parallel'), {
              axes: [
                { name: 'learning_rate', kind: 'log' },
                { name: 'batch_size', kind: 'linear' },
                { name: 'initializer', kind: 'categorical', categories: ['zeros', 'xavier', 'he'] },
              ],
              rows: [
                { id: 1, values: [0.001, 16, 'zeros'], metric: 0.2 },
                { id: 2, values: [0.01, 32, 'xavier'], metric: 0.9 },
                { id: 3, values: [0.1, 64, 'he'], metric: 0.95 },
                { id: 4, values: [0.5, 128, 'he'], metric: 0.6 },
                { id: 5, values: [0.05, 128, 'xavier'], metric: 0.8 },
              ],
              metricName: 'test_accuracy',
            });
            chart.onFilter((ids) => filters.push(ids));
            const dimmed = () => [...document.querySelectorAll('path.row.dimmed')].map((p) => p.getAttribute('data-id'));
            const result = {
              rows: document.querySelectorAll('path.row').length,
              axes: [...document.querySelectorAll('g.pc-axis')].map((a) => a.getAttribute('data-name')),
            };
            chart.brush('learning_rate', 0.01, 0.1);
            result.learningRate = dimmed();
            chart.brush('initializer', 'he', 'he');
            result.both = dimmed();
            chart.clearBrushes();
            result.cleared = dimmed();
            const area = document.querySelector('rect.brush-area[data-name="batch_size"]');
            const box = area.getBoundingClientRect();
            const at = (type, y, target) => target.dispatchEvent(new PointerEvent(type, {
              bubbles: true, clientX: box.left + box.width / 2, clientY: y,
            }));
            at('pointerdown', box.top + 1, area);
            at('pointermove', box.top + box.height / 2, window);
            at('pointerup', box.top + box.height / 2, window);
            result.dragged = dimmed();
            result.brushVisible = document.querySelector('g.pc-axis[data-name="batch_size"] rect.brush')
              .getAttribute('visibility');
            at('pointerdown', box.top + 20, area);
            at('pointerup', box.top + 20, window);
            result.clicked = dimmed();
            result.filters = filters;
            logbookReport(result);
            """#)
        XCTAssertEqual(page.number("rows"), 5)
        XCTAssertEqual(page.strings("axes"), ["learning_rate", "batch_size", "initializer", "test_accuracy"])
        // learning rate in [0.01, 0.1]: rows 2 (0.01), 3 (0.1) and 5 (0.05) stay.
        XCTAssertEqual(page.strings("learningRate"), ["1", "4"])
        // …and initializer "he": only row 3 is inside both brushes.
        XCTAssertEqual(page.strings("both"), ["1", "2", "4", "5"])
        XCTAssertEqual(page.strings("cleared"), [])
        // batch_size axis: niceTicks(16, 128) → step 112/4 = 28 → 20, domain 0…140. Dragging from the top to the
        // middle keeps values ≥ 70: rows 4 and 5 (128).
        XCTAssertEqual(page.strings("dragged"), ["1", "2", "3"])
        XCTAssertEqual(page.value["brushVisible"] as? String, "visible")
        XCTAssertEqual(page.strings("clicked"), [])  // a click without a drag clears the brush
        let filters = (page.value["filters"] as? [[Any]])?.map { $0.map { "\($0)" } }
        XCTAssertEqual(filters?.prefix(3).map { $0 }, [["2", "3", "5"], ["3"], ["1", "2", "3", "4", "5"]])
        XCTAssertEqual(filters?.last, ["1", "2", "3", "4", "5"])
    }

    /// `Logbook.valueGroups` groups as the report does (`SweepReportGroupsTests`): by value for grid values and up to
    /// 10 distinct drawn values; past that in 4 equal-count bins by rank, the tie at 0.011 taking its first rank (10 of 12, bin 3), each
    /// labelled with its range; a heatmap of those bins keeps its longest row label inside the chart.
    func testValueGroupsBinNumbersDrawnPerTrialAsTheReportDoes() throws {
        let page = try DashboardPage(body: #"<div id="heat"></div>"#, script: #"""
            const rates = [0.005, 0.001, 0.011, 0.003, 0.009, 0.002, 0.011, 0.007, 0.004, 0.01, 0.006, 0.008];
            const binned = Logbook.valueGroups(rates, { drawn: true });
            const grid = Logbook.valueGroups(rates);
            const few = Logbook.valueGroups([0.1, 0.01, 0.1, 0.5], { drawn: true });
            const words = Logbook.valueGroups(['he', 'zeros', 'he'], { drawn: true });
            const wide = Logbook.valueGroups(rates.map((r) => r * 1.2345), { drawn: true });
            Logbook.heatmap(document.getElementById('heat'), {
              xName: 'batch_size', yName: 'learning_rate', xValues: [16], yValues: wide.order,
              cells: wide.order.map((y, i) => ({ x: 16, y, value: i })),
            });
            const ticks = [...document.querySelectorAll('.heatmap .tick')].filter((t) => t.getAttribute('text-anchor') === 'end');
            logbookReport({
              labels: binned.labels, order: binned.order, gridOrder: grid.order.map(String), fewLabels: few.labels.map(String), fewOrder: few.order.map(String),
              words: words.order, wideOrder: wide.order,
              leftmost: Math.min(...ticks.map((t) => t.getBBox().x)),
            });
            """#)
        XCTAssertEqual(page.strings("order"), ["0.001–0.003", "0.004–0.006", "0.007–0.009", "0.01–0.011"])
        XCTAssertEqual(
            page.strings("labels"),
            ["0.004–0.006", "0.001–0.003", "0.01–0.011", "0.001–0.003", "0.007–0.009", "0.001–0.003", "0.01–0.011",
             "0.007–0.009", "0.004–0.006", "0.01–0.011", "0.004–0.006", "0.007–0.009"])
        XCTAssertEqual(page.strings("gridOrder").count, 11, "grid values (not drawn) stay groups of their own")
        XCTAssertEqual(page.strings("fewLabels"), ["0.1", "0.01", "0.1", "0.5"])
        XCTAssertEqual(page.strings("fewOrder"), ["0.01", "0.1", "0.5"])
        XCTAssertEqual(page.strings("words"), ["he", "zeros"])
        XCTAssertEqual(page.strings("wideOrder").first, "0.001234–0.003703")  // 0.0012345 and 0.0037035 are just below the halfway in binary
        XCTAssertGreaterThanOrEqual(page.number("leftmost") ?? -1, 0, "the longest row label starts inside the chart")
    }

    func testScatterAndHeatmapDrawTheirMarksAndLegends() throws {
        let page = try DashboardPage(body: #"<div id="scatter"></div><div id="heat"></div>"#, script: #"""
            Logbook.scatter(document.getElementById('scatter'), {
              xName: 'learning_rate', yName: 'test_accuracy', logX: true,
              points: [{ x: 0.001, y: 0.9, id: 1 }, { x: 0.1, y: 0.95, id: 2 }, { x: 0, y: 0.5, id: 3 },
                { x: 0.01, y: NaN, id: 4 }, { x: 0.5, y: 0.97, id: 5 }],
            });
            Logbook.heatmap(document.getElementById('heat'), {
              xName: 'learning_rate', yName: 'batch_size', xValues: [0.01, 0.1, 0.5], yValues: [16, 32],
              cells: [{ x: 0.01, y: 16, value: 0.91 }, { x: 0.1, y: 16, value: 0.97 }, { x: 0.5, y: 16, value: 0.4 },
                { x: 0.01, y: 32, value: 0.9 }, { x: 0.1, y: 32, value: 0.96 }],
            });
            const cells = [...document.querySelectorAll('rect.cell')];
            logbookReport({
              points: [...document.querySelectorAll('circle.point')].map((c) => c.getAttribute('data-id')),
              scatterTicks: [...document.querySelectorAll('.scatter .axis-x .tick')].map((t) => Number(t.getAttribute('data-value'))),
              cells: cells.map((c) => `${c.getAttribute('data-x')}×${c.getAttribute('data-y')}`),
              titles: cells.map((c) => c.querySelector('title').textContent),
              fills: cells.map((c) => c.getAttribute('fill')),
              legend: [...document.querySelectorAll('.color-legend text')].map((t) => t.textContent),
            });
            """#)
        // x ≤ 0 cannot sit on a log axis and NaN has no place: points 3 and 4 are left out.
        XCTAssertEqual(page.strings("points"), ["1", "2", "5"])
        assertClose(page.numbers("scatterTicks"), [0.001, 0.01, 0.1, 1], accuracy: 1e-15)
        XCTAssertEqual(page.strings("cells"), ["0.01×16", "0.1×16", "0.5×16", "0.01×32", "0.1×32"])
        XCTAssertEqual(page.strings("titles").first, "learning_rate 0.01, batch_size 16: 0.91")
        // The lowest value (0.4) takes the first colour stop, the highest (0.97) the last.
        XCTAssertEqual(page.strings("fills")[2], "rgb(68,1,84)")
        XCTAssertEqual(page.strings("fills")[1], "rgb(253,231,37)")
        XCTAssertEqual(page.strings("legend"), ["0.97", "0.4"])
    }
}
