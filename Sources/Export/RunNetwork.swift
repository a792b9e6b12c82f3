import Engine
import Store

/// A recorded run's network, rebuilt: the model of its configuration holding its final (or initial) weights, and
/// the feature scaling it was trained with.
///
/// The store keeps the weights but not the scaler: the scaler is refitted exactly as training fitted it — the run's
/// data settings loaded and split by `DataPipeline` (seeded, so the same split), `Scaler.fit` of the configured
/// method on the training split — which is deterministic. `data` holds those splits unscaled (raw features), so
/// that a caller can feed the exported model what a user would. When the data can no longer be loaded (a CSV file
/// that moved), or its split sizes differ from the run's record (the file changed), `scaler` is nil and `scalerProblem`
/// says why in one line.
public struct RunNetwork {
    public var run: RunRecord
    public var model: Sequential
    public var scaler: Scaler?
    public var scalerProblem: String?
    /// The run's splits, raw (unscaled); nil with the scaler.
    public var data: PreparedData?

    public var kind: WeightsSnapshot.Kind

    public init(run runID: Int64, kind: WeightsSnapshot.Kind = .final, store: any RunStore) throws {
        run = try store.run(id: runID)
        self.kind = kind
        let tensors: [NamedTensor]
        do {
            tensors = try store.weights(run: runID, kind: kind)
        } catch {
            throw ExportError("run \(runID) (\(run.status.rawValue)) has no \(kind.rawValue) weights to export")
        }
        let configuration = run.configuration
        let denseShapes = tensors.filter { $0.name.hasSuffix(".weight") && $0.shape.count == 2 }.map(\.shape)
        guard let first = denseShapes.first else { throw ExportError("run \(runID): no dense layer among its weights") }
        let widths = [first[1]] + denseShapes.map { $0[0] }
        model = Sequential(
            widths: widths, activation: configuration.activation, batchNorm: configuration.batchNorm,
            batchNormMomentum: Float(configuration.batchNormMomentum), batchNormEpsilon: Float(configuration.batchNormEpsilon),
            dropout: Float(configuration.dropout), seed: configuration.seed)
        try model.load(tensors, source: "run:\(runID)")

        var settings = configuration.dataSettings
        settings.scaling = .none
        do {
            let raw = try DataPipeline.prepare(settings)
            let sizes = [raw.train.sampleCount, raw.validation?.sampleCount ?? 0, raw.test?.sampleCount ?? 0]
            let recorded = [run.trainSize, run.validationSize, run.testSize]
            if recorded.allSatisfy({ $0 != nil }), recorded.map({ $0! }) != sizes {
                scalerProblem = "run \(runID): its data '\(configuration.data)' now splits into \(sizes) samples, the run recorded \(recorded.map { $0! }); the scaler cannot be refitted"
            } else {
                scaler = Scaler.fit(configuration.scaling, to: raw.train.features)
                data = raw
            }
        } catch {
            scalerProblem = "run \(runID): its data '\(configuration.data)' cannot be loaded to refit the scaler (\(error))"
        }
    }

    /// The network as an ONNX model (`ONNXNetwork`), with the run's id, configuration and dataset as metadata.
    public func onnx() throws -> [UInt8] {
        guard let scaler else { throw ExportError(scalerProblem ?? "run \(run.id): no scaler") }
        var graph = try ONNXNetwork.graph(model: model, scaler: scaler, name: "logbook-run-\(run.id)")
        graph.documentation = "Logbook run \(run.id): \(run.model) on \(run.dataset); raw features in, class scores out"
        graph.metadata = WeightsMetadata.of(run, kind: kind).sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        return graph.encode(producerVersion: run.logbookVersion)
    }

    /// The weights and, when refitted, `scaler.offset` and `scaler.scale` (buffers, after the layers) with the
    /// safetensors metadata; what `Safetensors.write` or `encode` take.
    public func safetensorsContents(notes: ExportNotes) -> (tensors: [NamedTensor], metadata: [String: String]) {
        var tensors = model.namedTensors()
        if let scaler {
            let width = scaler.offsets.count
            tensors.append(NamedTensor(name: "scaler.offset", role: .buffer, shape: [width], values: scaler.offsets))
            tensors.append(NamedTensor(name: "scaler.scale", role: .buffer, shape: [width], values: scaler.factors))
        } else if let scalerProblem {
            notes(scalerProblem + "; scaler.offset and scaler.scale left out")
        }
        var metadata = WeightsMetadata.of(run, kind: kind)
        if let scaler { metadata["logbook.scaling"] = scaler.method.rawValue }
        return (tensors, metadata)
    }
}
