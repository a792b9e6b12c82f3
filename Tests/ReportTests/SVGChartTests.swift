import Foundation
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import Report
import Store

/// Parses text as XML; returns the element names in document order, or fails the test.
@discardableResult
func parseXML(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append(name)
        }
    }
    let parser = XMLParser(data: Data(text.utf8))
    let collector = Collector()
    parser.delegate = collector
    let ok = parser.parse()
    XCTAssertTrue(ok, "not well-formed XML: \(String(describing: parser.parserError)) at line \(parser.lineNumber)", file: file, line: line)
    return collector.elements
}

final class SVGChartTests: XCTestCase {
    func testLineChartIsWellFormedWithBandsMarkersAndLegend() {
        let chart = LineChart(
            title: "Loss <&> \"quotes\"", xLabel: "epoch", yLabel: "loss (nats)",
            series: [
                .init(name: "a & b", points: [(0, 2.3), (1, 1.0), (2, 0.5)], band: [(0, 2.0, 2.5), (1, 0.8, 1.2), (2, 0.4, 0.6)], colourIndex: 0),
                .init(name: "epoch mean", points: [(1, 1.1), (2, 0.55)], markersOnly: true, colourIndex: 0),
                .init(name: "hidden dots", points: [(1, 1.2)], markersOnly: true, colourIndex: 2, inLegend: false),
                .init(name: "dashed", points: [(0, 2.0), (2, 1.5)], dashed: true, colourIndex: 1),
            ])
        let svg = chart.svg()
        let elements = parseXML(svg)
        XCTAssertEqual(elements.first, "svg")
        XCTAssertEqual(elements.filter { $0 == "polygon" }.count, 1)
        XCTAssertEqual(elements.filter { $0 == "polyline" }.count, 2)
        XCTAssertEqual(elements.filter { $0 == "circle" }.count, 4)  // three markers + one legend marker
        XCTAssertFalse(svg.contains("hidden dots"))
        XCTAssertTrue(svg.contains("Loss &lt;&amp;&gt; &quot;quotes&quot;"))
        XCTAssertTrue(svg.contains(">epoch</text>") && svg.contains(">loss (nats)</text>"))
        XCTAssertFalse(chart.usesLogarithmicY)
    }

