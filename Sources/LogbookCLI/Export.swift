import ArgumentParser
import Export
import Foundation
import Report
import Store

extension SweepExportTable: ExpressibleByArgument {}

/// `logbook export (--sweep ID | --runs ID,ID,…) --format csv|json|tensorboard|mlflow …`.
struct Export: ParsableCommand {
    /// What `--format` writes: a long-format table (csv, json) or another tool's records.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json, tensorboard, mlflow

        var table: StreamingTableWriter.Format? {
            switch self {
            case .csv: return .csv
            case .json: return .json
            case .tensorboard, .mlflow: return nil
            }
        }
    }

    static let configuration = CommandConfiguration(
        abstract: "Export runs as long-format CSV or JSON, as TensorBoard event files, or to an MLflow tracking server.",
        discussion: """
            csv and json: one row per run, per iteration or per epoch of a sweep, each carrying run_id, \
            trial_index, seed, batch_size, base_learning_rate and initializer, so that the file can be grouped \
            without a join. Streams: millions of rows are fine.

            tensorboard: a folder per run (run-ID) with an event file of every iteration loss, the learning rate \
            where it changes, the epoch and test metrics, and the HParams plugin's records, so that TensorBoard's \
            HParams tab lists every run with its hyperparameters. A second export replaces the files.

            mlflow: an experiment per sweep (or --experiment), a run per Logbook run with its hyperparameters as \
            params, every metric with its step, the status, and the final weights as model.safetensors; runs already \
            exported (matched by the logbook.run_id tag) are left alone.

            Examples:
              logbook export --sweep 1 --what iterations --format csv --out iterations.csv
              logbook export --sweep 1 --format tensorboard --out tb/ && tensorboard --logdir tb/
              logbook export --runs 3,4 --format mlflow --tracking-uri http://127.0.0.1:5000
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "The sweep.")
    var sweep: Int64?
    @Option(help: ArgumentHelp("Runs by id, comma-separated (tensorboard and mlflow).", valueName: "ids"))
    var runs: RunIDList?
    @Option(help: "runs, iterations or epochs (csv and json; default: runs).")
    var what: SweepExportTable?
    @Option(help: "csv, json, tensorboard or mlflow.")
    var format: Format = .csv
    @Option(help: "The file (csv, json; default: standard output) or folder (tensorboard) to write.")
    var out: String?
    @OptionGroup var mlflow: MLflowOptions

    func validate() throws {
        switch (sweep, runs) {
        case (nil, nil): throw ValidationError("missing --sweep or --runs: name what to export")
        case (.some, .some): throw ValidationError("--sweep and --runs both given: export one or the other")
        default: break
        }
        if let sweep, sweep < 1 { throw ValidationError("invalid --sweep '\(sweep)': must be a positive id") }
        if format.table != nil && runs != nil {
            throw ValidationError("invalid --runs with --format \(format.rawValue): csv and json export a --sweep")
        }
        if format.table == nil && what != nil {
            throw ValidationError("invalid --what with --format \(format.rawValue): --what chooses the csv or json table")
        }
        if format == .tensorboard && (out ?? "").isEmpty {
            throw ValidationError("missing --out: --format tensorboard writes into a folder")
        }
        if format == .mlflow && out != nil {
            throw ValidationError("invalid --out with --format mlflow: the runs go to --tracking-uri")
        }
        try mlflow.validate(for: format)
    }

    var selection: ExportSelection {
        if let runs { return .runs(runs.ids) }
        return .sweep(sweep!)
    }

    func run() throws {
        switch format {
        case .csv, .json: try ExportTableOutput(command: self).run()
        case .tensorboard: try ExportToTensorBoard.run(self)
        case .mlflow: try ExportToMLflow.run(self)
        }
    }
}

/// `--runs 3,4,7`: run ids, each positive, none twice.
struct RunIDList: ExpressibleByArgument, Equatable {
    var ids: [Int64]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        let ids = parts.compactMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        guard ids.count == parts.count, !ids.isEmpty, ids.allSatisfy({ $0 > 0 }), Set(ids).count == ids.count else {
            return nil
        }
        self.ids = ids
    }
}
