import Report
import Store
import XCTest

final class OutputFormatTests: XCTestCase {
    let table = ResultTable(
        columns: ["run_id", "initializer", "learning_rate", "test_accuracy", "note"],
        rows: [
            [.integer(1), .text("he-uniform"), .real(0.1), .real(0.912345), .text("plain")],
            [.integer(12), .text("zeros"), .real(0.001), .null, .text("say \"hi\", twice")],
            [.integer(3), .text("xavier|normal"), .real(1e-05), .real(1), .text("two\nlines")],
        ])

    func testTextTableSnapshot() {
        let expected = """
            run_id  initializer    learning_rate  test_accuracy  note
            ------  -------------  -------------  -------------  ---------------
                 1  he-uniform               0.1         0.9123  plain
                12  zeros                  0.001                 say "hi", twice
                 3  xavier|normal          1e-05              1  two⏎lines

            """
        XCTAssertEqual(OutputFormat.table.render(table), expected)
    }

    func testTextTableColourOnlyWhenAsked() {
        var highlighted = table
        highlighted.highlightedRows = [1]
        let plain = OutputFormat.table.render(highlighted, colour: false)
        XCTAssertFalse(plain.contains("\u{1B}"))
        let coloured = OutputFormat.table.render(highlighted, colour: true)
        let lines = coloured.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines[0].hasPrefix("\u{1B}[1mrun_id"))
        XCTAssertTrue(lines[3].hasPrefix("\u{1B}[33;1m    12"))
        XCTAssertFalse(lines[2].contains("\u{1B}"))
        // Stripping the escapes gives back the plain table.
        let stripped = coloured.replacingOccurrences(of: "\u{1B}[1m", with: "").replacingOccurrences(of: "\u{1B}[33;1m", with: "")
            .replacingOccurrences(of: "\u{1B}[0m", with: "")
        XCTAssertEqual(stripped, plain)
    }

    func testCSVSnapshot() {
        let expected = """
            run_id,initializer,learning_rate,test_accuracy,note
            1,he-uniform,0.1,0.912345,plain
            12,zeros,0.001,,"say ""hi"", twice"
            3,xavier|normal,1e-05,1.0,"two
            lines"

            """
        XCTAssertEqual(OutputFormat.csv.render(table), expected)
    }

    func testJSONSnapshotAndValidity() throws {
        let expected = """
            [
              {"run_id": 1, "initializer": "he-uniform", "learning_rate": 0.1, "test_accuracy": 0.912345, "note": "plain"},
              {"run_id": 12, "initializer": "zeros", "learning_rate": 0.001, "test_accuracy": null, "note": "say \\"hi\\", twice"},
              {"run_id": 3, "initializer": "xavier|normal", "learning_rate": 1e-05, "test_accuracy": 1.0, "note": "two\\nlines"}
            ]

            """
        let json = OutputFormat.json.render(table)
        XCTAssertEqual(json, expected)
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        XCTAssertEqual(parsed.count, 3)
        XCTAssertEqual(parsed[1]["note"] as? String, "say \"hi\", twice")
        XCTAssertTrue(parsed[1]["test_accuracy"] is NSNull)
        XCTAssertEqual(parsed[2]["learning_rate"] as? Double, 1e-05)
    }

    func testJSONEscapesControlCharactersAndNonFiniteNumbers() throws {
        let odd = ResultTable(columns: ["text", "loss"], rows: [[.text("tab\there\u{01}\\"), .real(.nan)]])
        let json = OutputFormat.json.render(odd)
        XCTAssertEqual(json, "[\n  {\"text\": \"tab\\there\\u0001\\\\\", \"loss\": null}\n]\n")
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.utf8)))
        XCTAssertEqual(OutputFormat.json.render(ResultTable(columns: ["a"], rows: [])), "[]\n")
    }

    func testMarkdownSnapshot() {
        var highlighted = table
        highlighted.highlightedRows = [0]
        let expected = """
            | run_id | initializer | learning_rate | test_accuracy | note |
            | ---: | --- | ---: | ---: | --- |
            | **1** | **he-uniform** | **0.1** | **0.9123** | **plain** |
            | 12 | zeros | 0.001 |  | say "hi", twice |
            | 3 | xavier\\|normal | 1e-05 | 1 | two<br>lines |

            """
        XCTAssertEqual(OutputFormat.markdown.render(highlighted), expected)
    }

    func testCellText() {
        XCTAssertEqual(CellText.formatReal(2.302585), "2.303")
        XCTAssertEqual(CellText.formatReal(1234.56), "1235")
        XCTAssertEqual(CellText.formatReal(10000), "10000")
        XCTAssertEqual(CellText.formatReal(123456.7), "123457")
        XCTAssertEqual(CellText.formatReal(-824412.4), "-824412")
        XCTAssertEqual(CellText.formatReal(3.2e20), "3.2e+20")
        XCTAssertEqual(CellText.formatReal(1e-5), "1e-05")
        XCTAssertEqual(CellText.formatReal(-.infinity), "-inf")
        XCTAssertEqual(CellText.exact(.real(0.30000000000000004)), "0.30000000000000004")
        XCTAssertEqual(CellText.exact(.blob([0, 255])), "00ff")
        XCTAssertEqual(CSVWriter.quote("a\r\nb"), "\"a\r\nb\"")
    }

    func testStreamingWriterMatchesTheInMemoryWriters() throws {
        for format in StreamingTableWriter.Format.allCases {
            for sample in [table, ResultTable(columns: table.columns, rows: [])] {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString)")
                _ = FileManager.default.createFile(atPath: url.path, contents: nil)
                let handle = try FileHandle(forWritingTo: url)
                let writer = StreamingTableWriter(handle: handle, format: format)
                writer.header(sample.columns)
                for row in sample.rows { try writer.row(row) }
                XCTAssertEqual(try writer.finish(), sample.rows.count)
                try handle.close()
                let written = try String(contentsOf: url, encoding: .utf8)
                try FileManager.default.removeItem(at: url)
                XCTAssertEqual(written, format == .csv ? CSVWriter.render(sample) : JSONWriter.render(sample))
            }
        }
    }

    func testDroppingEmptyColumns() {
        let sparse = ResultTable(columns: ["a", "b", "c"], rows: [[.integer(1), .null, .null], [.integer(2), .null, .text("x")]])
        XCTAssertEqual(sparse.droppingEmptyColumns().columns, ["a", "c"])
        XCTAssertEqual(sparse.droppingEmptyColumns().rows, [[.integer(1), .null], [.integer(2), .text("x")]])
        XCTAssertEqual(ResultTable(columns: ["a"], rows: []).droppingEmptyColumns().columns, ["a"])
    }
}
