import ArgumentParser
import Engine
import Export
import Foundation
import Store

/// `logbook weights …`: the stored tensors of runs.
struct Weights: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export the weights stored with a run.", subcommands: [WeightsExport.self])
}

/// `logbook weights export RUN --out FILE [--format safetensors|onnx]`: a run's final (or initial) network.
struct WeightsExport: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case safetensors, onnx }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run's weights as a safetensors file or its network as an ONNX model.",
        discussion: """
            safetensors: every tensor, batch-norm buffers included, in PyTorch's names and layouts \
            (safetensors.torch.load_file and NumPy load it), and the feature scaler fitted on the training split \
            as scaler.offset and scaler.scale (x' = (x − offset) · scale).

            onnx: the network in inference form (opset 21: the scaler's Sub and Mul first, Gemm, \
            BatchNormalization, the activations; dropout left out): raw features in, class scores (logits) out, \
            e.g. for ONNX Runtime.

            The scaler is refitted from the run's data, as training fitted it; when the data cannot be loaded any \
            more, safetensors leaves it out (and says so) and onnx fails.

            Examples:
              logbook weights export 12 --out model.safetensors
              logbook weights export 12 --format onnx --out model.onnx
            """)

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var runID: Int64
    @Option(help: "The file to write.")
    var out: String
    @Option(help: "safetensors or onnx.")
    var format: Format = .safetensors
    @Option(help: "Which weights: final or initial.")
    var kind: String = "final"
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard WeightsSnapshot.Kind(rawValue: kind) != nil else {
            throw ValidationError("invalid --kind '\(kind)': must be final or initial")
        }
        guard !out.isEmpty else { throw ValidationError("invalid --out '': give a file path") }
    }

    func run() throws {
        let store = try self.store.openReadOnly()
        let network = try RunNetwork(run: runID, kind: WeightsSnapshot.Kind(rawValue: kind)!, store: store)
        switch format {
        case .safetensors:
            let contents = network.safetensorsContents(notes: Console.error)
            try Safetensors.write(contents.tensors, to: out, metadata: contents.metadata)
            let values = contents.tensors.reduce(0) { $0 + $1.values.count }
            Console.line("wrote \(contents.tensors.count) tensors (\(values) values) of run \(runID) (\(kind)) to \(out)")
        case .onnx:
            let bytes = try network.onnx()
            try ExportFile.write(bytes, to: out, example: "model.onnx")
            let nodes = network.model.layers.count
            Console.line("wrote the ONNX model of run \(runID) (\(kind), \(nodes) layers, opset 21, \(bytes.count) bytes) to \(out)")
        }
    }
}
