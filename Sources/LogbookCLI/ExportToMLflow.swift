import Export
import Foundation

/// `logbook export --format mlflow --tracking-uri URL [--experiment NAME]`.
enum ExportToMLflow {
    static func run(_ command: Export) throws {
        let store = try QuerySupport.openReadOnly(command.store)
        let export = try MLflowExport(
            store: store, trackingURI: command.mlflow.trackingURI!, experiment: command.mlflow.experiment,
            notes: Console.error)
        let summary = try export.export(command.selection)
        Console.line(
            "MLflow experiment \(summary.experimentID): \(summary.created) runs sent (\(summary.metrics) metric values), \(summary.skipped) already there")
    }
}
