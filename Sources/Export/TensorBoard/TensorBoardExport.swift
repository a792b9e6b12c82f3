import Engine
import Foundation
import Store

/// `logbook export --format tensorboard`: one folder per run under `directory`, named `run-ID`, holding one event
/// file, and the HParams experiment in an event file in `directory` itself, so that TensorBoard's HParams tab lists
/// every run with its hyperparameters, status and metrics.
///
/// A run's event file holds, in order: the file version `brain.Event:2`; the HParams session start (every
/// hyperparameter, typed; no group name, so that the HParams tab shows every run as its own row); every `RunScalars` point as a scalar summary at its step; the session end (the status mapped:
/// completed → success, failed and diverged → failure, pending and running → running, stopped, interrupted and pruned →
/// unknown). File names are `events.out.tfevents.T.logbook` with T the creation time in whole seconds (of the run;
/// of the sweep, or the earliest run, for the experiment), so a second export replaces the files of the first.
/// Each file is written beside its place and renamed into it.
public struct TensorBoardExport {
    public struct Summary: Sendable, Equatable {
        public var runs: Int
        public var scalars: Int
    }

    let store: any LogbookStoring
    let notes: ExportNotes

    public init(store: any LogbookStoring, notes: @escaping ExportNotes) {
        self.store = store
        self.notes = notes
    }

    @discardableResult
    public func export(_ selection: ExportSelection, to directory: String) throws -> Summary {
        let runs = try ExportRuns(selection, store: store)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var hyperparameterTypes: [String: Int64] = [:]
        var hyperparameterOrder: [String] = []
        var metricTags: [String] = []
        var summary = Summary(runs: 0, scalars: 0)
        var firstCreated: Double?
        for runID in runs.runIDs {
            let history = try RunHistory(id: runID, store: store)
            firstCreated = min(firstCreated ?? history.run.createdAt, history.run.createdAt)
            let hyperparameters = HyperparameterValues.of(history.run).map { (name: $0.name, value: Self.value($0.value)) }
            for (name, value) in hyperparameters where hyperparameterTypes[name] == nil {
                hyperparameterTypes[name] = value.dataType
                hyperparameterOrder.append(name)
            }
            let points = RunScalars.points(of: history)
            for point in points where !metricTags.contains(point.tag) { metricTags.append(point.tag) }
            try writeRun(history, hyperparameters: hyperparameters, points: points, directory: directory)
            summary.runs += 1
            summary.scalars += points.count
        }
        // The sweep's creation time, else the earliest run's: the same file name at every export of the selection.
        let createdAt = runs.sweep?.createdAt ?? firstCreated ?? 0
        let experiment = HParamsMessages.experiment(
            name: runs.experimentName, description: "Exported by Logbook", createdAt: createdAt,
            hyperparameters: hyperparameterOrder.map { (name: $0, type: hyperparameterTypes[$0]!) }, metricTags: metricTags)
        try writeEventFile(in: directory, createdAt: createdAt) { writer in
            try writer.write(
                EventMessages.pluginEvent(
                    tag: HParamsMessages.experimentTag, plugin: HParamsMessages.plugin, content: experiment, step: 0,
                    wallTime: createdAt))
        }
        return summary
    }

    private func writeRun(
        _ history: RunHistory, hyperparameters: [(name: String, value: HParamsMessages.Value)], points: [ScalarPoint],
        directory: String
    ) throws {
        let run = history.run
        let folder = (directory as NSString).appendingPathComponent("run-\(run.id)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let startedAt = run.startedAt ?? run.createdAt
        try writeEventFile(in: folder, createdAt: run.createdAt) { writer in
            try writer.write(
                EventMessages.pluginEvent(
                    tag: HParamsMessages.sessionStartTag, plugin: HParamsMessages.plugin,
                    content: HParamsMessages.sessionStart(hyperparameters: hyperparameters, group: "", startedAt: startedAt),
                    step: 0, wallTime: startedAt))
            var overflows: [ScalarPoint] = []
            for point in points {
                let value = Float(point.value)
                if value.isInfinite && point.value.isFinite { overflows.append(point) }
                try writer.write(
                    EventMessages.scalarEvent(tag: point.tag, value: value, step: point.step, wallTime: point.wallTime))
            }
            if let first = overflows.first {
                notes("run \(run.id): \(overflows.count) value(s) beyond float32, TensorBoard's scalar type, written as ±infinity (\(first.tag) at step \(first.step))")
            }
            let endedAt = run.endedAt ?? run.heartbeatAt ?? startedAt
            try writer.write(
                EventMessages.pluginEvent(
                    tag: HParamsMessages.sessionEndTag, plugin: HParamsMessages.plugin,
                    content: HParamsMessages.sessionEnd(status: Self.status(run.status), endedAt: endedAt),
                    step: run.stepsCompleted ?? 0, wallTime: endedAt))
        }
    }

    private func writeEventFile(in folder: String, createdAt: Double, _ body: (TFRecordWriter) throws -> Void) throws {
        let name = "events.out.tfevents.\(Int64(createdAt.rounded(.down))).logbook"
        let writer = try TFRecordWriter(path: (folder as NSString).appendingPathComponent(name))
        do {
            try writer.write(EventMessages.fileVersionEvent(wallTime: createdAt))
            try body(writer)
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    static func value(_ value: ParameterValue) -> HParamsMessages.Value {
        switch value {
        case .int(let number): return .number(Double(number))
        case .double(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        }
    }

    static func status(_ status: RunStatus) -> HParamsMessages.Status {
        switch status {
        case .completed: return .success
        case .failed, .diverged: return .failure
        case .pending, .running: return .running
        case .stopped, .interrupted, .pruned: return .unknown
        }
    }
}
