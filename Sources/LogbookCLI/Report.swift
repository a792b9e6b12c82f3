import ArgumentParser
import Foundation
import Report
import Store

/// `logbook report --sweep ID --out report.html [--format html|markdown]`.
struct ReportCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case html, markdown }

    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML (or Markdown + SVG) report of a sweep.",
        discussion: """
            Sections: leaderboard and specification; loss curves per configuration (downsampled iterations \
            with epoch means, log scale when the losses span more than 1.5 decades); train vs validation/test \
            accuracy of the best runs; the effect of each swept hyperparameter (mean ± std over seeds) and a \
            batch size × learning rate heatmap; batch size (loss noise, samples/s, iterations per epoch, time \
            to a loss, generalization gap); initializers (accuracy, and whether zero initialization learned at \
            all). The HTML file has inline SVG and CSS only: no scripts, no fonts or files from elsewhere. The \
            Markdown form writes its charts as SVG files into NAME-charts/ beside it.

            Example: logbook report --sweep 1 --out report.html
            """)

    @OptionGroup var store: StoreOptions

    @OptionGroup var selected: SweepOption
    @Option(help: "The file to write (default: sweep-ID.html or sweep-ID.md).")
    var out: String?
    @Option(help: "html or markdown.")
    var format: Format = .html

    var sweep: Int64 { selected.sweep }

    var outputPath: String { out ?? "sweep-\(sweep).\(format == .html ? "html" : "md")" }

    func validate() throws {
        if sweep < 1 { throw ValidationError("invalid --sweep \(sweep): sweep ids start at 1") }
        let directory = (outputPath as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty && !(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw ValidationError("invalid --out '\(outputPath)': directory '\(directory)' does not exist")
        }
    }

    /// Builds and writes the report; returns the path written.
    @discardableResult
    func write() throws -> String {
        let store = try QuerySupport.openReadOnly(self.store)
        let document = try SweepReport().build(sweepID: sweep, store: store)
        try document.write(to: outputPath, markdown: format == .markdown)
        return outputPath
    }

    func run() throws {
        let path = try write()
        print("wrote \(path)")
    }
}
