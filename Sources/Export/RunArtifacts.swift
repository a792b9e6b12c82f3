import Engine
import Foundation
import Store

/// The files an export attaches to a run: its final weights as safetensors, with the feature scaler — the file
/// `logbook weights export RUN --format safetensors` writes.
struct RunArtifacts {
    let store: any LogbookStoring
    let notes: ExportNotes

    /// The safetensors file, nil (with a note) when the run has no final weights.
    func safetensors(run: RunRecord) throws -> [UInt8]? {
        guard (try? store.weights(run: run.id, kind: .final)) != nil else {
            notes("run \(run.id) (\(run.status.rawValue)) has no final weights; model.safetensors left out")
            return nil
        }
        let contents = try RunNetwork(run: run.id, store: store).safetensorsContents(notes: notes)
        return try Safetensors.encode(contents.tensors, metadata: contents.metadata)
    }
}

/// The safetensors metadata of a run's weights.
enum WeightsMetadata {
    static func of(_ run: RunRecord, kind: WeightsSnapshot.Kind) -> [String: String] {
        let configuration = String(decoding: (try? JSONEncoder().encode(run.configuration)) ?? Data(), as: UTF8.self)
        return [
            "format": "pt", "logbook.run": String(run.id), "logbook.kind": kind.rawValue, "logbook.model": run.model,
            "logbook.dataset": run.dataset, "logbook.configuration": configuration,
        ]
    }
}
