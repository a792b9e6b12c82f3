import Engine
import Foundation
import Store

/// `logbook export --format mlflow`: pushes runs to an MLflow tracking server through its REST API.
///
/// - The experiment is `--experiment`, else one per sweep (`sweep-ID-NAME`; `runs-1-2-3` for a list of runs),
///   found by name (`experiments/get-by-name`) or created (`experiments/create`).
/// - Each Logbook run becomes an MLflow run (`runs/create`, named as in Logbook, started at its start time) tagged
///   `logbook.run_id`, `logbook.sweep_id`, `logbook.trial_index`, `logbook.status`, `logbook.stop_reason`,
///   `logbook.model`, `logbook.dataset` and `logbook.configuration` (the full configuration, JSON); its
///   hyperparameters become params (`HyperparameterValues.text`), its `RunScalars` points metrics with their steps
///   and times — sent with `runs/log-batch` in calls of at most 1000 metrics, 100 params and 100 tags, the
///   server's limits. Then `runs/update` sets the status (completed → FINISHED, failed and diverged → FAILED,
///   interrupted, stopped and pruned → KILLED, running → RUNNING, pending → SCHEDULED) and end time, the final weights go
///   up as the artifact `model.safetensors`, and last the tag `logbook.export = complete`.
/// - Exporting twice adds nothing: a run whose `logbook.run_id` is already in the experiment with
///   `logbook.export = complete` is left alone; one without it (an export cut short) is deleted and sent again.
/// - What MLflow cannot carry — NaN or infinite metric values, names outside its character rules, params over 6000
///   characters (`MLflowLimits`) — is left out with one line per run and kind through `notes`; the rest is sent.
public struct MLflowExport {
    public struct Summary: Sendable, Equatable {
        public var experimentID: String
        public var created: Int
        public var skipped: Int
        public var metrics: Int
    }

    let store: any LogbookStoring
    let http: MLflowHTTP
    let experimentName: String?
    let notes: ExportNotes
    let artifacts: RunArtifacts

    public init(
        store: any LogbookStoring, trackingURI: String, experiment: String?, notes: @escaping ExportNotes,
        timeout: Double = 60
    ) throws {
        self.store = store
        http = try MLflowHTTP(trackingURI: trackingURI, timeout: timeout)
        experimentName = experiment
        self.notes = notes
        artifacts = RunArtifacts(store: store, notes: notes)
    }

    @discardableResult
    public func export(_ selection: ExportSelection) throws -> Summary {
        let runs = try ExportRuns(selection, store: store)
        let experimentID = try experiment(named: experimentName ?? runs.experimentName)
        let existing = try exportedRuns(experimentID: experimentID)
        var summary = Summary(experimentID: experimentID, created: 0, skipped: 0, metrics: 0)
        for runID in runs.runIDs {
            if let found = existing[runID] {
                if found.complete {
                    summary.skipped += 1
                    continue
                }
                try http.post("runs/delete", ["run_id": found.mlflowRunID])
            }
            summary.metrics += try send(try RunHistory(id: runID, store: store), experimentID: experimentID)
            summary.created += 1
        }
        return summary
    }

    private func experiment(named name: String) throws -> String {
        if let found = try http.get("experiments/get-by-name", query: ["experiment_name": name]),
            let id = (found["experiment"] as? [String: Any])?["experiment_id"] as? String
        {
            return id
        }
        let created = try http.post("experiments/create", ["name": name])
        guard let id = created["experiment_id"] as? String else { throw ExportError("MLflow: experiments/create returned no id") }
        return id
    }

