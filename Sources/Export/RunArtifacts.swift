import Engine
import Foundation
import Store

/// The files an export attaches to a run: its final weights as safetensors (what `logbook weights export` writes).
struct RunArtifacts {
    let store: any LogbookStoring
    let notes: ExportNotes

    /// The final weights as a safetensors file, nil (with a note) when the run has none.
    func safetensors(run: RunRecord) throws -> [UInt8]? {
        guard let tensors = try? store.weights(run: run.id, kind: .final) else {
            notes("run \(run.id) (\(run.status.rawValue)) has no final weights; model.safetensors left out")
            return nil
        }
        return try Safetensors.encode(tensors, metadata: WeightsMetadata.of(run, kind: .final))
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
