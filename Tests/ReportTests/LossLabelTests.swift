import Engine
import Foundation
import Store
import XCTest

@testable import Report

/// Chart titles name the loss the runs trained with (issue 8: not "cross-entropy" whatever the loss).
final class LossLabelTests: XCTestCase {
    func run(loss: String?, classCount: Int = 0, trainAccuracy: Double? = nil) -> SweepReportData.Run {
        let epoch = SweepReportData.Epoch(
            epoch: 1, step: 10, trainLoss: 0.5, trainAccuracy: trainAccuracy, validationAccuracy: nil, seconds: 1,
            samplesPerSecond: 100)
        return SweepReportData.Run(
            id: 1, summary: ["status": .text("completed")], parameters: loss.map { ["loss": .text($0)] } ?? [:],
            epochs: [epoch], classCount: classCount)
    }

    func testLossNameIsTheParameterElseTheEnginesAutomaticChoice() {
        XCTAssertEqual(run(loss: "bce").lossName, "bce")
        XCTAssertEqual(run(loss: "mse", classCount: 10).lossName, "mse")
        XCTAssertEqual(run(loss: nil, classCount: 10).lossName, "cross-entropy")
        XCTAssertEqual(run(loss: nil, trainAccuracy: 0.9).lossName, "cross-entropy")
        XCTAssertEqual(run(loss: nil).lossName, "mse")
    }

    func testLabelNamesTheLossAndItsUnit() {
        XCTAssertEqual(SweepReportData.lossLabel(of: [run(loss: nil, classCount: 3)]).name, "cross-entropy")
        XCTAssertEqual(SweepReportData.lossLabel(of: [run(loss: nil, classCount: 3)]).unit, "nats")
        XCTAssertEqual(SweepReportData.lossLabel(of: [run(loss: "bce")]).name, "BCE")
        XCTAssertEqual(SweepReportData.lossLabel(of: [run(loss: "bce")]).unit, "nats")
        XCTAssertEqual(SweepReportData.lossLabel(of: [run(loss: nil), run(loss: "mse")]).name, "MSE")
        XCTAssertNil(SweepReportData.lossLabel(of: [run(loss: "mse")]).unit)
        XCTAssertEqual(SweepReportData.lossLabel(of: [run(loss: "mse"), run(loss: "bce")]).name, "loss")
    }

    /// A regression sweep recorded by the real recorder: the loss chart says MSE, with no unit of nats.
    func testRegressionReportTitlesItsLossChartMSE() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-loss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LogbookStore(path: directory.appendingPathComponent("regression.sqlite").path)
        var configuration = TrainingConfiguration()
        configuration.data = "sine"
        configuration.layers = [1, 8, 1]
        configuration.epochs = 2
        let sweepID = try store.createSweep(
            name: "sine", method: "grid", metricName: "test_loss", metricGoal: "minimize", specJSON: "{}",
            trials: [configuration])
        let trial = try XCTUnwrap(try store.claimNextTrial(sweepID: sweepID, worker: "w#1"))
        let trainer = try Trainer(configuration: trial.configuration)
        let recorder = try store.recorder(for: trial.runID)
        trainer.observers = [recorder]
        _ = try trainer.run()
        try recorder.close()
        let html = try SweepReport().build(sweepID: sweepID, store: store).html()
        XCTAssertTrue(html.contains("<title>Training loss (MSE) per configuration</title>"), "loss chart title")
        XCTAssertFalse(html.contains("cross-entropy"))
        XCTAssertFalse(html.contains("nats"))
    }
}