    /// The experiment's active runs that carry `logbook.run_id`, by Logbook run id (`runs/search`, paged).
    private func exportedRuns(experimentID: String) throws -> [Int64: (mlflowRunID: String, complete: Bool)] {
        var found: [Int64: (mlflowRunID: String, complete: Bool)] = [:]
        var pageToken: String?
        repeat {
            var body: [String: Any] = ["experiment_ids": [experimentID], "max_results": 1000]
            if let pageToken { body["page_token"] = pageToken }
            let page = try http.post("runs/search", body)
            for run in page["runs"] as? [[String: Any]] ?? [] {
                let info = run["info"] as? [String: Any]
                let tags = ((run["data"] as? [String: Any])?["tags"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
                    if let key = $1["key"] as? String { $0[key] = $1["value"] as? String ?? "" }
                }
                guard let mlflowRunID = info?["run_id"] as? String, let text = tags["logbook.run_id"], let id = Int64(text) else {
                    continue
                }
                found[id] = (mlflowRunID, tags["logbook.export"] == "complete")
            }
            pageToken = (page["next_page_token"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        } while pageToken != nil
        return found
    }

    /// Creates the MLflow run of `history` and sends everything; returns the metric count.
    private func send(_ history: RunHistory, experimentID: String) throws -> Int {
        let run = history.run
        let startedAt = run.startedAt ?? run.createdAt
        let created = try http.post(
            "runs/create",
            [
                "experiment_id": experimentID, "run_name": run.name, "start_time": Self.milliseconds(startedAt),
                "tags": tags(of: run).map { ["key": $0.key, "value": $0.value] },
            ])
        guard let info = (created["run"] as? [String: Any])?["info"] as? [String: Any],
            let mlflowRunID = info["run_id"] as? String
        else { throw ExportError("MLflow: runs/create returned no run id") }

        let params = self.params(of: run)
        for start in stride(from: 0, to: params.count, by: MLflowLimits.paramsOrTagsPerBatch) {
            let chunk = Array(params[start..<min(start + MLflowLimits.paramsOrTagsPerBatch, params.count)])
            try http.post("runs/log-batch", ["run_id": mlflowRunID, "params": chunk])
        }
        let metrics = try sendMetrics(RunScalars.points(of: history), runID: run.id, mlflowRunID: mlflowRunID)
        let endedAt = run.endedAt ?? run.heartbeatAt ?? startedAt
        try http.post(
            "runs/update",
            ["run_id": mlflowRunID, "status": Self.status(run.status), "end_time": Self.milliseconds(endedAt)])
        if let artifactURI = info["artifact_uri"] as? String, let weights = try artifacts.safetensors(run: run) {
            try upload(weights, name: "model.safetensors", artifactURI: artifactURI, runID: run.id)
        }
        try http.post("runs/set-tag", ["run_id": mlflowRunID, "key": "logbook.export", "value": "complete"])
        return metrics
    }

    /// The run's hyperparameters as params; a name or value MLflow refuses is left out with a note.
    private func params(of run: RunRecord) -> [[String: Any]] {
        var params: [[String: Any]] = []
        for (name, value) in HyperparameterValues.of(run) {
            let text = HyperparameterValues.text(value)
            if let problem = MLflowLimits.keyProblem(name) {
                notes("run \(run.id): param '\(name)' has \(problem); left out")
            } else if text.count > MLflowLimits.paramValueLength {
                notes("run \(run.id): param '\(name)' is \(text.count) characters, MLflow holds \(MLflowLimits.paramValueLength); left out")
            } else {
                params.append(["key": name, "value": text])
            }
        }
        return params
    }

    private func sendMetrics(_ points: [ScalarPoint], runID: Int64, mlflowRunID: String) throws -> Int {
        var batch: [[String: Any]] = []
        batch.reserveCapacity(MLflowLimits.metricsPerBatch)
        var sent = 0
        var leftOut: [ScalarPoint] = []
        var refusedNames: [String: String] = [:]
        for point in points {
            if let problem = refusedNames[point.tag] ?? MLflowLimits.keyProblem(point.tag) {
                refusedNames[point.tag] = problem
                continue
            }
            guard point.value.isFinite else {
                leftOut.append(point)
                continue
            }
            batch.append([
                "key": point.tag, "value": point.value, "timestamp": Self.milliseconds(point.wallTime), "step": point.step,
            ])
            if batch.count == MLflowLimits.metricsPerBatch {
                try http.post("runs/log-batch", ["run_id": mlflowRunID, "metrics": batch])
                sent += batch.count
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty {
            try http.post("runs/log-batch", ["run_id": mlflowRunID, "metrics": batch])
            sent += batch.count
        }
        for (name, problem) in refusedNames.sorted(by: { $0.key < $1.key }) {
            notes("run \(runID): metric '\(name)' has \(problem); left out")
        }
        if let first = leftOut.first {
            let more = leftOut.count > 1 ? " and \(leftOut.count - 1) more" : ""
            notes("run \(runID): \(leftOut.count) NaN or infinite metric value(s) not sent to MLflow, which cannot hold them (\(first.tag) at step \(first.step)\(more))")
        }
        return sent
    }

    private func tags(of run: RunRecord) -> [(key: String, value: String)] {
        var tags: [(key: String, value: String)] = [
            ("logbook.run_id", String(run.id)), ("logbook.status", run.status.rawValue), ("logbook.model", run.model),
            ("logbook.dataset", run.dataset), ("logbook.version", run.logbookVersion),
        ]
        if let sweepID = run.sweepID { tags.append(("logbook.sweep_id", String(sweepID))) }
        if let trialIndex = run.trialIndex { tags.append(("logbook.trial_index", String(trialIndex))) }
        if let stopReason = run.stopReason { tags.append(("logbook.stop_reason", stopReason)) }
        if let error = run.error { tags.append(("logbook.error", String(error.prefix(MLflowLimits.tagValueLength)))) }
        let configuration = String(decoding: (try? JSONEncoder.sorted.encode(run.configuration)) ?? Data(), as: UTF8.self)
        if configuration.utf8.count <= MLflowLimits.tagValueLength {
            tags.append(("logbook.configuration", configuration))
        } else {
            notes("run \(run.id): its configuration (\(configuration.utf8.count) bytes) is longer than an MLflow tag holds (\(MLflowLimits.tagValueLength)); tag logbook.configuration left out")
        }
        return tags
    }

    /// Uploads through the server's artifact proxy: `mlflow-artifacts:/PATH` becomes `PUT …/artifacts/PATH/NAME`.
    private func upload(_ bytes: [UInt8], name: String, artifactURI: String, runID: Int64) throws {
        let prefix = "mlflow-artifacts:"
        guard artifactURI.hasPrefix(prefix) else {
            notes("run \(runID): the server stores artifacts at '\(artifactURI)', not through its artifact proxy; \(name) left out")
            return
        }
        var path = String(artifactURI.dropFirst(prefix.count))
        while path.hasPrefix("/") { path.removeFirst() }
        try http.putArtifact(path: path + "/" + name, bytes: bytes)
    }

    static func milliseconds(_ seconds: Double) -> Int64 { Int64((seconds * 1000).rounded()) }

    static func status(_ status: RunStatus) -> String {
        switch status {
        case .completed: return "FINISHED"
        case .failed, .diverged: return "FAILED"
        case .interrupted, .stopped, .pruned: return "KILLED"
        case .running: return "RUNNING"
        case .pending: return "SCHEDULED"
        }
    }
}

extension JSONEncoder {
    /// Keys sorted, so that equal configurations encode to equal text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
