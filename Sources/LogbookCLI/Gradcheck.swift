import ArgumentParser
import Foundation
import Engine

/// `logbook gradcheck`: backpropagation against central finite differences for every layer type, activation and
/// loss, printing the largest relative error per parameter tensor.
struct Gradcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check backpropagation against finite differences for every layer, activation and loss.",
        discussion: """
            Each case is a small network on a random batch, in training mode. For every parameter tensor the largest \
            relative error |backprop − numeric| / max(|backprop|, |numeric|, 1e-3) is printed; the numeric gradient is \
            a central difference refined by Richardson extrapolation. Exits non-zero when any error exceeds --tolerance.
            """)

    @Option(help: "Seed of the random models and batches.")
    var seed: UInt64 = 7
    @Option(help: "Largest acceptable relative error.")
    var tolerance: Double = 2e-2

    func run() throws {
        let results = GradientCheck.standardSuite(seed: seed)
        var worst = 0.0
        for result in results {
            Console.line(result.name)
            for tensor in result.tensors {
                let mark = tensor.maxRelativeError <= tolerance ? "ok  " : "FAIL"
                Console.line(
                    "  \(mark) \(tensor.name.padding(toLength: 18, withPad: " ", startingAt: 0)) "
                        + "max relative error \(Format.number(tensor.maxRelativeError)) "
                        + "(\(tensor.checkedElements) elements, max absolute \(Format.number(tensor.maxAbsoluteError)))")
                worst = max(worst, tensor.maxRelativeError)
            }
        }
        Console.line("worst relative error \(Format.number(worst)) (tolerance \(Format.number(tolerance)))")
        if worst > tolerance { throw ExitCode.failure }
    }
}
