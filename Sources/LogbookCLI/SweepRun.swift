import ArgumentParser
import Engine
import Foundation
import Report
import Store
import Sweep

/// `logbook sweep run`: plan a sweep from a YAML spec or from flags, write it, run it with N worker processes.
struct SweepRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Plan a sweep (from --spec FILE or from flags), record it, and run it with parallel workers.",
        discussion: """
            From flags, every parameter option takes a value or a comma-separated list; grid search trains every \
            combination (parameters in the order data, layers, batch size, lr, init, epochs, …, the last varying \
            fastest), each with --seeds seeds:

              logbook sweep run --data digits --layers 64-64-10 --batch-size 16,32,64,128 --lr 0.01,0.1,0.5 --init zeros,xavier-uniform,he-uniform --epochs 10,30 --seeds 3 --workers 2

            From a W&B-style YAML spec — method grid|random|tpe (alias bayes); metric {name, goal}; parameters, \
            each with value, values, or distribution (uniform, log_uniform, int_uniform, q_uniform, categorical) \
            with min/max/q; run_cap; seeds; seed; tpe {startup_trials, candidates, multivariate, constant_liar}; \
            early_terminate {type: median, warmup_epochs, min_trials} or {type: asha|hyperband, min_epochs, eta}:

              logbook sweep run --spec sweep.yaml --workers 2

            Choose on validation, measure on test: unless the spec sets them, a sweep ranks by validation_accuracy \
            (validation_loss for regression) on a validation split of validation_fraction 0.1; each trial's test \
            figure is recorded and reported, never used to choose.

            The whole plan is checked before anything is written; --dry-run prints it and writes nothing. The sweep \
            and all its trials are written first (status pending); tpe instead suggests and writes each trial when \
            a worker claims it, in the claim's transaction, up to run_cap. Ctrl-C stops gracefully (running trials are \
            marked interrupted); `logbook sweep resume ID` finishes the rest.
            """)

    @Option(help: ArgumentHelp("A YAML sweep specification.", valueName: "file"))
    var spec: String?
    @OptionGroup(title: "Parameters (from flags)") var parameters: SweepParameterOptions
    @OptionGroup(title: "Search and early termination") var search: SweepSearchOptions
    @Option(help: "Sweep name (default: the spec's name, or 'sweep').")
    var name: String?
    @Option(help: "Repeat every configuration with this many seeds (seed, seed+1, …).")
    var seeds: Int?
    @Option(name: .customLong("run-cap"), help: "Random search: number of draws. tpe: number of trials. Grid: keep the first N configurations.")
    var runCap: Int?
    @Option(help: "Metric that ranks trials (default validation_accuracy, validation_loss for regression): test_accuracy, test_loss, validation_accuracy, validation_loss, train_accuracy, train_loss, duration. A test metric on grid or random search is allowed with a warning.")
    var metric: String?
    @Option(help: "maximize or minimize (default: minimize for losses and duration, else maximize).")
    var goal: String?
    @Flag(name: .customLong("dry-run"), help: "Print the expanded plan (one line per trial) and write nothing.")
    var dryRun = false
    @OptionGroup var execution: SweepExecutionOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if spec != nil && !parameters.isEmpty {
            throw ValidationError("give either --spec FILE or parameter flags (--batch-size, --lr, …), not both")
        }
        if spec == nil && parameters.isEmpty {
            throw ValidationError("nothing to sweep: give --spec FILE or parameter flags such as --batch-size 16,32 --lr 0.01,0.1")
        }
        if let seeds, seeds < 1 { throw ValidationError("invalid --seeds \(seeds): must be at least 1") }
        if let runCap, runCap < 1 { throw ValidationError("invalid --run-cap \(runCap): must be at least 1") }
        if let goal, SweepSpec.Goal(rawValue: goal) == nil {
            throw ValidationError("invalid --goal '\(goal)': expected maximize or minimize")
        }
    }

    func makeSpec() throws -> SweepSpec {
        var sweepSpec: SweepSpec
        if let spec {
            guard let data = FileManager.default.contents(atPath: spec) else {
                throw ValidationError("cannot read --spec '\(spec)': no such file or not readable")
            }
            sweepSpec = try SweepSpec.parse(yaml: String(decoding: data, as: UTF8.self), fileName: spec)
        } else {
            sweepSpec = SweepSpec(parameters: try parameters.parameters())
        }
        if let name { sweepSpec.name = name }
        if let seeds { sweepSpec.seeds = seeds }
        if let runCap { sweepSpec.runCap = runCap }
        if let metric { sweepSpec.metric = SweepSpec.Metric(name: metric, goal: goal.flatMap(SweepSpec.Goal.init(rawValue:))) }
        else if let goal { sweepSpec.metric.goal = SweepSpec.Goal(rawValue: goal)! }
        if metric != nil { sweepSpec.metricIsExplicit = true }
        search.apply(to: &sweepSpec)
        return sweepSpec
    }

    func run() throws {
        let plan = try SweepPlan(spec: try makeSpec())
        if let warning = plan.spec.choiceWarning { Console.error(warning) }
        if dryRun && plan.spec.method.createsTrialsOnDemand {
            let table = plan.spec.searchSpaceTable
            print(plan.spec.searchSummaryLine)
            print(TextTableRenderer(style: .plain).render(ResultTable(columns: table.columns, rows: table.rows.map { $0.map(SQLValue.text) })), terminator: "")
            return
        }
        if dryRun {
            let table = plan.trialTable
            print(plan.summaryLine)
            print(TextTableRenderer(style: .plain).render(ResultTable(columns: table.columns, rows: table.rows.map { $0.map(SQLValue.text) })), terminator: "")
            return
        }
        let store = try self.store.open()
        let sweepID = try SweepExecution.create(plan: plan, base: TrainingConfiguration(), store: store)
        let trialCount = plan.spec.method.createsTrialsOnDemand ? plan.spec.runCap ?? 0 : plan.count
        print("sweep \(sweepID) '\(plan.spec.name)': \(trialCount) trials, \(execution.workers) workers, database \(self.store.path)")
        try SweepRun.execute(store: store, sweepID: sweepID, options: execution, databasePath: self.store.path)
    }

    /// Runs the workers with the display, prints the summary; exits 130 after Ctrl-C.
    static func execute(store: any LogbookStoring, sweepID: Int64, options: SweepExecutionOptions, databasePath: String) throws {
        fflushStandardOutput()
        let display = SweepDisplay(store: store, sweepID: sweepID, live: !options.quiet && SweepDisplay.isTerminal)
        let execution = SweepExecution(
            store: store, sweepID: sweepID, workerCount: options.workers, refreshProgress: display.refresh)
        let result = try execution.execute()
        if !result.requeued.isEmpty { print("re-queued \(result.requeued.count) abandoned trial(s)") }
        print(try SweepDisplay.summary(result, store: store, databasePath: databasePath))
        fflushStandardOutput()
        if result.interrupted { Foundation.exit(130) }  // 128 + SIGINT, like a shell; nothing more to print
        for failure in result.workerFailures { FileHandle.standardError.write(Data("warning: \(failure)\n".utf8)) }
        if let failure = result.workerFailures.first, result.sweep.finishedTrials < result.sweep.plannedTrials {
            throw SweepError("\(failure); the sweep is unfinished: resume it with `logbook sweep resume \(sweepID)`")
        }
    }
}
