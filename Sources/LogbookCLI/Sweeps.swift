import ArgumentParser
import Foundation
import Report
import Store
import Sweep

/// `logbook sweeps`: every sweep with its progress.
struct Sweeps: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List sweeps with their progress.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let store = try self.store.openReadOnly()
        let sweeps = try store.sweeps()
        if sweeps.isEmpty {
            print("no sweeps in \(self.store.path)")
            return
        }
        let columns = ["id", "name", "method", "done", "completed", "pruned", "diverged", "failed", "running", "pending", "interrupted", "metric"]
        var rows: [[String]] = []
        for sweep in sweeps {
            rows.append([
                "\(sweep.id)", sweep.name, sweep.method, "\(sweep.finishedTrials)/\(sweep.plannedTrials)",
                "\(sweep.count(.completed))", "\(sweep.count(.pruned))", "\(sweep.count(.diverged))", "\(sweep.count(.failed))", "\(sweep.count(.running))",
                "\(sweep.openTrials)", "\(sweep.count(.interrupted))", "\(sweep.metricName) (\(sweep.metricGoal))",
            ])
        }
        print(TextTableRenderer(style: .plain).render(ResultTable(columns: columns, rows: rows.map { $0.map(SQLValue.text) })), terminator: "")
    }
}
