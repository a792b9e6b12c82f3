import ArgumentParser

/// `--sweep ID`, the one sweep that `best` and `report` read.
struct SweepOption: ParsableArguments {
    @Option(help: "The sweep.")
    var sweep: Int64
}