    func testLogScaleWhenTheRangeSpansMoreThanOneAndAHalfDecades() {
        let wide = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(0, 2.3), (1, 0.05)], colourIndex: 0)])
        XCTAssertTrue(wide.usesLogarithmicY)  // log10(2.3 / 0.05) ≈ 1.66
        let narrow = LineChart(title: "t", xLabel: "x", yLabel: "y", series: [.init(name: "s", points: [(0, 2.3), (1, 0.1)], colourIndex: 0)])
        XCTAssertFalse(narrow.usesLogarithmicY)  // ≈ 1.36
        XCTAssertTrue(wide.svg().contains("y (log scale)"))
        XCTAssertEqual(SVG.logTicks(0.05, 2.3), [0.05, 0.1, 0.2, 0.5, 1, 2])
        parseXML(wide.svg())
    }

    func testBarChartErrorBarsAndReference() {
        let chart = BarChart(
            title: "accuracy", xLabel: "initializer", yLabel: "accuracy",
            bars: [.init(label: "he", value: 0.9, error: 0.05), .init(label: "zeros", value: 0.1, error: 0)],
            reference: (0.1, "chance 0.1"))
        let svg = chart.svg()
        let elements = parseXML(svg)
        XCTAssertEqual(elements.filter { $0 == "rect" }.count, 3)  // background + 2 bars
        // One error bar (3 lines) for "he", none for a zero error; plus axes, grid and the reference line.
        XCTAssertTrue(svg.contains("he: 0.9 ± 0.05"))
        XCTAssertTrue(svg.contains("stroke-dasharray=\"5 3\""))
        XCTAssertTrue(svg.contains(">chance 0.1</text>"))
    }

    /// An accuracy bar at 0.6 ± 0.45 (a group mixing diverged and good runs) is drawn from 0.15 to 1, not 1.05, and
    /// the clipped end has no cap; the axis stops at 1. By hand: the data span 0.15…1, so the axis is 0…1 (0.15 ≤
    /// 0.2 · 1 keeps zero) over the plot's 230 px from y = 34: 1 → 34, 0.15 → 34 + 230 · 0.85 = 229.5; the first
    /// bar's centre is 70 + 470 / 2 / 2 = 187.5.
    func testErrorBarsAreClippedToTheValuesTheMetricCanTake() {
        let bars: [BarChart.Bar] = [.init(label: "lr 1", value: 0.6, error: 0.45), .init(label: "lr 0.1", value: 0.9, error: 0.05)]
        func whiskers(_ svg: String) -> [String] {
            svg.components(separatedBy: "<line ").filter { $0.contains("stroke=\"#222222\"") }
        }
        let clipped = BarChart(title: "a", xLabel: "x", yLabel: "accuracy", bars: bars, limits: BarChart.limits(ofMetric: "validation_accuracy")).svg()
        parseXML(clipped)
        let lines = whiskers(clipped)
        XCTAssertEqual(lines.count, 5, "bar 1: its whisker and the bottom cap only; bar 2: whisker and both caps")
        XCTAssertTrue(lines[0].hasPrefix("x1=\"187.50\" y1=\"34\" x2=\"187.50\" y2=\"229.50\""), lines[0])
        XCTAssertTrue(clipped.contains("lr 1: 0.6 ± 0.45"), "the tooltip keeps the full deviation")
        XCTAssertFalse(clipped.contains(">1.2</text>") || clipped.contains(">1.1</text>"))

        let unclipped = BarChart(title: "a", xLabel: "x", yLabel: "score", bars: bars).svg()
        XCTAssertEqual(whiskers(unclipped).count, 6)
        XCTAssertFalse(whiskers(unclipped)[0].contains("y1=\"34\" x2=\"187.50\" y2=\"229.50\""))

        XCTAssertEqual(BarChart.limits(ofMetric: "test_accuracy"), 0...1)
        XCTAssertEqual(BarChart.limits(ofMetric: "validation_loss")?.lowerBound, 0)
        XCTAssertNil(BarChart.limits(ofMetric: "f1"))
    }

    /// The rule of `SVG.comparableRange`, by hand: zero stays when the data reach within 20 % of the far end;
    /// otherwise the data's range padded by 5 % of the spread on each side.
    func testAxesStartWhereTheDataCanBeCompared() {
        func assertRange(_ low: Double, _ high: Double, _ expected: (Double, Double), line: UInt = #line) {
            let range = SVG.comparableRange(low, high)
            XCTAssertEqual(range.low, expected.0, accuracy: 1e-12, line: line)
            XCTAssertEqual(range.high, expected.1, accuracy: 1e-12, line: line)
        }
        assertRange(0.97, 0.99, (0.969, 0.991))  // spread 0.02, padding 0.001
        assertRange(0.05, 2.3, (0, 2.3))  // 0.05 ≤ 0.2 · 2.3 = 0.46: zero kept
        assertRange(0.5, 2, (0.425, 2.075))  // 0.5 > 0.4: padding 0.075
        assertRange(-3, 2, (-3, 2))  // straddles zero
        assertRange(-2, -0.1, (-2, 0))  // mirrored: 0.1 ≤ 0.4
        assertRange(0.98, 0.98, (0.9702, 0.9898))  // equal values: ± 1 % of 0.98
        assertRange(0, 0, (0, 1))

        // A 0.97 vs 0.99 difference fills most of the plot: the bars' tops are far apart, the axis starts near 0.97.
        let chart = BarChart(
            title: "accuracy", xLabel: "configuration", yLabel: "accuracy",
            bars: [.init(label: "a", value: 0.97), .init(label: "b", value: 0.99)], reference: (0.1, "chance 0.1"))
        let svg = chart.svg()
        parseXML(svg)
        let heights = svg.components(separatedBy: "<rect ").dropFirst(2).compactMap { element -> Double? in
            guard let range = element.range(of: "height=\"") else { return nil }
            return Double(element[range.upperBound...].prefix { $0 != "\"" })
        }
        XCTAssertEqual(heights.count, 2)
        // Plot height 320 − 34 − 56 = 230 over 0.969…0.991: bar a is 0.001/0.022 of it, bar b 0.021/0.022.
        XCTAssertEqual(heights[0], 230 * 0.001 / 0.022, accuracy: 0.01)
        XCTAssertEqual(heights[1], 230 * 0.021 / 0.022, accuracy: 0.01)
        XCTAssertTrue(svg.contains(">chance 0.1 (below the axis)</text>"), "a reference outside the axis is named")
        XCTAssertFalse(svg.contains("stroke-dasharray=\"5 3\""), "and not drawn")
    }

    /// The specification as tables: swept parameters with their grid values or distribution, fixed ones with their
    /// value, and the search settings — not a dump of every default.
    func testSpecificationIsTablesOfWhatWasSweptAndWhatWasFixed() throws {
        let json = """
            {"base":{"activation":"relu","adamEpsilon":1e-08,"batchSize":32},"method":"tpe","metric":{"goal":"maximize",\
            "name":"validation_accuracy"},"name":"s","parameters":[{"name":"data","value":"digits"},\
            {"name":"batch_size","values":[16,32]},{"name":"learning_rate","distribution":"log_uniform","min":0.001,"max":1},\
            {"name":"hidden","distribution":"q_uniform","min":16,"max":256,"q":16},{"name":"batch_norm","value":true},\
            {"name":"momentum","value":0.9}],"seed":7,"seeds":1,"run_cap":40,"early_terminate":{"type":"asha","eta":3,"min_epochs":1}}
            """
        let specification = try XCTUnwrap(SweepSpecification(json: json))
        XCTAssertEqual(specification.swept.columns, ["parameter", "values"])
        XCTAssertEqual(
            specification.swept.rows,
            [[.text("batch_size"), .text("16, 32")], [.text("learning_rate"), .text("log_uniform 0.001 … 1")],
             [.text("hidden"), .text("q_uniform 16 … 256, step 16")]])
        XCTAssertEqual(
            specification.fixed.rows,
            [[.text("data"), .text("digits")], [.text("batch_norm"), .text("true")], [.text("momentum"), .text("0.9")]])
        XCTAssertEqual(
            specification.search.rows,
            [[.text("method"), .text("tpe")], [.text("metric"), .text("validation_accuracy")], [.text("goal"), .text("maximize")],
             [.text("seeds per configuration"), .text("1")], [.text("sweep seed"), .text("7")], [.text("run cap"), .text("40")],
             [.text("early termination"), .text("eta: 3, min_epochs: 1, type: asha")]])
        XCTAssertNil(SweepSpecification(json: "not json"))
    }

    func testHeatmapCellsAndScale() {
        let heatmap = Heatmap(
            title: "acc", rowLabel: "batch_size", columnLabel: "learning_rate", valueLabel: "test_accuracy",
            rows: ["16", "64"], columns: ["0.01", "0.1"], values: [[0.5, 0.9], [0.4, .nan]])
        let svg = heatmap.svg()
        let elements = parseXML(svg)
        XCTAssertEqual(elements.filter { $0 == "rect" }.count, 1 + 4 + 10)  // background, cells, scale
        XCTAssertTrue(svg.contains("fill=\"#f4f4f4\""))  // the empty cell
        XCTAssertEqual(Heatmap.colour(0), "#00224E")
        XCTAssertEqual(Heatmap.colour(1), "#FDEA45")
    }

    func testNiceTicks() {
        XCTAssertEqual(SVG.linearTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1.0].map { $0 })
        XCTAssertEqual(SVG.linearTicks(3, 97, count: 4), [20, 40, 60, 80])
        XCTAssertEqual(SVG.escape("a<b & 'c'"), "a&lt;b &amp; &#39;c&#39;")
    }

    /// Tick and cell labels: positional in 10⁻⁴…10⁴, SI prefixes up to 10¹⁵, exponent form beyond (worked by hand).
    func testTickLabelsAreShortAndReadable() {
        let expected: [(Double, String)] = [
            (0, "0"), (0.001, "0.001"), (0.25, "0.25"), (0.98317, "0.983"), (0.0005, "0.0005"), (12.5, "12.5"),
            (1500, "1500"), (1234.4, "1234"), (999.96, "1000"), (10_000, "10k"), (153_095, "153k"),
            (1_500_000, "1.5M"), (999_999, "1M"), (-20_000, "-20k"), (3.7e9, "3.7G"), (1e-5, "1e-5"),
            (2.5e-7, "2.5e-7"), (3e15, "3e+15"), (.nan, "NaN"), (.infinity, "∞"), (-.infinity, "-∞"),
        ]
        for (value, label) in expected {
            XCTAssertEqual(SVG.tickLabel(value), label, "\(value)")
        }
        XCTAssertEqual(SVG.compactNumber(0.98317, significantDigits: 4), "0.9832")
        XCTAssertEqual(SVG.compactNumber(153_095, significantDigits: 4), "153.1k")
    }

    func testDownsamplerAndStatistics() {
        let values = (1...10).map(Double.init)
        let buckets = SeriesDownsampler.downsample(values, points: 3)
        // Step s goes to bucket ⌊(s − 1)·3 / 10⌋: steps 1–4, 5–7, 8–10.
        XCTAssertEqual(buckets.map(\.firstStep), [1, 5, 8])
        XCTAssertEqual(buckets.map(\.lastStep), [4, 7, 10])
        XCTAssertEqual(buckets.map(\.minimum), [1, 5, 8])
        XCTAssertEqual(buckets.map(\.maximum), [4, 7, 10])
        XCTAssertEqual(buckets.map(\.mean), [2.5, 6, 9])
        XCTAssertEqual(SeriesDownsampler.downsample([1, .nan, 3], points: 10).map(\.mean), [1, 3])
        let stats = MeanAndDeviation([1, 2, 3, 4])
        XCTAssertEqual(stats.mean, 2.5)
        XCTAssertEqual(stats.standardDeviation, (5.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(sparkline([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█")
        // A straight line has no residual around its moving average. Alternating ±1: the 25-step average is
        // ±1/25, so the residuals are ±0.96.
        XCTAssertEqual(RunStatistics.noise((0..<100).map { Double($0) })!, 0, accuracy: 1e-9)
        XCTAssertEqual(RunStatistics.noise((0..<1000).map { $0 % 2 == 0 ? 1.0 : -1.0 })!, 0.96, accuracy: 0.001)
    }
}
