import Foundation
import Report
@testable import Store
import XCTest

@testable import LogbookCLI

final class QueryCommandsTests: XCTestCase {
    func testShowPrintsEverySection() throws {
        let fixture = try QueryFixture()
        let output = try fixture.output(Show.self, ["3"])
        for fragment in [
            "run 3  synthetic-1-t2  (sweep 1, trial 2)", "status:    completed (max_epochs)", "configuration:",
            "batch_size=16", "learning_rate=0.1", "initializer=he-uniform", "epochs:", "test:      loss ", ", accuracy ",
            "on 100 samples (epoch 3)", "confusion matrix", "recall", "loss:",
        ] {
            XCTAssertTrue(output.contains(fragment), "missing '\(fragment)'")
        }
        // 3 epoch rows under the epochs header.
        let epochLines = output.components(separatedBy: "epochs:\n")[1].split(separator: "\n").prefix(5)
        XCTAssertEqual(epochLines.filter { $0.trimmingCharacters(in: .whitespaces).first?.isNumber == true }.count, 3)
        let sparkLine = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix("loss:") })
        XCTAssertTrue(sparkLine.contains("▁") && sparkLine.contains("█"), String(sparkLine))
        XCTAssertThrowsError(try fixture.output(Show.self, ["999"])) { error in
            XCTAssertEqual(Logbook.message(for: error), "no run with id 999")
        }
    }

    func testCompareMarksDifferingHyperparametersAndDeltas() throws {
        let fixture = try QueryFixture()
        let table = try RunComparison.table([3, 4], store: LogbookStore(path: fixture.path, mode: .readOnly))
        let fields = try XCTUnwrap(table.column("field")).map(\.label)
        let differs = try XCTUnwrap(table.column("differs")).map(\.label)
        let marked = Set(zip(fields, differs).filter { $0.1 == "*" }.map(\.0))
        // Runs 3 and 4 differ only in the initializer among hyperparameters.
        XCTAssertTrue(marked.contains("initializer"))
        XCTAssertFalse(marked.contains("batch_size") || marked.contains("seed") || marked.contains("learning_rate"))
        XCTAssertEqual(table.highlightedRows, [fields.firstIndex(of: "initializer")!])
        let accuracyRow = try XCTUnwrap(table.rows.first { $0[1] == .text("test_accuracy") })
        XCTAssertEqual(accuracyRow[4].double!, accuracyRow[3].double! - accuracyRow[2].double!, accuracy: 1e-12)
        let text = try fixture.output(Compare.self, ["3", "4"])
        XCTAssertTrue(text.contains("run 3") && text.contains("delta"))
    }

    func testPivotMeanAndStandardDeviationOverSeeds() throws {
        let fixture = try QueryFixture()
        let store = try LogbookStore(path: fixture.path, mode: .readOnly)
        let one = try SweepPivot.table(sweepID: fixture.sweepID, by: ["initializer"], metric: "test_accuracy", store: store)
        XCTAssertEqual(one.columns, ["initializer", "test_accuracy_mean", "test_accuracy_std", "n"])
        let zeros = try XCTUnwrap(one.rows.first { $0[0] == .text("zeros") })
        XCTAssertEqual(zeros[1].double!, 0.1, accuracy: 1e-12)
        XCTAssertEqual(zeros[2].double!, 0, accuracy: 1e-12)
        XCTAssertEqual(zeros[3], .integer(8))
        // Recompute one cell independently from run_summary.
        let values = try store.table(
            "SELECT test_accuracy FROM run_summary WHERE batch_size = 16 AND learning_rate = 0.1").rows.map { $0[0].double! }
        let expected = MeanAndDeviation(values)
        let two = try SweepPivot.table(sweepID: fixture.sweepID, by: ["batch_size", "learning_rate"], metric: "test_accuracy", store: store)
        XCTAssertEqual(two.columns, ["batch_size \\ learning_rate", "learning_rate=0.01", "learning_rate=0.1"])
        XCTAssertEqual(two.rows[0][0], .integer(16))
        XCTAssertEqual(two.rows[0][2], .text(expected.text))
        XCTAssertTrue(expected.text.hasSuffix("(n=4)"))
        let output = try fixture.output(Compare.self, ["--sweep", "1", "--by", "batch_size", "--by", "learning_rate", "--format", "csv"])
        XCTAssertTrue(output.hasPrefix("batch_size \\ learning_rate,learning_rate=0.01,learning_rate=0.1\n16,"))
        XCTAssertThrowsError(try fixture.output(Compare.self, ["--sweep", "1", "--by", "batchsize"])) { error in
            XCTAssertTrue(Logbook.message(for: error).contains("did you mean 'batch_size'"))
        }
        XCTAssertThrowsError(try fixture.output(Compare.self, ["5"])) { error in
            XCTAssertTrue(Logbook.message(for: error).contains("two or more run ids"))
        }
    }

    /// A pivot by a parameter the spec draws per trial groups it in 4 equal-count bins once it has more than 10
    /// distinct values, as the report does; by the same values listed on a grid, every value is a row.
    func testPivotBinsAParameterDrawnPerTrial() throws {
        let rates = (1...12).map { Double($0) / 1000 }
        let fixture = try QueryFixture { sweep in
            sweep.batchSizes = [16]
            sweep.learningRates = rates
            sweep.initializers = [.heUniform]
            sweep.seeds = 1
            sweep.epochs = 1
        }
        let store = try LogbookStore(path: fixture.path)
        let asGrid = try SweepPivot.table(sweepID: fixture.sweepID, by: ["learning_rate"], metric: "test_accuracy", store: store)
        XCTAssertEqual(asGrid.column("learning_rate"), rates.map(SQLValue.real))
        // The same runs, as if TPE had drawn the learning rates (the fixture's spec lists them as grid values).
        _ = try store.table(
            #"UPDATE sweeps SET spec = json_set(spec, '$.parameters[1]', json('{"name":"learning_rate","distribution":"log_uniform","min":0.001,"max":0.1}')) WHERE id = ?"#,
            [.integer(fixture.sweepID)])
        let drawn = try SweepPivot.table(sweepID: fixture.sweepID, by: ["learning_rate"], metric: "test_accuracy", store: store)
        XCTAssertEqual(drawn.column("learning_rate"), ["0.001–0.003", "0.004–0.006", "0.007–0.009", "0.01–0.012"].map(SQLValue.text))
        XCTAssertEqual(drawn.column("n"), [3, 3, 3, 3].map { SQLValue.integer($0) })
        let accuracies = try XCTUnwrap(asGrid.column("test_accuracy_mean")).map { $0.double! }
        XCTAssertEqual(drawn.column("test_accuracy_mean")?.first?.double ?? .nan, accuracies[0..<3].reduce(0, +) / 3, accuracy: 1e-12)
    }

    func testBestHonoursMetricAndGoal() throws {
        let fixture = try QueryFixture()
        let store = try LogbookStore(path: fixture.path, mode: .readOnly)
        let maximum = try store.table("SELECT max(test_accuracy), min(train_loss) FROM run_summary").rows[0]
        let best = try fixture.output(Best.self, ["--sweep", "1", "--format", "json"])
        XCTAssertTrue(best.contains("\"test_accuracy\": \(CellText.exactReal(maximum[0].double!))"), best)
        let lowest = try fixture.output(Best.self, ["--sweep", "1", "--metric", "train_loss", "--goal", "min", "--format", "csv"])
        let lines = lowest.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(String(lines[1].split(separator: ",")[3]), CellText.exactReal(maximum[1].double!))
        XCTAssertThrowsError(try fixture.output(Best.self, ["--sweep", "42"])) { error in
            XCTAssertEqual(Logbook.message(for: error), "no sweep with id 42")
        }
    }

    func testMetricsDownsamplingKeepsMinMaxMean() throws {
        let fixture = try QueryFixture()
        let store = try LogbookStore(path: fixture.path, mode: .readOnly)
        let losses = try store.table("SELECT loss FROM iterations WHERE run_id = 1 ORDER BY step").rows.map { $0[0].double! }
        XCTAssertEqual(losses.count, 60)
        let csv = try fixture.output(Metrics.self, ["1", "--points", "7", "--format", "csv"])
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        XCTAssertEqual(rows.count, 7)
        XCTAssertEqual(rows.map { Int($0[2]) }.reduce(0, +), 60)
        for row in rows {
            let slice = Array(losses[(Int(row[0]) - 1)...(Int(row[1]) - 1)])
            XCTAssertEqual(row[3], slice.min()!)
            XCTAssertEqual(row[4], slice.max()!)
            XCTAssertEqual(row[5], slice.reduce(0, +) / Double(slice.count), accuracy: 1e-12)
        }
        let full = try fixture.output(Metrics.self, ["1", "--format", "csv"])
        XCTAssertEqual(full.split(separator: "\n").count, 61)
        XCTAssertTrue(full.hasPrefix("step,epoch,batch_index,loss,learning_rate\n1,1,0,"))
        let epochs = try fixture.output(Metrics.self, ["1", "--kind", "epoch", "--format", "json"])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(epochs.utf8)) as? [Any])?.count, 3)
    }

    func testExportStreamsLongFormat() throws {
        let fixture = try QueryFixture()
        for (what, format, expectedRows) in [("iterations", "csv", 600), ("epochs", "json", 48), ("runs", "csv", 16)] {
            let out = fixture.directory.appendingPathComponent("export.\(format)").path
            let command = try fixture.command(Export.self, ["--what", what, "--format", format, "--sweep", "1", "--out", out])
            try command.run()
            let text = try String(contentsOfFile: out, encoding: .utf8)
            if format == "csv" {
                let lines = text.split(separator: "\n")
                XCTAssertEqual(lines.count, expectedRows + 1, what)
                XCTAssertTrue(lines[0].hasPrefix(what == "runs" ? "run_id,name," : "run_id,trial_index,seed,batch_size,base_learning_rate,initializer"))
            } else {
                let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
                XCTAssertEqual(parsed.count, expectedRows)
                XCTAssertNotNil(parsed[0]["train_loss"])
            }
        }
        XCTAssertThrowsError(try fixture.command(Export.self, ["--sweep", "1", "--what", "weights"]))
    }
}
