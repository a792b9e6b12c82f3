import ArgumentParser
import Engine
import Foundation
import Store

/// `logbook weights …`: the stored tensors of runs.
struct Weights: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export the weights stored with a run.", subcommands: [WeightsExport.self])
}

/// `logbook weights export RUN --out model.safetensors`: a run's final (or initial) tensors, batch-norm buffers
/// included, as a safetensors file that PyTorch (`safetensors.torch.load_file`) and NumPy load directly.
struct WeightsExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a run's weights as a safetensors file.",
        discussion: "Example: logbook weights export 12 --out model.safetensors")

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var runID: Int64
    @Option(help: "The safetensors file to write.")
    var out: String
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
        let record = try store.run(id: runID)
        let tensors = try store.weights(run: runID, kind: WeightsSnapshot.Kind(rawValue: kind)!)
        let configuration = String(decoding: try JSONEncoder().encode(record.configuration), as: UTF8.self)
        try Safetensors.write(
            tensors, to: out,
            metadata: [
                "format": "pt", "logbook.run": String(runID), "logbook.kind": kind, "logbook.model": record.model,
                "logbook.dataset": record.dataset, "logbook.configuration": configuration,
            ])
        let values = tensors.reduce(0) { $0 + $1.values.count }
        Console.line("wrote \(tensors.count) tensors (\(values) values) of run \(runID) (\(kind)) to \(out)")
    }
}
