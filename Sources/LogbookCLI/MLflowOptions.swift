import ArgumentParser
import Foundation

/// `--tracking-uri` and `--experiment` of `logbook export --format mlflow`.
struct MLflowOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The MLflow tracking server (mlflow), e.g. http://127.0.0.1:5000.", valueName: "url"))
    var trackingURI: String?
    @Option(help: ArgumentHelp("The MLflow experiment (default: one per sweep, sweep-ID-NAME).", valueName: "name"))
    var experiment: String?

    func validate(for format: Export.Format) throws {
        guard format == .mlflow else {
            if trackingURI != nil { throw ValidationError("invalid --tracking-uri with --format \(format.rawValue): only mlflow sends to a server") }
            if experiment != nil { throw ValidationError("invalid --experiment with --format \(format.rawValue): only mlflow has experiments") }
            return
        }
        guard let trackingURI else { throw ValidationError("missing --tracking-uri: --format mlflow sends to a tracking server") }
        guard let url = URL(string: trackingURI), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("invalid --tracking-uri '\(trackingURI)': must be http://HOST:PORT or https://HOST:PORT")
        }
        if let experiment, experiment.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("invalid --experiment '\(experiment)': give a name")
        }
    }
}
