import ArgumentParser
import Foundation
import Report
import Store

/// `logbook show RUN`: one run in full.
struct Show: ParsableCommandWithOutput {
    static let configuration = CommandConfiguration(
        abstract: "Show one run: configuration, status, timings, epochs, test evaluation and a loss sparkline.",
        discussion: "Example: logbook show 12")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var runID: Int64

    func validate() throws {
        if runID < 1 { throw ValidationError("invalid run id \(runID): run ids start at 1") }
    }

    func output(colour: Bool? = nil) throws -> String {
        let store = try QuerySupport.openReadOnly(self.store)
        return try RunDetails.load(runID, from: store).render(colour: colour ?? OutputOptions().colourOnTerminal)
    }

    func run() throws { Console.write(try output()) }
}
